"""Test helper: open an HTML file in headless Chromium (Debian's `chromium`), collect what the page
logs to its console, and save a screenshot. Standard library only, plus the chromium binary.

Why the DevTools protocol and not `--enable-logging=stderr`: Debian's Chromium 156 logs *every*
console call to stderr as the same line, e.g.

    [pid:tid:MMDD/HHMMSS.us:INFO:CONSOLE:6] "boom", source: file:///.../page.html (6)

for console.log, console.warn and console.error alike (no level in it; the number is the source
line), an uncaught exception as `"Uncaught Error: kaboom"` in that same form, and not at all a
failed resource load (a missing <img>) or a message after the one-shot `--screenshot` was taken;
meanwhile its own noise (dbus, GPU, sandbox) comes as ERROR/WARNING lines. So console errors cannot
be told from that output reliably. Instead Chromium is started with `--remote-debugging-pipe` (it reads
NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4) and the page's events are
read as they come: Runtime.consoleAPICalled (with its level), Runtime.exceptionThrown (uncaught
errors and unhandled promise rejections) and Log.entryAdded (browser-side entries such as a failed
resource load). Chromium's stderr goes to a file that is only quoted when the browser fails.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

INSTALL_HINT = "apt-get install chromium"

# Console API types that DevTools shows at error level.
_ERROR_CONSOLE_TYPES = {"error", "assert"}


@dataclass
class PageReport:
    console_errors: list[str] = field(default_factory=list)  # error-level console messages and uncaught exceptions
    console_messages: list[str] = field(default_factory=list)  # everything the page logged, errors included
    screenshot: Path | None = None
    value: object = None  # what the `evaluate` expression returned (JSON-able values only)


class BrowserError(RuntimeError):
    """Chromium could not be run, died, or did not answer in time."""


def chromium_binary() -> str | None:
    """The chromium executable on PATH (Debian names it `chromium`, others `chromium-browser`)."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def open_in_chromium(
    html: Path,
    screenshot: Path,
    width: int = 390,
    height: int = 844,
    *,
    settle: float = 0.5,
    timeout: float = 60.0,
    evaluate: str | None = None,
) -> PageReport:
    """Load `html` (a local file) in headless Chromium at a `width` x `height` viewport, wait for
    its load event plus `settle` seconds (for timers and late errors), save a PNG screenshot of the
    viewport to `screenshot`, and report the page's console messages. Raises BrowserError when
    chromium is missing, fails, or the whole run takes longer than `timeout` seconds. With
    `evaluate`, a JavaScript expression run in the loaded page: its value is `report.value`."""
    html = Path(html).resolve()
    screenshot = Path(screenshot)
    if not html.is_file():
        raise FileNotFoundError(html)
    binary = chromium_binary()
    if binary is None:
        raise BrowserError(f"chromium is not installed: {INSTALL_HINT}")
    deadline = time.monotonic() + timeout
    with (
        tempfile.TemporaryDirectory(prefix="chromium-") as tmp,
        _Browser(binary, Path(tmp), width, height, deadline) as browser,
    ):
        report = browser.render(html.as_uri(), settle)
        if evaluate is not None:
            result = browser.session_call("Runtime.evaluate", {"expression": evaluate, "returnByValue": True})
            if "exceptionDetails" in result:
                raise BrowserError(f"evaluate failed: {result['exceptionDetails'].get('text')}")
            report.value = result["result"].get("value")
        png = base64.b64decode(browser.session_call("Page.captureScreenshot", {"format": "png"})["data"])
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.write_bytes(png)
    report.screenshot = screenshot
    return report


class _Browser:
    """One headless Chromium process driven over --remote-debugging-pipe, with one page attached."""

    def __init__(self, binary: str, tmp: Path, width: int, height: int, deadline: float):
        self.binary, self.tmp, self.width, self.height, self.deadline = binary, tmp, width, height, deadline
        self.next_id = 0
        self.buffer = b""
        self.events: list[dict] = []
        self.session: str | None = None

    def __enter__(self) -> Self:
        to_browser_r, self.to_browser = _high_pipe()
        self.from_browser, from_browser_w = _high_pipe()
        self.stderr_path = self.tmp / "stderr.log"
        args = [
            self.binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--hide-scrollbars",
            "--remote-debugging-pipe",
            f"--user-data-dir={self.tmp / 'profile'}",
            f"--window-size={self.width},{self.height}",
            "about:blank",
        ]
        # The child gets the pipe ends as fd 3 (commands in) and fd 4 (replies out). bash does the
        # renumbering so that no preexec_fn is needed (dash cannot redirect fds above 9, and the ends
        # sit at 10 or above so that they cannot clash with 3 and 4). Debian's /usr/bin/chromium is
        # itself a shell script that ends in exec, so the fds reach the browser.
        launcher = f'exec "$@" 3<&{to_browser_r} 4>&{from_browser_w} {to_browser_r}<&- {from_browser_w}>&-'
        try:
            with open(self.stderr_path, "wb") as stderr:
                self.proc = subprocess.Popen(
                    [shutil.which("bash") or "/bin/bash", "-c", launcher, "chromium-launcher", *args],
                    stdin=subprocess.DEVNULL,
                    stdout=stderr,
                    stderr=stderr,
                    pass_fds=(to_browser_r, from_browser_w),
                    start_new_session=True,  # its own process group, so a timeout can end every child
                )
        finally:
            os.close(to_browser_r)
            os.close(from_browser_w)
        try:
            self._attach()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self._send("Browser.close", {})
                except OSError:
                    pass
                try:
                    self.proc.wait(timeout=max(1.0, min(10.0, self.deadline - time.monotonic())))
                except subprocess.TimeoutExpired:
                    pass
            self._kill()  # the browser's own process group: no renderer or zygote outlives the call
        finally:
            for fd in (self.to_browser, self.from_browser):
                try:
                    os.close(fd)
                except OSError:
                    pass

    def _kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait(timeout=10)

    # --- the protocol -------------------------------------------------------------------------

    def _send(self, method: str, params: dict, session: str | None = None) -> int:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        return self.next_id

    def _read(self, until: float) -> dict | None:
        """The next message from the browser, or None when `until` (a monotonic time) passes first."""
        while b"\0" not in self.buffer:
            if time.monotonic() >= self.deadline:
                self._fail("Chromium did not answer in time")
            wait = min(until, self.deadline) - time.monotonic()
            if wait <= 0:
                return None
            ready, _, _ = select.select([self.from_browser], [], [], wait)
            if not ready:
                continue
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                self._fail("Chromium closed the DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send a command and wait for its reply; events that arrive meanwhile are kept."""
        sent = self._send(method, params or {}, session)
        while True:
            message = self._read(self.deadline)
            if message.get("id") == sent:
                if "error" in message:
                    raise BrowserError(f"{method} failed: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def session_call(self, method: str, params: dict | None = None) -> dict:
        return self.call(method, params, self.session)

    def _wait_event(self, method: str, until: float) -> dict | None:
        while True:
            for index, event in enumerate(self.events):
                if event["method"] == method and event.get("sessionId") == self.session:
                    return self.events.pop(index)
            message = self._read(until)
            if message is None:
                return None
            if "method" in message:
                self.events.append(message)

    def _fail(self, why: str) -> None:
        if self.proc.poll() is None:
            self._kill()
        tail = self.stderr_path.read_text(errors="replace")[-3000:]
        raise BrowserError(f"{why} (exit code {self.proc.returncode}); its stderr ends with:\n{tail}")

    # --- the page -----------------------------------------------------------------------------

    def _attach(self) -> None:
        targets = self.call("Target.getTargets")["targetInfos"]
        pages = [t["targetId"] for t in targets if t["type"] == "page"]
        target = pages[0] if pages else self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.session_call(f"{domain}.enable")
        self.session_call(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
        )
        self.events.clear()  # nothing from about:blank belongs to the page under test

    def render(self, url: str, settle: float) -> PageReport:
        navigated = self.session_call("Page.navigate", {"url": url})
        if navigated.get("errorText"):
            raise BrowserError(f"could not open {url}: {navigated['errorText']}")
        if self._wait_event("Page.loadEventFired", self.deadline) is None:
            self._fail(f"{url} did not finish loading")
        settled = time.monotonic() + settle
        while self._read_into_events(settled):
            pass
        report = PageReport()
        for event in self.events:
            if event.get("sessionId") != self.session:
                continue
            entry = _console_entry(event["method"], event.get("params", {}))
            if entry is None:
                continue
            is_error, text = entry
            report.console_messages.append(text)
            if is_error:
                report.console_errors.append(text)
        return report

    def _read_into_events(self, until: float) -> bool:
        message = self._read(until)
        if message is None:
            return False
        if "method" in message:
            self.events.append(message)
        return True


def _high_pipe() -> tuple[int, int]:
    """os.pipe() with both ends moved to fds >= 10 (close-on-exec until passed on)."""
    ends = []
    for fd in os.pipe():
        ends.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10))
        os.close(fd)
    return ends[0], ends[1]


def _console_entry(method: str, params: dict) -> tuple[bool, str] | None:
    """(is it error level, one readable line) for a console-related protocol event, else None."""
    if method == "Runtime.consoleAPICalled":
        kind = params.get("type", "log")
        text = " ".join(_remote_text(arg) for arg in params.get("args", []))
        frames = (params.get("stackTrace") or {}).get("callFrames") or []
        where = _where(frames[0]["url"], frames[0]["lineNumber"]) if frames else ""
        return kind in _ERROR_CONSOLE_TYPES, f"{kind}: {text}{where}"
    if method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails", {})
        exception = details.get("exception") or {}
        thrown = (exception.get("description") or _remote_text(exception)) if exception else ""
        thrown = thrown.splitlines()[0] if thrown else ""
        text = details.get("text", "Uncaught")
        if thrown and thrown not in text:
            text = f"{text} {thrown}"
        return True, f"exception: {text}{_where(details.get('url', ''), details.get('lineNumber'))}"
    if method == "Log.entryAdded":
        entry = params.get("entry", {})
        level = entry.get("level", "info")
        where = _where(entry.get("url", ""), entry.get("lineNumber"))
        return level == "error", f"{level}: [{entry.get('source', 'other')}] {entry.get('text', '')}{where}"
    return None


def _remote_text(obj: dict) -> str:
    if "value" in obj:
        value = obj["value"]
        return value if isinstance(value, str) else json.dumps(value)
    return str(obj.get("unserializableValue") or obj.get("description") or obj.get("type", ""))


def _where(url: str, line: int | None) -> str:
    if not url:
        return ""
    return f" ({url}:{line + 1})" if isinstance(line, int) else f" ({url})"

"""robots.txt for article pages, read as RFC 9309 says: a 4xx means no rules, an unreachable file
(5xx, network error, timeout) means "disallow everything for now", so the page is tried again on a
later run rather than fetched against the site's wishes."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from monitor.fetch.http import Fetcher, FetchError

_ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
_CACHE_SECONDS = 24 * 3600
_UNREACHABLE_CACHE_SECONDS = 600


@dataclass(frozen=True)
class RobotsVerdict:
    allowed: bool
    reason: str  # "allowed", "disallowed by robots.txt", "robots.txt unreachable: ..."
    transient: bool = False  # the verdict may change soon (robots.txt could not be read)


class RobotsPolicy:
    def __init__(self, fetcher: Fetcher, timeout: float | None = None) -> None:
        self.fetcher = fetcher
        self.timeout = timeout or fetcher.settings.robots_timeout
        self.user_agent = fetcher.settings.user_agent.split("/")[0]
        self._cache: dict[str, tuple[float, Protego | None, str | None]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def check(self, url: str, allow: tuple = ()) -> RobotsVerdict:
        """May `url` be fetched? `allow`: non-public networks admitted for this request (the
        destination policy applies to robots.txt like to any request)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules, error = self._rules(origin, allow)
        if error is not None:
            return RobotsVerdict(False, f"robots.txt unreachable: {error}", transient=True)
        if rules is None or rules.can_fetch(url, self.user_agent):
            return RobotsVerdict(True, "allowed")
        return RobotsVerdict(False, "disallowed by robots.txt")

    def _rules(self, origin: str, allow: tuple = ()) -> tuple[Protego | None, str | None]:
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:  # one fetch of a robots.txt, however many workers ask at once
            cached = self._cache.get(origin)
            if cached and cached[0] > time.monotonic():
                return cached[1], cached[2]
            rules, error, ttl = self._fetch(origin, allow)
            self._cache[origin] = (time.monotonic() + ttl, rules, error)
            return rules, error

    def _fetch(self, origin: str, allow: tuple = ()) -> tuple[Protego | None, str | None, float]:
        url = origin + "/robots.txt"
        try:
            result = self.fetcher.get(
                url, purpose="robots", max_bytes=_ROBOTS_MAX_BYTES, timeout=self.timeout, accept="text/plain", allow=allow
            )
        except FetchError as exc:
            if exc.kind == "http" and exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return None, None, _CACHE_SECONDS  # no robots.txt: everything is allowed
            if exc.kind == "too_large":
                return None, None, _CACHE_SECONDS
            if exc.kind == "refused":  # an internal address: the page request is refused too, with the reason
                return None, None, _UNREACHABLE_CACHE_SECONDS
            return None, str(exc), _UNREACHABLE_CACHE_SECONDS
        text = result.body.decode("utf-8", errors="replace")
        return Protego.parse(text), None, _CACHE_SECONDS

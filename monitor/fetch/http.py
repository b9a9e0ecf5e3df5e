"""One httpx client for every request the monitor makes, with the limits a long-running poller needs:
timeouts (per phase and for the whole response), a body-size cap enforced while streaming, a
redirect cap, conditional GET, per-host politeness and Retry-After."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from monitor.config import FetchSettings
from monitor.fetch.politeness import HostGate

# A host that asks us to wait longer than this is not waited for in-process: the work is deferred.
_MAX_INLINE_WAIT = 30.0


class FetchError(Exception):
    """A request that produced no usable response. `kind` says why, for logs and retry decisions:
    "timeout", "too_large", "redirects", "network", "http" (a 4xx/5xx status), "deferred" (the host
    asked us to wait) or "invalid_url"."""

    def __init__(
        self,
        kind: str,
        message: str,
        url: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        bytes_read: int = 0,
        elapsed: float = 0.0,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.url = url
        self.status = status
        self.retry_after = retry_after
        self.bytes_read = bytes_read
        self.elapsed = elapsed

    @property
    def transient(self) -> bool:
        """Worth retrying later: timeouts, network trouble, 5xx, 429 and deferrals."""
        if self.kind in ("timeout", "network", "deferred"):
            return True
        return self.kind == "http" and (self.status in (408, 425, 429) or (self.status or 0) >= 500)


@dataclass(frozen=True)
class FetchResult:
    url: str  # what was asked for
    final_url: str  # after redirects
    status: int
    headers: httpx.Headers
    body: bytes
    elapsed: float

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass(frozen=True)
class FetchRecord:
    """One request as the archive's fetch log keeps it."""

    at: datetime
    purpose: str  # "feed", "page", "robots" or "resolve"
    url: str
    status: int | None
    bytes: int
    elapsed: float
    error: str | None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date. None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def host_of(url: str) -> str:
    return (urlsplit(url).netloc or "").lower()


class Fetcher:
    """Thread-safe: the pipeline's workers share one instance (one connection pool, one gate)."""

    def __init__(self, settings: FetchSettings, gate: HostGate | None = None) -> None:
        self.settings = settings
        self.gate = gate or HostGate(settings.per_host_concurrency, settings.per_host_min_interval)
        self.client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=True,
            max_redirects=settings.max_redirects,
            limits=httpx.Limits(max_connections=max(settings.workers * 2, 10)),
        )
        self._records: list[FetchRecord] = []
        self._records_lock = threading.Lock()

    def drain_records(self) -> list[FetchRecord]:
        """Every request made since the last call, oldest first (for the fetch log)."""
        with self._records_lock:
            records, self._records = self._records, []
        return records

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def get(self, url: str, *, purpose: str = "page", **options) -> FetchResult:
        """GET `url`. Returns any 2xx or a 304; raises `FetchError` for everything else.

        Options: `etag`, `last_modified` (conditional GET), `accept`, `max_bytes`, `timeout`,
        `follow_redirects` (when False, a 3xx comes back as the result).
        Every call is recorded for the fetch log (`drain_records`)."""
        at = datetime.now(timezone.utc)
        try:
            result = self._get(url, **options)
        except FetchError as exc:
            record = FetchRecord(at, purpose, url, exc.status, exc.bytes_read, exc.elapsed, f"{exc.kind}: {exc}")
            with self._records_lock:
                self._records.append(record)
            raise
        with self._records_lock:
            self._records.append(FetchRecord(at, purpose, url, result.status, len(result.body), result.elapsed, None))
        return result

    def _get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        max_bytes: int | None = None,
        timeout: float | None = None,
        follow_redirects: bool = True,
    ) -> FetchResult:
        cap = max_bytes or self.settings.max_body_bytes
        deadline_seconds = timeout or self.settings.total_timeout
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        host = host_of(url)
        if not host or urlsplit(url).scheme not in ("http", "https"):
            raise FetchError("invalid_url", f"not an http(s) URL: {url!r}", url)
        waiting = self.gate.blocked_for(host)
        if waiting > _MAX_INLINE_WAIT:
            raise FetchError("deferred", f"{host} asked to wait {waiting:.0f}s", url, retry_after=waiting)

        with self.gate.slot(host):
            started = time.monotonic()
            read = 0

            def failure(kind: str, message: str, **details) -> FetchError:
                return FetchError(kind, message, url, bytes_read=read, elapsed=time.monotonic() - started, **details)

            options = {"timeout": httpx.Timeout(min(self.settings.timeout, deadline_seconds))} if timeout else {}
            try:
                with self.client.stream("GET", url, headers=headers, follow_redirects=follow_redirects, **options) as response:
                    status = response.status_code
                    if status in (429, 503):
                        if status == 429:
                            self.gate.slow_down(host_of(str(response.url)))
                        retry_after = parse_retry_after(response.headers.get("retry-after"))
                        if retry_after is not None:
                            retry_after = min(retry_after, self.settings.retry_after_cap)
                            self.gate.block(host_of(str(response.url)), retry_after)
                        wait = f", Retry-After {retry_after:.0f}s" if retry_after is not None else ""
                        raise failure("http", f"HTTP {status}{wait}", status=status, retry_after=retry_after)
                    if status >= 400:
                        raise failure("http", f"HTTP {status}", status=status)
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > cap:
                        raise failure("too_large", f"body of {declared} bytes exceeds the {cap}-byte cap", status=status)
                    chunks = []
                    for chunk in response.iter_bytes():
                        read += len(chunk)
                        if read > cap:
                            raise failure("too_large", f"body exceeds the {cap}-byte cap (stopped reading)", status=status)
                        if time.monotonic() - started > deadline_seconds:
                            raise failure("timeout", f"response not complete within {deadline_seconds:g}s", status=status)
                        chunks.append(chunk)
                    return FetchResult(
                        url=url,
                        final_url=str(response.url),
                        status=status,
                        headers=response.headers,
                        body=b"".join(chunks),
                        elapsed=time.monotonic() - started,
                    )
            except httpx.TooManyRedirects:
                raise failure("redirects", f"more than {self.settings.max_redirects} redirects") from None
            except httpx.TimeoutException as exc:
                raise failure("timeout", f"timed out ({type(exc).__name__})") from None
            except (httpx.TransportError, httpx.InvalidURL) as exc:
                raise failure("network", f"{type(exc).__name__}: {exc}") from None

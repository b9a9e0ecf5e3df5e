"""One httpx client for every request the monitor makes, with the limits a long-running poller needs:
timeouts (per phase and for the whole response), a body-size cap enforced while streaming, a
redirect cap, conditional GET, per-host politeness and Retry-After."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from monitor.config import FetchSettings
from monitor.fetch import guard
from monitor.fetch.codings import BoundedDecoder, CodingError, TooLarge, codings_of
from monitor.fetch.guard import parse_networks
from monitor.fetch.politeness import HostBlocked, HostGate, SharedSpacing
from monitor.records import FetchRecord

# A host that asks us to wait longer than this is not waited for in-process: the work is deferred.
_MAX_INLINE_WAIT = 30.0


class FetchError(Exception):
    """A request that produced no usable response. `kind` says why, for logs and retry decisions:
    "timeout", "too_large", "redirects", "network", "http" (a 4xx/5xx status), "deferred" (the host
    asked us to wait), "invalid_url", "encoding" (a content coding that cannot be decoded),
    "refused" (the destination policy: an internal address) or "robots" (robots.txt, checked on
    every hop; transient when robots.txt could not be read)."""

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
        transient: bool | None = None,
    ) -> None:
        super().__init__(message)
        self._transient = transient
        self.kind = kind
        self.url = url
        self.status = status
        self.retry_after = retry_after
        self.bytes_read = bytes_read
        self.elapsed = elapsed

    @property
    def transient(self) -> bool:
        """Worth retrying later: timeouts, network trouble, 5xx, 429 and deferrals."""
        if self._transient is not None:
            return self._transient
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
    """Thread-safe: the pipeline's workers share one instance (one connection pool, one gate).

    Every request runs under one deadline for the whole exchange and the destination policy of
    `monitor.fetch.guard`; redirects are followed here, hop by hop, so that each hop's host gets
    its own politeness slot, its own destination check and, for pages, its own robots.txt check."""

    def __init__(self, settings: FetchSettings, gate: HostGate | None = None) -> None:
        self.settings = settings
        self.gate = gate or HostGate(settings.per_host_concurrency, settings.per_host_min_interval)
        self.allow = parse_networks(settings.allow_private)
        self.client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,
            transport=GuardedTransport(limits=httpx.Limits(max_connections=max(settings.workers * 2, 10))),
        )
        self._records: list[FetchRecord] = []
        self._records_lock = threading.Lock()

    def drain_records(self) -> list[FetchRecord]:
        """Every request made since the last call, oldest first (for the fetch log)."""
        with self._records_lock:
            records, self._records = self._records, []
        return records

    def configure_host(self, host: str, max_in_flight: int | None = None, min_interval: float | None = None) -> None:
        """Politeness for one host (a feed's overrides in feeds.yaml) instead of the defaults."""
        self.gate.configure(host, max_in_flight, min_interval)

    def share_spacing(self, spacing: SharedSpacing | None) -> None:
        """Space request starts to each host with every other process using `spacing` (workers of
        one PostgreSQL archive); None keeps the spacing in this process alone."""
        self.gate.share(spacing)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def get(self, url: str, *, purpose: str = "page", **options) -> FetchResult:
        """GET `url`. Returns any 2xx or a 304; raises `FetchError` for everything else.

        Options: `etag`, `last_modified` (conditional GET), `accept`, `max_bytes`, `timeout` (the
        deadline of the whole exchange, redirects included; default `total_timeout`),
        `follow_redirects` (when False, a 3xx comes back as the result), `allow` (networks admitted
        besides the configured ones, e.g. a feed's own `allow_private`), `hop_check` (called with
        every URL before it is requested, the first included; raises FetchError to refuse it).
        Every call is recorded for the fetch log (`drain_records`)."""
        at = datetime.now(timezone.utc)
        try:
            result = self._get(url, **options)
        except FetchError as exc:
            record = FetchRecord(at, purpose, url, exc.status, exc.bytes_read, exc.elapsed, _clean(f"{exc.kind}: {exc}"))
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
        allow: tuple = (),
        hop_check: Callable[[str], None] | None = None,
    ) -> FetchResult:
        cap = max_bytes or self.settings.max_body_bytes
        seconds = timeout or self.settings.total_timeout
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        started = time.monotonic()
        progress = {"read": 0}

        def failure(kind: str, message: str, **details) -> FetchError:
            return FetchError(kind, message, url, bytes_read=progress["read"], elapsed=time.monotonic() - started, **details)

        with guard.exchange(seconds, (*self.allow, *allow)) as ex:
            current = url
            for hop in range(self.settings.max_redirects + 1):
                if not host_of(current) or urlsplit(current).scheme not in ("http", "https"):
                    raise failure("invalid_url", f"not an http(s) URL: {current!r}")
                if hop_check is not None:
                    hop_check(current)
                result = self._exchange(current, headers, cap, ex, failure, progress, follow_redirects)
                if isinstance(result, FetchResult):
                    return replace(result, url=url, elapsed=time.monotonic() - started)
                current = result  # the next hop
            raise failure("redirects", f"more than {self.settings.max_redirects} redirects")

    @contextmanager
    def _polite(self, host: str, failure) -> Iterator[None]:
        """The host's politeness slot; a host that asked another worker to wait long is deferred."""
        try:
            with self.gate.slot(host, max_block=_MAX_INLINE_WAIT):
                yield
        except HostBlocked as exc:  # raised only on entry, before any request
            raise failure("deferred", f"{host} asked to wait {exc.seconds:.0f}s", retry_after=exc.seconds) from None

    def _exchange(self, url, headers, cap, ex, failure, progress, follow_redirects) -> "FetchResult | str":
        """One request/response. Returns the result, or the URL to go to next (a redirect)."""
        host = host_of(url)
        waiting = self.gate.blocked_for(host)
        if waiting > _MAX_INLINE_WAIT:
            raise failure("deferred", f"{host} asked to wait {waiting:.0f}s", retry_after=waiting)
        with self._polite(host, failure):
            if ex.remaining() <= 0:
                raise failure("timeout", f"response not complete within {ex.seconds:g}s (waiting for {host})")
            try:
                with self.client.stream("GET", url, headers=headers) as response:
                    status = response.status_code
                    location = response.headers.get("location")
                    if follow_redirects and status in _REDIRECTS and location:
                        return urljoin(url, location.strip())
                    if status in (429, 503):
                        if status == 429:
                            self.gate.slow_down(host)
                        retry_after = parse_retry_after(response.headers.get("retry-after"))
                        if retry_after is not None:
                            retry_after = min(retry_after, self.settings.retry_after_cap)
                            self.gate.block(host, retry_after)
                        wait = f", Retry-After {retry_after:.0f}s" if retry_after is not None else ""
                        raise failure("http", f"HTTP {status}{wait}", status=status, retry_after=retry_after)
                    if status >= 400:
                        raise failure("http", f"HTTP {status}", status=status)
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > cap:
                        raise failure("too_large", f"body of {declared} bytes exceeds the {cap}-byte cap", status=status)
                    try:
                        decoder = BoundedDecoder(codings_of(response.headers.get("content-encoding")), cap)
                    except CodingError as exc:
                        raise failure("encoding", str(exc), status=status) from None
                    chunks = []
                    try:
                        for raw in response.iter_raw():
                            progress["read"] += len(raw)
                            if progress["read"] > cap:
                                raise failure("too_large", f"body exceeds the {cap}-byte cap (stopped reading)", status=status)
                            chunks.extend(decoder.feed(raw))
                            if ex.remaining() <= 0:
                                raise failure("timeout", f"response not complete within {ex.seconds:g}s", status=status)
                        chunks.extend(decoder.finish())
                    except TooLarge as exc:
                        raise failure("too_large", str(exc), status=status) from None
                    except CodingError as exc:
                        raise failure("encoding", str(exc), status=status) from None
                    return FetchResult(
                        url=url,
                        final_url=str(response.url),
                        status=status,
                        headers=response.headers,
                        body=b"".join(chunks),
                        elapsed=0.0,
                    )
            except guard.DestinationRefused as exc:
                raise failure("refused", str(exc)) from None
            except httpx.TimeoutException as exc:
                if ex.expired or ex.remaining() <= 0.05:
                    raise failure("timeout", f"response not complete within {ex.seconds:g}s") from None
                raise failure("timeout", f"timed out ({type(exc).__name__})") from None
            except (httpx.TransportError, httpx.InvalidURL, httpx.DecodingError) as exc:
                if ex.expired:
                    raise failure("timeout", f"response not complete within {ex.seconds:g}s") from None
                raise failure("network", f"{type(exc).__name__}: {exc}") from None
            finally:
                ex.release()


_REDIRECTS = (301, 302, 303, 307, 308)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport over the guarded network backend (`monitor.fetch.guard`). Proxies
    from the environment are not used: the destination check must see the real destination."""

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        # httpx builds its httpcore pool without a way to pass a network backend; this is the
        # same pool with ours (httpx's HTTPTransport keeps the pool in `_pool`).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=guard.GuardedBackend(),
        )


def _clean(text: str) -> str:
    """A message safe to store: no lone surrogates or NULs (a hostile URL can carry both)."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")

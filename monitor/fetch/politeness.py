"""Per-host politeness: at most N requests in flight to one host, a minimum gap between request
starts, and a pause when a host says so (Retry-After). Shared by feed and page fetches."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator


class HostGate:
    def __init__(
        self,
        max_in_flight: int,
        min_interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_in_flight = max_in_flight
        self.min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Condition()
        self._in_flight: dict[str, int] = {}
        self._next_start: dict[str, float] = {}
        self._blocked_until: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Wait until a request to `host` may start, and hold one of its in-flight places."""
        with self._lock:
            while self._in_flight.get(host, 0) >= self.max_in_flight:
                self._lock.wait()
            self._in_flight[host] = self._in_flight.get(host, 0) + 1
            now = self._clock()
            start = max(now, self._next_start.get(host, now), self._blocked_until.get(host, now))
            self._next_start[host] = start + self.min_interval
        try:
            if start > now:
                self._sleep(start - now)
            yield
        finally:
            with self._lock:
                self._in_flight[host] -= 1
                self._lock.notify_all()

    def block(self, host: str, seconds: float) -> None:
        """No request to `host` starts for `seconds` (a 429 or 503 with Retry-After)."""
        with self._lock:
            until = self._clock() + seconds
            self._blocked_until[host] = max(self._blocked_until.get(host, 0.0), until)

    def blocked_for(self, host: str) -> float:
        """Seconds left before `host` may be asked again (0 when it may be asked now)."""
        with self._lock:
            return max(0.0, self._blocked_until.get(host, 0.0) - self._clock())

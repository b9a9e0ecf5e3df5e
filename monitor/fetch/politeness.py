"""Per-host politeness: at most N requests in flight to one host, a minimum gap between request
starts, and a pause when a host says so (Retry-After). Shared by feed and page fetches.

The gap and the pauses are kept in this process's memory, or, when several processes work for one
archive, by a `SharedSpacing` all of them use (the archive's `host_slots` on PostgreSQL)."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Protocol


def shared_slack(spacing: float) -> float:
    """How much more than `spacing` a start is reserved across processes: a request reaches the host
    a little after its reserved start (a thread waiting for the GIL behind extraction, a new
    connection), by a lag that differs between requests and processes, so the gaps the host sees
    (bench/workers.py reads them from the server's log) need this margin to stay at or above the
    spacing: a tenth of it, between 50 and 250 ms."""
    return min(max(0.1 * spacing, 0.05), 0.25) if spacing > 0 else 0.0


class HostBlocked(Exception):
    """The host asked (through another process) to be left alone for `seconds` more."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"asked to wait {seconds:.0f}s")
        self.seconds = seconds


class SharedSpacing(Protocol):
    """Request starts per host, spaced across processes."""

    def reserve(self, host: str, spacing: float, max_block: float) -> float:
        """Reserve the host's next start, `spacing` after the last one reserved; seconds to wait.
        Raises HostBlocked when the host asked to wait longer than `max_block`."""

    def block(self, host: str, seconds: float) -> None:
        """No process starts a request to `host` for `seconds`."""


@dataclass(frozen=True)
class HostQueue:
    """What one host's requests cost a run: how many, their seconds in flight (summed), the
    seconds they waited for a place or for the spacing, and how many waited at once at most.
    `busy / concurrency` is the least time the host needs, however many workers there are."""

    host: str
    requests: int
    busy: float
    waited: float
    most_waiting: int
    concurrency: int

    @property
    def least_seconds(self) -> float:
        return self.busy / max(self.concurrency, 1)


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
        self._overrides: dict[str, tuple[int, float]] = {}  # host -> (max in flight, min interval)
        # host -> [requests, busy seconds, waited seconds, waiting now, most waiting at once]
        self._stats: dict[str, list] = {}
        self.shared: SharedSpacing | None = None

    def share(self, spacing: SharedSpacing | None) -> None:
        """Space request starts (and pauses) through `spacing`, with every other process using it,
        instead of in this process's memory alone. In-flight limits stay per process."""
        self.shared = spacing

    def configure(self, host: str, max_in_flight: int | None = None, min_interval: float | None = None) -> None:
        """Per-host settings (a feed's overrides in feeds.yaml) instead of the defaults."""
        with self._lock:
            current = self._overrides.get(host, (self.max_in_flight, self.min_interval))
            self._overrides[host] = (max_in_flight or current[0], current[1] if min_interval is None else min_interval)

    def concurrency(self, host: str) -> int:
        """How many requests to `host` may be in flight at once."""
        with self._lock:
            return self._limits(host)[0]

    def _limits(self, host: str) -> tuple[int, float]:
        return self._overrides.get(host, (self.max_in_flight, self.min_interval))

    @contextmanager
    def slot(self, host: str, max_block: float = float("inf")) -> Iterator[None]:
        """Wait until a request to `host` may start, and hold one of its in-flight places. With
        shared spacing, raises HostBlocked when another process learned that the host asked to wait
        longer than `max_block` (this process checks its own pauses with `blocked_for`)."""
        with self._lock:
            asked = self._clock()
            stats = self._stats.setdefault(host, [0, 0.0, 0.0, 0, 0])
            stats[3] += 1
            stats[4] = max(stats[4], stats[3])
            while self._in_flight.get(host, 0) >= self._limits(host)[0]:
                self._lock.wait()
            stats[3] -= 1
            self._in_flight[host] = self._in_flight.get(host, 0) + 1
            now = self._clock()
            start = max(now, self._next_start.get(host, now), self._blocked_until.get(host, now))
            self._next_start[host] = start + self._limits(host)[1]
            shared, spacing = self.shared, self._limits(host)[1]
        began = None
        try:
            if shared is not None:  # the start reserved across processes is the one that counts
                start, now = now + shared.reserve(host, spacing + shared_slack(spacing), max_block), now
            if start > now:
                self._sleep(start - now)
            began = self._clock()
            yield
        finally:
            with self._lock:
                self._in_flight[host] -= 1
                ended = self._clock()
                stats[0] += 1
                stats[1] += ended - (began if began is not None else ended)
                stats[2] += (began if began is not None else ended) - asked
                self._lock.notify_all()

    def block(self, host: str, seconds: float) -> None:
        """No request to `host` starts for `seconds` (a 429 or 503 with Retry-After)."""
        with self._lock:
            until = self._clock() + seconds
            self._blocked_until[host] = max(self._blocked_until.get(host, 0.0), until)
            shared = self.shared
        if shared is not None:
            shared.block(host, seconds)

    def slow_down(self, host: str, ceiling: float = 60.0) -> None:
        """After a 429: double the host's minimum interval (at least 1 s, at most `ceiling`)."""
        with self._lock:
            max_in_flight, min_interval = self._limits(host)
            self._overrides[host] = (max_in_flight, min(max(min_interval * 2, 1.0), ceiling))

    def blocked_for(self, host: str) -> float:
        """Seconds left before `host` may be asked again (0 when it may be asked now)."""
        with self._lock:
            return max(0.0, self._blocked_until.get(host, 0.0) - self._clock())

    def queues(self) -> list[HostQueue]:
        """Every host asked since the gate was made (or since `reset_queues`), the one that needs
        the most time first (see HostQueue.least_seconds)."""
        with self._lock:
            found = [
                HostQueue(host, stats[0], stats[1], stats[2], stats[4], self._limits(host)[0])
                for host, stats in self._stats.items()
            ]
        return sorted(found, key=lambda q: (-q.least_seconds, q.host))

    def reset_queues(self) -> None:
        with self._lock:
            self._stats = {host: [0, 0.0, 0.0, stats[3], stats[3]] for host, stats in self._stats.items() if stats[3]}

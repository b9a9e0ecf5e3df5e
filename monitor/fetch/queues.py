"""Requests for many hosts on one pool of threads, each host asked no more at once than it takes.

A run has, say, 150 pages to fetch from 19 outlets and a few redirects to ask an aggregator.
Handing them to the threads in the order of the entries lets a slow host take every thread: the
requests queued behind its politeness gate hold their threads while the other hosts wait.
`HostQueues` starts a job only when its host has a free place (its `per_host_concurrency`) and a
thread is free, taking the hosts in turn, so every host's queue drains at the pace that host
allows and the slowest one is the run's only critical path.

Jobs run in the threads; what they return is handed back in the calling thread (the archive's
writer) in the order the jobs were added, whatever order they finish in, so a run stores its
articles in the same order every time. A step may add the next step of the same job (a redirect
asked, then the page it leads to); the job's place in the order holds until its last step. At
most `max_waiting` finished results wait for an earlier one at any time: past that, only the
earliest job's steps start, and memory stays bounded.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from typing import Any


@dataclass
class _Step:
    host: str
    key: int
    work: Callable[[], Any]
    then: Callable[[Any], None]


class HostQueues:
    def __init__(
        self,
        pool: Executor,
        threads: int,
        concurrency: Callable[[str], int],
        stopping: threading.Event,
        max_waiting: int = 256,
    ) -> None:
        self._pool = pool
        self._threads = max(1, threads)
        self._concurrency = concurrency
        self._stopping = stopping
        self._max_waiting = max_waiting
        self._queued: dict[str, deque[_Step]] = {}  # host -> steps not started, in the order added
        self._turn: deque[str] = deque()  # hosts with queued steps, in turn
        self._running: dict[Future, _Step] = {}
        self._per_host: dict[str, int] = {}
        self._finished: dict[int, tuple[_Step, Future]] = {}  # key -> a step done, waiting for its turn
        self._open: dict[int, int] = {}  # key -> steps added and not yet handed back
        self._next_key = 0  # the next key handed back
        self._keys = 0

    def add(self, host: str, work: Callable[[], Any], then: Callable[[Any], None]) -> int:
        """Run `work()` in a thread when `host` has a free place; `then(result)` later in the
        calling thread, in the order of `add`. Returns the job's key (for `follow`)."""
        key = self._keys
        self._keys += 1
        self._queue(_Step(host, key, work, then))
        return key

    def follow(self, key: int, host: str, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """The next step of job `key` (called from its `then`): its turn in the order is kept."""
        self._queue(_Step(host, key, work, then))

    def run(self) -> bool:
        """Run every job to its end (the steps they add included). False when stopped first: the
        steps in flight are abandoned, those not started never start."""
        while self._open:
            if self._stopping.is_set():
                return False
            self._start()
            if self._running:
                done, _ = wait(list(self._running), timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    step = self._running.pop(future)
                    self._per_host[step.host] -= 1
                    self._finished[step.key] = (step, future)
            if self._stopping.is_set():
                return False
            self._hand_back()
        return True

    def _queue(self, step: _Step) -> None:
        self._open[step.key] = self._open.get(step.key, 0) + 1
        if step.host not in self._queued or not self._queued[step.host]:
            self._queued.setdefault(step.host, deque())
            self._turn.append(step.host)
        self._queued[step.host].append(step)

    def _start(self) -> None:
        """Start steps while a thread is free, taking the hosts with a free place in turn."""
        blocked = 0
        while self._turn and len(self._running) < self._threads and blocked < len(self._turn):
            host = self._turn[0]
            queue = self._queued[host]
            step = queue[0]
            crowded = len(self._finished) >= self._max_waiting and step.key != self._next_key
            if self._per_host.get(host, 0) >= max(1, self._concurrency(host)) or crowded:
                self._turn.rotate(-1)
                blocked += 1
                continue
            queue.popleft()
            self._turn.popleft()
            if queue:
                self._turn.append(host)
            self._per_host[host] = self._per_host.get(host, 0) + 1
            self._running[self._pool.submit(step.work)] = step
            blocked = 0

    def _hand_back(self) -> None:
        """Hand back the finished steps whose turn it is, in the order of their jobs."""
        while self._next_key in self._finished:
            step, future = self._finished.pop(self._next_key)
            self._open[step.key] -= 1
            step.then(future.result())  # may `follow`, which keeps this key open
            if not self._open[step.key]:
                del self._open[step.key]
                self._next_key += 1
        while self._next_key < self._keys and self._next_key not in self._open:
            self._next_key += 1

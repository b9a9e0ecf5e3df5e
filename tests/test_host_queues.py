"""Requests for many hosts on one pool of threads (monitor.fetch.queues): a slow host gets no more
threads than it takes, the others go on, and results come back in the order the jobs were added."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from monitor.fetch.queues import HostQueues


def test_a_slow_host_takes_only_its_places_and_the_others_go_on():
    release = threading.Event()
    ran: list[str] = []
    lock = threading.Lock()
    slow_at_once = [0, 0]  # now, most

    def slow(n):
        def work():
            with lock:
                slow_at_once[0] += 1
                slow_at_once[1] = max(slow_at_once[1], slow_at_once[0])
                ran.append(f"slow{n}")
            release.wait(30)  # held until every fast job ran: only possible if the fast jobs got threads
            with lock:
                slow_at_once[0] -= 1
            return f"slow{n}"
        return work

    def fast(n):
        def work():
            with lock:
                ran.append(f"fast{n}")
                if sum(name.startswith("fast") for name in ran) == 20:
                    release.set()
            return f"fast{n}"
        return work

    handed: list[str] = []
    with ThreadPoolExecutor(4) as pool:
        queues = HostQueues(pool, 4, lambda host: 1 if host == "slow" else 2, threading.Event())
        for n in range(3):
            queues.add("slow", slow(n), handed.append)
        for n in range(20):
            queues.add(f"fast{n % 5}", fast(n), handed.append)
        assert queues.run()
    assert release.is_set() and slow_at_once[1] == 1
    assert ran.index("slow1") > max(ran.index(f"fast{n}") for n in range(20))  # the fast ones did not wait for it
    assert handed == [f"slow{n}" for n in range(3)] + [f"fast{n}" for n in range(20)]  # in the order added


def test_a_next_step_keeps_its_job_s_turn():
    handed: list[str] = []
    with ThreadPoolExecutor(2) as pool:
        queues = HostQueues(pool, 2, lambda host: 2, threading.Event())

        def first_done(result):
            handed.append(result)
            queues.follow(key, "b", lambda: "first, step 2", handed.append)

        key = queues.add("a", lambda: "first, step 1", first_done)
        queues.add("c", lambda: "second", handed.append)
        assert queues.run()
    assert handed == ["first, step 1", "first, step 2", "second"]


def test_stopping_leaves_what_has_not_started():
    stopping = threading.Event()
    started = []
    with ThreadPoolExecutor(1) as pool:
        queues = HostQueues(pool, 1, lambda host: 1, stopping)
        queues.add("a", lambda: started.append(1) or stopping.set(), lambda result: None)
        queues.add("a", lambda: started.append(2), lambda result: None)
        assert queues.run() is False
    assert started == [1]

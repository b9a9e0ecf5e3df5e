"""Per-host politeness shared by every worker of one PostgreSQL archive (table `host_slots`).

Each host has the earliest moment its next request may start, by the database's clock: a worker
reserves the next start (at least `spacing` after the last one reserved, by any worker) and waits
until then; a host that asked everyone to wait (429, 503 with Retry-After) pushes the moment back.
One connection in autocommit mode, shared by a process's fetch threads (one statement at a time).
"""

from __future__ import annotations

import threading

from monitor.fetch.politeness import HostBlocked
from monitor.store.db import PostgresDatabase


class HostSlots:
    def __init__(self, url: str) -> None:
        self._db = PostgresDatabase(url, application_name="sovereign-ai-monitor host slots")
        self._guard = threading.Lock()

    def reserve(self, host: str, spacing: float, max_block: float) -> float:
        """Reserve the next request start to `host`, `spacing` seconds after the one reserved
        before it (by any worker) and not before now. Returns the seconds to wait until it; raises
        HostBlocked, reserving nothing, when the host asked to wait longer than `max_block`."""
        with self._guard:
            wait, blocked = self._db.execute(
                """INSERT INTO host_slots (host, next_start) VALUES (:host, statement_timestamp() + make_interval(secs => :spacing))
                   ON CONFLICT (host) DO UPDATE
                     SET next_start = CASE
                       WHEN host_slots.blocked_until > statement_timestamp() + make_interval(secs => :max_block)
                         THEN host_slots.next_start
                       ELSE greatest(host_slots.next_start, statement_timestamp()) + make_interval(secs => :spacing) END
                   RETURNING extract(epoch FROM next_start - statement_timestamp()) - :spacing,
                             extract(epoch FROM blocked_until - statement_timestamp())""",
                {"host": host, "spacing": spacing, "max_block": max_block},
            ).fetchone()
        if blocked is not None and float(blocked) > max_block:
            raise HostBlocked(float(blocked))
        return max(0.0, float(wait))

    def block(self, host: str, seconds: float) -> None:
        """No worker starts a request to `host` for `seconds` from now."""
        with self._guard:
            self._db.execute(
                """INSERT INTO host_slots (host, next_start, blocked_until)
                   VALUES (:host, statement_timestamp() + make_interval(secs => :seconds),
                           statement_timestamp() + make_interval(secs => :seconds))
                   ON CONFLICT (host) DO UPDATE
                     SET next_start = greatest(host_slots.next_start, excluded.next_start),
                         blocked_until = greatest(host_slots.blocked_until, excluded.blocked_until)""",
                {"host": host, "seconds": seconds},
            )

    def close(self) -> None:
        with self._guard:
            self._db.close()

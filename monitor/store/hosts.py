"""Per-host politeness shared by every worker of one PostgreSQL archive (table `host_slots`).

Each host has the earliest moment its next request may start, by the database's clock: a worker
reserves the next start (at least `spacing` after the last one reserved, by any worker) and waits
until then; a host that asked everyone to wait (429, 503 with Retry-After) pushes the moment back.
One connection in autocommit mode, shared by a process's fetch threads (one statement at a time).
"""

from __future__ import annotations

import threading

from monitor.store.db import PostgresDatabase


class HostSlots:
    def __init__(self, url: str) -> None:
        self._db = PostgresDatabase(url, application_name="sovereign-ai-monitor host slots")
        self._guard = threading.Lock()

    def reserve(self, host: str, spacing: float) -> float:
        """Reserve the next request start to `host`, `spacing` seconds after the one reserved
        before it (by any worker) and not before now. Returns the seconds to wait until it."""
        with self._guard:
            row = self._db.execute(
                """INSERT INTO host_slots (host, next_start) VALUES (?, statement_timestamp() + make_interval(secs => ?))
                   ON CONFLICT (host) DO UPDATE
                     SET next_start = greatest(host_slots.next_start, statement_timestamp()) + make_interval(secs => ?)
                   RETURNING extract(epoch FROM next_start - statement_timestamp())""",
                [host, spacing, spacing],
            ).fetchone()
        return max(0.0, float(row[0]) - spacing)

    def block(self, host: str, seconds: float) -> None:
        """No worker starts a request to `host` for `seconds` from now."""
        with self._guard:
            self._db.execute(
                """INSERT INTO host_slots (host, next_start) VALUES (?, statement_timestamp() + make_interval(secs => ?))
                   ON CONFLICT (host) DO UPDATE
                     SET next_start = greatest(host_slots.next_start, statement_timestamp() + make_interval(secs => ?))""",
                [host, seconds, seconds],
            )

    def close(self) -> None:
        with self._guard:
            self._db.close()

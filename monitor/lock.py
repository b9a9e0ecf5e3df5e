"""A lock beside the archive so that two runs (two cron jobs, cron and a daemon) never work at once.

An OS file lock (flock): it is released by the kernel when the holder exits, however it exits,
so a run killed with kill -9 never leaves a stale lock behind. A PostgreSQL archive has no such
lock: its workers share the work through leases (monitor.store.archive), so `run_lock` gives none.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path


class LockBusy(RuntimeError):
    """Another run holds the archive's lock."""


class RunLock:
    def __init__(self, archive_path: str | Path) -> None:
        self.path = Path(f"{archive_path}.lock")
        self._fd: int | None = None

    def acquire(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise LockBusy(f"another run (pid {holder}) is working on this archive ({self.path})") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def run_lock(location: str | Path) -> AbstractContextManager:
    """The lock a run takes on the archive at `location`: the file lock beside a SQLite archive;
    none for a PostgreSQL one, whose workers work side by side on leased feeds and entries."""
    from monitor.store.db import is_database_url

    return nullcontext() if is_database_url(str(location)) else RunLock(location)

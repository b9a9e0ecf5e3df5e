"""Other processes seen from a test: which processes one started, and whether one has ended."""

from __future__ import annotations

import os
import select
from pathlib import Path


def children(pid: int) -> list[int]:
    """The processes `pid` started (from any of its threads) and that still run."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that just ended
            continue
    return found


def gone(pid: int, within: float = 30.0) -> bool:
    """Whether the process `pid` (not necessarily our child) ends within `within` seconds: waits
    on its pidfd, which becomes readable when it ends."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([handle], [], [], within)[0])
    finally:
        os.close(handle)

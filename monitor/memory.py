"""glibc's malloc knobs for the monitor's processes (no-ops where the C library is not glibc).

- `few_arenas()`: glibc gives every thread that allocates its own heap arena (up to eight per
  core) and keeps what each one held; the monitor's I/O threads (feed bodies, pages, parsed
  entries) left the daemon's resident memory about 10 MB higher than with two arenas
  (`bench/memory.py`: 90 -> 80 MB for the daemon over 10,000 articles). Called once, before the
  threads start.
- `trimmer()`: a function that gives the heap's free pages back to the system (lxml and
  trafilatura free much of what a page took, but the heap keeps it); the extraction workers call it
  every few tasks.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

ARENAS = 2  # heap arenas in the monitor's own process
_M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)


def _libc():
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def few_arenas(arenas: int = ARENAS) -> bool:
    """Cap the number of malloc arenas of this process. True when glibc accepted it."""
    libc = _libc()
    try:
        return bool(libc is not None and libc.mallopt(_M_ARENA_MAX, arenas))
    except AttributeError:
        return False


def trimmer() -> Callable[[], object]:
    """glibc's malloc_trim(0), or a no-op."""
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    return (lambda: trim(0)) if trim is not None else (lambda: None)

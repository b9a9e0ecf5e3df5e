"""The fetch stage: HTTP with limits and politeness, robots.txt, and decoding bytes to text.

The names below are loaded on first use (PEP 562), so that a process that only decodes pages (an
extraction worker, monitor.workers) never imports the HTTP client.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "Decoded": "monitor.fetch.encoding",
    "decode": "monitor.fetch.encoding",
    "Fetcher": "monitor.fetch.http",
    "FetchError": "monitor.fetch.http",
    "FetchRecord": "monitor.fetch.http",
    "FetchResult": "monitor.fetch.http",
    "HostGate": "monitor.fetch.politeness",
    "HostQueue": "monitor.fetch.politeness",
    "RobotsPolicy": "monitor.fetch.robots",
    "RobotsVerdict": "monitor.fetch.robots",
}

__all__ = sorted(_WHERE)

if TYPE_CHECKING:
    from monitor.fetch.encoding import Decoded, decode
    from monitor.fetch.http import Fetcher, FetchError, FetchRecord, FetchResult
    from monitor.fetch.politeness import HostGate, HostQueue
    from monitor.fetch.robots import RobotsPolicy, RobotsVerdict


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'monitor.fetch' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value

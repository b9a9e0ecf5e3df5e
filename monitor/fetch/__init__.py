"""The fetch stage: HTTP with limits and politeness, robots.txt, and decoding bytes to text."""

from monitor.fetch.encoding import Decoded, decode
from monitor.fetch.http import Fetcher, FetchError, FetchRecord, FetchResult
from monitor.fetch.politeness import HostGate
from monitor.fetch.robots import RobotsPolicy, RobotsVerdict

__all__ = [
    "Decoded",
    "decode",
    "Fetcher",
    "FetchError",
    "FetchRecord",
    "FetchResult",
    "HostGate",
    "RobotsPolicy",
    "RobotsVerdict",
]

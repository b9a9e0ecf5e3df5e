"""When to poll a feed next: pure functions, unit-tested with any clock.

- Adaptive intervals (the overlap rule large pollers use): a poll whose entries are mostly known
  (> 2/3) or that found nothing lengthens the interval, one with mostly new entries (< 1/3 known)
  shortens it; clamped to the feed's bounds. A feed with a fixed interval keeps it.
- Floors: the feed's own <ttl> and sy:updatePeriod/updateFrequency, the response's Cache-Control
  max-age and Retry-After: we never come back sooner than the publisher asked.
- Failures: a weighted count (hard errors weigh more than timeouts and 5xx) drives an exponential
  backoff up to a cap; past the cap the feed stays in a slow lane, retried at the cap forever.
- Jitter, so that the feeds of one host do not fire together.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

LENGTHEN = 1.5
SHORTEN = 2 / 3
HARD_FAILURE = 1.0  # 4xx, not a feed, TLS, DNS: something is wrong with the feed itself
SOFT_FAILURE = 0.5  # timeouts, connection trouble, 5xx: the site may be back soon
_UPDATE_PERIODS = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400, "monthly": 30 * 86400, "yearly": 365 * 86400}


@dataclass(frozen=True)
class PollPolicy:
    min_interval: float = 300.0
    max_interval: float = 6 * 3600.0
    backoff_cap: float = 24 * 3600.0
    jitter: float = 0.1  # up to this share of the interval, added at random


def adapt_interval(current: float, *, new: int, total: int, policy: PollPolicy, fixed: bool = False) -> float:
    """The next regular interval after a successful poll that saw `total` entries, `new` of them new.
    `total` 0 means nothing came back (304, unchanged body, empty feed)."""
    if fixed:
        return current
    known_share = 1.0 if total == 0 else (total - new) / total
    if known_share > 2 / 3:
        current *= LENGTHEN
    elif known_share < 1 / 3:
        current *= SHORTEN
    return min(max(current, policy.min_interval), policy.max_interval)


def publisher_floor(
    *,
    ttl_minutes: str | int | None = None,
    update_period: str | None = None,
    update_frequency: str | int | None = None,
    cache_control: str | None = None,
    retry_after: float | None = None,
) -> float:
    """The shortest wait the publisher asked for, in seconds (0 when it asked for none)."""
    floors = [0.0]
    if ttl_minutes is not None and str(ttl_minutes).strip().isdigit():
        floors.append(int(str(ttl_minutes).strip()) * 60.0)
    if update_period and update_period.strip().lower() in _UPDATE_PERIODS:
        frequency = int(update_frequency) if str(update_frequency or "").strip().isdigit() else 1
        floors.append(_UPDATE_PERIODS[update_period.strip().lower()] / max(frequency, 1))
    if cache_control:
        match = re.search(r"max-age\s*=\s*(\d+)", cache_control)
        if match:
            floors.append(float(match.group(1)))
    if retry_after:
        floors.append(float(retry_after))
    return max(floors)


def failure_weight(kind: str, status: int | None, message: str = "") -> float:
    """How much one failed poll counts toward the backoff. `kind` is a FetchError kind, or "feed"
    for a document that is not a feed."""
    if kind == "timeout":
        return SOFT_FAILURE
    if kind == "http" and status is not None and (status >= 500 or status in (408, 425, 429)):
        return SOFT_FAILURE
    if kind == "network" and not re.search(r"not known|nodename|getaddrinfo|certificate", message, re.I):
        return SOFT_FAILURE  # refused or reset; an unknown host or a bad certificate is hard
    return HARD_FAILURE


def backoff(interval: float, weight: float, policy: PollPolicy) -> float:
    """Wait after a failure: the regular interval doubled per unit of weighted failures, capped.
    A feed at the cap is in the slow lane: still retried, once per `backoff_cap`."""
    if weight <= 0:
        return interval
    return min(interval * 2**weight, policy.backoff_cap)


def in_slow_lane(interval: float, weight: float, policy: PollPolicy) -> bool:
    return weight > 0 and backoff(interval, weight, policy) >= policy.backoff_cap


def feed_state(interval: float, weight: float, error_count: int, failing_threshold: int, policy: PollPolicy) -> str:
    """How a feed stands, as `monitor status` and the digest report it: 'failing' (this many
    failed polls in a row), 'slow lane' (retried about once a day), 'backoff', or 'ok'."""
    if error_count >= failing_threshold:
        return "failing"
    if weight:
        return "slow lane" if in_slow_lane(interval, weight, policy) else "backoff"
    return "ok"


def jittered(seconds: float, policy: PollPolicy, rng: random.Random | None = None) -> float:
    return seconds * (1 + (rng or random).uniform(0, policy.jitter))


@dataclass(frozen=True)
class PollSeen:
    """What one poll of a feed found, as far as the next poll depends on it."""

    failed: bool
    entries: int = 0  # entries in the document (0: none read, a 304 or an unchanged body)
    error_kind: str | None = None  # a FetchError kind, or "feed" for a document that is not a feed
    error_status: int | None = None
    error_message: str = ""
    ttl_minutes: str | int | None = None
    update_period: str | None = None
    update_frequency: str | int | None = None
    cache_control: str | None = None
    retry_after: float | None = None


@dataclass(frozen=True)
class NextPoll:
    """The feed's schedule after a poll: its regular interval, when to poll it next, and its
    failures in a row (count and weight; both 0 after a success)."""

    interval: float
    next_poll_at: datetime
    error_count: int
    failure_weight: float


def next_poll(
    *,
    interval: float,
    fixed: bool,
    error_count: int,
    weight: float,
    seen: PollSeen,
    new: int,
    now: datetime,
    policy: PollPolicy,
    rng: random.Random | None = None,
) -> NextPoll:
    """When to poll a feed next, after a poll that found `seen` with `new` new entries: a failure
    backs off by its weighted count, a success adapts the interval; the publisher's floors hold
    either way, and jitter keeps one host's feeds apart."""
    if seen.failed:
        weight = weight + failure_weight(seen.error_kind or "feed", seen.error_status, seen.error_message)
        wait = backoff(interval, weight, policy)
        error_count += 1
    else:
        interval = adapt_interval(interval, new=new, total=seen.entries, policy=policy, fixed=fixed)
        wait, weight, error_count = interval, 0.0, 0
    floor = publisher_floor(
        ttl_minutes=seen.ttl_minutes,
        update_period=seen.update_period,
        update_frequency=seen.update_frequency,
        cache_control=seen.cache_control,
        retry_after=seen.retry_after,
    )
    return NextPoll(interval, now + timedelta(seconds=jittered(max(wait, floor), policy, rng)), error_count, weight)

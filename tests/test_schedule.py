"""Scheduling rules (pure) and the pipeline driven by an injected clock."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from monitor.pipeline import Pipeline
from monitor.schedule import (
    NextPoll,
    PollSeen,
    next_poll,
    HARD_FAILURE,
    SOFT_FAILURE,
    PollPolicy,
    adapt_interval,
    backoff,
    failure_weight,
    in_slow_lane,
    jittered,
    publisher_floor,
)

from conftest import site_config

POLICY = PollPolicy(min_interval=300, max_interval=6 * 3600, backoff_cap=24 * 3600, jitter=0.1)
NOW = datetime(2026, 11, 24, 0, 0, tzinfo=timezone.utc)


def test_overlap_rule_lengthens_shortens_and_clamps():
    assert adapt_interval(1800, new=0, total=30, policy=POLICY) == 2700  # all known: x1.5
    assert adapt_interval(1800, new=0, total=0, policy=POLICY) == 2700  # nothing came back
    assert adapt_interval(1800, new=25, total=30, policy=POLICY) == 1200  # mostly new: x2/3
    assert adapt_interval(1800, new=15, total=30, policy=POLICY) == 1800  # in between: kept
    assert adapt_interval(310, new=30, total=30, policy=POLICY) == 300  # clamped to the minimum
    assert adapt_interval(6 * 3600, new=0, total=10, policy=POLICY) == 6 * 3600  # and the maximum
    assert adapt_interval(900, new=30, total=30, policy=POLICY, fixed=True) == 900


def test_publisher_floors():
    assert publisher_floor() == 0
    assert publisher_floor(ttl_minutes="60") == 3600
    assert publisher_floor(update_period="hourly", update_frequency="2") == 1800
    assert publisher_floor(update_period="daily") == 86400
    assert publisher_floor(cache_control="public, max-age=900") == 900
    assert publisher_floor(ttl_minutes="30", retry_after=7200) == 7200


def test_failure_weights():
    assert failure_weight("timeout", None) == SOFT_FAILURE
    assert failure_weight("http", 503) == SOFT_FAILURE
    assert failure_weight("http", 404) == HARD_FAILURE
    assert failure_weight("feed", None) == HARD_FAILURE  # not a feed
    assert failure_weight("network", None, "ConnectError: [Errno 111] Connection refused") == SOFT_FAILURE
    assert failure_weight("network", None, "ConnectError: [Errno -2] Name or service not known") == HARD_FAILURE


def test_backoff_grows_to_a_cap_then_a_slow_lane_that_still_retries():
    waits = [backoff(1800, weight, POLICY) for weight in (0, 0.5, 1, 2, 3, 5, 50)]
    assert waits == sorted(waits) and waits[0] == 1800 and waits[-1] == 24 * 3600
    assert not in_slow_lane(1800, 1, POLICY) and in_slow_lane(1800, 50, POLICY)


def test_jitter_stays_within_its_share():
    rng = random.Random(1)
    values = [jittered(1000, POLICY, rng) for _ in range(200)]
    assert min(values) >= 1000 and max(values) <= 1100 and len(set(values)) > 100


def feed_row(archive, name):
    return archive.db.execute(
        "SELECT error_count, failure_weight, interval_s, next_poll_at, last_status FROM feeds WHERE name = ?", [name]
    ).fetchone()


def test_the_next_poll_is_a_pure_decision():
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    policy = PollPolicy(jitter=0)
    mostly_new = next_poll(interval=1800, fixed=False, error_count=3, weight=1.5, seen=PollSeen(failed=False, entries=9),
                           new=9, now=now, policy=policy)  # fmt: skip
    assert mostly_new == NextPoll(1200.0, now + timedelta(seconds=1200), 0, 0.0)
    failed = next_poll(interval=1800, fixed=False, error_count=3, weight=1.0, seen=PollSeen(failed=True, error_kind="timeout"),
                       new=0, now=now, policy=policy)  # fmt: skip
    assert failed == NextPoll(1800, now + timedelta(seconds=1800 * 2**1.5), 4, 1.5)  # interval kept, backoff grows
    floored = next_poll(interval=1800, fixed=True, error_count=0, weight=0, seen=PollSeen(failed=False, ttl_minutes=120),
                        new=0, now=now, policy=policy)  # fmt: skip
    assert floored.next_poll_at == now + timedelta(hours=2) and floored.interval == 1800


def test_a_feed_failing_50_times_is_still_retried_and_recovers_on_its_first_success(server, archive):
    server.add_route("/flaky.xml", "down", "text/plain", status=500)
    config = site_config(server, feeds=[{"name": "flaky", "url": server.base_url + "/flaky.xml", "lang": "en", "kind": "topical"}])
    now = NOW
    for attempt in range(1, 51):
        pipeline = Pipeline(archive, config, clock=lambda now=now: now)
        summary = pipeline.run_once()
        pipeline.close()
        assert summary.feeds_polled == 1, f"poll {attempt} did not happen"
        errors, weight, interval, next_poll, _ = feed_row(archive, "flaky")
        assert errors == attempt and weight == attempt * SOFT_FAILURE
        wait = (datetime.fromisoformat(next_poll.replace("Z", "+00:00")) - now).total_seconds()
        assert wait <= config.poll.backoff_cap * (1 + config.poll.jitter) + 1
        now = datetime.fromisoformat(next_poll.replace("Z", "+00:00"))  # come back exactly when due
    assert wait >= config.poll.backoff_cap  # deep in the slow lane, yet polled every time it was due
    assert server.count("/flaky.xml") == 50
    back = b'<rss version="2.0"><channel><title>Back</title><item><title>a</title><link>https://x.example/1</link></item></channel></rss>'
    server.add_route("/flaky.xml", back, "application/rss+xml")
    pipeline = Pipeline(archive, config, clock=lambda: now)
    pipeline.run_once()
    pipeline.close()
    errors, weight, interval, next_poll, status = feed_row(archive, "flaky")
    assert (errors, weight, status) == (0, 0, "ok")
    wait = (datetime.fromisoformat(next_poll.replace("Z", "+00:00")) - now).total_seconds()
    assert wait <= config.poll.max_interval * (1 + config.poll.jitter)


def test_intervals_adapt_to_how_much_is_new(server, archive):
    config = site_config(server, feeds=[{"name": "ledger", "url": server.base_url + "/ledger/feed.xml", "lang": "en", "kind": "topical"}])
    start = 1800.0
    Pipeline(archive, config, clock=lambda: NOW).run_once()
    first = feed_row(archive, "ledger")[2]
    assert first == start * 2 / 3  # every entry was new
    later = NOW + timedelta(hours=3)
    Pipeline(archive, config, clock=lambda: later).run_once()
    second = feed_row(archive, "ledger")[2]
    assert second == first * 1.5  # a 304: nothing new


def test_a_fixed_interval_does_not_adapt(server, archive):
    feeds = [{"name": "ledger", "url": server.base_url + "/ledger/feed.xml", "lang": "en", "kind": "topical", "poll_interval": "15m"}]
    Pipeline(archive, site_config(server, feeds=feeds), clock=lambda: NOW).run_once()
    assert feed_row(archive, "ledger")[2] == 900


def test_the_feeds_ttl_is_a_floor(server, archive):
    config = site_config(server, feeds=[{"name": "hanbit", "url": server.base_url + "/hanbit/feed.xml", "lang": "ko", "kind": "general"}])
    config = config.__class__(**{**config.__dict__, "poll": PollPolicy(min_interval=60, max_interval=3600, jitter=0)})
    Pipeline(archive, config, clock=lambda: NOW).run_once()
    next_poll = feed_row(archive, "hanbit")[3]
    assert next_poll == (NOW + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")  # <ttl>30</ttl> beats 20 min

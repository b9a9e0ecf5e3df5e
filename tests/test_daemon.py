"""The real daemon as a subprocess against the loopback fixture site."""

from __future__ import annotations

import signal
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from monitor.daemon import HEARTBEAT, LAST_DIGEST
from monitor.demo import demo_feeds
from monitor.demo.site import article_path
from monitor.store import Archive

from conftest import monitor, write_config

ALL_ARTICLES = 40


def wait_for(condition, timeout: float = 60.0, what: str = "condition") -> None:
    """Poll for a condition the daemon brings about (a deadline, not a timing assumption)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def archive_counts(db: Path) -> dict:
    if not db.exists():
        return {"articles": 0, "pending": -1}
    with Archive(db) as archive:
        return archive.counts()


def noon_zone() -> str:
    """A time zone where it is around noon now, so a digest time a few seconds ahead stays today."""
    offset = (12 - datetime.now(timezone.utc).hour) % 24
    offset = offset - 24 if offset > 14 else offset
    return "Etc/GMT" + (f"-{offset}" if offset > 0 else f"+{-offset}" if offset < 0 else "")


def stop(process, timeout: float = 10.0) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout)  # raises if the daemon does not stop within the timeout


def test_daemon_polls_writes_the_digest_at_its_time_and_stops_on_sigterm(server, tmp_path):
    zone = noon_zone()
    due = datetime.now(ZoneInfo(zone)) + timedelta(seconds=8)
    at = due.strftime("%H:%M:%S")
    digests = tmp_path / "digests"
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server), daemon_tick="1h",
                          digest={"time": at, "timezone": zone, "folder": str(digests)})  # fmt: skip
    db = tmp_path / "monitor.sqlite3"
    process = monitor("daemon", "--config", str(config), "--db", str(db))
    try:
        wait_for(lambda: archive_counts(db)["articles"] == ALL_ARTICLES and archive_counts(db)["pending"] == 0, what="the first cycle")
        yesterday = datetime.now(ZoneInfo(zone)).date() - timedelta(days=1)
        expected = digests / f"{yesterday.isoformat()}.md"
        wait_for(expected.exists, timeout=30, what=f"the digest {expected.name} at {at} {zone}")
        # Markdown, HTML and JSON of that day, and the Atom feed; nothing was caught up on a first start.
        assert sorted(digests.iterdir()) == sorted([expected.with_suffix(s) for s in (".html", ".json", ".md")] + [digests / "feed.atom"])
        assert expected.stat().st_mtime >= due.replace(microsecond=0).timestamp()  # written at its time, not before
        assert "# Sovereign AI monitor: " + yesterday.isoformat() in expected.read_text(encoding="utf-8")
    finally:
        code = stop(process)
    out, err = process.communicate()
    assert code == 0, err
    assert "daemon stopped" in err and "cycle: polled 12 feeds" in err
    with Archive(db) as archive:
        assert archive.state(HEARTBEAT) is not None and archive.state(LAST_DIGEST) == yesterday.isoformat()


def test_a_missed_digest_is_caught_up_once_after_downtime(server, tmp_path):
    digests = tmp_path / "digests"
    db = tmp_path / "monitor.sqlite3"
    with Archive(db) as archive:  # the daemon last wrote a digest a week ago, then was down
        archive.set_state(LAST_DIGEST, (date.today() - timedelta(days=7)).isoformat(), datetime.now(timezone.utc))
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server), daemon_tick="1h",
                          digest={"time": "00:00", "timezone": "UTC", "folder": str(digests)})  # fmt: skip
    process = monitor("daemon", "--config", str(config), "--db", str(db))
    try:
        wait_for(lambda: any(digests.glob("*.md")), what="the caught-up digest")
        wait_for(lambda: archive_counts(db)["pending"] == 0 and archive_counts(db)["articles"] == ALL_ARTICLES, what="the cycle")
    finally:
        assert stop(process) == 0
    yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).date()
    days = [f"{yesterday.isoformat()}.{s}" for s in ("html", "json", "md")]
    assert sorted(p.name for p in digests.iterdir()) == sorted([*days, "feed.atom"])  # one day, not seven


def test_sigterm_mid_cycle_stops_promptly_and_a_restart_completes_the_work(server, tmp_path):
    target = server.site.article("kanto", "ja-04-kanto-kokusan-ai-analysis")
    reached, release = server.hold(article_path(target))
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server), daemon_tick="1s",
                          digest={"folder": str(tmp_path / "digests")})  # fmt: skip
    db = tmp_path / "monitor.sqlite3"
    process = monitor("daemon", "--config", str(config), "--db", str(db))
    try:
        assert reached.wait(60), "the daemon never asked for the held page"
        started = time.monotonic()
        assert stop(process) == 0  # the held request is abandoned, not waited for
        assert time.monotonic() - started < 10
    finally:
        release.set()
    before = archive_counts(db)
    assert before["articles"] < ALL_ARTICLES or before["pending"] > 0

    again = monitor("daemon", "--config", str(config), "--db", str(db))
    try:
        wait_for(lambda: archive_counts(db)["articles"] == ALL_ARTICLES and archive_counts(db)["pending"] == 0, what="the restart")
    finally:
        assert stop(again) == 0
    with Archive(db) as archive:
        urls = [row[0] for row in archive.db.execute("SELECT url FROM articles")]
        assert len(urls) == len(set(urls)) == ALL_ARTICLES


def test_a_cron_run_beside_the_daemon_never_polls_a_feed_twice(server, tmp_path):
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server), daemon_tick="1h",
                          digest={"folder": str(tmp_path / "digests")})  # fmt: skip
    db = tmp_path / "monitor.sqlite3"
    daemon = monitor("daemon", "--config", str(config), "--db", str(db))
    try:
        wait_for(lambda: archive_counts(db)["articles"] == ALL_ARTICLES and archive_counts(db)["pending"] == 0, what="the daemon's cycle")
        cron = monitor("run", "--once", "--config", str(config), "--db", str(db))
        out, err = cron.communicate(timeout=60)
        assert cron.returncode in (0, 75), err  # 75 when it met the daemon's lock
        if cron.returncode == 0:
            assert out.startswith("polled 0 feeds")  # the daemon's poll is recorded: nothing is due
    finally:
        assert stop(daemon) == 0
    feed_urls = [f["url"].replace(server.base_url, "") for f in demo_feeds(server)]
    for path in feed_urls:
        assert sum(1 for hit in server.hits if hit.path == path) == 1, path

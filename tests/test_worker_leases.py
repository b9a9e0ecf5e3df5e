"""Several workers on one PostgreSQL archive: overlapping runs share the work instead of skipping,
and a worker killed with SIGKILL leaves leases that the others take over once they have passed,
with nothing lost and nothing stored twice. Real processes, a real PostgreSQL, the loopback site."""

from __future__ import annotations

import os
import signal
import time

import pytest

from monitor.demo import demo_feeds
from monitor.demo.site import article_path
from monitor.store import Archive

from conftest import fresh_database, monitor, write_config

DEADLINE = 180.0  # seconds for what must happen; the conditions are polled, never slept for


@pytest.fixture
def pg_archive():
    with fresh_database() as url:
        yield url


def assert_complete_and_single(db: str) -> None:
    """The demo site stored whole: every article once, every entry settled, each in its story."""
    with Archive(db) as archive:
        counts = archive.counts()
        assert counts["articles"] == 40 and counts["pending"] == 0, counts
        urls = [row[0] for row in archive.db.execute("SELECT url FROM articles")]
        assert len(urls) == len(set(urls))
        texts = archive.db.execute("SELECT content_hash, source FROM articles WHERE extraction = 'page'").fetchall()
        assert len(texts) == len({tuple(t) for t in texts})
        assert archive.db.execute("SELECT count(*) FROM article_search").fetchone()[0] == 40
        assert archive.db.execute("SELECT count(*) FROM articles WHERE story_id IS NULL OR facts_version IS NULL").fetchone()[0] == 0
        # Copies found across workers: the wire texts are marked as in a single run.
        assert archive.db.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0] == 6
        assert archive.db.execute("SELECT count(*) FROM entries WHERE lease_until IS NOT NULL AND state <> 'pending'").fetchone()[0] == 0


def test_overlapping_runs_on_postgresql_share_the_work(server, tmp_path, pg_archive):
    """Where SQLite's second run skips (exit 75), PostgreSQL's runs both work, on different feeds
    and entries, and every feed is polled once."""
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server))
    runs = [monitor("run", "--once", "--config", str(config), "--db", pg_archive) for _ in range(3)]
    results = [run.communicate(timeout=180) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err for _, err in results]
    assert_complete_and_single(pg_archive)
    polls = [hit.path for hit in server.hits if hit.path.endswith((".xml", ".json", ".rdf", ".atom"))]
    feeds = {feed["url"].removeprefix(server.base_url) for feed in demo_feeds(server)}
    assert sorted(p for p in polls if p in feeds) == sorted(feeds)  # each feed polled once, by one worker


def test_a_killed_workers_leases_are_taken_over_after_the_lease_time(server, tmp_path, pg_archive):
    site = server.site
    held = article_path(site.article("kanto", "ja-04-kanto-kokusan-ai-analysis"))
    reached, release = server.hold(held)
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server), lease_time="8s")
    workers = [monitor("run", "--once", "--config", str(config), "--db", pg_archive) for _ in range(3)]
    try:
        assert reached.wait(60), "no worker reached the held page"
        with Archive(pg_archive) as archive:  # the worker fetching the held page holds its entry's lease
            holder = archive.db.execute(
                "SELECT leased_by FROM entries WHERE link LIKE ? AND state = 'pending' AND leased_by IS NOT NULL LIMIT 1",
                [f"%{held}%"],
            ).fetchone()[0]
        pid = int(holder.split(":")[1])
        victim = next(worker for worker in workers if worker.pid == pid)
        os.kill(pid, signal.SIGKILL)
        victim.wait(30)
    finally:
        release.set()
    assert victim.returncode == -signal.SIGKILL
    with Archive(pg_archive) as archive:  # what the dead worker held when it died
        leased, lease_until = archive.db.execute(
            "SELECT count(*), min(lease_until) FROM entries WHERE leased_by = ? AND state = 'pending'", [holder]
        ).fetchone()
    assert leased >= 1

    # While its lease lasts (by the database's clock), nobody takes what the dead worker held,
    # though the survivors are still working: sampled as often as the database answers.
    samples = 0
    with Archive(pg_archive) as archive:
        while True:
            held_now, lease_running = archive.db.execute(
                "SELECT count(*), clock_timestamp() < ? FROM entries WHERE leased_by = ? AND state = 'pending'",
                [lease_until, holder],
            ).fetchone()
            if not lease_running:
                break
            assert held_now == leased, "taken over before the lease had passed"
            samples += 1
    assert samples > 0
    for worker in survivors_of(workers, victim):
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err

    # Once it has passed, the next runs take them over and finish the work.
    started = time.monotonic()
    while True:
        with Archive(pg_archive) as archive:
            left = archive.db.execute("SELECT count(*) FROM entries WHERE leased_by = ?", [holder]).fetchone()[0]
            pending = archive.counts()["pending"]
        if left == 0 and pending == 0:
            break
        assert time.monotonic() - started < DEADLINE, (left, pending)
        again = monitor("run", "--once", "--config", str(config), "--db", pg_archive)
        assert again.wait(120) == 0, again.stderr.read()
    assert_complete_and_single(pg_archive)


def survivors_of(workers, victim):
    return [worker for worker in workers if worker is not victim]

"""The command line: help texts, exit codes, the lock, and a run killed with SIGKILL."""

from __future__ import annotations

import os
import re
import signal
import time

import pytest
from click.testing import CliRunner

from monitor.cli import main
from monitor.demo import demo_feeds
from monitor.demo.site import article_path
from monitor.lock import RunLock
from monitor.store import Archive

from conftest import REPO, monitor, write_config
from processes import children, gone

COMMANDS = ["init", "run", "daemon", "status", "health", "demo", "feeds", "facts", "relink", "recluster", "digest", "publish", "search", "sql", "copy"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_explains_itself(command):
    result = CliRunner().invoke(main, [command, "--help"] if command else ["--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 5
    if command is None:
        assert all(name in result.output for name in COMMANDS)


def test_bad_config_is_one_clear_line_without_traceback(tmp_path):
    bad = tmp_path / "feeds.yaml"
    bad.write_text("feeds:\n  - {name: x, url: 'https://a/f', lang: kr, kind: general}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["feeds", "--config", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: feeds[0] (x): field 'lang'" in result.output and "Traceback" not in result.output


def test_run_requires_once():
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == 2 and "--once" in result.output


def test_feeds_lists_the_project_feeds():
    result = CliRunner().invoke(main, ["feeds", "--config", str(REPO / "feeds.yaml"), "--db", "/nonexistent/x.sqlite3"])
    assert result.exit_code == 0 and "valid" in result.output and "hani-international" in result.output
    # how each general feed is fetched: read whole, as the shipped file says
    assert re.search(r"hani-international +ko general \(all\) ", result.output)


def test_demo_runs_the_pipeline_into_a_fresh_archive(tmp_path):
    db = tmp_path / "demo.sqlite3"
    for _ in range(2):  # twice: the archive is replaced, not appended to
        result = CliRunner().invoke(main, ["demo", "--db", str(db), "--config", str(REPO / "feeds.yaml")])
        assert result.exit_code == 0, result.output
    assert "demo site at http://127.0.0.1:" in result.output and "stored 40 articles" in result.output
    with Archive(db) as archive:
        langs = dict(archive.db.execute("SELECT lang, count(*) FROM articles GROUP BY lang").fetchall())
    assert langs == {"ko": 13, "ja": 13, "en": 14}
    assert "国産AI" in result.output and "국산 AI" in result.output and "sovereign" in result.output.lower()
    # The table is padded by display width: the topic column starts at the same terminal cell on every row.
    from monitor.text import display_width

    rows = [line for line in result.output.splitlines() if line[:4].strip().isdigit()]
    assert len(rows) == 40
    assert len({display_width(row[: row.index(" on " if " on " in row else " off ")]) for row in rows}) == 1


def test_run_once_then_nothing_new(server, tmp_path):
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server))
    db = tmp_path / "db" / "monitor.sqlite3"
    first = CliRunner().invoke(main, ["run", "--once", "--config", str(config), "--db", str(db)])
    assert first.exit_code == 0 and "stored 40 articles" in first.output
    second = CliRunner().invoke(main, ["run", "--once", "--config", str(config), "--db", str(db)])
    assert second.exit_code == 0 and "0 new entries; stored 0 articles" in second.output


def test_unreachable_network_is_a_systemic_failure(tmp_path):
    config = write_config(tmp_path / "feeds.yaml", [{"name": "x", "url": "http://127.0.0.1:1/f.xml", "lang": "en", "kind": "topical"}])
    result = CliRunner().invoke(main, ["run", "--once", "--config", str(config), "--db", str(tmp_path / "a.sqlite3")])
    assert result.exit_code == 1 and "no feed could be reached" in result.output


def test_an_overlapping_run_does_not_work(server, tmp_path):
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server))
    db = tmp_path / "monitor.sqlite3"
    with RunLock(db):
        process = monitor("run", "--once", "--config", str(config), "--db", str(db))
        out, err = process.communicate(timeout=60)
    assert process.returncode == 75 and "another run" in err
    assert server.hits == []


def runs_until_done(config, db, *, deadline: float = 180.0) -> int:
    """`run --once` again until nothing is pending and every feed was polled, within `deadline`
    seconds: on PostgreSQL the feeds and entries a killed run leased wait for their lease to pass.
    Returns how many runs it took."""
    started, runs = time.monotonic(), 0
    while True:
        again = monitor("run", "--once", "--config", str(config), "--db", str(db))
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        runs += 1
        with Archive(db) as archive:
            counts = archive.counts()
            unpolled = archive.db.execute("SELECT count(*) FROM feeds WHERE last_polled_at IS NULL").fetchone()[0]
        if counts["pending"] == 0 and unpolled == 0 and counts["articles"] >= 40:
            return runs
        assert time.monotonic() - started < deadline, (counts, unpolled)


@pytest.mark.parametrize("held", ["page", "feed"])
def test_a_run_killed_mid_way_is_completed_by_the_next_with_nothing_lost_or_doubled(server, tmp_path, held, backend, archive_location):
    site = server.site
    target = site.article("kanto", "ja-04-kanto-kokusan-ai-analysis")
    path = article_path(target) if held == "page" else "/toto/feed.xml"
    reached, release = server.hold(path)
    # On PostgreSQL what the killed run leased is taken over once its lease has passed.
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server), lease_time="2s")
    db = archive_location
    process = monitor("run", "--once", "--config", str(config), "--db", str(db))
    try:
        assert reached.wait(60), "the run never reached the held request"
        workers = children(process.pid)  # its extraction workers, if it had started them
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
    finally:
        release.set()
    assert process.returncode == -signal.SIGKILL
    assert all(gone(pid) for pid in workers)  # the workers end with the monitor, however it ends
    with Archive(db) as archive:
        stored_before = archive.counts()["articles"]
    assert stored_before < 37  # killed before the end

    runs = runs_until_done(config, db)
    assert backend == "postgresql" or runs == 1  # SQLite: the next run completes it all
    with Archive(db) as archive:
        counts = archive.counts()
        assert counts["articles"] == 40 and counts["pending"] == 0
        urls = [row[0] for row in archive.db.execute("SELECT url FROM articles")]
        assert len(urls) == len(set(urls))
        hashes = archive.db.execute("SELECT content_hash, source FROM articles WHERE extraction = 'page'").fetchall()
        assert len(hashes) == len({tuple(h) for h in hashes})  # no article stored twice (other outlets' copies are their own)
        assert archive.db.execute("SELECT article_id FROM article_urls WHERE url = ?", [server.base_url + path]).fetchone() or held == "feed"
        index = "article_search" if archive.postgres else "articles_fts"
        fts = archive.db.execute(f"SELECT count(*) FROM {index}").fetchone()[0]
        assert fts == 40
        # Fact links are written with their article: none is left unlinked by the kill.
        assert archive.db.execute("SELECT count(*) FROM articles WHERE facts_version IS NULL").fetchone()[0] == 0
        # ... nor outside its copy group and story.
        assert archive.db.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0] == 0
        assert archive.db.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0] == 6


def test_an_unusable_archive_is_a_systemic_failure_in_one_line(tmp_path):
    config = write_config(tmp_path / "feeds.yaml", [{"name": "x", "url": "http://127.0.0.1:1/f.xml", "lang": "en", "kind": "topical"}])
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(main, ["run", "--once", "--config", str(config), "--db", str(blocker / "a.sqlite3")])
    assert result.exit_code == 1 and result.output.startswith("error: ") and "Traceback" not in result.output


def test_status_shows_each_feed_and_fails_when_a_feed_keeps_failing(server, tmp_path):
    feeds = demo_feeds(server)[:2] + [{"name": "dead", "url": server.base_url + "/faults/status/404", "lang": "en", "kind": "topical"}]
    config = write_config(tmp_path / "feeds.yaml", feeds)
    db = tmp_path / "monitor.sqlite3"
    assert CliRunner().invoke(main, ["run", "--once", "--config", str(config), "--db", str(db)]).exit_code == 0
    healthy = CliRunner().invoke(main, ["status", "--config", str(config), "--db", str(db)])
    assert healthy.exit_code == 0, healthy.output
    lines = {line.split()[0]: line for line in healthy.output.splitlines()[1:]}
    assert "demo-hanbit" in lines and "ok" in lines["demo-hanbit"] and "m ago" in lines["demo-hanbit"]
    assert "error: http: HTTP 404" in lines["dead"] and lines["dead"].rstrip().endswith("backoff")
    failing = CliRunner().invoke(main, ["status", "--config", str(config), "--db", str(db), "--max-failures", "1"])
    assert failing.exit_code == 1 and "FAILING" in failing.output and "1 feed(s) failing" in failing.output


def test_health_reflects_the_daemons_last_cycle(tmp_path):
    from datetime import datetime, timedelta, timezone

    from monitor.daemon import HEARTBEAT

    db = tmp_path / "monitor.sqlite3"
    missing = CliRunner().invoke(main, ["health", "--db", str(db)])
    assert missing.exit_code == 66 and "no archive at" in missing.output and not db.exists()
    with Archive(db) as archive:
        now = datetime.now(timezone.utc)
        archive.set_state(HEARTBEAT, (now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ"), now)
    assert CliRunner().invoke(main, ["health", "--db", str(db)]).exit_code == 0
    assert CliRunner().invoke(main, ["health", "--db", str(db), "--max-age", "30s"]).exit_code == 1


def test_json_logs_are_one_object_per_line(server, tmp_path):
    import json

    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server)[:1])
    process = monitor("--log-format", "json", "-v", "run", "--once", "--config", str(config), "--db", str(tmp_path / "a.sqlite3"))
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    # Every line is a JSON object (so no progress bar either: stderr is not a terminal).
    records = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert any(r["message"].startswith("feed demo-hanbit: ok") for r in records)


def test_an_interactive_run_shows_a_progress_bar(server, tmp_path):
    import pty
    import subprocess
    import sys
    import threading

    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server))
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor", "run", "--once", "--config", str(config), "--db", str(tmp_path / "a.sqlite3")],
        stdout=subprocess.PIPE, stderr=terminal, text=True,
    )  # fmt: skip
    os.close(terminal)
    chunks = []

    def drain():  # read the terminal while the run writes to it, so it never blocks on a full buffer
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed with the process
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    out, _ = process.communicate(timeout=60)
    reader.join(10)
    os.close(controller)
    shown = b"".join(chunks)
    assert process.returncode == 0 and "stored 40 articles" in out
    assert b"articles" in shown and b"100%" in shown  # the bar went to the terminal, not to stdout

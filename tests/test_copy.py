"""`monitor copy`: the demo archive from SQLite into PostgreSQL and back, verified; the copy answers
the README's questions as the original does, and a target that is not empty is refused."""

from __future__ import annotations

from click.testing import CliRunner

from monitor.cli import main
from monitor.sql import run_query
from monitor.store import Archive
from monitor.store.copy import table_counts, url_checksum

from conftest import fresh_database
from test_queries import QUESTIONS


def test_sqlite_to_postgresql_and_back_is_the_same_archive(sqlite_demo_archive, tmp_path):
    source, _ = sqlite_demo_archive
    back = tmp_path / "back.sqlite3"
    runner = CliRunner()
    with fresh_database() as url:
        there = runner.invoke(main, ["copy", str(source), url])
        assert there.exit_code == 0, there.output
        assert "verified" in there.output
        again = runner.invoke(main, ["copy", str(source), url])
        assert again.exit_code == 2 and "not empty" in again.output
        home = runner.invoke(main, ["copy", url, str(back)])
        assert home.exit_code == 0, home.output
        with Archive(source) as original, Archive(url) as copied, Archive(back) as returned:
            counts = table_counts(original)
            assert counts["articles"] == 40 and counts["fact_mentions"] > 100
            assert table_counts(copied) == counts == table_counts(returned)
            assert url_checksum(copied) == url_checksum(original) == url_checksum(returned)
            for archive in (copied, returned):  # the full-text index is rebuilt in each backend's form
                assert {h["id"] for h in archive.search("基盤モデル", limit=100)} == {h["id"] for h in original.search("基盤モデル", limit=100)}
            # New rows continue after the copied ids.
            copied.db.execute("INSERT INTO fetch_log (at, purpose, url, bytes) VALUES ('2026-01-01T00:00:00Z', 'feed', 'x', 0)")
        for question in QUESTIONS:
            rows = {location: run_query(location, question).rows for location in (str(source), url, str(back))}
            assert len(rows[url]) == len(rows[str(source)]) == len(rows[str(back)]), question


def test_a_copy_from_nowhere_is_exit_66(tmp_path):
    result = CliRunner().invoke(main, ["copy", str(tmp_path / "none.sqlite3"), str(tmp_path / "b.sqlite3")])
    assert result.exit_code == 66 and not (tmp_path / "b.sqlite3").exists()

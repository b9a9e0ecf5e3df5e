"""The archive, on SQLite and on PostgreSQL: migrations, one transaction per article,
exact-duplicate collapse, full-text search."""

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from monitor.config import FeedSource
from monitor.feeds import FeedEntry
from monitor.records import FeedPoll
from monitor.schedule import NextPoll
from monitor.store import Archive, NewArticle, migrate
from monitor.store.db import database_errors
from monitor.store.migrate import available_migrations, migrations_dir
from monitor.text import content_hash

from conftest import fresh_database

NOW = datetime(2025, 12, 21, 12, 0, tzinfo=UTC)
SOURCE = FeedSource(name="test", url="https://example.com/feed", lang="ja", kind="topical", poll_interval=1800)


def entry(n: int) -> FeedEntry:
    return FeedEntry(f"key-{n}", f"https://example.com/{n}", f"title {n}", "summary", None, "", "", "")


def article(url: str, text: str, title: str = "見出し", extraction: str = "page") -> NewArticle:
    return NewArticle(
        url=url, title=title, lang="ja", source="東都新聞", published_at="2025-12-21T09:04:00Z", published_offset="+09:00",
        fetched_at="2025-12-21T12:00:00Z", text=text, author="", summary="", extraction=extraction, extraction_note=None,
        text_chars=len(text), content_hash=content_hash(text), feed_id=1,
    )  # fmt: skip


def polled(new: int) -> FeedPoll:
    """A successful poll that found `new` new entries, next polled in 30 minutes."""
    return FeedPoll("ok", NOW, NextPoll(1800.0, NOW + timedelta(minutes=30), 0, 0.0), {}, entry_count=4, new_count=new)


def queued(archive: Archive, n: int) -> list[int]:
    archive.sync_feeds([SOURCE])
    archive.record_poll(1, now=NOW, entries=[entry(i) for i in range(n)], updates=polled)
    return [e.id for e in archive.pending_entries(NOW)]


def columns_of(archive: Archive, table: str) -> set[str]:
    if archive.postgres:
        return {row[0] for row in archive.db.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])}
    return {row[1] for row in archive.db.execute(f"PRAGMA table_info({table})")}


def test_migrations_are_numbered_wal_and_idempotent(tmp_path):
    names = [name for _, name, _ in available_migrations()]
    assert names[0] == "001_initial" and names == sorted(names)
    path = tmp_path / "a.sqlite3"
    with Archive(path) as first:
        assert first.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert migrate(first.db) == []  # nothing left to apply
    with Archive(path) as again:
        assert again.db.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(names)


def test_postgres_migrations_are_their_own_and_applied_once():
    names = [name for _, name, _ in available_migrations(migrations_dir() / "postgresql")]
    with fresh_database() as url, Archive(url) as first:
        assert migrate(first.db) == []
        versions = [row[0] for row in first.db.execute("SELECT name FROM schema_migrations ORDER BY version")]
    assert versions == names and names[0] == "001_schema"


def test_both_backends_have_the_same_tables_columns_and_views(tmp_path):
    """The README's stable SQL interface (and the working tables) on PostgreSQL as on SQLite."""
    with fresh_database() as url, Archive(tmp_path / "reference.sqlite3") as sqlite, Archive(url) as postgres:
        names = [row[0] for row in sqlite.db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'articles_fts_%'"
        )]  # fmt: skip
        assert len(names) > 20
        for name in names:
            assert columns_of(sqlite, name) <= columns_of(postgres, name), name


def test_public_sql_interface_columns(archive):
    def columns(table):
        return columns_of(archive, table)

    assert {"id", "name", "url", "lang", "last_polled_at", "last_status", "error_count", "next_poll_at"} <= columns("feeds")
    assert {"id", "url", "title", "lang", "source", "published_at", "fetched_at", "text", "on_topic", "duplicate_of", "story_id"} <= columns("articles")
    assert columns("article_urls") >= {"url", "article_id"}
    assert columns("facts") >= {"id", "statement", "value", "unit"}
    assert columns("fact_mentions") >= {"article_id", "fact_id", "sentence", "value", "unit", "agrees"}


def test_entries_are_queued_once(archive):
    assert len(queued(archive, 3)) == 3
    seen = []
    again = archive.record_poll(1, now=NOW, entries=[entry(i) for i in range(4)], updates=lambda new: seen.append(new) or polled(new))
    assert again == 1 and seen == [1]  # only key-3 is new
    assert tuple(archive.db.execute("SELECT last_new_count, next_poll_at FROM feeds").fetchone()) == (1, "2025-12-21T12:30:00Z")


def test_same_url_or_same_text_collapse_into_one_article(archive):
    ids = queued(archive, 3)
    text = "経済産業省は2026年度から5年間で約1兆円を支援する。"
    first = archive.store_article(ids[0], article("https://a.jp/1", text), ["https://a.jp/1?x"])
    same_url = archive.store_article(ids[1], article("https://a.jp/1", "別の本文"), [])
    same_text = archive.store_article(ids[2], article("https://b.jp/9", "経済産業省は、2026年度から5年間で約１兆円を支援する"), [])
    assert first.created and not same_url.created and not same_text.created
    assert first.article_id == same_url.article_id == same_text.article_id
    urls = {row[0] for row in archive.db.execute("SELECT url FROM article_urls")}
    assert urls == {"https://a.jp/1", "https://a.jp/1?x", "https://b.jp/9"}
    assert archive.counts()["pending"] == 0


def test_a_failed_store_leaves_nothing_half_written(archive):
    ids = queued(archive, 1)
    if archive.postgres:
        archive.db.execute("CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE 'disk full'; END $$")
        archive.db.execute("CREATE TRIGGER no_urls BEFORE INSERT ON article_urls FOR EACH ROW EXECUTE FUNCTION disk_full()")
    else:
        archive.db.execute("CREATE TRIGGER no_urls BEFORE INSERT ON article_urls BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(database_errors(), match="disk full"):
        archive.store_article(ids[0], article("https://a.jp/1", "本文"), [])
    assert archive.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert archive.counts()["pending"] == 1  # the entry is still there for the next run


def test_full_text_search_finds_two_character_cjk_words_and_english(archive):
    ids = queued(archive, 3)
    archive.store_article(ids[0], article("https://a.jp/1", "政府は半導体と国産AIの基盤モデルを支援する。", title="政府の支援策"), [])
    archive.store_article(ids[1], article("https://a.kr/2", "경제산업성이 국산 AI 개발을 지원한다.", title="일본 정부 지원"), [])
    archive.store_article(ids[2], article("https://a.com/3", "SoftBank leads a new company with Preferred Networks.", title="SoftBank"), [])

    def found(query):
        return [row["url"] for row in archive.search(query)]

    assert found("政府") == ["https://a.jp/1"]  # 2 characters: beyond the trigram tokenizer
    assert found("半導体") == ["https://a.jp/1"]
    assert found("基盤モデル") == ["https://a.jp/1"]
    assert found("지원") == ["https://a.kr/2"]  # matches 지원한다 and 지원 inside longer words
    assert found("경제산업성") == ["https://a.kr/2"]
    assert found("softbank") == ["https://a.com/3"]
    assert sorted(found("AI")) == ["https://a.jp/1", "https://a.kr/2"]
    assert found("導半") == []  # bigrams must be consecutive, in order
    # The SQL interface users write by hand: a 2-character word needs no helper.
    if archive.postgres:
        rows = archive.db.execute("SELECT rowid FROM articles_fts WHERE document @@ '政府'::tsquery").fetchall()
        phrase = archive.db.execute("SELECT rowid FROM articles_fts WHERE document @@ '基盤 <-> 盤モ <-> モデ <-> デル'::tsquery")
    else:
        rows = archive.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH '政府'").fetchall()
        phrase = archive.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH '\"基盤 盤モ モデ デル\"'")
    assert len(rows) == 1 and len(phrase.fetchall()) == 1


def test_processes_opening_a_new_archive_at_once_apply_each_migration_once(archive_location):
    """Cron and a status check (or several workers) can open a fresh archive in the same instant."""
    db = archive_location
    code = f"from monitor.store import Archive\nwith Archive({str(db)!r}) as a: pass"
    processes = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(6)]
    errors = [p.communicate(timeout=60)[1] for p in processes]
    assert all(p.returncode == 0 for p in processes), errors
    with Archive(db) as archive:
        versions = [row[0] for row in archive.db.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == sorted(set(versions)) and len(versions) >= 3


def _analysis(text: str):
    from monitor.dedup import signature
    from monitor.facts import FactLinks
    from monitor.facts.relevance import Relevance
    from monitor.store import Analysis
    from monitor.stories import StoryFeatures

    empty = StoryFeatures(frozenset(), frozenset(), frozenset(), frozenset())
    return Analysis(FactLinks(Relevance(False, 0.0, ()), (), ()), "test", signature(text), empty)


def test_copies_are_looked_for_among_articles_reported_within_the_copy_window(archive):
    from dataclasses import replace

    from monitor.dedup import COPY_WINDOW_DAYS

    text = "経済産業省は2026年度から5年間で約1兆円を国産の基盤モデルの開発に支援する方針を固めた。" * 3
    ids = queued(archive, 3)
    first = archive.store_article(ids[0], article("https://a.jp/1", text), [], analysis=_analysis(text))
    first_day = datetime(2025, 12, 21)  # the first copy's reported day
    day = lambda n: (first_day + timedelta(days=n)).strftime("%Y-%m-%dT09:00:00Z")  # noqa: E731
    within = replace(article("https://b.jp/1", text), source="西都新聞", published_at=day(COPY_WINDOW_DAYS), fetched_at=day(60))
    beyond = replace(within, url="https://c.jp/1", source="北都新聞", published_at=day(2 * COPY_WINDOW_DAYS + 1))
    near = archive.store_article(ids[1], within, [], analysis=_analysis(text))
    far = archive.store_article(ids[2], beyond, [], analysis=_analysis(text))
    marks = dict(archive.db.execute("SELECT id, duplicate_of FROM articles").fetchall())  # far: beyond both others' window
    assert marks == {first.article_id: None, near.article_id: first.article_id, far.article_id: None}
    # The band index keeps each article's reported day (days since 1970, UTC) as migration 012 computes it.
    days = {row[0] for row in archive.db.execute("SELECT DISTINCT day FROM minhash_bands WHERE article_id = ?", [far.article_id])}
    assert days == {(first_day - datetime(1970, 1, 1)).days + 2 * COPY_WINDOW_DAYS + 1}


def test_migration_012_gives_the_band_index_each_article_s_reported_day(tmp_path):
    import shutil

    from monitor.store.migrate import migrations_dir

    older = tmp_path / "older"
    older.mkdir()
    for number, _, path in available_migrations():
        if number < 12:
            shutil.copy(path, older / path.name)
    db_path = tmp_path / "a.sqlite3"
    from sqlite_utils import Database

    db = Database(sqlite3.connect(db_path))
    migrate(db, older)
    db.execute("INSERT INTO articles (id, url, fetched_at, reported_at, extraction) VALUES (7, 'u', '2026-01-31T00:00:00Z', "
               "'2026-01-30T23:59:59Z', 'page')")  # fmt: skip
    db.execute("INSERT INTO minhash_bands (key, article_id) VALUES (-5, 7), (9, 7)")
    db.conn.commit()
    assert migrate(db, migrations_dir())[0] == "012_copy_window"
    assert db.execute("SELECT key, day, article_id FROM minhash_bands ORDER BY key").fetchall() == [
        (-5, (datetime(2026, 1, 30) - datetime(1970, 1, 1)).days, 7), (9, (datetime(2026, 1, 30) - datetime(1970, 1, 1)).days, 7)]
    db.close()


def test_skipped_entries_are_queued_again_only_when_asked_for_and_only_for_their_reason(archive):
    ids = queued(archive, 3)
    archive.skip_entry(ids[0], "off story")
    archive.skip_entry(ids[1], "off story")
    archive.skip_entry(ids[2], "internal: cannot store")
    assert [e.id for e in archive.pending_entries(NOW)] == []
    # title 0 and title 2 would do, but the third was skipped for another reason
    assert archive.reopen_skipped("off story", lambda text: text.startswith(("title 0\n", "title 2\n"))) == 1
    assert [e.id for e in archive.pending_entries(NOW)] == [ids[0]]
    assert archive.reopen_skipped("off story", lambda text: text.startswith("title 0")) == 0  # already pending

"""`monitor sql`'s library: read-only queries on a real SQLite file and their table, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.sql import QueryError, QueryResult, format_result, run_query
from monitor.text import search_text
from monitor.store import Archive

from conftest import fresh_database

ROWS = [
    (1, "ko", "정부 AI 계획", "연합뉴스", 3, None),
    (2, "ja", "日本のＡＩ基盤モデル", "共同通信", 12, "wire"),
    (3, "en", 'Japan bets on "sovereign" AI, again', "Kyodo", 7, "analysis"),
]
TWO_ROWS = "SELECT id, title, mentions, note FROM articles WHERE lang IN ('ko', 'ja') ORDER BY id"


@pytest.fixture
def db(tmp_path) -> Path:
    """A small archive-like file, in WAL mode as the real archive is; its name needs URI quoting."""
    path = tmp_path / "news archive #1?.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(
            "CREATE TABLE articles (id INTEGER PRIMARY KEY, lang TEXT, title TEXT, source TEXT,"
            " mentions INTEGER, note TEXT)"
        )
        conn.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)", ROWS)
    conn.close()
    return path


def snapshot(path: Path) -> tuple:
    """Everything a write could change, read through an ordinary connection."""
    with sqlite3.connect(path) as conn:
        state = (
            conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall(),
            conn.execute("SELECT * FROM articles ORDER BY id").fetchall(),
            conn.execute("PRAGMA user_version").fetchone(),
            conn.execute("PRAGMA journal_mode").fetchone(),
        )
    conn.close()
    return state


def test_rows_and_column_names(db):
    result = run_query(db, "SELECT id, lang, title, source, mentions, note FROM articles ORDER BY id")
    assert result == QueryResult(("id", "lang", "title", "source", "mentions", "note"), ROWS)
    aliased = run_query(db, "SELECT count(*) AS n, sum(mentions) AS total, max(note) FROM articles")
    assert aliased.columns == ("n", "total", "max(note)")
    assert aliased.rows == [(3, 22, "wire")]


def test_parameters(db):
    named = run_query(
        db, "SELECT title FROM articles WHERE lang = :lang AND mentions > :least", {"lang": "ja", "least": 5}
    )
    assert named.rows == [("日本のＡＩ基盤モデル",)]
    positional = run_query(db, "SELECT source FROM articles WHERE id = ?", [1])
    assert positional.rows == [("연합뉴스",)]
    with pytest.raises(QueryError, match=":lang"):
        run_query(db, "SELECT title FROM articles WHERE lang = :lang", {})


def test_reading_pragmas_and_empty_results(db):
    assert [row[1] for row in run_query(db, "PRAGMA table_info(articles)").rows] == [
        "id", "lang", "title", "source", "mentions", "note"
    ]  # fmt: skip
    assert run_query(db, "PRAGMA journal_mode").rows == [("wal",)]
    empty = run_query(db, "SELECT id FROM articles WHERE lang = 'zh';")
    assert empty == QueryResult(("id",), [])
    assert format_result(empty, "table") == "id\n--\n(0 rows)"


def test_table_aligns_wide_characters(db):
    # 정부 AI 계획 takes 12 terminal cells, 日本のＡＩ基盤モデル 20 (wide kana and kanji, fullwidth
    # letters): the column is 20 cells wide. Numbers are right-aligned, NULL is an empty cell,
    # trailing blanks are dropped.
    assert format_result(run_query(db, TWO_ROWS), "table") == "\n".join(
        [
            "id  title                 mentions  note",
            "--  --------------------  --------  ----",
            " 1  정부 AI 계획" + " " * 8 + "  " + " " * 7 + "3",
            " 2  日本のＡＩ基盤モデル" + "  " + " " * 6 + "12  wire",
            "(2 rows)",
        ]
    )


def test_table_cuts_long_cells_and_keeps_one_line_per_row(db):
    result = run_query(db, "SELECT ? AS en, ? AS ko, ? AS lines", ["a" * 100, "가" * 40, "first line\nsecond\tcolumn"])
    header, rule, row, count = format_result(result, "table").split("\n")
    # 59 + "…" = 60 cells; a 30th 가 would make 61 with "…", so 29 of them + "…" = 59 cells.
    assert row == "a" * 59 + "…  " + "가" * 29 + "…  first line second column"
    assert rule == "-" * 60 + "  " + "-" * 59 + "  " + "-" * 24
    assert count == "(1 row)"


def test_csv(db):
    text = format_result(run_query(db, TWO_ROWS), "csv")
    assert text == "id,title,mentions,note\n1,정부 AI 계획,3,\n2,日本のＡＩ基盤モデル,12,wire"
    quoted = format_result(run_query(db, "SELECT id, title FROM articles WHERE lang = 'en'"), "csv")
    assert quoted == 'id,title\n3,"Japan bets on ""sovereign"" AI, again"'
    assert list(csv.reader(io.StringIO(quoted))) == [["id", "title"], ["3", ROWS[2][2]]]


def test_json(db):
    text = format_result(run_query(db, TWO_ROWS), "json")
    assert text == (
        "[\n"
        '  {\n    "id": 1,\n    "title": "정부 AI 계획",\n    "mentions": 3,\n    "note": null\n  },\n'
        '  {\n    "id": 2,\n    "title": "日本のＡＩ基盤モデル",\n    "mentions": 12,\n    "note": "wire"\n  }\n'
        "]"
    )
    assert json.loads(text) == [
        {"id": 1, "title": "정부 AI 계획", "mentions": 3, "note": None},
        {"id": 2, "title": "日本のＡＩ基盤モデル", "mentions": 12, "note": "wire"},
    ]


def test_json_blobs_as_hex_and_repeated_names_kept(db):
    result = run_query(
        db, "SELECT a.id, b.id, x'00ff10' AS raw FROM articles a JOIN articles b ON b.id = a.id + 1 LIMIT 1"
    )
    assert result.columns == ("id", "id", "raw")
    assert json.loads(format_result(result, "json")) == [{"id": 1, "id_2": 2, "raw": "00ff10"}]
    assert format_result(result, "csv") == "id,id,raw\n1,2,00ff10"


def test_unknown_format(db):
    with pytest.raises(ValueError, match="table, csv, json"):
        format_result(run_query(db, TWO_ROWS), "xml")


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO articles (lang, title) VALUES ('en', 'new')",
        "UPDATE articles SET title = 'changed'",
        "DELETE FROM articles",
        "DROP TABLE articles",
        "CREATE TABLE notes (id INTEGER)",
        "CREATE INDEX articles_lang ON articles(lang)",
        "WITH old AS (SELECT id FROM articles) DELETE FROM articles WHERE id IN old",
        "PRAGMA user_version = 7",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA query_only = OFF",
        "VACUUM",
    ],
)
def test_writes_are_refused_and_change_nothing(db, statement):
    before = snapshot(db)
    with pytest.raises(QueryError) as caught:
        run_query(db, statement)
    assert "read-only" in str(caught.value)
    assert "nothing was changed" in str(caught.value)
    assert snapshot(db) == before


@pytest.mark.parametrize("statement", ["ATTACH DATABASE '{target}' AS other", "VACUUM INTO '{target}'"])
def test_no_other_file_is_reached(db, tmp_path, statement):
    target = tmp_path / "elsewhere.sqlite3"
    with pytest.raises(QueryError, match="read-only"):
        run_query(db, statement.format(target=target))
    assert not target.exists()


def test_a_killed_writers_wal_is_read_and_left_alone(tmp_path):
    """A writer killed mid-life leaves its last changes in the -wal file. They are read, and the
    archive file stays byte for byte as it was: a read-write connection, even with query_only,
    would checkpoint them into it on close, and PRAGMA wal_checkpoint would do so at once."""
    path = tmp_path / "archive.sqlite3"
    writer = f"""
import os, sqlite3
conn = sqlite3.connect({str(path)!r}, isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA wal_autocheckpoint=0")
conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT)")
conn.execute("INSERT INTO articles (title) VALUES ('최신 기사')")
os._exit(0)
"""
    subprocess.run([sys.executable, "-c", writer], check=True)
    files = {name: (tmp_path / name).read_bytes() for name in ("archive.sqlite3", "archive.sqlite3-wal")}
    assert run_query(path, "SELECT title FROM articles").rows == [("최신 기사",)]
    for statement in ["PRAGMA wal_checkpoint", "PRAGMA wal_checkpoint(TRUNCATE)"]:
        with pytest.raises(QueryError, match="read-only"):
            run_query(path, statement)
    assert {name: (tmp_path / name).read_bytes() for name in files} == files


def test_one_statement_at_a_time(db):
    before = snapshot(db)
    for query in ["SELECT 1; SELECT 2", "DELETE FROM articles; SELECT count(*) FROM articles"]:
        with pytest.raises(QueryError, match="one statement at a time"):
            run_query(db, query)
    assert snapshot(db) == before
    assert run_query(db, "SELECT 1;  -- a final semicolon and comment are fine").rows == [(1,)]


def test_sql_errors_keep_sqlite_words(db):
    with pytest.raises(QueryError, match='near "SELEC": syntax error'):
        run_query(db, "SELEC title FROM articles")
    with pytest.raises(QueryError, match="no such table: stories"):
        run_query(db, "SELECT * FROM stories")


def test_missing_archive_is_not_created(tmp_path):
    path = tmp_path / "db" / "monitor.sqlite3"
    with pytest.raises(QueryError, match="no archive at .*monitor.sqlite3"):
        run_query(path, "SELECT 1")
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_full_text_search_on_the_real_archive_while_it_is_open(tmp_path):
    """The real schema: FTS5 reads its own tables inside SQLite, which the read-only guard allows."""
    with Archive(tmp_path / "archive.sqlite3") as archive, archive.db.atomic():
        article_id = archive.db.execute(
            "INSERT INTO articles (url, title, lang, fetched_at, text, extraction) VALUES (?, ?, ?, ?, ?, 'page')",
            ["https://example.jp/a", "政府、基盤モデル開発を支援", "ja", "2025-01-01T00:00:00Z", "政府は支援する。"],
        ).lastrowid
        archive.db.execute(
            "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
            [article_id, search_text("政府、基盤モデル開発を支援"), search_text("政府は支援する。")],
        )
        path = archive.path
    result = run_query(
        path,
        """SELECT a.id, a.title FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
           WHERE articles_fts MATCH :words ORDER BY rank""",
        {"words": '"基盤 盤モ モデ デル"'},
    )
    assert result.rows == [(article_id, "政府、基盤モデル開発を支援")]


def test_sql_on_postgresql_reads_and_never_writes():
    """On PostgreSQL: a READ ONLY transaction, rolled back; one statement; no COPY; the full-text
    index as a tsvector, a 2-character CJK word one lexeme."""
    with fresh_database() as url:
        with Archive(url) as archive, archive.db.atomic():
            article_id = archive.db.execute(
                "INSERT INTO articles (url, title, lang, fetched_at, text, extraction) VALUES (?, ?, ?, ?, ?, 'page') RETURNING id",
                ["https://example.jp/a", "政府、基盤モデル開発を支援", "ja", "2025-01-01T00:00:00Z", "政府は支援する。"],
            ).fetchone()[0]
            archive.index_article(article_id, "政府、基盤モデル開発を支援", "政府は支援する。")
        found = run_query(url, "SELECT rowid, title FROM articles_fts WHERE document @@ CAST(%s AS tsquery)", ["'基盤' <-> '盤モ' <-> 'モデ' <-> 'デル'"])
        assert found.columns == ("rowid", "title") and found.rows == [(article_id, "政府、基盤モデル開発を支援")]
        assert run_query(url, "SELECT count(*) FROM articles_fts WHERE document @@ '政府'::tsquery").rows == [(1,)]
        for write in ["DELETE FROM articles", "CREATE TABLE x (y int)", "SELECT setval(pg_get_serial_sequence('articles', 'id'), 99)"]:
            with pytest.raises(QueryError, match="read-only connection.*nothing was changed"):
                run_query(url, write)
        with pytest.raises(QueryError, match="one statement at a time"):
            run_query(url, "SELECT 1; DELETE FROM articles")
        with pytest.raises(QueryError, match="COPY cannot run here"):
            run_query(url, "-- export\nCOPY articles TO '/tmp/articles.csv'")
        assert run_query(url, "SELECT count(*) FROM articles").rows == [(1,)]

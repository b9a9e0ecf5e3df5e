"""The archive as a SQL product, on the demo archive (a SQLite file and a PostgreSQL database): the
README's ten questions, Datasette with db/metadata.yaml (SQLite), full-text search (recall against a
plain LIKE scan), and the `search` and `sql` commands."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3

import pytest
import yaml
from click.testing import CliRunner
from datasette.app import Datasette

from monitor.cli import main
from monitor.sql import run_query
from monitor.store import Archive

from conftest import REPO

QUESTIONS = re.findall(r"```sql\n(.*?)\n```", (REPO / "README.md").read_text(encoding="utf-8"), re.DOTALL)
METADATA = yaml.safe_load((REPO / "db" / "metadata.yaml").read_text(encoding="utf-8"))


def test_the_readme_has_ten_questions_and_datasette_has_them_too():
    assert len(QUESTIONS) == 10
    canned = [query["sql"] for query in METADATA["databases"]["monitor"]["queries"].values()]
    assert canned == QUESTIONS
    assert METADATA["databases"]["demo"] == METADATA["databases"]["monitor"]


@pytest.mark.parametrize("number", range(1, 11))
def test_each_readme_question_answers_on_the_demo_archive(demo_archive, number):
    path, _ = demo_archive
    result = run_query(path, QUESTIONS[number - 1])
    assert result.rows, QUESTIONS[number - 1]
    row = dict(zip(result.columns, result.rows[0], strict=True))
    checks = {
        1: lambda: row["fact_id"].startswith("F") and row["first_seen"],
        3: lambda: 387.3e9 in [r[2] for r in result.rows] and 300e9 in [r[2] for r in result.rows],
        5: lambda: row["copies"] == 2 and row["outlets"] == 2,
        6: lambda: row["articles"] >= 9 and row["languages"],
        8: lambda: row["hours"] > 0,
        9: lambda: "Yomiuri Shimbun" in [r[0] for r in result.rows],
        10: lambda: len(result.rows) == 12,
    }
    assert checks.get(number, lambda: True)(), result.rows[:3]


def test_datasette_serves_the_archive_with_the_metadata(sqlite_demo_archive, tmp_path):
    path, _ = sqlite_demo_archive  # Datasette reads SQLite files
    archive = tmp_path / "monitor.sqlite3"
    with sqlite3.connect(path) as source:
        source.execute("VACUUM INTO ?", [str(archive)])

    async def fetch_all() -> dict:
        ds = Datasette([str(archive)], metadata=METADATA)
        await ds.invoke_startup()
        pages = {"/-/metadata.json": await ds.client.get("/-/metadata.json")}
        pages["/monitor/stories.json"] = await ds.client.get("/monitor/stories.json?_shape=array")
        for name in METADATA["databases"]["monitor"]["queries"]:
            pages[name] = await ds.client.get(f"/monitor/{name}.json?_shape=array")
        return pages

    pages = asyncio.run(fetch_all())
    assert all(response.status_code == 200 for response in pages.values()), {k: r.status_code for k, r in pages.items()}
    assert pages["/-/metadata.json"].json()["title"] == "Sovereign AI monitor"
    assert pages["/monitor/stories.json"].json() and pages["syndication"].json()[0]["copies"] == 2


SEARCHES = ["政府", "지원", "予算", "투자", "基盤モデル", "경제산업성", "半導体", "SoftBank", "trillion", "engineers"]


@pytest.mark.parametrize("query", SEARCHES)
def test_search_finds_what_a_plain_like_scan_finds(demo_archive, query):
    path, _ = demo_archive
    with Archive(path) as archive:
        found = {hit["id"] for hit in archive.search(query, limit=1000)}
        like = {row[0] for row in archive.db.execute(
            "SELECT id FROM articles WHERE title LIKE :q OR text LIKE :q", {"q": f"%{query}%"}
        )}  # fmt: skip
    assert like, query
    recall = len(found & like) / len(like)
    assert recall == 1.0, (query, sorted(like - found))
    assert found <= like or query.isascii(), sorted(found - like)  # CJK: no match the text does not hold


def test_search_filters_and_marks_its_snippets(demo_archive):
    path, _ = demo_archive
    with Archive(path) as archive:
        ko = archive.search("지원", lang="ko", limit=100)
        recent = archive.search("지원", since="2026-01-01", limit=100)
        everything = archive.search("지원", limit=100)
    assert ko and all(hit["lang"] == "ko" for hit in ko)
    assert recent and all(hit["reported_at"] >= "2026-01-01" for hit in recent) and len(recent) < len(everything)
    assert all("«지원»" in hit["snippet"] or "지원" in hit["title"] for hit in everything)


def test_search_and_sql_commands(demo_archive):
    path, _ = demo_archive
    runner = CliRunner()
    hits = runner.invoke(main, ["search", "政府", "--lang", "ja", "--limit", "3", "--db", str(path)])
    assert hits.exit_code == 0, hits.output
    assert hits.output.count("\n#") + hits.output.startswith("#") == 3 and "«政府»" in hits.output
    none = runner.invoke(main, ["search", "존재하지않는말", "--db", str(path)])
    assert none.exit_code == 3 and "no articles match" in none.output
    bad = runner.invoke(main, ["search", "政府", "--since", "yesterday", "--db", str(path)])
    assert bad.exit_code == 2

    table = runner.invoke(main, ["sql", "SELECT lang, count(*) AS n FROM articles GROUP BY lang ORDER BY lang", "--db", str(path)])
    assert table.exit_code == 0 and table.output.splitlines()[-1] == "(3 rows)"
    rows = json.loads(runner.invoke(main, ["sql", "SELECT count(*) AS n FROM stories", "--format", "json", "--db", str(path)]).output)
    assert rows[0]["n"] > 10
    before = run_query(path, "SELECT count(*) FROM articles").rows
    write = runner.invoke(main, ["sql", "DELETE FROM articles", "--db", str(path)])
    assert write.exit_code == 2 and "read-only" in write.output and "nothing was changed" in write.output
    assert run_query(path, "SELECT count(*) FROM articles").rows == before

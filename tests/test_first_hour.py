"""A newcomer's first hour: the demo from any folder, `monitor init`, one archive story with no dead
ends, one exit code per kind of failure, logging options anywhere, and `--format json`."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from monitor.cli import DEMO_DB, EXIT_CONFIG, EXIT_NO_ARCHIVE, EXIT_NO_MATCH, main
from monitor.demo import demo_feeds

from conftest import REPO, monitor, write_config

READERS = [
    ["status"], ["facts"], ["facts", "F3"], ["digest"], ["search", "政府"], ["sql", "SELECT 1"],
    ["relink"], ["recluster"], ["health"],
]  # fmt: skip


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0] + ("-" + c[1] if c[1:] and c[0] == "facts" else ""))
def test_a_command_that_reads_never_creates_an_archive(tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no demo archive here (a clone where the README's demo ran has one)
    db = tmp_path / "db" / "monitor.sqlite3"
    config = [] if command[0] in ("search", "sql", "health") else ["--config", str(REPO / "feeds.yaml")]
    result = CliRunner().invoke(main, [*command, *config, "--db", str(db)])
    assert result.exit_code == EXIT_NO_ARCHIVE, result.output
    assert f"no archive at {db}" in result.output and "monitor demo" in result.output
    assert "Traceback" not in result.output
    assert not db.parent.exists()  # neither the archive nor its folder nor a lock file


def copy_archive(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as db:
        db.execute("VACUUM INTO ?", [str(target)])


def test_without_an_archive_the_commands_name_the_demos(sqlite_demo_archive, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MONITOR_DB", raising=False)
    runner = CliRunner()
    before = runner.invoke(main, ["facts"])
    assert before.exit_code == EXIT_NO_ARCHIVE and "`monitor demo`" in before.output
    copy_archive(sqlite_demo_archive[0], tmp_path / DEMO_DB)  # what `monitor demo` leaves here
    after = runner.invoke(main, ["facts"])
    assert after.exit_code == EXIT_NO_ARCHIVE
    assert f"the demo's archive is {DEMO_DB}: add --db {DEMO_DB}" in after.output
    followed = runner.invoke(main, ["facts", "--db", DEMO_DB])
    assert followed.exit_code == 0 and "Candidate updates (" in followed.output
    assert "using the packaged settings and facts" in followed.output  # no feeds.yaml in this folder: said once
    monkeypatch.setenv("MONITOR_DB", DEMO_DB)
    assert runner.invoke(main, ["status"]).exit_code == 0


def test_the_demo_from_an_empty_folder_uses_the_projects_keywords(tmp_path):
    process = monitor("demo", cwd=tmp_path)
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    assert "stored 40 articles" in out and "2 read and off-topic" in out  # as in the repository (its feeds read whole)
    assert "note:" not in err  # the packaged settings and facts are the demo's own: nothing to warn about
    assert (tmp_path / "db" / "demo.sqlite3").is_file()
    assert f"monitor facts --db {DEMO_DB}" in out
    status = monitor("status", "--db", DEMO_DB, cwd=tmp_path)
    out, err = status.communicate(timeout=60)
    assert status.returncode == 0 and "demo-hanbit" in out, err


def test_init_writes_starter_files_that_every_command_reads_from_anywhere(tmp_path, monkeypatch):
    runner = CliRunner()
    folder = tmp_path / "monitor-config"
    made = runner.invoke(main, ["init", str(folder)])
    assert made.exit_code == 0, made.output
    assert (folder / "feeds.yaml").read_text(encoding="utf-8") == (REPO / "feeds.yaml").read_text(encoding="utf-8")
    assert (folder / "facts.yaml").read_text(encoding="utf-8") == (REPO / "facts.yaml").read_text(encoding="utf-8")
    assert "Edit them" in made.output and "defaults.keywords" in made.output and f"--config {folder / 'feeds.yaml'}" in made.output
    again = runner.invoke(main, ["init", str(folder)])
    assert again.exit_code == EXIT_CONFIG and "already exists" in again.output
    assert runner.invoke(main, ["init", str(folder), "--force"]).exit_code == 0

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = str(folder / "feeds.yaml")
    listed = runner.invoke(main, ["feeds", "--config", config])
    assert listed.exit_code == 0 and "valid" in listed.output and "hani-international" in listed.output
    checked = runner.invoke(main, ["facts", "--check", "--config", config])
    assert checked.exit_code == 0 and f"{folder / 'facts.yaml'}: 10 facts, valid" in checked.output

    (folder / "facts.yaml").unlink()  # no facts file found: the packaged facts, saying so
    packaged = runner.invoke(main, ["facts", "--check", "--config", config])
    assert packaged.exit_code == 0 and "using the packaged facts" in packaged.output and "10 facts, valid" in packaged.output

    no_feeds = runner.invoke(main, ["run", "--once"])  # nothing named, nothing here: say what to do
    assert no_feeds.exit_code == EXIT_CONFIG and "monitor init" in no_feeds.output and "--config" in no_feeds.output


def test_logging_options_work_after_the_command_too(server, tmp_path):
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server)[:1])
    process = monitor("run", "--once", "--config", str(config), "--db", str(tmp_path / "a.sqlite3"), "-v", "--log-format", "json")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    records = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert any(r["level"] == "info" and r["message"].startswith("feed demo-hanbit: ok") for r in records)


def test_one_exit_code_per_kind_of_failure(demo_archive, tmp_path):
    path = str(demo_archive[0])
    bad = tmp_path / "feeds.yaml"
    bad.write_text("feeds: []\n", encoding="utf-8")
    runner = CliRunner()
    codes = {
        "bad configuration": runner.invoke(main, ["status", "--config", str(bad), "--db", path]).exit_code,
        "bad option": runner.invoke(main, ["digest", "--date", "someday", "--db", path]).exit_code,
        "bad query": runner.invoke(main, ["sql", "SELEC 1", "--db", path]).exit_code,
        "unknown fact": runner.invoke(main, ["facts", "F99", "--db", path]).exit_code,
        "nothing found": runner.invoke(main, ["search", "존재하지않는말", "--db", path]).exit_code,
        "no archive (sql)": runner.invoke(main, ["sql", "SELECT 1", "--db", str(tmp_path / "x.sqlite3")]).exit_code,
        "no archive (facts)": runner.invoke(main, ["facts", "--db", str(tmp_path / "x.sqlite3")]).exit_code,
    }
    assert codes == {
        "bad configuration": 2, "bad option": 2, "bad query": 2, "unknown fact": 2,
        "nothing found": EXIT_NO_MATCH, "no archive (sql)": EXIT_NO_ARCHIVE, "no archive (facts)": EXIT_NO_ARCHIVE,
    }  # fmt: skip
    documented = (REPO / "README.md").read_text(encoding="utf-8").split("## Exit codes")[1].split("\n## ")[0]
    for code in (0, 1, 2, 3, 66, 75):
        assert f"| {code} |" in documented


def test_json_output_for_status_feeds_facts_and_search(demo_archive, tmp_path):
    path = str(demo_archive[0])
    runner = CliRunner()

    def run(*args: str) -> object:
        result = runner.invoke(main, [*args, "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    status = run("status", "--db", path)
    assert {f["name"] for f in status["feeds"]} >= {"demo-hanbit", "demo-search-ja"} and status["failing"] == []
    assert all(f["state"] == "ok" and f["last_status"] == "ok" for f in status["feeds"])
    feeds = run("feeds", "--config", str(REPO / "feeds.yaml"), "--db", path)
    assert feeds["valid"] and {"hani-international", "asahi-business"} <= {f["name"] for f in feeds["feeds"]}
    assert any(f["title"] == "한겨레 국제" for f in feeds["feeds"])
    facts = run("facts", "--db", path)
    assert [f["fact_id"] for f in facts["facts"]][:3] == ["F1", "F2", "F3"]
    assert any(u["name"] == "日本AIファウンデーション" for u in facts["candidate_updates"])
    one = run("facts", "F3", "--db", path)
    assert one["fact_id"] == "F3" and one["latest_mentions"] and one["updates"][0]["value"] == 387.3e9
    check = run("facts", "--check")
    assert len(check["facts"]) == 10 and check["facts"][0]["statements"]["ko"]
    hits = run("search", "基盤モデル", "--db", path)
    assert hits and all("基盤モデル" in h["title"] + h["snippet"] or h["lang"] == "ja" for h in hits)
    assert {"id", "url", "title", "lang", "source", "reported_at", "snippet"} <= set(hits[0])
    none = runner.invoke(main, ["search", "존재하지않는말", "--db", path, "--format", "json"])
    assert none.exit_code == EXIT_NO_MATCH and json.loads(none.stdout) == []


def test_the_readme_facts_sample_is_what_the_demo_prints(demo_archive):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sample = readme.split("    $ monitor facts --db db/demo.sqlite3\n")[1].split("\n\n")[0]
    printed = CliRunner().invoke(main, ["facts", "--db", str(demo_archive[0])]).stdout
    for line in sample.splitlines():
        shown = line[4:]
        assert shown.strip() == "..." or shown in printed, shown


def test_feeds_and_the_demo_table_align_by_display_width(tmp_path):
    feeds = [
        {"name": "x", "url": "http://127.0.0.1:9/a.xml", "lang": "ko", "kind": "topical"},
        {"name": "a-very-long-feed-name-that-goes-on-and-on-past-thirty-two", "url": "http://127.0.0.1:9/b.xml", "lang": "ja", "kind": "general"},
    ]  # fmt: skip
    config = write_config(tmp_path / "feeds.yaml", feeds)
    out = CliRunner().invoke(main, ["feeds", "--config", str(config), "--db", str(tmp_path / "none.sqlite3")]).output
    lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert len({line.index(" ko " if " ko " in line else " ja ") for line in lines}) == 1

"""Fact links in the archive: the demo site run end to end, the candidate-updates view, relinking
after facts.yaml changes, and `monitor facts` / `monitor relink` on a real archive file."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import yaml
from click.testing import CliRunner
from conftest import REPO, site_config, write_config

from monitor.cli import main
from monitor.demo import demo_feeds
from monitor.pipeline import Pipeline

NOW = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


def run(archive, config):
    pipeline = Pipeline(archive, config, clock=lambda: NOW)
    try:
        return pipeline.run_once()
    finally:
        pipeline.close()


def edited_facts(tmp_path, fact_id: str, **figure) -> str:
    raw = yaml.safe_load((REPO / "facts.yaml").read_text(encoding="utf-8"))
    for fact in raw["facts"]:
        if fact["id"] == fact_id:
            fact["figure"].update(figure)
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_demo_articles_are_linked_with_evidence_in_three_languages(server, archive):
    summary = run(archive, site_config(server))
    assert summary.articles_on_topic == 36 and summary.fact_mentions > 100
    db = archive.db
    # Relevance follows the site's own labels, article by article.
    for article in server.site.articles:
        row = db.execute(
            "SELECT a.on_topic FROM articles a JOIN article_urls u ON u.article_id = a.id WHERE u.url LIKE ?",
            [f"%/{article.id}.html"],
        ).fetchone()
        if row is not None and article.copy_of is None:
            assert bool(row[0]) == article.topic, article.id
    # Every language has mentions with the sentence and the figure as written.
    per_lang = dict(db.execute(
        "SELECT a.lang, count(DISTINCT m.fact_id) FROM fact_mentions m JOIN articles a ON a.id = m.article_id GROUP BY a.lang"
    ).fetchall())  # fmt: skip
    assert per_lang == {"ko": 10, "ja": 10, "en": 10}
    sentence, figure, value, agrees = db.execute(
        """SELECT m.sentence, m.figure, m.value, m.agrees FROM fact_mentions m JOIN articles a ON a.id = m.article_id
           WHERE a.lang = 'ja' AND m.fact_id = 'F1' ORDER BY a.published_at LIMIT 1"""
    ).fetchone()
    assert figure in sentence and value == 3e12 and agrees == 1
    # Off-topic articles carry no mentions; their reasons say why.
    assert db.execute(
        "SELECT count(*) FROM fact_mentions m JOIN articles a ON a.id = m.article_id WHERE a.on_topic = 0"
    ).fetchone()[0] == 0
    reasons = db.execute("SELECT relevance_reasons FROM articles WHERE on_topic = 0 AND lang = 'en'").fetchall()
    assert any("look-alike" in r[0] for r in reasons)
    # Differing figures surface as candidate updates, with how widely they were reported.
    updates = {(r[0], r[1], r[2] if r[2] is not None else r[3]): (r[4], r[5]) for r in db.execute(
        "SELECT fact_id, kind, value, name, articles, languages FROM candidate_updates"
    ).fetchall()}  # fmt: skip
    assert updates[("F3", "figure", 387.3e9)] == (5, 3)
    assert updates[("F7", "figure", 150e9)][1] == 3
    assert ("F5", "name", "日本AIファウンデーション") in updates
    # Attributions: the Yomiuri scoop is credited in all three languages.
    credited = {r[0] for r in db.execute(
        "SELECT a.lang FROM article_attributions t JOIN articles a ON a.id = t.article_id WHERE t.outlet = 'Yomiuri Shimbun'"
    ).fetchall()}  # fmt: skip
    assert credited == {"ko", "ja", "en"}


def test_editing_facts_yaml_relinks_the_archive_on_the_next_run(server, archive, tmp_path):
    config = site_config(server)
    run(archive, config)
    before = archive.db.execute("SELECT count(*) FROM candidate_updates WHERE fact_id = 'F3'").fetchone()[0]
    assert before == 1
    # The analyst accepts 387.3 billion yen as within tolerance: the candidate update goes away.
    widened = replace(config, facts_file=edited_facts(tmp_path, "F3", tolerance=0.5))
    summary = run(archive, widened)
    assert summary.articles_relinked == archive.counts()["articles"] and summary.articles_new == 0
    assert archive.db.execute("SELECT count(*) FROM candidate_updates WHERE fact_id = 'F3'").fetchone()[0] == 0
    assert archive.db.execute("SELECT tolerance FROM facts WHERE id = 'F3'").fetchone()[0] == 0.5
    # Nothing changed since: the next run links nothing again.
    assert run(archive, widened).articles_relinked == 0


def test_monitor_facts_lists_candidate_updates_first_and_a_timeline(server, tmp_path):
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server))
    db = str(tmp_path / "monitor.sqlite3")
    runner = CliRunner()
    assert runner.invoke(main, ["run", "--once", "--config", str(config), "--db", db]).exit_code == 0

    listing = runner.invoke(main, ["facts", "--config", str(config), "--db", db])
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert lines[0].startswith("Candidate updates")
    assert lines.index("Facts") > [i for i, line in enumerate(lines) if "387.3 billion JPY (tracked: 300 billion JPY)" in line][0]

    timeline = runner.invoke(main, ["facts", "F7", "--config", str(config), "--db", db])
    assert timeline.exit_code == 0, timeline.output
    out = timeline.output
    assert out.index("Candidate updates (1)") < out.index("150 billion parameters (tracked: 1 trillion parameters)")
    assert "1 trillion parameters (agrees)" in out and "150 billion parameters (differs)" in out
    assert "ko" in out and "ja" in out and "en" in out

    unknown = runner.invoke(main, ["facts", "F99", "--config", str(config), "--db", db])
    assert unknown.exit_code == 2 and "no fact 'F99'" in unknown.output

    relinked = runner.invoke(main, ["relink", "--all", "--config", str(config), "--db", db])
    assert relinked.exit_code == 0 and "relinked 40 articles" in relinked.output


def test_a_bad_facts_file_stops_a_run_before_any_request(server, tmp_path):
    bad = tmp_path / "facts.yaml"
    bad.write_text("story: {anchors: {}}\nfacts: []\noutlets: {names: {}}\n", encoding="utf-8")
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server), facts=str(bad))
    result = CliRunner().invoke(main, ["run", "--once", "--config", str(config), "--db", str(tmp_path / "m.sqlite3")])
    assert result.exit_code == 2 and "facts.yaml" in result.output and "Traceback" not in result.output
    assert server.hits == []
    check = CliRunner().invoke(main, ["facts", "--check", "--config", str(config)])
    assert check.exit_code == 2
    good = CliRunner().invoke(main, ["facts", "--check", "--config", str(write_config(tmp_path / "ok.yaml", demo_feeds(server)))])
    assert good.exit_code == 0 and "10 facts, valid" in good.output

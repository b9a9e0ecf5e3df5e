"""The daily digest on the demo archive: golden files for one fixture day in every format, an empty
day, hostile titles, the command, and the HTML page in headless Chromium."""

from __future__ import annotations

import html
import json
import os
from datetime import date, datetime
from zoneinfo import ZoneInfo
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main
from monitor.digest import FORMATS, SCHEMA, build_digest, render
from monitor.store import Archive

from conftest import FIXTURES, NOW

DAY = date(2026, 4, 1)  # the company's launch: new names, differing figures, stories in two languages
GOLDEN = FIXTURES / "digest"
HOST = "http://demo.test"


def rendered(demo_archive, fmt: str, day: date = DAY) -> str:
    path, base = demo_archive
    with Archive(path) as archive:
        return render(build_digest(archive, day, "Asia/Seoul", NOW), fmt).replace(base, HOST)


@pytest.mark.parametrize("fmt", FORMATS)
def test_digest_matches_its_golden_file(demo_archive, fmt):
    text = rendered(demo_archive, fmt)
    golden = GOLDEN / f"{DAY.isoformat()}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_digest_sections_in_order(demo_archive):
    data = json.loads(rendered(demo_archive, "json"))
    assert data["schema"] == SCHEMA and data["version"] == 2 and data["day"] == "2026-04-01"
    assert data["window"] == {"start": "2026-03-31T15:00:00Z", "end": "2026-04-01T15:00:00Z"}
    updates = {(u["fact_id"], u["kind"], u["value"] or u["name"]) for u in data["updates"]}
    assert ("F7", "figure", 150e9) in updates and ("F5", "name", "재팬AI파운데이션") in updates
    for update in data["updates"]:
        assert update["sentence"] and update["url"].startswith(HOST) and update["lang"] in ("ko", "en")
    launch = {story_id for f in data["facts"] for story_id in f["story_ids"]}
    assert len(launch) == 1 and len(data["stories"]) == 1  # the English report and the Korean retelling are one story
    story = data["stories"][0]
    assert story["lang"] == "en" and story["articles_today"] == 2 and story["outlets_by_language"] == {"ko": 1}
    assert story["fact_ids"] == ["F3", "F5", "F6", "F7", "F8"] and story["first_reported_local"] == "2026-04-01T11:30:00+09:00"
    assert data["counts"]["articles"] == 2 and data["counts"]["by_language"] == {"en": 1, "ko": 1}
    md = rendered(demo_archive, "md")
    assert md.index("## Fact updates") < md.index("## Facts stated") < md.index("## Other stories") < md.index("## Feeds")
    assert "also carried by 1 outlet (ko 1)" in md


def test_wire_copies_are_one_line_with_their_reach(demo_archive):
    md = rendered(demo_archive, "md", date(2025, 12, 21))
    section = md.split("## Facts stated")[1].split("## Other stories")[0]
    assert section.count("9 today;") == 1  # nine articles in three languages, one story, one line
    assert "9 today; also carried by 8 outlets (en 3, ja 3, ko 2)" in section


def test_a_story_appears_once_under_all_the_facts_it_states(demo_archive):
    data = json.loads(rendered(demo_archive, "json", date(2025, 12, 21)))
    assert len(data["stories"]) == 1
    story = data["stories"][0]
    assert story["fact_ids"] == [f"F{n}" for n in range(1, 11)] and story["lang"] == "ko"
    assert all(section["story_ids"] == [story["story_id"]] for section in data["facts"]) and len(data["facts"]) == 10
    for fmt in ("md", "html"):
        page = rendered(demo_archive, fmt, date(2025, 12, 21))
        assert page.count(story["title"]) == 1, fmt  # was ten identical lines, one per fact
        assert "F1, F2, F3, F4, F5, F6, F7, F8, F9, F10" in page
        for section in data["facts"]:
            assert section["statement"] in page


def test_plurals_and_local_times(demo_archive):
    md = rendered(demo_archive, "md")
    assert "1 story," in md and "1 stories" not in md and "(s)" not in md
    assert "1 article in ko" in md and "2 articles in en, ko" in md and "1 story stating them" in md
    assert "(Asia Tech Wire, en, 11:30 KST;" in md and "first report 11:30 KST" in md and "T02:30:00Z" not in md
    path, base = demo_archive
    with Archive(path) as archive:
        utc = render(build_digest(archive, DAY, "UTC", NOW), "md")
        tokyo_day = json.loads(render(build_digest(archive, date(2025, 12, 21), "Asia/Tokyo", NOW), "json"))
    assert "first report 02:30 UTC" in utc
    assert tokyo_day["stories"][0]["first_reported_local"].endswith("+09:00")
    earlier = rendered(demo_archive, "md", date(2025, 12, 22))  # a story first reported the day before
    assert "first report 2025-12-21 " in earlier or "No tracked fact was stated." in earlier


def test_every_item_carries_its_language(demo_archive):
    data = json.loads(rendered(demo_archive, "json", date(2026, 3, 27)))
    items = data["updates"] + data["stories"] + data["other_stories"]
    assert items and all(item["lang"] in ("ko", "ja", "en") for item in items)
    assert {item["lang"] for item in items} >= {"ja"}
    page = rendered(demo_archive, "html", date(2026, 3, 27))
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')  # the page's own words are English
    for item in items:
        assert f'lang="{item["lang"]}" rel="noopener noreferrer">{html.escape(item["title"])}</a>' in page


def test_an_empty_day_says_so(demo_archive):
    data = json.loads(rendered(demo_archive, "json", date(2024, 1, 1)))
    assert data["counts"]["articles"] == 0 and data["updates"] == [] and data["facts"] == [] and data["other_stories"] == []
    assert "Nothing was reported on this day" in rendered(demo_archive, "md", date(2024, 1, 1))
    assert "Nothing was reported on this day" in rendered(demo_archive, "html", date(2024, 1, 1))


def hostile_archive(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.sqlite3"
    title = '<script>alert("t")</script><img src=x onerror=alert(1)> [link](javascript:alert(2)) & co'
    with Archive(path) as archive, archive.db.atomic():
        archive.db.execute("INSERT INTO facts (id, statement, value, unit) VALUES ('F7', 'Goal <b>1T</b>', 1e12, 'parameters')")
        for article_id, url in ((1, "javascript:alert(3)"), (2, "https://ok.example/a?x=1&y=<2>")):
            archive.db.execute(
                """INSERT INTO articles (id, url, title, lang, source, published_at, reported_at, fetched_at, text,
                   extraction, on_topic, story_id) VALUES (?, ?, ?, 'en', '<i>Outlet</i>', '2026-04-01T01:00:00Z',
                   '2026-04-01T01:00:00Z', '2026-04-01T02:00:00Z', 'x', 'page', 1, ?)""",
                [article_id, url, title, article_id],
            )
            archive.db.execute(
                """INSERT INTO fact_mentions (article_id, fact_id, sentence, value, unit, agrees, figure)
                   VALUES (?, 'F7', '</blockquote><script>alert(4)</script>', 5e11, 'parameters', 0, '<u>500B</u>')""",
                [article_id],
            )
    return path


def test_every_piece_of_web_text_is_escaped(tmp_path):
    with Archive(hostile_archive(tmp_path)) as archive:
        digest = build_digest(archive, DAY, "Asia/Seoul", NOW)
    page = render(digest, "html")
    for raw in ("<script>", "<img", "<i>", "<u>", "</blockquote><script>", "<b>1T"):
        assert raw not in page, raw
    assert "&lt;script&gt;alert" in page and "&lt;i&gt;Outlet&lt;/i&gt;" in page
    assert 'href="javascript:' not in page  # a javascript: URL is never linked
    assert 'href="https://ok.example/a?x=1&amp;y=&lt;2&gt;"' in page
    md = render(digest, "md")
    assert "<script>" not in md and "\\[link\\](javascript:alert(2))" in md and "(<javascript:" not in md
    assert "(<https://ok.example/a?x=1&y=%3C2%3E>)" in md
    assert json.loads(render(digest, "json"))["updates"][0]["title"].startswith("<script>")  # data stays data


def test_digest_command(demo_archive, tmp_path):
    path, _ = demo_archive
    out = tmp_path / "d.json"
    result = CliRunner().invoke(main, ["digest", "--db", str(path), "--date", "2026-04-01", "--tz", "Asia/Seoul",
                                       "--format", "json", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["counts"]["articles"] == 2
    shown = CliRunner().invoke(main, ["digest", "--db", str(path), "--date", "2026-04-01", "--tz", "UTC"])
    assert shown.exit_code == 0 and shown.stdout.startswith("# Sovereign AI monitor: 2026-04-01 (UTC)")
    bad = CliRunner().invoke(main, ["digest", "--db", str(path), "--date", "April 1st"])
    assert bad.exit_code == 2 and "is not a date" in bad.output
    zone = CliRunner().invoke(main, ["digest", "--db", str(path), "--tz", "Mars/Olympus"])
    assert zone.exit_code == 2 and "unknown time zone" in zone.output
    missing = CliRunner().invoke(main, ["digest", "--db", str(tmp_path / "nope.sqlite3")])
    assert missing.exit_code == 66 and "no archive at" in missing.output and not (tmp_path / "nope.sqlite3").exists()


# Each linked headline and the language the browser gives it (its closest lang attribute).
LANGUAGES_OF_HEADLINES = "Array.from(document.querySelectorAll('li > a')).map(a => [a.textContent, a.closest('[lang]').lang])"


def test_the_html_digest_opens_in_chromium_without_console_errors(demo_archive, tmp_path):
    from browser import open_in_chromium
    from requirements import chromium

    chromium()  # skipped without it (failed under CI=true)
    for name, archive_day, source in (("launch", DAY, demo_archive[0]), ("hostile", DAY, hostile_archive(tmp_path))):
        with Archive(source) as archive:
            data = build_digest(archive, archive_day, "Asia/Seoul", NOW)
        page = tmp_path / f"{name}.html"
        page.write_text(render(data, "html"), encoding="utf-8")
        report = open_in_chromium(page, tmp_path / f"{name}.png", evaluate=LANGUAGES_OF_HEADLINES)
        assert report.console_errors == [], report.console_messages
        assert report.screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and report.screenshot.stat().st_size > 10_000
        if name == "launch":  # the browser's own view: each headline's language, as the page declares it
            expected = [[item.title, item.lang] for item in data.updates + data.stories + data.other_stories]
            assert report.value == expected and {lang for _, lang in expected} == {"en", "ko"}


def test_feeds_are_judged_as_monitor_status_judges_them(tmp_path):
    with Archive(tmp_path / "feeds.sqlite3") as archive, archive.db.atomic():
        for name, errors, weight in (("dead", 6, 6.0), ("flaky", 1, 1.0), ("quiet", 0, 0.0), ("busy", 0, 0.0)):
            feed = archive.db.execute(
                """INSERT INTO feeds (name, url, lang, kind, poll_interval, error_count, failure_weight, last_status)
                   VALUES (?, 'https://f.example/' || ?, 'ja', 'general', 1800, ?, ?, 'error: http: HTTP 500')""",
                [name, name, errors, weight],
            ).lastrowid
            if name == "busy":
                archive.db.execute(
                    "INSERT INTO entries (feed_id, entry_key, link, first_seen_at) VALUES (?, 'k', 'l', '2026-11-23T00:00:00Z')", [feed]
                )
        digest = build_digest(archive, DAY, "Asia/Seoul", NOW, failing_threshold=5)
    assert {state: [f.name for f in feeds] for state, feeds in digest.feeds.items()} == {
        "failing": ["dead"], "backoff": ["flaky"], "silent": ["quiet"],
    }
    assert "failing: dead: 6 failed polls in a row" in render(digest, "md")


def test_without_a_date_the_digest_shows_the_latest_day_with_articles_and_says_so(demo_archive):
    path, _ = demo_archive
    with Archive(path) as archive:
        latest = archive.db.execute("SELECT max(reported_at) FROM articles").fetchone()[0]
    expected = datetime.fromisoformat(latest.replace("Z", "+00:00")).astimezone(ZoneInfo("Asia/Seoul")).date()
    shown = CliRunner().invoke(main, ["digest", "--db", str(path), "--tz", "Asia/Seoul"])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith(f"# Sovereign AI monitor: {expected} (Asia/Seoul)")
    assert "Nothing was reported" not in shown.stdout
    assert f"no article was reported yesterday (Asia/Seoul): showing {expected}, the latest day with articles" in shown.stderr

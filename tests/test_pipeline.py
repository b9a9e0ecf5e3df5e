"""End to end: the pipeline against the loopback fixture site, into a real SQLite file."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from monitor.demo import FixtureServer, demo_feeds
from monitor.demo.site import Article, aggregator_token, article_path, feed_link
from monitor.pipeline import Pipeline

from conftest import site_config

NOW = datetime(2026, 11, 24, 0, 0, tzinfo=timezone.utc)


def run(archive, config, clock=None):
    pipeline = Pipeline(archive, config, clock=clock or (lambda: NOW))
    try:
        return pipeline.run_once()
    finally:
        pipeline.close()


def article_of(archive, url) -> int | None:
    row = archive.db.execute("SELECT article_id FROM article_urls WHERE url = ?", [url]).fetchone()
    return row[0] if row else None


def rss(items: list[tuple[str, str, str]], title: str = "Test feed", source: tuple[str, str] | None = None) -> str:
    src = f'<source url="{source[1]}">{source[0]}</source>' if source else ""
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><description>{d}</description>"
        f"<pubDate>Sun, 21 Dec 2025 18:04:00 +0900</pubDate>{src}</item>"
        for t, link, d in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'


def test_demo_site_end_to_end(server, archive):
    summary = run(archive, site_config(server))
    site = server.site
    base = server.base_url
    assert summary.feeds_polled == 12 and summary.feeds_failed == 0 and summary.entries_deferred == 0

    # Every article the monitor should have (topical, or about the story, or passing the keyword
    # filter) is stored, under its clean URL, exactly once; the two general-feed pages about something
    # else (feeds are read whole: the project's `fetch: all`) were read and are kept as entries only.
    skipped = {row[0] for row in archive.db.execute("SELECT link FROM entries WHERE state = 'skipped'")}
    assert skipped == {base + article_path(a) for a in site.articles if a.id in ("ko-14-seoul-thai-restaurants", "ja-13-toto-local-festival")}
    assert summary.entries_read_off == 2 and summary.entries_skipped == 0
    fetched = [a for a in site.articles if base + article_path(a) not in skipped]
    for a in fetched:
        assert article_of(archive, base + article_path(a)) is not None, a.id
    per_lang = dict(archive.db.execute("SELECT lang, count(*) FROM articles GROUP BY lang").fetchall())
    assert all(per_lang[lang] >= 10 for lang in ("ko", "ja", "en")), per_lang

    # Every outlet's wire copy, verbatim or edited, is kept as its own article, marked as a copy of
    # the earliest one, and in its story.
    for lang in ("ko", "ja", "en"):
        wire = [a for a in site.by_lang(lang) if a.copy_of is None and any(c.copy_of == a.id for c in site.by_lang(lang))][0]
        copies = [a for a in site.by_lang(lang) if a.copy_of == wire.id]
        assert any(c.paragraphs == wire.paragraphs for c in copies) and any(c.paragraphs != wire.paragraphs for c in copies)
        original = article_of(archive, base + article_path(wire))
        for copy in copies:
            row = archive.db.execute("SELECT duplicate_of, story_id FROM articles WHERE id = ?", [article_of(archive, base + article_path(copy))]).fetchone()
            story = archive.db.execute("SELECT story_id FROM articles WHERE id = ?", [original]).fetchone()[0]
            assert row == (original, story), copy.id
    assert archive.db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(fetched)

    # URL variants (tracking parameters, fragments, AMP pages) are aliases of the article.
    for a in (a for a in fetched if a.url_variants):
        assert article_of(archive, feed_link(base, a).split("#")[0]) == article_of(archive, base + article_path(a)) or \
            article_of(archive, base + article_path(a, amp=True)) == article_of(archive, base + article_path(a)), a.id
    # The search feeds' aggregator links were matched to the articles their outlets' feeds gave, by
    # headline, outlet and time: recorded as resolved, never asked.
    resolved = archive.db.execute("SELECT count(*) FROM link_resolutions WHERE resolved_url IS NOT NULL AND method = 'matched'").fetchone()[0]
    assert resolved == sum(1 for a in site.articles if a.topic) == summary.resolutions_avoided
    assert server.count("/gn/") == 0
    assert archive.db.execute("SELECT count(*) FROM entries WHERE state = 'pending'").fetchone()[0] == 0

    rows = {row["url"]: row for row in archive.db.query("SELECT * FROM articles")}
    for a in fetched:
        row = rows.get(base + article_path(a))
        assert "\ufffd" not in row["text"] and row["extraction"] == "page", a.id
        # Script detection beats the hangang template's lang="en".
        assert row["lang"] == a.lang, a.id
        # The feed's date, with the source's offset kept.
        assert row["published_at"] == a.published.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), a.id
        assert row["published_offset"] == a.published.strftime("%z")[:3] + ":" + a.published.strftime("%z")[3:]
        # Main text only: the body is there, the page's menus and other articles' headlines are not.
        assert a.paragraphs[0][:40] in row["text"], a.id
        others = [o.title for o in site.articles if o.outlet == a.outlet and o.id != a.id and o.title not in a.paragraphs[0]]
        assert not any(title in row["text"] for title in others), a.id
    assert rows[base + article_path(site.article("hangang", "ko-05-meti-1trillion-yen-support"))]["source"] == "한강경제신문"

    log = dict(archive.db.execute("SELECT purpose, count(*) FROM fetch_log GROUP BY purpose").fetchall())
    # one request per article and per page read and not kept, none for a redirect
    assert log == {"feed": 12, "robots": 1, "page": len(fetched) + len(skipped)}
    assert archive.db.execute("SELECT min(bytes) FROM fetch_log WHERE purpose = 'page'").fetchone()[0] > 1000


def test_second_run_fetches_nothing_it_already_has(server, archive):
    config = site_config(server)
    run(archive, config)
    pages_before = server.count("/") - server.count("/search/") - server.count("/robots.txt")
    later = lambda: NOW + timedelta(hours=2)  # noqa: E731 (every feed is due again)
    summary = run(archive, config, clock=later)
    assert summary.feeds_polled == 12 and summary.feeds_unchanged == 12
    assert summary.entries_new == 0 and summary.articles_new == 0
    statuses = [hit.status for hit in server.hits[-12:]]
    assert statuses == [304] * 12
    assert server.count("/") - server.count("/search/") - server.count("/robots.txt") == pages_before + 9  # 9 outlet feeds, 304 each


def test_a_new_article_is_the_only_page_fetched(server, archive):
    config = site_config(server)
    run(archive, config)
    wire = server.site.article("atw", "en-01-japan-sovereign-ai-plan")
    fresh = Article(**{**wire.__dict__, "id": "en-99-fresh", "title": "METI names the AI company's first chief",
                       "published": datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc),
                       "paragraphs": ("The Ministry of Economy, Trade and Industry named the first chief executive of the "
                                      "joint AI company on Monday, a former SoftBank engineer who will lead about 100 staff.",) * 3})  # fmt: skip
    server.site.articles.append(fresh)
    pages = lambda: [h.path for h in server.hits if "/articles/" in h.path and not h.path.startswith("/gn/")]  # noqa: E731
    before = len(pages())
    summary = run(archive, config, clock=lambda: NOW + timedelta(hours=2))
    assert pages()[before:] == [article_path(fresh)]
    assert summary.articles_new == 1 and article_of(archive, server.base_url + article_path(fresh)) is not None


def test_general_feed_entries_off_the_story_are_kept_but_not_fetched(server, archive):
    # a general feed read by its keywords (`fetch: keywords`)
    summary = run(archive, site_config(server, general_fetch="keywords"))
    row = archive.db.execute("SELECT title, last_error FROM entries WHERE state = 'skipped' AND link LIKE '%ko-14%'").fetchone()
    assert "똠얌꿍" in row[0] and "keyword" in row[1]
    assert server.count("/hangang/articles/ko-14") == 0
    assert summary.entries_skipped == 2 and summary.entries_read_off == 0


def test_a_general_feed_read_whole_keeps_an_oblique_headline_about_the_story_and_drops_the_rest(server, archive):
    # An outlet's feed whose entries name nothing of the story in headline or summary: a university
    # president's speech that is about the program, and a piece on a festival. Read whole (`fetch: all`),
    # the speech is stored and linked; the festival page is read once and kept as an entry only.
    speech = ("<html><head><title>Build what you cannot borrow</title></head><body><article><h1>Build what you cannot borrow</h1>"
              "<p>The president of Sakuradai University spoke to the new students on Tuesday.</p>"
              "<p>Japan's public and private sectors will put about 3 trillion yen into domestic AI, and the trade ministry "
              "will support the effort with about 1 trillion yen over five years from fiscal 2026.</p>"
              "<p>A new company led by SoftBank, with engineers from Preferred Networks, is building a foundation model "
              "with 1 trillion parameters that Japanese companies can use for their own work.</p>"
              "<p>Relying on foreign AI, she said, is an economic and a security risk the country should not accept.</p>"
              "</article></body></html>")  # fmt: skip
    festival = ("<html><head><title>Lanterns on the river</title></head><body><article><h1>Lanterns on the river</h1>"
                "<p>Thousands of paper lanterns floated down the river on Saturday evening, as they have every summer "
                "since the town's founding, and the stalls along the bank sold grilled squid until midnight.</p>"
                "<p>The organisers counted more visitors than last year and thanked the volunteers who cleaned the bank.</p>"
                "</article></body></html>")  # fmt: skip
    for path, page in (("/paper/speech.html", speech), ("/paper/festival.html", festival)):
        server.add_route(path, page.encode(), "text/html; charset=utf-8")
    server.add_route("/paper/feed.xml", rss([("Build what you cannot borrow", f"{server.base_url}/paper/speech.html", "The address, in full."),
                                            ("Lanterns on the river", f"{server.base_url}/paper/festival.html", "A summer evening.")],
                                           title="The Paper").encode(), "application/rss+xml")  # fmt: skip
    feeds = [{"name": "paper", "url": f"{server.base_url}/paper/feed.xml", "lang": "en", "kind": "general"}]
    summary = run(archive, site_config(server, feeds, general_fetch="all"))
    assert summary.articles_new == 1 and summary.articles_on_topic == 1 and summary.entries_read_off == 1
    stored = archive.db.execute("SELECT id, url FROM articles").fetchall()
    assert [url for _, url in stored] == [f"{server.base_url}/paper/speech.html"]
    facts = {row[0] for row in archive.db.execute("SELECT fact_id FROM fact_mentions")}
    assert {"F1", "F2", "F7", "F10"} <= facts
    row = archive.db.execute("SELECT state, last_error FROM entries WHERE link LIKE '%festival%'").fetchone()
    assert row[0] == "skipped" and row[1].startswith("page read: not about the story")
    assert server.count("/paper/festival.html") == 1


def test_euc_kr_page_with_a_cp949_only_syllable_decodes(server, archive):
    run(archive, site_config(server, keywords=False))  # fetch everything, the Thai-restaurant story included
    text = archive.db.execute("SELECT text FROM articles WHERE url LIKE '%ko-14-seoul-thai-restaurants%'").fetchone()[0]
    assert "똠얌꿍" in text and "\ufffd" not in text
    text = archive.db.execute("SELECT text FROM articles WHERE url LIKE '%ja-13-toto-local-festival%'").fetchone()[0]
    assert "髙" in text and "①" in text  # Shift_JIS declared, CP932 needed


def test_feed_failures_are_recorded_and_do_not_stop_the_run(server, archive):
    other_host = FixtureServer().start()  # a 503 with Retry-After pauses its whole host: keep it apart
    feeds = [
        {"name": "good", "url": server.base_url + "/ledger/feed.xml", "lang": "en", "kind": "topical"},
        {"name": "broken", "url": server.base_url + "/faults/broken-feed.xml", "lang": "en", "kind": "topical"},
        {"name": "html", "url": server.base_url + "/faults/not-a-feed.xml", "lang": "en", "kind": "topical"},
        {"name": "down", "url": other_host.base_url + "/faults/status/503?retry_after=7200", "lang": "en", "kind": "topical"},
        {"name": "closed", "url": "http://127.0.0.1:1/feed.xml", "lang": "en", "kind": "topical"},
        {"name": "slow", "url": server.base_url + "/faults/slow?delay=20", "lang": "en", "kind": "topical"},
    ]
    summary = run(archive, site_config(server, feeds=feeds, timeout=0.5))
    other_host.stop()
    assert summary.feeds_polled == 6 and summary.feeds_failed == 4 and not summary.systemic_failure
    state = {row["name"]: row for row in archive.db.query("SELECT * FROM feeds")}
    assert state["good"]["last_status"] == "ok" and state["good"]["error_count"] == 0
    # A malformed feed gives what can be read, and the problem is kept on the feed.
    assert state["broken"]["last_status"] == "ok" and "malformed" in state["broken"]["problem"]
    broken_entries = archive.db.execute("SELECT title FROM entries WHERE feed_id = ?", [state["broken"]["id"]]).fetchall()
    assert ("First item survives",) in broken_entries
    assert state["html"]["last_status"].startswith("error: ") and "not a feed" in state["html"]["last_status"]
    assert "503" in state["down"]["last_status"] and state["down"]["error_count"] == 1
    # Retry-After is a floor for the next poll.
    assert state["down"]["next_poll_at"] >= (NOW + timedelta(seconds=7200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert state["closed"]["last_status"].startswith("error: network")
    assert state["slow"]["last_status"].startswith("error: timeout")
    # A failing feed backs off: the next due time grows with consecutive failures.
    first_next = state["closed"]["next_poll_at"]
    run(archive, site_config(server, feeds=feeds, timeout=0.5), clock=lambda: NOW + timedelta(days=1))
    again = archive.db.execute("SELECT error_count, next_poll_at FROM feeds WHERE name = 'closed'").fetchone()
    assert again[0] == 2 and again[1] > first_next


def test_every_feed_unreachable_is_a_systemic_failure(server, archive):
    feeds = [{"name": f"closed{i}", "url": f"http://127.0.0.1:1/{i}.xml", "lang": "en", "kind": "topical"} for i in range(2)]
    assert run(archive, site_config(server, feeds=feeds)).systemic_failure


def test_aggregator_links_resolved_or_kept_from_the_feed(server, archive):
    target = server.site.article("ledger", "en-04-why-tokyo-wants-its-own-model")
    good = f"{server.base_url}/gn/rss/articles/{aggregator_token(article_path(target))}?oc=5"
    opaque = f"{server.base_url}/gn/rss/articles/AU_yqLunknown?oc=5"
    server.add_route("/agg.xml", rss([("Resolvable - Ledger", good, "s"), ("Japan AI budget - Kyodo", opaque, "Kyodo reports the budget.")],
                                     source=("Kyodo News", "https://english.kyodonews.net")), "application/rss+xml")
    config = site_config(server, feeds=[{"name": "agg", "url": server.base_url + "/agg.xml", "lang": "en", "kind": "topical"}])
    summary = run(archive, config)
    assert summary.articles_new == 2
    page = archive.db.execute("SELECT extraction FROM articles WHERE url = ?", [server.base_url + article_path(target)]).fetchone()
    assert page == ("page",)
    kept = archive.db.execute("SELECT title, source, extraction, extraction_note, text FROM articles WHERE url = ?", [opaque]).fetchone()
    assert kept[0] == "Japan AI budget - Kyodo" and kept[1] == "Kyodo News" and kept[2] == "feed_only"
    assert "not resolved" in kept[3] and kept[4] == "Kyodo reports the budget."
    assert archive.db.execute("SELECT resolved_url FROM link_resolutions WHERE link = ?", [opaque]).fetchone() == (None,)
    # The mapping is cached: a second run asks the aggregator nothing.
    hits = server.count("/gn/")
    run(archive, config, clock=lambda: NOW + timedelta(hours=1))
    assert server.count("/gn/") == hits


def test_robots_disallowed_page_is_kept_from_the_feed_and_never_fetched(server, archive):
    server.add_route("/private/1.html", "<html><body><p>secret</p></body></html>")
    server.add_route("/p.xml", rss([("Private page", server.base_url + "/private/1.html", "Only the feed's words.")]), "application/rss+xml")
    config = site_config(server, feeds=[{"name": "p", "url": server.base_url + "/p.xml", "lang": "en", "kind": "topical"}])
    run(archive, config)
    row = archive.db.execute("SELECT extraction, extraction_note, text FROM articles").fetchone()
    assert row == ("feed_only", "disallowed by robots.txt", "Only the feed's words.")
    assert server.count("/private/") == 0


def test_page_failures_are_retried_then_kept_from_the_feed(server, archive):
    server.add_route("/flaky.html", "oops", status=500)
    server.add_route("/gone.html", "gone", status=404)
    server.add_route("/empty.html", "<html><body><nav>menu</nav></body></html>")
    server.add_route("/f.xml", rss([("Flaky", server.base_url + "/flaky.html", "flaky summary"),
                                    ("Gone", server.base_url + "/gone.html", "gone summary"),
                                    ("Empty", server.base_url + "/empty.html", "empty summary")]), "application/rss+xml")  # fmt: skip
    config = site_config(server, feeds=[{"name": "f", "url": server.base_url + "/f.xml", "lang": "en", "kind": "topical"}])
    summary = run(archive, config)
    assert summary.entries_deferred == 1 and summary.articles_new == 2
    rows = dict(archive.db.execute("SELECT url, extraction FROM articles").fetchall())
    assert rows == {server.base_url + "/gone.html": "feed_only", server.base_url + "/empty.html": "summary"}
    pending = archive.db.execute("SELECT attempts, next_attempt_at, last_error FROM entries WHERE state = 'pending'").fetchone()
    assert pending[0] == 1 and pending[1] > NOW.strftime("%Y-%m-%dT%H:%M:%SZ") and "500" in pending[2]
    # Not retried before its time; retried with growing waits; kept from its feed after the last attempt.
    for attempt in range(2, config.article_max_attempts + 1):
        later = NOW + timedelta(hours=7 * (attempt - 1))
        run(archive, config, clock=lambda later=later: later)
    row = archive.db.execute("SELECT extraction, extraction_note, text FROM articles WHERE url LIKE '%flaky%'").fetchone()
    assert row[0] == "feed_only" and "after 5 attempts" in row[1] and row[2] == "flaky summary"
    assert server.count("/flaky.html") == config.article_max_attempts


def test_duplicate_links_in_one_batch_are_fetched_once(server, archive):
    target = server.base_url + article_path(server.site.article("ledger", "en-04-why-tokyo-wants-its-own-model"))
    server.add_route("/d.xml", rss([("a", target, "s"), ("b", target + "?utm_source=x", "s"), ("c", target + "#top", "s")]), "application/rss+xml")
    config = site_config(server, feeds=[{"name": "d", "url": server.base_url + "/d.xml", "lang": "en", "kind": "topical"}])
    summary = run(archive, config)
    assert summary.articles_new == 1 and summary.articles_merged == 2
    assert server.count("/ledger/articles/") == 1


@pytest.mark.parametrize("lang", ["ko", "ja", "en"])
def test_search_feed_alone_stores_every_on_topic_article(server, archive, lang):
    feeds = [{"name": f"s-{lang}", "url": f"{server.base_url}/search/{lang}.xml", "lang": lang, "kind": "topical"}]
    run(archive, site_config(server, feeds=feeds))
    on_topic = [a for a in server.site.by_lang(lang) if a.topic]
    for a in on_topic:
        assert article_of(archive, server.base_url + article_path(a)) is not None, a.id
    sources = {row[0] for row in archive.db.execute("SELECT source FROM articles")}
    assert sources <= {o.name for o in server.site.outlets.values()}


def test_a_host_asking_to_wait_postpones_its_other_feeds_without_a_failure(server, archive):
    feeds = [
        {"name": "down", "url": server.base_url + "/faults/status/429?retry_after=3600", "lang": "en", "kind": "topical"},
        {"name": "same-host", "url": server.base_url + "/ledger/feed.xml", "lang": "en", "kind": "topical"},
    ]
    config = site_config(server, feeds=feeds, workers=1)  # one worker: the 429 comes first
    run(archive, config)
    state = {row["name"]: row for row in archive.db.query("SELECT * FROM feeds")}
    assert state["down"]["error_count"] == 1 and "429" in state["down"]["last_status"]
    assert state["same-host"]["error_count"] == 0 and state["same-host"]["last_polled_at"] is None
    assert state["same-host"]["next_poll_at"] >= (NOW + timedelta(seconds=3500)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert server.count("/ledger/") == 0


# -- fetching less ---------------------------------------------------------------------------


def outlet_and_search_feeds(server):
    feeds = demo_feeds(server)
    return [f for f in feeds if "search" not in f["name"]], [f for f in feeds if "search" in f["name"]]


def test_an_aggregator_entry_for_an_article_already_stored_asks_nothing(server, archive):
    outlets, searches = outlet_and_search_feeds(server)
    run(archive, site_config(server, feeds=outlets))
    stored = archive.counts()["articles"]
    hits = len(server.hits)
    summary = run(archive, site_config(server, feeds=outlets + searches), clock=lambda: NOW + timedelta(hours=2))
    assert summary.articles_new == 0 and summary.resolutions_avoided == summary.entries_new == 36
    assert server.count("/gn/") == 0
    new_hits = [hit.path for hit in server.hits[hits:]]
    assert sorted(new_hits) == sorted([f"/{o}/feed.xml" for o in server.site.outlets] + [f"/search/{lang}.xml" for lang in ("en", "ja", "ko")])
    # Each aggregator link is now a URL of its article.
    for a in (a for a in server.site.articles if a.topic):
        link = f"{server.base_url}/gn/rss/articles/{aggregator_token(article_path(a))}?oc=5"
        assert article_of(archive, link) == article_of(archive, server.base_url + article_path(a)) is not None, a.id
    assert archive.counts()["articles"] == stored


def test_an_aggregator_entry_for_an_outlet_entry_skipped_off_topic_is_fetched_through_the_outlet(server, archive):
    skipped = server.site.article("hangang", "ko-14-seoul-thai-restaurants")
    outlet = server.site.outlets["hangang"]
    link = f"{server.base_url}/gn/rss/articles/{aggregator_token(article_path(skipped))}?oc=5"
    server.add_route("/agg.xml", rss([(f"{skipped.title} - {outlet.name}", link, "s")], source=(outlet.name, f"{server.base_url}/hangang/")),
                     "application/rss+xml")  # fmt: skip
    feeds = [{"name": "hangang", "url": f"{server.base_url}/hangang/feed.xml", "lang": "ko", "kind": "general", "title": outlet.name},
             {"name": "agg", "url": server.base_url + "/agg.xml", "lang": "ko", "kind": "topical"}]  # fmt: skip
    # The item's date differs from the outlet's entry by more than a day and a half: no match; then on time.
    server.routes["/agg.xml"] = replace(server.routes["/agg.xml"], body=server.routes["/agg.xml"].body.replace(
        b"Sun, 21 Dec 2025 18:04:00 +0900", format_datetime(skipped.published).encode()))  # fmt: skip
    # (the outlet's feed read by its keywords: its entry was skipped unread. Read whole, the page is
    # read once for the outlet's entry and once more for the aggregator's, which stores it)
    summary = run(archive, site_config(server, feeds=feeds, general_fetch="keywords"))
    assert server.count("/gn/") == 0 and server.count(article_path(skipped)) == 1
    assert summary.resolutions_avoided == 1
    assert article_of(archive, link) == article_of(archive, server.base_url + article_path(skipped)) is not None


def test_an_unknown_headline_asks_the_redirect_once_and_fetches_only_a_new_page(server, archive):
    target = server.site.article("ledger", "en-04-why-tokyo-wants-its-own-model")
    run(archive, site_config(server, feeds=[{"name": "ledger", "url": server.base_url + "/ledger/feed.xml", "lang": "en", "kind": "topical"}]))
    link = f"{server.base_url}/gn/rss/articles/{aggregator_token(article_path(target))}?oc=5"
    # Another headline for it (the aggregator's own wording): nothing names it, so the redirect is asked.
    server.add_route("/agg.xml", rss([("Why Japan wants a model of its own, explained - Ledger", link, "s")],
                                     source=("Ledger", server.base_url + "/ledger/")), "application/rss+xml")  # fmt: skip
    pages = server.count(article_path(target))
    summary = run(archive, site_config(server, feeds=[{"name": "agg", "url": server.base_url + "/agg.xml", "lang": "en", "kind": "topical"}]))
    assert server.count("/gn/") == 1 and server.count(article_path(target)) == pages  # its Location only: the page is stored
    assert summary.articles_merged == 1 and summary.resolutions_avoided == 0
    row = archive.db.execute("SELECT resolved_url, method FROM link_resolutions WHERE link = ?", [link]).fetchone()
    assert row == (server.base_url + article_path(target), "redirect")


def test_amp_links_go_to_the_canonical_page_once_the_site_showed_its_rule(server, archive):
    config = site_config(server)
    run(archive, config)  # the tbr outlet's feed links an AMP page: its rel=canonical teaches the rule
    rules = archive.db.execute("SELECT rule FROM site_url_rules").fetchall()
    assert ("amp",) in rules
    model = server.site.article("tbr", "en-03-tokyo-lines-up-ai-partners")
    fresh = replace(model, id="en-98-amp-fresh", title="METI opens the AI company's compute to universities",
                    published=datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc), url_variants=("amp",),
                    paragraphs=tuple(p + " (update)" for p in model.paragraphs))  # fmt: skip
    server.site.articles.append(fresh)
    before = len(server.hits)
    summary = run(archive, config, clock=lambda: NOW + timedelta(hours=2))
    paths = [hit.path for hit in server.hits[before:]]
    assert article_path(fresh) in paths and article_path(fresh, amp=True) not in paths
    assert summary.articles_new == 1
    assert article_of(archive, feed_link(server.base_url, fresh)) == article_of(archive, server.base_url + article_path(fresh))


def test_outlet_feeds_are_read_before_search_feeds(server, archive):
    archive.sync_feeds(site_config(server).feeds)
    kinds = [feed.kind for feed in archive.due_feeds(NOW)]
    assert kinds == sorted(kinds, key=lambda kind: kind == "topical") and kinds[-1] == "topical" and kinds[0] == "general"

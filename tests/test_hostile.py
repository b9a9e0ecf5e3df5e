"""Hostile servers and documents (issue 11): every exchange ends by its deadline, decoding stays
under the cap, feed parsing is bounded, one feed's failure never ends the run, internal addresses
are never fetched, and robots.txt is checked on every redirect hop. Real loopback servers, real
`monitor` processes, real SQLite files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
import yaml

from conftest import REPO, site_config, write_config
from faults import FaultServer
from monitor.config import ConfigError, FetchSettings, config_from_dict
from monitor.demo import FixtureServer
from monitor.feeds import MAX_ENTITY_EXPANSION, entity_expansion, json_depth, parse_feed
from monitor.fetch import Fetcher, FetchError
from monitor.fetch.codings import BoundedDecoder, CodingError, TooLarge, codings_of
from monitor.fetch.guard import ip_literal, refusal
from monitor.pipeline import Pipeline
from monitor.store import Archive

DEADLINE = 2.0
LOOPBACK = ("127.0.0.0/8",)
SETTINGS = FetchSettings(timeout=1.0, total_timeout=DEADLINE, per_host_min_interval=0, max_body_bytes=2**20, allow_private=LOOPBACK)


@pytest.fixture
def faults():
    with FaultServer() as running:
        yield running


@pytest.fixture(scope="module", autouse=True)
def _bombs_built_once():
    """The fault server builds its bombs before any client waits on them."""
    from faults import double_gzip_bomb, gzip_bomb

    gzip_bomb()
    double_gzip_bomb()


# -- one exchange, one deadline -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/drip-headers", "/continue-forever", "/empty-gzip-blocks"])
def test_a_server_that_keeps_the_exchange_alive_is_cut_at_the_deadline(faults, path):
    started = time.monotonic()
    with Fetcher(SETTINGS) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(faults.base_url + path)
    took = time.monotonic() - started
    assert caught.value.kind == "timeout" and "within 2s" in str(caught.value)
    assert took < DEADLINE + 3  # a hang would never return; the bound is generous on purpose


def test_robots_and_resolution_requests_have_the_same_deadline(faults):
    with Fetcher(SETTINGS) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(faults.base_url + "/drip-headers", purpose="resolve", follow_redirects=False, timeout=1.0)
    assert caught.value.kind == "timeout"
    assert [r.purpose for r in fetcher.drain_records()] == ["resolve"]


# -- decoding under the cap ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/gzip-bomb", "/double-gzip"])
def test_compression_bombs_stop_at_the_cap(faults, path):
    from dataclasses import replace

    # A cap above the bombs' own size (1 MB and 2.8 KB): they are cut while decoding, not on arrival.
    with Fetcher(replace(SETTINGS, max_body_bytes=4 * 2**20)) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(faults.base_url + path)
    assert caught.value.kind == "too_large" and "decoded body exceeds" in str(caught.value)


def test_more_than_two_stacked_codings_are_refused(faults):
    with Fetcher(SETTINGS) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(faults.base_url + "/triple-gzip")
    assert caught.value.kind == "encoding" and "3 stacked" in str(caught.value)


def test_the_decoder_counts_every_layer():
    import gzip
    import zlib

    text = b"<p>" + "한국어와 日本語 and English ".encode() * 2000 + b"</p>"
    for codings, data in [
        (["gzip"], gzip.compress(text)),
        (["deflate"], zlib.compress(text)),
        (["deflate"], zlib.compress(text)[2:-4]),  # raw deflate, as some servers send it
        (["gzip", "gzip"], gzip.compress(gzip.compress(text))),
        (["gzip"], gzip.compress(text[:100]) + gzip.compress(text[100:])),  # two gzip members
    ]:
        decoder = BoundedDecoder(codings, cap=len(text))
        out = b"".join(piece for i in range(0, len(data), 333) for piece in decoder.feed(data[i : i + 333]))
        assert out + b"".join(decoder.finish()) == text, codings
    with pytest.raises(TooLarge):
        list(BoundedDecoder(["gzip"], cap=len(text) - 1).feed(gzip.compress(text)))
    with pytest.raises(CodingError):
        list(BoundedDecoder(["gzip"], cap=10**6).feed(b"\x1f\x8b\x08\x00garbage-garbage"))
    assert codings_of("identity, gzip") == ["gzip"]
    with pytest.raises(CodingError, match="unsupported"):
        codings_of("br")


# -- feed parsing bounded -----------------------------------------------------------------------


def test_entity_expansion_is_measured_before_any_parser_runs():
    from faults import billion_laughs, entity_feed

    assert entity_expansion(entity_feed().decode()) >= 100 * MAX_ENTITY_EXPANSION  # counting stops there
    assert entity_expansion(billion_laughs().decode()) > MAX_ENTITY_EXPANSION
    cyclic = '<!DOCTYPE r [<!ENTITY a "&b;"><!ENTITY b "&a;">]><r>&a;</r>'
    assert entity_expansion(cyclic) > MAX_ENTITY_EXPANSION
    small = '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY co "Kanto Shimbun">\n]>\n<rss version="2.0"><channel><title>&co;</title></channel></rss>'
    assert entity_expansion(small) == len("Kanto Shimbun")
    assert parse_feed(small.encode()).title == "Kanto Shimbun"  # a small declared entity still works
    refused = parse_feed(entity_feed())
    assert refused.entries == () and refused.version == "" and refused.problem.startswith("refused: its DTD")
    assert json_depth('{"a": ["[[[", {"b": [1]}]}') == 4


def test_hostile_json_feeds_are_one_failure_each_with_clean_fields():
    deep = parse_feed(b"[" * 200_000)
    assert deep.entries == () and "nested 200,000 deep" in deep.problem
    surrogate = parse_feed(b'{"title": "a \\ud800 b", "items": [{"url": "http://x.example/1", "title": "c \\udc00"}]}')
    assert surrogate.title == "a \ufffd b" and surrogate.entries[0].title == "c \ufffd"
    typed = parse_feed(
        b'{"title": ["x"], "items": [{"id": {"a": 1}, "url": "http://x.example/2", "title": 5, '
        b'"date_published": ["2026"], "authors": "nobody", "summary": {"h": 1}}, 7, null]}'
    )
    entry = typed.entries[0]
    assert typed.title == "" and entry.title == "5" and entry.published is None and entry.summary == ""
    assert entry.key == "http://x.example/2" and entry.author == ""
    assert "2 entries without a usable link" in typed.problem


# -- whole runs as a user runs them: bounded time and memory, the rest of the run stored --------


def _run(tmp_path, feeds: list[dict], limit: float = 90) -> tuple[int, float, float, str]:
    """`monitor run --once` as a real process: (exit code, seconds, peak RSS in MB, stderr)."""
    config = write_config(tmp_path / "feeds.yaml", feeds, timeout="1s", total_timeout=f"{DEADLINE:g}s", robots_timeout="1s")
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "run", "--once", "--config", str(config), "--db", str(tmp_path / "a.sqlite3")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killer = threading.Timer(limit, proc.kill)
    killer.start()
    out = []
    readers = [threading.Thread(target=lambda s=s: out.append(s.read())) for s in (proc.stdout, proc.stderr)]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    killer.cancel()
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, time.monotonic() - started, usage.ru_maxrss / 1024, "\n".join(out)


HOSTILE_FEEDS = {
    "drip-headers": "/drip-headers",
    "continue-forever": "/continue-forever",
    "empty-gzip-blocks": "/empty-gzip-blocks",
    "double-gzip": "/double-gzip",
    "gzip-bomb": "/gzip-bomb",
    "entity": "/entity-feed.xml",
    "laughs": "/laughs.xml",
    "deep-json": "/deep.json",
    "surrogate-json": "/surrogate.json",
    "typed-json": "/typed.json",
}
EXPECTED_STATUS = {
    "drip-headers": "timeout",
    "continue-forever": "timeout",
    "empty-gzip-blocks": "timeout",
    "double-gzip": "too_large",
    "gzip-bomb": "too_large",
    "entity": "refused: its DTD",
    "laughs": "refused: its DTD",
    "deep-json": "refused: JSON nested",
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FEEDS))
def test_a_hostile_feed_is_one_recorded_failure_and_the_run_goes_on(server, faults, tmp_path, case):
    good = {"name": "good", "url": f"{server.base_url}/hanbit/feed.xml", "lang": "ko", "kind": "topical"}
    bad = {"name": "hostile", "url": faults.base_url + HOSTILE_FEEDS[case], "lang": "en", "kind": "topical"}
    code, seconds, rss, stderr = _run(tmp_path, [bad, good])
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert seconds < DEADLINE + 30  # ended: a hang is killed at 90 s and fails here
    assert rss < 300, f"peak RSS {rss:.0f} MB"
    with sqlite3.connect(tmp_path / "a.sqlite3") as db:
        status = dict(db.execute("SELECT name, last_status FROM feeds"))
        stored = db.execute("SELECT count(*) FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE f.name = 'good'").fetchone()[0]
        titles = [row[0] for row in db.execute("SELECT title FROM entries")]
    assert stored > 0  # the other feed of the same run was stored
    if case in EXPECTED_STATUS:
        assert status["hostile"].startswith("error") and EXPECTED_STATUS[case] in status["hostile"], status["hostile"]
    else:  # the JSON feeds with odd fields: read, cleaned, stored
        assert status["hostile"] == "ok"
        assert all("\ud800" not in t and "\udc00" not in t for t in titles)


def test_a_hostile_article_page_is_recorded_on_its_entry_and_the_run_goes_on(server, faults, tmp_path):
    items = "".join(
        f"<item><title>page {name}</title><link>{faults.base_url}{path}</link><guid>{name}</guid></item>"
        for name, path in [("drip", "/drip-headers"), ("continue", "/continue-forever"), ("bomb", "/double-gzip")]
    )
    feed = faults.add("/feed.xml", f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>', content_type="application/rss+xml")
    faults.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    good = {"name": "good", "url": f"{server.base_url}/hanbit/feed.xml", "lang": "ko", "kind": "topical"}
    code, seconds, rss, stderr = _run(tmp_path, [{"name": "links", "url": feed, "lang": "en", "kind": "topical"}, good])
    assert code == 0 and "Traceback" not in stderr, stderr
    assert rss < 300 and seconds < 3 * DEADLINE + 30
    with sqlite3.connect(tmp_path / "a.sqlite3") as db:
        errors = dict(db.execute("SELECT title, last_error FROM entries WHERE title LIKE 'page %'"))
        notes = dict(db.execute("SELECT title, extraction_note FROM articles WHERE title LIKE 'page %'"))
        logged = [row[0] for row in db.execute("SELECT error FROM fetch_log WHERE purpose = 'page' AND error IS NOT NULL")]
        stored = db.execute("SELECT count(*) FROM articles WHERE feed_id = (SELECT id FROM feeds WHERE name = 'good')").fetchone()[0]
    assert "timeout" in errors["page drip"] and "timeout" in errors["page continue"]
    assert "too_large" in notes["page bomb"]  # not transient: kept from the feed, the reason on the article
    assert len(logged) == 3 and stored > 0


# -- the destination policy -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "host, expected",
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("localhost", "127.0.0.1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("10.0.0.5", "10.0.0.5"),
        ("example.com", None),
        ("intranet", None),
    ],
)
def test_every_spelling_of_an_address_is_read(host, expected):
    found = ip_literal(host)
    assert (str(found) if found else None) == expected


def test_what_the_policy_refuses():
    for address, kind in [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("64:ff9b::7f00:1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-public"),
        ("240.0.0.1", ""),  # reserved; Python's tables call it private
    ]:
        reason = refusal(address)
        assert reason and kind in reason, address
    assert refusal("93.184.216.34") is None and refusal("2606:4700::1111") is None
    from monitor.fetch.guard import parse_networks

    assert refusal("10.1.2.3", parse_networks(["10.0.0.0/8"])) is None


@pytest.mark.parametrize(
    "url", ["http://10.0.0.5/f.xml", "http://169.254.169.254/latest/", "http://0x7f.1/f.xml", "http://localhost:8080/f.xml", "http://[::1]/f"]
)
def test_the_configuration_refuses_internal_feeds_unless_allowed(url):
    feeds = [{"name": "x", "url": url, "lang": "en", "kind": "topical"}]
    with pytest.raises(ConfigError, match="allow_private"):
        config_from_dict({"feeds": feeds})
    network = "::1/128" if "::1" in url else ("10.0.0.0/8" if "10.0" in url else ("169.254.0.0/16" if "169" in url else "127.0.0.0/8"))
    assert config_from_dict({"defaults": {"allow_private": [network]}, "feeds": feeds}).feeds[0].url == url
    assert config_from_dict({"feeds": [dict(feeds[0], allow_private=[network])]}).feeds[0].allow_private == (network,)
    with pytest.raises(ConfigError, match="not an address or network"):
        config_from_dict({"defaults": {"allow_private": ["nonsense"]}, "feeds": feeds})


SECRET = "INTERNAL-ONLY " * 40


def _ssrf_site(site: FaultServer, internal: FaultServer) -> str:
    """A feed on the public-standing host whose items reach the internal host every way we know."""
    port = internal.base_url.rsplit(":", 1)[1]
    internal.add("/secret", f"<html><body><article><p>{SECRET}</p></article></body></html>")
    internal.add("/feed.xml", '<rss version="2.0"><channel><title>internal</title></channel></rss>', content_type="application/rss+xml")
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    site.redirect("/go", f"http://127.0.0.1:{port}/secret")
    site.redirect("/feed-moved.xml", f"http://127.0.0.1:{port}/feed.xml")
    links = {
        "direct": f"http://127.0.0.1:{port}/secret",
        "localhost": f"http://localhost:{port}/secret",
        "decimal": f"http://2130706433:{port}/secret",
        "hex": f"http://0x7f.1:{port}/secret",
        "short": f"http://127.1:{port}/secret",
        "mapped": f"http://[::ffff:127.0.0.1]:{port}/secret",
        "redirect": f"{site.base_url}/go",
    }
    items = "".join(f"<item><title>via {k}</title><link>{v}</link><guid>{k}</guid></item>" for k, v in links.items())
    return site.add("/feed.xml", f'<rss version="2.0"><channel><title>s</title>{items}</channel></rss>', content_type="application/rss+xml")


def test_internal_addresses_are_never_fetched_in_any_spelling(tmp_path):
    with FaultServer("127.0.0.2") as site, FaultServer("127.0.0.1") as internal:
        feed = _ssrf_site(site, internal)
        feeds = [
            {"name": "public", "url": feed, "lang": "en", "kind": "topical"},
            {"name": "moved", "url": f"{site.base_url}/feed-moved.xml", "lang": "en", "kind": "topical"},
        ]
        with FixtureServer() as unused:
            config = site_config(unused, feeds=feeds, allow_private=("127.0.0.2/32",))
        with Archive(tmp_path / "a.sqlite3") as archive:
            pipeline = Pipeline(archive, config)
            try:
                summary = pipeline.run_once()
            finally:
                pipeline.close()
            notes = dict(archive.db.execute("SELECT title, extraction_note FROM articles"))
            texts = " ".join(row[0] or "" for row in archive.db.execute("SELECT text FROM articles"))
            moved = archive.db.execute("SELECT last_status FROM feeds WHERE name = 'moved'").fetchone()[0]
            logged = [row[0] for row in archive.db.execute("SELECT error FROM fetch_log WHERE error LIKE '%refused%'")]
    assert internal.paths() == []  # not one request reached the internal host
    assert "INTERNAL-ONLY" not in texts
    assert len(notes) == 7 and all("destination refused" in (note or "") for note in notes.values()), notes
    assert "is a loopback address (127.0.0.1)" in notes["via redirect"]
    assert moved.startswith("error: refused") and "loopback" in moved
    assert len(logged) >= 8 and summary.feeds_failed == 1


def test_a_feed_allowed_an_internal_network_may_reach_it(tmp_path):
    with FaultServer("127.0.0.2") as site, FaultServer("127.0.0.1") as internal:
        feed = _ssrf_site(site, internal)
        internal.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        feeds = [{"name": "intranet", "url": feed, "lang": "en", "kind": "topical", "allow_private": ["127.0.0.1/32"]}]
        with FixtureServer() as unused:
            config = site_config(unused, feeds=feeds, allow_private=("127.0.0.2/32",))
        with Archive(tmp_path / "a.sqlite3") as archive:
            pipeline = Pipeline(archive, config)
            try:
                pipeline.run_once()
            finally:
                pipeline.close()
            pages = archive.db.execute("SELECT count(*) FROM articles WHERE extraction = 'page'").fetchone()[0]
    assert internal.paths("/secret") and pages >= 1


def test_a_pooled_connection_is_checked_again_under_a_stricter_policy(faults):
    faults.add("/page", "<html><body>ok</body></html>")
    with Fetcher(FetchSettings(timeout=1.0, total_timeout=DEADLINE, per_host_min_interval=0)) as fetcher:
        assert fetcher.get(faults.base_url + "/page", allow=(__import__("ipaddress").ip_network("127.0.0.0/8"),)).status == 200
        with pytest.raises(FetchError) as caught:
            fetcher.get(faults.base_url + "/page")
    assert caught.value.kind == "refused" and not caught.value.transient
    assert faults.paths("/page") == ["/page"]


# -- robots.txt on every hop ------------------------------------------------------------------


def test_a_redirect_to_a_disallowed_path_on_another_host_is_never_requested(tmp_path):
    with FaultServer("127.0.0.2") as aggregator, FaultServer("127.0.0.3") as publisher:
        publisher.add("/robots.txt", "User-agent: *\nDisallow: /premium/\n", content_type="text/plain")
        publisher.add("/premium/article.html", "<html><body><p>paid</p></body></html>")
        aggregator.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        aggregator.redirect("/go/1", f"{publisher.base_url}/premium/article.html")
        feed = aggregator.add(
            "/feed.xml",
            f'<rss version="2.0"><channel><title>a</title><item><title>Paid story</title><link>{aggregator.base_url}/go/1</link></item></channel></rss>',
            content_type="application/rss+xml",
        )
        with FixtureServer() as unused:
            config = site_config(unused, feeds=[{"name": "agg", "url": feed, "lang": "en", "kind": "topical"}])
        with Archive(tmp_path / "a.sqlite3") as archive:
            pipeline = Pipeline(archive, config)
            try:
                pipeline.run_once()
            finally:
                pipeline.close()
            note = archive.db.execute("SELECT extraction_note FROM articles").fetchone()[0]
    assert publisher.paths() == ["/robots.txt"]  # the disallowed path was never asked for
    assert "disallowed by robots.txt (redirect to" in note


def test_the_demo_and_tests_allow_loopback_explicitly():
    text = (REPO / "feeds.yaml").read_text(encoding="utf-8")
    assert "allow_private" not in yaml.safe_load(text)["defaults"]  # production config: nothing internal
    from monitor.demo.server import LOOPBACK as DEMO

    assert DEMO == LOOPBACK

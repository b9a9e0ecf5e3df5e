"""The outputs users plug in, each end to end against real local parts: the Atom feed parsed back
with feedparser, the digest by email to a real SMTP server (aiosmtpd) and by webhook to a real HTTP
receiver on loopback, OPML export and import round-tripped, the daemon's /healthz and /metrics
scraped from the real daemon process, and Datasette's full-text search."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import queue
import signal
import sqlite3
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner
from datasette.app import Datasette
from prometheus_client.parser import text_string_to_metric_families

from monitor.cli import main
from monitor.demo import demo_feeds
from monitor.observe import DaemonMetrics
from monitor.store import Archive

from conftest import REPO, monitor, write_config

LAUNCH = "2026-04-01"  # Korean and English: the company's launch
KYOEI = "2026-03-27"  # Japanese: the budget figure and the new name
PLACEHOLDER_FEED = [{"name": "placeholder", "url": "http://127.0.0.1:9/feed.xml", "lang": "ko", "kind": "topical"}]


@pytest.fixture
def archive_copy(sqlite_demo_archive, tmp_path) -> Path:
    """A private copy of the demo archive (publishing only reads it, but opening it migrates)."""
    target = tmp_path / "monitor.sqlite3"
    with sqlite3.connect(sqlite_demo_archive[0]) as db:
        db.execute("VACUUM INTO ?", [str(target)])
    return target


def publish(config: Path, db: Path, day: str, *extra: str):
    return CliRunner().invoke(main, ["publish", "--config", str(config), "--db", str(db), "--date", day, *extra])


# -- Atom ----------------------------------------------------------------------------------


def test_the_atom_feed_of_digests_and_fact_updates_parses_back(archive_copy, tmp_path):
    folder = tmp_path / "digests"
    base = "https://monitor.example/digests/"
    config = write_config(tmp_path / "feeds.yaml", PLACEHOLDER_FEED,
                          digest={"folder": str(folder), "timezone": "Asia/Seoul", "base_url": base})  # fmt: skip
    for day in (KYOEI, LAUNCH):
        result = publish(config, archive_copy, day, "--no-deliver")
        assert result.exit_code == 0, result.output
    assert {p.name for p in folder.iterdir()} == {f"{d}.{ext}" for d in (KYOEI, LAUNCH) for ext in ("md", "html", "json")} | {"feed.atom"}

    feed = feedparser.parse((folder / "feed.atom").read_bytes())
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.version == "atom10" and feed.feed.title == "Sovereign AI monitor"
    assert feed.feed.links[0].href == base + "feed.atom"
    digests = {e.id: e for e in feed.entries if e.id.startswith("tag:sovereign-ai-monitor,2025:digest:")}
    assert set(digests) == {f"tag:sovereign-ai-monitor,2025:digest:{d}" for d in (KYOEI, LAUNCH)}
    launch = digests[f"tag:sovereign-ai-monitor,2025:digest:{LAUNCH}"]
    assert launch.title == f"Sovereign AI monitor, {LAUNCH}: 5 fact updates, 1 story"
    assert launch.link == base + f"{LAUNCH}.html"
    assert "재팬AI파운데이션" in launch.content[0].value and 'lang="ko"' in launch.content[0].value
    assert "国産AI支援" in digests[f"tag:sovereign-ai-monitor,2025:digest:{KYOEI}"].content[0].value

    updates = [e for e in feed.entries if ":update:" in e.id]
    by_title = {e.title: e for e in updates}
    assert "F5: new name 日本AIファウンデーション" in by_title and "F5: new name 재팬AI파운데이션" in by_title
    japanese = by_title["F5: new name 日本AIファウンデーション"]
    assert japanese.summary_detail.language == "ja" and "日本AIファウンデーション" in japanese.content[0].value
    assert japanese.author == "共栄通信" and japanese.link.startswith("http://127.0.0.1:")
    assert by_title["F3: 387.3 billion JPY (tracked: 300 billion JPY)"].published.startswith("2026-03-27")
    assert len({e.id for e in feed.entries}) == len(feed.entries)  # ids are unique ...

    again = publish(config, archive_copy, LAUNCH, "--no-deliver")
    assert again.exit_code == 0
    reparsed = feedparser.parse((folder / "feed.atom").read_bytes())
    assert {e.id for e in reparsed.entries} == {e.id for e in feed.entries}  # ... and stable: a reader shows each once
    stamps = [e.updated for e in reparsed.entries]
    assert stamps == sorted(stamps, reverse=True)


# -- email ---------------------------------------------------------------------------------


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's naming)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == "s3cret-한".encode(), handled=False)


class LoopbackSMTP(Controller):
    """aiosmtpd's threaded server on 127.0.0.1, on any free port."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = LoopbackSMTP(mailbox, hostname="127.0.0.1", port=0, authenticator=mailbox.authenticate,
                              auth_require_tls=False)  # fmt: skip
    controller.start()
    try:
        yield controller, mailbox
    finally:
        controller.stop()


def test_the_digest_arrives_by_email_with_a_text_and_an_html_part(archive_copy, tmp_path, smtp_server, monkeypatch):
    controller, mailbox = smtp_server
    email_settings = {"host": "127.0.0.1", "port": controller.port, "security": "none", "from": "monitor@example.org",
                      "to": ["analyst@example.org", "desk@example.org"], "username": "monitor",
                      "password_env": "MONITOR_TEST_SMTP_PASSWORD", "timeout": "20s"}  # fmt: skip
    config = write_config(tmp_path / "feeds.yaml", PLACEHOLDER_FEED, delivery={"email": email_settings},
                          digest={"folder": str(tmp_path / "digests"), "timezone": "Asia/Seoul"})  # fmt: skip

    monkeypatch.delenv("MONITOR_TEST_SMTP_PASSWORD", raising=False)
    unset = publish(config, archive_copy, LAUNCH)
    assert unset.exit_code == 1 and "environment variable MONITOR_TEST_SMTP_PASSWORD is not set" in unset.output
    assert mailbox.messages == [] and (tmp_path / "digests" / f"{LAUNCH}.html").is_file()  # files first, whatever happens

    monkeypatch.setenv("MONITOR_TEST_SMTP_PASSWORD", "s3cret-한")
    sent = publish(config, archive_copy, LAUNCH)
    assert sent.exit_code == 0, sent.output
    assert "delivered by email to analyst@example.org, desk@example.org" in sent.output
    assert mailbox.logins == [("monitor", "s3cret-한")]
    [(sender, recipients, raw)] = mailbox.messages
    assert sender == "monitor@example.org" and recipients == ["analyst@example.org", "desk@example.org"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == f"Sovereign AI monitor, {LAUNCH}: 5 fact updates, 1 story"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    assert text.startswith(f"# Sovereign AI monitor: {LAUNCH} (Asia/Seoul)") and "재팬AI파운데이션" in text and "13:10 KST" in text
    assert page.startswith("<!DOCTYPE html>") and '<span lang="ko">재팬AI파운데이션</span>' in page

    wrong = tmp_path / "wrong.yaml"
    write_config(wrong, PLACEHOLDER_FEED, delivery={"email": email_settings}, digest={"folder": str(tmp_path / "d2")})
    monkeypatch.setenv("MONITOR_TEST_SMTP_PASSWORD", "wrong")
    refused = publish(wrong, archive_copy, LAUNCH)
    assert refused.exit_code == 1 and f"email via 127.0.0.1:{controller.port}: 535" in refused.output


def test_delivery_settings_are_checked_like_the_rest_of_the_file(tmp_path):
    cases = {
        "to": ({"email": {"host": "smtp.example.org", "from": "m@example.org", "to": "nobody"}},
               "defaults: field 'delivery.email.to': expected a list of addresses"),
        "loopback": ({"webhook": {"url": "http://127.0.0.1:8/hook", "allow_private": []}},
                     "field 'delivery.webhook.url': 127.0.0.1 is a loopback address"),
        "env": ({"webhook": {"url": "https://hooks.example.org/x", "token_env": "not a name"}},
                "field 'delivery.webhook.token_env': expected the name of an environment variable"),
        "channel": ({"pigeon": {}}, "field 'delivery.pigeon': unknown channel"),
    }  # fmt: skip
    for name, (delivery, message) in cases.items():
        config = write_config(tmp_path / f"{name}.yaml", PLACEHOLDER_FEED, delivery=delivery)
        if name == "loopback":  # without the defaults' allowance of the tests' loopback site
            data = yaml.safe_load(config.read_text(encoding="utf-8"))
            del data["defaults"]["allow_private"]
            data["feeds"] = [{"name": "x", "url": "https://example.org/f.xml", "lang": "en", "kind": "topical"}]
            config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        result = CliRunner().invoke(main, ["feeds", "--config", str(config)])
        assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output, (name, result.output)


# -- webhook -------------------------------------------------------------------------------


class Receiver:
    """A loopback HTTP receiver that answers `statuses` in turn (then 200) and keeps what it got."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_the_digest_is_posted_to_a_webhook_and_retried(archive_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_TEST_WEBHOOK_TOKEN", "tok-123")
    with Receiver([503, 502]) as receiver:
        hook = {"url": receiver.url, "token_env": "MONITOR_TEST_WEBHOOK_TOKEN", "attempts": 4, "retry_delay": "0s"}
        config = write_config(tmp_path / "feeds.yaml", PLACEHOLDER_FEED, delivery={"webhook": hook},
                              digest={"folder": str(tmp_path / "digests"), "timezone": "Asia/Tokyo"})  # fmt: skip
        result = publish(config, archive_copy, KYOEI)
    assert result.exit_code == 0, result.output
    assert "delivered by webhook HTTP 200 after 3 attempts" in result.output
    assert len(receiver.requests) == 3
    keys = {headers["Idempotency-Key"] for headers, _ in receiver.requests}
    assert keys == {f"digest-{KYOEI}"}  # one key for every attempt: the receiver can drop a repeat
    headers, body = receiver.requests[-1]
    assert headers["Authorization"] == "Bearer tok-123" and headers["Content-Type"] == "application/json; charset=utf-8"
    digest = json.loads(body.decode("utf-8"))
    assert digest["schema"] == "sovereign-ai-monitor/digest" and digest["day"] == KYOEI and digest["timezone"] == "Asia/Tokyo"
    assert any(u["name"] == "日本AIファウンデーション" and u["lang"] == "ja" for u in digest["updates"])
    assert digest["updates"][0]["reported_local"].endswith("+09:00")


def test_a_webhook_that_refuses_is_not_retried_and_fails_the_publish(archive_copy, tmp_path):
    with Receiver([403]) as receiver:
        config = write_config(tmp_path / "feeds.yaml", PLACEHOLDER_FEED, digest={"folder": str(tmp_path / "digests")},
                              delivery={"webhook": {"url": receiver.url, "retry_delay": "0s"}})  # fmt: skip
        result = publish(config, archive_copy, LAUNCH)
    assert result.exit_code == 1 and "HTTP 403 (not retried)" in result.output and len(receiver.requests) == 1


def test_the_webhook_obeys_the_destination_policy_when_connecting():
    # The file's check sees only the URL; the address a host name resolves to is checked when
    # connecting, through the fetches' guarded transport: loopback is refused unless allowed.
    from monitor.config import WebhookDelivery
    from monitor.delivery import DeliveryError, post_webhook

    with Receiver([]) as receiver:
        hook = WebhookDelivery(url=f"http://localhost:{receiver.httpd.server_address[1]}/hook", attempts=1, retry_delay=0)
        with pytest.raises(DeliveryError, match="destination refused: localhost is a loopback address"):
            post_webhook(hook, b"{}", idempotency_key="k")
        assert receiver.requests == []
        allowed = post_webhook(hook, '{"일": "日"}'.encode(), idempotency_key="k", allow=["127.0.0.0/8"])
    assert allowed.detail == "HTTP 200 after 1 attempt" and receiver.requests[0][1].decode() == '{"일": "日"}'


# -- OPML ----------------------------------------------------------------------------------

FEEDS_A = [
    {"name": "hani-world", "title": "한겨레 국제", "url": "https://www.hani.co.kr/rss/international/", "lang": "ko", "kind": "general"},
    {"name": "asahi-tech", "title": "朝日新聞 テクノロジー", "url": "https://www.asahi.com/rss/asahi/tech.rdf", "lang": "ja", "kind": "general"},
    {"name": "gnews-en", "title": "Google News (en) - Japan sovereign AI", "url": "https://news.google.com/rss/search?q=japan+sovereign+ai&hl=en",
     "lang": "en", "kind": "topical"},
]  # fmt: skip


def outlines(opml: str) -> list[dict]:
    return [dict(o.attrib) for o in ET.fromstring(opml.encode("utf-8")).iter("outline")]


def test_opml_export_and_import_round_trip(tmp_path):
    runner = CliRunner()
    source = write_config(tmp_path / "a.yaml", FEEDS_A)
    exported = runner.invoke(main, ["feeds", "--config", str(source), "--export", "-"])
    assert exported.exit_code == 0, exported.output
    first = outlines(exported.stdout)
    assert [o["title"] for o in first] == ["한겨레 국제", "朝日新聞 テクノロジー", "Google News (en) - Japan sovereign AI"]
    assert [o["language"] for o in first] == ["ko", "ja", "en"] and all(o["type"] == "rss" for o in first)
    opml = tmp_path / "a.opml"
    assert runner.invoke(main, ["feeds", "--config", str(source), "--export", str(opml)]).exit_code == 0

    target = tmp_path / "b.yaml"
    write_config(target, [{"name": "mine", "url": "https://example.org/mine.xml", "lang": "en", "kind": "topical"}])
    target.write_text("# my feeds, kept as written\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    imported = runner.invoke(main, ["feeds", "--config", str(target), "--import", str(opml)])
    assert imported.exit_code == 0, imported.output
    assert "added 3 to" in imported.output and "0 already listed" in imported.output
    assert target.read_text(encoding="utf-8").startswith("# my feeds, kept as written\n")
    back = outlines(runner.invoke(main, ["feeds", "--config", str(target), "--export", "-"]).stdout)
    assert back[0]["monitorName"] == "mine" and back[1:] == first  # the same feeds, names, titles, kinds

    again = runner.invoke(main, ["feeds", "--config", str(target), "--import", str(opml)])
    assert again.exit_code == 0 and "added 0 to" in again.output and "3 already listed" in again.output


def test_importing_another_readers_opml(tmp_path):
    opml = tmp_path / "reader.opml"
    opml.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My subscriptions</title></head><body>
  <outline text="日本" title="日本">
    <outline type="rss" text="NHK ニュース" xmlUrl="https://www.nhk.or.jp/rss/news/cat0.xml" language="ja-JP"/>
    <outline type="rss" text="毎日新聞" xmlUrl="https://mainichi.jp/rss/etc/mainichi-flash.rss"/>
  </outline>
  <outline type="rss" text="Yonhap English" xmlUrl="https://en.yna.co.kr/RSS/news.xml" language="en"/>
  <outline text="a folder without feeds"/>
</body></opml>""", encoding="utf-8")
    config = write_config(tmp_path / "feeds.yaml", PLACEHOLDER_FEED)
    runner = CliRunner()
    dry = runner.invoke(main, ["feeds", "--config", str(config), "--import", str(opml), "--dry-run"])
    assert dry.exit_code == 0 and "would add 2" in dry.output and "1 skipped" in dry.output and "pass --lang" in dry.output
    assert "nhk" not in config.read_text(encoding="utf-8")
    done = runner.invoke(main, ["feeds", "--config", str(config), "--import", str(opml), "--lang", "ja"])
    assert done.exit_code == 0, done.output
    feeds = {f["url"]: f for f in yaml.safe_load(config.read_text(encoding="utf-8"))["feeds"]}
    assert feeds["https://mainichi.jp/rss/etc/mainichi-flash.rss"]["lang"] == "ja"
    assert feeds["https://mainichi.jp/rss/etc/mainichi-flash.rss"]["title"] == "毎日新聞"
    assert feeds["https://mainichi.jp/rss/etc/mainichi-flash.rss"]["name"] == "mainichi-jp-rss-etc-mainichi-flash-rss"
    assert feeds["https://www.nhk.or.jp/rss/news/cat0.xml"]["name"] == "nhk"  # the title's ASCII, else the URL
    assert feeds["https://en.yna.co.kr/RSS/news.xml"] == {"name": "yonhap-english", "title": "Yonhap English",
                                                          "url": "https://en.yna.co.kr/RSS/news.xml", "lang": "en", "kind": "general"}  # fmt: skip
    assert runner.invoke(main, ["feeds", "--config", str(config)]).exit_code == 0  # still a valid feeds file

    hostile = tmp_path / "hostile.opml"
    hostile.write_text('<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body/></opml>', encoding="utf-8")
    refused = runner.invoke(main, ["feeds", "--config", str(config), "--import", str(hostile)])
    assert refused.exit_code == 2 and "DTD or entities" in refused.output
    notxml = runner.invoke(main, ["feeds", "--config", str(config), "--import", str(config)])
    assert notxml.exit_code == 2 and "not well-formed XML" in notxml.output


# -- the daemon's /healthz and /metrics ----------------------------------------------------


def metric(families: dict, name: str, **labels) -> float:
    for sample in families[name].samples if name in families else ():
        if sample.name == name + ("_total" if families[name].type == "counter" else "") or sample.name == name:
            if all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    raise KeyError((name, labels))


def test_the_daemon_serves_healthz_and_metrics(server, tmp_path):
    config = write_config(tmp_path / "feeds.yaml", demo_feeds(server), daemon_tick="1h",
                          digest={"folder": str(tmp_path / "digests")})  # fmt: skip
    process = monitor("daemon", "--config", str(config), "--db", str(tmp_path / "monitor.sqlite3"), "--http", "127.0.0.1:0")
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True)
    reader.start()

    def wait_for_line(text: str) -> str:
        while True:
            line = lines.get(timeout=120)  # raises queue.Empty if the daemon never says it
            if text in line:
                return line

    try:
        address = wait_for_line("serving /healthz and /metrics on ").split(" on ")[-1].strip()
        wait_for_line("cycle: polled 12 feeds")  # the first cycle is done
        with urllib.request.urlopen(f"{address}/healthz", timeout=10) as response:
            health = json.loads(response.read())
            assert response.status == 200
        assert health["status"] == "ok" and health["cycles"] == 1 and health["last_cycle_age_seconds"] >= 0
        with urllib.request.urlopen(f"{address}/metrics", timeout=10) as response:
            assert response.headers["Content-Type"].startswith("text/plain")
            families = {f.name: f for f in text_string_to_metric_families(response.read().decode())}
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{address}/nothing", timeout=10)
        assert missing.value.code == 404
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    assert metric(families, "monitor_feed_polls", result="ok") == 12
    assert metric(families, "monitor_feed_polls", result="failed") == 0
    assert metric(families, "monitor_articles_stored") == 40
    assert metric(families, "monitor_cycles", outcome="ok") == 1
    feed_fetches = [s for s in families["monitor_fetch_duration_seconds"].samples
                    if s.name.endswith("_count") and s.labels["purpose"] == "feed"]  # fmt: skip
    assert feed_fetches and feed_fetches[0].value == 12
    assert metric(families, "monitor_last_cycle_age_seconds") >= 0
    assert metric(families, "monitor_last_cycle_timestamp_seconds") > 1.7e9
    assert process.returncode == 0


def test_healthz_turns_503_when_the_daemon_shows_no_sign_of_life():
    now = [1000.0]
    metrics = DaemonMetrics(clock=lambda: now[0])
    assert metrics.health(60)[0] is True  # just started
    now[0] += 61
    healthy, details = metrics.health(60)
    assert healthy is False and details["status"] == "stale" and details["last_cycle_age_seconds"] is None
    metrics.cycle_started()
    metrics.cycle_finished(polled=3, failed=1, unchanged=1, stored=2, fetches=[{"purpose": "feed", "elapsed_ms": 120, "error": None}])
    assert metrics.health(60) == (True, {"status": "ok", "seconds_since_activity": 0.0, "last_cycle_age_seconds": 0.0,
                                         "cycles": 1, "max_age_seconds": 60})  # fmt: skip


# -- Datasette -----------------------------------------------------------------------------

METADATA = yaml.safe_load((REPO / "db" / "metadata.yaml").read_text(encoding="utf-8"))


def test_datasette_full_text_search_on_articles_and_no_canned_query_hides_a_view(archive_copy):
    with Archive(archive_copy) as archive:
        expected = {word: {hit["id"] for hit in archive.search(word, limit=1000)} for word in ("政府", "지원", "SoftBank", "METI")}
        views = {row[0] for row in archive.db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}

    async def fetch() -> dict:
        ds = Datasette([str(archive_copy)], metadata=METADATA)
        await ds.invoke_startup()
        found = {}
        for word in expected:
            response = await ds.client.get(f"/monitor/articles.json?_search={word}&_shape=array&_size=max&_col=id")
            assert response.status_code == 200, response.text
            found[word] = {row["id"] for row in response.json()}
        page = await ds.client.get("/monitor/articles")
        view = await ds.client.get("/monitor/candidate_updates.json?_shape=array")
        return {"found": found, "search_box": 'name="_search"' in page.text, "view": view.json()}

    result = asyncio.run(fetch())
    assert result["found"] == expected and all(result["found"].values())
    assert result["search_box"]  # Datasette recognizes the FTS table: the table page has a search box
    assert result["view"] and "first_article_id" in result["view"][0]  # the view's rows, not a canned query
    assert not set(METADATA["databases"]["monitor"]["queries"]) & views


def test_an_archive_made_before_the_search_migration_is_searchable_after_it(tmp_path):
    from monitor.store.migrate import available_migrations, migrate
    from sqlite_utils import Database

    old = tmp_path / "old-migrations"
    old.mkdir()
    for number, _, path in available_migrations():
        if number < 7:
            (old / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    db = Database(tmp_path / "old.sqlite3")
    migrate(db, old)
    db.execute("""INSERT INTO articles (id, url, title, lang, fetched_at, text, extraction, reported_at)
                  VALUES (7, 'https://a.example/1', '日本政府、国産AIに3兆円', 'ja', '2026-01-01T00:00:00Z',
                          '経済産業省が基盤モデルの開発を支援する。', 'page', '2026-01-01T00:00:00Z')""")
    db.conn.commit()
    db.close()
    with Archive(tmp_path / "old.sqlite3") as archive:  # applies 007: the index is rebuilt from the articles
        assert [hit["id"] for hit in archive.search("政府")] == [7]
        assert [hit["id"] for hit in archive.search("基盤モデル")] == [7]
        assert archive.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH '経済'").fetchall() == [(7,)]

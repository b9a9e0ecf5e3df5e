"""The monitor against a naive script on one loopback news site shaped like real use (issue 14).

    python bench/heldout_like.py [--slow aggregator|outlet|none] [--rounds 2] [--articles 168]

The site, generated here and served from a separate process: 20 outlets (ko, ja, en), each on a
host of its own (`oNN.localhost`, its mobile copy `m.oNN.localhost`), 19 of them with a feed
(RSS 2.0) and one (with one article in 40) reachable through the aggregator only, pages from the site templates of tests/fixtures/understanding (written by people who
never saw the extractor, in the charsets they declare), rel=canonical on every page; some outlets'
feeds link AMP pages (`/amp/`), some their mobile host, some add tracking parameters. An
aggregator (`news.localhost`) serves a keyword-search feed per language listing every article as
"Headline - Outlet" with its `<source>`, each linked through a redirect of its own (302 to the
article, now and then to its AMP copy). One host answers every request after 1.5 s (`--slow`: the aggregator, as Google News throttles, or
one outlet). The articles are new mixes of the paragraphs of the labeled sets (heldout-13, the
demo site, the story fixtures), each with a headline of its own.

Each round runs the monitor (`monitor run --once`, the project's defaults, per-host concurrency 2,
spacing 0, a fresh archive) and the naive script (feedparser + sequential httpx + trafilatura:
every entry of every feed fetched, redirects followed), alternating, and prints for each: seconds
(process start to end), distinct articles found and per second, requests in the server's own log,
and for the monitor requests per stored article and coverage (every article stored in exactly one
row, with all its URLs: feed link, AMP or mobile copy, aggregator link). Then the medians and the
ratio monitor / naive.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import understanding as u  # noqa: E402  (the labeled sets and the site templates)

SLOW_SECONDS = 1.5
LANGS = ("ko", "ja", "en")
OUTLET_NAMES = {
    "ko": ["한빛일보", "서울경제타임스", "코리아데일리", "아침뉴스", "한강비즈", "동방통신", "누리경제"],
    "ja": ["東都新聞", "北辰日報", "共栄通信", "関東経済新聞", "やまと毎日", "西都タイムズ", "浪速ビジネス"],
    "en": ["Asia Tech Wire", "Tokyo Business Review", "The Pacific Ledger", "Nippon Economic Times", "Seoul Herald Post", "Orient Daily"],
}
# Outlets (by number) whose feeds link variants: AMP pages, the mobile host, tracking parameters.
AMP_OUTLETS, MOBILE_OUTLETS, UTM_OUTLETS = {1, 8, 15}, {3, 10, 17}, {5, 12}
SEARCH_ONLY = 19  # this outlet has no feed configured: the aggregator is the only way to it


@dataclass
class Article:
    id: str
    lang: str
    outlet: int
    title: str
    paragraphs: list[str]
    published: datetime
    urls: dict[str, str] = field(default_factory=dict)  # canonical, amp, mobile, feed, aggregator


@dataclass
class SiteSpec:
    outlets: list[tuple[int, str, str]]  # (number, lang, name)
    articles: list[Article]


# -- the site ----------------------------------------------------------------------------------


def source_items() -> dict[str, list[u.Item]]:
    """Every on-topic labeled article with paragraphs, by language."""
    items = u.load_front_matter(u.TESTS / "fixtures" / "understanding" / "heldout-13") + u.load_story_fixtures()
    from monitor.demo import load_site

    items += [u.Item(a.id, a.lang, a.title, list(a.paragraphs), a.published, a.outlet, a.topic) for a in load_site().articles]
    by_lang: dict[str, list[u.Item]] = {lang: [] for lang in LANGS}
    for item in items:
        if item.on_topic and len(item.paragraphs) >= 3:
            by_lang[item.lang].append(item)
    return by_lang


def make_site(count: int, seed: int = 14) -> SiteSpec:
    rng = random.Random(seed)
    outlets = []
    for number in range(20):
        lang = LANGS[number % 3]
        outlets.append((number, lang, OUTLET_NAMES[lang][number // 3]))
    pools = source_items()
    start = datetime(2026, 3, 30, tzinfo=timezone.utc)
    articles = []
    unused: dict[int, list[u.Item]] = {}  # per outlet: no paragraph twice (it would be the site's furniture)
    for n in range(count):
        # Most articles come from the outlets whose feeds are read; one in 40 from the outlet only the
        # aggregator leads to.
        number = SEARCH_ONLY if n % 40 == 39 else n % SEARCH_ONLY
        lang = outlets[number][1]
        if len(unused.get(number, [])) < 2:
            unused[number] = rng.sample(pools[lang], len(pools[lang]))
        first, second = unused[number].pop(), unused[number].pop()
        paragraphs = first.paragraphs[: rng.randint(2, 4)] + second.paragraphs[-rng.randint(1, 3) :]
        unique = {"ko": f"관계자는 {n}번째 회의에서 이같이 밝혔다.", "ja": f"関係者は第{n}回の会合でこう述べた。",
                  "en": f"An official said so at meeting number {n}."}[lang]  # fmt: skip
        paragraphs = [paragraphs[0], unique, *paragraphs[1:]]
        title = f"{first.title} ({n})" if lang == "en" else f"{first.title} ({n})"
        articles.append(Article(f"a{n}", lang, number, title, paragraphs, start + timedelta(minutes=17 * n)))
    return SiteSpec(outlets, articles)


def templates() -> dict[str, list[u.Template]]:
    found = u.load_templates(u.TESTS / "fixtures" / "understanding" / "templates" / "dev")
    found += u.load_templates(u.TESTS / "fixtures" / "understanding" / "templates" / "heldout")
    return {lang: [t for t in found if t.lang == lang] for lang in LANGS}


def host(number: int, port: int, mobile: bool = False) -> str:
    return f"{'m.' if mobile else ''}o{number:02d}.localhost:{port}"


def build(spec: SiteSpec, server) -> dict:
    """Serve `spec` on `server` (a FixtureServer): every page, feed and redirect as a route.
    Returns the feeds (feeds.yaml entries) and each article's URLs."""
    port = int(server.base_url.rsplit(":", 1)[1])
    by_lang = templates()
    names = {number: name for number, _, name in spec.outlets}
    feeds, outlet_items = [], {}
    aggregator = f"http://news.localhost:{port}"
    for article in spec.articles:
        number = article.outlet
        slug = f"{article.id}-{hashlib.sha256(article.title.encode()).hexdigest()[:6]}"
        canonical = f"http://{host(number, port)}/o{number:02d}/articles/{slug}.html"
        amp = f"http://{host(number, port)}/o{number:02d}/amp/articles/{slug}.html"
        mobile = f"http://{host(number, port, mobile=True)}/o{number:02d}/articles/{slug}.html"
        template = by_lang[article.lang][number // 3 % len(by_lang[article.lang])]
        item = u.Item(article.id, article.lang, article.title, article.paragraphs, article.published, names[number], True)
        page = u.render_page(item, template, canonical)
        if b'rel="canonical"' not in page:
            charset = {"euc-kr": "cp949", "shift_jis": "cp932"}.get(template.charset.lower(), template.charset)
            page = page.replace(b"<head>", b'<head><link rel="canonical" href="' + canonical.encode(charset) + b'">', 1)
        content_type = f"text/html; charset={template.charset}"
        server.add_route(f"/o{number:02d}/articles/{slug}.html", page, content_type)
        server.add_route(f"/o{number:02d}/amp/articles/{slug}.html", page.replace(b"<html", b"<html amp", 1), content_type)
        feed_link = amp if number in AMP_OUTLETS else mobile if number in MOBILE_OUTLETS else canonical
        if number in UTM_OUTLETS:
            feed_link += "?utm_source=rss&utm_medium=feed"
        token = hashlib.sha256(canonical.encode()).hexdigest()[:20]
        target = amp if int(article.id[1:]) % 7 == 0 else canonical  # now and then the aggregator sends the AMP copy
        server.add_route(f"/rss/articles/{token}", b"", "text/html", status=302, Location=target)
        article.urls = {"canonical": canonical, "amp": amp, "mobile": mobile, "feed": feed_link,
                        "aggregator": f"{aggregator}/rss/articles/{token}?oc=5"}  # fmt: skip
        outlet_items.setdefault(number, []).append(article)
    for number, lang, name in spec.outlets:
        members = sorted(outlet_items.get(number, []), key=lambda a: a.published, reverse=True)
        items = "".join(
            f"<item><title>{html.escape(a.title)}</title><link>{html.escape(a.urls['feed'])}</link>"
            f"<guid isPermaLink=\"false\">{a.id}</guid><description>{html.escape(a.paragraphs[0][:200])}</description>"
            f"<pubDate>{format_datetime(a.published)}</pubDate></item>"
            for a in members
        )
        home = f"http://{host(number, port)}/o{number:02d}/"
        feed = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{html.escape(name)}</title>'
                f"<link>{home}</link><description>{html.escape(name)}</description><language>{lang}</language>{items}</channel></rss>")  # fmt: skip
        server.add_route(f"/o{number:02d}/feed.xml", feed, "application/rss+xml; charset=utf-8")
        if number != SEARCH_ONLY:
            feeds.append({"name": f"o{number:02d}", "title": name, "url": f"{home}feed.xml", "lang": lang, "kind": "general"})
    for lang in LANGS:
        members = sorted((a for a in spec.articles if a.lang == lang), key=lambda a: a.published, reverse=True)
        items = "".join(
            f"<item><title>{html.escape(a.title)} - {html.escape(names[a.outlet])}</title><link>{a.urls['aggregator']}</link>"
            f"<guid isPermaLink=\"false\">{a.urls['aggregator']}</guid><pubDate>{format_datetime(a.published)}</pubDate>"
            f'<description>{html.escape(a.title)}</description><source url="http://{host(a.outlet, port)}/">{html.escape(names[a.outlet])}</source></item>'
            for a in members
        )
        feed = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Search ({lang})</title>'
                f"<link>{aggregator}/</link><description>search</description><language>{lang}</language>{items}</channel></rss>")  # fmt: skip
        server.add_route(f"/rss/search/{lang}.xml", feed, "application/rss+xml; charset=utf-8")
        feeds.append({"name": f"search-{lang}", "url": f"{aggregator}/rss/search/{lang}.xml", "lang": lang, "kind": "topical"})
    return {"feeds": feeds, "articles": {a.id: a.urls for a in spec.articles}, "port": port}


def _serve(count: int, slow: str, conn) -> None:
    from monitor.demo import FixtureServer, Site

    with FixtureServer(Site(outlets={})) as server:
        served = build(make_site(count), server)
        if slow == "aggregator":
            server.delays["news.localhost"] = SLOW_SECONDS
        elif slow == "outlet":
            server.delays.update({"o04.localhost": SLOW_SECONDS, "m.o04.localhost": SLOW_SECONDS})
        conn.send(served)
        while True:
            command = conn.recv()
            if command == "stop":
                return
            if command == "reset":
                with server._lock:
                    server.hits.clear()
                conn.send(True)
            elif command == "hits":
                with server._lock:
                    conn.send([(hit.headers.get("host", ""), hit.path, hit.status) for hit in server.hits])


# -- the two contenders ------------------------------------------------------------------------


def monitor_config(folder: Path, feeds: list[dict]) -> Path:
    project = yaml.safe_load((ROOT / "feeds.yaml").read_text(encoding="utf-8"))
    defaults = dict(project["defaults"], per_host_min_interval=0, per_host_concurrency=2, allow_private=["127.0.0.0/8"],
                    facts=str(ROOT / "facts.yaml"))  # fmt: skip
    defaults["opaque_link_patterns"] = [*defaults["opaque_link_patterns"], r"^http://news\.localhost:\d+/rss/articles/"]
    path = folder / "feeds.yaml"
    path.write_text(yaml.safe_dump({"defaults": defaults, "feeds": feeds}, allow_unicode=True), encoding="utf-8")
    return path


# The site's host names (oNN.localhost, news.localhost) are answered 127.0.0.1, as DNS would answer
# real ones: the same for both contenders, through a sitecustomize module on their PYTHONPATH.
_DNS = """import socket
_resolve = socket.getaddrinfo
def _loopback(host, *args, **kwargs):
    return _resolve("127.0.0.1" if str(host).endswith(".localhost") else host, *args, **kwargs)
socket.getaddrinfo = _loopback
"""


def loopback_dns(folder: Path) -> dict[str, str]:
    """The environment for a contender's process: the loopback DNS on its PYTHONPATH."""
    (folder / "sitecustomize.py").write_text(_DNS, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), env.get("PYTHONPATH")]))
    return env


def run_monitor(folder: Path, feeds: list[dict]) -> tuple[float, Path, str]:
    config = monitor_config(folder, feeds)
    db = folder / "monitor.sqlite3"
    env = loopback_dns(folder)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "monitor", "run", "--once", "--config", str(config), "--db", str(db)],
                          capture_output=True, text=True, timeout=1800, env=env)  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"monitor run failed ({done.returncode}): {done.stderr[-3000:]}")
    return elapsed, db, done.stdout


def run_naive(folder: Path, feeds: list[dict]) -> tuple[float, list]:
    out = folder / "naive.json"
    env = loopback_dns(folder)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--naive", json.dumps([f["url"] for f in feeds]), str(out)],
                          capture_output=True, text=True, timeout=3600, env=env)  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"naive script failed ({done.returncode}): {done.stderr[-3000:]}")
    return elapsed, json.loads(out.read_text(encoding="utf-8"))


def naive_script(feed_urls: list[str], out: str) -> None:
    """What a naive script does: every feed, every entry, one request at a time, redirects followed,
    trafilatura on each page."""
    import feedparser
    import httpx
    import trafilatura

    fetched = []
    with httpx.Client(follow_redirects=True, timeout=30) as client:
        for url in feed_urls:
            feed = feedparser.parse(client.get(url).content)
            for entry in feed.entries:
                try:
                    page = client.get(entry.link)
                    text = trafilatura.extract(page.text) if page.status_code == 200 else None
                    fetched.append([entry.link, str(page.url), bool(text and len(text) > 200)])
                except httpx.HTTPError as exc:
                    fetched.append([entry.link, None, False, str(exc)])
    Path(out).write_text(json.dumps(fetched), encoding="utf-8")


# -- scoring -----------------------------------------------------------------------------------


def _plain(url: str) -> str:
    return url.split("?")[0].split("#")[0]


def score_monitor(db: Path, served: dict) -> dict:
    """Coverage: each article in exactly one row, under every URL it was given, and no row holding
    two articles."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    by_url = dict(conn.execute("SELECT url, article_id FROM article_urls"))
    extraction = dict(conn.execute("SELECT id, extraction FROM articles"))
    rows = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    found, split, missing_urls, not_page = 0, [], [], []
    owners: dict[int, set[str]] = {}
    for article_id, urls in served["articles"].items():
        ids = {by_url.get(url) for url in (urls["canonical"], urls["aggregator"])} | {by_url.get(urls["feed"].split("#")[0])}
        ids.discard(None)
        if len(ids) == 1:
            found += 1
            (row,) = ids
            owners.setdefault(row, set()).add(article_id)
            if extraction.get(row) != "page":
                not_page.append(article_id)
        elif len(ids) > 1:
            split.append(article_id)
        if by_url.get(urls["aggregator"]) is None:
            missing_urls.append(article_id)
    merged = [sorted(ids) for ids in owners.values() if len(ids) > 1]
    return {"found": found, "rows": rows, "split": split, "merged": merged, "not_page": not_page, "aggregator_link_missing": missing_urls}


def score_naive(fetched: list, served: dict) -> int:
    """Distinct articles the naive script got a main text for (any of their URLs)."""
    owner = {}
    for article_id, urls in served["articles"].items():
        for kind in ("canonical", "amp", "mobile"):
            owner[_plain(urls[kind])] = article_id
    return len({owner.get(_plain(row[1])) for row in fetched if row[1] and row[2]} - {None})


def count_requests(hits: list) -> dict:
    kinds: dict[str, int] = {}
    for host_name, path, _ in hits:
        kind = "robots" if path == "/robots.txt" else "feed" if path.endswith(".xml") else "redirect" if "/rss/articles/" in path else "page"
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow", choices=["aggregator", "outlet", "none"], default="aggregator",
                        help="the host answering in 1.5 s (default: the aggregator)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--articles", type=int, default=168)
    parser.add_argument("--naive", nargs=2, metavar=("FEEDS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.naive:
        naive_script(json.loads(args.naive[0]), args.naive[1])
        return

    context = multiprocessing.get_context("spawn")
    conn, child_conn = context.Pipe()
    server = context.Process(target=_serve, args=(args.articles, args.slow, child_conn), daemon=True)
    server.start()
    served = conn.recv()
    feeds = served["feeds"]
    total = len(served["articles"])
    print(f"site: {total} articles (ko/ja/en) in 20 outlets, {len(feeds)} feeds ({len(feeds) - 3} outlets' own, 3 aggregator "
          f"searches); slow host ({SLOW_SECONDS}s per request): {args.slow}; load {os.getloadavg()[0]:.2f}")  # fmt: skip
    results: dict[str, list[dict]] = {"monitor": [], "naive": []}
    try:
        for round_number in range(1, args.rounds + 1):
            for contender in ("monitor", "naive"):
                conn.send("reset")
                conn.recv()
                with tempfile.TemporaryDirectory() as folder:
                    if contender == "monitor":
                        elapsed, db, stdout = run_monitor(Path(folder), feeds)
                        coverage = score_monitor(db, served)
                        found = coverage["found"] - len(coverage["not_page"])
                    else:
                        elapsed, fetched = run_naive(Path(folder), feeds)
                        coverage, found = None, score_naive(fetched, served)
                conn.send("hits")
                requests = count_requests(conn.recv())
                result = {"seconds": elapsed, "found": found, "rate": found / elapsed, "requests": sum(requests.values()),
                          "by_kind": requests, "coverage": coverage}  # fmt: skip
                results[contender].append(result)
                line = (f"round {round_number} {contender:7}: {elapsed:6.1f} s, {found}/{total} articles, {found / elapsed:6.1f} articles/s, "
                        f"{result['requests']} requests ({', '.join(f'{k} {v}' for k, v in sorted(requests.items()))})")  # fmt: skip
                if coverage is not None:
                    line += (f"; {coverage['rows']} rows, {result['requests'] / max(coverage['rows'], 1):.2f} requests per stored article; "
                             f"split {len(coverage['split'])}, merged {len(coverage['merged'])}, not from the page {len(coverage['not_page'])}, "
                             f"aggregator link not an alias {len(coverage['aggregator_link_missing'])}")  # fmt: skip
                print(line, flush=True)
                if contender == "monitor":
                    print("    " + stdout.strip().splitlines()[-1], flush=True)
    finally:
        conn.send("stop")
        server.join(10)
    monitor_rate = statistics.median(r["rate"] for r in results["monitor"])
    naive_rate = statistics.median(r["rate"] for r in results["naive"])
    per_article = statistics.median(r["requests"] / max(r["coverage"]["rows"], 1) for r in results["monitor"])
    covered = all(r["found"] == total and not r["coverage"]["split"] and not r["coverage"]["merged"] for r in results["monitor"])
    print(f"medians: monitor {monitor_rate:.1f} articles/s ({statistics.median(r['seconds'] for r in results['monitor']):.1f} s), "
          f"naive {naive_rate:.1f} articles/s ({statistics.median(r['seconds'] for r in results['naive']):.1f} s); "
          f"monitor / naive = {monitor_rate / naive_rate:.1f} (goal >= 5); requests per stored article {per_article:.2f} (goal <= 1.3); "
          f"coverage {'complete: every article in one row' if covered else 'NOT complete'}; load {os.getloadavg()[0]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()

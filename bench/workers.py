"""Workers on one PostgreSQL archive: 1, 2 and 4 `monitor run --once` processes at once against a
loopback site of many hosts, each host with its own politeness spacing.

    python bench/workers.py --pg postgresql://USER@HOST/postgres [--hosts 200 --feeds-per-host 10]

The site runs in a process of its own: one asyncio server listening on one port per host (a host
is a host:port, as the monitor's politeness counts them), answering every request after
`--latency` seconds (a remote site's round trip) and logging when each request arrived, by its own
clock. Each host serves `--feeds-per-host` RSS feeds of one entry each, pointing at one of its
`--articles-per-host` article pages, so workers meet the same article through different feeds.

For each worker count, a fresh database; then the figures: feeds polled per second (all feeds
polled once, from the first feed request to the last, in the server's log) and its ratio to one
worker, the whole run's wall time; and the checks: every feed polled exactly once (its interval
is 30 minutes), every article stored once, and no host asked twice within its spacing (the
smallest gap between two requests to one host, from the server's log).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import yaml

REPO = Path(__file__).resolve().parents[1]
WORDS = ("budget", "model", "compute", "engineers", "parameters", "government", "company", "support", "data",
         "research", "program", "investment", "training", "cluster", "partners", "launch", "plan", "agency")  # fmt: skip


def article_html(host: int, n: int) -> bytes:
    rng = random.Random(host * 1000 + n)
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(WORDS) for _ in range(40)) + f" Host {host} article {n} paragraph {p}.</p>"
        for p in range(5)
    )
    return (f"<html><head><title>Host {host} article {n}</title></head><body><article><h1>Host {host} article {n}</h1>"
            f"{paragraphs}</article></body></html>").encode()  # fmt: skip


def feed_xml(port: int, host: int, feed: int, articles: int) -> bytes:
    n = feed % articles
    link = f"http://127.0.0.1:{port}/a/{n}.html"
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Host {host} feed {feed}</title><link>http://127.0.0.1:{port}/</link>"
        f"<item><title>Host {host} article {n}</title><link>{link}</link><guid>h{host}-f{feed}-a{n}</guid>"
        "<pubDate>Mon, 01 Jun 2026 09:00:00 GMT</pubDate><description>Program news.</description></item>"
        "</channel></rss>"
    ).encode()


def serve(hosts: int, articles: int, latency: float, ready, control_port_out) -> None:
    """The site: one port per host, each request logged (arrival time, port, path) and answered after `latency`."""
    log: list[tuple[float, int, str]] = []

    async def main() -> None:
        servers = []
        ports: list[int] = []

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            port = writer.get_extra_info("sockname")[1]
            try:
                while True:
                    line = await reader.readline()
                    if not line:
                        return
                    arrived = time.time()
                    while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass
                    path = line.split()[1].decode()
                    if path == "/__log":
                        body, status = json.dumps(log).encode(), 200
                        log.clear()
                    else:
                        log.append((arrived, port, path))
                        await asyncio.sleep(latency)
                        host = ports.index(port)
                        if path.startswith("/f/"):
                            body, status = feed_xml(port, host, int(path[3:].split(".")[0]), articles), 200
                        elif path.startswith("/a/"):
                            body, status = article_html(host, int(path[3:].split(".")[0])), 200
                        else:
                            body, status = b"not here", 404
                    kind = "application/rss+xml" if path.startswith("/f/") else "text/html; charset=utf-8"
                    writer.write(f"HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
                    await writer.drain()
            except (ConnectionError, IndexError, ValueError):
                pass
            finally:
                writer.close()

        for _ in range(hosts):
            server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
            servers.append(server)
            ports.append(server.sockets[0].getsockname()[1])
        ready.send(ports)
        await asyncio.Event().wait()

    asyncio.run(main())


def fetch_log(port: int) -> list[tuple[float, int, str]]:
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__log", timeout=30) as response:
        return [tuple(row) for row in json.loads(response.read())]


def database(server: str, name: str) -> str:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def write_feeds(path: Path, ports: list[int], per_host: int, spacing: float, threads: int) -> int:
    feeds = [
        {"name": f"h{h}-f{f}", "url": f"http://127.0.0.1:{port}/f/{f}.xml", "lang": "en", "kind": "topical", "poll_interval": "30m"}
        for h, port in enumerate(ports) for f in range(per_host)
    ]  # fmt: skip
    defaults = {
        "allow_private": ["127.0.0.0/8"], "per_host_min_interval": f"{spacing}s", "per_host_concurrency": 2,
        "workers": threads, "timeout": "20s", "total_timeout": "60s", "min_text_chars": 50, "keywords": {},
        "facts": str(REPO / "facts.yaml"),
    }  # fmt: skip
    path.write_text(yaml.safe_dump({"defaults": defaults, "feeds": feeds}), encoding="utf-8")
    return len(feeds)


def measure(workers: int, url: str, feeds_file: Path, control: int, expected_feeds: int, articles: int, spacing: float) -> dict:
    fetch_log(control)  # forget what came before
    started = time.time()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    runs = [
        subprocess.Popen([sys.executable, "-m", "monitor", "run", "--once", "--config", str(feeds_file), "--db", url],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(workers)
    ]  # fmt: skip
    outputs = [run.communicate() for run in runs]
    wall = time.time() - started
    failed = [err[-500:] for run, (_, err) in zip(runs, outputs, strict=True) if run.returncode != 0]
    log = fetch_log(control)
    feed_hits = [(at, port, path) for at, port, path in log if path.startswith("/f/")]
    per_feed = defaultdict(int)
    for _, port, path in feed_hits:
        per_feed[(port, path)] += 1
    first, last = min(at for at, _, _ in feed_hits), max(at for at, _, _ in feed_hits)
    by_host = defaultdict(list)
    for at, port, _ in log:
        by_host[port].append(at)
    gaps = [b - a for times in by_host.values() for a, b in zip(sorted(times), sorted(times)[1:])]
    page_hits = defaultdict(int)
    for _, port, path in log:
        if path.startswith("/a/"):
            page_hits[(port, path)] += 1
    with psycopg.connect(url) as conn:
        stored, distinct, pending = conn.execute(
            "SELECT count(*), count(DISTINCT url), (SELECT count(*) FROM entries WHERE state = 'pending') FROM articles"
        ).fetchone()
    return {
        "workers": workers,
        "failed": failed,
        "wall": wall,
        "feed_polls": len(feed_hits),
        "feeds_polled": len(per_feed),
        "polled_twice": sum(1 for n in per_feed.values() if n > 1),
        "feed_rate": len(feed_hits) / (last - first) if last > first else float("nan"),
        "requests": len(log),
        "min_gap": min(gaps) if gaps else float("nan"),
        "too_close": sum(1 for gap in gaps if gap < spacing),
        "pages_fetched": sum(page_hits.values()),
        "pages_fetched_twice": sum(1 for n in page_hits.values() if n > 1),
        "articles": stored,
        "distinct_urls": distinct,
        "pending": pending,
        "expected_feeds": expected_feeds,
        "expected_articles": articles,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default=os.environ.get("MONITOR_TEST_PG"), help="a PostgreSQL server URL (its maintenance database)")
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--feeds-per-host", type=int, default=10)
    parser.add_argument("--articles-per-host", type=int, default=2)
    parser.add_argument("--spacing", type=float, default=1.0, help="per-host seconds between request starts")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the site takes to answer")
    parser.add_argument("--threads", type=int, default=8, help="fetch threads per worker process")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    if not args.pg:
        parser.error("--pg (or MONITOR_TEST_PG) names the PostgreSQL server")

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    site = context.Process(target=serve, args=(args.hosts, args.articles_per_host, args.latency, send, None), daemon=True)
    site.start()
    ports = receive.recv()
    results = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            feeds_file = Path(folder) / "feeds.yaml"
            total = write_feeds(feeds_file, ports, args.feeds_per_host, args.spacing, args.threads)
            print(f"site: {args.hosts} hosts x {args.feeds_per_host} feeds = {total} feeds, "
                  f"{args.hosts * args.articles_per_host} articles; spacing {args.spacing:g}s per host, "
                  f"latency {args.latency:g}s; {args.threads} fetch threads per worker; {os.cpu_count()} CPUs")  # fmt: skip
            for workers in args.workers:
                url = database(args.pg, f"bench_workers_{workers}")
                result = measure(workers, url, feeds_file, ports[0], total, args.hosts * args.articles_per_host, args.spacing)
                results.append(result)
                report(result, results[0])
    finally:
        site.terminate()


def report(r: dict, first: dict) -> None:
    ratio = r["feed_rate"] / first["feed_rate"]
    ok = (r["feeds_polled"] == r["expected_feeds"] and r["polled_twice"] == 0 and r["articles"] == r["distinct_urls"]
          == r["expected_articles"] and r["pending"] == 0 and r["too_close"] == 0 and not r["failed"])  # fmt: skip
    print(f"\n== {r['workers']} worker(s): {'ok' if ok else 'CHECK FAILED'}")
    print(f"  feeds polled/s   {r['feed_rate']:8.1f}   x{ratio:.2f} of 1 worker   ({r['feed_polls']} feed requests; run wall {r['wall']:.1f}s)")
    print(f"  feeds polled     {r['feeds_polled']} of {r['expected_feeds']}, polled twice: {r['polled_twice']}")
    print(f"  articles stored  {r['articles']} ({r['distinct_urls']} distinct URLs, {r['expected_articles']} on the site), "
          f"entries pending {r['pending']}; pages fetched {r['pages_fetched']} ({r['pages_fetched_twice']} fetched twice)")  # fmt: skip
    print(f"  host spacing     smallest gap {r['min_gap']:.3f}s between two requests to one host "
          f"({r['requests']} requests); gaps under the spacing: {r['too_close']}")  # fmt: skip
    for err in r["failed"]:
        print(f"  worker failed: {err}")


if __name__ == "__main__":
    main()

"""Polling benchmark: 500 feeds on loopback, polled twice; nothing changes between the rounds.

    python bench/poll.py --feeds 500

Round 1 fetches and parses every feed. Round 2 (every feed due again) should cost one 304 per
feed. Round 3 forgets the validators, as with a server that sends no ETag or Last-Modified: each
feed's body comes back whole, but its hash matches and it is not parsed again. Prints time,
requests and bytes per round. The site runs in a separate process; no article is fetched (the
feeds are general and no entry carries a keyword).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from monitor.config import config_from_dict
from monitor.demo import Site, load_site
from monitor.pipeline import Pipeline
from monitor.store import Archive

from served import served

START = datetime(2026, 11, 24, 0, 0, tzinfo=timezone.utc)


def site_of(feeds: int, per_feed: int = 5) -> Site:
    demo = load_site()
    templates = list(demo.outlets.values())
    outlets = {f"f{i}": replace(templates[i % len(templates)], key=f"f{i}") for i in range(feeds)}
    articles = []
    for i, key in enumerate(outlets):
        lang_articles = demo.by_lang(outlets[key].lang)
        for j in range(per_feed):
            source = lang_articles[(i + j) % len(lang_articles)]
            articles.append(replace(source, id=f"{key}-{j}", outlet=key, url_variants=()))
    return Site(outlets=outlets, articles=articles)


def round_figures(archive: Archive, after_id: int) -> tuple[int, int, dict]:
    rows = archive.db.execute(
        "SELECT status, count(*), sum(bytes) FROM fetch_log WHERE purpose = 'feed' AND id > ? GROUP BY status", [after_id]
    ).fetchall()
    return sum(r[1] for r in rows), sum(r[2] or 0 for r in rows), {r[0]: r[1] for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    with served(lambda: site_of(args.feeds)) as base_url:
        measure(args, base_url)


def measure(args: argparse.Namespace, base_url: str) -> None:
    site = site_of(args.feeds)
    feeds = [
        {"name": key, "url": f"{base_url}/{key}/feed.xml", "lang": outlet.lang, "kind": "general"}
        for key, outlet in site.outlets.items()
    ]
    config = config_from_dict({"defaults": {"allow_private": ["127.0.0.0/8"]}, "feeds": feeds}, source="bench")
    config = replace(config, keywords={"ko": ("no-such-word",), "ja": ("no-such-word",), "en": ("no-such-word",)})
    config = config.with_fetch(per_host_min_interval=0, per_host_concurrency=args.workers, workers=args.workers)

    print(f"{args.feeds} feeds on loopback, {len(site.articles)} entries, {args.workers} workers")
    with tempfile.TemporaryDirectory() as folder, Archive(Path(folder) / "poll.sqlite3") as archive:
        rounds = [("1: first poll", START), ("2: unchanged, validators kept", START + timedelta(hours=7))]
        rounds.append(("3: unchanged, no validators", START + timedelta(hours=14)))
        for label, now in rounds:
            if label.startswith("3"):
                archive.db.execute("UPDATE feeds SET etag = NULL, last_modified = NULL")
                archive.db.conn.commit()
            last_id = archive.db.execute("SELECT coalesce(max(id), 0) FROM fetch_log").fetchone()[0]
            pipeline = Pipeline(archive, config, clock=lambda now=now: now)
            started = time.perf_counter()
            summary = pipeline.run_once()
            elapsed = time.perf_counter() - started
            pipeline.close()
            requests, received, statuses = round_figures(archive, last_id)
            parse = summary.stage_seconds.get("feed_parse", 0.0)
            print(
                f"round {label}: {elapsed:.2f} s, {requests} requests {statuses}, {received / 1024:.0f} KiB of bodies, "
                f"{summary.feeds_unchanged} unchanged, {summary.entries_new} new entries, parse {parse:.2f} s"
            )


if __name__ == "__main__":
    main()

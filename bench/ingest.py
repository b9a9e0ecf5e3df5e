"""Ingest benchmark: a synthetic site of N articles across M feeds on loopback, run through the whole
pipeline into a fresh archive; compared with bare trafilatura extraction of the same pages.

    python bench/ingest.py --articles 2000 --feeds 20
    python bench/ingest.py --articles 2000 --feeds 20 --db postgresql://USER@HOST/EMPTY_DB

Prints articles per second end to end, seconds per stage (summed over worker threads), peak
memory of the pipeline process, and the ratio to the extraction-only ceiling. The site is served
from a separate process so that its CPU and memory do not count against the pipeline.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import trafilatura

from monitor.config import config_from_dict
from monitor.demo import Site, load_site
from monitor.demo.site import render_article
from monitor.pipeline import Pipeline
from monitor.store import Archive

from served import served


def synthetic_site(articles: int, feeds: int, seed: int = 7) -> Site:
    """N articles spread over M outlets (cycling through the demo outlets' languages, encodings and
    feed formats), each a new mix of the fixture paragraphs of its language plus a unique sentence."""
    demo = load_site()
    rng = random.Random(seed)
    templates = list(demo.outlets.values())
    outlets = {}
    for i in range(feeds):
        base = templates[i % len(templates)]
        outlets[f"o{i}"] = replace(base, key=f"o{i}", name=f"{base.name} {i}")
    pool = {lang: [p for a in demo.by_lang(lang) for p in a.paragraphs] for lang in ("ko", "ja", "en")}
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    made = []
    for n in range(articles):
        outlet = outlets[f"o{n % feeds}"]
        sample = rng.sample(pool[outlet.lang], 6)
        unique = f"Reference {n}: {rng.getrandbits(64):x}."
        template = demo.by_lang(outlet.lang)[n % len(demo.by_lang(outlet.lang))]
        made.append(
            replace(
                template,
                id=f"a{n}",
                outlet=outlet.key,
                title=f"{template.title} ({n})",
                published=start + timedelta(minutes=n),
                paragraphs=tuple([sample[0] + " " + unique, *sample[1:]]),
                url_variants=(),
                copy_of=None,
                topic=True,
            )
        )
    return Site(outlets=outlets, articles=made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--db", default=None, help="an empty PostgreSQL database to ingest into (default: a new SQLite file)")
    args = parser.parse_args()

    with served(lambda: synthetic_site(args.articles, args.feeds)) as base_url:
        measure(args, base_url)


def measure(args: argparse.Namespace, base_url: str) -> None:
    site = synthetic_site(args.articles, args.feeds)
    feeds = [
        {"name": key, "url": f"{base_url}/{key}/feed.xml", "lang": outlet.lang, "kind": "topical"}
        for key, outlet in site.outlets.items()
    ]
    config = replace(config_from_dict({"defaults": {"allow_private": ["127.0.0.0/8"]}, "feeds": feeds}, source="bench"), min_text_chars=50)
    config = config.with_fetch(per_host_min_interval=0, per_host_concurrency=args.workers, workers=args.workers)

    with tempfile.TemporaryDirectory() as folder:
        with Archive(args.db or Path(folder) / "bench.sqlite3") as archive:
            pipeline = Pipeline(archive, config)
            started = time.perf_counter()
            summary = pipeline.run_once()
            elapsed = time.perf_counter() - started
            pipeline.close()
            stored = archive.counts()["articles"]
            size = (Path(folder) / "bench.sqlite3").stat().st_size if args.db is None else 0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # The ceiling: trafilatura alone on the same pages, rendered in memory, one thread.
    pages = [render_article(site, a, base_url) for a in site.articles]
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page, favor_precision=True, include_comments=False)
    bare = time.perf_counter() - started

    rate = stored / elapsed
    ceiling = len(pages) / bare
    backend = "PostgreSQL" if args.db else "SQLite"
    print(f"articles: {args.articles} in {args.feeds} feeds, {args.workers} workers, {backend} (Python {sys.version.split()[0]})")
    print(f"stored: {stored} articles ({summary.articles_merged} merged, {summary.entries_deferred} deferred)")
    print(f"end to end: {elapsed:.2f} s, {rate:.1f} articles/s")
    print("stage seconds (summed over threads): " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(summary.stage_seconds.items())))
    print(f"peak memory (pipeline process, max RSS): {peak_mb:.0f} MB; archive file {size / 2**20:.1f} MB")
    print(f"bare trafilatura.extract: {bare:.2f} s, {ceiling:.1f} pages/s; pipeline / ceiling = {rate / ceiling:.2f}")


if __name__ == "__main__":
    main()

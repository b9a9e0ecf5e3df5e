"""Ingest benchmark: a synthetic site of N articles across M feeds on loopback, run through the whole
pipeline into a fresh archive; compared with bare trafilatura extraction of the same pages in the
same number of processes.

    python bench/ingest.py --articles 2000 --feeds 20 [--processes 2]
    python bench/ingest.py --articles 2000 --feeds 20 --db postgresql://USER@HOST/EMPTY_DB

Prints articles per second end to end, the run's own account of its time (seconds per phase and
per stage, summed over the threads or processes that ran it; the longest host queue), peak
memory (the pipeline process and its extraction workers), and two ceilings measured on the same
pages in the same number of processes: bare `trafilatura.extract`, and the pipeline's own work on
a page without any I/O or storing (monitor.pages.read_page: decoding, extraction, fact linking,
signature). The site is served from a separate process so that its CPU and memory do not count
against the pipeline (on a 2-core machine it still competes for the cores).
"""

from __future__ import annotations

import argparse
import multiprocessing
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
from monitor.demo.site import article_path, render_article
from monitor.facts import load_factbook
from monitor.pages import PageTask, read_page
from monitor.pipeline import Pipeline
from monitor.store import Archive
from monitor.workers import processes_for, usable_cores

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
    parser.add_argument("--workers", type=int, default=8, help="I/O threads")
    parser.add_argument("--processes", type=int, default=None, help="extraction worker processes (default: one per core)")
    parser.add_argument("--db", default=None, help="an empty PostgreSQL database to ingest into (default: a new SQLite file)")
    args = parser.parse_args()
    args.processes = processes_for(args.processes)

    with served(lambda: synthetic_site(args.articles, args.feeds)) as base_url:
        measure(args, base_url)


def measure(args: argparse.Namespace, base_url: str) -> None:
    site = synthetic_site(args.articles, args.feeds)
    feeds = [
        {"name": key, "url": f"{base_url}/{key}/feed.xml", "lang": outlet.lang, "kind": "topical"}
        for key, outlet in site.outlets.items()
    ]
    config = replace(
        config_from_dict({"defaults": {"allow_private": ["127.0.0.0/8"]}, "feeds": feeds}, source="bench"),
        min_text_chars=50,
        processes=args.processes,
    )
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
    workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest worker (and the server)

    # The ceilings, on the same pages (rendered in memory) in the same number of processes.
    pages = [(render_article(site, a, base_url), a) for a in site.articles]
    bare = in_processes(max(args.processes, 1), _bare_extract, [page for page, _ in pages])
    book = load_factbook(config.facts_file)
    tasks = [
        PageTask(page.encode(), "text/html; charset=utf-8", base_url + article_path(a), site.outlets[a.outlet].lang, a.title,
                 min_text_chars=config.min_text_chars)
        for page, a in pages
    ]  # fmt: skip
    own = in_processes(max(args.processes, 1), _read_page, tasks, initargs=(book,))

    rate = stored / elapsed
    ceiling = len(pages) / bare
    own_ceiling = len(pages) / own
    backend = "PostgreSQL" if args.db else "SQLite"
    print(f"articles: {args.articles} in {args.feeds} feeds, {backend}; {args.workers} I/O threads, {args.processes} extraction "
          f"processes ({usable_cores()} cores, Python {sys.version.split()[0]})")  # fmt: skip
    print(f"stored: {stored} articles ({summary.articles_merged} merged, {summary.entries_deferred} deferred)")
    print(f"end to end: {elapsed:.2f} s, {rate:.1f} articles/s")
    print(summary.timing_line())
    # The text stages per article: a page is extracted once; its text is analysed (linked, its
    # signature and story features computed) when stored and again when a relink takes it up.
    analyses = stored + summary.articles_relinked
    # Wall-clock in the worker, then its CPU time: on a machine with fewer cores than busy processes
    # the difference is time the worker waited for a core (the pipeline's threads and writer run too).
    stages = ("extract", "link", "dedup", "extract_cpu", "link_cpu", "dedup_cpu")
    per = {stage: summary.stage_seconds.get(stage, 0.0) * 1000 for stage in stages}
    print(f"per article: extract {per['extract'] / max(stored, 1):.2f} ms; link {per['link'] / max(analyses, 1):.2f} ms, "
          f"dedup {per['dedup'] / max(analyses, 1):.2f} ms per analysis ({stored} stored + {summary.articles_relinked} relinked "
          "after the run learned a name)")  # fmt: skip
    print(f"  of it CPU time: extract {per['extract_cpu'] / max(stored, 1):.2f} ms; link {per['link_cpu'] / max(analyses, 1):.2f} ms, "
          f"dedup {per['dedup_cpu'] / max(analyses, 1):.2f} ms")  # fmt: skip
    print(f"peak memory (max RSS): pipeline process {peak_mb:.0f} MB, largest child process {workers_mb:.0f} MB; archive file {size / 2**20:.1f} MB")
    print(f"ceiling 1, bare trafilatura.extract in {max(args.processes, 1)} process(es): {bare:.2f} s, {ceiling:.1f} pages/s; "
          f"pipeline / ceiling = {rate / ceiling:.2f}")  # fmt: skip
    print(f"ceiling 2, the pipeline's page work alone (read_page) in {max(args.processes, 1)} process(es): {own:.2f} s, "
          f"{own_ceiling:.1f} pages/s; pipeline / ceiling = {rate / own_ceiling:.2f}")  # fmt: skip


_BOOK = None


def _bare_extract(page: str) -> None:
    trafilatura.extract(page, favor_precision=True, include_comments=False)


def _keep_book(book) -> None:
    global _BOOK
    _BOOK = book


def _read_page(task: PageTask) -> None:
    read_page(task, _BOOK)


def in_processes(processes: int, work, items: list, initargs: tuple = ()) -> float:
    """Seconds `work` takes over `items` in `processes` processes (started and warmed up first;
    one process: this one)."""
    if processes == 1:
        if initargs:
            _keep_book(*initargs)
        work(items[0])  # warm up (imports, caches)
        started = time.perf_counter()
        for item in items:
            work(item)
        return time.perf_counter() - started
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_keep_book if initargs else None, initargs=initargs) as pool:
        pool.map(work, items[: processes * 2], chunksize=1)  # warm up every process
        started = time.perf_counter()
        pool.map(work, items, chunksize=8)
        return time.perf_counter() - started


if __name__ == "__main__":
    main()

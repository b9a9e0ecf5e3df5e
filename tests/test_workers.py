"""Extraction workers: real worker processes read the demo site's pages exactly as the monitor's own
process does, are replaced when they die, run too long or have done their share, and end with
the monitor; a pipeline with workers builds the archive a pipeline without them builds."""

from __future__ import annotations

import os
import signal
from dataclasses import replace

import pytest

from monitor.config import load_config
from monitor.demo.site import load_site, render_article
from monitor.facts import load_factbook
from monitor.pages import PageTask, read_page
from monitor.pipeline import Pipeline
from monitor.store import Archive
from monitor.workers import InlineWorkers, ProcessWorkers, TaskFailed, WorkerLost, processes_for, start_workers

from conftest import NOW, REPO, site_config
from processes import gone


@pytest.fixture(scope="module")
def book():
    return load_factbook(REPO / "facts.yaml")


@pytest.fixture(scope="module")
def tasks():
    site = load_site()
    base = "http://127.0.0.1:8000"
    return [
        PageTask(
            render_article(site, a, base).encode(site.outlets[a.outlet].wire_codec, "xmlcharrefreplace"),
            "text/html", f"{base}/{a.outlet}/articles/{a.id}.html", site.outlets[a.outlet].lang, a.title,
        )  # fmt: skip
        for a in site.articles[:12]
    ]


def test_workers_give_what_the_monitor_s_own_process_gives(book, tasks):
    here = [read_page(task, book) for task in tasks]
    workers = start_workers(2, book)
    try:
        there = [future.result() for future in [workers.submit(task) for task in tasks]]
        assert there == here
        assert workers.started == 2
        assert all(record.analysis is not None and record.analysis.facts_version == book.version for record in there)
        items = [(r.title, r.text, r.lang) for r in here]
        assert workers.analyse_many(items) == InlineWorkers(book).analyse_many(items) == [r.analysis for r in here]
    finally:
        workers.close()


def test_a_worker_that_dies_fails_its_task_and_the_next_task_gets_a_new_one(book, tasks):
    workers = ProcessWorkers(1, book)
    try:
        first = workers.submit(tasks[0]).result()
        (child,) = workers._children
        os.kill(child.process.pid, signal.SIGKILL)
        with pytest.raises(WorkerLost):
            workers.submit(tasks[1]).result()
        assert workers.submit(tasks[0]).result() == first
        assert workers.started == 2
    finally:
        workers.close()


def test_a_task_past_its_time_kills_its_worker(book, tasks):
    workers = ProcessWorkers(1, book, task_timeout=0)  # no answer can come back in no time
    try:
        with pytest.raises(WorkerLost, match="no answer within"):
            workers.submit(tasks[0]).result()
        assert not workers._children
    finally:
        workers.close()


def test_workers_are_replaced_after_their_share_of_tasks(book, tasks):
    workers = ProcessWorkers(1, book, max_tasks=2)
    try:
        for task in tasks[:5]:
            workers.submit(task).result()
        assert workers.started == 3
    finally:
        workers.close()


def test_a_task_that_raises_fails_alone(book, tasks):
    workers = ProcessWorkers(1, book)
    try:
        with pytest.raises(TaskFailed, match="AttributeError"):
            workers.submit(replace(tasks[0], body=None)).result()
        assert workers.submit(tasks[0]).result().analysis is not None and workers.started == 1
    finally:
        workers.close()


def test_new_definitions_reach_the_workers(book, tasks):
    workers = ProcessWorkers(1, book)
    try:
        workers.submit(tasks[0]).result()
        named = book.with_names(["Noetra"])
        workers.set_book(named)
        assert workers.submit(tasks[0]).result().analysis.facts_version == named.version != book.version
    finally:
        workers.close()


def test_closing_without_waiting_kills_the_workers(book, tasks):
    workers = ProcessWorkers(2, book)
    # Far more work than two processes finish while the first answer is read (a loaded machine may
    # deschedule this thread for a while): some tasks are still queued or running at the close.
    futures = [workers.submit(task) for task in tasks * 100]
    futures[0].result()
    pids = [child.process.pid for child in workers._children]
    workers.close(wait=False)
    assert all(gone(pid) for pid in pids)
    # Every task is settled: answered before the close, or failed with WorkerLost (none hangs).
    assert all(future.exception(timeout=30) is None or isinstance(future.exception(), WorkerLost) for future in futures)
    assert any(isinstance(future.exception(), WorkerLost) for future in futures)


def test_processes_setting():
    assert processes_for(0) == 0 and processes_for(3) == 3
    cores = len(os.sched_getaffinity(0))
    assert processes_for(None) == (cores if cores > 1 else 0)  # none on a one-core machine: in-process
    assert load_config(REPO / "feeds.yaml").processes is None  # auto


def test_a_pipeline_with_workers_builds_the_same_archive(server, tmp_path):
    def build(path, processes):
        with Archive(path) as archive:
            pipeline = Pipeline(archive, site_config(server, processes=processes), clock=lambda: NOW)
            try:
                summary = pipeline.run_once()
            finally:
                pipeline.close()
            rows = archive.db.execute(
                "SELECT url, title, lang, text, on_topic, relevance_score, duplicate_of, story_id FROM articles ORDER BY url"
            ).fetchall()
            links = archive.db.execute(
                "SELECT u.url, m.fact_id, m.value, m.agrees FROM fact_mentions m JOIN articles u ON u.id = m.article_id ORDER BY 1, 2, 3"
            ).fetchall()
        return summary, rows, links

    inline, inline_rows, inline_links = build(tmp_path / "inline.sqlite3", 0)
    pooled, pooled_rows, pooled_links = build(tmp_path / "pooled.sqlite3", 2)
    assert pooled.processes == 2 and inline.processes == 0
    assert pooled_rows == inline_rows and len(pooled_rows) == 40
    assert pooled_links == inline_links
    assert pooled.stage_seconds["extract"] > 0 and "worker processes" in pooled.timing_line()


def test_malloc_knobs_apply_in_this_process():
    # glibc on this machine (Debian): the arena cap is accepted and a trim runs; elsewhere both are no-ops
    import platform

    from monitor.memory import few_arenas, trimmer

    if platform.libc_ver()[0] != "glibc":
        pytest.skip(f"not glibc ({platform.libc_ver()[0] or 'unknown C library'}): the knobs are no-ops")
    assert few_arenas() is True
    assert trimmer()() in (0, 1)

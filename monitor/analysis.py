"""What the monitor works out from an article's text alone, to store with it: its fact links (and
the version of the definitions they come from), its MinHash signature and its story features.

Pure: the same title, text and language with the same fact definitions give the same analysis in
any process (extraction workers analyse the pages they extract, the pipeline the rest).
"""

from __future__ import annotations

import time

from monitor.dedup import signature
from monitor.facts import FactBook, link_facts
from monitor.records import Analysis
from monitor.stories import story_features

__all__ = ["Analysis", "analyse"]


def analyse(
    title: str | None,
    text: str,
    lang: str | None,
    book: FactBook,
    seconds: dict[str, float] | None = None,
    published: str | None = None,
) -> Analysis:
    """The analysis of one article under `book`. With `seconds`, adds the time spent linking facts
    ("link") and computing what copy detection and stories compare ("dedup"), and the CPU time of
    each ("link_cpu", "dedup_cpu": without the time this thread waited for a core)."""
    started, started_cpu = time.perf_counter(), time.thread_time()
    links = link_facts(title, text, lang, book, published)
    linked, linked_cpu = time.perf_counter(), time.thread_time()
    result = Analysis(links, book.version, signature(text), story_features(links, book))
    if seconds is not None:
        seconds["link"] = seconds.get("link", 0.0) + linked - started
        seconds["dedup"] = seconds.get("dedup", 0.0) + time.perf_counter() - linked
        seconds["link_cpu"] = seconds.get("link_cpu", 0.0) + linked_cpu - started_cpu
        seconds["dedup_cpu"] = seconds.get("dedup_cpu", 0.0) + time.thread_time() - linked_cpu
    return result

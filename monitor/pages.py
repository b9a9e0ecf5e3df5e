"""One fetched article page to a plain record: decode the bytes, extract the main text and the
metadata, and analyse the text (monitor.analysis). The CPU-bound part of an article, done in an
extraction worker (monitor.workers) or in the monitor's own process.

Tasks and records hold plain values only (bytes, strings, numbers and the monitor's own small
dataclasses), so they cross a process boundary as they are. trafilatura is imported on first use:
a process that only sends pages to workers never loads it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from monitor.analysis import Analysis, analyse
from monitor.dates import Timestamp
from monitor.facts import FactBook
from monitor.text import text_size


@dataclass(frozen=True)
class PageTask:
    body: bytes  # as fetched (content codings undone), not yet decoded
    content_type: str | None  # the response's Content-Type (its charset is a clue)
    url: str  # where the page was found (after redirects): relative links and rel=canonical
    lang_hint: str | None  # the feed's language
    headline_hint: str = ""  # the feed's headline
    site_hint: str = ""  # the outlet as the feed names it
    site_furniture: frozenset[str] = frozenset()  # line keys the site's other pages share (monitor.extract)
    min_text_chars: int = 200  # less main text (monitor.text.text_size) is kept only when on topic
    published: str | None = None  # the feed's time for the entry (UTC ISO): analysed before the page's own


@dataclass(frozen=True)
class PageRecord:
    """What a page gave. `error`: the document could not be parsed at all (no other field is set).
    `analysis` is set when the main text says at least `min_text_chars` (monitor.text.text_size:
    characters, a Korean or Japanese one counting 2.5), or says less but is on topic (a wire
    flash of three lines); `furniture`
    holds the keys of its short lines (what the site's later pages may share)."""

    error: str | None = None
    title: str = ""
    text: str = ""
    author: str = ""
    site_name: str = ""
    lang: str | None = None
    published: Timestamp | None = None
    canonical_url: str | None = None
    text_chars: int = 0
    analysis: Analysis | None = None
    furniture: frozenset[str] = frozenset()
    note: str | None = None  # why the text is kept as it is, when that needs saying (a short main text)
    # Time per stage: ("extract", s), ("link", s), ("dedup", s), and the CPU time of each ("extract_cpu",
    # ...); not part of what the page gave.
    seconds: tuple[tuple[str, float], ...] = field(default=(), compare=False)


def read_page(task: PageTask, book: FactBook) -> PageRecord:
    """Decode, extract and analyse one page (the title is the page's headline, or the feed's where
    the page's is only the site's name: monitor.extract.headline; the language is the page's, else
    the feed's, as the pipeline stores them). Raises only on a bug; a page that cannot be parsed is
    a record with `error`."""
    from monitor.extract import ExtractionError, extract_article, furniture_keys, headline
    from monitor.fetch.encoding import decode

    started, started_cpu = time.perf_counter(), time.thread_time()
    try:
        text = decode(task.body, task.content_type, task.lang_hint).text
        extracted = extract_article(
            text, task.url, lang_hint=task.lang_hint, headline_hint=task.headline_hint, site_hint=task.site_hint,
            site_furniture=task.site_furniture,
        )  # fmt: skip
    except ExtractionError as exc:
        spent = (("extract", time.perf_counter() - started), ("extract_cpu", time.thread_time() - started_cpu))
        return PageRecord(error=str(exc), seconds=spent)
    seconds = {"extract": time.perf_counter() - started, "extract_cpu": time.thread_time() - started_cpu}
    analysis, furniture, note = None, frozenset(), None
    title = headline(extracted.title, task.headline_hint)
    size = text_size(extracted.text)
    if size:
        # The feed's time first, as the pipeline stores it (a page's own may be a template's stray date).
        published = task.published or (extracted.published.utc_iso if extracted.published else None)
        analysis = analyse(title, extracted.text, extracted.lang or task.lang_hint, book, seconds, published)
        if size >= task.min_text_chars:
            furniture = frozenset(furniture_keys(extracted.text))
        elif not (analysis.links.relevance.on_topic and any(m.sentence.index >= 0 for m in analysis.links.mentions)):
            # A few lines that state none of the story's facts (the headline may) are rarely the
            # body (a notice, a comment box): the feed's summary stands in. A few lines that state
            # them are a wire flash: kept.
            analysis = None
        else:
            note = f"short main text ({extracted.text_chars} characters) kept: it is on topic"
    return PageRecord(
        title=title,
        text=extracted.text,
        author=extracted.author,
        site_name=extracted.site_name,
        lang=extracted.lang,
        published=extracted.published,
        canonical_url=extracted.canonical_url,
        text_chars=extracted.text_chars,
        analysis=analysis,
        furniture=furniture,
        note=note,
        seconds=tuple(seconds.items()),
    )

"""One poll cycle: due feeds -> fetch -> parse -> canonical URL -> fetch article -> extract -> store.

Threads do the I/O; extraction and analysis, the CPU-bound part of each article, run in worker
processes (monitor.workers) beside them; only the calling thread touches the archive, one
transaction per feed poll and per article. Feed entries go to a durable queue (`entries`) before
any article is fetched, so a run killed at any point is completed by the next one: a feed whose
poll was not committed is polled again, an entry not yet stored is still pending.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import urljoin

from monitor.config import Config
from monitor.dates import iso, parse_timestamp, utc_now
from monitor.analysis import Analysis, analyse
from monitor.facts import FactBook, load_factbook
from monitor.facts.names import could_hold, identifying_names
from monitor.feeds import ParsedFeed, parse_feed
from monitor.fetch import Fetcher, FetchError, RobotsPolicy
from monitor.fetch.http import host_of
from monitor.fetch.politeness import HostQueue
from monitor.fetch.queues import HostQueues
from monitor.furniture import drop_furniture, furniture_keys, furniture_lines
from monitor.lang.phrases import prepare
from monitor.memory import trimmer
from monitor.lock import run_lock
from monitor.matching import Known, Sighting, certain_match, title_key
from monitor.schedule import PollSeen, next_poll
from monitor.fetch.guard import parse_networks
from monitor.pages import PageTask
from monitor.records import FeedPoll, FeedState, NewArticle, PendingEntry
from monitor.store import Archive, ArchiveError
from monitor.text import char_count, clean_text, content_hash, detect_language, fold, phrase_pattern
from monitor.workers import WorkerLost, processes_for, start_workers
from monitor.urls import (
    apply_rules,
    canonicalize,
    decode_google_news,
    is_opaque,
    same_site,
    site_key,
    variant_rules,
    variants,
)

log = logging.getLogger("monitor")

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_PAGE_RETRY_BASE = timedelta(minutes=5)
_MAX_PAGE_BACKOFF = timedelta(hours=6)
_UNRESOLVED_RETRY = timedelta(days=1)
_BATCH = 500  # pending entries taken at a time


@dataclass
class RunSummary:
    feeds_polled: int = 0
    feeds_failed: int = 0
    feeds_unchanged: int = 0
    entries_new: int = 0
    articles_new: int = 0
    articles_merged: int = 0  # entries whose article was already stored (same URL or same text)
    entries_skipped: int = 0  # general-feed entries off the story: kept, not fetched
    entries_read_off: int = 0  # general-feed entries read whole (`fetch: all`), off the story: kept, page not stored
    resolutions_avoided: int = 0  # aggregator entries matched to a known article by what the feeds say: not asked
    entries_deferred: int = 0  # transient failures, retried by a later run
    articles_on_topic: int = 0  # of the new articles, those about the story
    fact_mentions: int = 0  # facts stated by the new on-topic articles
    articles_relinked: int = 0  # stored articles linked again after facts.yaml changed
    feed_only: int = 0  # stored from the feed entry alone (page unavailable)
    network_failures: int = 0  # feeds that failed before any HTTP answer
    elapsed: float = 0.0
    errors: list[str] = field(default_factory=list)
    # Where the time went (timing_line): seconds per stage, summed over the threads or processes
    # that ran it (feed_fetch, feed_parse, resolve, page_fetch, extract, link, dedup, store, stories);
    # wall-clock seconds per phase of the run (relink, feeds, entries, stories); how many I/O threads
    # and extraction processes there were; the hosts whose requests needed the most time.
    stage_seconds: dict[str, float] = field(default_factory=dict)
    phase_seconds: dict[str, float] = field(default_factory=dict)
    threads: int = 0
    processes: int = 0
    host_queues: list[HostQueue] = field(default_factory=list)

    @property
    def systemic_failure(self) -> bool:
        """Every feed polled failed without any HTTP answer: the network, not the feeds, is down."""
        return self.feeds_polled > 0 and self.network_failures == self.feeds_polled

    def line(self) -> str:
        return (
            f"polled {self.feeds_polled} feeds ({self.feeds_failed} failed, {self.feeds_unchanged} unchanged); "
            f"{self.entries_new} new entries; stored {self.articles_new} articles "
            f"({self.feed_only} from feed only), {self.articles_merged} merged into existing, "
            f"{self.entries_skipped} skipped off-topic, "
            + (f"{self.entries_read_off} read and off-topic, " if self.entries_read_off else "")
            + f"{self.entries_deferred} deferred; "
            f"{self.articles_on_topic} new on topic with {self.fact_mentions} fact mentions"
            + (f", {self.articles_relinked} relinked" if self.articles_relinked else "")
            + (f", {self.resolutions_avoided} aggregator links matched without asking" if self.resolutions_avoided else "")
            + f"; {self.elapsed:.1f}s"
        )

    def timing_line(self) -> str:
        """Where the run's time went, so that its bottleneck shows: each phase's wall-clock
        seconds, each stage's seconds summed over the threads (I/O) or processes (extraction) that
        ran it, and the host whose queue of requests needed the most time."""
        phases = ", ".join(f"{name} {self.phase_seconds[name]:.1f}s" for name in _PHASES if self.phase_seconds.get(name, 0) >= 0.05)
        stages = []
        for group, label in (
            (("feed_fetch", "feed_parse", "resolve", "page_fetch"), f"in {self.threads} threads"),
            (("extract", "link", "dedup"), f"in {self.processes} worker processes" if self.processes else "in the monitor's process"),
            (("store", "stories"), "in the writer"),
        ):
            spent = [f"{stage} {self.stage_seconds[stage]:.1f}s" for stage in group if self.stage_seconds.get(stage, 0) >= 0.05]
            if spent:
                stages.append(", ".join(spent) + f" ({label})")
        line = f"time: {self.elapsed:.1f}s" + (f" ({phases})" if phases else "") + "; " + ("; ".join(stages) or "no work")
        if self.host_queues:
            q = self.host_queues[0]
            line += (
                f"; longest host queue {q.host}: {q.requests} requests, {q.busy:.1f}s in flight at {q.concurrency} at once "
                f"= {q.least_seconds:.1f}s at least, {q.waited:.1f}s waited, {q.most_waiting} waiting at most"
            )
        return line


_OFF_STORY = "no tracked keyword in title or summary"  # why a general feed's entry was skipped
# ... and why one was skipped after its page was read (a feed read whole: `fetch: all`)
_READ_OFF_STORY = "page read: not about the story, no tracked keyword in title or summary"
_PHASES = ("relink", "feeds", "entries", "stories")


@dataclass(frozen=True)
class _PollOutcome:
    feed: FeedState
    status: str
    parsed: ParsedFeed | None = None
    validators: dict = field(default_factory=dict)
    error: FetchError | None = None
    cache_control: str | None = None


@dataclass(frozen=True)
class _PageOutcome:
    """What a worker learned about one entry; the main thread turns it into archive writes."""

    entry: PendingEntry
    article: NewArticle | None = None
    urls: tuple[str, ...] = ()
    retry_error: str | None = None  # transient failure: defer
    retry_after: float | None = None
    analysis: Analysis | None = None  # the page's, from its extraction worker (else analysed when stored)
    furniture: frozenset[str] = frozenset()  # line keys of the page's short lines (site furniture)


@contextmanager
def locked_pipeline(
    config: Config, db_path: str, clock: Callable[[], datetime] = utc_now, factbook: FactBook | None = None
) -> Iterator[Pipeline]:
    """A pipeline on the archive at `db_path`, holding the archive's run lock (raises LockBusy when
    another run holds it). The one way cron runs and daemon cycles get to work. Without `factbook`,
    the facts file of `config` is read (each daemon cycle does, so an edit takes effect)."""
    with run_lock(db_path), Archive(db_path, lease_time=config.lease_time) as archive:
        pipeline = Pipeline(archive, config, clock=clock, factbook=factbook)
        try:
            yield pipeline
        finally:
            pipeline.close()


class StageTimer:
    """Seconds spent in each stage, summed across worker threads."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._lock = threading.Lock()

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - started)

    def add(self, stage: str, seconds: float) -> None:
        with self._lock:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds


def _utc_iso(written: str | None, lang: str | None) -> str | None:
    """A feed's time for an entry as UTC ISO, or None when it gives none that can be read."""
    stamp = parse_timestamp(written, lang) if written else None
    return stamp.utc_iso if stamp else None


@contextmanager
def _phase(phases: dict[str, float], name: str) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        phases[name] = phases.get(name, 0.0) + time.monotonic() - started


class Pipeline:
    def __init__(
        self,
        archive: Archive,
        config: Config,
        fetcher: Fetcher | None = None,
        clock: Callable[[], datetime] = utc_now,
        factbook: FactBook | None = None,
    ) -> None:
        self.archive = archive
        self.config = config
        self._base_book = factbook or load_factbook(config.facts_file)
        self.factbook = self._base_book
        self.fetcher = fetcher or Fetcher(config.fetch)
        self.fetcher.share_spacing(archive.host_spacing())  # PostgreSQL: each host's spacing across workers
        for feed in config.feeds:  # a feed's politeness overrides apply to its host, articles included
            if feed.per_host_concurrency or feed.per_host_min_interval is not None:
                self.fetcher.configure_host(host_of(feed.url), feed.per_host_concurrency, feed.per_host_min_interval)
        # Non-public networks a feed may reach (its own URL, its articles), besides the global list.
        self._allow = {feed.name: parse_networks(feed.allow_private) for feed in config.feeds}
        self.robots = RobotsPolicy(self.fetcher)
        self._furniture = archive.site_furniture()  # per site, lines its pages share (see monitor.extract)
        # Per site, how its AMP and mobile URLs map (monitor.urls); learned by the fetching threads.
        self._url_rules = {site: frozenset(rules) for site, rules in archive.site_url_rules().items()}
        self._rules_lock = threading.Lock()
        self.stopping = threading.Event()
        self.progress: Callable[[int], None] | None = None  # called with 1 per entry settled
        self.clock = clock
        self.timer = StageTimer()
        self._keywords = {lang: phrase_pattern(words) for lang, words in config.keywords.items() if words}
        self._read_whole = frozenset(feed.name for feed in config.feeds if feed.kind == "general" and feed.fetch == "all")
        self._trim = trimmer()
        # Extraction and analysis: worker processes (started on the first page), or this process.
        self.workers = start_workers(processes_for(config.processes), self.factbook)

    def close(self) -> None:
        self.fetcher.close()
        self.workers.close()

    def stop(self) -> None:
        """Stop soon (from another thread or a signal handler): no new work starts, requests and
        extractions in flight are abandoned and their entries stay pending for the next run."""
        self.stopping.set()
        self.fetcher.close()
        self.workers.close(wait=False)

    def _completed(self, futures: deque[Future]) -> Iterator[Future]:
        """The futures in order, each once done, taken out of `futures` (what a future holds is
        let go once handled); none once the pipeline is stopping. Waits on one future at a time:
        waiting on the whole pending set at every step is quadratic in the batch."""
        while futures:
            future = futures.popleft()
            while not wait([future], timeout=0.2).done:
                if self.stopping.is_set():
                    return
            if self.stopping.is_set():
                return
            yield future

    def learn_names(self) -> bool:
        """Take the names the archive's outlets gave the company into the fact definitions (see
        monitor.facts.names). Returns True when they changed (stored links are then stale)."""
        reported = [(n.name, n.outlets) for n in self.archive.reported_names()]
        names = identifying_names(reported, self.archive.name_decisions(), min_outlets=self.config.names_min_outlets)
        book = self._base_book.with_names(names)
        old_names = self.factbook.story.name_list
        changed = book.version != self.factbook.version
        if changed:
            log.info("story names now: %s", ", ".join(book.story.name_list) or "none")
            # Both books are the same definitions with other names (self._base_book.with_names): an
            # article analysed under the last one that holds none of the names that changed keeps
            # its links; only those that may name them are linked again.
            differ = set(book.story.name_list) ^ set(self.factbook.story.name_list)
            self.archive.carry_analyses(self.factbook.version, book.version, lambda text: not could_hold(text, differ))
        self.factbook = book
        self.workers.set_book(book)
        added = set(book.story.name_list) - set(old_names)
        if added:
            # A general feed's entry skipped for naming none of the story's words may name it by
            # the name just learned: it is queued again, and fetched.
            reopened = sum(
                self.archive.reopen_skipped(reason, lambda t: could_hold(t, added) and self._names_story(t))
                for reason in (_OFF_STORY, _READ_OFF_STORY)
            )
            if reopened:
                log.info("%d skipped entries name the story by a learned name: queued again", reopened)
        return changed

    def run_once(self) -> RunSummary:
        """Poll every due feed, then fetch and store every pending entry's article."""
        started = time.monotonic()
        summary = RunSummary(threads=self.config.fetch.workers, processes=self.workers.processes)
        self.timer = StageTimer()
        self.fetcher.gate.reset_queues()
        phases = summary.phase_seconds
        self.archive.sync_feeds(self.config.feeds)
        with _phase(phases, "relink"):
            self.relink(summary)
        pool = ThreadPoolExecutor(max_workers=self.config.fetch.workers, thread_name_prefix="monitor")
        try:
            with _phase(phases, "feeds"):
                self._poll_feeds(pool, summary)
            version = self.factbook.version
            with _phase(phases, "entries"):
                self._process_entries(pool, summary)
            with _phase(phases, "stories"), self.timer("stories"):
                self.archive.place_stories()
            # The run taught the archive a name (between two batches, or with its last one): read
            # the archive with it.
            if self.learn_names() or self.factbook.version != version:
                with _phase(phases, "relink"):
                    self.relink(summary)
                with _phase(phases, "entries"):  # the skipped entries that use the name, queued again
                    self._process_entries(pool, summary)
                with _phase(phases, "stories"), self.timer("stories"):
                    self.archive.place_stories()
        finally:
            # When stopping, requests still in flight are abandoned, not waited for.
            pool.shutdown(wait=not self.stopping.is_set(), cancel_futures=True)
        self.archive.log_requests(self.fetcher.drain_records())
        summary.elapsed = time.monotonic() - started
        summary.stage_seconds = dict(self.timer.seconds)
        summary.host_queues = self.fetcher.gate.queues()[:3]
        return summary

    def relink(self, summary: RunSummary | None = None) -> int:
        """Link again the stored articles whose links come from other fact definitions (facts.yaml
        was edited, a name was learned, confirmed or rejected) or from none (archived before fact
        linking). Returns how many."""
        self.learn_names()
        self.archive.sync_facts(self.factbook)
        count = 0
        while not self.stopping.is_set():
            stale = self.archive.stale_articles(self.factbook.version)
            if not stale:
                break
            seconds: dict[str, float] = {}
            try:
                analyses = self.workers.analyse_many([row[1:5] for row in stale], seconds)
            except WorkerLost:
                if self.stopping.is_set():
                    break
                raise
            for stage, spent in seconds.items():
                self.timer.add(stage, spent)
            analysed = [(row[0], analysis) for row, analysis in zip(stale, analyses, strict=True)]
            with self.timer("store"):
                self.archive.save_analyses(analysed)
            count += len(analysed)
        with self.timer("stories"):
            self.archive.place_stories()  # also what a run killed before its end left waiting
        if summary is not None:
            summary.articles_relinked += count
        return count

    def _analyse(self, title: str | None, text: str, lang: str | None, published: str | None = None) -> Analysis:
        """The text-only stages (fact links, then what copy detection and stories compare) of an
        article kept from its feed, here: its text is the feed's summary, short."""
        seconds: dict[str, float] = {}
        analysis = analyse(title, text, lang, self.factbook, seconds, published)
        for stage, spent in seconds.items():
            self.timer.add(stage, spent)
        return analysis

    # -- feeds ---------------------------------------------------------------------------------

    def _poll_feeds(self, pool: ThreadPoolExecutor, summary: RunSummary) -> None:
        now = self.clock()
        polled: set[int] = set()
        while not self.stopping.is_set() and (due := self.archive.due_feeds(now, exclude=polled)):
            polled.update(feed.id for feed in due)  # on PostgreSQL, due feeds come in leased batches
            self._record_polls(pool, deque(pool.submit(self._poll, feed) for feed in due), summary)

    def _record_polls(self, pool: ThreadPoolExecutor, futures: deque[Future], summary: RunSummary) -> None:
        for future in self._completed(futures):
            outcome = future.result()
            summary.feeds_polled += 1
            with self.timer("store"):
                try:
                    self._record_poll(outcome, summary)
                except ArchiveError:
                    raise
                except Exception as exc:  # e.g. a value the archive cannot hold: the poll is a failure
                    log.exception("feed %s: could not record the poll", outcome.feed.name)
                    problem = f"error: internal: cannot store the poll: {type(exc).__name__}: {clean_text(str(exc))[:300]}"
                    self._record_poll(_PollOutcome(outcome.feed, problem), summary)

    def _poll(self, feed: FeedState) -> _PollOutcome:
        """Worker: fetch and parse one feed. Never raises: whatever goes wrong is this feed's failure."""
        try:
            return self._poll_feed(feed)
        except Exception as exc:  # a bug or a document nobody foresaw: one feed's failure, not the run's
            log.exception("feed %s: unexpected failure", feed.name)
            return _PollOutcome(feed, f"error: internal: {type(exc).__name__}: {clean_text(str(exc))[:300]}")

    def _poll_feed(self, feed: FeedState) -> _PollOutcome:
        try:
            with self.timer("feed_fetch"):
                result = self.fetcher.get(
                    feed.url,
                    purpose="feed",
                    etag=feed.etag,
                    last_modified=feed.last_modified,
                    accept=FEED_ACCEPT,
                    allow=self._allow.get(feed.name, ()),
                )
        except FetchError as exc:
            return _PollOutcome(feed, f"error: {exc.kind}: {exc}", error=exc)
        validators = {
            "etag": result.headers.get("etag") or feed.etag,
            "last_modified": result.headers.get("last-modified") or feed.last_modified,
        }
        cache_control = result.headers.get("cache-control")
        if result.not_modified:
            return _PollOutcome(feed, "not_modified", validators=validators, cache_control=cache_control)
        digest = hashlib.sha256(result.body).hexdigest()
        validators["body_sha256"] = digest
        if digest == feed.body_sha256:
            return _PollOutcome(feed, "unchanged", validators=validators, cache_control=cache_control)
        with self.timer("feed_parse"):
            parsed = parse_feed(result.body, url=result.final_url, content_type=result.content_type, lang_hint=feed.lang)
        validators.update(format=parsed.version or None, encoding=parsed.encoding, problem=parsed.problem)
        if parsed.title:
            validators["title"] = parsed.title
        if not parsed.entries and not parsed.version:
            # Not a feed at all (an error page, say): a failure, and not remembered as "unchanged".
            validators["body_sha256"] = None
            return _PollOutcome(feed, f"error: {parsed.problem}", parsed=parsed, validators=validators)
        return _PollOutcome(feed, "ok", parsed=parsed, validators=validators, cache_control=cache_control)

    def _record_poll(self, outcome: _PollOutcome, summary: RunSummary) -> None:
        now = self.clock()
        feed = outcome.feed
        error = outcome.error
        if error is not None and error.kind == "deferred":
            # The host asked (for another URL) to be left alone: not this feed's failure, not a poll.
            wait = timedelta(seconds=error.retry_after or feed.interval)
            self.archive.postpone_feed(feed.id, now + wait, records=self.fetcher.drain_records())
            return
        failed = outcome.status.startswith("error")
        policy = self.config.poll
        parsed = outcome.parsed if not failed else None
        entries = parsed.entries if parsed else ()

        seen = PollSeen(
            failed=failed,
            entries=len(entries),
            error_kind=(error.kind if error else "feed") if failed else None,
            error_status=error.status if error else None,
            error_message=str(error or ""),
            ttl_minutes=parsed.ttl if parsed else None,
            update_period=parsed.update_period if parsed else None,
            update_frequency=parsed.update_frequency if parsed else None,
            cache_control=outcome.cache_control,
            retry_after=error.retry_after if error else None,
        )

        def updates(new: int) -> FeedPoll:
            schedule = next_poll(interval=feed.interval, fixed=feed.fixed_interval, error_count=feed.error_count,
                                 weight=feed.failure_weight, seen=seen, new=new, now=now, policy=policy)  # fmt: skip
            counted = parsed is not None and not failed
            return FeedPoll(outcome.status, now, schedule, dict(outcome.validators),
                            len(entries) if counted else None, new if counted else None)  # fmt: skip

        new = self.archive.record_poll(feed.id, now=now, entries=entries, updates=updates, records=self.fetcher.drain_records())
        summary.entries_new += new
        if failed:
            summary.feeds_failed += 1
            summary.errors.append(f"{feed.name}: {outcome.status}")
            if error is not None and error.kind in ("network", "timeout") and error.status is None:
                summary.network_failures += 1
            log.warning("feed %s failed: %s", feed.name, outcome.status)
        else:
            if outcome.status in ("not_modified", "unchanged"):
                summary.feeds_unchanged += 1
            log.info("feed %s: %s, %d entries, %d new", feed.name, outcome.status, len(entries), new)

    # -- entries -> articles -------------------------------------------------------------------

    def _process_entries(self, pool: ThreadPoolExecutor, summary: RunSummary) -> None:
        """Settle every pending entry: from the archive when its article is known, else by fetching
        it. Entries with the article's own link go first, aggregator entries after them, so that an
        aggregator entry finds its article already stored (matched by what the feed says, with no
        request) rather than asking for the redirect; the requests go out host by host
        (monitor.fetch.queues) and the articles are stored in the order of the entries."""
        run_started = self.clock()
        after, seen = 0, set()
        while not self.stopping.is_set():
            # In batches: what a batch holds (entries, queued requests, URLs in flight) stays bounded.
            # On PostgreSQL, always from the start but for the entries this run has seen: entries
            # passed over because another worker was fetching their link are due again once it
            # stored the article (a cursor would leave them pending).
            if self.archive.postgres:
                batch = self.archive.pending_entries(run_started, limit=_BATCH, exclude=seen)
                seen.update(entry.id for entry in batch)
            else:
                batch = self.archive.pending_entries(run_started, after=after, limit=_BATCH)
            if not batch:
                return
            after = batch[-1].id
            self._process_batch(pool, batch, summary)
            self._trim()  # what the batch's feeds, pages and records freed goes back to the system
            # A name the batch taught the archive serves the next batches at once: only the articles
            # read before it need to be linked again (a first run over a backlog of a thousand).
            self.learn_names()

    def _process_batch(self, pool: ThreadPoolExecutor, batch: list[PendingEntry], summary: RunSummary) -> None:
        """Settle or fetch every entry of the batch (an entry left pending waits for a later run).
        In passes: an entry whose article was being fetched through another entry of the pass, and
        an aggregator entry whose outlet's entry was, are settled in the next pass, from the archive."""
        handled: set[int] = set()
        direct = [e for e in batch if not is_opaque(e.link, self.config.opaque_link_patterns)]
        aggregated = [e for e in batch if is_opaque(e.link, self.config.opaque_link_patterns)]
        while (direct or aggregated) and not self.stopping.is_set():
            queues = HostQueues(pool, self.config.fetch.workers, self.fetcher.gate.concurrency, self.stopping)
            in_flight: set[str] = set()
            last_chance = not direct  # no outlet's entry is fetched in this pass: one still pending stays so
            direct = [e for e in direct if not self._dispatch(e, e.link, queues, in_flight, handled, summary)]
            aggregated = [e for e in aggregated if not self._dispatch_aggregated(e, queues, in_flight, handled, summary, last_chance)]
            if not queues.run():
                return

    def _dispatch(
        self, entry: PendingEntry, url: str, queues: HostQueues, in_flight: set[str], handled: set[int], summary: RunSummary
    ) -> bool:
        """Settle an entry whose article is at `url` from the archive, or queue its fetch. False
        when its article is being fetched through another entry (it attaches in the next pass)."""
        url = self._by_rule(url)
        if self._settle_without_fetch(entry, url, summary):
            handled.add(entry.id)
            return True
        keys = self._identity_keys(url)
        if in_flight.intersection(keys):
            return False
        in_flight.update(keys)
        handled.add(entry.id)
        queues.add(host_of(url), lambda: self._fetch_article(entry, url), lambda outcome: self._record_page(outcome, summary))
        return True

    def _dispatch_aggregated(
        self,
        entry: PendingEntry,
        queues: HostQueues,
        in_flight: set[str],
        handled: set[int],
        summary: RunSummary,
        last_chance: bool = False,
    ) -> bool:
        """Settle or queue an aggregator entry: its article matched by what the feeds say (no
        request), else where a known resolution leads, else after asking the redirect (its
        Location only). False when its article is being fetched through another entry in this
        pass (try again once that is stored; with `last_chance`, an outlet's entry still pending
        will not bring it in this pass: this one is resolved on its own)."""
        match = self._known_article(entry)
        if match is not None:
            if match.state == "done":
                self._attach_matched(entry, match.article_id, summary)
                handled.add(entry.id)
                return True
            if match.state == "pending" and not last_chance:
                return False  # its article is being fetched through the other entry: look again after
            if match.state == "pending":
                # The other entry is still pending (deferred, or another worker's on PostgreSQL):
                # this one is settled on its own way, below, rather than left pending.
                match = None
        if match is not None:
            # A skipped outlet entry (it did not look on topic): the aggregator says it is; fetch its link.
            if not self._dispatch(entry, match.link, queues, in_flight, handled, summary):
                return False
            self.archive.save_resolution(entry.link, match.link, self.clock(), method="matched")
            summary.resolutions_avoided += 1
            return True
        url, note = self._article_url(entry)
        if url is not None:
            return self._dispatch(entry, url, queues, in_flight, handled, summary)
        elif note is not None:  # asked before and not resolvable: kept from the feed
            handled.add(entry.id)
            self._record_page(self._feed_only(entry, entry.link, note), summary)
        else:
            handled.add(entry.id)
            allow = self._allow.get(entry.feed_name, ())
            key = queues.add(
                host_of(entry.link),
                lambda: self._resolve(entry.link, allow),
                lambda answer: self._resolved(entry, answer, key, queues, in_flight, summary),
            )
        return True

    def _resolved(self, entry: PendingEntry, answer: tuple, key: int, queues: HostQueues, in_flight: set[str], summary: RunSummary) -> None:
        """An aggregator link was asked: remember the answer, then settle the entry (its article may
        be stored or being fetched by now) or fetch the article as the next step of the same job."""
        resolved, error, transient, method = answer
        if transient:
            self._record_page(self._retry_or_give_up(entry, entry.link, error, None), summary)
            return
        self.archive.save_resolution(entry.link, resolved, self.clock(), error, records=self.fetcher.drain_records(), method=method)
        if resolved is None:
            self._record_page(self._feed_only(entry, entry.link, f"aggregator link not resolved: {error}"), summary)
            return
        url = self._by_rule(resolved)
        if self._settle_without_fetch(entry, url, summary):
            return
        in_flight.update(self._identity_keys(url))  # another entry of it in this round attaches next round
        queues.follow(key, host_of(url), lambda: self._fetch_article(entry, url), lambda outcome: self._record_page(outcome, summary))

    def _known_article(self, entry: PendingEntry) -> Known | None:
        """The known entry an aggregator entry certainly names (monitor.matching), if any."""
        key = title_key(entry.title, entry.source_name)
        if not key:
            return None
        published = parse_timestamp(entry.published, entry.feed_lang)
        sighting = Sighting(key, entry.source_name, entry.source_url, published.utc if published else None)
        candidates = []
        for other in self.archive.entries_titled(key, exclude=entry.id):
            if is_opaque(other.link, self.config.opaque_link_patterns):
                continue
            when = parse_timestamp(other.published, other.feed_lang)
            candidates.append(Known(other.id, other.link, other.state, other.article_id, other.feed_title, when.utc if when else None))
        return certain_match(sighting, candidates)

    def _attach_matched(self, entry: PendingEntry, article_id: int, summary: RunSummary) -> None:
        """The aggregator entry is a stored article: its link becomes one of the article's URLs,
        and the resolution is recorded as learned, not asked."""
        url = self.archive.article_url(article_id)
        self.archive.save_resolution(entry.link, url, self.clock(), method="matched")
        self.archive.attach_entry(entry.id, article_id, [entry.link])
        summary.articles_merged += 1
        summary.resolutions_avoided += 1
        if self.progress:
            self.progress(1)

    def _learn_rules(self, canonical: str, urls: tuple[str, ...]) -> None:
        """Learn (now, for the requests still to come) how the site's AMP and mobile URLs map to
        its canonical ones, as a page fetched under `urls` declared `canonical`; the archive keeps
        the site's rules when the article is stored."""
        site = site_key(canonical)
        rules = set()
        for url in urls:
            rules |= variant_rules(url, canonical)
        with self._rules_lock:
            new = rules - self._url_rules.get(site, frozenset())
            if new:  # replaced, never changed in place: other threads read it without the lock
                self._url_rules[site] = frozenset(self._url_rules.get(site, frozenset()) | new)

    def _by_rule(self, url: str) -> str:
        """An AMP or mobile URL of a site whose variants are known, as its canonical URL; any other
        URL as it is (see monitor.urls.variant_rules)."""
        try:
            rules = self._url_rules.get(site_key(url))
            return apply_rules(url, rules) if rules else url
        except ValueError:
            return url

    def _article_url(self, entry: PendingEntry) -> tuple[str | None, str | None]:
        """Where an aggregator link leads, as far as the archive knows: (URL, None) when resolved
        before (or decodable from the link itself), (None, why) when it could not be, (None, None)
        when it must be asked."""
        known = self.archive.resolution(entry.link, self.clock(), _UNRESOLVED_RETRY)
        if known is None:
            try:
                decoded = decode_google_news(entry.link)
            except Exception:  # a hostile link: not decodable, asked for instead
                decoded = None
            if decoded:
                self.archive.save_resolution(entry.link, decoded, self.clock(), method="decoded")
                return decoded, None
            return None, None
        if known[0] is None:
            return None, f"aggregator link not resolved: {known[1]}"
        return known[0], None

    def _identity_keys(self, url: str) -> list[str]:
        try:
            return variants(url)
        except ValueError:
            return [url]

    def _settle_without_fetch(self, entry: PendingEntry, url: str, summary: RunSummary) -> bool:
        """Close an entry from the archive alone when possible: its article is already stored, or it
        is an off-story entry of a general feed. Returns True when the entry needs no fetch."""
        keys = self._identity_keys(url)
        article_id = self.archive.find_article([*keys, entry.link])
        if article_id is not None:
            self.archive.attach_entry(entry.id, article_id, [keys[0], entry.link])
            summary.articles_merged += 1
        elif entry.feed_kind == "general" and entry.feed_name not in self._read_whole and not self._mentions_story(entry):
            self.archive.skip_entry(entry.id, _OFF_STORY)
            summary.entries_skipped += 1
        else:
            return False
        if self.progress:
            self.progress(1)
        return True

    def _mentions_story(self, entry: PendingEntry) -> bool:
        """Whether a general feed's entry may be about the story: its headline or summary holds a
        tracked keyword of its feed's language or one of the story's names (learned ones too)."""
        pattern = self._keywords.get(entry.feed_lang)
        if pattern is None:
            return True
        text = f"{entry.title}\n{entry.summary}"
        return bool(pattern.search(fold(text))) or self._names_story(text)

    def _names_story(self, text: str) -> bool:
        """Whether `text` holds one of the story's names (confirmed or learned), in any script."""
        names = self.factbook.story.names
        return names is not None and names.find(prepare(text, None)) is not None

    def _fetch_article(self, entry: PendingEntry, url: str) -> _PageOutcome:
        """Worker: fetch and extract one entry's article. No archive access. Never raises: an
        unforeseen failure keeps the article from its feed, with the reason."""
        try:
            return self._fetch_page(entry, url)
        except Exception as exc:
            log.exception("entry %s: unexpected failure", entry.link)
            return self._feed_only(entry, url, f"internal: {type(exc).__name__}: {clean_text(str(exc))[:300]}")

    def _fetch_page(self, entry: PendingEntry, url: str) -> _PageOutcome:
        try:
            url = canonicalize(self._by_rule(url))  # the site may have shown its variants since the entry was queued
        except ValueError as exc:
            return self._feed_only(entry, entry.link, str(exc))
        allow = self._allow.get(entry.feed_name, ())

        def robots_gate(hop: str) -> None:  # robots.txt of every URL asked for, redirects included
            verdict = self.robots.check(hop, allow=allow)
            if not verdict.allowed:
                where = "" if hop == url else f" (redirect to {hop})"
                raise FetchError("robots", verdict.reason + where, hop, transient=verdict.transient)

        try:
            with self.timer("page_fetch"):
                page = self.fetcher.get(url, purpose="page", accept=PAGE_ACCEPT, allow=allow, hop_check=robots_gate)
        except FetchError as exc:
            if exc.kind == "robots" and not exc.transient:
                return self._feed_only(entry, url, str(exc))
            if exc.transient:
                return self._retry_or_give_up(entry, url, f"{exc.kind}: {exc}", exc.retry_after)
            return self._feed_only(entry, url, f"page not fetched: {exc.kind}: {exc}")

        content_type = (page.content_type or "").split(";")[0].strip().lower()
        if content_type and "html" not in content_type and "xml" not in content_type:
            return self._feed_only(entry, url, f"not an HTML page ({content_type})")
        final_url = canonicalize(page.final_url)
        task = PageTask(
            body=page.body, content_type=page.content_type, url=page.final_url, lang_hint=entry.feed_lang,
            headline_hint=entry.title, site_hint=entry.source_name or entry.feed_title,
            site_furniture=frozenset(self._furniture.get(site_key(page.final_url), ())),
            min_text_chars=self.config.min_text_chars, published=_utc_iso(entry.published, entry.feed_lang),
        )  # fmt: skip
        del page  # the body now travels with the task; the worker thread keeps no copy while it waits
        try:
            extracted = self.workers.submit(task).result()
        except WorkerLost as exc:  # the worker died on this page (or the run is stopping): try again later
            return self._retry_or_give_up(entry, url, f"extraction: {exc}", None)
        for stage, spent in extracted.seconds:
            self.timer.add(stage, spent)
        if extracted.error is not None:
            return self._summary_article(entry, final_url, [url], f"extraction failed: {extracted.error}")

        article_url = final_url
        if extracted.canonical_url and same_site(extracted.canonical_url, final_url):
            try:
                article_url = canonicalize(extracted.canonical_url)
            except ValueError:
                pass
        urls = tuple(dict.fromkeys([article_url, final_url, url, entry.link]))
        self._learn_rules(article_url, urls)
        if extracted.analysis is None:
            note = f"main text not found ({extracted.text_chars} characters extracted)"
            return self._summary_article(entry, article_url, urls, note, extracted.title)

        feed_time = parse_timestamp(entry.published, entry.feed_lang)
        published = feed_time or extracted.published
        article = NewArticle(
            url=article_url,
            title=extracted.title or entry.title,
            lang=extracted.lang or entry.feed_lang,
            source=entry.source_name or extracted.site_name or entry.feed_title,
            published_at=published.utc_iso if published else None,
            published_offset=published.offset if published else None,
            fetched_at=iso(self.clock()),
            text=extracted.text,
            author=extracted.author or entry.author,
            summary=entry.summary,
            extraction="page",
            extraction_note=extracted.note,
            text_chars=extracted.text_chars,
            content_hash=content_hash(extracted.text),
            feed_id=entry.feed_id,
        )
        return _PageOutcome(entry, article=article, urls=urls, analysis=extracted.analysis, furniture=extracted.furniture)

    def _resolve(self, link: str, allow: tuple = ()) -> tuple[str | None, str | None, bool, str]:
        """Worker: follow an aggregator link to the article's own URL, hop by hop, reading each
        redirect's Location only (the article's page is fetched after, and only when it is new).
        Returns (URL or None, error, whether the failure is transient, "redirect")."""
        with self.timer("resolve"):
            return (*self._follow(link, allow), "redirect")

    def _follow(self, link: str, allow: tuple) -> tuple[str | None, str | None, bool]:
        url = link
        for _ in range(self.config.fetch.max_redirects):
            try:
                result = self.fetcher.get(url, purpose="resolve", follow_redirects=False, accept=PAGE_ACCEPT, allow=allow)
            except FetchError as exc:
                return None, f"{exc.kind}: {exc}", exc.transient
            location = result.headers.get("location")
            if not (300 <= result.status < 400 and location):
                return None, f"HTTP {result.status} without a redirect to the article", False
            url = urljoin(url, location)
            if not is_opaque(url, self.config.opaque_link_patterns):
                return url, None, False
        return None, "too many redirects", False

    def _retry_or_give_up(
        self,
        entry: PendingEntry,
        url: str,
        error: str,
        retry_after: float | None,
    ) -> _PageOutcome:
        if entry.attempts + 1 >= self.config.article_max_attempts:
            note = f"page not fetched after {entry.attempts + 1} attempts: {error}"
            return self._feed_only(entry, url, note)
        return _PageOutcome(entry, retry_error=error, retry_after=retry_after)

    def _feed_only(self, entry: PendingEntry, url: str, note: str) -> _PageOutcome:
        """Keep what the feed said about an article whose page we cannot have."""
        try:
            url = canonicalize(url)
        except ValueError:
            pass
        return self._summary_article(entry, url, (url, entry.link), note, extraction="feed_only")

    def _summary_article(
        self,
        entry: PendingEntry,
        url: str,
        urls,
        note: str,
        title: str = "",
        extraction: str = "summary",
    ) -> _PageOutcome:
        published = parse_timestamp(entry.published, entry.feed_lang)
        text = entry.summary
        article = NewArticle(
            url=url,
            title=entry.title or title,
            lang=detect_language(f"{entry.title}\n{text}", entry.feed_lang) if (entry.title or text) else entry.feed_lang,
            source=entry.source_name or entry.feed_title,
            published_at=published.utc_iso if published else None,
            published_offset=published.offset if published else None,
            fetched_at=iso(self.clock()),
            text=text,
            author=entry.author,
            summary=entry.summary,
            extraction=extraction,
            extraction_note=note,
            text_chars=char_count(text),
            content_hash=None,
            feed_id=entry.feed_id,
        )
        return _PageOutcome(entry, article=article, urls=tuple(dict.fromkeys([url, *urls])))

    def _drop_learned_furniture(self, site: str, text: str, keys: frozenset[str]) -> None:
        """Lines of the site's template just learned as furniture (a pull quote, a deck, a contact
        box its pages share) leave the site's articles stored before it was known, this one
        included, and those articles are linked again without them."""
        lines = furniture_lines(text, keys)
        held = self.archive.site_articles_holding(site, lines)
        revised = []
        for article_id, title, stored_text, lang, published in held:
            cleaned = drop_furniture(stored_text, keys)
            if cleaned != stored_text and cleaned.strip():
                revised.append((article_id, cleaned, self._analyse(title, cleaned, lang, published)))
        if revised:
            self.archive.replace_texts(revised)

    def _record_page(self, outcome: _PageOutcome, summary: RunSummary) -> None:
        with self.timer("store"):
            try:
                self._store_page(outcome, summary)
            except ArchiveError:
                raise
            except Exception as exc:  # one article the archive cannot take: deferred with the reason
                log.exception("entry %s: could not store the article", outcome.entry.link)
                error = f"internal: cannot store: {type(exc).__name__}: {clean_text(str(exc))[:300]}"
                entry = outcome.entry
                if entry.attempts + 1 >= self.config.article_max_attempts:
                    self.archive.skip_entry(entry.id, error)
                else:
                    wait = min(_PAGE_RETRY_BASE * (2**entry.attempts), _MAX_PAGE_BACKOFF)
                    self.archive.defer_entry(entry.id, error=error, retry_at=self.clock() + wait)
                summary.entries_deferred += 1
                summary.errors.append(f"{clean_text(entry.link)}: {error}")
        if self.progress:
            self.progress(1)

    def _store_page(self, outcome: _PageOutcome, summary: RunSummary) -> None:
        now = self.clock()
        records = self.fetcher.drain_records()
        entry = outcome.entry
        if outcome.article is None:
            wait = min(_PAGE_RETRY_BASE * (2**entry.attempts), _MAX_PAGE_BACKOFF)
            if outcome.retry_after:
                wait = max(wait, timedelta(seconds=outcome.retry_after))
            self.archive.defer_entry(entry.id, error=outcome.retry_error or "retry", retry_at=now + wait, records=records)
            summary.entries_deferred += 1
            summary.errors.append(f"{entry.link}: {outcome.retry_error}")
            return
        keys = [key for url in outcome.urls for key in self._identity_keys(url)]
        article, analysis, furniture = outcome.article, outcome.analysis, outcome.furniture
        known = self._furniture.get(site_key(article.url)) if article.extraction == "page" else None
        if known and (text := drop_furniture(article.text, known)) != article.text and text.strip():
            # furniture learned while this page was being fetched and extracted
            article = replace(article, text=text, text_chars=char_count(text), content_hash=content_hash(text))
            analysis, furniture = None, frozenset(furniture_keys(text))
        if analysis is None or analysis.facts_version != self.factbook.version:
            analysis = self._analyse(article.title, article.text, article.lang, article.published_at)
        if entry.feed_kind == "general" and not analysis.links.relevance.on_topic and entry.feed_name in self._read_whole \
                and not self._mentions_story(entry):
            # Read because its feed is read whole, and not about the story: kept as an entry, its
            # page not stored (an outlet's whole section would fill the archive with other news).
            self.archive.skip_entry(entry.id, _READ_OFF_STORY, records=records)
            summary.entries_read_off += 1
            return
        site_lines = (site_key(article.url), furniture) if article.extraction == "page" else None
        # How the site's variants map, as its pages' rel=canonical taught the fetching threads
        # (_learn_rules): kept with the article (idempotent), not worked out again here.
        rules = self._url_rules.get(site_key(article.url), frozenset()) if article.extraction != "feed_only" else frozenset()
        stored = self.archive.store_article(
            entry.id, article, outcome.urls, identity=keys, records=records, analysis=analysis, site_lines=site_lines,
            url_rules=(site_key(article.url), rules),
        )  # fmt: skip
        if stored.furniture:
            self._furniture.setdefault(site_lines[0], set()).update(stored.furniture)
            self._drop_learned_furniture(site_lines[0], article.text, stored.furniture)
        if stored.created:
            summary.articles_new += 1
            summary.articles_on_topic += analysis.links.relevance.on_topic
            summary.fact_mentions += len(analysis.links.mentions)
            if outcome.article.extraction == "feed_only":
                summary.feed_only += 1
        else:
            summary.articles_merged += 1

"""One poll cycle: due feeds -> fetch -> parse -> canonical URL -> fetch article -> extract -> store.

Workers (threads) do the I/O and the text work; only the calling thread touches the archive, one
transaction per feed poll and per article. Feed entries go to a durable queue (`entries`) before
any article is fetched, so a run killed at any point is completed by the next one: a feed whose
poll was not committed is polled again, an entry not yet stored is still pending.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import urljoin

from monitor.config import Config
from monitor.dates import iso, parse_timestamp, utc_now
from monitor.dedup import signature
from monitor.extract import ExtractionError, drop_furniture, extract_article, furniture_keys, furniture_lines
from monitor.facts import FactBook, link_facts, load_factbook
from monitor.facts.names import identifying_names
from monitor.feeds import ParsedFeed, parse_feed
from monitor.fetch import Fetcher, FetchError, RobotsPolicy, decode
from monitor.fetch.http import host_of
from monitor.lock import run_lock
from monitor.schedule import PollSeen, next_poll
from monitor.fetch.guard import parse_networks
from monitor.records import Analysis, FeedPoll, FeedState, NewArticle, PendingEntry
from monitor.store import Archive, ArchiveError
from monitor.stories import story_features
from monitor.text import char_count, clean_text, content_hash, detect_language, fold, phrase_pattern
from monitor.urls import (
    canonicalize,
    decode_google_news,
    is_opaque,
    same_site,
    site_key,
    variants,
)

log = logging.getLogger("monitor")

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_PAGE_RETRY_BASE = timedelta(minutes=5)
_MAX_PAGE_BACKOFF = timedelta(hours=6)
_UNRESOLVED_RETRY = timedelta(days=1)


@dataclass
class RunSummary:
    feeds_polled: int = 0
    feeds_failed: int = 0
    feeds_unchanged: int = 0
    entries_new: int = 0
    articles_new: int = 0
    articles_merged: int = 0  # entries whose article was already stored (same URL or same text)
    entries_skipped: int = 0  # general-feed entries off the story: kept, not fetched
    entries_deferred: int = 0  # transient failures, retried by a later run
    articles_on_topic: int = 0  # of the new articles, those about the story
    fact_mentions: int = 0  # facts stated by the new on-topic articles
    articles_relinked: int = 0  # stored articles linked again after facts.yaml changed
    feed_only: int = 0  # stored from the feed entry alone (page unavailable)
    network_failures: int = 0  # feeds that failed before any HTTP answer
    elapsed: float = 0.0
    errors: list[str] = field(default_factory=list)
    # Seconds spent per stage, summed over worker threads: feed_fetch, parse, page_fetch, extract, store.
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def systemic_failure(self) -> bool:
        """Every feed polled failed without any HTTP answer: the network, not the feeds, is down."""
        return self.feeds_polled > 0 and self.network_failures == self.feeds_polled

    def line(self) -> str:
        return (
            f"polled {self.feeds_polled} feeds ({self.feeds_failed} failed, {self.feeds_unchanged} unchanged); "
            f"{self.entries_new} new entries; stored {self.articles_new} articles "
            f"({self.feed_only} from feed only), {self.articles_merged} merged into existing, "
            f"{self.entries_skipped} skipped off-topic, {self.entries_deferred} deferred; "
            f"{self.articles_on_topic} new on topic with {self.fact_mentions} fact mentions"
            + (f", {self.articles_relinked} relinked" if self.articles_relinked else "")
            + f"; {self.elapsed:.1f}s"
        )


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
            elapsed = time.perf_counter() - started
            with self._lock:
                self.seconds[stage] = self.seconds.get(stage, 0.0) + elapsed


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
        self.stopping = threading.Event()
        self.progress: Callable[[int], None] | None = None  # called with 1 per entry settled
        self.clock = clock
        self.timer = StageTimer()
        self._keywords = {lang: phrase_pattern(words) for lang, words in config.keywords.items() if words}

    def close(self) -> None:
        self.fetcher.close()

    def stop(self) -> None:
        """Stop soon (from another thread or a signal handler): no new work starts, requests in
        flight are abandoned and their entries stay pending for the next run."""
        self.stopping.set()
        self.fetcher.close()

    def _completed(self, futures: list[Future]) -> Iterator[Future]:
        """The futures in order, each once done; none once the pipeline is stopping. Waits on one
        future at a time: waiting on the whole pending set at every step is quadratic in the batch."""
        for future in futures:
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
        changed = book.version != self.factbook.version
        if changed:
            log.info("story names now: %s", ", ".join(book.story.name_list) or "none")
        self.factbook = book
        return changed

    def run_once(self) -> RunSummary:
        """Poll every due feed, then fetch and store every pending entry's article."""
        started = time.monotonic()
        summary = RunSummary()
        self.timer = StageTimer()
        self.archive.sync_feeds(self.config.feeds)
        self.relink(summary)
        pool = ThreadPoolExecutor(max_workers=self.config.fetch.workers, thread_name_prefix="monitor")
        try:
            self._poll_feeds(pool, summary)
            self._process_entries(pool, summary)
            with self.timer("stories"):
                self.archive.place_stories()
            if self.learn_names():  # the run taught the archive a name: read the archive with it
                self.relink(summary)
        finally:
            # When stopping, requests still in flight are abandoned, not waited for.
            pool.shutdown(wait=not self.stopping.is_set(), cancel_futures=True)
        self.archive.log_requests(self.fetcher.drain_records())
        summary.elapsed = time.monotonic() - started
        summary.stage_seconds = dict(self.timer.seconds)
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
            analysed = [(row[0], self._analyse(row[1], row[2], row[3])) for row in stale]
            with self.timer("store"):
                self.archive.save_analyses(analysed)
            count += len(analysed)
        with self.timer("stories"):
            self.archive.place_stories()  # also what a run killed before its end left waiting
        if summary is not None:
            summary.articles_relinked += count
        return count

    def _analyse(self, title: str | None, text: str, lang: str | None) -> Analysis:
        """The text-only stages: fact links, then what copy detection and stories compare."""
        with self.timer("link"):
            links = link_facts(title, text, lang, self.factbook)
        with self.timer("dedup"):
            return Analysis(links, self.factbook.version, signature(text), story_features(title, text, links, self.factbook))

    # -- feeds ---------------------------------------------------------------------------------

    def _poll_feeds(self, pool: ThreadPoolExecutor, summary: RunSummary) -> None:
        now = self.clock()
        polled: set[int] = set()
        while not self.stopping.is_set() and (due := self.archive.due_feeds(now, exclude=polled)):
            polled.update(feed.id for feed in due)  # on PostgreSQL, due feeds come in leased batches
            self._record_polls(pool, [pool.submit(self._poll, feed) for feed in due], summary)

    def _record_polls(self, pool: ThreadPoolExecutor, futures: list[Future], summary: RunSummary) -> None:
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
        handled: set[int] = set()
        run_started = self.clock()
        while not self.stopping.is_set():
            batch = self.archive.pending_entries(run_started, exclude=handled)
            if not batch:
                return
            unreachable = self._resolve_links(pool, batch)
            in_flight: set[str] = set()
            futures: list[Future] = []
            for entry in batch:
                if self.stopping.is_set():
                    break
                url, note = self._article_url(entry)
                if entry.link in unreachable:
                    self._record_page(self._retry_or_give_up(entry, entry.link, unreachable[entry.link], None), summary)
                elif url is None:
                    self._record_page(self._feed_only(entry, entry.link, note), summary)
                elif not self._settle_without_fetch(entry, url, summary):
                    keys = self._identity_keys(url)
                    if in_flight.intersection(keys):
                        continue  # the same article is being fetched; this entry will attach to it next round
                    in_flight.update(keys)
                    futures.append(pool.submit(self._fetch_article, entry, url))
                handled.add(entry.id)
            for future in self._completed(futures):
                self._record_page(future.result(), summary)

    def _resolve_links(self, pool: ThreadPoolExecutor, batch: list[PendingEntry]) -> dict[str, str]:
        """Resolve the batch's aggregator links not resolved before, and remember where they lead.
        Returns the links that could not be asked now (timeouts, network): {link: error}."""
        now = self.clock()
        allow = {
            entry.link: self._allow.get(entry.feed_name, ())
            for entry in batch
            if is_opaque(entry.link, self.config.opaque_link_patterns)
            and self.archive.resolution(entry.link, now, _UNRESOLVED_RETRY) is None
        }
        links = sorted(allow)
        unreachable = {}
        resolved_all = pool.map(lambda link: self._resolve(link, allow[link]), links)
        for link, (resolved, error, transient) in zip(links, resolved_all, strict=True):
            if transient:
                unreachable[link] = error
            else:
                self.archive.save_resolution(link, resolved, now, error, records=self.fetcher.drain_records())
        return unreachable

    def _article_url(self, entry: PendingEntry) -> tuple[str | None, str | None]:
        """The URL to fetch for an entry: its link, or where its aggregator link leads. (None, why)
        when an aggregator link could not be resolved."""
        if not is_opaque(entry.link, self.config.opaque_link_patterns):
            return entry.link, None
        known = self.archive.resolution(entry.link, self.clock(), _UNRESOLVED_RETRY)
        if known is None or known[0] is None:
            return None, f"aggregator link not resolved: {known[1] if known else 'not tried'}"
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
        elif entry.feed_kind == "general" and not self._mentions_story(entry):
            self.archive.skip_entry(entry.id, "no tracked keyword in title or summary")
            summary.entries_skipped += 1
        else:
            return False
        if self.progress:
            self.progress(1)
        return True

    def _mentions_story(self, entry: PendingEntry) -> bool:
        pattern = self._keywords.get(entry.feed_lang)
        if pattern is None:
            return True
        return bool(pattern.search(fold(f"{entry.title}\n{entry.summary}")))

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
            url = canonicalize(url)
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
        try:
            with self.timer("extract"):
                text = decode(page.body, page.content_type, entry.feed_lang).text
                extracted = extract_article(
                    text, page.final_url, lang_hint=entry.feed_lang, headline_hint=entry.title,
                    site_hint=entry.source_name or entry.feed_title,
                    site_furniture=self._furniture.get(site_key(page.final_url), frozenset()),
                )  # fmt: skip
        except ExtractionError as exc:
            return self._summary_article(entry, final_url, [url], f"extraction failed: {exc}")

        article_url = final_url
        if extracted.canonical_url and same_site(extracted.canonical_url, final_url):
            try:
                article_url = canonicalize(extracted.canonical_url)
            except ValueError:
                pass
        urls = tuple(dict.fromkeys([article_url, final_url, url, entry.link]))
        if extracted.text_chars < self.config.min_text_chars:
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
            extraction_note=None,
            text_chars=extracted.text_chars,
            content_hash=content_hash(extracted.text),
            feed_id=entry.feed_id,
        )
        return _PageOutcome(entry, article=article, urls=urls)

    def _resolve(self, link: str, allow: tuple = ()) -> tuple[str | None, str | None, bool]:
        """Follow an aggregator link to the article's own URL, hop by hop, without fetching the
        article. Returns (URL or None, error, whether the failure is transient)."""
        try:
            decoded = decode_google_news(link)
        except Exception:  # a hostile link: not decodable, asked for instead
            decoded = None
        if decoded:
            return decoded, None, False
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
        for article_id, title, stored_text, lang in held:
            cleaned = drop_furniture(stored_text, keys)
            if cleaned != stored_text and cleaned.strip():
                revised.append((article_id, cleaned, self._analyse(title, cleaned, lang)))
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
        article = outcome.article
        known = self._furniture.get(site_key(article.url)) if article.extraction == "page" else None
        if known and (text := drop_furniture(article.text, known)) != article.text and text.strip():
            # furniture learned while this page was being fetched and extracted
            article = replace(article, text=text, text_chars=char_count(text), content_hash=content_hash(text))
        analysis = self._analyse(article.title, article.text, article.lang)
        site_lines = (site_key(article.url), furniture_keys(article.text)) if article.extraction == "page" else None
        stored = self.archive.store_article(
            entry.id, article, outcome.urls, identity=keys, records=records, analysis=analysis, site_lines=site_lines
        )
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

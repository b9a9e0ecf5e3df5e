"""The archive: feeds, the entry queue, articles and their URLs, in one SQLite file (WAL mode, the
default) or one PostgreSQL database (`postgresql://...`, for several workers).

Only the pipeline's main thread writes, one transaction per feed poll and one per article, so a
process killed at any moment leaves either the whole change or none of it. On PostgreSQL every
write transaction also holds the database's writer lock (one writer at a time across workers), and
workers lease what they work on: due feeds and pending entries are taken with `SELECT ... FOR
UPDATE SKIP LOCKED` and stay a worker's until they are settled or `lease_time` has passed (a worker
killed mid-run leaves its leases, which others take over then). Each host's spacing is kept in the
database too (`host_slots`), so politeness holds across workers.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import socket
import sqlite3
import threading
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from monitor.config import FeedSource
from monitor.dates import iso
from monitor.facts import FactBook
from monitor.feeds import FeedEntry
from monitor.matching import title_key
from monitor.records import Analysis, FeedPoll, FeedState, FetchRecord, NewArticle, PendingEntry, StoreOutcome, TitledEntry
from monitor.store import digest as digest_reads
from monitor.store.facts import (
    FactTimeline,
    Mention,
    fact_timeline,
    latest_mentions,
    recent_updates,
    save_links,
    stale_articles,
    sync_facts,
)
from monitor.store.db import Database, PostgresDatabase, SqliteDatabase, database_errors, is_database_url
from monitor.store.hosts import HostSlots
from monitor.store.migrate import migrate
from monitor.store.names import ReportedName, decide_name, decisions, reported_names
from monitor.store.sites import record_site_lines, site_articles_holding, site_furniture
from monitor.store.stories import copies_of, join_copies, place_stories, recluster, save_features, save_signature
from monitor.text import char_count, fts_query, search_text, snippet, ts_query, ts_vector


class ArchiveError(RuntimeError):
    """The archive file cannot be opened or written (a systemic failure, not one feed's problem)."""


LEASE_BATCH = 32  # feeds or entries one worker leases at a time on PostgreSQL


class Archive:
    def __init__(self, location: str | Path, *, lease_time: float = 600.0, lease_batch: int = LEASE_BATCH) -> None:
        """Open (and migrate) the archive at `location`: a SQLite file path, or a PostgreSQL URL
        (`postgresql://user@host/dbname`). Raises ArchiveError when it cannot be opened."""
        self.location = str(location)
        self.lease_time = lease_time
        self.lease_batch = lease_batch
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"  # who holds a lease
        self._slots: HostSlots | None = None  # host spacing: its own connection, used by fetch threads
        self._slots_guard = threading.Lock()
        self.db: Database
        try:
            if is_database_url(self.location):
                self.path = None
                self.db = PostgresDatabase(self.location)
            else:
                self.path = Path(location)
                if str(location) != ":memory:":
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(location), timeout=30)
                self.db = SqliteDatabase(conn)
                with self.db.ensure_autocommit_on():
                    self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA foreign_keys=ON")
                self.db.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable at checkpoints, never corrupt
            migrate(self.db)
        except (*database_errors(), OSError) as exc:
            raise ArchiveError(f"cannot open archive {_shown(self.location)}: {exc}") from exc

    def host_spacing(self) -> HostSlots | None:
        """Each host's request starts, spaced across every worker of this archive (PostgreSQL); None
        on SQLite, where one process works at a time and its fetcher's own gate keeps the spacing."""
        if not self.postgres:
            return None
        with self._slots_guard:
            if self._slots is None:
                self._slots = HostSlots(self.location)
            return self._slots

    @property
    def postgres(self) -> bool:
        return self.db.dialect == "postgresql"

    def close(self) -> None:
        if self.postgres:
            if self._slots is not None:
                self._slots.close()
            self.db.close()
            return
        # Keeps the planner's statistics fresh (cheap: it analyses only tables that changed a lot).
        # Without them the digest's per-fact query started from every mention of the fact (bench/archive.py).
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("PRAGMA optimize")
        self.db.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- feeds ---------------------------------------------------------------------------------

    def sync_feeds(self, sources: Sequence[FeedSource]) -> None:
        """Make the feeds table match the configuration: add new feeds, update changed ones, and
        mark feeds no longer configured inactive (their history stays)."""
        columns = ("url", "lang", "kind", "title", "poll_interval", "fixed_interval", "active", "interval_s")
        with self.db.atomic():
            known = {row[0]: row[1:] for row in self.db.execute(f"SELECT name, id, {', '.join(columns)} FROM feeds")}
            names = []
            for source in sources:
                names.append(source.name)
                row = known.get(source.name)
                values = dict(
                    url=source.url,
                    lang=source.lang,
                    kind=source.kind,
                    title=source.title or None,
                    poll_interval=int(source.poll_interval),
                    fixed_interval=int(source.fixed_interval),
                    active=1,
                )
                if row is None:
                    values.update(name=source.name, error_count=0, interval_s=float(source.poll_interval))
                    self.db.execute(
                        f"INSERT INTO feeds ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                        list(values.values()),
                    )
                    continue
                if source.fixed_interval:
                    values.update(interval_s=float(source.poll_interval))
                current = dict(zip(columns, row[1:], strict=True))
                if all(current[key] == value for key, value in values.items()):
                    continue  # unchanged: no write (every worker syncs at the start of each run)
                if current["url"] != source.url:  # a new URL is a new document: forget the old validators
                    values.update(etag=None, last_modified=None, body_sha256=None)
                assignments = ", ".join(f"{key} = ?" for key in values)
                self.db.execute(f"UPDATE feeds SET {assignments} WHERE id = ?", [*values.values(), row[0]])
            configured = set(names)
            gone = [name for name, row in known.items() if name not in configured and row[7] == 1]  # row[7]: active
            for name in gone:
                self.db.execute("UPDATE feeds SET active = 0 WHERE name = ?", [name])

    def due_feeds(self, now: datetime, exclude: set[int] | None = None) -> list[FeedState]:
        """The feeds due at `now` (outlets' own feeds before the keyword-search feeds, so that an
        article is first seen under its own link; then never polled first, then the longest
        overdue), except `exclude`.
        On SQLite every due feed (the run lock makes them this run's); on PostgreSQL at most
        `lease_batch` of them, leased to this worker: no other worker gets them until they are
        recorded or the lease has passed. Feeds never polled are leased in an order that mixes
        their hosts (a batch of one host's feeds would wait on its spacing)."""
        exclude = exclude or set()
        if self.postgres:
            with self.db.atomic(shared=True):
                ids = [row[0] for row in self.db.execute(
                    """WITH due AS (
                         SELECT id FROM feeds
                         WHERE active = 1 AND (next_poll_at IS NULL OR next_poll_at <= ?) AND NOT (id = ANY(?))
                           AND (lease_until IS NULL OR lease_until < clock_timestamp() OR leased_by = ?)
                         ORDER BY kind = 'topical', next_poll_at IS NOT NULL, next_poll_at, md5(url) LIMIT ?
                         FOR UPDATE SKIP LOCKED)
                       UPDATE feeds f SET lease_until = clock_timestamp() + make_interval(secs => ?), leased_by = ?
                       FROM due WHERE f.id = due.id RETURNING f.id""",
                    [iso(now), list(exclude), self.worker, self.lease_batch, self.lease_time, self.worker],
                ).fetchall()]  # fmt: skip
            condition, params = "id = ANY(?)", [ids]
        else:
            condition, params = "active = 1 AND (next_poll_at IS NULL OR next_poll_at <= ?)", [iso(now)]
        rows = self.db.execute(
            f"""SELECT id, name, url, lang, kind, coalesce(interval_s, poll_interval), fixed_interval, etag,
                      last_modified, body_sha256, error_count, failure_weight
               FROM feeds WHERE {condition}
               ORDER BY kind = 'topical', next_poll_at IS NOT NULL, next_poll_at, id""",
            params,
        ).fetchall()
        return [FeedState(*row) for row in rows if row[0] not in exclude]

    def record_poll(
        self,
        feed_id: int,
        *,
        now: datetime,
        entries: Iterable[FeedEntry],
        updates: Callable[[int], FeedPoll],
        records: Iterable[FetchRecord] = (),
    ) -> int:
        """Store one poll's new entries and the feed's new state in one transaction. `updates`
        receives the number of new entries and returns the poll as recorded (its status, the
        feed's next schedule, what the document said). Returns the number of new entries."""
        with self.db.atomic():
            new = 0
            for entry in entries:
                cursor = self.db.execute(
                    """INSERT INTO entries (feed_id, entry_key, link, title, summary, published,
                       author, source_name, source_url, first_seen_at, title_key) VALUES (?,?,?,?,?,?,?,?,?,?,?)
                       ON CONFLICT (feed_id, entry_key) DO NOTHING""",
                    [
                        feed_id,
                        entry.key,
                        entry.link,
                        entry.title,
                        entry.summary,
                        entry.published,
                        entry.author,
                        entry.source_name,
                        entry.source_url,
                        iso(now),
                        title_key(entry.title, entry.source_name) or None,
                    ],
                )
                new += cursor.rowcount
            columns = _poll_columns(updates(new))
            if self.postgres:
                columns.update(lease_until=None, leased_by=None)
            assignments = ", ".join(f"{key} = ?" for key in columns)
            self.db.execute(f"UPDATE feeds SET {assignments} WHERE id = ?", [*columns.values(), feed_id])
            self._log(records)
        return new

    def postpone_feed(self, feed_id: int, until: datetime, records: Iterable[FetchRecord] = ()) -> None:
        """Poll a feed later without counting a failure (its host asked everyone to wait)."""
        with self.db.atomic():
            self.db.execute(f"UPDATE feeds SET next_poll_at = ?{self._released} WHERE id = ?", [iso(until), feed_id])
            self._log(records)

    # -- the entry queue -----------------------------------------------------------------------

    @property
    def _released(self) -> str:
        """The assignments that give a feed's or an entry's lease back (PostgreSQL only)."""
        return ", lease_until = NULL, leased_by = NULL" if self.postgres else ""

    def pending_entries(self, now: datetime, after: int = 0, limit: int = 10_000, exclude: set[int] | None = None) -> list[PendingEntry]:
        """Entries whose article is still to be fetched and whose retry time has come, in the order
        they were seen, from the one after the entry `after`, at most `limit`. On PostgreSQL at
        most `lease_batch`, leased to this worker (with those it already holds), and none whose
        link another worker's lease is fetching now (two feeds' entries for one article: it is
        fetched once, the second entry then joins it)."""
        columns = """e.id, e.feed_id, f.name, f.lang, f.kind, coalesce(f.title, f.name), e.link, coalesce(e.title, ''),
                     coalesce(e.summary, ''), e.published, coalesce(e.author, ''), coalesce(e.source_name, ''), e.attempts,
                     coalesce(e.source_url, '')"""
        if self.postgres:
            with self.db.atomic(shared=True):
                ids = [row[0] for row in self.db.execute(
                    """WITH picked AS (
                         SELECT id FROM entries e
                         WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND id > ? AND NOT (id = ANY(?))
                           AND (lease_until IS NULL OR lease_until < clock_timestamp() OR leased_by = ?)
                           AND NOT EXISTS (SELECT 1 FROM entries o WHERE o.link = e.link AND o.state = 'pending'
                                             AND o.leased_by <> ? AND o.lease_until >= clock_timestamp())
                         ORDER BY id LIMIT ?
                         FOR UPDATE SKIP LOCKED)
                       UPDATE entries e SET lease_until = clock_timestamp() + make_interval(secs => ?), leased_by = ?
                       FROM picked WHERE e.id = picked.id RETURNING e.id""",
                    [iso(now), after, list(exclude or ()), self.worker, self.worker, min(limit, self.lease_batch), self.lease_time, self.worker],
                ).fetchall()]  # fmt: skip
            rows = self.db.execute(
                f"SELECT {columns} FROM entries e JOIN feeds f ON f.id = e.feed_id WHERE e.id = ANY(?) ORDER BY e.id", [ids]
            ).fetchall()
            return [PendingEntry(*row) for row in rows]
        rows = self.db.execute(
            f"""SELECT {columns}
               FROM entries e JOIN feeds f ON f.id = e.feed_id
               WHERE e.state = 'pending' AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= ?) AND e.id > ?
               ORDER BY e.id LIMIT ?""",
            [iso(now), after, limit],
        ).fetchall()
        return [PendingEntry(*row) for row in rows]

    def entries_titled(self, key: str, exclude: int) -> list[TitledEntry]:
        """The entries (but `exclude`) whose headline has the matching form `key` (monitor.matching)."""
        rows = self.db.execute(
            """SELECT e.id, e.link, e.state, e.article_id, coalesce(f.title, f.name), e.published, f.lang
               FROM entries e JOIN feeds f ON f.id = e.feed_id WHERE e.title_key = ? AND e.id != ? ORDER BY e.id LIMIT 50""",
            [key, exclude],
        ).fetchall()
        return [TitledEntry(*row) for row in rows]

    def defer_entry(self, entry_id: int, *, error: str, retry_at: datetime, records: Iterable[FetchRecord] = ()) -> None:
        """A transient failure: keep the entry pending and try again at `retry_at`."""
        with self.db.atomic():
            self.db.execute(
                f"UPDATE entries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?{self._released} WHERE id = ?",
                [error, iso(retry_at), entry_id],
            )
            self._log(records)

    def skip_entry(self, entry_id: int, reason: str, records: Iterable[FetchRecord] = ()) -> None:
        """Not fetched on purpose, or fetched and not kept (a general feed's entry that is off the
        story; `records`: the requests reading it took, for the fetch log). Kept, not lost."""
        with self.db.atomic():
            self.db.execute(f"UPDATE entries SET state = 'skipped', last_error = ?{self._released} WHERE id = ?", [reason, entry_id])
            self._log(records)

    def reopen_skipped(self, reason: str, holds: Callable[[str], bool]) -> int:
        """Put back in the queue the entries skipped for `reason` whose headline and summary
        (joined by a newline) `holds` now accepts (the story learned a name they use). Returns how many."""
        rows = self.db.execute(
            "SELECT id, coalesce(title, ''), coalesce(summary, '') FROM entries WHERE state = 'skipped' AND last_error = ?", [reason]
        ).fetchall()
        ids = [row[0] for row in rows if holds(f"{row[1]}\n{row[2]}")]
        with self.db.atomic():
            for entry_id in ids:
                self.db.execute(
                    "UPDATE entries SET state = 'pending', last_error = NULL, next_attempt_at = NULL"
                    f"{self._released} WHERE id = ? AND state = 'skipped'",
                    [entry_id],
                )
        return len(ids)

    # -- articles ------------------------------------------------------------------------------

    def find_article(self, urls: Iterable[str]) -> int | None:
        for url in urls:
            row = self.db.execute("SELECT article_id FROM article_urls WHERE url = ?", [url]).fetchone()
            if row:
                return row[0]
        return None

    def article_url(self, article_id: int) -> str | None:
        row = self.db.execute("SELECT url FROM articles WHERE id = ?", [article_id]).fetchone()
        return row[0] if row else None

    def attach_entry(self, entry_id: int, article_id: int, urls: Iterable[str], records: Iterable[FetchRecord] = ()) -> None:
        """The entry's article is already stored: remember the URLs it came under and close the entry."""
        with self.db.atomic():
            self._add_urls(article_id, urls)
            self._close_entry(entry_id, article_id)
            self._log(records)

    def store_article(
        self,
        entry_id: int,
        article: NewArticle,
        urls: Iterable[str],
        identity: Iterable[str] = (),
        records: Iterable[FetchRecord] = (),
        analysis: Analysis | None = None,
        site_lines: tuple[str, Iterable[str]] | None = None,
        url_rules: tuple[str, Iterable[str]] = ("", ()),
    ) -> StoreOutcome:
        """Store an article and close its entry, in one transaction. An article already stored under
        one of `urls` or `identity` (further forms of the same URL, e.g. its AMP-less variant), or
        the same outlet's article with the same normalized text, absorbs this one: only the URLs are
        added to it. Another outlet's copy is stored as an article of its own, marked as a copy.
        With `analysis`, a new article gets its fact links and its copy group, and waits for
        `place_stories` to get its story. `site_lines` (site, line keys) counts a new article's short
        lines toward its site's furniture (`site_furniture`); `url_rules` (site, rules) are how the
        site's AMP and mobile URLs map to canonical ones, as this article showed (`site_url_rules`)."""
        urls = list(dict.fromkeys([article.url, *urls]))
        with self.db.atomic():
            existing = self.find_article([*urls, *identity])
            if existing is None and article.content_hash and article.extraction == "page":
                row = self.db.execute(
                    """SELECT id FROM articles WHERE content_hash = ? AND extraction = 'page' AND source IS ?
                       ORDER BY id LIMIT 1""",
                    [article.content_hash, article.source],
                ).fetchone()
                existing = row[0] if row else None
            created = existing is None
            furniture: set[str] = set()
            if created:
                existing = self._insert_article(article)
                if analysis is not None:
                    self._analyse(existing, analysis)
                if site_lines is not None:
                    furniture = record_site_lines(self.db, site_lines[0], site_lines[1])
            self._add_urls(existing, urls)
            self._close_entry(entry_id, existing)
            self._log(records)
            site, rules = url_rules
            self.db.executemany(
                "INSERT INTO site_url_rules (site, rule, learned_at) VALUES (?, ?, ?) ON CONFLICT (site, rule) DO NOTHING",
                [(site, rule, article.fetched_at) for rule in rules],
            )
        return StoreOutcome(existing, created, frozenset(furniture))

    def site_url_rules(self) -> dict[str, set[str]]:
        """Per site, how its AMP and mobile URLs map to canonical ones (monitor.urls.variant_rules)."""
        rules: dict[str, set[str]] = {}
        for site, rule in self.db.execute("SELECT site, rule FROM site_url_rules"):
            rules.setdefault(site, set()).add(rule)
        return rules

    def site_furniture(self) -> dict[str, set[str]]:
        """Per site, the line keys its articles share (page furniture to leave out of new pages)."""
        return site_furniture(self.db)

    def site_articles_holding(self, site: str, lines: Iterable[str]) -> list[tuple[int, str | None, str, str | None, str | None]]:
        """(id, title, text, lang) of the site's stored page articles holding one of `lines`."""
        return site_articles_holding(self.db, site, lines)

    def replace_texts(self, revised: Iterable[tuple[int, str, Analysis]]) -> None:
        """Give stored articles a revised text (the site's furniture taken out once it was learned)
        and its analysis, in one transaction; `place_stories` places them again. The copy signature
        stays: it was taken from the text as fetched, which copies are compared by."""
        with self.db.atomic():
            for article_id, text, analysis in revised:
                row = self.db.execute("SELECT title, text FROM articles WHERE id = ?", [article_id]).fetchone()
                if row is None:
                    continue
                if not self.postgres:  # FTS5 forgets an external-content row by the text it indexed
                    self.db.execute(
                        "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                        [article_id, search_text(row[0]), search_text(row[1])],
                    )
                self.db.execute("UPDATE articles SET text = ?, text_chars = ? WHERE id = ?", [text, char_count(text), article_id])
                self.index_article(article_id, row[0], text)
                self._analyse(article_id, analysis)

    def _insert_article(self, article: NewArticle) -> int:
        values = asdict(article)
        # Never later than the fetch: some feeds stamp entries with a future or refreshed date.
        values["reported_at"] = min(filter(None, [article.published_at, article.fetched_at]))
        article_id = self.db.execute(
            f"INSERT INTO articles ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)}) RETURNING id",
            list(values.values()),
        ).fetchone()[0]
        self.index_article(article_id, article.title, article.text)
        return article_id

    def index_article(self, article_id: int, title: str | None, text: str | None) -> None:
        """Put an article into the full-text index (call inside a transaction): on SQLite the
        FTS5 table `articles_fts`, on PostgreSQL its tsvector in `article_search`; both hold the
        text as monitor.text.search_text spells it (CJK runs as overlapping bigrams)."""
        if self.postgres:
            self.db.execute(
                """INSERT INTO article_search (article_id, document) VALUES (?, CAST(? AS tsvector))
                   ON CONFLICT (article_id) DO UPDATE SET document = excluded.document""",
                [article_id, ts_vector(f"{title or ''}\n{text or ''}")],
            )
        else:
            self.db.execute(
                "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                [article_id, search_text(title), search_text(text)],
            )

    def _analyse(self, article_id: int, analysis: Analysis) -> None:
        """Save an article's analysis, join it to the copies of its text, and leave it (and the
        copies whose original changed) waiting for `place_stories`."""
        save_links(self.db, article_id, analysis.links, analysis.facts_version)
        save_features(self.db, article_id, analysis.features)
        moved = [article_id]
        signed = self.db.execute("SELECT 1 FROM article_signatures WHERE article_id = ?", [article_id]).fetchone()
        if signed is None and analysis.signature is not None:  # the text never changes once stored
            save_signature(self.db, article_id, analysis.signature)
            moved += join_copies(self.db, article_id, copies_of(self.db, article_id, analysis.signature))
        self.db.executemany("UPDATE articles SET story_id = NULL WHERE id = ?", [(m,) for m in moved])

    def place_stories(self) -> int:
        """Place every article waiting for its story (stored or re-analysed since the last call), in
        one walk and one transaction: a batch that arrived out of reported order is walked once, not
        once per article. Returns how many articles changed story."""
        with self.db.atomic():
            return place_stories(self.db)

    def _add_urls(self, article_id: int, urls: Iterable[str]) -> None:
        for url in urls:
            self.db.execute(
                "INSERT INTO article_urls (url, article_id) VALUES (?, ?) ON CONFLICT (url) DO NOTHING", [url, article_id]
            )

    def _close_entry(self, entry_id: int, article_id: int) -> None:
        self.db.execute(
            f"UPDATE entries SET state = 'done', article_id = ?, last_error = NULL{self._released} WHERE id = ?",
            [article_id, entry_id],
        )

    # -- fact links --------------------------------------------------------------------------

    def sync_facts(self, book: FactBook) -> None:
        sync_facts(self.db, book)

    def stale_articles(self, version: str, limit: int = 500) -> list[tuple[int, str, str, str | None, str | None]]:
        return stale_articles(self.db, version, limit)

    def carry_analyses(self, old: str, new: str, unchanged: Callable[[str], bool], batch: int = 1000) -> int:
        """Articles analysed under the definitions `old` whose title and text pass `unchanged` are
        marked analysed under `new` as they are (a name learned that they do not hold cannot change
        their links); the others stay stale for a relink. Returns how many were carried."""
        carried, after = 0, 0
        while rows := self.db.execute(
            "SELECT id, title, text FROM articles WHERE facts_version = ? AND id > ? ORDER BY id LIMIT ?", [old, after, batch]
        ).fetchall():
            after = rows[-1][0]
            ids = [row[0] for row in rows if unchanged(f"{row[1] or ''}\n{row[2] or ''}")]
            if ids:
                with self.db.atomic():
                    self.db.executemany("UPDATE articles SET facts_version = ? WHERE id = ?", [(new, i) for i in ids])
                carried += len(ids)
        return carried

    def save_analyses(self, analysed: Iterable[tuple[int, Analysis]]) -> None:
        """Replace the analyses of stored articles (after facts.yaml changed, or for articles stored
        before an analysis existed), in one transaction; `place_stories` places them again."""
        with self.db.atomic():
            for article_id, analysis in analysed:
                self._analyse(article_id, analysis)

    def recluster(self) -> tuple[int, int]:
        """Rebuild copy groups and stories from the stored signatures and features."""
        with self.db.atomic():
            return recluster(self.db)

    def fact_timeline(self, fact_id: str) -> FactTimeline | None:
        """A fact's timeline (first sighting, reach, every distinct figure); None: no such fact."""
        return fact_timeline(self.db, fact_id)

    def latest_mentions(self, fact_id: str, limit: int = 10) -> list[Mention]:
        """The `limit` latest mentions of a fact in on-topic articles, newest first."""
        return latest_mentions(self.db, fact_id, limit)

    def recent_updates(self, limit: int = 50) -> list[dict]:
        """The most recently first seen candidate updates of active facts (monitor.store.facts)."""
        return recent_updates(self.db, limit)

    # -- what the daily digest reads (monitor.store.digest: a window is {"start": utc, "end": utc}) ---

    def active_facts(self) -> list[tuple[str, str]]:
        return digest_reads.active_facts(self.db)

    def day_counts(self, window: dict[str, str]) -> dict:
        return digest_reads.day_counts(self.db, window)

    def day_update_mentions(self, window: dict[str, str]) -> list[dict]:
        return digest_reads.day_update_mentions(self.db, window)

    def day_story_facts(self, window: dict[str, str]) -> dict[int, set[str]]:
        return digest_reads.day_story_facts(self.db, window)

    def story_reach(self, story_id: int, window: dict[str, str]) -> dict:
        return digest_reads.story_reach(self.db, story_id, window)

    def any_reported(self, window: dict[str, str]) -> bool:
        return digest_reads.any_reported(self.db, window)

    def latest_reported_before(self, before: str) -> str | None:
        return digest_reads.latest_reported_before(self.db, before)

    # -- names the story acquires ---------------------------------------------------------------

    def reported_names(self) -> list[ReportedName]:
        """Every name reported for a fact in an on-topic article, with its provenance."""
        return reported_names(self.db)

    def name_decisions(self) -> dict[str, str]:
        return decisions(self.db)

    def decide_name(self, name: str, decision: str | None, now: datetime) -> None:
        """Confirm ("confirmed") or reject ("rejected") a name, or forget the decision (None)."""
        with self.db.atomic():
            decide_name(self.db, name, decision, now)

    # -- link resolution cache -----------------------------------------------------------------

    def resolution(self, link: str, now: datetime, retry_failed_after: timedelta) -> tuple[str | None, str | None] | None:
        """(resolved URL, error) of an aggregator link; None when it was never tried, or when it
        failed longer than `retry_failed_after` ago (so it is tried again)."""
        row = self.db.execute(
            "SELECT resolved_url, error, resolved_at FROM link_resolutions WHERE link = ?", [link]
        ).fetchone()
        if row is None or (row[0] is None and row[2] < iso(now - retry_failed_after)):
            return None
        return row[0], row[1]

    def save_resolution(
        self,
        link: str,
        resolved: str | None,
        now: datetime,
        error: str | None = None,
        records: Iterable[FetchRecord] = (),
        method: str = "redirect",
    ) -> None:
        """Remember where an aggregator link leads (or why that is not known): `method` says how
        it was learned ('redirect', 'decoded' or 'matched'; see migration 013)."""
        with self.db.atomic():
            self.db.execute(
                """INSERT INTO link_resolutions (link, resolved_url, resolved_at, error, method) VALUES (?,?,?,?,?)
                   ON CONFLICT (link) DO UPDATE SET resolved_url = excluded.resolved_url,
                     resolved_at = excluded.resolved_at, error = excluded.error, method = excluded.method""",
                [link, resolved, iso(now), error, method],
            )
            self._log(records)

    # -- fetch log, search ---------------------------------------------------------------------

    def log_requests(self, records: Iterable[FetchRecord]) -> None:
        with self.db.atomic():
            self._log(records)

    def _log(self, records: Iterable[FetchRecord]) -> None:
        self.db.executemany(
            "INSERT INTO fetch_log (at, purpose, url, status, bytes, elapsed_ms, error) VALUES (?,?,?,?,?,?,?)",
            [(iso(r.at), r.purpose, r.url, r.status, r.bytes, round(r.elapsed * 1000), r.error) for r in records],
        )

    def search(self, query: str, *, lang: str | None = None, since: str | None = None, limit: int = 20) -> list[dict]:
        """Articles matching every term of `query` (2-character CJK words included), best first, each
        with a `snippet` of its text around the terms, marked «like this». `since`: a UTC time or
        date (articles reported then or later)."""
        expression = ts_query(query) if self.postgres else fts_query(query)
        if not expression:
            return []
        if self.postgres:
            sql = """SELECT a.id, a.url, a.title, a.lang, a.source, a.reported_at, a.duplicate_of, a.story_id, a.text
                     FROM article_search s JOIN articles a ON a.id = s.article_id
                     WHERE s.document @@ CAST(:query AS tsquery) AND (CAST(:lang AS text) IS NULL OR a.lang = :lang)
                       AND (CAST(:since AS text) IS NULL OR a.reported_at >= :since)
                     ORDER BY ts_rank_cd(s.document, CAST(:query AS tsquery)) DESC, a.id LIMIT :limit"""
        else:
            sql = """SELECT a.id, a.url, a.title, a.lang, a.source, a.reported_at, a.duplicate_of, a.story_id, a.text
                     FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                     WHERE articles_fts MATCH :query AND (:lang IS NULL OR a.lang = :lang)
                       AND (:since IS NULL OR a.reported_at >= :since)
                     ORDER BY rank LIMIT :limit"""
        rows = self.db.execute(sql, {"query": expression, "lang": lang, "since": since, "limit": limit}).fetchall()
        keys = ("id", "url", "title", "lang", "source", "reported_at", "duplicate_of", "story_id")
        return [{**dict(zip(keys, row[:-1], strict=True)), "snippet": snippet(row[-1] or "", query)} for row in rows]

    @contextlib.contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """Whether this process is the only one doing `name` now (e.g. publishing the digest): on
        PostgreSQL a session advisory lock, taken without waiting (False: another worker has it);
        on SQLite always True (one process at a time works on the archive)."""
        if not self.postgres:
            yield True
            return
        key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
        taken = self.db.execute("SELECT pg_try_advisory_lock(?)", [key]).fetchone()[0]
        try:
            yield bool(taken)
        finally:
            if taken:
                self.db.execute("SELECT pg_advisory_unlock(?)", [key])

    def state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM monitor_state WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str, now: datetime) -> None:
        with self.db.atomic():
            self.db.execute(
                """INSERT INTO monitor_state (key, value, updated_at) VALUES (?, ?, ?)
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at""",
                [key, value, iso(now)],
            )

    def feed_health(self, now: datetime, days: int = 7) -> list[dict]:
        return feed_health(self.db, now, days)

    def feed_poll_states(self) -> dict[str, dict]:
        """Each known feed's last poll, by name: last_polled_at, last_status, error_count."""
        rows = self.db.query("SELECT name, last_polled_at, last_status, error_count FROM feeds")
        return {row["name"]: row for row in rows}

    def totals(self) -> dict[str, int]:
        """How many articles, distinct texts (copies counted once) and stories the archive holds."""
        row = self.db.execute(
            "SELECT count(*), count(DISTINCT coalesce(duplicate_of, id)), count(DISTINCT story_id) FROM articles"
        ).fetchone()
        return {"articles": row[0], "distinct_texts": row[1], "stories": row[2]}

    def forget_fact_links(self) -> None:
        """Mark every article's fact links out of date, so the next relink links them all again."""
        with self.db.atomic():
            self.db.execute("UPDATE articles SET facts_version = NULL")

    def article_overview(self) -> list[dict]:
        """Every article in brief (id, lang, source, published_at, extraction, title, on_topic, how many
        URLs and facts), by language and publication time: what `monitor demo` prints."""
        return list(self.db.query(
            """SELECT a.id, a.lang, a.source, a.published_at, a.extraction, a.title, a.on_topic,
                      (SELECT count(*) FROM article_urls u WHERE u.article_id = a.id) AS urls,
                      (SELECT count(DISTINCT m.fact_id) FROM fact_mentions m WHERE m.article_id = a.id) AS facts
               FROM articles a ORDER BY a.lang, a.published_at"""
        ))  # fmt: skip

    def fetch_log_after(self, last_id: int) -> list[dict]:
        """Requests logged after the row `last_id` (id, purpose, status, elapsed_ms, error), oldest first."""
        return list(self.db.query(
            "SELECT id, purpose, status, elapsed_ms, error FROM fetch_log WHERE id > ? ORDER BY id", [last_id]
        ))  # fmt: skip

    def last_fetch_log_id(self) -> int:
        return self.db.execute("SELECT coalesce(max(id), 0) FROM fetch_log").fetchone()[0]

    def counts(self) -> dict[str, int]:
        return {
            "feeds": self.db.execute("SELECT count(*) FROM feeds WHERE active = 1").fetchone()[0],
            "articles": self.db.execute("SELECT count(*) FROM articles").fetchone()[0],
            "article_urls": self.db.execute("SELECT count(*) FROM article_urls").fetchone()[0],
            "pending": self.db.execute("SELECT count(*) FROM entries WHERE state = 'pending'").fetchone()[0],
        }


def feed_health(db: Database, now: datetime, days: int = 7) -> list[dict]:
    """Every active feed's state, with the new entries it brought per day over `days` days and
    when it last brought one."""
    since = iso(now - timedelta(days=days))
    return list(
        db.query(
            """SELECT f.*,
                      (SELECT count(*) FROM entries e WHERE e.feed_id = f.id AND e.first_seen_at >= :since)
                        * 1.0 / :days AS new_per_day,
                      (SELECT max(e.first_seen_at) FROM entries e WHERE e.feed_id = f.id) AS last_new_entry_at
               FROM feeds f WHERE f.active = 1 ORDER BY f.name""",
            {"since": since, "days": days},
        )
    )


_DOCUMENT_COLUMNS = frozenset({"etag", "last_modified", "body_sha256", "format", "encoding", "problem", "title"})


def _poll_columns(poll: FeedPoll) -> dict[str, object]:
    """The feeds columns a poll sets."""
    unknown = set(poll.document) - _DOCUMENT_COLUMNS
    if unknown:
        raise ValueError(f"not a feed document field: {', '.join(sorted(unknown))}")
    schedule = poll.schedule
    columns: dict[str, object] = dict(poll.document)
    columns.update(
        last_polled_at=iso(poll.polled_at),
        last_status=poll.status,
        interval_s=schedule.interval,
        next_poll_at=iso(schedule.next_poll_at),
        error_count=schedule.error_count,
        failure_weight=schedule.failure_weight,
    )
    if poll.failed:
        columns["last_error"] = poll.status
    else:
        columns["last_success_at"] = iso(poll.polled_at)
    if poll.entry_count is not None:
        columns.update(last_entry_count=poll.entry_count, last_new_count=poll.new_count)
    return columns


def _shown(location: str) -> str:
    """A location fit for a message: a PostgreSQL URL without its password."""
    if is_database_url(location) and "@" in location:
        scheme, rest = location.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"
    return location

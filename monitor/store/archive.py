"""The archive: one SQLite file (WAL mode) holding feeds, the entry queue, articles and their URLs.

Only the pipeline's main thread writes, one transaction per feed poll and one per article, so a
process killed at any moment leaves either the whole change or none of it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterable, Sequence

from sqlite_utils import Database

from monitor.config import FeedSource
from monitor.dates import iso
from monitor.dedup import Signature
from monitor.facts import FactBook, FactLinks
from monitor.feeds import FeedEntry
from monitor.fetch.http import FetchRecord
from monitor.store.facts import save_links, stale_articles, sync_facts
from monitor.store.migrate import migrate
from monitor.store.names import ReportedName, decide_name, decisions, reported_names
from monitor.store.sites import record_site_lines, site_articles_holding, site_furniture
from monitor.store.stories import copies_of, join_copies, place_stories, recluster, save_features, save_signature
from monitor.stories import StoryFeatures
from monitor.text import char_count, fts_query, search_text, snippet


class ArchiveError(RuntimeError):
    """The archive file cannot be opened or written (a systemic failure, not one feed's problem)."""


@dataclass(frozen=True)
class FeedState:
    id: int
    name: str
    url: str
    lang: str
    kind: str
    interval: float  # the current regular interval, seconds
    fixed_interval: bool
    etag: str | None
    last_modified: str | None
    body_sha256: str | None
    error_count: int
    failure_weight: float


@dataclass(frozen=True)
class PendingEntry:
    id: int
    feed_id: int
    feed_name: str
    feed_lang: str
    feed_kind: str
    feed_title: str  # the outlet, as the feed names itself
    link: str
    title: str
    summary: str
    published: str | None
    author: str
    source_name: str
    attempts: int


@dataclass(frozen=True)
class NewArticle:
    url: str
    title: str
    lang: str | None
    source: str
    published_at: str | None
    published_offset: str | None
    fetched_at: str
    text: str
    author: str
    summary: str
    extraction: str  # 'page', 'summary' or 'feed_only'
    extraction_note: str | None
    text_chars: int
    content_hash: str | None
    feed_id: int


@dataclass(frozen=True)
class Analysis:
    """What the pipeline worked out from an article's text, stored with it: its fact links (and the
    version of the definitions they come from), its MinHash signature and its story features."""

    links: FactLinks
    facts_version: str
    signature: Signature | None
    features: StoryFeatures


@dataclass(frozen=True)
class StoreOutcome:
    article_id: int
    created: bool  # False: the article was already there (same URL or same text); URLs were added
    furniture: frozenset[str] = frozenset()  # line keys that became the site's furniture with this article


class Archive:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=30)
            self.db = Database(conn)
            with self.db.ensure_autocommit_on():
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable at checkpoints, never corrupt
            migrate(self.db)
        except (sqlite3.Error, OSError) as exc:
            raise ArchiveError(f"cannot open archive {path}: {exc}") from exc

    def close(self) -> None:
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
        with self.db.atomic():
            names = []
            for source in sources:
                names.append(source.name)
                row = self.db.execute("SELECT id, url FROM feeds WHERE name = ?", [source.name]).fetchone()
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
                    self.db["feeds"].insert(dict(name=source.name, error_count=0, interval_s=source.poll_interval, **values))
                else:
                    if row[1] != source.url:  # a new URL is a new document: forget the old validators
                        values.update(etag=None, last_modified=None, body_sha256=None)
                    if source.fixed_interval:
                        values.update(interval_s=source.poll_interval)
                    self.db["feeds"].update(row[0], values)
            placeholders = ",".join("?" for _ in names)
            self.db.execute(f"UPDATE feeds SET active = 0 WHERE name NOT IN ({placeholders})", names)

    def due_feeds(self, now: datetime) -> list[FeedState]:
        rows = self.db.execute(
            """SELECT id, name, url, lang, kind, coalesce(interval_s, poll_interval), fixed_interval, etag,
                      last_modified, body_sha256, error_count, failure_weight
               FROM feeds WHERE active = 1 AND (next_poll_at IS NULL OR next_poll_at <= ?)
               ORDER BY next_poll_at IS NOT NULL, next_poll_at, id""",
            [iso(now)],
        ).fetchall()
        return [FeedState(*row) for row in rows]

    def record_poll(
        self,
        feed_id: int,
        *,
        now: datetime,
        entries: Iterable[FeedEntry],
        updates: Callable[[int], dict],
        records: Iterable[FetchRecord] = (),
    ) -> int:
        """Store one poll's new entries and the feed's new state in one transaction. `updates`
        receives the number of new entries and returns the feed's columns to set (status, next
        poll, validators, ...). Returns the number of new entries."""
        with self.db.atomic():
            new = 0
            for entry in entries:
                cursor = self.db.execute(
                    """INSERT OR IGNORE INTO entries (feed_id, entry_key, link, title, summary, published,
                       author, source_name, source_url, first_seen_at) VALUES (?,?,?,?,?,?,?,?,?,?)""",
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
                    ],
                )
                new += cursor.rowcount
            columns = updates(new)
            assignments = ", ".join(f"{key} = ?" for key in columns)
            self.db.execute(f"UPDATE feeds SET {assignments} WHERE id = ?", [*columns.values(), feed_id])
            self._log(records)
        return new

    def postpone_feed(self, feed_id: int, until: datetime, records: Iterable[FetchRecord] = ()) -> None:
        """Poll a feed later without counting a failure (its host asked everyone to wait)."""
        with self.db.atomic():
            self.db.execute("UPDATE feeds SET next_poll_at = ? WHERE id = ?", [iso(until), feed_id])
            self._log(records)

    # -- the entry queue -----------------------------------------------------------------------

    def pending_entries(self, now: datetime, exclude: set[int] | None = None, limit: int = 10_000) -> list[PendingEntry]:
        rows = self.db.execute(
            """SELECT e.id, e.feed_id, f.name, f.lang, f.kind, coalesce(f.title, f.name), e.link, coalesce(e.title, ''),
                      coalesce(e.summary, ''), e.published, coalesce(e.author, ''),
                      coalesce(e.source_name, ''), e.attempts
               FROM entries e JOIN feeds f ON f.id = e.feed_id
               WHERE e.state = 'pending' AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= ?)
               ORDER BY e.id LIMIT ?""",
            [iso(now), limit],
        ).fetchall()
        exclude = exclude or set()
        return [PendingEntry(*row) for row in rows if row[0] not in exclude]

    def defer_entry(self, entry_id: int, *, error: str, retry_at: datetime, records: Iterable[FetchRecord] = ()) -> None:
        """A transient failure: keep the entry pending and try again at `retry_at`."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE entries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                [error, iso(retry_at), entry_id],
            )
            self._log(records)

    def skip_entry(self, entry_id: int, reason: str) -> None:
        """Not fetched on purpose (a general feed's entry that is off the story). Kept, not lost."""
        with self.db.atomic():
            self.db.execute("UPDATE entries SET state = 'skipped', last_error = ? WHERE id = ?", [reason, entry_id])

    # -- articles ------------------------------------------------------------------------------

    def find_article(self, urls: Iterable[str]) -> int | None:
        for url in urls:
            row = self.db.execute("SELECT article_id FROM article_urls WHERE url = ?", [url]).fetchone()
            if row:
                return row[0]
        return None

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
    ) -> StoreOutcome:
        """Store an article and close its entry, in one transaction. An article already stored under
        one of `urls` or `identity` (further forms of the same URL, e.g. its AMP-less variant), or
        the same outlet's article with the same normalized text, absorbs this one: only the URLs are
        added to it. Another outlet's copy is stored as an article of its own, marked as a copy.
        With `analysis`, a new article gets its fact links and its copy group, and waits for
        `place_stories` to get its story. `site_lines` (site, line keys) counts a new article's short
        lines toward its site's furniture (`site_furniture`)."""
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
        return StoreOutcome(existing, created, frozenset(furniture))

    def site_furniture(self) -> dict[str, set[str]]:
        """Per site, the line keys its articles share (page furniture to leave out of new pages)."""
        return site_furniture(self.db)

    def site_articles_holding(self, site: str, lines: Iterable[str]) -> list[tuple[int, str | None, str, str | None]]:
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
                self.db.execute(
                    "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                    [article_id, search_text(row[0]), search_text(row[1])],
                )
                self.db.execute("UPDATE articles SET text = ?, text_chars = ? WHERE id = ?", [text, char_count(text), article_id])
                self.db.execute(
                    "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                    [article_id, search_text(row[0]), search_text(text)],
                )
                self._analyse(article_id, analysis)

    def _insert_article(self, article: NewArticle) -> int:
        values = asdict(article)
        # Never later than the fetch: some feeds stamp entries with a future or refreshed date.
        values["reported_at"] = min(filter(None, [article.published_at, article.fetched_at]))
        article_id = self.db.execute(
            f"INSERT INTO articles ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
            list(values.values()),
        ).lastrowid
        self.db.execute(
            "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
            [article_id, search_text(article.title), search_text(article.text)],
        )
        return article_id

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
        self.db.conn.executemany("UPDATE articles SET story_id = NULL WHERE id = ?", [(m,) for m in moved])

    def place_stories(self) -> int:
        """Place every article waiting for its story (stored or re-analysed since the last call), in
        one walk and one transaction: a batch that arrived out of reported order is walked once, not
        once per article. Returns how many articles changed story."""
        with self.db.atomic():
            return place_stories(self.db)

    def _add_urls(self, article_id: int, urls: Iterable[str]) -> None:
        for url in urls:
            self.db.execute("INSERT OR IGNORE INTO article_urls (url, article_id) VALUES (?, ?)", [url, article_id])

    def _close_entry(self, entry_id: int, article_id: int) -> None:
        self.db.execute(
            "UPDATE entries SET state = 'done', article_id = ?, last_error = NULL WHERE id = ?",
            [article_id, entry_id],
        )

    # -- fact links --------------------------------------------------------------------------

    def sync_facts(self, book: FactBook) -> None:
        sync_facts(self.db, book)

    def stale_articles(self, version: str, limit: int = 500) -> list[tuple[int, str, str, str | None]]:
        return stale_articles(self.db, version, limit)

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
        self, link: str, resolved: str | None, now: datetime, error: str | None = None, records: Iterable[FetchRecord] = ()
    ) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO link_resolutions (link, resolved_url, resolved_at, error) VALUES (?,?,?,?)",
                [link, resolved, iso(now), error],
            )
            self._log(records)

    # -- fetch log, search ---------------------------------------------------------------------

    def log_requests(self, records: Iterable[FetchRecord]) -> None:
        with self.db.atomic():
            self._log(records)

    def _log(self, records: Iterable[FetchRecord]) -> None:
        self.db.conn.executemany(
            "INSERT INTO fetch_log (at, purpose, url, status, bytes, elapsed_ms, error) VALUES (?,?,?,?,?,?,?)",
            [(iso(r.at), r.purpose, r.url, r.status, r.bytes, round(r.elapsed * 1000), r.error) for r in records],
        )

    def search(self, query: str, *, lang: str | None = None, since: str | None = None, limit: int = 20) -> list[dict]:
        """Articles matching every term of `query` (2-character CJK words included), best first, each
        with a `snippet` of its text around the terms, marked «like this». `since`: a UTC time or
        date (articles reported then or later)."""
        expression = fts_query(query)
        if not expression:
            return []
        rows = self.db.execute(
            """SELECT a.id, a.url, a.title, a.lang, a.source, a.reported_at, a.duplicate_of, a.story_id, a.text
               FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
               WHERE articles_fts MATCH :query AND (:lang IS NULL OR a.lang = :lang)
                 AND (:since IS NULL OR a.reported_at >= :since)
               ORDER BY rank LIMIT :limit""",
            {"query": expression, "lang": lang, "since": since, "limit": limit},
        ).fetchall()
        keys = ("id", "url", "title", "lang", "source", "reported_at", "duplicate_of", "story_id")
        return [{**dict(zip(keys, row[:-1], strict=True)), "snippet": snippet(row[-1] or "", query)} for row in rows]

    def state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM monitor_state WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str, now: datetime) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO monitor_state (key, value, updated_at) VALUES (?, ?, ?)", [key, value, iso(now)]
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

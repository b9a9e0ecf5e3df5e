"""The records the stages hand each other: a due feed, a queued entry, a new article and its
analysis, what storing it did, and one request of the fetch log.

They live apart from the stages that make and read them, so that the store does not depend on
the fetcher, nor the pipeline on the store's module: each stage imports only this module and the
other stage's public functions. Plain frozen dataclasses, no behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.dedup import Signature
from monitor.facts import FactLinks
from monitor.schedule import NextPoll
from monitor.stories import StoryFeatures


@dataclass(frozen=True)
class FetchRecord:
    """One request as the archive's fetch log keeps it."""

    at: datetime
    purpose: str  # "feed", "page", "robots" or "resolve"
    url: str
    status: int | None
    bytes: int
    elapsed: float
    error: str | None


@dataclass(frozen=True)
class FeedState:
    """A feed due for a poll, with what its next poll needs (validators, interval, failures)."""

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
    """A queued feed entry whose article is still to be fetched and stored."""

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
    source_url: str = ""  # an aggregator's entry: the site of the outlet it credits


@dataclass(frozen=True)
class TitledEntry:
    """An entry as a match for another feed's entry of the same headline (Archive.entries_titled)."""

    id: int
    link: str
    state: str
    article_id: int | None
    feed_title: str
    published: str | None
    feed_lang: str


@dataclass(frozen=True)
class NewArticle:
    """An article ready to be stored (its canonical URL, text and provenance)."""

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
    """What storing an article did."""

    article_id: int
    created: bool  # False: the article was already there (same URL or same text); URLs were added
    furniture: frozenset[str] = frozenset()  # line keys that became the site's furniture with this article


@dataclass(frozen=True)
class FeedPoll:
    """One poll of a feed as the archive records it: the result, the feed's new schedule, and
    what the document said of itself (validators, format, title: `document`, only the keys read)."""

    status: str  # 'ok', 'not_modified', 'unchanged' or 'error: ...'
    polled_at: datetime
    schedule: NextPoll
    document: dict[str, str | None]  # etag, last_modified, body_sha256, format, encoding, problem, title
    entry_count: int | None = None  # entries in the document, when one was parsed
    new_count: int | None = None  # of which new

    @property
    def failed(self) -> bool:
        return self.status.startswith("error")

"""The store stage: the archive (SQLite or PostgreSQL), its migrations and its queries. The records
it takes and gives are those of monitor.records, re-exported here for the callers that read them
with the archive."""

from monitor.records import Analysis, FeedState, NewArticle, PendingEntry, StoreOutcome
from monitor.store.archive import Archive, ArchiveError
from monitor.store.migrate import migrate

__all__ = ["Analysis", "Archive", "ArchiveError", "FeedState", "NewArticle", "PendingEntry", "StoreOutcome", "migrate"]

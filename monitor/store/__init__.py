"""The store stage: the SQLite archive, its migrations and its queries."""

from monitor.store.archive import Analysis, Archive, ArchiveError, FeedState, NewArticle, PendingEntry, StoreOutcome
from monitor.store.migrate import migrate

__all__ = ["Analysis", "Archive", "ArchiveError", "FeedState", "NewArticle", "PendingEntry", "StoreOutcome", "migrate"]

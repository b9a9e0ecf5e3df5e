"""Moving an archive between backends (`monitor copy SRC DST`): SQLite -> PostgreSQL, and back.

Every table is copied row for row, ids included, in one transaction on the target (a failed copy
leaves the target as empty as it was); the full-text index is rebuilt in the target's own form; the
target's id sequences continue after the copied ids. The copy is verified before it is reported:
each table's row count, and a checksum of every article's id and canonical URL, the same on both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from monitor.store.archive import Archive

# In the order their references need (foreign keys are checked at commit on PostgreSQL anyway).
TABLES = (
    "feeds",
    "articles",
    "entries",
    "article_urls",
    "link_resolutions",
    "facts",
    "fact_mentions",
    "article_attributions",
    "article_signatures",
    "minhash_bands",
    "story_features",
    "name_decisions",
    "site_lines",
    "site_url_rules",
    "monitor_state",
    "fetch_log",
)
_IDENTITY_TABLES = ("feeds", "articles", "entries", "fact_mentions", "fetch_log")
_BATCH = 2000


class CopyError(RuntimeError):
    """The copy cannot be made (a target that is not empty) or did not verify."""


@dataclass(frozen=True)
class CopyReport:
    rows: dict[str, int]  # table -> rows copied (equal on both sides)
    checksum: str  # sha256 of every article's "id<TAB>url", in id order


def url_checksum(archive: Archive) -> str:
    """A checksum of the archive's articles: sha256 over "id<TAB>canonical URL" lines in id order."""
    digest = hashlib.sha256()
    for article_id, url in sorted(archive.db.execute("SELECT id, url FROM articles").fetchall()):
        digest.update(f"{article_id}\t{url}\n".encode("utf-8"))
    return digest.hexdigest()


def table_counts(archive: Archive) -> dict[str, int]:
    return {table: archive.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def copy_archive(source: Archive, target: Archive, progress: Callable[[str, int], None] | None = None) -> CopyReport:
    """Copy every row of `source` into `target`, which must hold no feed, article or entry yet, then
    verify counts and the URL checksum. Raises CopyError when the target is not empty or the copy
    does not verify (nothing is left in the target then)."""
    filled = [t for t in ("feeds", "articles", "entries") if target.db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
    if filled:
        raise CopyError(f"the target archive is not empty ({', '.join(filled)} hold rows): copy into a new archive")
    counts: dict[str, int] = {}
    with target.db.atomic():
        if not target.postgres:
            target.db.execute("PRAGMA defer_foreign_keys = ON")  # an article may point at a later copy of its text
        for table in TABLES:
            counts[table] = _copy_table(source, target, table)
            if progress:
                progress(table, counts[table])
        for article_id, title, text in source.db.execute("SELECT id, title, text FROM articles ORDER BY id").fetchall():
            target.index_article(article_id, title, text)
        if target.postgres:
            for table in _IDENTITY_TABLES:
                target.db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
                )
        report = CopyReport(counts, url_checksum(target))
        copied = table_counts(target)
        if copied != table_counts(source) or report.checksum != url_checksum(source):
            raise CopyError(f"the copy does not verify: source {table_counts(source)}, target {copied}")
    return report


def _columns(archive: Archive, table: str) -> list[str]:
    cursor = archive.db.execute(f"SELECT * FROM {table} LIMIT 0")
    names = [column[0] for column in cursor.description]
    cursor.fetchall()
    return names


def _copy_table(source: Archive, target: Archive, table: str) -> int:
    """The rows of one table, in batches, with the columns both archives have (working columns of
    one backend, such as PostgreSQL's leases, start empty)."""
    theirs = set(_columns(target, table))
    columns = [column for column in _columns(source, table) if column in theirs]
    listed = ", ".join(columns)
    insert = f"INSERT INTO {table} ({listed}) VALUES ({', '.join('?' for _ in columns)})"
    cursor = source.db.execute(f"SELECT {listed} FROM {table}")
    copied = 0
    while rows := cursor.fetchmany(_BATCH):
        target.db.executemany(insert, [tuple(row) for row in rows])
        copied += len(rows)
    return copied

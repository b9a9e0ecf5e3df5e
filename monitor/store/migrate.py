"""Numbered SQL migrations from `db/migrations/` (inside the package when installed from a wheel),
applied in order, each in its own transaction, each once: running them again changes nothing.
A SQLite archive takes those of `db/migrations/`, a PostgreSQL one those of
`db/migrations/postgresql/` (its own numbering, the same tables, columns and views)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
import sqlite3
from pathlib import Path

from monitor.matching import title_key
from monitor.store.db import Database
from monitor.text import search_text

_NAME = re.compile(r"^(\d{3,})_[A-Za-z0-9_]+\.sql$")


def migrations_dir() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "_migrations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "db" / "migrations"


def available_migrations(folder: Path | None = None) -> list[tuple[int, str, Path]]:
    """(number, name, path) of every migration file, in order. Raises on a repeated number."""
    folder = folder or migrations_dir()
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"{path}: migration files are named NNN_description.sql")
        found.append((int(match.group(1)), path.stem, path))
    numbers = [number for number, _, _ in found]
    if len(numbers) != len(set(numbers)):
        raise ValueError(f"{folder}: two migrations share a number")
    return sorted(found)


_MIGRATION_LOCK = 0x6D69677261746521  # PostgreSQL advisory lock: one process migrates at a time


def migrate(db: Database, folder: Path | None = None) -> list[str]:
    """Apply the migrations not yet applied. Returns the names applied now. Migrations may call
    search_text(x), the full-text index's form of a text (monitor.text.search_text), and
    title_key(title, source_name), a headline's matching form (monitor.matching.title_key)."""
    if getattr(db, "dialect", "sqlite") == "postgresql":
        return _migrate_postgres(db, folder or migrations_dir() / "postgresql")
    db.conn.create_function("search_text", 1, search_text, deterministic=True)
    db.conn.create_function("title_key", 2, title_key, deterministic=True)
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for number, name, path in available_migrations(folder):
        if number in done:
            continue
        script = path.read_text(encoding="utf-8")
        # executescript() would commit on its own; run statement by statement inside one transaction,
        # holding the write lock from the start: two processes opening a new archive at once must
        # not both apply it (the second would find its columns already there).
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (number,)).fetchone() is None:
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (number, name, datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")),
                )
                applied.append(name)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return applied


def _statements(script: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows about quotes and triggers)."""
    statements, current = [], []
    for line in script.splitlines(keepends=True):
        current.append(line)
        candidate = "".join(current)
        if sqlite3.complete_statement(candidate):
            if candidate.strip(" \n\t;") and not _only_comments(candidate):
                statements.append(candidate)
            current = []
    rest = "".join(current)
    if rest.strip() and not _only_comments(rest):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {rest.strip()[:80]}")
    return statements


def _only_comments(sql: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in sql.splitlines())


def _migrate_postgres(db, folder: Path) -> list[str]:
    """The PostgreSQL migrations not yet applied, each in one transaction under an advisory lock
    (workers starting at once apply each migration once)."""
    applied = []
    for number, name, path in available_migrations(folder):
        with db.conn.transaction():
            db.conn.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
            db.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            if db.conn.execute("SELECT 1 FROM schema_migrations WHERE version = %s", [number]).fetchone() is None:
                db.conn.execute(path.read_text(encoding="utf-8").encode("utf-8"))  # a script: several statements
                db.conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                    [number, name, datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")],
                )
                applied.append(name)
    return applied

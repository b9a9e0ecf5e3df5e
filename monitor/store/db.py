"""The two databases an archive can live in, behind one small interface: a SQLite file (the
default, one process at a time) or a PostgreSQL database (`postgresql://...`, many workers).

The store's modules write their SQL once, in the dialect both understand (`?` and `:name`
placeholders, `INSERT ... ON CONFLICT`, `RETURNING`, `IS ?` for a comparison where NULL equals
NULL), and call `execute`, `executemany`, `query` and `atomic` on either. For PostgreSQL the
statement is translated once (`?` -> `%s`, `:name` -> `%(name)s`, `IS ?` -> `IS NOT DISTINCT FROM
%s`); what differs more than that (full-text search, leases) is written per backend in
monitor/store/archive.py and the migrations of each backend.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Protocol

from sqlite_utils import Database as SqliteUtilsDatabase

POSTGRES_PREFIXES = ("postgresql://", "postgres://")

# Every write transaction of an archive on PostgreSQL holds this advisory lock: one writer at a time
# across all workers, as on SQLite, so that copy groups and stories see every committed article.
WRITER_LOCK = 0x6D6F6E69746F72  # "monitor"


def is_database_url(location: object) -> bool:
    """Whether an archive location names a PostgreSQL database rather than a SQLite file."""
    return isinstance(location, str) and location.startswith(POSTGRES_PREFIXES)


def database_errors() -> tuple[type[Exception], ...]:
    """The exceptions either database raises (for the CLI's one-line error messages): psycopg's
    once the driver is loaded, which it is by the time a PostgreSQL archive can fail. Read it when
    the error is caught (`except database_errors()` is evaluated then): a process that only ever
    opens SQLite files never loads psycopg (9 MB of a daemon's memory)."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error, psycopg.Error) if psycopg is not None else (sqlite3.Error,)


def archive_exists(location: str) -> bool:
    """Whether an archive is at `location` (a SQLite file, or a PostgreSQL database holding the
    archive's tables), without creating anything. Raises the driver's error when a PostgreSQL
    server cannot be reached."""
    if not is_database_url(location):
        from pathlib import Path

        return Path(location).is_file()
    import psycopg

    with psycopg.connect(location, connect_timeout=10) as conn:
        return conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]


class Database(Protocol):
    dialect: str  # "sqlite" or "postgresql"

    def execute(self, sql: str, params: Sequence | Mapping | None = None) -> Any: ...

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None: ...

    def query(self, sql: str, params: Sequence | Mapping | None = None) -> Iterator[dict]: ...

    def atomic(self) -> Any: ...

    def close(self) -> None: ...


class SqliteDatabase(SqliteUtilsDatabase):
    """sqlite_utils' Database (transactions with savepoints, `query` as dicts) plus `executemany`."""

    dialect = "sqlite"

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        self.conn.executemany(sql, rows)


class PostgresDatabase:
    """One psycopg connection in autocommit mode; `atomic()` opens a transaction (a savepoint when
    nested) whose outermost level takes the writer lock unless `shared=True`."""

    dialect = "postgresql"

    def __init__(self, url: str, *, application_name: str = "sovereign-ai-monitor") -> None:
        import psycopg

        self.url = url
        self.conn = psycopg.connect(url, autocommit=True, application_name=application_name)
        _load_numbers_as_python(self.conn)
        self._depth = 0

    def execute(self, sql: str, params: Sequence | Mapping | None = None):
        cursor = self.conn.cursor()
        cursor.execute(*_statement(sql, params))
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        rows = list(rows)
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(translate(sql, True), rows)

    def query(self, sql: str, params: Sequence | Mapping | None = None) -> Iterator[dict]:
        from psycopg.rows import dict_row

        with self.conn.cursor(row_factory=dict_row) as cursor:
            cursor.execute(*_statement(sql, params))
            yield from cursor.fetchall()

    @contextmanager
    def atomic(self, shared: bool = False) -> Iterator[None]:
        """One transaction: all of it or none. The outermost level waits for the writer lock,
        unless `shared` (statements that are safe beside another writer, such as taking leases)."""
        with self.conn.transaction():
            if self._depth == 0 and not shared:
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1

    def close(self) -> None:
        self.conn.close()


def _statement(sql: str, params: Sequence | Mapping | None) -> tuple:
    if params is None or (not isinstance(params, Mapping) and len(params) == 0):
        return (translate(sql, False),)
    return translate(sql, True), params


_TOKEN = re.compile(
    r"""'(?:[^']|'')*'            # a string literal
      | "(?:[^"]|"")*"            # a quoted identifier
      | --[^\n]*                  # a comment
      | ::                        # a cast, not a parameter
      | \bIS\s+NOT\s+(?=[?:])     # IS NOT ? / IS NOT :name
      | \bIS\s+(?=[?:])           # IS ? / IS :name
      | \bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|UNKNOWN\b|DISTINCT\b)(?=[A-Za-z_])  # IS NOT column
      | \bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|UNKNOWN\b|DISTINCT\b)(?=[A-Za-z_])   # IS column
      | \?                        # a positional parameter
      | :[A-Za-z_]\w*             # a named parameter
      | %                         # a literal percent sign
    """,
    re.VERBOSE | re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def translate(sql: str, with_params: bool = True) -> str:
    """SQL written for both databases, as psycopg takes it: placeholders in its style, `IS x`
    comparisons as `IS [NOT] DISTINCT FROM x`, and `%` doubled when parameters are passed."""

    def replace(match: re.Match) -> str:
        token = match.group()
        head = token[:2].upper()
        if token[0] in "'\"-" or token == "::":
            return token.replace("%", "%%") if with_params and token[0] in "'\"" else token
        if head == "IS":
            return "IS DISTINCT FROM " if re.match(r"IS\s+NOT", token, re.IGNORECASE) else "IS NOT DISTINCT FROM "
        if token == "?":
            return "%s"
        if token.startswith(":"):
            return f"%({token[1:]})s"
        return "%%" if with_params else "%"

    return _TOKEN.sub(replace, sql)


def _load_numbers_as_python(conn) -> None:
    """NUMERIC results (sum() of bigints, round(), 1.0 * x / y) as int when whole, else float, the
    way SQLite returns them, rather than Decimal."""
    from psycopg.adapt import Loader

    class NumberLoader(Loader):
        def load(self, data) -> int | float:
            text = bytes(data).decode("ascii")
            if text in ("NaN", "Infinity", "-Infinity"):
                return float(text)
            return int(text) if "." not in text and "e" not in text.lower() else float(text)

    conn.adapters.register_loader("numeric", NumberLoader)

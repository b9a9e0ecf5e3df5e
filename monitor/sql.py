"""Ad-hoc SQL on the archive (`monitor sql`): one statement on a read-only connection, and its
result as an aligned table, CSV or JSON.

Read-only is enforced by SQLite, not by reading the SQL: the file is opened with `mode=ro` (so
that not even closing the connection checkpoints a WAL a killed writer left) and `PRAGMA
query_only`, so a write fails inside SQLite and is reported as such. An authorizer refuses what
those leave open or report badly: ATTACH (and VACUUM INTO, which attaches its target) would create
files elsewhere, a PRAGMA given a value sets something, and a checkpoint writes the file; on a
read-only file the last two fail as a misleading "disk I/O error".

On PostgreSQL the statement runs in a READ ONLY transaction that is always rolled back, as a
prepared statement (so one statement, never a script that could end the transaction first); COPY,
the one statement a read-only transaction still lets reach the server's files and programs, is
refused. For a boundary that does not depend on the monitor, give `monitor sql` a role that may
only SELECT (README).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from monitor.text import clip, display_width, pad

FORMATS = ("table", "csv", "json")

_CELL_LIMIT = 60  # terminal cells per table cell, the ellipsis included

# PRAGMAs whose argument names what to describe (a table, an index), not a value to set.
_DESCRIBING_PRAGMAS = frozenset(
    {
        "foreign_key_check",
        "foreign_key_list",
        "index_info",
        "index_list",
        "index_xinfo",
        "integrity_check",
        "quick_check",
        "table_info",
        "table_list",
        "table_xinfo",
    }
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class QueryError(Exception):
    """The query cannot run on the archive; the message is meant for the user as it is."""


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: list[tuple]


def run_query(db_path: str | Path, query: str, params: Sequence | Mapping = ()) -> QueryResult:
    """Run one SQL statement on the archive at `db_path` through a read-only connection.

    `params` fills `?` (a sequence) or `:name` (a mapping) placeholders. Raises QueryError for a
    missing archive, a statement that would write, more than one statement, or any SQL error.
    """
    if str(db_path).startswith(("postgresql://", "postgres://")):
        return _run_postgres(str(db_path), query, params)
    path = Path(db_path)
    if not path.exists():  # mode=ro never creates the file, but says only "unable to open database file"
        raise QueryError(f"no archive at {path}")
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise QueryError(f"cannot open archive {path}: {exc}") from exc
    with closing(conn):
        try:
            conn.execute("PRAGMA query_only = ON")
            conn.set_authorizer(_authorize)  # after our own PRAGMA, which it would refuse
            cursor = conn.execute(query, params)
            rows = cursor.fetchall()
        except sqlite3.Error as exc:
            raise _rephrase(exc) from exc
        return QueryResult(tuple(column[0] for column in cursor.description or ()), rows)


_COPY = re.compile(r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*copy\b", re.IGNORECASE | re.DOTALL)


def _run_postgres(url: str, query: str, params: Sequence | Mapping = ()) -> QueryResult:
    """`run_query` on a PostgreSQL archive: a read-only transaction, rolled back whatever happens."""
    import psycopg

    if _COPY.match(query):
        raise QueryError("COPY cannot run here: use SELECT (psql's \\copy writes files on your side); nothing was changed")
    try:
        conn = psycopg.connect(url, options="-c default_transaction_read_only=on", connect_timeout=10)
    except psycopg.Error as exc:
        raise QueryError(f"cannot open archive {url.split('@')[-1]}: {exc}".strip()) from exc
    with closing(conn):
        conn.read_only = True
        try:
            from monitor.store.db import _load_numbers_as_python

            _load_numbers_as_python(conn)
            cursor = conn.execute(query, params or None, prepare=True)
            rows = [tuple(row) for row in cursor.fetchall()] if cursor.description else []
        except psycopg.errors.ReadOnlySqlTransaction as exc:
            raise QueryError(f"read-only connection: only statements that read can run here ({str(exc).strip()}); nothing was changed") from exc
        except psycopg.Error as exc:
            message = str(exc).strip()
            if "multiple commands" in message:
                raise QueryError("one statement at a time: the query holds more than one, and none of them was run") from exc
            raise QueryError(message) from exc
        finally:
            conn.rollback()
        return QueryResult(tuple(column.name for column in cursor.description or ()), rows)


def _authorize(action: int, name: str | None, argument: str | None, database: str | None, trigger: str | None) -> int:
    if action == sqlite3.SQLITE_ATTACH:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and (
        name == "wal_checkpoint" or (argument is not None and name not in _DESCRIBING_PRAGMAS)
    ):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _rephrase(exc: sqlite3.Error) -> QueryError:
    """SQLite's error in the user's terms: why the statement could not run."""
    code = getattr(exc, "sqlite_errorcode", None)  # absent on errors raised by the sqlite3 module itself
    if code is not None and code & 0xFF in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_AUTH):
        return QueryError(f"read-only connection: only statements that read can run here ({exc}); nothing was changed")
    if isinstance(exc, sqlite3.ProgrammingError) and "one statement at a time" in str(exc):
        return QueryError("one statement at a time: the query holds more than one, and none of them was run")
    return QueryError(str(exc))


def format_result(result: QueryResult, fmt: str) -> str:
    """`result` as text in `fmt` (one of FORMATS), without a final newline: the caller prints it."""
    if fmt == "table":
        return _table(result)
    if fmt == "csv":
        return _csv(result)
    if fmt == "json":
        keys = _unique(result.columns)
        objects = [dict(zip(keys, map(_plain, row), strict=True)) for row in result.rows]
        return json.dumps(objects, ensure_ascii=False, indent=2)
    raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")


def _table(result: QueryResult) -> str:
    """Columns padded to their widest cell in terminal cells (CJK characters take two), numbers
    right-aligned, NULL as an empty cell, and the row count last."""
    body = [[_cell(value) for value in row] for row in result.rows]
    numeric = [_numeric(values) for values in zip(*result.rows, strict=True)] or [False] * len(result.columns)
    widths = [max(map(_width, texts)) for texts in zip(result.columns, *body, strict=True)]

    def line(texts: Sequence[str]) -> str:
        cells = (_pad(text, width, right) for text, width, right in zip(texts, widths, numeric, strict=True))
        return "  ".join(cells).rstrip()

    grid = [line(result.columns), line(["-" * width for width in widths]), *map(line, body)] if result.columns else []
    count = len(result.rows)
    return "\n".join([*grid, f"({count} row{'' if count == 1 else 's'})"])


def _numeric(values: Sequence[object]) -> bool:
    """A column of numbers (NULLs aside), right-aligned so that digits line up."""
    return any(v is not None for v in values) and all(v is None or isinstance(v, int | float) for v in values)


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    # "\n", not the csv module's "\r\n": this is text for a text stream, which ends lines its own way.
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([_text(value) for value in row] for row in result.rows)
    return buffer.getvalue().removesuffix("\n")


def _plain(value: object) -> object:
    """A value as JSON can carry it: BLOBs as hex."""
    return value.hex() if isinstance(value, bytes) else value


def _text(value: object) -> str:
    return "" if value is None else str(_plain(value))


def _cell(value: object) -> str:
    """A value as one table cell: on one line (control characters such as line breaks become
    spaces, or they would break the grid) and at most _CELL_LIMIT cells wide."""
    return clip(_CONTROL.sub(" ", _text(value)), _CELL_LIMIT)


_width = display_width
_pad = pad


def _unique(columns: Sequence[str]) -> list[str]:
    """Column names as distinct JSON keys: `SELECT *` over a join repeats names such as `id`, and
    a repeated key would silently drop a value; later ones become `id_2`, `id_3`, ..."""
    keys: list[str] = []
    for name in columns:
        key, n = name, 1
        while key in keys:
            n += 1
            key = f"{name}_{n}"
        keys.append(key)
    return keys

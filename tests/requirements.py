"""What some tests need from outside the repository, and what happens when it is missing.

The third-party corpora (`../shared/corpora`, beside the repository as CI checks it out), Debian's
Chromium and a PostgreSQL server are not part of a clone. Without them the tests that need them are
skipped with a one-line reason, so the README's test command passes on a fresh clone anywhere;
under CI (`CI=true`) a missing requirement is a failure, so nothing is silently left out there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
POSTGRES_ENV = "MONITOR_TEST_PG"  # a PostgreSQL server's URL (its maintenance database), e.g. set by .ci/run
POSTGRES_HOW = f"set {POSTGRES_ENV}=postgresql://USER@HOST:PORT/postgres to a server the tests may create databases on; .ci/run starts one"
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
CHROMIUM_INSTALL = "apt-get install chromium fonts-noto-cjk"


def require(present: bool, what: str, how: str) -> None:
    """Skip (or, under CI=true, fail) the calling test unless `present`."""
    if present:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI=true requires it: {how}", pytrace=False)
    pytest.skip(f"{what} missing ({how})")


def corpus_dir(*parts: str) -> Path:
    """A folder of the shared corpora, or a skip (a failure under CI) when it is not there."""
    path = CORPORA.joinpath(*parts)
    require(path.is_dir(), f"third-party corpus {path.relative_to(CORPORA.parent)}", "put shared/corpora beside the repository, see README")
    return path


def chromium() -> str:
    """The Chromium binary, or a skip (a failure under CI) when it is not installed."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    require(binary is not None, "Chromium", f"install it with `{CHROMIUM_INSTALL}`")
    return binary


def postgres_server() -> str:
    """The URL of the PostgreSQL server the tests create their databases on, or a skip (a failure
    under CI) when none is given or it does not answer."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    require(bool(url), "PostgreSQL server", POSTGRES_HOW)
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # not reachable, refused, bad credentials: all mean no server for the tests
        require(False, f"PostgreSQL server at {url} ({type(exc).__name__}: {str(exc).strip()[:120]})", POSTGRES_HOW)
    return url

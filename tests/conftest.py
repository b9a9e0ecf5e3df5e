"""Shared fixtures: the loopback fixture server (the demo site) and a fresh archive, a SQLite file
or, for the tests parametrized over both backends, a fresh PostgreSQL database."""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml

from monitor.config import Config, load_config
from monitor.demo import FixtureServer, demo_config
from monitor.pipeline import Pipeline
from monitor.store import Archive

from requirements import postgres_server

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 24, tzinfo=timezone.utc)  # the clock of archives built for reading
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def server():
    with FixtureServer() as running:
        yield running


BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server (skipped, or failed under CI, without
    one), dropped afterwards: its URL."""
    import psycopg

    server = postgres_server()
    name = f"monitor_test_{secrets.token_hex(5)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def new_archive_location(backend: str, folder: Path, name: str = "archive.sqlite3") -> Iterator[str]:
    """Where a new archive of `backend` goes: a file in `folder`, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield str(folder / name)
    else:
        with fresh_database() as url:
            yield url


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def archive_location(backend, tmp_path) -> Iterator[str]:
    """A new archive's location on each backend: a SQLite file path, or a PostgreSQL URL."""
    with new_archive_location(backend, tmp_path) as location:
        yield location


def _ingested_demo(location: str) -> tuple[str, str]:
    with FixtureServer() as server, Archive(location) as archive:
        pipeline = Pipeline(archive, site_config(server), clock=lambda: NOW)
        try:
            pipeline.run_once()
        finally:
            pipeline.close()
        return location, server.base_url


@pytest.fixture(scope="session", params=BACKENDS)
def demo_archive(request, tmp_path_factory):
    """The demo site ingested once per session and backend, for tests that only read: (location,
    the site's base URL); the location is a SQLite file or a PostgreSQL URL."""
    if request.param == "sqlite":
        yield _ingested_demo(str(tmp_path_factory.mktemp("demo-archive") / "demo.sqlite3"))
    else:
        with fresh_database() as url:
            yield _ingested_demo(url)


@pytest.fixture(scope="session")
def sqlite_demo_archive(tmp_path_factory):
    """The demo archive as a SQLite file, for what reads only SQLite files (Datasette, sqlite3)."""
    return _ingested_demo(str(tmp_path_factory.mktemp("demo-archive-sqlite") / "demo.sqlite3"))


@pytest.fixture
def archive(archive_location):
    """A new archive, on each backend."""
    with Archive(archive_location) as opened:
        yield opened


def site_config(
    server: FixtureServer, feeds: list[dict] | None = None, keywords: bool = True, processes: int = 0,
    general_fetch: str | None = None, **fetch,
) -> Config:
    """The demo's config (the project's keywords and defaults, the site's feeds or `feeds`) with
    short timeouts; `keywords=False` stores every entry of general feeds too; `general_fetch`
    ("keywords", "all") instead of the project's `fetch`. Pages are extracted in the test's own
    process unless `processes` asks for worker processes (the commands run as processes use the
    feeds file's setting: one per core)."""
    project = replace(load_config(REPO / "feeds.yaml"), processes=processes)
    if not keywords:
        project = replace(project, keywords={})
    if general_fetch is not None:
        project = replace(project, general_fetch=general_fetch)
    settings = dict(timeout=2.0, total_timeout=5.0, robots_timeout=2.0)
    settings.update(fetch)
    return demo_config(server, project, feeds).with_fetch(**settings)


def write_config(path: Path, feeds: list[dict], **defaults) -> Path:
    """A feeds file for a `monitor` subprocess: the project's defaults, loopback-friendly limits."""
    project = yaml.safe_load((REPO / "feeds.yaml").read_text(encoding="utf-8"))
    settings = dict(project["defaults"], per_host_min_interval=0, per_host_concurrency=8, timeout="2s", total_timeout="5s")
    settings["opaque_link_patterns"] = [*settings["opaque_link_patterns"], "/gn/rss/articles/"]
    settings["facts"] = str(REPO / "facts.yaml")
    settings["allow_private"] = ["127.0.0.0/8"]  # the loopback test site, allowed explicitly
    settings.update(defaults)
    path.write_text(yaml.safe_dump({"defaults": settings, "feeds": feeds}, allow_unicode=True), encoding="utf-8")
    return path


def monitor(*args: str, cwd: Path | None = None) -> subprocess.Popen:
    """`python -m monitor ARGS` as a real process."""
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )

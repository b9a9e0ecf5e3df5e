"""Shared fixtures: the loopback fixture server (the demo site) and a fresh archive file."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from monitor.config import Config, load_config
from monitor.demo import FixtureServer, demo_config
from monitor.pipeline import Pipeline
from monitor.store import Archive

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 24, tzinfo=timezone.utc)  # the clock of archives built for reading
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def server():
    with FixtureServer() as running:
        yield running


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory):
    """The demo site ingested once per session, for tests that only read: (path, the site's base URL)."""
    path = tmp_path_factory.mktemp("demo-archive") / "demo.sqlite3"
    with FixtureServer() as server, Archive(path) as archive:
        pipeline = Pipeline(archive, site_config(server), clock=lambda: NOW)
        try:
            pipeline.run_once()
        finally:
            pipeline.close()
        return path, server.base_url


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "archive.sqlite3") as opened:
        yield opened


def site_config(
    server: FixtureServer, feeds: list[dict] | None = None, keywords: bool = True, processes: int = 0, **fetch
) -> Config:
    """The demo's config (the project's keywords and defaults, the site's feeds or `feeds`) with
    short timeouts; `keywords=False` fetches every entry of general feeds too. Pages are extracted
    in the test's own process unless `processes` asks for worker processes (the commands run as
    processes use the feeds file's setting: one per core)."""
    project = replace(load_config(REPO / "feeds.yaml"), processes=processes)
    if not keywords:
        project = replace(project, keywords={})
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

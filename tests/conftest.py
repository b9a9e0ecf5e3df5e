"""Shared fixtures: the loopback fixture server (the demo site) and a fresh archive file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from monitor.config import Config, load_config
from monitor.demo import FixtureServer, demo_config
from monitor.store import Archive

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def server():
    with FixtureServer() as running:
        yield running


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "archive.sqlite3") as opened:
        yield opened


def site_config(server: FixtureServer, feeds: list[dict] | None = None, keywords: bool = True, **fetch) -> Config:
    """The demo's config (the project's keywords and defaults, the site's feeds or `feeds`) with
    short timeouts; `keywords=False` fetches every entry of general feeds too."""
    project = load_config(REPO / "feeds.yaml")
    if not keywords:
        project = replace(project, keywords={})
    settings = dict(timeout=2.0, total_timeout=5.0, robots_timeout=2.0)
    settings.update(fetch)
    return demo_config(server, project, feeds).with_fetch(**settings)

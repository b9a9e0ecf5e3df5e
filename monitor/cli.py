"""`monitor`: a thin command line over the library (config, pipeline, archive, demo site)."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from monitor.config import Config, ConfigError, load_config
from monitor.lock import LockBusy, RunLock
from monitor.pipeline import Pipeline, RunSummary
from monitor.store import Archive, ArchiveError

EXIT_SYSTEMIC = 1
EXIT_CONFIG = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run is working; cron may simply try again next time

_DB_HELP = "SQLite archive file (env MONITOR_DB)."
_CONFIG_HELP = "Feeds file (env MONITOR_CONFIG)."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sovereign-ai-monitor")
def main() -> None:
    """Follow Japan's sovereign-AI program across Korean, Japanese and English press.

    Polls the feeds in feeds.yaml, fetches each new article, extracts its text and keeps one
    record per article in a SQLite archive (query it with sqlite3 or Datasette).

    \b
    Exit codes: 0 done, 1 systemic failure (archive unusable, network down),
    2 bad configuration, 75 another run holds the archive's lock.
    """


@main.command()
@click.option("--once", is_flag=True, help="Run one poll cycle and exit (for cron). Required.")
@click.option("--config", "config_path", default="feeds.yaml", envvar="MONITOR_CONFIG", show_default=True, help=_CONFIG_HELP)
@click.option("--db", "db_path", default="db/monitor.sqlite3", envvar="MONITOR_DB", show_default=True, help=_DB_HELP)
def run(once: bool, config_path: str, db_path: str) -> None:
    """Poll every due feed, fetch new articles and store them.

    Feed errors are recorded on the feed and do not fail the run. A run killed at any point is
    completed by the next one, with nothing lost and nothing stored twice.
    """
    if not once:
        raise click.UsageError("monitor run polls once per call: pass --once (from cron, e.g. every 10 minutes).")
    config = _load(config_path)
    summary = _run_locked(config, db_path)
    click.echo(summary.line())
    for error in summary.errors[:20]:
        click.echo(f"  {error}", err=True)
    if len(summary.errors) > 20:
        click.echo(f"  ... and {len(summary.errors) - 20} more (see the feeds and entries tables)", err=True)
    if summary.systemic_failure:
        click.echo("error: no feed could be reached; is the network down?", err=True)
        sys.exit(EXIT_SYSTEMIC)


@main.command()
@click.option("--config", "config_path", default="feeds.yaml", envvar="MONITOR_CONFIG", show_default=True, help=_CONFIG_HELP)
@click.option("--db", "db_path", default="db/monitor.sqlite3", envvar="MONITOR_DB", show_default=True, help=_DB_HELP)
def feeds(config_path: str, db_path: str) -> None:
    """Validate the feeds file and list its feeds (with their last poll, if the archive has one)."""
    config = _load(config_path)
    state = {}
    if Path(db_path).exists():
        with _open_archive(db_path) as archive:
            for row in archive.db.query("SELECT name, last_polled_at, last_status, error_count FROM feeds"):
                state[row["name"]] = row
    click.echo(f"{config.source}: {len(config.feeds)} feeds, valid")
    for feed in config.feeds:
        known = state.get(feed.name, {})
        polled = known.get("last_polled_at") or "never polled"
        status = known.get("last_status") or ""
        click.echo(f"  {feed.name:32} {feed.lang} {feed.kind:8} every {feed.poll_interval / 60:g}m  {polled} {status}")


@main.command()
@click.option("--db", "db_path", default="db/demo.sqlite3", show_default=True, help="Archive to create (replaced if present).")
@click.option("--config", "config_path", default="feeds.yaml", show_default=True,
              help="Keywords and settings are taken from here when it exists; the feeds are the demo site's.")
@click.option("--serve", is_flag=True, help="Keep the demo site running after the run, until Ctrl-C.")
def demo(db_path: str, config_path: str, serve: bool) -> None:  # fmt: skip
    """Run the whole pipeline against the bundled demo news site on loopback.

    Starts the fixture server (Korean, Japanese and English outlets with RSS 2.0, Atom and RDF
    feeds), polls it into a fresh archive, and prints what was stored. Needs no network.
    """
    from monitor.demo import FixtureServer, demo_config

    base = load_config(config_path) if Path(config_path).exists() else Config(feeds=())
    for suffix in ("", "-wal", "-shm"):
        Path(db_path + suffix).unlink(missing_ok=True)
    with FixtureServer() as server:
        config = demo_config(server, base)
        click.echo(f"demo site at {server.base_url} ({len(server.site.articles)} articles in {len(server.site.outlets)} outlets)")
        summary = _run_locked(config, db_path)
        with _open_archive(db_path) as archive:
            _print_articles(archive)
        click.echo(summary.line())
        click.echo(f"archive: {db_path}  (try: sqlite3 {db_path} 'SELECT lang, count(*) FROM articles GROUP BY lang')")
        if serve:
            click.echo(f"serving {server.base_url} until Ctrl-C")
            try:
                server.stopping.wait()
            except KeyboardInterrupt:
                pass


def _print_articles(archive: Archive) -> None:
    width = max(40, min(100, shutil.get_terminal_size((100, 20)).columns - 50))
    rows = archive.db.query(
        """SELECT a.id, a.lang, a.source, a.published_at, a.extraction, a.title,
                  (SELECT count(*) FROM article_urls u WHERE u.article_id = a.id) AS urls
           FROM articles a ORDER BY a.lang, a.published_at"""
    )
    click.echo(f"{'id':>4} {'lang':4} {'published (UTC)':20} {'urls':>4} {'text':9} {'source':16} title")
    for row in rows:
        title = (row["title"] or "")[:width]
        click.echo(
            f"{row['id']:>4} {row['lang'] or '?':4} {row['published_at'] or '':20} {row['urls']:>4} "
            f"{row['extraction']:9} {(row['source'] or '')[:16]:16} {title}"
        )


@contextmanager
def _exit_on(code: int, *errors: type[Exception], prefix: str = "error") -> Iterator[None]:
    """Turn an expected failure into one line on stderr and an exit code (no traceback)."""
    try:
        yield
    except errors as exc:
        click.echo(f"{prefix}: {exc}", err=True)
        sys.exit(code)


def _load(config_path: str) -> Config:
    with _exit_on(EXIT_CONFIG, ConfigError):
        return load_config(config_path)


def _open_archive(db_path: str) -> Archive:
    with _exit_on(EXIT_SYSTEMIC, ArchiveError):
        return Archive(db_path)


def _run_locked(config: Config, db_path: str) -> RunSummary:
    with (
        _exit_on(EXIT_SYSTEMIC, ArchiveError, sqlite3.Error, OSError),
        _exit_on(EXIT_LOCKED, LockBusy, prefix="skipped"),
        RunLock(db_path),
        Archive(db_path) as archive,
    ):
        pipeline = Pipeline(archive, config)
        try:
            return pipeline.run_once()
        finally:
            pipeline.close()

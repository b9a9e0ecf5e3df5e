"""`monitor`: a thin command line over the library (config, pipeline, archive, demo site)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from monitor.config import Config, ConfigError, load_config, parse_duration
from monitor.daemon import HEARTBEAT
from monitor.dates import iso, utc_now
from monitor.digest import FORMATS, build_digest, render, write_atomically
from monitor.facts import FactBook, FactsError, load_factbook
from monitor.facts.names import identifying_names, name_status
from monitor.figures import format_figure
from monitor.lock import LockBusy
from monitor.pipeline import RunSummary, locked_pipeline
from monitor.schedule import feed_state
from monitor.sql import QueryError, format_result, run_query
from monitor.store import Archive, ArchiveError
from monitor.store.facts import FactTimeline, FigureReport, fact_timeline

EXIT_SYSTEMIC = 1
EXIT_CONFIG = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run is working; cron may simply try again next time

_DB_HELP = "SQLite archive file (env MONITOR_DB)."
_CONFIG_HELP = "Feeds file (env MONITOR_CONFIG)."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sovereign-ai-monitor")
@click.option("--log-format", type=click.Choice(["plain", "json"]), default="plain", show_default=True,
              help="Logs on stderr: plain text, or one JSON object per line.")
@click.option("-v", "--verbose", is_flag=True, help="Log every feed poll (INFO), not only problems.")
def main(log_format: str, verbose: bool) -> None:  # fmt: skip
    """Follow Japan's sovereign-AI program across Korean, Japanese and English press.

    Polls the feeds in feeds.yaml, fetches each new article, extracts its text and keeps one
    record per article in a SQLite archive (query it with sqlite3 or Datasette).

    \b
    Exit codes: 0 done, 1 systemic failure (archive unusable, network down),
    2 bad configuration, 75 another run holds the archive's lock.
    """
    configure_logging(log_format, logging.INFO if verbose else logging.WARNING)


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
    summary = _run_locked(config, db_path, progress=sys.stderr.isatty())
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
def daemon(config_path: str, db_path: str) -> None:
    """Poll feeds on their own schedules until stopped, and write the daily digest.

    Every tick (defaults.daemon_tick) runs the same cycle as `run --once` for the feeds that are
    due; the digest of each day is written at defaults.digest.time in defaults.digest.timezone,
    and a digest missed while the daemon was down is written once at start. SIGTERM or Ctrl-C
    stops it within seconds; work in flight is finished by the next start.
    """
    from monitor.daemon import Daemon

    config = _load(config_path)
    _factbook(config)  # each cycle reads it again; a mistake now is a mistake before the first cycle
    if logging.getLogger().level > logging.INFO:
        logging.getLogger().setLevel(logging.INFO)  # a daemon reports its cycles
    Daemon(config, db_path).run()
    # Requests abandoned at stop may still be blocked in worker threads; the archive is closed and
    # consistent, so leave without waiting for their timeouts.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@main.command()
@click.option("--config", "config_path", default="feeds.yaml", envvar="MONITOR_CONFIG", show_default=True, help=_CONFIG_HELP)
@click.option("--db", "db_path", default="db/monitor.sqlite3", envvar="MONITOR_DB", show_default=True, help=_DB_HELP)
@click.option("--max-failures", type=int, default=None,
              help="Exit 1 when a feed has failed this many polls in a row [default: defaults.failing_threshold].")
def status(config_path: str, db_path: str, max_failures: int | None) -> None:  # fmt: skip
    """Each feed's health at a glance; exit 1 when one is failing (for monitoring checks).

    Columns: last poll, its result, consecutive failures, next poll, new entries per day over the
    last 7 days, and whether the feed is backing off (or in the slow lane: retried once a day).
    """
    config = _load(config_path)
    threshold = max_failures if max_failures is not None else config.failing_threshold
    now = utc_now()
    with _existing_archive(db_path) as archive:
        rows = archive.feed_health(now)
        heartbeat = archive.state(HEARTBEAT)
    click.echo(f"{'feed':30} {'lang':4} {'last poll':>10} {'result':26} {'fails':>5} {'next poll':>10} {'new/day':>7}  state")
    failing = []
    for row in rows:
        state = feed_state(row["interval_s"] or row["poll_interval"], row["failure_weight"] or 0, row["error_count"], threshold, config.poll)
        if state == "failing":
            state = "FAILING"
            failing.append(row["name"])
        click.echo(
            f"{row['name'][:30]:30} {row['lang']:4} {_ago(row['last_polled_at'], now):>10} "
            f"{(row['last_status'] or 'never polled')[:26]:26} {row['error_count']:>5} "
            f"{_ago(row['next_poll_at'], now):>10} {row['new_per_day']:>7.1f}  {state}"
        )
    if heartbeat:
        click.echo(f"daemon: last cycle {_ago(heartbeat, now)}")
    if failing:
        click.echo(f"{len(failing)} feed(s) failing ({threshold}+ polls in a row): {', '.join(failing)}", err=True)
        sys.exit(1)


@main.command()
@click.option("--db", "db_path", default="db/monitor.sqlite3", envvar="MONITOR_DB", show_default=True, help=_DB_HELP)
@click.option("--max-age", default="15m", show_default=True, help="How old the daemon's last cycle may be.")
def health(db_path: str, max_age: str) -> None:
    """Exit 0 when the daemon's last cycle is recent (a container health check), else 1."""
    limit = _duration(max_age)
    if not Path(db_path).exists():
        click.echo("unhealthy: no archive yet", err=True)
        sys.exit(1)
    with _open_archive(db_path) as archive:
        heartbeat = archive.state(HEARTBEAT)
    age = (utc_now() - datetime.fromisoformat(heartbeat.replace("Z", "+00:00"))).total_seconds() if heartbeat else None
    if age is None or age > limit:
        click.echo(f"unhealthy: last cycle {'never' if age is None else f'{age:.0f}s ago'}", err=True)
        sys.exit(1)
    click.echo(f"healthy: last cycle {age:.0f}s ago")


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _ago(stamp: str | None, now: datetime) -> str:
    """'5m ago' / 'in 2h' for an archive timestamp."""
    if not stamp:
        return "-"
    seconds = (datetime.fromisoformat(stamp.replace("Z", "+00:00")) - now).total_seconds()
    span = abs(seconds)
    text = f"{span / 86400:.0f}d" if span >= 172800 else f"{span / 3600:.0f}h" if span >= 7200 else f"{span / 60:.0f}m"
    return f"in {text}" if seconds > 0 else f"{text} ago"


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
@click.argument("fact_id", required=False)
@click.option("--config", "config_path", default="feeds.yaml", envvar="MONITOR_CONFIG", show_default=True, help=_CONFIG_HELP)
@click.option("--db", "db_path", default="db/monitor.sqlite3", envvar="MONITOR_DB", show_default=True, help=_DB_HELP)
@click.option("--check", is_flag=True, help="Only validate the facts file and list its facts.")
@click.option("--mentions", "mention_limit", default=10, show_default=True, help="Latest mentions shown for one fact.")
def facts(fact_id: str | None, config_path: str, db_path: str, check: bool, mention_limit: int) -> None:  # fmt: skip
    """The tracked facts and what the press reports of them, candidate updates first.

    Without FACT_ID: every candidate update (a figure that differs from the tracked one, a name
    not yet tracked), then each fact's first sighting and mentions by language. With FACT_ID: that
    fact's timeline: every distinct figure with its first source and date, outlets, latest mentions.
    """
    config = _load(config_path)
    book = _factbook(config)
    if check:
        click.echo(f"{config.facts_file}: {len(book.facts)} facts, valid (version {book.version})")
        for fact in book.facts:
            figure = f"  [{format_figure(fact.figure.value, fact.figure.unit)}]" if fact.figure else ""
            click.echo(f"  {fact.id:4} {fact.statement['en']}{figure}")
        return
    if not Path(db_path).exists():
        click.echo(f"error: no archive at {db_path} (run `monitor run --once` or `monitor demo` first)", err=True)
        sys.exit(EXIT_CONFIG)
    with _open_archive(db_path) as archive:
        archive.sync_facts(book)
        ids = [fact_id] if fact_id else [fact.id for fact in book.facts]
        timelines = [fact_timeline(archive.db, i) for i in ids]
    if fact_id and timelines[0] is None:
        click.echo(f"error: no fact {fact_id!r} (known: {', '.join(f.id for f in book.facts)})", err=True)
        sys.exit(EXIT_CONFIG)
    if fact_id:
        _print_timeline(timelines[0], book.fact(fact_id) if fact_id in {f.id for f in book.facts} else None, mention_limit, db_path)
        return
    updates = [(t, u) for t in timelines for u in t.updates]
    click.echo(f"Candidate updates ({len(updates)}): figures that differ from the tracked ones, names not yet tracked")
    for timeline, update in sorted(updates, key=lambda pair: pair[1].first_seen):
        click.echo(f"  {timeline.fact_id:4} {_update_label(timeline, update)}")
        click.echo(f"       first {update.first_seen[:10]} {update.first_outlet}: {update.first_title}")
        click.echo(f"       {update.articles} article(s) in {update.languages}")
    _print_names(config, db_path)
    click.echo("")
    click.echo("Facts")
    for timeline in timelines:
        tracked = f"  [{format_figure(timeline.value, timeline.unit)}]" if timeline.value is not None else ""
        click.echo(f"  {timeline.fact_id:4} {timeline.statement}{tracked}")
        languages = ", ".join(f"{lang} {n}" for lang, n in timeline.by_language.items()) or "none"
        first = timeline.first_seen[:10] if timeline.first_seen else "never"
        click.echo(f"       first seen {first}; {timeline.articles} article(s): {languages}")


def _print_names(config: Config, db_path: str) -> None:
    """The names the press gave the company, and whether each identifies the story now."""
    with _open_archive(db_path) as archive:
        reported = archive.reported_names()
        decided = archive.name_decisions()
    identifying = identifying_names([(n.name, n.outlets) for n in reported], decided, min_outlets=config.names_min_outlets)
    click.echo("")
    click.echo(f"Names the story acquired ({len(reported)}): a name identifies the story once "
               f"{config.names_min_outlets} outlets reported it (monitor names --confirm/--reject)")  # fmt: skip
    for name in reported:
        status = name_status(name.name, identifying, name.decision)
        click.echo(f"  {name.fact_id:4} {name.name}  [{status}]  {name.outlets} outlet(s), {name.articles} article(s) in {name.languages}")
        click.echo(f"       first {name.first_seen[:10]} {name.first_source}: {name.first_title}")


@main.command()
@click.option("--confirm", "confirm", metavar="NAME", multiple=True, help="Make NAME identify the story now.")
@click.option("--reject", "reject", metavar="NAME", multiple=True, help="Never let NAME identify the story.")
@click.option("--forget", "forget", metavar="NAME", multiple=True, help="Drop your decision on NAME.")
@click.option("--config", "config_path", default="feeds.yaml", envvar="MONITOR_CONFIG", show_default=True, help=_CONFIG_HELP)
@click.option("--db", "db_path", default="db/monitor.sqlite3", envvar="MONITOR_DB", show_default=True, help=_DB_HELP)
def names(confirm: tuple[str, ...], reject: tuple[str, ...], forget: tuple[str, ...], config_path: str, db_path: str) -> None:
    """The names the press gave the program's company, with where each came from.

    A name reported by enough outlets (defaults.names_min_outlets, 2) identifies the story: an
    article that calls the company only by that name is judged on topic and states the company
    fact. Confirm a name to count it at once, reject one to stop it counting; the archive is
    linked again with the decision now (as `monitor relink` does).
    """
    config = _load(config_path)
    archive = _existing_archive(db_path)
    archive.close()
    if confirm or reject or forget:
        with (
            _exit_on(EXIT_SYSTEMIC, ArchiveError, sqlite3.Error, OSError),
            _exit_on(EXIT_LOCKED, LockBusy, prefix="skipped"),
            locked_pipeline(config, db_path, factbook=_factbook(config)) as pipeline,
        ):
            now = utc_now()
            for decision, chosen in (("confirmed", confirm), ("rejected", reject), (None, forget)):
                for name in chosen:
                    pipeline.archive.decide_name(name, decision, now)
            count = pipeline.relink()
        click.echo(f"decisions saved; relinked {count} articles (story names: {', '.join(pipeline.factbook.story.name_list) or 'none'})")
    _print_names(config, db_path)


def _update_label(timeline: FactTimeline, update: FigureReport) -> str:
    if update.name is not None:
        return f"new name: {update.name}"
    return f"{format_figure(update.value, update.unit)} (tracked: {format_figure(timeline.value, timeline.unit)})"


def _print_timeline(timeline: FactTimeline, fact, mention_limit: int, db_path: str) -> None:
    tracked = f"  [{format_figure(timeline.value, timeline.unit)}]" if timeline.value is not None else ""
    click.echo(f"{timeline.fact_id}  {timeline.statement}{tracked}" + ("" if timeline.active else "  (no longer in the facts file)"))
    if fact is not None:
        for lang in ("ko", "ja"):
            if lang in fact.statement:
                click.echo(f"    {lang}: {fact.statement[lang]}")
        if fact.figure and fact.figure.period:
            click.echo(f"    period: {fact.figure.period}")
    languages = ", ".join(f"{lang} {n}" for lang, n in timeline.by_language.items()) or "none"
    click.echo(f"first seen {timeline.first_seen or 'never'}; {timeline.articles} article(s): {languages}")
    click.echo(f"\nCandidate updates ({len(timeline.updates)})")
    for update in timeline.updates:
        _print_report(_update_label(timeline, update), update)
    click.echo(f"\nFigures reported ({len(timeline.figures)})")
    for report in timeline.figures:
        verdict = "agrees" if report.agrees else "differs"
        _print_report(f"{format_figure(report.value, report.unit)} ({verdict})", report)
    click.echo("\nOutlets: " + (", ".join(f"{outlet} {n}" for outlet, n in timeline.by_outlet) or "none"))
    with _open_archive(db_path) as archive:
        rows = archive.db.execute(
            """SELECT COALESCE(a.published_at, a.fetched_at), a.lang, a.source, m.figure, m.agrees, m.sentence
               FROM fact_mentions m JOIN articles a ON a.id = m.article_id
               WHERE m.fact_id = ? AND a.on_topic = 1 ORDER BY 1 DESC, m.id DESC LIMIT ?""",
            [timeline.fact_id, mention_limit],
        ).fetchall()
    click.echo(f"\nLatest mentions ({len(rows)} shown)")
    for seen, lang, source, figure, agrees, sentence in rows:
        mark = "" if agrees is None else (" [agrees]" if agrees else " [DIFFERS]")
        click.echo(f"  {seen[:16]} {lang} {source}: {sentence}" + (f"  <{figure}>{mark}" if figure else ""))


def _print_report(label: str, report: FigureReport) -> None:
    click.echo(f"  {label}")
    click.echo(f"      first {report.first_seen} {report.first_outlet}: {report.first_title}")
    click.echo(f"      \"{report.first_sentence}\"")
    click.echo(f"      {report.articles} article(s) in {report.languages}; {report.first_url}")


@main.command()
@click.option("--config", "config_path", default="feeds.yaml", envvar="MONITOR_CONFIG", show_default=True, help=_CONFIG_HELP)
@click.option("--db", "db_path", default="db/monitor.sqlite3", envvar="MONITOR_DB", show_default=True, help=_DB_HELP)
@click.option("--all", "everything", is_flag=True, help="Link every article again, not only those linked from older definitions.")
def relink(config_path: str, db_path: str, everything: bool) -> None:
    """Link stored articles to the facts again, after facts.yaml was edited.

    `monitor run` and the daemon do this on their own before each cycle; this does it now.
    """
    config = _load(config_path)
    with (
        _exit_on(EXIT_SYSTEMIC, ArchiveError, sqlite3.Error, OSError),
        _exit_on(EXIT_LOCKED, LockBusy, prefix="skipped"),
        locked_pipeline(config, db_path, factbook=_factbook(config)) as pipeline,
    ):
        if everything:
            pipeline.archive.db.execute("UPDATE articles SET facts_version = NULL")
        count = pipeline.relink()
    click.echo(f"relinked {count} articles to facts version {pipeline.factbook.version}")


@main.command()
@click.option("--config", "config_path", default="feeds.yaml", envvar="MONITOR_CONFIG", show_default=True, help=_CONFIG_HELP)
@click.option("--db", "db_path", default="db/monitor.sqlite3", envvar="MONITOR_DB", show_default=True, help=_DB_HELP)
def recluster(config_path: str, db_path: str) -> None:
    """Rebuild copy groups (duplicate_of) and stories (story_id) over the whole archive.

    Gives what incremental ingest gives; use it after changing the thresholds, or to check.
    Articles archived before stories existed are analysed first.
    """
    config = _load(config_path)
    with (
        _exit_on(EXIT_SYSTEMIC, ArchiveError, sqlite3.Error, OSError),
        _exit_on(EXIT_LOCKED, LockBusy, prefix="skipped"),
        locked_pipeline(config, db_path, factbook=_factbook(config)) as pipeline,
    ):
        analysed = pipeline.relink()
        copies, stories = pipeline.archive.recluster()
        totals = pipeline.archive.db.execute(
            "SELECT count(*), count(DISTINCT coalesce(duplicate_of, id)), count(DISTINCT story_id) FROM articles"
        ).fetchone()
    click.echo(
        f"{copies} copy marks changed, {stories} stories changed ({analysed} articles analysed first); "
        f"{totals[0]} articles, {totals[1]} distinct texts, {totals[2]} stories"
    )


@main.command()
@click.option("--date", "day", default=None, help="Local day YYYY-MM-DD.  [default: yesterday]")
@click.option("--tz", "timezone", default=None, help="Time zone of the day.  [default: defaults.digest.timezone]")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--out", "out", default="-", show_default=True, help="File to write (atomically), or - for stdout.")
@click.option("--config", "config_path", default="feeds.yaml", envvar="MONITOR_CONFIG", show_default=True, help=_CONFIG_HELP)
@click.option("--db", "db_path", default="db/monitor.sqlite3", envvar="MONITOR_DB", show_default=True, help=_DB_HELP)
def digest(day: str | None, timezone: str | None, fmt: str, out: str, config_path: str, db_path: str) -> None:  # fmt: skip
    """The daily digest of one local day: fact updates, the stories per fact, other stories, the
    feeds' health and the day's counts, as Markdown, one self-contained HTML page, or JSON."""
    config = _load(config_path) if Path(config_path).exists() else Config(feeds=())
    zone_name = timezone or config.digest.timezone
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        _fail(EXIT_CONFIG, f"unknown time zone {zone_name!r} (an IANA name such as Asia/Seoul)")
    try:
        local_day = date.fromisoformat(day) if day else utc_now().astimezone(zone).date() - timedelta(days=1)
    except ValueError:
        _fail(EXIT_CONFIG, f"--date {day!r} is not a date like 2026-11-23")
    with _exit_on(EXIT_SYSTEMIC, ArchiveError, sqlite3.Error, OSError), _existing_archive(db_path) as archive:
        digest = build_digest(archive.db, local_day, zone_name, utc_now(), failing_threshold=config.failing_threshold, poll=config.poll)
        text = render(digest, fmt)
    if out == "-":
        click.echo(text, nl=False)
    else:
        write_atomically(Path(out), text)
        click.echo(f"digest for {local_day} ({zone_name}) written to {out}", err=True)


@main.command()
@click.argument("query")
@click.option("--lang", type=click.Choice(["ko", "ja", "en"]), default=None, help="Only articles in this language.")
@click.option("--since", default=None, help="Only articles reported on or after this UTC date (YYYY-MM-DD) or time.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--db", "db_path", default="db/monitor.sqlite3", envvar="MONITOR_DB", show_default=True, help=_DB_HELP)
def search(query: str, lang: str | None, since: str | None, limit: int, db_path: str) -> None:
    """Full-text search of titles and texts, best match first, with the terms marked in a snippet.

    Every term must occur. Korean and Japanese words of two characters or more are found as
    written (지원, 政府, 基盤モデル); an English word of four letters or more also finds its
    longer forms (trillion -> trillions).
    """
    if since is not None:
        try:
            moment = datetime.fromisoformat(since)
            since = iso(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))
        except ValueError:
            _fail(EXIT_CONFIG, f"--since {since!r} is not a date like 2026-04-01")
    with _exit_on(EXIT_SYSTEMIC, ArchiveError, sqlite3.Error), _existing_archive(db_path) as archive:
        hits = archive.search(query, lang=lang, since=since, limit=limit)
    if not hits:
        click.echo("no articles match", err=True)
        sys.exit(EXIT_SYSTEMIC)
    tty = sys.stdout.isatty()
    for hit in hits:
        copy = f", copy of #{hit['duplicate_of']}" if hit["duplicate_of"] else ""
        click.echo(f"#{hit['id']} [{hit['lang']}] {hit['reported_at']} {hit['source'] or ''}{copy}: {hit['title'] or ''}")
        text = hit["snippet"]
        if tty:
            text = text.replace("«", click.style("", bold=True, fg="yellow", reset=False)).replace("»", click.style("", reset=True))
        click.echo(f"    {text}")
        click.echo(f"    {hit['url']}")


@main.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--db", "db_path", default="db/monitor.sqlite3", envvar="MONITOR_DB", show_default=True, help=_DB_HELP)
def sql(query: str, fmt: str, db_path: str) -> None:
    """Run one SQL statement on the archive through a read-only connection.

    A write (INSERT, UPDATE, DROP, ...) fails with a clear message and changes nothing. The views
    answer the common questions: stories, story_carriers, fact_daily, fact_figures,
    outlet_firsts, syndication_groups, candidate_updates (README: "The archive: SQL interface").
    """
    try:
        result = run_query(db_path, query)
    except QueryError as exc:
        _fail(EXIT_CONFIG, str(exc))
    text = format_result(result, fmt)
    click.echo(text, nl=not text.endswith("\n"))


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
        click.echo(f"archive: {db_path}  (try: sqlite3 {db_path} 'SELECT * FROM candidate_updates')")
        click.echo(f"facts:   monitor facts --db {db_path}   (candidate updates, then each fact's timeline)")
        if serve:
            click.echo(f"serving {server.base_url} until Ctrl-C")
            try:
                server.stopping.wait()
            except KeyboardInterrupt:
                pass


def _print_articles(archive: Archive) -> None:
    width = max(40, min(100, shutil.get_terminal_size((100, 20)).columns - 70))
    rows = archive.db.query(
        """SELECT a.id, a.lang, a.source, a.published_at, a.extraction, a.title, a.on_topic,
                  (SELECT count(*) FROM article_urls u WHERE u.article_id = a.id) AS urls,
                  (SELECT count(DISTINCT m.fact_id) FROM fact_mentions m WHERE m.article_id = a.id) AS facts
           FROM articles a ORDER BY a.lang, a.published_at"""
    )
    click.echo(f"{'id':>4} {'lang':4} {'published (UTC)':20} {'urls':>4} {'text':9} {'source':16} {'topic':5} {'facts':>5} title")
    for row in rows:
        title = (row["title"] or "")[:width]
        click.echo(
            f"{row['id']:>4} {row['lang'] or '?':4} {row['published_at'] or '':20} {row['urls']:>4} "
            f"{row['extraction']:9} {(row['source'] or '')[:16]:16} {'on' if row['on_topic'] else 'off':5} "
            f"{row['facts']:>5} {title}"
        )


class JsonLines(logging.Formatter):
    """One JSON object per log record, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(log_format: str, level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "trafilatura", "htmldate", "charset_normalizer"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@contextmanager
def _exit_on(code: int, *errors: type[Exception], prefix: str = "error") -> Iterator[None]:
    """Turn an expected failure into one line on stderr and an exit code (no traceback)."""
    try:
        yield
    except errors as exc:
        click.echo(f"{prefix}: {exc}", err=True)
        sys.exit(code)


def _fail(code: int, message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _existing_archive(db_path: str) -> Archive:
    """An archive to read: a missing file is an error, not a new empty archive."""
    if not Path(db_path).is_file():
        _fail(EXIT_SYSTEMIC, f"no archive at {db_path} (run `monitor run --once` or `monitor demo` first)")
    return _open_archive(db_path)


def _load(config_path: str) -> Config:
    with _exit_on(EXIT_CONFIG, ConfigError):
        return load_config(config_path)


def _factbook(config: Config) -> FactBook:
    """The fact definitions of `config`, read before any work starts: a mistake is exit 2."""
    with _exit_on(EXIT_CONFIG, FactsError):
        return load_factbook(config.facts_file)


def _open_archive(db_path: str) -> Archive:
    with _exit_on(EXIT_SYSTEMIC, ArchiveError):
        return Archive(db_path)


def _run_locked(config: Config, db_path: str, progress: bool = False) -> RunSummary:
    with (
        _exit_on(EXIT_SYSTEMIC, ArchiveError, sqlite3.Error, OSError),
        _exit_on(EXIT_LOCKED, LockBusy, prefix="skipped"),
        locked_pipeline(config, db_path, factbook=_factbook(config)) as pipeline,
    ):
        if not progress:
            return pipeline.run_once()
        # A long interactive run (the first one, a backfill) shows how far it is; never under cron.
        with click.progressbar(length=pipeline.archive.counts()["pending"], label="articles", file=sys.stderr) as bar:
            pipeline.progress = bar.update
            return pipeline.run_once()

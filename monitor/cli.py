"""`monitor`: a thin command line over the library (config, pipeline, archive, demo site)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from monitor.config import Config, ConfigError, default_feeds_file, load_config, packaged_config, parse_duration
from monitor.daemon import HEARTBEAT
from monitor.dates import iso, utc_now
from monitor.digest import FORMATS, build_digest, default_day, render, write_atomically
from monitor.facts import FactBook, FactsError, load_factbook
from monitor.facts.names import identifying_names, name_status
from monitor.figures import format_figure
from monitor.lang import CODES
from monitor.lock import LockBusy
from monitor.memory import few_arenas
from monitor.pipeline import RunSummary, locked_pipeline
from monitor.schedule import feed_state
from monitor.sql import QueryError, format_result, run_query
from monitor.starter import write_starter
from monitor.store import Archive, ArchiveError
from monitor.store.db import archive_exists, database_errors, is_database_url
from monitor.store.facts import FactTimeline, FigureReport
from monitor.text import clip, display_width, fts_query, pad

# One exit code per kind of failure (README: "Exit codes").
EXIT_FAILURE = 1  # something is not working: the archive cannot be used, no feed reachable, a feed failing, ...
EXIT_CONFIG = 2  # bad configuration or usage: a file, an option or a query that cannot be used as given
EXIT_NO_MATCH = 3  # a search found nothing
EXIT_NO_ARCHIVE = 66  # EX_NOINPUT: no archive at the path yet
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run is working; cron may simply try again next time
EXIT_SYSTEMIC = EXIT_FAILURE


class DB_ERRORS(Exception):
    """Stands for the errors of either database in `_exit_on` (database_errors(), read when the
    error is caught: psycopg is loaded only where a PostgreSQL archive is used)."""


DEFAULT_DB = "db/monitor.sqlite3"
DEMO_DB = "db/demo.sqlite3"
_DB_HELP = "The archive: a SQLite file, or a PostgreSQL database as postgresql://USER@HOST/DB (env MONITOR_DB)."
_CONFIG_HELP = "Feeds file (env MONITOR_CONFIG)."
_OUTPUT = click.Choice(["text", "json"])


def config_option(command):
    return click.option("--config", "config_path", default="feeds.yaml", envvar="MONITOR_CONFIG", show_default=True,
                        help=_CONFIG_HELP)(command)  # fmt: skip


def db_option(command):
    return click.option("--db", "db_path", default=DEFAULT_DB, envvar="MONITOR_DB", show_default=True, help=_DB_HELP)(command)


def format_option(command):
    return click.option("--format", "fmt", type=_OUTPUT, default="text", show_default=True,
                        help="text for people, json for programs.")(command)  # fmt: skip


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sovereign-ai-monitor")
@click.option("--log-format", type=click.Choice(["plain", "json"]), default="plain", show_default=True,
              help="Logs on stderr: plain text, or one JSON object per line.")
@click.option("-v", "--verbose", is_flag=True, help="Log every feed poll (INFO), not only problems.")
def main(log_format: str, verbose: bool) -> None:  # fmt: skip
    """Follow Japan's sovereign-AI program across Korean, Japanese and English press.

    Polls the feeds in feeds.yaml, fetches each new article, extracts its text and keeps one
    record per article in a SQLite archive (query it with sqlite3 or Datasette), or in
    PostgreSQL with --db postgresql://... for several workers. Start with
    `monitor demo`, or `monitor init` to write a feeds.yaml and facts.yaml of your own.

    \b
    Exit codes: 0 done, 1 something is not working (archive unusable, network
    down, a feed failing, a delivery failed), 2 bad configuration or usage,
    3 nothing found, 66 no archive yet, 75 another run holds the archive's lock.
    """
    configure_logging(log_format, logging.INFO if verbose else logging.WARNING)
    few_arenas()  # before any I/O thread starts (monitor.memory)


@main.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Replace feeds.yaml and facts.yaml if they are already there.")
def init(folder: str, force: bool) -> None:
    """Write a starter feeds.yaml and facts.yaml into FOLDER (default: here).

    Both are copies of the files shipped with the monitor: the project's feeds, keywords and
    settings, and the tracked facts. Edit them, then check them with `monitor feeds` and
    `monitor facts --check`.
    """
    try:
        feeds_file, facts_file = write_starter(folder, force=force)
    except FileExistsError as exc:
        _fail(EXIT_CONFIG, str(exc))
    except OSError as exc:
        _fail(EXIT_FAILURE, f"cannot write into {folder}: {exc.strerror or exc}")
    config_arg = "" if Path(folder).resolve() == Path.cwd().resolve() else f" --config {feeds_file}"
    click.echo(f"wrote {feeds_file} and {facts_file}. Edit them:")
    click.echo(f"  {feeds_file}: the feeds (name, url, lang ko|ja|en, kind topical|general), defaults.keywords")
    click.echo("      (what a general feed's entry must mention to be fetched), defaults.digest, defaults.delivery")
    click.echo(f"  {facts_file}: the facts you track, the phrases that state them, the program's names")
    click.echo(f"then: monitor feeds{config_arg}           # validate and list the feeds")
    click.echo(f"      monitor facts --check{config_arg}   # validate the facts")
    click.echo(f"      monitor run --once{config_arg}      # the first poll, into {DEFAULT_DB}")


@main.command()
@click.option("--once", is_flag=True, help="Run one poll cycle and exit (for cron). Required.")
@config_option
@db_option
@click.pass_context
def run(ctx: click.Context, once: bool, config_path: str, db_path: str) -> None:
    """Poll every due feed, fetch new articles and store them.

    Feed errors are recorded on the feed and do not fail the run. A run killed at any point is
    completed by the next one, with nothing lost and nothing stored twice.
    """
    if not once:
        raise click.UsageError("monitor run polls once per call: pass --once (from cron, e.g. every 10 minutes).")
    config = _feeds_file(ctx, config_path)
    summary = _run_locked(config, db_path, progress=sys.stderr.isatty())
    click.echo(summary.line())
    click.echo(summary.timing_line())
    for error in summary.errors[:20]:
        click.echo(f"  {error}", err=True)
    if len(summary.errors) > 20:
        click.echo(f"  ... and {len(summary.errors) - 20} more (see the feeds and entries tables)", err=True)
    if summary.systemic_failure:
        click.echo("error: no feed could be reached; is the network down?", err=True)
        sys.exit(EXIT_FAILURE)


@main.command()
@config_option
@db_option
@click.option("--http", "listen", default=None, metavar="HOST:PORT",
              help="Serve /healthz and Prometheus /metrics there (e.g. 127.0.0.1:9100; port 0: any free port).")
@click.option("--health-max-age", default="15m", show_default=True,
              help="/healthz answers 503 when no cycle began or ended for this long.")
@click.pass_context
def daemon(ctx: click.Context, config_path: str, db_path: str, listen: str | None, health_max_age: str) -> None:  # fmt: skip
    """Poll feeds on their own schedules until stopped, and publish the daily digest.

    Every tick (defaults.daemon_tick) runs the same cycle as `run --once` for the feeds that are
    due; the digest of each day is published at defaults.digest.time in defaults.digest.timezone
    (files, Atom feed, delivery: see `monitor publish`), and a digest missed while the daemon was
    down is published once at start. SIGTERM or Ctrl-C stops it within seconds; work in flight is
    finished by the next start.
    """
    from monitor.daemon import Daemon
    from monitor.observe import DaemonMetrics, ObservationServer, parse_listen

    config = _feeds_file(ctx, config_path)
    _factbook(config)  # each cycle reads it again; a mistake now is a mistake before the first cycle
    max_age = _duration(health_max_age)
    if logging.getLogger().level > logging.INFO:
        logging.getLogger().setLevel(logging.INFO)  # a daemon reports its cycles
    metrics = server = None
    if listen is not None:
        try:
            host, port = parse_listen(listen)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--http") from None
        metrics = DaemonMetrics()
        try:
            server = ObservationServer(metrics, host, port, max_age).start()
        except OSError as exc:
            _fail(EXIT_CONFIG, f"--http {listen}: cannot listen there: {exc.strerror or exc}")
        logging.getLogger("monitor.daemon").info("serving /healthz and /metrics on http://%s", server.address)
    Daemon(config, db_path, metrics=metrics).run()
    if server is not None:
        server.stop()
    # Requests abandoned at stop may still be blocked in worker threads; the archive is closed and
    # consistent, so leave without waiting for their timeouts.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@main.command()
@config_option
@db_option
@click.option("--max-failures", type=int, default=None,
              help="Exit 1 when a feed has failed this many polls in a row [default: defaults.failing_threshold].")
@format_option
@click.pass_context
def status(ctx: click.Context, config_path: str, db_path: str, max_failures: int | None, fmt: str) -> None:  # fmt: skip
    """Each feed's health at a glance; exit 1 when one is failing (for monitoring checks).

    Columns: last poll, its result, consecutive failures, next poll, new entries per day over the
    last 7 days, and whether the feed is backing off (or in the slow lane: retried once a day).
    """
    config = _settings(ctx, config_path)
    threshold = max_failures if max_failures is not None else config.failing_threshold
    now = utc_now()
    with _existing_archive(db_path) as archive:
        rows = archive.feed_health(now)
        heartbeat = archive.state(HEARTBEAT)
    feeds = []
    for row in rows:
        state = feed_state(row["interval_s"] or row["poll_interval"], row["failure_weight"] or 0, row["error_count"], threshold, config.poll)
        feeds.append({key: row[key] for key in ("name", "lang", "url", "last_polled_at", "last_status", "error_count", "next_poll_at")}
                     | {"new_per_day": row["new_per_day"], "state": state})  # fmt: skip
    failing = [feed["name"] for feed in feeds if feed["state"] == "failing"]
    if fmt == "json":
        _echo_json({"feeds": feeds, "daemon_last_cycle": heartbeat, "failing_threshold": threshold, "failing": failing})
    else:
        width = max([30, *(display_width(feed["name"]) for feed in feeds)])
        click.echo(f"{pad('feed', width)} {'lang':4} {'last poll':>10} {'result':26} {'fails':>5} {'next poll':>10} {'new/day':>7}  state")
        for feed in feeds:
            click.echo(
                f"{pad(feed['name'], width)} {feed['lang']:4} {_ago(feed['last_polled_at'], now):>10} "
                f"{pad(clip(feed['last_status'] or 'never polled', 26), 26)} {feed['error_count']:>5} "
                f"{_ago(feed['next_poll_at'], now):>10} {feed['new_per_day']:>7.1f}  "
                + ("FAILING" if feed["state"] == "failing" else feed["state"])
            )
        if not feeds:
            click.echo("(no feed polled yet: `monitor run --once` polls them)")
        if heartbeat:
            click.echo(f"daemon: last cycle {_ago(heartbeat, now)}")
    if failing:
        click.echo(f"{len(failing)} feed(s) failing ({threshold}+ polls in a row): {', '.join(failing)}", err=True)
        sys.exit(EXIT_FAILURE)


@main.command()
@db_option
@click.option("--max-age", default="15m", show_default=True, help="How old the daemon's last cycle may be.")
def health(db_path: str, max_age: str) -> None:
    """Exit 0 when the daemon's last cycle is recent (a container health check), else 1 (66: no
    archive yet)."""
    limit = _duration(max_age)
    with _existing_archive(db_path) as archive:
        heartbeat = archive.state(HEARTBEAT)
    age = (utc_now() - datetime.fromisoformat(heartbeat.replace("Z", "+00:00"))).total_seconds() if heartbeat else None
    if age is None or age > limit:
        click.echo(f"unhealthy: last cycle {'never' if age is None else f'{age:.0f}s ago'}", err=True)
        sys.exit(EXIT_FAILURE)
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
@config_option
@db_option
@format_option
@click.option("--export", "export_to", default=None, metavar="FILE",
              help="Write the feeds as OPML (what feed readers import) to FILE, or - for stdout.")
@click.option("--import", "import_from", default=None, metavar="FILE",
              help="Add the feeds of an OPML file (a feed reader's export) to the feeds file, keeping it as written.")
@click.option("--lang", type=click.Choice(list(CODES)), default=None,
              help="With --import: the language of feeds whose outline has none.")
@click.option("--kind", type=click.Choice(["general", "topical"]), default="general", show_default=True,
              help="With --import: the kind of feeds whose outline has none.")
@click.option("--dry-run", is_flag=True, help="With --import: say what would be added, change nothing.")
@click.pass_context
def feeds(ctx: click.Context, config_path: str, db_path: str, fmt: str, export_to: str | None, import_from: str | None,
          lang: str | None, kind: str, dry_run: bool) -> None:  # fmt: skip
    """Validate the feeds file and list its feeds (with their last poll, if the archive has one);
    or export them as OPML, or import an OPML feed list into the feeds file."""
    config = _feeds_file(ctx, config_path)
    if export_to is not None and import_from is not None:
        raise click.UsageError("--export and --import: one at a time")
    if export_to is not None:
        _export_opml(config, export_to)
        return
    if import_from is not None:
        _import_opml(config, Path(config.source), import_from, lang, kind, dry_run)
        return
    state: dict[str, dict] = {}
    if _archive_there(db_path):  # optional: the list is worth having before the first run
        with _open_archive(db_path) as archive:
            state = archive.feed_poll_states()
    rows = []
    for feed in config.feeds:
        known = state.get(feed.name, {})
        rows.append({"name": feed.name, "title": feed.title, "url": feed.url, "lang": feed.lang, "kind": feed.kind,
                     "fetch": feed.fetch if feed.kind == "general" else "all", "poll_interval_s": feed.poll_interval, "last_polled_at": known.get("last_polled_at"),
                     "last_status": known.get("last_status"), "error_count": known.get("error_count")})  # fmt: skip
    if fmt == "json":
        _echo_json({"source": config.source, "valid": True, "feeds": rows})
        return
    click.echo(f"{config.source}: {len(config.feeds)} feeds, valid")
    width = max(display_width(row["name"]) for row in rows)
    for row in rows:
        polled = row["last_polled_at"] or "never polled"
        kind = row["kind"] if row["kind"] == "topical" else f"{row['kind']} ({row['fetch']})"
        click.echo(f"  {pad(row['name'], width)} {row['lang']} {kind:18} every {row['poll_interval_s'] / 60:g}m  "
                   f"{polled} {row['last_status'] or ''}".rstrip())  # fmt: skip


def _export_opml(config: Config, target: str) -> None:
    from monitor.opml import export_opml

    text = export_opml(config, utc_now())
    if target == "-":
        click.echo(text, nl=False)
        return
    with _exit_on(EXIT_FAILURE, OSError):
        write_atomically(Path(target), text)
    click.echo(f"{_n(len(config.feeds), 'feed')} written to {target} (OPML 2.0)", err=True)


def _import_opml(config: Config, feeds_file: Path, source: str, lang: str | None, kind: str, dry_run: bool) -> None:
    from monitor.opml import OpmlError, append_feeds, plan_import, read_opml

    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        _fail(EXIT_CONFIG, f"{source}: cannot read: {exc.strerror or exc}")
    with _exit_on(EXIT_CONFIG, OpmlError, ConfigError):
        found = read_opml(data)
        plan = plan_import(config, found, lang=lang, kind=kind)
        text = append_feeds(feeds_file, plan.added)
    for entry in plan.added:
        click.echo(f"  + {entry['name']} ({entry['lang']}, {entry['kind']}) {entry['url']}")
    for feed, why in plan.skipped:
        click.echo(f"  skipped {feed.title or feed.url}: {why}", err=True)
    verb = "would add" if dry_run else "added"
    click.echo(f"{source}: {_n(len(found), 'feed')}; {verb} {len(plan.added)} to {feeds_file}, "
               f"{len(plan.known)} already listed, {len(plan.skipped)} skipped")  # fmt: skip
    if plan.added and not dry_run:
        with _exit_on(EXIT_FAILURE, OSError):
            write_atomically(feeds_file, text)


@main.command()
@click.argument("fact_id", required=False)
@config_option
@db_option
@click.option("--check", is_flag=True, help="Only validate the facts file and list its facts.")
@click.option("--mentions", "mention_limit", default=10, show_default=True, help="Latest mentions shown for one fact.")
@format_option
@click.pass_context
def facts(ctx: click.Context, fact_id: str | None, config_path: str, db_path: str, check: bool, mention_limit: int, fmt: str) -> None:  # fmt: skip
    """The tracked facts and what the press reports of them, candidate updates first.

    Without FACT_ID: every candidate update (a figure that differs from the tracked one, a name
    not yet tracked), then each fact's first sighting and mentions by language. With FACT_ID: that
    fact's timeline: every distinct figure with its first source and date, outlets, latest mentions.
    """
    config = _settings(ctx, config_path)
    book = _factbook(config)
    if check:
        if fmt == "json":
            _echo_json({"file": config.facts_file, "valid": True, "version": book.version, "facts": [
                {"fact_id": f.id, "statement": f.statement.get("en"), "statements": dict(f.statement),
                 "value": f.figure.value if f.figure else None, "unit": f.figure.unit if f.figure else None}
                for f in book.facts]})  # fmt: skip
            return
        click.echo(f"{config.facts_file}: {len(book.facts)} facts, valid (version {book.version})")
        for fact in book.facts:
            figure = f"  [{format_figure(fact.figure.value, fact.figure.unit)}]" if fact.figure else ""
            click.echo(f"  {fact.id:4} {fact.statement['en']}{figure}")
        return
    with _existing_archive(db_path) as archive:
        archive.sync_facts(book)
        ids = [fact_id] if fact_id else [fact.id for fact in book.facts]
        timelines = [archive.fact_timeline(i) for i in ids]
        mentions = archive.latest_mentions(fact_id, mention_limit) if fact_id and timelines[0] else []
    if fact_id and timelines[0] is None:
        _fail(EXIT_CONFIG, f"no fact {fact_id!r} (known: {', '.join(f.id for f in book.facts)})")
    if fmt == "json":
        if fact_id:
            _echo_json({**asdict(timelines[0]), "latest_mentions": [asdict(m) for m in mentions]})
        else:
            updates = [{"fact_id": t.fact_id, **asdict(u)} for t in timelines for u in t.updates]
            _echo_json({"candidate_updates": sorted(updates, key=lambda u: u["first_seen"]),
                        "facts": [{k: v for k, v in asdict(t).items() if k not in ("updates", "figures")} for t in timelines]})  # fmt: skip
        return
    if fact_id:
        _print_timeline(timelines[0], book.fact(fact_id) if fact_id in {f.id for f in book.facts} else None, mentions)
        return
    updates = [(t, u) for t in timelines for u in t.updates]
    click.echo(f"Candidate updates ({len(updates)}): figures that differ from the tracked ones, names not yet tracked")
    for timeline, update in sorted(updates, key=lambda pair: pair[1].first_seen):
        click.echo(f"  {timeline.fact_id:4} {_update_label(timeline, update)}")
        click.echo(f"       first {update.first_seen[:10]} {update.first_outlet}: {update.first_title}")
        click.echo(f"       {_n(update.articles, 'article')} in {update.languages}")
    _print_names(config, db_path)
    click.echo("")
    click.echo("Facts")
    for timeline in timelines:
        tracked = f"  [{format_figure(timeline.value, timeline.unit)}]" if timeline.value is not None else ""
        click.echo(f"  {timeline.fact_id:4} {timeline.statement}{tracked}")
        languages = ", ".join(f"{lang} {n}" for lang, n in timeline.by_language.items()) or "none"
        first = timeline.first_seen[:10] if timeline.first_seen else "never"
        click.echo(f"       first seen {first}; {_n(timeline.articles, 'article')}: {languages}")


def _n(count: int, noun: str, plural: str | None = None) -> str:
    """'1 article', '2 articles'."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


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
@config_option
@db_option
@click.pass_context
def names(ctx: click.Context, confirm: tuple[str, ...], reject: tuple[str, ...], forget: tuple[str, ...], config_path: str, db_path: str) -> None:  # fmt: skip
    """The names the press gave the program's company, with where each came from.

    A name reported by enough outlets (defaults.names_min_outlets, 2) identifies the story: an
    article that calls the company only by that name is judged on topic and states the company
    fact. Confirm a name to count it at once, reject one to stop it counting; the archive is
    linked again with the decision now (as `monitor relink` does).
    """
    config = _settings(ctx, config_path)
    _require_archive(db_path)
    if confirm or reject or forget:
        with (
            _exit_on(EXIT_FAILURE, ArchiveError, DB_ERRORS, OSError),
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


def _print_timeline(timeline: FactTimeline, fact, mentions: list) -> None:
    tracked = f"  [{format_figure(timeline.value, timeline.unit)}]" if timeline.value is not None else ""
    click.echo(f"{timeline.fact_id}  {timeline.statement}{tracked}" + ("" if timeline.active else "  (no longer in the facts file)"))
    if fact is not None:
        for lang in CODES:
            if lang != "en" and lang in fact.statement:
                click.echo(f"    {lang}: {fact.statement[lang]}")
        if fact.figure and fact.figure.period:
            click.echo(f"    period: {fact.figure.period}")
    languages = ", ".join(f"{lang} {n}" for lang, n in timeline.by_language.items()) or "none"
    click.echo(f"first seen {timeline.first_seen or 'never'}; {_n(timeline.articles, 'article')}: {languages}")
    click.echo(f"\nCandidate updates ({len(timeline.updates)})")
    for update in timeline.updates:
        _print_report(_update_label(timeline, update), update)
    click.echo(f"\nFigures reported ({len(timeline.figures)})")
    for report in timeline.figures:
        verdict = "agrees" if report.agrees else "differs"
        _print_report(f"{format_figure(report.value, report.unit)} ({verdict})", report)
    click.echo("\nOutlets: " + (", ".join(f"{outlet} {n}" for outlet, n in timeline.by_outlet) or "none"))
    click.echo(f"\nLatest mentions ({len(mentions)} shown)")
    for m in mentions:
        mark = "" if m.agrees is None else (" [agrees]" if m.agrees else " [DIFFERS]")
        click.echo(f"  {m.seen[:16]} {m.lang} {m.outlet}: {m.sentence}" + (f"  <{m.figure}>{mark}" if m.figure else ""))


def _print_report(label: str, report: FigureReport) -> None:
    click.echo(f"  {label}")
    click.echo(f"      first {report.first_seen} {report.first_outlet}: {report.first_title}")
    click.echo(f"      \"{report.first_sentence}\"")
    click.echo(f"      {_n(report.articles, 'article')} in {report.languages}; {report.first_url}")


@main.command()
@config_option
@db_option
@click.option("--all", "everything", is_flag=True, help="Link every article again, not only those linked from older definitions.")
@click.pass_context
def relink(ctx: click.Context, config_path: str, db_path: str, everything: bool) -> None:
    """Link stored articles to the facts again, after facts.yaml was edited.

    `monitor run` and the daemon do this on their own before each cycle; this does it now.
    """
    config = _settings(ctx, config_path)
    _require_archive(db_path)
    with (
        _exit_on(EXIT_FAILURE, ArchiveError, DB_ERRORS, OSError),
        _exit_on(EXIT_LOCKED, LockBusy, prefix="skipped"),
        locked_pipeline(config, db_path, factbook=_factbook(config)) as pipeline,
    ):
        if everything:
            pipeline.archive.forget_fact_links()
        count = pipeline.relink()
    click.echo(f"relinked {_n(count, 'article')} to facts version {pipeline.factbook.version}")


@main.command()
@config_option
@db_option
@click.pass_context
def recluster(ctx: click.Context, config_path: str, db_path: str) -> None:
    """Rebuild copy groups (duplicate_of) and stories (story_id) over the whole archive.

    Gives what incremental ingest gives; use it after changing the thresholds, or to check.
    Articles archived before stories existed are analysed first.
    """
    config = _settings(ctx, config_path)
    _require_archive(db_path)
    with (
        _exit_on(EXIT_FAILURE, ArchiveError, DB_ERRORS, OSError),
        _exit_on(EXIT_LOCKED, LockBusy, prefix="skipped"),
        locked_pipeline(config, db_path, factbook=_factbook(config)) as pipeline,
    ):
        analysed = pipeline.relink()
        copies, stories = pipeline.archive.recluster()
        totals = pipeline.archive.totals()
    click.echo(
        f"{copies} copy marks changed, {stories} stories changed ({_n(analysed, 'article')} analysed first); "
        f"{_n(totals['articles'], 'article')}, {_n(totals['distinct_texts'], 'distinct text')}, "
        f"{_n(totals['stories'], 'story', 'stories')}"
    )


@main.command()
@click.option("--date", "day", default=None,
              help="Local day YYYY-MM-DD.  [default: yesterday, or the latest day with articles when yesterday has none]")
@click.option("--tz", "timezone", default=None, help="Time zone of the day.  [default: defaults.digest.timezone]")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--out", "out", default="-", show_default=True, help="File to write (atomically), or - for stdout.")
@config_option
@db_option
@click.pass_context
def digest(ctx: click.Context, day: str | None, timezone: str | None, fmt: str, out: str, config_path: str, db_path: str) -> None:  # fmt: skip
    """The digest of one local day: fact updates, the stories that stated tracked facts (each once,
    under all its facts), other stories, the feeds' health and the day's counts, as Markdown, one
    self-contained HTML page, or JSON. Times are local to the digest's time zone."""
    config = _settings(ctx, config_path)
    zone_name = timezone or config.digest.timezone
    try:
        ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        _fail(EXIT_CONFIG, f"unknown time zone {zone_name!r} (an IANA name such as Asia/Seoul)")
    try:
        asked = date.fromisoformat(day) if day else None
    except ValueError:
        _fail(EXIT_CONFIG, f"--date {day!r} is not a date like 2026-11-23")
    now = utc_now()
    with _exit_on(EXIT_FAILURE, ArchiveError, DB_ERRORS, OSError), _existing_archive(db_path) as archive:
        local_day = asked
        if local_day is None:
            local_day, yesterday = default_day(archive, now, zone_name)
            if not yesterday:
                click.echo(f"note: no article was reported yesterday ({zone_name}): showing {local_day}, the latest day "
                           "with articles (--date for another)", err=True)  # fmt: skip
        digest = build_digest(archive, local_day, zone_name, now, failing_threshold=config.failing_threshold, poll=config.poll)
        text = render(digest, fmt)
    if out == "-":
        click.echo(text, nl=False)
    else:
        write_atomically(Path(out), text)
        click.echo(f"digest for {local_day} ({zone_name}) written to {out}", err=True)


@main.command()
@click.option("--date", "day", default=None, help="Local day YYYY-MM-DD.  [default: yesterday]")
@click.option("--deliver/--no-deliver", default=True, show_default=True, help="Send it by the channels of defaults.delivery.")
@config_option
@db_option
@click.pass_context
def publish(ctx: click.Context, day: str | None, deliver: bool, config_path: str, db_path: str) -> None:
    """Publish one day's digest: write it (md, html, json) into defaults.digest.folder, write the
    Atom feed of the digests and fact updates there (feed.atom), and deliver it by email and
    webhook as defaults.delivery says. What the daemon does each morning; from cron, run it after
    digest.time. Exit 1 when a delivery failed (the files are written all the same)."""
    from monitor.publish import publish_digest

    config = _feeds_file(ctx, config_path)
    now = utc_now()
    try:
        local_day = date.fromisoformat(day) if day else now.astimezone(ZoneInfo(config.digest.timezone)).date() - timedelta(days=1)
    except ValueError:
        _fail(EXIT_CONFIG, f"--date {day!r} is not a date like 2026-11-23")
    with _exit_on(EXIT_FAILURE, ArchiveError, DB_ERRORS, OSError), _existing_archive(db_path) as archive:
        published = publish_digest(archive, config, local_day, now, deliver=deliver)
    click.echo(f"digest for {local_day} ({config.digest.timezone}): {', '.join(map(str, published.files))}")
    click.echo(f"feed: {published.feed}")
    for delivered in published.delivered:
        click.echo(f"delivered by {delivered.channel} {delivered.detail}")
    if deliver and not config.delivery.channels:
        click.echo("no delivery configured (defaults.delivery in the feeds file): files only")
    for failure in published.failures:
        click.echo(f"error: {failure}", err=True)
    if published.failures:
        sys.exit(EXIT_FAILURE)


@main.command()
@click.argument("query")
@click.option("--lang", type=click.Choice(list(CODES)), default=None, help="Only articles in this language.")
@click.option("--since", default=None, help="Only articles reported on or after this UTC date (YYYY-MM-DD) or time.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@db_option
@format_option
def search(query: str, lang: str | None, since: str | None, limit: int, db_path: str, fmt: str) -> None:
    """Full-text search of titles and texts, best match first, with the terms marked in a snippet.

    Every term must occur. Korean and Japanese words of two characters or more are found as
    written (지원, 政府, 基盤モデル); an English word of four letters or more also finds its
    longer forms (trillion -> trillions). Exit 3 when nothing matches.
    """
    if not fts_query(query):
        raise click.UsageError(f"QUERY {query!r} holds no word to search for (e.g. 政府, 지원, SoftBank)")
    if since is not None:
        try:
            moment = datetime.fromisoformat(since)
            since = iso(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))
        except ValueError:
            _fail(EXIT_CONFIG, f"--since {since!r} is not a date like 2026-04-01")
    with _exit_on(EXIT_FAILURE, ArchiveError, DB_ERRORS), _existing_archive(db_path) as archive:
        hits = archive.search(query, lang=lang, since=since, limit=limit)
    if fmt == "json":
        _echo_json(hits)
    tty = sys.stdout.isatty()
    for hit in hits if fmt == "text" else ():
        copy = f", copy of #{hit['duplicate_of']}" if hit["duplicate_of"] else ""
        click.echo(f"#{hit['id']} [{hit['lang']}] {hit['reported_at']} {hit['source'] or ''}{copy}: {hit['title'] or ''}")
        text = hit["snippet"]
        if tty:
            text = text.replace("«", click.style("", bold=True, fg="yellow", reset=False)).replace("»", click.style("", reset=True))
        click.echo(f"    {text}")
        click.echo(f"    {hit['url']}")
    if not hits:
        click.echo("no articles match", err=True)
        sys.exit(EXIT_NO_MATCH)


@main.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@db_option
def sql(query: str, fmt: str, db_path: str) -> None:
    """Run one SQL statement on the archive through a read-only connection.

    A write (INSERT, UPDATE, DROP, ...) fails with a clear message and changes nothing. The views
    answer the common questions: stories, story_carriers, fact_daily, fact_figures,
    outlet_firsts, syndication_groups, candidate_updates (README: "The archive: SQL interface").
    """
    _require_archive(db_path)
    try:
        result = run_query(db_path, query)
    except QueryError as exc:
        _fail(EXIT_CONFIG, str(exc))
    text = format_result(result, fmt)
    click.echo(text, nl=not text.endswith("\n"))


@main.command()
@click.argument("source")
@click.argument("target")
def copy(source: str, target: str) -> None:
    """Copy the archive SOURCE into a new archive TARGET, verified.

    Either may be a SQLite file or a PostgreSQL database (postgresql://USER@HOST/DB): move an
    archive to PostgreSQL when several workers are to share it, or back to a file. TARGET must
    be new or empty (its tables are made as needed). Every table is copied with its ids in one
    transaction, the full-text index is rebuilt for TARGET, and the copy is checked: row counts
    of every table and a checksum of the articles' canonical URLs, printed at the end.
    """
    from monitor.store.copy import CopyError, copy_archive

    _require_archive(source)
    with (
        _exit_on(EXIT_FAILURE, ArchiveError, DB_ERRORS, OSError),
        _exit_on(EXIT_CONFIG, CopyError),
        _open_archive(source) as origin,
        _open_archive(target) as destination,
    ):
        report = copy_archive(origin, destination, progress=lambda table, n: click.echo(f"  {table:20} {n:>9} rows", err=True))
    total = sum(report.rows.values())
    click.echo(f"copied {total} rows in {len(report.rows)} tables ({report.rows['articles']} articles); "
               f"verified: counts equal, URL checksum {report.checksum[:16]} on both")  # fmt: skip


@main.command()
@click.option("--db", "db_path", default=DEMO_DB, show_default=True, help="Archive to create (replaced if present).")
@click.option("--config", "config_path", default=None,
              help="Keywords and settings from this feeds file (its feeds are not polled; the demo site's are). "
                   "[default: the packaged feeds.yaml, whatever the current folder]")
@click.option("--serve", is_flag=True, help="Keep the demo site running after the run, until Ctrl-C.")
def demo(db_path: str, config_path: str | None, serve: bool) -> None:  # fmt: skip
    """Run the whole pipeline against the bundled demo news site on loopback.

    Starts the fixture server (Korean, Japanese and English outlets with RSS 2.0, Atom and RDF
    feeds), polls it into a fresh archive, and prints what was stored. Needs no network. The
    other commands read it with --db db/demo.sqlite3 (or MONITOR_DB=db/demo.sqlite3).
    """
    from monitor.demo import FixtureServer, demo_config

    if is_database_url(db_path):
        raise click.UsageError("the demo writes a SQLite file it replaces each time: give --db a file path")
    base = _load(config_path) if config_path else _packaged()
    book = _factbook(base)  # read as the feeds file in use says (a note when it has no facts beside it)
    for suffix in ("", "-wal", "-shm"):
        Path(db_path + suffix).unlink(missing_ok=True)
    with FixtureServer() as server:
        config = demo_config(server, base)
        click.echo(f"demo site at {server.base_url} ({len(server.site.articles)} articles in {len(server.site.outlets)} outlets)")
        click.echo(f"keywords and settings: {config_path or 'the packaged feeds.yaml'}; facts: {base.facts_file}")
        summary = _run_locked(config, db_path, factbook=book)
        with _open_archive(db_path) as archive:
            _print_articles(archive)
        click.echo(summary.line())
        click.echo(summary.timing_line())
        read = f" --db {db_path}"
        click.echo(f"archive: {db_path}. Read it with{read} (or export MONITOR_DB={db_path}):")
        click.echo(f"  monitor facts{read}     # candidate updates, then each fact's timeline")
        click.echo(f"  monitor digest{read}    # the latest day's digest (--date 2025-12-21 for another)")
        click.echo(f"  monitor search 政府{read}")
        click.echo(f"  monitor status{read}    # the demo feeds' health")
        if serve:
            click.echo(f"serving {server.base_url} until Ctrl-C")
            try:
                server.stopping.wait()
            except KeyboardInterrupt:
                pass


def _print_articles(archive: Archive) -> None:
    """The demo's table, padded by display width (a Korean or Japanese character takes two cells)."""
    width = max(40, min(100, shutil.get_terminal_size((100, 20)).columns - 70))
    click.echo(f"{'id':>4} {'lang':4} {'published (UTC)':20} {'urls':>4} {'text':9} {'source':16} {'topic':5} {'facts':>5} title")
    for row in archive.article_overview():
        click.echo(
            f"{row['id']:>4} {row['lang'] or '?':4} {row['published_at'] or '':20} {row['urls']:>4} "
            f"{row['extraction']:9} {pad(clip(row['source'] or '', 16), 16)} {'on' if row['on_topic'] else 'off':5} "
            f"{row['facts']:>5} {clip(row['title'] or '', width)}"
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


def _log_format_after(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        configure_logging(value, logging.getLogger().level)


def _verbose_after(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))


def _logging_options_everywhere() -> None:
    """`-v` and `--log-format` also after the command's name (`monitor run --once -v`)."""
    for command in main.commands.values():
        command.params += [
            click.Option(["--log-format"], type=click.Choice(["plain", "json"]), default=None, expose_value=False,
                         callback=_log_format_after, help="Logs on stderr: plain text, or one JSON object per line."),
            click.Option(["-v", "--verbose"], is_flag=True, expose_value=False, callback=_verbose_after,
                         help="Log every feed poll (INFO), not only problems."),
        ]  # fmt: skip


@contextmanager
def _exit_on(code: int, *errors: type[Exception], prefix: str = "error") -> Iterator[None]:
    """Turn an expected failure into one line on stderr and an exit code (no traceback)."""
    try:
        yield
    except Exception as exc:
        expected = tuple(e for e in errors if e is not DB_ERRORS) + (database_errors() if DB_ERRORS in errors else ())
        if not isinstance(exc, expected):
            raise
        click.echo(f"{prefix}: {exc}", err=True)
        sys.exit(code)


def _fail(code: int, message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def no_archive_message(db_path: str) -> str:
    """Why there is nothing to read at `db_path`, and the way out: the demo's archive when that is
    what the user made, else how to make one."""
    if is_database_url(db_path):
        return (f"no archive in the database {db_path.split('@')[-1]}: `monitor run --once --db URL` creates its tables, "
                "or `monitor copy FILE URL` moves a SQLite archive there")  # fmt: skip
    if Path(db_path) == Path(DEMO_DB):
        return f"no archive at {db_path}: `monitor demo` makes it"
    if Path(DEMO_DB).is_file():
        return (f"no archive at {db_path}; the demo's archive is {DEMO_DB}: add --db {DEMO_DB} "
                f"(or export MONITOR_DB={DEMO_DB}), or run `monitor run --once` to start your own")  # fmt: skip
    return (f"no archive at {db_path}: `monitor run --once` starts one from feeds.yaml, "
            f"or `monitor demo` makes the demo's ({DEMO_DB}; read it with --db {DEMO_DB})")  # fmt: skip


def _archive_there(db_path: str) -> bool:
    """Whether an archive is at `db_path`; a PostgreSQL server that cannot be reached is exit 1."""
    try:
        return archive_exists(db_path)
    except database_errors() as exc:
        _fail(EXIT_FAILURE, f"cannot open archive: {str(exc).strip()}")


def _require_archive(db_path: str) -> None:
    """A command that reads an archive never creates one: a missing file (or a PostgreSQL database
    without the archive's tables) is exit 66."""
    if not _archive_there(db_path):
        _fail(EXIT_NO_ARCHIVE, no_archive_message(db_path))


def _existing_archive(db_path: str) -> Archive:
    """An archive to read: a missing file is an error, not a new empty archive."""
    _require_archive(db_path)
    return _open_archive(db_path)


def _load(config_path: str | Path) -> Config:
    with _exit_on(EXIT_CONFIG, ConfigError):
        return load_config(config_path)


def _packaged() -> Config:
    with _exit_on(EXIT_CONFIG, ConfigError):
        return packaged_config()


def _named(ctx: click.Context, parameter: str) -> bool:
    """Whether the user gave `parameter` (on the command line or in its environment variable)."""
    source = ctx.get_parameter_source(parameter)
    return source in (click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.ENVIRONMENT)


def _feeds_file(ctx: click.Context, config_path: str) -> Config:
    """The feeds file of a command that polls or lists feeds: it must exist."""
    if not _named(ctx, "config_path") and not Path(config_path).exists():
        _fail(EXIT_CONFIG, f"no {config_path} in {Path.cwd()}: pass --config PATH (or set MONITOR_CONFIG), "
                           "or run `monitor init` to write a starter feeds.yaml and facts.yaml here")  # fmt: skip
    return _load(config_path)


def _settings(ctx: click.Context, config_path: str) -> Config:
    """The settings of a command that reads an archive (thresholds, time zone, facts): the feeds
    file, or the packaged one, saying so, when none was named and there is none here."""
    if _named(ctx, "config_path") or Path(config_path).exists():
        return _load(config_path)
    click.echo(f"note: no {config_path} here: using the packaged settings and facts (`monitor init` writes copies to edit)", err=True)
    return _packaged()


def _factbook(config: Config) -> FactBook:
    """The fact definitions of `config`, read before any work starts: a mistake is exit 2. Says so
    when they are the packaged ones because no facts file was found beside a feeds file."""
    if config.facts_origin == "packaged" and config.source not in ("<defaults>", str(default_feeds_file())):
        click.echo(f"note: no facts.yaml beside {config.source}: using the packaged facts ({config.facts_file})", err=True)
    with _exit_on(EXIT_CONFIG, FactsError):
        return load_factbook(config.facts_file)


def _open_archive(db_path: str) -> Archive:
    with _exit_on(EXIT_FAILURE, ArchiveError):
        return Archive(db_path)


def _run_locked(config: Config, db_path: str, progress: bool = False, factbook: FactBook | None = None) -> RunSummary:
    with (
        _exit_on(EXIT_FAILURE, ArchiveError, DB_ERRORS, OSError),
        _exit_on(EXIT_LOCKED, LockBusy, prefix="skipped"),
        locked_pipeline(config, db_path, factbook=factbook or _factbook(config)) as pipeline,
    ):
        if not progress:
            return pipeline.run_once()
        # A long interactive run (the first one, a backfill) shows how far it is; never under cron.
        with click.progressbar(length=pipeline.archive.counts()["pending"], label="articles", file=sys.stderr) as bar:
            pipeline.progress = bar.update
            return pipeline.run_once()


_logging_options_everywhere()

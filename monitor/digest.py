"""The daily digest: what changed in the story on one local day, for an analyst to read in the
morning. `build_digest` reads the archive into a `Digest`; `render` turns it into Markdown, one
self-contained HTML page, or JSON (schema below, stable for other programs).

Sections, in order: fact updates (figures that differ from the tracked ones, new names), then per
fact the stories that stated it that day, then other on-topic stories, then the feeds' health and
the day's counts. A day is the local day in `timezone`; an article belongs to the day it was
reported (`articles.reported_at`).

JSON schema (version 1; fields may be added, none removed or changed in meaning):
    {"schema": "sovereign-ai-monitor/digest", "version": 1, "day": "YYYY-MM-DD", "timezone": str,
     "window": {"start": utc, "end": utc}, "generated_at": utc,
     "updates": [{"fact_id", "statement", "kind": "figure"|"name", "value", "unit", "figure",
                  "tracked_value", "tracked_unit", "name", "sentence", "outlet", "lang", "url",
                  "title", "reported_at", "articles", "languages": [..]}],
     "facts": [{"fact_id", "statement", "stories": [story]}],
     "other_stories": [story],
     "feeds": {"failing": [feed], "backoff": [feed], "silent": [feed]},
     "counts": {"articles", "on_topic", "copies", "stories", "fact_mentions", "by_language": {lang: n}}}
    story = {"story_id", "title", "lang", "outlet", "url", "first_reported_at", "articles_today",
             "also_carried_by", "outlets_by_language": {lang: n}}
    feed = {"name", "url", "lang", "error_count", "last_status", "next_poll_at", "last_new_entry_at"}
Times are UTC, 'YYYY-MM-DDTHH:MM:SSZ'.
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from monitor.config import Config
from monitor.dates import iso
from monitor.figures import format_figure
from monitor.schedule import PollPolicy, feed_state
from monitor.store.archive import feed_health

SCHEMA = "sovereign-ai-monitor/digest"
VERSION = 1
FORMATS = ("md", "html", "json")
SILENT_AFTER = timedelta(days=3)  # a feed with no new entry for this long is listed as silent


def local_day_bounds(day: date, timezone: str) -> tuple[str, str]:
    """The UTC timestamps (archive format) where a local day starts and ends."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(0), zone)
    return iso(start), iso(start + timedelta(days=1))


def last_due_day(now: datetime, at: time, timezone: str) -> date:
    """The day whose digest is due at `now`: the digest of day D is written at `at` on D + 1."""
    local = now.astimezone(ZoneInfo(timezone))
    written_today = local.time() >= at
    return local.date() - timedelta(days=1 if written_today else 2)


@dataclass(frozen=True)
class Update:
    fact_id: str
    statement: str
    kind: str  # "figure" or "name"
    value: float | None
    unit: str | None
    figure: str | None  # as written
    tracked_value: float | None
    tracked_unit: str | None
    name: str | None
    sentence: str
    outlet: str | None
    lang: str | None
    url: str
    title: str | None
    reported_at: str
    articles: int
    languages: list[str]


@dataclass(frozen=True)
class StoryLine:
    story_id: int
    title: str | None
    lang: str | None
    outlet: str | None
    url: str
    first_reported_at: str
    articles_today: int
    also_carried_by: int  # outlets besides the first report's
    outlets_by_language: dict[str, int]


@dataclass(frozen=True)
class FactSection:
    fact_id: str
    statement: str
    stories: list[StoryLine]


@dataclass(frozen=True)
class FeedLine:
    name: str
    url: str
    lang: str
    error_count: int
    last_status: str | None
    next_poll_at: str | None
    last_new_entry_at: str | None


@dataclass
class Digest:
    day: str
    timezone: str
    window: dict[str, str]
    generated_at: str
    updates: list[Update] = field(default_factory=list)
    facts: list[FactSection] = field(default_factory=list)
    other_stories: list[StoryLine] = field(default_factory=list)
    feeds: dict[str, list[FeedLine]] = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.counts.get("articles")

    def to_json(self) -> dict:
        return {"schema": SCHEMA, "version": VERSION, **asdict(self)}


def build_digest(
    db: Database,
    day: date,
    timezone: str,
    now: datetime,
    *,
    failing_threshold: int = Config.failing_threshold,
    poll: PollPolicy = PollPolicy(),
) -> Digest:
    """The digest of the local `day`; feeds are judged as `monitor status` judges them."""
    start, end = local_day_bounds(day, timezone)
    digest = Digest(day=day.isoformat(), timezone=timezone, window={"start": start, "end": end}, generated_at=iso(now))
    window = {"start": start, "end": end}
    digest.counts = _counts(db, window)
    digest.updates = _updates(db, window)
    stories = {}
    for fact_id, statement in db.execute("SELECT id, statement FROM facts WHERE active = 1 ORDER BY length(id), id"):
        ids = [row[0] for row in db.execute(
            """SELECT DISTINCT a.story_id FROM fact_mentions m JOIN articles a ON a.id = m.article_id
               WHERE m.fact_id = :fact AND a.on_topic = 1 AND a.reported_at >= :start AND a.reported_at < :end""",
            {"fact": fact_id, **window},
        )]  # fmt: skip
        lines = [stories.setdefault(story_id, _story_line(db, story_id, window)) for story_id in ids]
        if lines:
            digest.facts.append(FactSection(fact_id, statement, sorted(lines, key=_story_order)))
    other = [row[0] for row in db.execute(
        """SELECT DISTINCT a.story_id FROM articles a
           WHERE a.on_topic = 1 AND a.reported_at >= :start AND a.reported_at < :end
             AND NOT EXISTS (SELECT 1 FROM articles b JOIN fact_mentions m ON m.article_id = b.id
                             WHERE b.story_id = a.story_id AND b.reported_at >= :start AND b.reported_at < :end)""",
        window,
    ) if row[0] not in stories]  # fmt: skip
    digest.other_stories = sorted((_story_line(db, story_id, window) for story_id in other), key=_story_order)
    digest.feeds = _feed_health(db, now, failing_threshold, poll)
    return digest


def _story_order(line: StoryLine) -> tuple:
    return (-line.articles_today - line.also_carried_by, line.first_reported_at, line.story_id)


def _counts(db: Database, window: dict) -> dict:
    row = db.execute(
        """SELECT count(*), coalesce(sum(on_topic = 1), 0), count(duplicate_of), count(DISTINCT story_id)
           FROM articles WHERE reported_at >= :start AND reported_at < :end""",
        window,
    ).fetchone()
    mentions = db.execute(
        """SELECT count(*) FROM fact_mentions m JOIN articles a ON a.id = m.article_id
           WHERE a.reported_at >= :start AND a.reported_at < :end""",
        window,
    ).fetchone()[0]
    by_language = dict(db.execute(
        """SELECT coalesce(lang, '?'), count(*) FROM articles WHERE reported_at >= :start AND reported_at < :end
           GROUP BY 1 ORDER BY 1""",
        window,
    ).fetchall())  # fmt: skip
    return {"articles": row[0], "on_topic": row[1], "copies": row[2], "stories": row[3], "fact_mentions": mentions,
            "by_language": by_language}  # fmt: skip


def _updates(db: Database, window: dict) -> list[Update]:
    """Each differing figure or new name reported on the day, with its first source that day."""
    rows = db.execute(
        """SELECT m.fact_id, f.statement, CASE WHEN m.name IS NOT NULL THEN 'name' ELSE 'figure' END AS kind,
                  m.value, m.unit, m.figure, f.value, f.unit, m.name, m.sentence, a.source, a.lang, a.url,
                  a.title, a.reported_at, a.id
           FROM fact_mentions m JOIN articles a ON a.id = m.article_id JOIN facts f ON f.id = m.fact_id
           WHERE a.on_topic = 1 AND (m.agrees = 0 OR m.name IS NOT NULL)
             AND a.reported_at >= :start AND a.reported_at < :end
           ORDER BY a.reported_at, a.id, m.sentence_index""",
        window,
    ).fetchall()
    groups: dict[tuple, list] = {}
    for row in rows:
        key = (row[0], row[2], row[3], row[4], row[8])
        groups.setdefault(key, []).append(row)
    updates = []
    for group in groups.values():
        first = group[0]
        updates.append(Update(
            fact_id=first[0], statement=first[1], kind=first[2], value=first[3], unit=first[4], figure=first[5],
            tracked_value=first[6], tracked_unit=first[7], name=first[8], sentence=first[9], outlet=first[10],
            lang=first[11], url=first[12], title=first[13], reported_at=first[14],
            articles=len({row[15] for row in group}), languages=sorted({row[11] or "?" for row in group}),
        ))  # fmt: skip
    return sorted(updates, key=lambda u: (len(u.fact_id), u.fact_id, u.reported_at))


def _story_line(db: Database, story_id: int, window: dict) -> StoryLine:
    first = db.execute(
        "SELECT title, lang, source, url, reported_at FROM articles WHERE id = ?", [story_id]
    ).fetchone()
    today = db.execute(
        "SELECT count(*) FROM articles WHERE story_id = :story AND reported_at >= :start AND reported_at < :end",
        {"story": story_id, **window},
    ).fetchone()[0]
    outlets = db.execute(
        """SELECT coalesce(lang, '?'), count(DISTINCT source) FROM articles
           WHERE story_id = :story AND reported_at < :end AND source IS NOT :first GROUP BY 1 ORDER BY 2 DESC, 1""",
        {"story": story_id, "first": first[2], **window},
    ).fetchall()
    by_language = dict(outlets)
    return StoryLine(story_id, first[0], first[1], first[2], first[3], first[4], today, sum(by_language.values()), by_language)


def _feed_health(db: Database, now: datetime, failing_threshold: int, poll: PollPolicy) -> dict[str, list[FeedLine]]:
    health: dict[str, list[FeedLine]] = {"failing": [], "backoff": [], "silent": []}
    for row in feed_health(db, now, days=SILENT_AFTER.days):
        line = FeedLine(*(row[key] for key in ("name", "url", "lang", "error_count", "last_status", "next_poll_at", "last_new_entry_at")))
        state = feed_state(row["interval_s"] or row["poll_interval"], row["failure_weight"] or 0, row["error_count"], failing_threshold, poll)
        if state == "failing":
            health["failing"].append(line)
        elif state != "ok":
            health["backoff"].append(line)
        elif not row["new_per_day"]:
            health["silent"].append(line)
    return health


# -- rendering -------------------------------------------------------------------------------


def render(digest: Digest, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(digest.to_json(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return _markdown(digest)
    if fmt == "html":
        return _html(digest)
    raise ValueError(f"unknown digest format {fmt!r} (one of {', '.join(FORMATS)})")


def _update_text(update: Update) -> str:
    if update.kind == "name":
        return f"new name “{update.name}”"
    tracked = format_figure(update.tracked_value, update.tracked_unit)
    return f"{format_figure(update.value, update.unit)} (“{update.figure}”; tracked: {tracked})"


def _carried(line: StoryLine) -> str:
    if not line.also_carried_by:
        return "no other outlet yet"
    langs = ", ".join(f"{lang} {n}" for lang, n in line.outlets_by_language.items())
    return f"also carried by {line.also_carried_by} outlet{'s' if line.also_carried_by != 1 else ''} ({langs})"


def _health_lines(digest: Digest) -> list[str]:
    lines = []
    for f in digest.feeds.get("failing", []):
        lines.append(f"failing: {f.name}: {f.error_count} failed polls in a row, last: {f.last_status}")
    for f in digest.feeds.get("backoff", []):
        lines.append(f"in backoff: {f.name}: {f.error_count} failed poll(s), next try {f.next_poll_at}")
    for f in digest.feeds.get("silent", []):
        lines.append(f"silent: {f.name}: no new entry since {f.last_new_entry_at or 'ever'}")
    return lines or ["All feeds answered on their last poll and brought new entries in the last 3 days."]


def _count_line(digest: Digest) -> str:
    c = digest.counts
    langs = ", ".join(f"{lang} {n}" for lang, n in c["by_language"].items())
    return (f"{c['articles']} articles ({langs or 'none'}), {c['on_topic']} on the story, {c['copies']} copies of "
            f"other outlets' texts, {c['stories']} stories, {c['fact_mentions']} fact mentions")  # fmt: skip


def _md(text: str | None) -> str:
    """Text from the web inside Markdown: no markup of its own survives."""
    return html.escape(" ".join((text or "").split()), quote=False).replace("[", "\\[").replace("]", "\\]")


def _md_link(url: str, text: str | None) -> str:
    label = _md(text) or _md(url)
    if not url.startswith(("http://", "https://")):
        return label  # a javascript: or data: URL from a feed is shown, never linked
    return f"[{label}](<{url.replace('<', '%3C').replace('>', '%3E').replace(' ', '%20')}>)"


def _markdown(digest: Digest) -> str:
    out = [f"# Sovereign AI monitor: {digest.day} ({digest.timezone})", ""]
    if digest.empty:
        out += ["Nothing was reported on this day: no new articles.", ""]
    out += ["## Fact updates", ""]
    if digest.updates:
        for u in digest.updates:
            out.append(f"- **{u.fact_id}** {_md(_update_text(u))}: {_md_link(u.url, u.title)} "
                       f"({_md(u.outlet)}, {u.lang}, {u.reported_at}; {u.articles} article(s) in {', '.join(u.languages)})")  # fmt: skip
            out.append(f"  > {_md(u.sentence)}")
    else:
        out.append("No figure differed from the tracked ones and no new name appeared.")
    out += ["", "## Facts stated", ""]
    if not digest.facts:
        out.append("No tracked fact was stated.")
    for section in digest.facts:
        out += [f"### {section.fact_id}: {_md(section.statement)}", ""]
        out += [_md_story(line) for line in section.stories]
        out.append("")
    if digest.facts:
        out.pop()
    out += ["", "## Other stories on the program", ""]
    out += [_md_story(line) for line in digest.other_stories] or ["None."]
    out += ["", "## Feeds and counts", ""]
    out += [f"- {_md(line)}" for line in _health_lines(digest)]
    out += ["", _count_line(digest), ""]
    return "\n".join(out)


def _md_story(line: StoryLine) -> str:
    return (f"- {_md_link(line.url, line.title)} ({_md(line.outlet)}, {line.lang}, first report "
            f"{line.first_reported_at}; {line.articles_today} today; {_carried(line)})")  # fmt: skip


_CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Noto Sans CJK JP","Noto Sans KR",sans-serif;margin:0 auto;
max-width:46rem;padding:1rem;color:#1b1b1b;background:#fff}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;
margin-top:1.6rem}h3{font-size:1rem;margin:1rem 0 .3rem}ul{padding-left:1.1rem}li{margin:.35rem 0}
a{color:#0645ad;overflow-wrap:anywhere}blockquote{margin:.3rem 0 .6rem;padding-left:.7rem;border-left:3px solid #ccc;
color:#444}.meta{color:#555;font-size:.9rem}.update b{color:#9a3412}.empty{padding:1rem;background:#f5f5f5}
@media (prefers-color-scheme:dark){body{background:#111;color:#ddd}a{color:#8ab4f8}.meta,blockquote{color:#aaa}
.empty{background:#222}}
"""


def _link(url: str, text: str | None) -> str:
    label = html.escape(text or url)
    if not url.startswith(("http://", "https://")):
        return label  # a javascript: or data: URL from a feed is shown, never linked
    return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">{label}</a>'


def _html_story(line: StoryLine) -> str:
    e = html.escape
    return (f'<li>{_link(line.url, line.title)} <span class="meta">{e(line.outlet or "")}, {e(line.lang or "")}, '
            f"first report {e(line.first_reported_at)}; {line.articles_today} today; {e(_carried(line))}</span></li>")  # fmt: skip


def _html(digest: Digest) -> str:
    e = html.escape
    body = [f"<h1>Sovereign AI monitor: {e(digest.day)} <span class=\"meta\">({e(digest.timezone)})</span></h1>"]
    if digest.empty:
        body.append('<p class="empty">Nothing was reported on this day: no new articles.</p>')
    body.append("<h2>Fact updates</h2>")
    if digest.updates:
        body.append("<ul>")
        for u in digest.updates:
            body.append(f'<li class="update"><b>{e(u.fact_id)}</b> {e(_update_text(u))}: {_link(u.url, u.title)} '
                        f'<span class="meta">{e(u.outlet or "")}, {e(u.lang or "")}, {e(u.reported_at)}; {u.articles} '
                        f"article(s) in {e(', '.join(u.languages))}</span><blockquote>{e(u.sentence)}</blockquote></li>")  # fmt: skip
        body.append("</ul>")
    else:
        body.append("<p>No figure differed from the tracked ones and no new name appeared.</p>")
    body.append("<h2>Facts stated</h2>")
    if not digest.facts:
        body.append("<p>No tracked fact was stated.</p>")
    for section in digest.facts:
        body.append(f"<h3>{e(section.fact_id)}: {e(section.statement)}</h3><ul>")
        body += [_html_story(line) for line in section.stories]
        body.append("</ul>")
    body.append("<h2>Other stories on the program</h2>")
    body.append("<ul>" + "".join(_html_story(line) for line in digest.other_stories) + "</ul>" if digest.other_stories else "<p>None.</p>")
    body.append("<h2>Feeds and counts</h2><ul>" + "".join(f"<li>{e(line)}</li>" for line in _health_lines(digest)) + "</ul>")
    body.append(f'<p class="meta">{e(_count_line(digest))}</p>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Sovereign AI monitor: {e(digest.day)}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def write_digest(db: Database, day: date, timezone: str, folder: str | Path, now: datetime, **judging) -> list[Path]:
    """Write `<folder>/<day>.md`, `.html` and `.json`, each atomically (a reader never sees half a
    file). Returns their paths. `judging`: build_digest's failing_threshold and poll."""
    digest = build_digest(db, day, timezone, now, **judging)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in ("json", "html", "md"):  # Markdown last: once it is there, the day's digest is complete
        path = folder / f"{day.isoformat()}.{fmt}"
        write_atomically(path, render(digest, fmt))
        paths.append(path)
    return paths


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)

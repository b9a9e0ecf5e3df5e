"""The daily digest: what changed in the story on one local day, for an analyst to read in the
morning. `build_digest` reads the archive into a `Digest`; `render` turns it into Markdown, one
self-contained HTML page, or JSON (schema below, stable for other programs).

Sections, in order: fact updates (figures that differ from the tracked ones, new names), then the
stories that stated tracked facts that day, each once, under all the facts it states, then other
on-topic stories, then the feeds' health and the day's counts. A day is the local day in
`timezone`; an article belongs to the day it was reported (`articles.reported_at`). Times are shown
in that time zone; every headline, outlet and sentence carries its language (`lang` in HTML).

JSON schema (version 2; fields may be added, none removed or changed in meaning within a version):
    {"schema": "sovereign-ai-monitor/digest", "version": 2, "day": "YYYY-MM-DD", "timezone": str,
     "window": {"start": utc, "end": utc}, "generated_at": utc,
     "updates": [{"fact_id", "statement", "kind": "figure"|"name", "value", "unit", "figure",
                  "tracked_value", "tracked_unit", "name", "sentence", "outlet", "lang", "url",
                  "title", "reported_at", "reported_local", "articles", "languages": [..]}],
     "facts": [{"fact_id", "statement", "story_ids": [..]}],     # the facts stated that day
     "stories": [story],                                          # those stating tracked facts, each once
     "other_stories": [story],                                    # on the program, stating none
     "feeds": {"failing": [feed], "backoff": [feed], "silent": [feed]},
     "counts": {"articles", "on_topic", "copies", "stories", "fact_mentions", "by_language": {lang: n}}}
    story = {"story_id", "title", "lang", "outlet", "url", "first_reported_at", "first_reported_local",
             "articles_today", "also_carried_by", "outlets_by_language": {lang: n}, "fact_ids": [..]}
    feed = {"name", "url", "lang", "error_count", "last_status", "next_poll_at", "last_new_entry_at"}
Times are UTC, 'YYYY-MM-DDTHH:MM:SSZ'; `*_local` are the same moments in the digest's time zone,
ISO 8601 with their offset ('2026-04-01T11:30:00+09:00'). `lang` is ko, ja or en (the item's
language); statements are in English. Version 1 listed the stories under each fact ("facts":
[{"fact_id", "statement", "stories": [story]}]), repeating a story once per fact it stated.
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from monitor.config import Config
from monitor.dates import iso
from monitor.figures import format_figure
from monitor.schedule import PollPolicy, feed_state
from monitor.store import Archive
from monitor.text import plural

SCHEMA = "sovereign-ai-monitor/digest"
VERSION = 2
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


def default_day(archive: Archive, now: datetime, timezone: str) -> tuple[date, bool]:
    """The day a digest shows when none is asked for: yesterday (local), or, when no article was
    reported yesterday, the latest earlier day with articles. Returns (day, whether it is yesterday);
    an archive without any article before today gives yesterday."""
    zone = ZoneInfo(timezone)
    yesterday = now.astimezone(zone).date() - timedelta(days=1)
    start, end = local_day_bounds(yesterday, timezone)
    if archive.any_reported({"start": start, "end": end}):
        return yesterday, True
    latest = archive.latest_reported_before(start)
    if latest is None:
        return yesterday, True
    return _moment(latest).astimezone(zone).date(), False


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def local_iso(stamp: str | None, timezone: str) -> str | None:
    """An archive timestamp as ISO 8601 in `timezone`, with its offset."""
    return _moment(stamp).astimezone(ZoneInfo(timezone)).isoformat() if stamp else None


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
    reported_local: str
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
    first_reported_local: str
    articles_today: int
    also_carried_by: int  # outlets besides the first report's
    outlets_by_language: dict[str, int]
    fact_ids: list[str]  # the tracked facts its articles of the day state, in the facts file's order


@dataclass(frozen=True)
class FactSection:
    fact_id: str
    statement: str
    story_ids: list[int]


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
    stories: list[StoryLine] = field(default_factory=list)
    other_stories: list[StoryLine] = field(default_factory=list)
    feeds: dict[str, list[FeedLine]] = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.counts.get("articles")

    @property
    def statements(self) -> dict[str, str]:
        return {section.fact_id: section.statement for section in self.facts}

    def fact_groups(self) -> list[tuple[list[str], list[StoryLine]]]:
        """The stories stating facts, grouped by the exact set of facts they state: each story
        once, under all its facts; groups in the order of their first story."""
        groups: dict[tuple[str, ...], list[StoryLine]] = {}
        for line in self.stories:
            groups.setdefault(tuple(line.fact_ids), []).append(line)
        return [(list(ids), lines) for ids, lines in groups.items()]

    def to_json(self) -> dict:
        return {"schema": SCHEMA, "version": VERSION, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict) -> "Digest":
        """A digest read back from its JSON (this schema version's). Raises ValueError on another."""
        if data.get("schema") != SCHEMA or data.get("version") != VERSION:
            raise ValueError(f"not a version {VERSION} digest")
        return cls(
            day=data["day"], timezone=data["timezone"], window=data["window"], generated_at=data["generated_at"],
            updates=[Update(**u) for u in data["updates"]], facts=[FactSection(**f) for f in data["facts"]],
            stories=[StoryLine(**s) for s in data["stories"]], other_stories=[StoryLine(**s) for s in data["other_stories"]],
            feeds={state: [FeedLine(**f) for f in feeds] for state, feeds in data["feeds"].items()}, counts=data["counts"],
        )  # fmt: skip


def build_digest(
    archive: Archive,
    day: date,
    timezone: str,
    now: datetime,
    *,
    failing_threshold: int = Config.failing_threshold,
    poll: PollPolicy = PollPolicy(),
) -> Digest:
    """The digest of the local `day` in `archive`; feeds are judged as `monitor status` judges them."""
    start, end = local_day_bounds(day, timezone)
    window = {"start": start, "end": end}
    digest = Digest(day=day.isoformat(), timezone=timezone, window=window, generated_at=iso(now))
    digest.counts = archive.day_counts(window)
    digest.updates = _updates(archive, window, timezone)
    facts = archive.active_facts()
    order = {fact_id: index for index, (fact_id, _) in enumerate(facts)}
    stated = archive.day_story_facts(window)
    lines = {}
    for story_id, fact_ids in stated.items():
        reach = archive.story_reach(story_id, window)
        lines[story_id] = StoryLine(
            story_id=story_id, **{k: reach[k] for k in ("title", "lang", "outlet", "url", "first_reported_at")},
            first_reported_local=local_iso(reach["first_reported_at"], timezone), articles_today=reach["articles_today"],
            also_carried_by=sum(reach["outlets_by_language"].values()), outlets_by_language=reach["outlets_by_language"],
            fact_ids=sorted(fact_ids, key=order.__getitem__),
        )  # fmt: skip
    stating = [line for line in lines.values() if line.fact_ids]
    # Stories under the same facts sit together, the facts file's order first, the widest reach first within.
    digest.stories = sorted(stating, key=lambda line: ([order[f] for f in line.fact_ids], *_story_order(line)))
    digest.other_stories = sorted((line for line in lines.values() if not line.fact_ids), key=_story_order)
    for fact_id, statement in facts:
        ids = [line.story_id for line in digest.stories if fact_id in line.fact_ids]
        if ids:
            digest.facts.append(FactSection(fact_id, statement, ids))
    digest.feeds = _feed_health(archive, now, failing_threshold, poll)
    return digest


def _story_order(line: StoryLine) -> tuple:
    return (-line.articles_today - line.also_carried_by, line.first_reported_at, line.story_id)


def _updates(archive: Archive, window: dict, timezone: str) -> list[Update]:
    """Each differing figure or new name reported on the day, with its first source that day."""
    groups: dict[tuple, list[dict]] = {}
    for row in archive.day_update_mentions(window):
        groups.setdefault((row["fact_id"], row["kind"], row["value"], row["unit"], row["name"]), []).append(row)
    updates = []
    for group in groups.values():
        first = group[0]
        updates.append(Update(
            **{k: first[k] for k in ("fact_id", "statement", "kind", "value", "unit", "figure", "tracked_value",
                                     "tracked_unit", "name", "sentence", "outlet", "lang", "url", "title", "reported_at")},
            reported_local=local_iso(first["reported_at"], timezone),
            articles=len({row["article_id"] for row in group}), languages=sorted({row["lang"] or "?" for row in group}),
        ))  # fmt: skip
    return sorted(updates, key=lambda u: (len(u.fact_id), u.fact_id, u.reported_at))


def _feed_health(archive: Archive, now: datetime, failing_threshold: int, poll: PollPolicy) -> dict[str, list[FeedLine]]:
    health: dict[str, list[FeedLine]] = {"failing": [], "backoff": [], "silent": []}
    for row in archive.feed_health(now, days=SILENT_AFTER.days):
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


def title_line(digest: Digest) -> str:
    """One line saying what the day held: 'Sovereign AI monitor, 2026-04-01: 5 fact updates, 1 story'."""
    if digest.empty:
        return f"Sovereign AI monitor, {digest.day}: nothing reported"
    parts = [plural(len(digest.updates), "fact update"), plural(len(digest.stories) + len(digest.other_stories), "story", "stories")]
    return f"Sovereign AI monitor, {digest.day}: {', '.join(parts)}"


def when(stamp: str, digest: Digest) -> str:
    """A time in the digest's zone: '11:30 KST' on the digest's day, '2025-12-21 09:00 KST' on another."""
    local = _moment(stamp).astimezone(ZoneInfo(digest.timezone))
    zone = local.strftime("%Z")
    return (local.strftime("%H:%M") if local.date().isoformat() == digest.day else local.strftime("%Y-%m-%d %H:%M")) + f" {zone}"


def _update_text(update: Update) -> str:
    if update.kind == "name":
        return f"new name “{update.name}”"
    tracked = format_figure(update.tracked_value, update.tracked_unit)
    return f"{format_figure(update.value, update.unit)} (“{update.figure}”; tracked: {tracked})"


def _carried(line: StoryLine) -> str:
    if not line.also_carried_by:
        return "no other outlet yet"
    langs = ", ".join(f"{lang} {n}" for lang, n in line.outlets_by_language.items())
    return f"also carried by {plural(line.also_carried_by, 'outlet')} ({langs})"


def _reach(update: Update) -> str:
    return f"{plural(update.articles, 'article')} in {', '.join(update.languages)}"


def _health_lines(digest: Digest) -> list[str]:
    lines = []
    for f in digest.feeds.get("failing", []):
        lines.append(f"failing: {f.name}: {plural(f.error_count, 'failed poll')} in a row, last: {f.last_status}")
    for f in digest.feeds.get("backoff", []):
        next_try = when(f.next_poll_at, digest) if f.next_poll_at else "not set"
        lines.append(f"in backoff: {f.name}: {plural(f.error_count, 'failed poll')}, next try {next_try}")
    for f in digest.feeds.get("silent", []):
        since = when(f.last_new_entry_at, digest) if f.last_new_entry_at else "ever"
        lines.append(f"silent: {f.name}: no new entry since {since}")
    return lines or ["All feeds answered on their last poll and brought new entries in the last 3 days."]


def _count_line(digest: Digest) -> str:
    c = digest.counts
    langs = ", ".join(f"{lang} {n}" for lang, n in c["by_language"].items())
    return (f"{plural(c['articles'], 'article')} ({langs or 'none'}), {c['on_topic']} on the story, "
            f"{plural(c['copies'], 'copy', 'copies')} of other outlets' texts, {plural(c['stories'], 'story', 'stories')}, "
            f"{plural(c['fact_mentions'], 'fact mention')}")  # fmt: skip


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
                       f"({_md(u.outlet)}, {u.lang}, {when(u.reported_at, digest)}; {_reach(u)})")  # fmt: skip
            out.append(f"  > {_md(u.sentence)}")
    else:
        out.append("No figure differed from the tracked ones and no new name appeared.")
    out += ["", "## Facts stated", ""]
    if not digest.stories:
        out += ["No tracked fact was stated.", ""]
    statements = digest.statements
    for fact_ids, lines in digest.fact_groups():
        out += [f"### {', '.join(fact_ids)}", ""]
        out += [f"- {fact_id}: {_md(statements[fact_id])}" for fact_id in fact_ids]
        out += ["", plural(len(lines), "story", "stories") + " stating " + ("it" if len(fact_ids) == 1 else "them") + ":", ""]
        out += [_md_story(line, digest) for line in lines]
        out.append("")
    out += ["## Other stories on the program", ""]
    out += [_md_story(line, digest) for line in digest.other_stories] or ["None."]
    out += ["", "## Feeds and counts", ""]
    out += [f"- {_md(line)}" for line in _health_lines(digest)]
    out += ["", _count_line(digest), ""]
    return "\n".join(out)


def _md_story(line: StoryLine, digest: Digest) -> str:
    return (f"- {_md_link(line.url, line.title)} ({_md(line.outlet)}, {line.lang}, first report "
            f"{when(line.first_reported_at, digest)}; {line.articles_today} today; {_carried(line)})")  # fmt: skip


_CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Noto Sans CJK JP","Noto Sans KR",sans-serif;margin:0 auto;
max-width:46rem;padding:1rem;color:#1b1b1b;background:#fff}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;
margin-top:1.6rem}h3{font-size:1rem;margin:1rem 0 .3rem}ul{padding-left:1.1rem}li{margin:.35rem 0}
a{color:#0645ad;overflow-wrap:anywhere}blockquote{margin:.3rem 0 .6rem;padding-left:.7rem;border-left:3px solid #ccc;
color:#444}.meta{color:#555;font-size:.9rem}.update b{color:#9a3412}.empty{padding:1rem;background:#f5f5f5}
ul.facts{list-style:none;padding-left:0;color:#444}ul.facts b{color:#1b1b1b}
:lang(ko){font-family:"Noto Sans CJK KR","Noto Sans KR",system-ui,sans-serif}
:lang(ja){font-family:"Noto Sans CJK JP","Noto Sans JP",system-ui,sans-serif}
@media (prefers-color-scheme:dark){body{background:#111;color:#ddd}a{color:#8ab4f8}.meta,blockquote,ul.facts{color:#aaa}
ul.facts b{color:#ddd}.empty{background:#222}}
"""


def _lang(lang: str | None) -> str:
    """The lang attribute of an item's own text (its headline, outlet, sentence)."""
    return f' lang="{html.escape(lang)}"' if lang and lang.isalpha() else ""


def _link(url: str, text: str | None, lang: str | None) -> str:
    label = html.escape(text or url)
    if not url.startswith(("http://", "https://")):
        return f"<span{_lang(lang)}>{label}</span>"  # a javascript: or data: URL from a feed is shown, never linked
    return f'<a href="{html.escape(url, quote=True)}"{_lang(lang)} rel="noopener noreferrer">{label}</a>'


def _time(stamp: str, digest: Digest) -> str:
    return f'<time datetime="{html.escape(stamp)}">{html.escape(when(stamp, digest))}</time>'


def _html_update_text(update: Update) -> str:
    """`_update_text` in HTML, the name or figure as written marked with the article's language."""
    e = html.escape
    if update.kind == "name":
        return f"new name “<span{_lang(update.lang)}>{e(update.name or '')}</span>”"
    tracked = format_figure(update.tracked_value, update.tracked_unit)
    return (f"{e(format_figure(update.value, update.unit))} (“<span{_lang(update.lang)}>{e(update.figure or '')}</span>”; "
            f"tracked: {e(tracked)})")  # fmt: skip


def _html_story(line: StoryLine, digest: Digest) -> str:
    e = html.escape
    return (f"<li>{_link(line.url, line.title, line.lang)} <span class=\"meta\"><span{_lang(line.lang)}>{e(line.outlet or '')}</span>, "
            f"{e(line.lang or '')}, first report {_time(line.first_reported_at, digest)}; {line.articles_today} today; "
            f"{e(_carried(line))}</span></li>")  # fmt: skip


def html_body(digest: Digest) -> str:
    """The HTML digest's content, without the page around it (what the Atom feed's entries carry)."""
    e = html.escape
    body = [f"<h1>Sovereign AI monitor: {e(digest.day)} <span class=\"meta\">({e(digest.timezone)})</span></h1>"]
    if digest.empty:
        body.append('<p class="empty">Nothing was reported on this day: no new articles.</p>')
    body.append("<h2>Fact updates</h2>")
    if digest.updates:
        body.append("<ul>")
        for u in digest.updates:
            body.append(f'<li class="update"><b>{e(u.fact_id)}</b> {_html_update_text(u)}: {_link(u.url, u.title, u.lang)} '
                        f'<span class="meta"><span{_lang(u.lang)}>{e(u.outlet or "")}</span>, {e(u.lang or "")}, '
                        f"{_time(u.reported_at, digest)}; {e(_reach(u))}</span>"
                        f"<blockquote{_lang(u.lang)}>{e(u.sentence)}</blockquote></li>")  # fmt: skip
        body.append("</ul>")
    else:
        body.append("<p>No figure differed from the tracked ones and no new name appeared.</p>")
    body.append("<h2>Facts stated</h2>")
    if not digest.stories:
        body.append("<p>No tracked fact was stated.</p>")
    statements = digest.statements
    for fact_ids, lines in digest.fact_groups():
        body.append(f"<h3>{e(', '.join(fact_ids))}</h3>")
        body.append('<ul class="facts">' + "".join(f"<li><b>{e(f)}</b> {e(statements[f])}</li>" for f in fact_ids) + "</ul>")
        body.append("<ul>" + "".join(_html_story(line, digest) for line in lines) + "</ul>")
    body.append("<h2>Other stories on the program</h2>")
    body.append("<ul>" + "".join(_html_story(line, digest) for line in digest.other_stories) + "</ul>" if digest.other_stories else "<p>None.</p>")
    body.append("<h2>Feeds and counts</h2><ul>" + "".join(f"<li>{e(line)}</li>" for line in _health_lines(digest)) + "</ul>")
    body.append(f'<p class="meta">{e(_count_line(digest))}</p>')
    return "\n".join(body)


def _html(digest: Digest) -> str:
    e = html.escape
    # The page's own words (headings, labels) are English: lang="en"; each item's headline, outlet and
    # sentence carry their own lang, so a screen reader and the fonts read Korean and Japanese as such.
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Sovereign AI monitor: {e(digest.day)}</title><style>{_CSS}</style></head>\n<body>\n"
        + html_body(digest)
        + "\n</body></html>\n"
    )


def write_digest(archive: Archive, day: date, timezone: str, folder: str | Path, now: datetime, **judging) -> list[Path]:
    """Write `<folder>/<day>.md`, `.html` and `.json`, each atomically (a reader never sees half a
    file). Returns their paths. `judging`: build_digest's failing_threshold and poll."""
    return write_digest_files(build_digest(archive, day, timezone, now, **judging), folder)


def write_digest_files(digest: Digest, folder: str | Path) -> list[Path]:
    """Write `digest` as `<folder>/<day>.json`, `.html` and `.md`, each atomically; returns their paths."""
    day = date.fromisoformat(digest.day)
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

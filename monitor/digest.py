"""The daily summary: what the monitor stored on one local day, written to a dated Markdown file.

This is the daemon's daily job until the full digest (facts, stories, feed health) replaces it.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from monitor.dates import iso
from monitor.store import Archive


def local_day_bounds(day: date, timezone: str) -> tuple[str, str]:
    """The UTC timestamps (archive format) where a local day starts and ends."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(0), zone)
    return iso(start), iso(start + timedelta(days=1))


def last_due_day(now: datetime, at: time, timezone: str) -> date:
    """The day whose summary is due at `now`: the summary of day D is written at `at` on D + 1."""
    local = now.astimezone(ZoneInfo(timezone))
    written_today = local.time() >= at
    return local.date() - timedelta(days=1 if written_today else 2)


def write_daily_summary(archive: Archive, day: date, timezone: str, folder: str | Path) -> Path:
    """Write `<folder>/<day>.md` (atomically: a reader never sees half a file). Returns its path."""
    start, end = local_day_bounds(day, timezone)
    rows = list(
        archive.db.query(
            """SELECT lang, source, title, url, published_at FROM articles
               WHERE fetched_at >= ? AND fetched_at < ? ORDER BY lang, published_at""",
            [start, end],
        )
    )
    failing = list(archive.db.query("SELECT name, last_status, error_count FROM feeds WHERE active = 1 AND error_count > 0"))
    lines = [f"# Sovereign AI monitor: {day.isoformat()} ({timezone})", ""]
    if not rows:
        lines.append("No new articles were stored on this day.")
    else:
        per_lang = {lang: sum(1 for r in rows if r["lang"] == lang) for lang in sorted({r["lang"] or "?" for r in rows})}
        lines.append(f"{len(rows)} new articles: " + ", ".join(f"{lang} {n}" for lang, n in per_lang.items()))
        for lang in per_lang:
            lines += ["", f"## {lang}", ""]
            for row in (r for r in rows if (r["lang"] or "?") == lang):
                title = (row["title"] or row["url"]).replace("[", "(").replace("]", ")")
                lines.append(f"- [{title}]({row['url']}) ({row['source'] or 'unknown source'})")
    lines += ["", "## Feeds", ""]
    if failing:
        lines += [f"- {f['name']}: {f['error_count']} failed polls in a row, last: {f['last_status']}" for f in failing]
    else:
        lines.append("All feeds answered on their last poll.")
    path = Path(folder) / f"{day.isoformat()}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".md.partial")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path

"""What the daily digest reads from the archive: one local day's window (UTC `start` <= reported_at
< `end`), its counts, its differing figures and new names, its stories and the facts they state."""

from __future__ import annotations

from monitor.store.db import Database

Window = dict[str, str]  # {"start": utc, "end": utc}


def active_facts(db: Database) -> list[tuple[str, str]]:
    """(id, English statement) of every fact still defined, in the facts file's order (F1, F2, ... F10)."""
    return db.execute("SELECT id, statement FROM facts WHERE active = 1 ORDER BY length(id), id").fetchall()


def day_counts(db: Database, window: Window) -> dict:
    """Articles reported in the window: how many, on the story, copies, stories, fact mentions, by language."""
    row = db.execute(
        """SELECT count(*), coalesce(sum(CASE WHEN on_topic = 1 THEN 1 ELSE 0 END), 0), count(duplicate_of), count(DISTINCT story_id)
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


def day_update_mentions(db: Database, window: Window) -> list[dict]:
    """Every mention, in an on-topic article of the window, of a figure that differs from the tracked
    one or of a new name, in reported order, with its fact, article and the tracked figure."""
    return list(db.query(
        """SELECT m.fact_id, f.statement, CASE WHEN m.name IS NOT NULL THEN 'name' ELSE 'figure' END AS kind,
                  m.value, m.unit, m.figure, f.value AS tracked_value, f.unit AS tracked_unit, m.name, m.sentence,
                  a.source AS outlet, a.lang, a.url, a.title, a.reported_at, a.id AS article_id
           FROM fact_mentions m JOIN articles a ON a.id = m.article_id JOIN facts f ON f.id = m.fact_id
           WHERE a.on_topic = 1 AND (m.agrees = 0 OR m.name IS NOT NULL)
             AND a.reported_at >= :start AND a.reported_at < :end
           ORDER BY a.reported_at, a.id, m.sentence_index""",
        window,
    ))  # fmt: skip


def day_story_facts(db: Database, window: Window) -> dict[int, set[str]]:
    """Each story with an on-topic article reported in the window, and the active facts its articles
    of the window state (an empty set: it states none)."""
    stories: dict[int, set[str]] = {}
    rows = db.execute(
        """SELECT a.story_id, m.fact_id
           FROM articles a
           LEFT JOIN fact_mentions m ON m.article_id = a.id
             AND m.fact_id IN (SELECT id FROM facts WHERE active = 1)
           WHERE a.on_topic = 1 AND a.story_id IS NOT NULL AND a.reported_at >= :start AND a.reported_at < :end""",
        window,
    )
    for story_id, fact_id in rows:
        facts = stories.setdefault(story_id, set())
        if fact_id is not None:
            facts.add(fact_id)
    return stories


def story_reach(db: Database, story_id: int, window: Window) -> dict:
    """A story's first report (title, lang, outlet, url, reported_at), its articles reported in the
    window, and the other outlets that carried it by the window's end, per language."""
    first = db.execute("SELECT title, lang, source, url, reported_at FROM articles WHERE id = ?", [story_id]).fetchone()
    today = db.execute(
        "SELECT count(*) FROM articles WHERE story_id = :story AND reported_at >= :start AND reported_at < :end",
        {"story": story_id, **window},
    ).fetchone()[0]
    outlets = db.execute(
        """SELECT coalesce(lang, '?'), count(DISTINCT source) FROM articles
           WHERE story_id = :story AND reported_at < :end AND source IS NOT :first GROUP BY 1 ORDER BY 2 DESC, 1""",
        {"story": story_id, "first": first[2], **window},
    ).fetchall()
    return {"title": first[0], "lang": first[1], "outlet": first[2], "url": first[3], "first_reported_at": first[4],
            "articles_today": today, "outlets_by_language": dict(outlets)}  # fmt: skip


def any_reported(db: Database, window: Window) -> bool:
    """Whether an article was reported in the window."""
    return db.execute(
        "SELECT 1 FROM articles WHERE reported_at >= :start AND reported_at < :end LIMIT 1", window
    ).fetchone() is not None


def latest_reported_before(db: Database, before: str) -> str | None:
    """When the most recent article reported before `before` (UTC) was reported; None: no article."""
    return db.execute("SELECT max(reported_at) FROM articles WHERE reported_at < ?", [before]).fetchone()[0]

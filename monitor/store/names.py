"""Names the story acquires, in the archive: the names reported for tracked facts (the view
`story_names`), which of them enough outlets reported to identify the story, and the user's
decisions (`name_decisions`). Pure selection rules are in `monitor.facts.names`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.store.db import Database

from monitor.dates import iso


@dataclass(frozen=True)
class ReportedName:
    """A name reported for a fact, with where it comes from."""

    name: str
    fact_id: str
    articles: int
    outlets: int
    first_seen: str
    first_article_id: int
    first_title: str
    first_source: str
    languages: str
    decision: str | None  # "confirmed", "rejected" or None (learned or not, by the count of outlets)


def reported_names(db: Database) -> list[ReportedName]:
    """Every name reported for a fact in an on-topic article, most outlets first."""
    rows = db.execute(
        """SELECT n.name, n.fact_id, n.articles, n.outlets, n.first_seen, n.first_article_id,
                  coalesce(a.title, ''), coalesce(a.source, ''), coalesce(n.languages, ''), n.decision
           FROM story_names n LEFT JOIN articles a ON a.id = n.first_article_id
           ORDER BY n.outlets DESC, n.first_seen, n.name"""
    ).fetchall()
    return [ReportedName(*row) for row in rows]


def decide_name(db: Database, name: str, decision: str | None, now: datetime) -> None:
    """Confirm or reject a name (None: forget the decision); call inside a transaction."""
    if decision is None:
        db.execute("DELETE FROM name_decisions WHERE name = ?", [name])
    else:
        db.execute(
            """INSERT INTO name_decisions (name, decision, decided_at) VALUES (?, ?, ?)
               ON CONFLICT (name) DO UPDATE SET decision = excluded.decision, decided_at = excluded.decided_at""",
            [name, decision, iso(now)],
        )


def decisions(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT name, decision FROM name_decisions").fetchall())

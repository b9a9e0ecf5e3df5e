"""Fact links in the archive: the fact definitions, each article's relevance, mentions and
attributions, and the timeline of a fact. Functions over the archive's database, used by
`Archive.store_article` (links of a new article, in its transaction) and by `monitor facts`."""

from __future__ import annotations

import json
from dataclasses import dataclass

from monitor.store.db import Database

from monitor.facts import FactBook, FactLinks


def sync_facts(db: Database, book: FactBook) -> None:
    """Make the `facts` table hold the definitions of `book`; facts no longer defined stay (their
    mentions may be read) but are marked inactive."""
    with db.atomic():
        db.execute("UPDATE facts SET active = 0")
        for fact in book.facts:
            figure = fact.figure
            db.execute(
                """INSERT INTO facts (id, statement, statement_ko, statement_ja, value, unit, tolerance, period, active)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
                   ON CONFLICT (id) DO UPDATE SET statement = excluded.statement, statement_ko = excluded.statement_ko,
                     statement_ja = excluded.statement_ja, value = excluded.value, unit = excluded.unit,
                     tolerance = excluded.tolerance, period = excluded.period, active = 1""",
                [fact.id, fact.statement["en"], fact.statement.get("ko"), fact.statement.get("ja"),
                 figure.value if figure else None, figure.unit if figure else None,
                 figure.tolerance if figure else None, figure.period if figure else None],
            )  # fmt: skip


def save_links(db: Database, article_id: int, links: FactLinks, version: str) -> None:
    """Replace the article's relevance, mentions and attributions (call inside a transaction)."""
    relevance = links.relevance
    db.execute(
        "UPDATE articles SET on_topic = ?, relevance_score = ?, relevance_reasons = ?, facts_version = ? WHERE id = ?",
        [int(relevance.on_topic), relevance.score, json.dumps(relevance.reasons, ensure_ascii=False), version, article_id],
    )
    db.execute("DELETE FROM fact_mentions WHERE article_id = ?", [article_id])
    db.execute("DELETE FROM article_attributions WHERE article_id = ?", [article_id])
    for mention in links.mentions:
        figure = mention.figure
        db.execute(
            """INSERT INTO fact_mentions (article_id, fact_id, sentence, sentence_index, value, unit, agrees,
                 figure, approx, bound, name, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [article_id, mention.fact_id, mention.sentence.text, mention.sentence.index,
             figure.value if figure else None, figure.unit if figure else None,
             None if mention.agrees is None else int(mention.agrees),
             figure.text if figure else None, int(figure.approx) if figure else None, figure.bound if figure else None,
             mention.name, json.dumps(mention.terms, ensure_ascii=False)],
        )  # fmt: skip
    for attribution in links.attributions:
        db.execute(
            "INSERT INTO article_attributions (article_id, outlet, phrase, sentence) VALUES (?, ?, ?, ?)",
            [article_id, attribution.outlet, attribution.phrase, attribution.sentence.text],
        )


def stale_articles(db: Database, version: str, limit: int = 500) -> list[tuple[int, str, str, str | None, str | None]]:
    """(id, title, text, lang, published_at) of articles whose links were made from other definitions, or never,
    or whose analysis lacks its story features (archived before stories existed)."""
    return db.execute(
        """SELECT id, title, text, lang, published_at FROM articles a WHERE facts_version IS NOT ?
             OR NOT EXISTS (SELECT 1 FROM story_features f WHERE f.article_id = a.id)
           ORDER BY id LIMIT ?""",
        [version, limit],
    ).fetchall()


@dataclass(frozen=True)
class FigureReport:
    """A distinct figure (or name) reported for a fact, with its first source."""

    value: float | None
    unit: str | None
    name: str | None
    agrees: bool | None
    first_seen: str
    first_outlet: str
    first_title: str
    first_url: str
    first_sentence: str
    articles: int
    languages: str  # "en,ja,ko"


@dataclass(frozen=True)
class FactTimeline:
    fact_id: str
    statement: str
    value: float | None
    unit: str | None
    active: bool
    first_seen: str | None
    articles: int
    by_language: dict[str, int]
    by_outlet: list[tuple[str, int]]  # most mentions first
    updates: list[FigureReport]  # differing figures and new names, first seen first
    figures: list[FigureReport]  # every distinct figure, first seen first


def fact_timeline(db: Database, fact_id: str) -> FactTimeline | None:
    row = db.execute("SELECT id, statement, value, unit, active FROM facts WHERE id = ?", [fact_id]).fetchone()
    if row is None:
        return None
    on_topic = "FROM fact_mentions m JOIN articles a ON a.id = m.article_id WHERE m.fact_id = ? AND a.on_topic = 1"
    first_seen, articles = db.execute(
        f"SELECT MIN(COALESCE(a.published_at, a.fetched_at)), COUNT(DISTINCT a.id) {on_topic}", [fact_id]
    ).fetchone()
    by_language = dict(db.execute(f"SELECT a.lang, COUNT(DISTINCT a.id) {on_topic} GROUP BY a.lang ORDER BY a.lang", [fact_id]).fetchall())
    by_outlet = db.execute(
        f"SELECT a.source, COUNT(DISTINCT a.id) AS n {on_topic} GROUP BY a.source ORDER BY n DESC, a.source", [fact_id]
    ).fetchall()
    figures, names = _reports(db, fact_id)
    updates = sorted([f for f in figures if f.agrees is False] + names, key=lambda r: r.first_seen)
    return FactTimeline(row[0], row[1], row[2], row[3], bool(row[4]), first_seen, articles, by_language,
                        [tuple(r) for r in by_outlet], updates, figures)  # fmt: skip


def _reports(db: Database, fact_id: str) -> tuple[list[FigureReport], list[FigureReport]]:
    """Distinct figures and distinct new names reported for a fact, each with its first mention."""
    rows = db.execute(
        """SELECT m.value, m.unit, m.name, m.agrees, COALESCE(a.published_at, a.fetched_at) AS seen, a.source, a.title,
                  a.url, m.sentence, a.id, a.lang
           FROM fact_mentions m JOIN articles a ON a.id = m.article_id
           WHERE m.fact_id = ? AND a.on_topic = 1 AND (m.value IS NOT NULL OR m.name IS NOT NULL)
           ORDER BY seen, a.id, m.id""",
        [fact_id],
    ).fetchall()
    figures: dict[tuple, list] = {}
    names: dict[str, list] = {}
    for row in rows:
        value, unit, name = row[0], row[1], row[2]
        if value is not None:
            figures.setdefault((value, unit), []).append(row)
        if name is not None:
            names.setdefault(name, []).append(row)
    return [_report(group) for group in figures.values()], [_report(group, named=True) for group in names.values()]


def _report(group: list, named: bool = False) -> FigureReport:
    value, unit, name, agrees, seen, source, title, url, sentence = group[0][:9]
    return FigureReport(
        value=None if named else value,
        unit=None if named else unit,
        name=name if named else None,
        agrees=None if (named or agrees is None) else bool(agrees),
        first_seen=seen,
        first_outlet=source or "",
        first_title=title or "",
        first_url=url,
        first_sentence=sentence,
        articles=len({row[9] for row in group}),
        languages=",".join(sorted({row[10] or "?" for row in group})),
    )


@dataclass(frozen=True)
class Mention:
    """One sentence of an on-topic article that states a fact."""

    seen: str  # publication time, else fetch time (UTC)
    lang: str | None
    outlet: str | None
    figure: str | None  # as written
    agrees: bool | None
    sentence: str


def latest_mentions(db: Database, fact_id: str, limit: int = 10) -> list[Mention]:
    """The `limit` latest mentions of a fact in on-topic articles, newest first."""
    rows = db.execute(
        """SELECT COALESCE(a.published_at, a.fetched_at), a.lang, a.source, m.figure, m.agrees, m.sentence
           FROM fact_mentions m JOIN articles a ON a.id = m.article_id
           WHERE m.fact_id = ? AND a.on_topic = 1 ORDER BY 1 DESC, m.id DESC LIMIT ?""",
        [fact_id, limit],
    ).fetchall()
    return [Mention(r[0], r[1], r[2], r[3], None if r[4] is None else bool(r[4]), r[5]) for r in rows]


def recent_updates(db: Database, limit: int = 50) -> list[dict]:
    """The `limit` most recently first seen candidate updates of active facts (a figure that differs
    from the tracked one, or a new name), newest first, each with its fact, its first article
    (title, url, lang, outlet) and the sentence there that reported it."""
    return list(db.query(
        """SELECT c.fact_id, c.kind, c.value, c.unit, c.name, c.first_seen, c.articles, c.languages,
                  f.statement, f.value AS tracked_value, f.unit AS tracked_unit,
                  a.title, a.url, a.lang, a.source AS outlet,
                  (SELECT m.sentence FROM fact_mentions m
                   WHERE m.article_id = a.id AND m.fact_id = c.fact_id
                     AND ((c.kind = 'figure' AND m.agrees = 0 AND m.value IS c.value AND m.unit IS c.unit)
                          OR (c.kind = 'name' AND m.name IS c.name))
                   ORDER BY m.sentence_index LIMIT 1) AS sentence
           FROM candidate_updates c JOIN facts f ON f.id = c.fact_id JOIN articles a ON a.id = c.first_article_id
           WHERE f.active = 1
           ORDER BY c.first_seen DESC, c.fact_id LIMIT ?""",
        [limit],
    ))  # fmt: skip

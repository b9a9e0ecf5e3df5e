"""Page furniture learned per site (table `site_lines`): the short lines of a site's stored
articles, counted by article; the lines two or more articles share are the site's furniture."""

from __future__ import annotations

from collections.abc import Iterable

from monitor.store.db import Database

FURNITURE_ARTICLES = 2


def site_furniture(db: Database) -> dict[str, set[str]]:
    """site -> the line keys at least FURNITURE_ARTICLES of its articles held."""
    furniture: dict[str, set[str]] = {}
    for site, line in db.execute("SELECT site, line FROM site_lines WHERE articles >= ?", [FURNITURE_ARTICLES]):
        furniture.setdefault(site, set()).add(line)
    return furniture


def record_site_lines(db: Database, site: str, keys: Iterable[str]) -> set[str]:
    """Count one more article of `site` holding each line key (call inside a transaction).
    Returns the keys that have just become furniture."""
    became = set()
    for key in set(keys):
        row = db.execute(
            """INSERT INTO site_lines (site, line, articles) VALUES (?, ?, 1)
               ON CONFLICT (site, line) DO UPDATE SET articles = site_lines.articles + 1 RETURNING articles""",
            [site, key],
        ).fetchone()
        if row and row[0] == FURNITURE_ARTICLES:
            became.add(key)
    return became

"""Page furniture learned per site (table `site_lines`): the short lines of a site's stored
articles, counted by article; the lines two or more articles share are the site's furniture."""

from __future__ import annotations

from collections.abc import Iterable

from monitor.store.db import Database

from monitor.urls import site_key

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


_SUBDOMAINS = ("", "www.", "m.", "mobile.", "amp.")  # the forms monitor.urls.site_key folds


def site_articles_holding(db: Database, site: str, lines: Iterable[str]) -> list[tuple[int, str | None, str, str | None]]:
    """(id, title, text, lang, published_at) of the site's stored page articles whose text holds one of `lines`
    (furniture learned after they were stored). Reads the site's articles through the URL index,
    not the whole archive."""
    lines = [line for line in lines if line]
    if not lines:
        return []
    holding = " OR ".join("instr(text, ?) > 0" for _ in lines)
    found: dict[int, tuple[int, str | None, str, str | None]] = {}
    for scheme in ("https", "http"):
        for sub in _SUBDOMAINS:
            prefix = f"{scheme}://{sub}{site}/"
            rows = db.execute(
                f"""SELECT id, url, title, text, lang, published_at FROM articles
                    WHERE url >= ? AND url < ? AND extraction = 'page' AND ({holding})""",
                [prefix, prefix[:-1] + "0", *lines],
            ).fetchall()
            for article_id, url, title, text, lang, published in rows:
                if site_key(url) == site:
                    found[article_id] = (article_id, title, text, lang, published)
    return sorted(found.values())

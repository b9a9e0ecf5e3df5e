"""Which known entry an aggregator's entry names, from what the feeds say alone (pure).

A keyword-search feed (Google News) links every article through a redirect of its own, but says
which article it is: the headline (often with " - Outlet" appended), the outlet it credits (its
`<source>`: name and site) and the time. When an outlet's own feed already gave the same headline
for the same site at about the same time, the redirect needs no request: the entry is that
article. The match must be certain, since a wire story runs under one headline at many outlets:

- the headlines are the same once normalized (`title_key`: NFKC, case-folded, without the
  credited outlet's name appended, without spaces and punctuation), and long enough to say
  something (`MIN_KEY_CHARS`);
- the candidate's link is on the credited outlet's site (its `<source url>`), or, when the
  aggregator gives no site, the candidate's feed carries the credited outlet's name;
- both were published within `MAX_HOURS_APART` of each other, when both say when;
- exactly one article qualifies (entries of one article under several feeds or URL forms count
  once); otherwise the redirect is asked, as before.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from monitor.urls import same_site, variants

MIN_KEY_CHARS = 12  # shorter normalized headlines ("Briefing", "速報") say too little
MAX_HOURS_APART = 36.0
# What aggregators put between a headline and the outlet they credit: "Title - Outlet".
_CREDIT_SEPARATOR = re.compile(r"\s+[-–—|｜:]\s+")
_NOT_WORD = re.compile(r"[\W_]+")


def title_key(title: str | None, source_name: str | None = "") -> str:
    """A headline's matching form: NFKC, case-folded, the credited outlet's name taken off its end
    (" - 한겨레", " | The Japan Times"), spaces and punctuation removed. "" when too short to match on."""
    text = unicodedata.normalize("NFKC", title or "").casefold().strip()
    source = _bare(unicodedata.normalize("NFKC", source_name or "").casefold())
    separators = list(_CREDIT_SEPARATOR.finditer(text))
    if source and separators and _bare(text[separators[-1].end() :]) == source:
        text = text[: separators[-1].start()]
    key = _bare(text)
    return key if len(key) >= MIN_KEY_CHARS else ""


def _bare(text: str) -> str:
    return _NOT_WORD.sub("", text)


@dataclass(frozen=True)
class Sighting:
    """What an aggregator's entry says of its article."""

    title_key: str
    source_name: str
    source_url: str
    published: datetime | None


@dataclass(frozen=True)
class Known:
    """An entry with the article's own link, from another feed (an outlet's)."""

    entry_id: int
    link: str
    state: str  # 'pending', 'done' or 'skipped' (a general feed's entry that did not look on topic)
    article_id: int | None  # when done
    outlet: str  # its feed's title (the outlet's name)
    published: datetime | None


def certain_match(sighting: Sighting, candidates: list[Known]) -> Known | None:
    """The known entry that is certainly the sighting's article (see the module docstring), or
    None. Of several entries of that one article, a stored one first, then a pending one."""
    if not sighting.title_key or not (sighting.source_url or sighting.source_name):
        return None
    qualified = [c for c in candidates if _same_outlet(sighting, c) and _close_in_time(sighting, c)]
    groups = _by_article(qualified)
    if len(groups) > 1 and sighting.source_name:  # several outlets on one site: the credited name decides
        named = [g for g in groups if any(_names_agree(sighting.source_name, c.outlet) for c in g)]
        groups = named or groups
    if len(groups) != 1:
        return None
    order = {"done": 0, "pending": 1, "skipped": 2}
    return min(groups[0], key=lambda c: (order.get(c.state, 3), c.entry_id))


def _same_outlet(sighting: Sighting, known: Known) -> bool:
    if sighting.source_url:
        try:
            return same_site(sighting.source_url, known.link)
        except ValueError:
            return False
    return _names_agree(sighting.source_name, known.outlet)


def _names_agree(credited: str, outlet: str) -> bool:
    a, b = _bare(unicodedata.normalize("NFKC", credited).casefold()), _bare(unicodedata.normalize("NFKC", outlet).casefold())
    return bool(a and b) and (a == b or a in b or b in a)


def _close_in_time(sighting: Sighting, known: Known) -> bool:
    if sighting.published is None or known.published is None:
        return True
    return abs((sighting.published - known.published).total_seconds()) <= MAX_HOURS_APART * 3600


def _by_article(candidates: list[Known]) -> list[list[Known]]:
    """Candidates grouped by the article they are: one stored article, or links with a URL form in common."""
    groups: list[tuple[set, list[Known]]] = []
    for known in candidates:
        keys = {("article", known.article_id)} if known.article_id is not None else set()
        try:
            keys |= {("url", form) for form in variants(known.link)}
        except ValueError:
            keys.add(("url", known.link))
        joined = [g for g in groups if g[0] & keys]
        merged_keys, merged = set(keys), [known]
        for g in joined:
            merged_keys |= g[0]
            merged += g[1]
            groups.remove(g)
        groups.append((merged_keys, merged))
    return [members for _, members in groups]

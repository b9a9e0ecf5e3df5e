"""Stories: articles written independently about one event, across languages. Pure: the archive
stores the features computed here and applies `choose_story` in publication order.

What articles in different languages share is not words but what they state: the tracked facts,
figures (3873億円, 3873억 엔 and 387.3 billion yen are one figure), the outlets they credit and the
new names they report. A story gathers the articles whose evidence with one of its articles of the
last `WINDOW` reaches `JOIN`, while its first report is at most `SPAN` old; so the original plan
and the company's launch a week later stay two stories although both restate the plan's figures,
and a scoop's follow-ups two or three days on stay with it even when an earlier report opened it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from datetime import timedelta

from monitor.facts import FactBook, FactLinks
from monitor.figures import Figure, is_year

WINDOW = timedelta(days=4)  # an article is compared with the articles of the last WINDOW
SPAN = timedelta(days=6)  # ... of the stories whose first report is at most SPAN old
JOIN = 0.5
MERGE = 1.0  # evidence with two open stories at once that makes them one
CONFLICT = 0.75  # less evidence per tracked fact given with figures the other report does not give
# Figures that identify an event: amounts and counts. Periods and fiscal years ("five years",
# "FY2026") and percentages are shared by unrelated reports.
_EVENT_FIGURE_UNITS = {"JPY", "KRW", "USD", "EUR", "CNY", "GBP", "parameters", "people", "firms"}


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    facts: frozenset[str]  # tracked facts stated
    figures: frozenset[str]  # "unit:value" of amounts and counts other than the tracked figures
    sources: frozenset[str]  # outlets credited ("as the Yomiuri reported")
    names: frozenset[str]  # new names reported for tracked facts
    # The figure each tracked fact is stated with: "F3=" (the tracked one) or "F3=3.87e+11". Two
    # reports giving a fact different figures report different news (the plan, then the budget).
    values: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.facts or self.figures or self.sources or self.names)

    def to_json(self) -> str:
        keys = ("facts", "figures", "sources", "names", "values")
        return json.dumps({key: sorted(getattr(self, key)) for key in keys}, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> StoryFeatures:
        raw = json.loads(data)
        return cls(*(_shared(tuple(raw.get(key, ()))) for key in ("facts", "figures", "sources", "names", "values")))


@lru_cache(maxsize=8192)
def _shared(values: tuple[str, ...]) -> frozenset[str]:
    """One frozenset (of interned strings) for every stored value list alike: the facts, outlets and
    figures articles state repeat, and a story walk keeps a window of articles' features in memory
    (bench/memory.py, 10,000 articles in one window: 2,174 -> 179 bytes an article, the daemon's
    peak 85 -> 76 MB)."""
    return frozenset(map(sys.intern, values))


def story_features(links: FactLinks, book: FactBook) -> StoryFeatures:
    """What an article states that other articles on the same event, in any language, state too:
    from its fact links and the figures of its headline and text."""
    return StoryFeatures(
        facts=frozenset(m.fact_id for m in links.mentions),
        figures=frozenset(event_figures(links.figures, book)),
        sources=frozenset(a.outlet for a in links.attributions),
        names=frozenset(m.name for m in links.mentions if m.name),
        values=frozenset(
            f"{m.fact_id}=" + ("" if m.agrees else _significant(m.figure.value)) for m in links.mentions if m.figure is not None
        ),
    )


def event_figures(found: Iterable[Figure], book: FactBook) -> set[str]:
    """The amounts and counts among the figures an article's text holds (`FactLinks.figures`)
    other than the tracked figures, as "unit:value"."""
    tracked = [fact.figure for fact in book.facts if fact.figure is not None]
    figures = set()
    for figure in found:
        if figure.conversion_of is not None:
            continue  # conversions ("about 28 trillion won") follow exchange rates, not the event
        if figure.unit not in _EVENT_FIGURE_UNITS and not _bare_count(figure.value, figure.unit):
            continue
        if any(t.unit == figure.unit and t.agrees(figure.value) for t in tracked):
            continue  # every report on the program restates the tracked figures
        figures.add(f"{figure.unit or 'n'}:{_significant(figure.value)}")
    return figures


def _bare_count(value: float, unit: str | None) -> bool:
    """A large number without a unit ("10,000 GPUs", "GPU 1만 개"), not a year."""
    return unit is None and value >= 1000 and not is_year(value)


def _significant(value: float) -> str:
    """Three significant digits: 387.3 billion and 3873億 are written alike, 3,873 and 3,870 too."""
    return f"{value:.3g}"


def evidence(a: StoryFeatures, b: StoryFeatures) -> float:
    """How strongly two articles report the same event: the overlap of the facts they state, plus
    each figure, credited source and new name they share."""
    if a.facts.isdisjoint(b.facts) and a.figures.isdisjoint(b.figures) and a.sources.isdisjoint(b.sources) \
            and a.names.isdisjoint(b.names):
        return 0.0  # most pairs: nothing in common (checked first, as stories compare an article with a window of them)
    shared = a.facts & b.facts
    # The share of the shorter report's facts that the other states too (a brief restating three
    # of a long report's ten facts is fully in it), discounted below three facts in common: one
    # or two shared facts (robots, a budget line) are weak evidence whatever the sets' sizes.
    smaller = min(len(a.facts), len(b.facts))
    score = len(shared) / smaller * min(1.0, len(shared) / 3) if smaller else 0.0
    score += 0.5 * min(2, len(a.figures & b.figures))
    score += 0.25 * len(a.sources & b.sources)
    score += 0.5 * min(1, len(a.names & b.names))
    score -= CONFLICT * len(_conflicts(a.values, b.values))  # the same fact with other figures: another piece of news
    return score


def _conflicts(mine: Iterable[str], theirs: Iterable[str]) -> set[str]:
    """The facts both sets of values ("F3=", "F3=3.87e+11") give, each with figures the other does not."""
    by_fact: tuple[dict[str, set[str]], dict[str, set[str]]] = ({}, {})
    for values, into in ((mine, by_fact[0]), (theirs, by_fact[1])):
        for value in values:
            into.setdefault(value.partition("=")[0], set()).add(value)
    return {fact for fact, own in by_fact[0].items() if fact in by_fact[1] and own.isdisjoint(by_fact[1][fact])}


@dataclass(frozen=True)
class Member:
    """An article already placed in a story that is still open (its first report within WINDOW)."""

    article_id: int
    story_id: int
    features: StoryFeatures


def choose_story(features: StoryFeatures, members: Iterable[Member]) -> int | None:
    """The open story whose best-matching article gives the most evidence, if it reaches JOIN;
    ties go to the earlier story. None: the article starts a story of its own."""
    return place(features, members)[0]


def place(features: StoryFeatures, members: Iterable[Member]) -> tuple[int | None, list[int]]:
    """(the story to join or None, the other open stories this article shows to be the same one).
    An article that reports strongly (MERGE) on two open stories bridges them: they were one story
    split by the order in which their first reports arrived."""
    if features.empty:
        return None, []
    reported: dict[int, set[str]] = {}  # the figures each story's reports gave its facts
    stated: dict[int, set[str]] = {}  # the facts each story's reports stated, with a figure or not
    members = list(members)
    for member in members:
        reported.setdefault(member.story_id, set()).update(member.features.values)
        stated.setdefault(member.story_id, set()).update(member.features.facts)
    # The facts this article gives a figure other than the tracked one, and of those the ones it
    # gives only such a figure.
    revised = {v.partition("=")[0] for v in features.values if not v.endswith("=")}
    new = revised - {v.partition("=")[0] for v in features.values if v.endswith("=")}
    # An article that gives a fact only a new figure where every report of a story gave it the
    # tracked one reports other news (the budget's 387.3 billion yen after the plan's "about 300
    # billion"), even through a report that gives that fact no figure (a feature in between). The
    # other way round it may be a rounded report of the same news ("about 300 billion" for the 387.3).
    # So does an article that gives a fact a new figure where no report of a story stated that fact
    # at all (the budget's line against reports of the plan that never spoke of a budget line).
    # Per story: those facts.
    unseen_by = {
        story: ({v.partition("=")[0] for v in values if v.endswith("=") and v.partition("=")[0] in new}
                - {v.partition("=")[0] for v in values if not v.endswith("=")})
        | (revised - stated[story])
        for story, values in reported.items()
    }  # fmt: skip
    best: dict[int, float] = {}
    for member in members:
        story = member.story_id
        unseen = unseen_by[story] - _conflicts(features.values, member.features.values)
        score = evidence(features, member.features) - CONFLICT * len(unseen)
        if score > best.get(story, -1.0):
            best[story] = score
    eligible = [(score, -story) for story, score in best.items() if score >= JOIN]
    if not eligible:
        return None, []
    chosen = -max(eligible)[1]
    if best[chosen] < MERGE:
        return chosen, []
    return chosen, sorted(story for story, score in best.items() if story != chosen and score >= MERGE)

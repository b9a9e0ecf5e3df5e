"""Fact linking: is an article about the story, which tracked facts does it state (with the
sentence and the figure as evidence), and which outlets does it credit. Pure: text in, links out.

    book = load_factbook("facts.yaml")
    links = link_facts(title, text, "ja", book)
    links.relevance.on_topic, [(m.fact_id, m.figure.value, m.agrees) for m in links.mentions]
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from monitor.facts.attribution import Attribution, find_attributions
from monitor.facts.definitions import Fact, FactBook, FactFigure, FactsError, load_factbook
from monitor.facts.mentions import Mention, find_mentions
from monitor.facts.relevance import Relevance, judge_relevance
from monitor.facts.sentences import Sentence, split_sentences
from monitor.figures import Figure, find_figures, table_units
from monitor.lang.phrases import prepare

__all__ = [
    "Attribution", "Fact", "FactBook", "FactFigure", "FactLinks", "FactsError", "Mention", "Relevance",
    "Sentence", "before_the_story", "link_facts", "load_factbook", "split_sentences",
]  # fmt: skip


@dataclass(frozen=True)
class FactLinks:
    relevance: Relevance
    mentions: tuple[Mention, ...]  # empty when the article is off topic
    attributions: tuple[Attribution, ...]
    figures: tuple[Figure, ...] = ()  # every figure of the headline and the text, in order


def link_facts(title: str | None, text: str, lang: str | None, book: FactBook, published: str | None = None) -> FactLinks:
    """Relevance, fact mentions and attributions of one article. The headline is read as a
    sentence of its own (index -1): headlines state facts too. `published` (ISO date or time,
    UTC): an article published before the story began (`story.began`) is not about it, whatever
    it says (an earlier plan in the same words), and states none of its facts."""
    sentences = split_sentences(text)
    prepared = [prepare(s.text, lang) for s in sentences]
    headline = Sentence((title or "").strip(), -1, -1)
    head = prepare(headline.text, lang)
    stating, stating_prepared = ([headline, *sentences], [head, *prepared]) if headline.text else (sentences, prepared)
    read = table_units([s.text for s in stating], [find_figures(s.text) for s in stating])
    mentions = find_mentions(stating, lang, book, stating_prepared, read)
    attributions = find_attributions(sentences, lang, book, prepared)
    relevance = judge_relevance(head, sentences, prepared, mentions, attributions, lang, book)
    if relevance.on_topic and (why := before_the_story(published, book)):
        relevance = replace(relevance, on_topic=False, reasons=(*relevance.reasons, why))
    figures = tuple(figure for found in read for figure in found)
    return FactLinks(relevance, tuple(mentions) if relevance.on_topic else (), tuple(attributions), figures)


def before_the_story(published: str | None, book: FactBook) -> str | None:
    """Why an article published on `published` cannot report the story (it appeared more than a
    day before `story.began`: a day's leeway for time zones), or None."""
    began = book.story.began
    if began is None or not published:
        return None
    try:
        day = date.fromisoformat(str(published)[:10])
    except ValueError:
        return None
    if day < began - timedelta(days=1):
        return f"published {day.isoformat()}, before the story began ({began.isoformat()})"
    return None

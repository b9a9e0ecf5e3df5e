"""Fact linking: is an article about the story, which tracked facts does it state (with the
sentence and the figure as evidence), and which outlets does it credit. Pure: text in, links out.

    book = load_factbook("facts.yaml")
    links = link_facts(title, text, "ja", book)
    links.relevance.on_topic, [(m.fact_id, m.figure.value, m.agrees) for m in links.mentions]
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.facts.attribution import Attribution, find_attributions
from monitor.facts.definitions import Fact, FactBook, FactFigure, FactsError, load_factbook
from monitor.facts.mentions import Mention, find_mentions
from monitor.facts.relevance import Relevance, judge_relevance
from monitor.facts.sentences import Sentence, split_sentences
from monitor.lang.phrases import prepare

__all__ = [
    "Attribution", "Fact", "FactBook", "FactFigure", "FactLinks", "FactsError", "Mention", "Relevance",
    "Sentence", "link_facts", "load_factbook", "split_sentences",
]  # fmt: skip


@dataclass(frozen=True)
class FactLinks:
    relevance: Relevance
    mentions: tuple[Mention, ...]  # empty when the article is off topic
    attributions: tuple[Attribution, ...]


def link_facts(title: str | None, text: str, lang: str | None, book: FactBook) -> FactLinks:
    """Relevance, fact mentions and attributions of one article. The headline is read as a
    sentence of its own (index -1): headlines state facts too."""
    sentences = split_sentences(text)
    prepared = [prepare(s.text, lang) for s in sentences]
    headline = Sentence((title or "").strip(), -1, -1)
    head = prepare(headline.text, lang)
    mentions = find_mentions([headline, *sentences], lang, book, [head, *prepared]) if headline.text else find_mentions(sentences, lang, book, prepared)
    attributions = find_attributions(sentences, lang, book, prepared)
    relevance = judge_relevance(head, sentences, prepared, mentions, attributions, lang, book)
    return FactLinks(relevance, tuple(mentions) if relevance.on_topic else (), tuple(attributions))

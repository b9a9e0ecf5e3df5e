"""Which tracked facts a text states, sentence by sentence, with the figure as evidence.

A sentence states a fact when it holds a phrase of each of the fact's term groups and, for a fact
with a (non-optional) figure, a figure of the fact's unit. A figure that agrees with the tracked one
stands in for one group ("당초 알려진 약 3000억엔보다 늘어난 규모다" states F3 by its figure alone). A
sentence with the fact's figure may borrow the groups of the sentence before it in the same
paragraph when its figure agrees ("기존 계획은 2조엔이었다" after a sentence on SoftBank's data
centers) or when it holds one of the groups itself ("出資企業は18社に膨らんだ" after the new company).
A figure goes to one fact: the one it agrees with, else the one whose terms the sentence holds
most, else the nearest in value. A differing figure is
kept only within the fact's revision factor: 9 trillion yen of defense spending is not a report of
a 300 billion yen budget line. For a count stated without its figure as often as with it (firms,
engineers), several counts in one sentence are a breakdown, not a new total.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from monitor.facts.definitions import Fact, FactBook, TermSet
from monitor.facts.sentences import Sentence
from monitor.figures import Figure, find_figures
from monitor.text import fold


@dataclass(frozen=True)
class Mention:
    fact_id: str
    sentence: Sentence
    figure: Figure | None = None  # the figure as found (value, unit, text as written)
    agrees: bool | None = None  # None: the fact or the sentence has no figure
    name: str | None = None  # a proper name the sentence gives the fact's subject, not yet in its terms
    terms: tuple[str, ...] = ()  # the phrases that matched: the evidence beside the figure


def find_mentions(sentences: list[Sentence], lang: str | None, book: FactBook) -> list[Mention]:
    """Every (fact, sentence[, figure]) the sentences state, in sentence order."""
    mentions: list[Mention] = []
    folded = [fold(s.text) for s in sentences]
    for i, sentence in enumerate(sentences):
        previous = folded[i - 1] if i > 0 and sentences[i - 1].paragraph == sentence.paragraph else ""
        mentions.extend(_sentence_mentions(sentence, folded[i], previous, lang, book))
    return mentions


def _sentence_mentions(sentence: Sentence, folded: str, previous: str, lang: str | None, book: FactBook) -> list[Mention]:
    figures = [f for f in find_figures(sentence.text) if f.conversion_of is None]
    found: list[Mention] = []
    claimed: dict[int, tuple[tuple, Mention]] = {}  # figure index -> (rank, mention): one fact per figure
    for fact in book.facts:
        with_unit = fact.figure is not None and any(f.unit == fact.figure.unit for f in figures)
        quick = fact.any_term.get(lang, fact.known)
        if not with_unit and (quick is None or not quick.find(folded)):
            continue  # no figure of its unit and none of its phrases: it cannot be stated here
        term_sets = fact.term_sets(lang)
        missing, phrases = _best(term_sets, folded)
        if fact.figure is not None:
            for index, figure in enumerate(figures):
                if figure.unit != fact.figure.unit or not fact.figure.plausible(figure.value):
                    continue
                agrees = fact.figure.agrees(figure.value)
                if not agrees and fact.figure.optional and sum(f.unit == figure.unit for f in figures) > 1:
                    continue  # a breakdown ("60 from SoftBank and 30 from PFN"), not a new total
                still_missing = missing - agrees
                if still_missing > 0 and previous and (agrees or phrases):
                    still_missing = _best(term_sets, folded, previous)[0] - agrees
                if still_missing > 0:
                    continue
                rank = (agrees, len(phrases), -abs(math.log(figure.value / fact.figure.value)))
                if index not in claimed or rank > claimed[index][0]:
                    name = _new_name(fact, sentence.text, lang)
                    claimed[index] = (rank, Mention(fact.id, sentence, figure, agrees, name, phrases))
            if not fact.figure.optional or any(m.fact_id == fact.id for _, m in claimed.values()):
                continue
        if phrases and missing == 0:
            found.append(Mention(fact.id, sentence, name=_new_name(fact, sentence.text, lang), terms=phrases))
    found.extend(mention for _, mention in claimed.values())
    return sorted(found, key=lambda m: (m.figure.start if m.figure else -1, m.fact_id))


def _best(term_sets: tuple[TermSet, ...], folded: str, previous: str = "") -> tuple[int, tuple[str, ...]]:
    """(groups missing, phrases found) for the term set a sentence (with the one before it, if
    given) comes closest to holding."""
    best: tuple[int, tuple[str, ...]] | None = None
    for term_set in term_sets:
        phrases = tuple(p for p in (group.find(folded) or group.find(previous) for group in term_set.groups) if p)
        missing = len(term_set.groups) - len(phrases)
        if best is None or missing < best[0]:
            best = (missing, phrases)
    return best or (0, ())


# A name in quotes or brackets shortly after one of the fact's naming words: 新会社「日本AIファウンデーション」,
# 新会社の社名は「...」, 합작사 ‘재팬AI파운데이션(Japan AI Foundation)’, the new company, "Japan AI Foundation".
# Quoted speech is not a name: the quote may not hold sentence punctuation.
_QUOTED = re.compile(r"[^「『‘“\"'。．！？!?]{0,8}?[「『‘“\"']((?:(?!\.\s)[^」』’”\"'、。，,！？!?]){2,40})[」』’”\"']")
_PARENTHESIS = re.compile(r"\s*[(（][^)）]*[)）]\s*$")
# English apposition: "Japan AI Foundation, the joint company ..." or "the joint company, Japan AI Foundation,".
_CAPITALIZED = r"((?:[A-Z][\w.&-]*)(?:\s+(?:[A-Z][\w.&-]*|of|for|and))*)"


def _new_name(fact: Fact, text: str, lang: str | None) -> str | None:
    words = fact.names.get(lang) if lang else None
    if words is None:
        return None
    for word in words.phrases:
        for hit in re.finditer(re.escape(word), text, re.IGNORECASE):
            quoted = _QUOTED.match(text, hit.end())
            if quoted:
                return _unless_known(fact, quoted.group(1))
        if lang == "en":
            before = re.search(rf"{_CAPITALIZED},\s+the\s+{re.escape(word)}\b", text)
            after = re.search(rf"\bthe\s+{re.escape(word)},\s+{_CAPITALIZED},", text)
            for hit in (before, after):
                if hit:
                    return _unless_known(fact, hit.group(1))
    return None


def _unless_known(fact: Fact, name: str) -> str | None:
    name = _PARENTHESIS.sub("", name).strip()  # 재팬AI파운데이션(Japan AI Foundation): the name as written first
    if fact.known is not None and fact.known.find(fold(name)) == fold(name):
        return None
    return name

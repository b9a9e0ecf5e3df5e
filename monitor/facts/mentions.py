"""Which tracked facts a text states, sentence by sentence, with the figure as evidence.

A fact is defined by groups of phrases (each group a concept: "the new company", "founding"); a
sentence states it when every group is found there, or in the sentence right before it in the same
paragraph ("Japan relies on American AI. Officials call that a security risk."), provided the
sentence itself holds at least half of the groups, or the fact's figure. A fact may also name
phrases that rule it out in a sentence (`unless`: a 3 trillion yen *budget* is not the program's
public-private total). A fact with a
(non-optional) figure needs a figure of its unit in the sentence itself; a figure that agrees with
the tracked one stands in for one group ("당초 알려진 약 3000억엔보다 늘어난 규모다" states F3 by its
figure alone). The headline counts as a sentence of its own (index -1): headlines state facts.

A figure goes to one fact and a fact takes one figure per sentence: agreeing pairs first, then the
facts whose groups the sentence holds most, then the nearest in value. A differing figure is kept only within the fact's revision
factor: 9 trillion yen of defense spending is not a report of a 300 billion yen budget line. For a
count (firms, engineers), several counts in one
sentence are a breakdown, not a new total.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import cache

from monitor.facts.definitions import Fact, FactBook, TermSet
from monitor.facts.sentences import Sentence
from monitor.figures import Figure, answered, counted_before, find_figures, revisions
from monitor.lang import language
from monitor.lang.phrases import Phrases, Prepared, Screen, compile_phrases, prepare
from monitor.text import fold


@dataclass(frozen=True)
class Mention:
    fact_id: str
    sentence: Sentence
    figure: Figure | None = None  # the figure as found (value, unit, text as written)
    agrees: bool | None = None  # None: the fact or the sentence has no figure
    name: str | None = None  # a proper name the sentence gives the fact's subject, not yet in its terms
    terms: tuple[str, ...] = ()  # the phrases that matched: the evidence beside the figure
    borrowed: bool = False  # some of the fact's words came from the sentence before


def find_mentions(
    sentences: list[Sentence],
    lang: str | None,
    book: FactBook,
    prepared: list[Prepared] | None = None,
    figures: list[list[Figure]] | None = None,
) -> list[Mention]:
    """Every (fact, sentence[, figure]) the sentences state, in sentence order. `prepared` and
    `figures`: the sentences already prepared for phrase search and their figures (the caller's,
    to read each sentence once)."""
    prepared = prepared or [prepare(s.text, lang) for s in sentences]
    figures = figures or [find_figures(s.text) for s in sentences]
    screening = _screening(book, lang)
    mays = [screening.screen.of(text) for text in prepared]  # the lists each sentence may hold: only those are searched
    mentions: list[Mention] = []
    before: set[str] = set()
    for i, sentence in enumerate(sentences):
        if _HASHTAGS.fullmatch(sentence.text):
            before = set()
            continue  # a line of hashtags (#国産AI #フィジカルAI) lists topics, it states nothing
        neighbours = ([(prepared[i - 1], mays[i - 1])] if i > 0 and sentence.index > 0 and not _HASHTAGS.fullmatch(sentences[i - 1].text)
                      and (sentences[i - 1].paragraph == sentence.paragraph or _answers(sentences[i - 1], sentence)) else [])  # fmt: skip
        read = figures[i]
        if any(f.tabled for f in read):
            neighbours = []  # a data block's row states what it holds itself, not with the row above it
        if read and i > 0 and sentence.paragraph == sentences[i - 1].paragraph + 1:
            # the paragraph before asks for a count ("How many engineers will it start with?" / "About
            # 100, mostly seconded from SoftBank"): what it asks for is what the answer's number counts
            first = i - 1
            while first > 0 and sentences[first - 1].paragraph == sentences[i - 1].paragraph:
                first -= 1
            asked = next((s.text for s in reversed(sentences[first:i]) if _QUESTION.search(s.text)), None)
            if asked is not None:
                read = answered(asked, sentence.text, read)
        elif read and i > 0 and sentence.index > 0 and sentence.paragraph == sentences[i - 1].paragraph:
            # "Engineers. Around 100 of them, drawn from SoftBank": the count of the noun just named
            read = counted_before(sentences[i - 1].text, sentence.text, read)
        found = _sentence_mentions(sentence, prepared[i], mays[i], read, neighbours, lang, book, screening)
        # A sentence that only continues the one before it ("The company will ...") adds nothing when
        # the one before already stated the fact.
        found = [m for m in found if not (m.borrowed and m.figure is None and m.fact_id in before)]
        mentions.extend(found)
        before = {m.fact_id for m in found} if neighbours or i + 1 < len(sentences) else set()
    return mentions


def _sentence_mentions(
    sentence: Sentence,
    text: Prepared,
    may: set[int],
    read: list[Figure],
    neighbours: list[tuple[Prepared, set[int]]],
    lang: str | None,
    book: FactBook,
    screening: _Screening,
) -> list[Mention]:
    # A conversion in parentheses is the main figure again, unless it is in another unit: "$19 billion
    # (about ¥3 trillion)", "약 28조원(약 3조엔)" give the yen the fact is tracked in second.
    figures = [
        f for f in read
        # an increment or a rate per year is no fact's figure
        if (f.conversion_of is None or f.unit != read[f.conversion_of].unit) and not f.increment and not f.per_year
    ]  # fmt: skip
    revised = revisions(sentence.text, figures)  # new figure -> the old one it replaces
    found: list[Mention] = []
    candidates: list[tuple[tuple, int, Mention]] = []  # (rank, figure index, mention)
    accounted: list[tuple[Fact, _Held]] = []  # optional-figure facts beside a sum of their unit
    units = {f.unit for f in figures}
    for fact in book.facts:
        with_unit = fact.figure is not None and fact.figure.unit in units
        quick = fact.any_term.get(lang, fact.known)
        if not with_unit and (quick is None or id(quick) not in may):
            continue  # no figure of its unit and none of its phrases: it cannot be stated here
        unless = fact.unless.get(lang) if fact.unless else None
        if unless is not None and id(unless) in may and unless.find(text):
            continue  # the sentence speaks of something this fact is not
        term_sets = fact.term_sets(lang)
        held = _held(term_sets, text, may, neighbours, with_unit, screening.groups)
        # A way of stating the fact ruled out here (a budget's size is not the plan's) also rules out
        # its figure standing alone for it.
        vetoed = len(held) < len(term_sets)
        if fact.figure is not None:
            for index, figure in enumerate(figures):
                if figure.unit != fact.figure.unit or not fact.figure.plausible(figure.value):
                    continue
                agrees = fact.figure.agrees(figure.value, figure.approx) and not figure.speculative
                if not agrees and fact.figure.count and index not in revised and sum(f.unit == figure.unit for f in figures) > 1:
                    continue  # a breakdown ("60 from SoftBank and 30 from PFN"), not a new total
                # The new figure of a revision stands where the old one does: "約100人から約300人".
                was = figures[revised[index]] if index in revised else None
                # A figure stands in for a fact's only group of words when it is the sentence's one sum
                # of its unit: beside another ("4.1 trillion yen, above the 3 trillion mark") it may be anything.
                # ... and when it is the tracked figure as written ("3兆円", "about ¥300 billion"), not a
                # sum that only falls within the tolerance ("operating profit rose to ¥271 billion").
                alone = not vetoed and sum(f.unit == figure.unit for f in figures) == 1 and (
                    figure.approx or figure.bound is not None or abs(figure.value / fact.figure.value - 1) <= 0.02
                )
                best = _best_with_figure(held, agrees or (was is not None and fact.figure.agrees(was.value, was.approx)), alone)
                if best is None:
                    continue
                phrases, here, borrowed = best
                # Which fact a figure reports: one it agrees with, else the nearest in value among
                # the facts the sentence itself speaks of.
                # Nearness counts in steps of a factor of about 1.6, so that a figure between two
                # tracked ones (2.5 trillion: SoftBank's 2 or the 3 in all?) goes by the sentence's words.
                distance = abs(math.log(figure.value / fact.figure.value))
                rank = (agrees, here > 0, -round(distance / 0.5), here, -distance, len(phrases))
                candidates.append((rank, index, Mention(fact.id, sentence, figure, agrees, None, phrases, borrowed)))
            if not fact.figure.optional:
                continue
            if any(m.fact_id == fact.id for _, _, m in candidates):
                accounted.append((fact, held))  # stated without its figure if another fact takes the sum
                continue
            if with_unit and not fact.figure.count:
                # an amount of another size is another sum (the 1.2 trillion yen for chips and AI),
                # unless every sum of its unit here is another fact's tracked figure: "Counting
                # SoftBank's data-centre build-out, the total is put at ¥3 trillion" (looked at below)
                accounted.append((fact, held))
                continue
        best = _best_without_figure(held)
        if best is not None:
            found.append(Mention(fact.id, sentence, terms=best[0], borrowed=best[1]))
    # Each figure to one fact; a fact takes one figure per sentence unless a figure is left that no
    # other fact wants ("150 billion parameters, short of the 1-trillion-parameter goal").
    used_figures: set[int] = set()
    used_facts: set[str] = set()
    ranked = sorted(candidates, key=lambda c: c[0], reverse=True)
    # A revision ("from about 1 trillion yen to about 1.5 trillion") reports both figures of one
    # fact: the new one goes where the old one goes, whichever fact it is nearer to.
    for new, old in revised.items():
        olds = [m for _, index, m in ranked if index == old]
        news = {m.fact_id: m for _, index, m in ranked if index == new}
        pair = next(((m, news[m.fact_id]) for m in olds if m.fact_id in news), None)
        if pair is not None and not {old, new} & used_figures:
            used_figures.update((old, new))
            used_facts.add(pair[0].fact_id)
            found.extend(pair)
    for second_pass in (False, True):
        for _, index, mention in ranked:
            if index in used_figures or (mention.fact_id in used_facts and not second_pass):
                continue
            used_figures.add(index)
            used_facts.add(mention.fact_id)
            found.append(mention)
    if accounted:
        agreeing = {m.figure.start for m in found if m.figure is not None and m.agrees}
        for fact, held in accounted:
            others = [f for f in figures if f.unit == fact.figure.unit]
            if all(f.start in agreeing for f in others) and not any(m.fact_id == fact.id for m in found):
                best = _best_without_figure(held)
                if best is not None:
                    found.append(Mention(fact.id, sentence, terms=best[0], borrowed=best[1]))
    # A name the sentence gives a fact's subject, looked for once per fact stated.
    names = {fact_id: _new_name(book.fact(fact_id), sentence.text, text, lang, book) for fact_id in {m.fact_id for m in found}}
    found = [replace(m, name=names[m.fact_id]) if names[m.fact_id] else m for m in found]
    named = book.names_fact
    if named is not None and not any(m.fact_id == named.id for m in found):
        # The company named states the company fact: a name given to it here ("a consortium called
        # Noetra"), or a name the story acquired (not counted as a report of the name: only naming
        # sentences teach names).
        new = _new_name(named, sentence.text, text, lang, book)
        if new:
            found.append(Mention(named.id, sentence, name=new, terms=(new,)))
        elif book.story.names is not None and (known := book.story.names.find(text)):
            found.append(Mention(named.id, sentence, terms=(known,)))
    return sorted(found, key=lambda m: (m.figure.start if m.figure else -1, m.fact_id))


_HASHTAGS = re.compile(r"\s*(?:[#＃][^\s#＃]+\s*)+")
# A question that ends its paragraph (an interviewer's, a reader's), and the paragraph after it that
# answers: "Reporter: How much is SoftBank spending on data centres?" / "Around ¥2 trillion ...".
_QUESTION = re.compile(r"[?？](?:\s*[」』”\"'’)）])?\s*$")


def _answers(question: Sentence, sentence: Sentence) -> bool:
    """`sentence` opens the paragraph right after the one `question` ends, and `question` asks."""
    return sentence.paragraph == question.paragraph + 1 and bool(_QUESTION.search(question.text))



# For each term set: per group, the phrase found in the sentence (here) or only next to it (near).
_Held = list[tuple[TermSet, list[str | None], list[str | None]]]


def _held(
    term_sets: tuple[TermSet, ...],
    text: Prepared,
    may: set[int],
    neighbours: list[tuple[Prepared, set[int]]],
    with_figure: bool,
    groups: dict[int, tuple[frozenset[int], int]],
) -> _Held:
    """Each term set's groups found here and next door. Next door is looked at only where it can
    count: a term set with a group in the sentence, or any when a figure could complete one
    (`with_figure`: the sentence has a figure of the fact's unit). A list is searched only in a
    text that `may` hold it; without a figure, a term set only when it may hold half its groups
    (`groups`: each term set's groups and that half, `_Screening.groups`)."""
    held = []
    for term_set in term_sets:
        if term_set.unless is not None and id(term_set.unless) in may and term_set.unless.find(text):
            continue  # the sentence speaks of something this way of stating the fact does not
        if term_set.without_figure and with_figure:
            # a way that never takes a figure, beside one of the fact's unit: a breakdown ("about 60
            # people from SoftBank and about 30 from Preferred Networks"), it states nothing here
            held.append((term_set, [None] * len(term_set.groups), [None] * len(term_set.groups)))
            continue
        if with_figure:
            here = [group.find(text) if id(group) in may else None for group in term_set.groups]
        elif len(may.intersection((wanted := groups[id(term_set)])[0])) < wanted[1]:
            here = [None] * len(term_set.groups)  # what `_groups_without_figure` finds, unsearched
        else:
            here = _groups_without_figure(term_set, text, may)
        if neighbours and (with_figure or any(here)):
            near = [None if h else next((p for p in (group.find(n) for n, there in neighbours if id(group) in there) if p), None)
                    for h, group in zip(here, term_set.groups)]  # fmt: skip
        else:
            near = [None] * len(here)
        held.append((term_set, here, near))
    return held


def _groups_without_figure(term_set: TermSet, text: Prepared, may: set[int]) -> list[str | None]:
    """The groups of `term_set` found in a sentence without a figure of the fact's unit, searched
    only as far as they can count: such a sentence states the fact only by a way of stating it
    without a figure, with at least half its groups in the sentence (`_best_without_figure`), so a
    way that needs a figure, or one that has missed more than half, is searched no further (all
    None: what the rest of its groups say cannot change the verdict)."""
    groups = term_set.groups
    here: list[str | None] = [None] * len(groups)
    if term_set.with_figure:
        return here
    allowed = len(groups) - (len(groups) + 1) // 2  # misses that still leave half in the sentence
    misses = 0
    for i, group in enumerate(groups):
        here[i] = group.find(text) if id(group) in may else None
        if here[i] is None:
            misses += 1
            if misses > allowed:
                return [None] * len(groups)
    return here


@dataclass(frozen=True)
class _Screening:
    """What `_sentence_mentions` asks of a language's sentences before it searches them."""

    facts: tuple[Fact, ...]  # the facts it was made for (held: their lists' ids stay theirs)
    # every list searched in a sentence: the facts' groups, their quick tests (`Fact.any_term`) and
    # what rules them out
    screen: Screen
    # id of a term set -> (the ids of its groups, how many of them a sentence must hold to state
    # the fact without a figure: half, `_best_without_figure`)
    groups: dict[int, tuple[frozenset[int], int]]


# Per process, per language, for the facts they were made for. (Ids are a process's own: this is
# never sent to a worker with the definitions, each makes its own.)
_SCREENINGS: dict[tuple[int, str | None], _Screening] = {}


def _screening(book: FactBook, lang: str | None) -> _Screening:
    """The screening of `lang`'s sentences for `book`'s facts, made once per process for each
    language and set of facts (a FactBook given learned names keeps its facts)."""
    key = (id(book.facts), lang)
    made = _SCREENINGS.get(key)
    if made is None or made.facts is not book.facts:
        lists, groups = [], {}
        for fact in book.facts:
            lists += [fact.any_term.get(lang, fact.known), fact.unless.get(lang) if fact.unless else None]
            for term_set in fact.term_sets(lang):
                lists += [*term_set.groups, term_set.unless]
                ids = frozenset(map(id, term_set.groups))
                # (a group given twice counts twice: such a set is always searched)
                groups[id(term_set)] = (ids, (len(term_set.groups) + 1) // 2 if len(ids) == len(term_set.groups) else 0)
        if len(_SCREENINGS) >= 16:
            _SCREENINGS.clear()  # definitions edited many times in one process: start again
        made = _SCREENINGS[key] = _Screening(book.facts, Screen(lst for lst in lists if lst is not None), groups)
    return made


def _best_with_figure(held: _Held, agrees: bool, alone: bool = True) -> tuple[tuple[str, ...], int, bool] | None:
    """(phrases, groups found in the sentence) of the best term set that a figure completes: every
    group found here or next door, an agreeing figure standing in for one; next door only when the
    sentence holds a group itself or the figure agrees. A figure with no words of the fact at all
    counts only when it is `alone`: the sentence's one figure of its unit."""
    best = None
    for term_set, here, near in held:
        if (term_set.agreeing_only and not agrees) or term_set.without_figure:
            continue
        groups = len(term_set.groups)
        in_sentence = groups - here.count(None)
        missing = groups - in_sentence - agrees
        if missing > 0 and (in_sentence or agrees):
            missing -= groups - near.count(None)
        if missing > 0:
            continue
        phrases = tuple(p for p in (*here, *near) if p)
        if not phrases and not alone and groups:
            continue  # the figure alone, beside another sum of its unit
        if best is None or (in_sentence, len(phrases)) > (best[1], len(best[0])):
            best = (phrases, in_sentence, in_sentence + agrees < groups)
    return best


def _best_without_figure(held: _Held) -> tuple[tuple[str, ...], bool] | None:
    """The phrases of a term set stated without a figure: every group found here or next door,
    with at least half of them (and one at least) in the sentence itself."""
    best = None
    for term_set, here, near in held:
        groups = len(term_set.groups)
        in_sentence = groups - here.count(None)
        if term_set.with_figure or not groups or in_sentence * 2 < groups or in_sentence == 0:
            continue
        if in_sentence + (0 if term_set.one_sentence else groups - near.count(None)) < groups:
            continue
        phrases = tuple(p for p in (*here, *near) if p)
        if best is None or (in_sentence == groups, len(phrases)) > (not best[1], len(best[0])):
            best = (phrases, in_sentence < groups)
    return best


# A name in quotes or brackets shortly after one of the fact's naming words: 新会社「日本AIファウンデーション」,
# 新会社の社名は「...」, 합작사 ‘재팬AI파운데이션(Japan AI Foundation)’, the new company, "Japan AI Foundation".
# Quoted speech is not a name: the quote may not hold sentence punctuation.
_QUOTED = re.compile(r"([^「『‘“\"'。．！？!?]{0,12}?)[「『‘“\"']((?:(?!\.\s)[^」』’”\"'、。，,！？!?]){2,40})[」』’”\"']")
_ANY_QUOTED = re.compile(r"[「『‘“\"']((?:(?!\.\s)[^」』’”\"'、。，,！？!?]){2,40})[」』’”\"']")
_PARENTHESIS = re.compile(r"\s*[(（][^)）]*[)）]\s*$")
# English apposition and naming verbs: "Japan AI Foundation, the joint company ...", "Noetra, the
# SoftBank-led venture", "the joint company, Japan AI Foundation,", "a consortium called Noetra",
# "the ministry chose Noetra".
_CAPITALIZED = r"((?:[A-Z][\w.&-]*)(?:\s+(?:[A-Z][\w.&-]*|of|for|and))*)"
_NAMED = re.compile(rf"\b(?:called|named|dubbed|known as|christened|renamed(?: as)?|tentatively named|tentatively called|(?:the\s+)?(?:provisional|tentative|working|interim|temporary)\s+name(?:\s+of)?)\s+[\"“']?{_CAPITALIZED}")
_CHOSEN = re.compile(rf"\b(?:chose|chosen|selected|picked|tapped|appointed|designated)\s+(?:the\s+)?[\"“']?{_CAPITALIZED}")
_NAMED_CJK = re.compile(r"(?:社名は|名称は|仮称は|이름은|사명은|명칭은|가칭)\s*[「『‘“\"']([^「」『』‘’“”\"']{2,30})[」』’”\"']")
# A transliteration beside the name in brackets: 노에트라(Noetra), ノエトラ（Noetra）, Noetra（ノエトラ）.
_TRANSLITERATED = re.compile(
    r"((?=[A-Za-z0-9]*[\uac00-\ud7a3\u30a0-\u30ff])[\uac00-\ud7a3\u30a0-\u30ffA-Za-z0-9]{2,16})\s?[(（]([A-Z][A-Za-z0-9 .&-]{1,30})[)）]"
    r"|([A-Z][A-Za-z0-9.&-]{1,30})\s?[(（]([\u30a0-\u30ff\uac00-\ud7a3]{2,12})[)）]"
)
# Japanese company names are given with their seat in brackets: ノエトラ（東京・港）.
_SEAT = re.compile(r"([\u30a0-\u30ffA-Za-z][\u30a0-\u30ffA-Za-z0-9・&-]{1,20})[(（](?:東京|大阪|名古屋|京都|福岡|札幌)[・･][^)）]{1,6}[)）]")
# A tentative name, marked so right after it: 日本AI基盤モデル開発株式会社（仮称、本社：東京都港区）,
# 재팬AI파운데이션(가칭). The company's legal form is not part of the name.
_TENTATIVE = re.compile(
    r"([\u30a0-\u30ff\u4e00-\u9fffA-Za-z0-9・&-]{2,30}?|[\uac00-\ud7a3A-Za-z0-9·&-]{2,30}?)"
    r"(?:株式会社|㈱|\s?주식회사)?[」』”\"’']?\s?[(（](?:仮称|가칭)[)）、,，\s]"
)


def _marks_tentative(text: str) -> bool:
    """Whether `text` holds a tentative-name marker at all: the test that spares most sentences
    `_TENTATIVE`'s search, which tries a name's length at every position (a tenth of a sentence's
    linking time when run on every one)."""
    return "仮称" in text or "가칭" in text


# Words that choose a developer ("selected Noetra"): a name near them is the company's too.
# (searched in lower-cased text: a case-blind pattern is tried at every position, four times slower)
_CHOOSING = re.compile(r"선정|낙점|지정|選定|選ん|選ば|選び|指名|chose|chosen|selected|picked|tapped")
# ... and verbs that also take resolutions, proposals and things to use (採択, 고른): only a name beside
# its legal form counts after them, never any quotation ("決議を採択した", "\"경량 모델\"을 골라 쓴다").
_ADOPTING = re.compile(r"採択|고른|골랐")
_NOT_NAMES = {"the", "it", "a", "an", "japan", "japanese", "tokyo", "ai", "meti", "nedo", "softbank", "the company", "this",
              # a role capitalized as a notice or a contract writes it ("the selected Applicant")
              "applicant", "the applicant", "applicants", "bidder", "the bidder", "contractor", "the contractor", "developer",
              "the developer", "recipient", "grantee", "participant"}


@cache
def _founding(lang: str) -> Phrases:
    """The language's own words of founding (its `found` concept), compiled once."""
    spec = language(lang)
    return compile_phrases(spec.concepts.get("found", ()) if spec else (), lang)


@cache
def _literal(word: str) -> re.Pattern:
    """A naming word as a case-blind pattern, compiled once."""
    return re.compile(re.escape(word), re.IGNORECASE)


def _new_name(fact: Fact, text: str, prepared: Prepared, lang: str | None, book: FactBook) -> str | None:
    words = fact.names.get(lang) if lang else None
    if words is None:
        return None
    company = words.find(prepared) is not None
    choosing = bool(_CHOOSING.search(text.lower()))
    # Beside a tentative-name marker (（仮称）, (가칭)) and a word of founding, the name is a new body's
    # even where no word for a company stands ("ソフトバンクなどが設立した「日本AI基盤モデル開発」（仮称）は").
    tentative = _marks_tentative(text)
    founded = tentative and _TENTATIVE.search(text) is not None and _founding(lang).find(prepared) is not None
    if not (company or choosing or founded):
        return None
    # A name set right after a naming word, unquoted, or beside its legal form is taken only where the
    # sentence names the program too, or the developer's role: "国産AI基盤モデルの開発会社Noetraが" (not
    # "로봇 개발사 Rainbow는").
    program = None  # (looked for once, when it is asked)

    def names_program() -> bool:
        nonlocal program
        if program is None:
            program = lang != "en" and (book.story.anchor_in(lang, prepared) is not None or _DEVELOPER_ROLE.search(text) is not None)
        return program

    for word in words.phrases:
        for hit in _literal(word).finditer(text):
            if hit.start() > 2 and text.endswith("株式", 0, hit.start()):
                continue  # "日本電気株式会社「信頼できるAIを社会へ」": a company's legal form after its name, then what it said
            apposed = _APPOSED_NAME.match(text, hit.end()) if len(word.replace(" ", "")) >= 3 else None
            if apposed and names_program():
                # ... before any quotation after it ("開発会社Noetraが「試行版」の"; not 会社 alone, which ends
                # 株式会社 and 子会社)
                name = _unless_known(book, apposed.group(1))
                if name:
                    return name
            quoted = _QUOTED.match(text, hit.end())
            if quoted and not _AND.search(quoted.group(1)) and not _UNOPENED.search(quoted.group(1)):
                # (not "社名と「ひとこと」", "새 회사는 사명과 "...": the name and something else; not a quotation
                # after the bracket the naming word stood in: "（社名の記載なし）「ロボットへの応用に期待」")
                return _unless_known(book, quoted.group(2))
    # A name in brackets (each of these patterns needs one; a tentative name also its marker).
    bracketed = ((_TRANSLITERATED, _SEAT, _TENTATIVE) if tentative else (_TRANSLITERATED, _SEAT)) if "(" in text or "（" in text else ()
    for pattern in bracketed:
        for found in pattern.finditer(text):
            groups = [g for g in found.groups() if g]
            latin = next((g for g in groups if g.isascii()), "")
            if len(groups) == 2 and (latin.isupper() and len(latin) <= 5):
                continue  # 인공지능(AI), 프리퍼드네트웍스(PFN): a gloss or an abbreviation, not a name
            name = f"{groups[0]}({groups[1]})" if len(groups) == 2 else groups[0]
            name = _unless_known(book, name, keep_brackets=len(groups) == 2)
            if name:
                return name
    if (choosing or _ADOPTING.search(text)) and (legal := _LEGAL_FORM.search(text)) and names_program():
        name = _unless_known(book, legal.group(1) or legal.group(2))
        if name:
            return name
    if lang == "en":
        noun = "|".join(re.escape(p) for p in words.phrases)
        appositions = (
            re.search(rf"{_CAPITALIZED},\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){{0,5}}?(?:{noun})\b(?!['’]s)", text),
            re.search(rf"\bthe\s+(?:{noun}),\s+{_CAPITALIZED},", text),
            _NAMED.search(text),
            _CHOSEN.search(text) if choosing else None,
        )
        for hit in appositions:
            if hit:
                name = _unless_known(book, hit.group(1))
                if name:
                    return name
    else:
        named = _NAMED_CJK.search(text)
        if named:
            return _unless_known(book, named.group(1))
        if choosing:
            quoted = _ANY_QUOTED.search(text)
            if quoted:
                return _unless_known(book, quoted.group(1))
            chosen = _CHOSEN_KANA.search(text) if _CHOSEN_AS.search(text) else None  # (as the developer)
            if chosen:
                return _unless_known(book, chosen.group(1) or chosen.group(2))

    return None


# ... chosen as the developer, the role and に right before the verb (not "パートナーを選んだ", "調達先に
# エヌビディアを選んだ", "委託先に選ばれたアクセンチュア")
_CHOSEN_AS = re.compile(r"(?:開発事業者|開発会社|開発元|開発企業|開発主体)に(?:選ばれた|選定された|選び|選ん|選定し|指名)")
# A name in katakana that a verb of choosing takes, unquoted: "開発事業者に選ばれたノエトラについて",
# "経産省が、ノエトラを国産AI基盤モデルの開発事業者に選びました" (katakana runs end where the name does).
_CHOSEN_KANA = re.compile(
    r"(?:選ばれた|選定された|選んだ|指名された)([\u30a1-\u30fa][\u30a1-\u30fcー・]{1,15})(?=[はがをにのへと、（(]|について)"
    r"|(?<![\u30a1-\u30fc])([\u30a1-\u30fa][\u30a1-\u30fcー・]{1,15})を[^。、]{0,30}?(?:選定|選び|選ん|指名)"
)


# The role the program's company was chosen for, which names the program as well as its words do:
# "経産省は開発事業者としてノエトラ株式会社を採択した", "주식회사 Noetra를 개발 사업자로 선정했다".
_DEVELOPER_ROLE = re.compile(r"開発事業者|개발\s?사업자")
# A name written in Latin letters or katakana, whole (a run of them, not part of a longer one).
_NAME_RUN = r"(?<![A-Za-z0-9\u30a1-\u30fcー])([A-Z][A-Za-z0-9&.-]{1,30}|[\u30a1-\u30fa][\u30a1-\u30fcー・]{1,15})(?![A-Za-z0-9\u30a1-\u30fcー])"
_LEGAL_FORMS = r"(?:株式会社|주식회사|㈱|㈜)"
# ... right after a naming word: "開発会社Noetraが", "합작사 Noetra는".
_APPOSED_NAME = re.compile(rf"\s?{_NAME_RUN}")
# ... beside its legal form, where a verb of choosing takes it: "開発事業者として、Noetra株式会社を採択しました",
# "주식회사 Noetra를 선정".
_LEGAL_FORM = re.compile(rf"{_LEGAL_FORMS}\s?{_NAME_RUN}|{_NAME_RUN}\s?{_LEGAL_FORMS}")
# "と", "や", "및", "and" ending what stands between a naming word and a quotation: the quotation is the
# other thing named ("社名と「ひとこと」", "사명과 "함께 만드는 AI"라는 구호").
_AND = re.compile(r"(?:と|や|及び|および|및|와|과|\band|\bor)\s*$")
# A closing bracket with no opening one before it: the naming word stood inside brackets, the quotation
# is outside them (a bracket closed inside, "新会社（仮称）「ノエトラ」", is the name's gloss).
_UNOPENED = re.compile(r"^[^(（]*[)）]")


# A quotation's end, never a company's name's: a Korean or Japanese predicate ("제시하겠다", "~입니다",
# "進めたい", "です").
_SAYING = re.compile(r"(?:[겠했었한된있없이]다|니다|어요|아요|[ぁ-ん]たい|です|ます|ない|した)$")


def _unless_known(book: FactBook, name: str, keep_brackets: bool = False) -> str | None:
    """The name as reported, unless it is a word the definitions already know (a term of the fact,
    a participant) or no name at all. "재팬AI파운데이션(Japan AI Foundation)": the name as written
    first, unless the brackets hold its transliteration (kept: both forms are the name)."""
    pair = _TRANSLITERATED.fullmatch(name.strip(" \"'“”‘’「」『』"))
    if pair and not any(g and g.isascii() and g.isupper() and len(g) <= 5 for g in pair.groups()):
        keep_brackets = True  # ベルトラ（Veltora）: the name and its transliteration, both the name
    if not keep_brackets:
        name = _PARENTHESIS.sub("", name).strip()
    name = name.strip(" \"'“”‘’「」『』,;:")
    if name.endswith(".") and not re.search(r"\b(?:Co|Inc|Corp|Ltd|Bros|Jr|Plc)\.$", name):
        name = name[:-1]  # the sentence's full stop, not "Co."
    name = re.sub(r"^(?:[\w.&]+-(?:backed|led|owned|based|funded|affiliated)\s+)+", "", name)  # "SoftBank-backed Noetra"
    if len(name) < 2 or name.casefold() in _NOT_NAMES or name.isdigit():
        return None
    if len(name.split()) > 6 or _SAYING.search(name):
        return None  # a quotation ("...공모 단계에서 구체적으로 제시하겠다"), not a name
    if any(f.unit is not None and 2 * (f.end - f.start) >= len(name) for f in find_figures(name)):
        return None  # a figure in quotes ("출자는 「約10社」か「十数社」か"), not a name
    if book.known is not None and book.known.whole(fold(name)):
        return None
    return name

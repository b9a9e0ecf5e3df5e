"""The fact definitions (`facts.yaml`): the story's anchors and look-alikes, the tracked facts with
their figures and identifying terms per language, and the outlets credited in attributions.

    book = load_factbook("facts.yaml")
    book.facts[0].id, book.facts[0].figure.value  -> "F1", 3e12

Phrases are read once here, per language (`monitor.lang.phrases`: English by word stems,
Korean and Japanese by characters), and compiled where first searched; the linking code only
searches. A phrase list may name a
concept as `@dependence`: the concept's phrases in that language, from the language's own
vocabulary (`monitor.lang.<code>`) or from the file's `concepts` section. A bad definition raises
`FactsError` naming the file, the entry and the field.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from contextvars import ContextVar
from datetime import date
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from monitor.figures import UNITS
from monitor.lang import CODES, language
from monitor.lang.phrases import Phrases, Prepared, compile_phrases
from monitor.text import fold, phrase_pattern

LANGS = CODES


class FactsError(ValueError):
    """A fact definition that cannot be used, with where it is."""

    def __init__(self, message: str, path: str | Path | None = None, entry: str | None = None, field: str | None = None):
        self.message, self.path, self.entry, self.field = message, path, entry, field
        where = ": ".join(part for part in (str(path) if path else None, entry, field) if part)
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class TermSet:
    """Groups of phrases: a sentence matches when it holds a phrase of every group (and, for a set
    given `with_figure: true`, a figure of the fact's unit: "nine companies are members"). A set
    given `agreeing_only: true` states the fact only with the tracked figure: a different figure
    said in those words is another quantity (METI's one-year chip-and-AI budget is not its five-year
    support). A set given `one_sentence: true` is stated without a figure only within one sentence:
    none of its groups is taken from the sentence before ("Engineers are scarce." after a sentence
    on SoftBank is not who staffs the company); with the fact's figure it may still be. A set given
    `without_figure: true` states the fact only without a figure: a figure said in its words is a
    part ("about 60 people from SoftBank and about 30 from Preferred Networks")."""

    groups: tuple[Phrases, ...]
    with_figure: bool = False
    agreeing_only: bool = False
    one_sentence: bool = False
    without_figure: bool = False
    unless: Phrases | None = None  # phrases that rule this way of stating the fact out in a sentence


APPROX_COUNT_TOLERANCE = 0.2


@dataclass(frozen=True)
class FactFigure:
    value: float
    unit: str
    tolerance: float = 0.1  # relative
    optional: bool = False  # the fact is often stated without its figure
    revision_factor: float = 3.0  # a differing figure within this factor is a report of this fact
    period: str | None = None

    @property
    def count(self) -> bool:
        """A count (firms, people): reports break it down ("60 from SoftBank and 30 from PFN") and
        other stories share it, unlike an amount of money or of parameters."""
        return self.unit in ("firms", "people")

    def agrees(self, value: float, approx: bool = False) -> bool:
        """Within the tolerance; an approximate count ("a dozen or so firms", "백 명 남짓") within 20%
        at least: the writer rounds, so "about ten" and "a dozen or so" are one report."""
        tolerance = max(self.tolerance, APPROX_COUNT_TOLERANCE) if approx and self.count else self.tolerance
        return abs(value - self.value) <= tolerance * abs(self.value)

    def plausible(self, value: float) -> bool:
        return value > 0 and abs(math.log(value / self.value)) <= math.log(self.revision_factor)


@dataclass(frozen=True)
class Fact:
    id: str
    statement: dict[str, str]
    figure: FactFigure | None
    terms: dict[str, tuple[TermSet, ...]]  # language -> alternative term sets
    names: dict[str, Phrases] = field(default_factory=dict)  # words a new name follows ("新会社「...」")
    known: Phrases | None = None  # every phrase of its terms: a name among them is not new
    # per language, every phrase of the sets that need no figure of its unit: a quick "none here" for
    # a sentence without one (monitor.facts.mentions)
    any_term: dict[str, Phrases] = field(default_factory=dict)
    unless: dict[str, Phrases] = field(default_factory=dict)  # per language: phrases that rule the fact out in a sentence

    def term_sets(self, lang: str | None) -> tuple[TermSet, ...]:
        if lang in self.terms:
            return self.terms[lang]
        return tuple(ts for sets in self.terms.values() for ts in sets)


@dataclass(frozen=True)
class Lookalike:
    name: str
    phrases: dict[str, Phrases]
    # Another country's or company's own program: a headline naming it makes the article about
    # that program, whatever figures of ours it quotes for comparison.
    rival: bool = False
    # Another country's: a headline naming Japan beside it compares the two ("日本・韓国・フランス").
    abroad: bool = False


@dataclass(frozen=True)
class Story:
    name: str
    anchors: dict[str, Phrases]
    context: dict[str, Phrases]  # languages absent here need no context
    lookalikes: tuple[Lookalike, ...]
    # Proper names of the program's company that identify the story in any language: confirmed in
    # facts.yaml (`story.names`) or learned from the archive (see monitor.facts.names).
    names: Phrases | None = None
    name_list: tuple[str, ...] = ()
    # The day the story began (`story.began`): an article published before it does not report it.
    began: date | None = None
    # The company's backers, each by its names per language (`story.members`): several named in one
    # sentence ("SoftBank, Honda, Sony and NEC") name the consortium; `members_min` of them.
    members: tuple[dict[str, Phrases], ...] = ()
    members_min: int = 4
    # Words that name the program only beside others in the same sentence (`story.anchors_beside`):
    # a generic "기초 AI 모델" is the program's model beside a sum in yen, another country's beside won.
    # Each: (anchors per language, companions per language).
    anchors_beside: tuple[tuple[dict[str, Phrases], dict[str, Phrases]], ...] = ()

    def anchor_in(self, code: str, text: Prepared) -> str | None:
        """The phrase of `text` that names the program in language `code`, if any."""
        found = self.anchors[code].find(text) if code in self.anchors else None
        if found:
            return found
        for anchors, beside in self.anchors_beside:
            if code in anchors and code in beside and (found := anchors[code].find(text)) and beside[code].find(text):
                return found
        return None


@dataclass(frozen=True)
class Outlets:
    cues: dict[str, Phrases]
    names: dict[str, str]  # alias as folded -> canonical name
    pattern: re.Pattern  # any alias, longest first


@dataclass(frozen=True)
class FactBook:
    story: Story
    facts: tuple[Fact, ...]
    outlets: Outlets
    version: str  # digest of the definitions: links made from another version are stale
    rejected_names: frozenset[str] = frozenset()  # folded names that never identify the story
    known: Phrases | None = None  # every phrase of the definitions: a name among them is not new

    def fact(self, fact_id: str) -> Fact:
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        raise KeyError(fact_id)

    @property
    def names_fact(self) -> Fact | None:
        """The fact whose subject the story's names name (the first fact with naming words: the company)."""
        return next((fact for fact in self.facts if fact.names), None)

    def with_names(self, names: list[str] | tuple[str, ...]) -> "FactBook":
        """The same definitions, with `names` (learned from the archive) identifying the story too.
        The version changes with the names, so a relink applies them to the archive."""
        wanted = [n for n in dict.fromkeys([*self.story.name_list, *names]) if fold(n) not in self.rejected_names]
        if tuple(wanted) == self.story.name_list:
            return self
        story = replace(self.story, names=compile_phrases(wanted, None) if wanted else None, name_list=tuple(wanted))
        digest = hashlib.sha256(json.dumps([self.version, sorted(wanted)], ensure_ascii=False).encode()).hexdigest()[:16]
        return replace(self, story=story, version=digest)


def load_factbook(path: str | Path) -> FactBook:
    path = Path(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except OSError as exc:
        raise FactsError(f"cannot read: {exc.strerror or exc}", path) from exc
    except yaml.YAMLError as exc:
        raise FactsError(f"not valid YAML: {exc}", path) from exc
    return factbook_from_dict(raw, path)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a key given twice in one mapping: plain YAML keeps the last one
    silently, and a fact edited in two places would lose one edit without a word."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice in this mapping", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def factbook_from_dict(raw: Any, path: str | Path | None = None) -> FactBook:
    if not isinstance(raw, dict):
        raise FactsError("expected a mapping with story, facts and outlets", path)
    unknown = set(raw) - {"story", "facts", "outlets", "concepts"}
    if unknown:
        raise FactsError(f"unknown section(s): {', '.join(sorted(unknown))}", path)
    for section in ("story", "facts", "outlets"):
        if section not in raw:
            raise FactsError(f"missing section '{section}'", path)
    facts = raw["facts"]
    if not isinstance(facts, list) or not facts:
        raise FactsError("expected a non-empty list of facts", path, "facts")
    concepts = _concepts(raw.get("concepts") or {}, path)
    token = _CONCEPTS.set(concepts)
    try:
        return _book(raw, facts, path)
    finally:
        _CONCEPTS.reset(token)


def _book(raw: dict, facts: list, path) -> FactBook:
    parsed = tuple(_fact(entry, i, path) for i, entry in enumerate(facts))
    ids = [fact.id for fact in parsed]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise FactsError(f"duplicate fact id(s): {', '.join(duplicated)}", path, "facts")
    version = hashlib.sha256(
        json.dumps([raw, _VOCABULARY_VERSION], sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()[:16]
    story = _story(raw["story"], path)
    rejected = frozenset(fold(str(n)) for n in (raw["story"].get("rejected_names") or []))
    phrases = [p for fact in parsed if fact.known for p in fact.known.phrases]
    phrases += [p for anchors in story.anchors.values() for p in anchors.phrases]
    phrases += [p for lookalike in story.lookalikes for ps in lookalike.phrases.values() for p in ps.phrases]
    return FactBook(story, parsed, _outlets(raw["outlets"], path), version, rejected, compile_phrases(phrases, None))


# -- sections ------------------------------------------------------------------------------------


def _story(raw: Any, path) -> Story:
    where = "story"
    _mapping(raw, path, where, required={"anchors"}, allowed={"name", "began", "anchors", "anchors_beside", "context", "lookalikes", "names", "rejected_names", "members", "members_min"})
    lookalikes = []
    for i, entry in enumerate(raw.get("lookalikes") or []):
        entry_where = f"story.lookalikes[{i}]"
        _mapping(entry, path, entry_where, required={"name"}, allowed={"name", "rival", "abroad", *LANGS})
        flags = {key: entry.get(key, False) for key in ("rival", "abroad")}
        for key, value in flags.items():
            if not isinstance(value, bool):
                raise FactsError("must be true or false", path, entry_where, key)
        phrases = _per_language(entry, path, entry_where, exclude={"name", "rival", "abroad"})
        lookalikes.append(Lookalike(str(entry["name"]), phrases, **flags))
    names = _phrase_list(raw["names"], path, where, "names") if raw.get("names") else []
    if raw.get("rejected_names"):
        _phrase_list(raw["rejected_names"], path, where, "rejected_names")
    if not isinstance(raw.get("members") or [], list):
        raise FactsError("expected a list of companies, each a mapping of language to names", path, where, "members")
    members = tuple(_per_language(entry, path, f"{where}.members[{i}]") for i, entry in enumerate(raw.get("members") or []))
    members_min = raw.get("members_min", 4)
    if isinstance(members_min, bool) or not isinstance(members_min, int) or members_min < 2:
        raise FactsError(f"expected a whole number of at least 2, got {members_min!r}", path, where, "members_min")
    beside = []
    for i, entry in enumerate(raw.get("anchors_beside") or []):
        entry_where = f"{where}.anchors_beside[{i}]"
        _mapping(entry, path, entry_where, required={"anchors", "beside"}, allowed={"anchors", "beside"})
        beside.append((_per_language(entry["anchors"], path, f"{entry_where}.anchors"),
                       _per_language(entry["beside"], path, f"{entry_where}.beside")))
    began = raw.get("began")
    if began is not None and not isinstance(began, date):
        try:
            began = date.fromisoformat(str(began))
        except ValueError:
            raise FactsError(f"expected a date (YYYY-MM-DD), got {began!r}", path, where, "began") from None
    return Story(
        name=str(raw.get("name") or "the story"),
        began=began,
        anchors=_per_language(raw["anchors"], path, f"{where}.anchors", every_language=True),
        context=_per_language(raw.get("context") or {}, path, f"{where}.context"),
        lookalikes=tuple(lookalikes),
        names=compile_phrases(names, None) if names else None,
        name_list=tuple(names),
        members=members,
        members_min=members_min,
        anchors_beside=tuple(beside),
    )


def _fact(raw: Any, index: int, path) -> Fact:
    where = f"facts[{index}]"
    _mapping(raw, path, where, required={"id", "statement", "terms"}, allowed={"id", "statement", "figure", "terms", "names", "unless"})
    fact_id = str(raw["id"])
    where = f"fact {fact_id}"
    statement = raw["statement"]
    if not isinstance(statement, dict) or not statement.get("en"):
        raise FactsError("needs a statement per language, at least 'en'", path, where, "statement")
    _languages(statement, path, where, "statement")
    figure = _figure(raw["figure"], path, where) if raw.get("figure") is not None else None
    alternatives = raw["terms"] if isinstance(raw["terms"], list) else [raw["terms"]]
    terms: dict[str, list[TermSet]] = {}
    for alternative in alternatives:
        if not isinstance(alternative, dict):
            raise FactsError("expected a mapping of language to groups of phrases (or a list of them)", path, where, "terms")
        alternative = dict(alternative)
        with_figure = alternative.pop("with_figure", False)
        if not isinstance(with_figure, bool) or (with_figure and figure is None):
            raise FactsError("with_figure: true or false, and only for a fact with a figure", path, where, "terms")
        agreeing_only = alternative.pop("agreeing_only", False)
        if not isinstance(agreeing_only, bool) or (agreeing_only and (figure is None or (figure.optional and not with_figure))):
            raise FactsError("agreeing_only: true or false, and only for a fact with a figure (with with_figure: true "
                             "where the figure is optional)", path, where, "terms")
        one_sentence = alternative.pop("one_sentence", False)
        if not isinstance(one_sentence, bool):
            raise FactsError("one_sentence: true or false", path, where, "terms")
        without_figure = alternative.pop("without_figure", False)
        if not isinstance(without_figure, bool) or (without_figure and (with_figure or agreeing_only)):
            raise FactsError("without_figure: true or false, and not with with_figure or agreeing_only", path, where, "terms")
        unless = _per_language(alternative.pop("unless", None) or {}, path, f"{where}.terms.unless")
        _languages(alternative, path, where, "terms")
        for lang, groups in alternative.items():
            term_set = _term_set(groups, path, where, f"terms.{lang}", lang)
            flags = {"with_figure": with_figure, "agreeing_only": agreeing_only, "one_sentence": one_sentence,
                     "without_figure": without_figure, "unless": unless.get(lang)}
            terms.setdefault(lang, []).append(replace(term_set, **flags))
    missing = [lang for lang in LANGS if lang not in terms]
    if missing:
        raise FactsError(f"no terms for {', '.join(missing)}", path, where, "terms")
    if not (figure and not figure.optional):
        empty = [lang for lang, sets in terms.items() if any(not ts.groups for ts in sets)]
        if empty:
            raise FactsError(
                f"empty terms for {', '.join(empty)}: only a fact with a required figure can be recognized by it alone",
                path, where, "terms",
            )  # fmt: skip
    all_phrases = [p for sets in terms.values() for ts in sets for group in ts.groups for p in group.phrases]
    return Fact(
        id=fact_id,
        statement={lang: str(text) for lang, text in statement.items()},
        figure=figure,
        terms={lang: tuple(sets) for lang, sets in terms.items()},
        names=_per_language(raw.get("names") or {}, path, f"{where}.names"),
        unless=_per_language(raw.get("unless") or {}, path, f"{where}.unless"),
        known=compile_phrases(all_phrases, None) if all_phrases else None,
        # (the ways of stating it without a figure of its unit: a sentence without one can state the
        # fact in no other way, so a set that needs one does not widen the test)
        any_term={
            lang: compile_phrases([p for ts in sets if not ts.with_figure for group in ts.groups for p in group.phrases], lang)
            for lang, sets in terms.items()
            if any(ts.groups for ts in sets)
        },
    )


def _figure(raw: Any, path, where: str) -> FactFigure:
    _mapping(raw, path, f"{where}.figure", required={"value", "unit"},
             allowed={"value", "unit", "tolerance", "optional", "revision_factor", "period"})  # fmt: skip
    value = _number(raw["value"], path, where, "figure.value")
    if value <= 0:
        raise FactsError("must be positive", path, where, "figure.value")
    unit = str(raw["unit"])
    if unit not in UNITS:
        raise FactsError(f"unknown unit '{unit}' (one of: {', '.join(sorted(UNITS))})", path, where, "figure.unit")
    tolerance = _number(raw.get("tolerance", 0.1), path, where, "figure.tolerance")
    if not 0 <= tolerance < 1:
        raise FactsError("a relative tolerance: 0 <= tolerance < 1 (0.1 = within 10%)", path, where, "figure.tolerance")
    factor = _number(raw.get("revision_factor", 3), path, where, "figure.revision_factor")
    if factor <= 1:
        raise FactsError("must be more than 1", path, where, "figure.revision_factor")
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        raise FactsError("must be true or false", path, where, "figure.optional")
    period = raw.get("period")
    return FactFigure(value, unit, tolerance, optional, factor, str(period) if period is not None else None)


def _outlets(raw: Any, path) -> Outlets:
    _mapping(raw, path, "outlets", required={"names"}, allowed={"cues", "names"})
    names = raw["names"]
    if not isinstance(names, dict) or not names:
        raise FactsError("expected a mapping of outlet name to its aliases", path, "outlets", "names")
    aliases: dict[str, str] = {}
    for outlet, alias_list in names.items():
        phrases = _phrase_list(alias_list, path, "outlets.names", str(outlet))
        for alias in (*phrases, str(outlet)):
            aliases.setdefault(fold(alias), str(outlet))
    return Outlets(
        cues=_per_language(raw.get("cues") or {}, path, "outlets.cues"),
        names=aliases,
        pattern=phrase_pattern(aliases),
    )


# -- helpers -------------------------------------------------------------------------------------


def _mapping(raw: Any, path, where: str, required: set[str], allowed: set[str]) -> None:
    if not isinstance(raw, dict):
        raise FactsError("expected a mapping", path, where)
    missing = sorted(required - set(raw))
    if missing:
        raise FactsError(f"missing field(s): {', '.join(missing)}", path, where)
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise FactsError(f"unknown field(s): {', '.join(map(str, unknown))}", path, where)


def _languages(raw: dict, path, where: str, field_name: str) -> None:
    unknown = sorted(set(raw) - set(LANGS))
    if unknown:
        raise FactsError(f"unknown language(s) {', '.join(map(str, unknown))} (one of: ko, ja, en)", path, where, field_name)


def _per_language(raw: Any, path, where: str, exclude: set[str] = frozenset(), every_language: bool = False) -> dict[str, Phrases]:
    if not isinstance(raw, dict):
        raise FactsError("expected a mapping of language to phrases", path, where)
    languages = {k: v for k, v in raw.items() if k not in exclude}
    _languages(languages, path, where, "")
    if every_language and set(languages) != set(LANGS):
        raise FactsError(f"needs phrases for each of {', '.join(LANGS)}", path, where)
    return {
        lang: compile_phrases(_expand(_phrase_list(phrases, path, where, lang), lang, path, where, lang), lang)
        for lang, phrases in languages.items()
    }


def _term_set(raw: Any, path, where: str, field_name: str, lang: str) -> TermSet:
    if not isinstance(raw, list):
        raise FactsError("expected a list of groups, each a list of phrases", path, where, field_name)
    groups = []
    for i, group in enumerate(raw):
        phrases = _expand(_phrase_list(group, path, where, f"{field_name}[{i}]"), lang, path, where, f"{field_name}[{i}]")
        groups.append(compile_phrases(phrases, lang))
    return TermSet(tuple(groups))


# Concepts of the file being read (its `concepts` section), for `@name` references.
_CONCEPTS: ContextVar[dict[str, dict[str, list[str]]]] = ContextVar("concepts", default={})
# The built-in vocabularies are part of what a link depends on: their content versions the book.
_VOCABULARY_VERSION = hashlib.sha256(
    json.dumps({code: [language(code).concepts, language(code).inline] for code in CODES}, sort_keys=True, ensure_ascii=False).encode()
).hexdigest()[:16]


def _concepts(raw: Any, path) -> dict[str, dict[str, list[str]]]:
    """The file's own concepts: name -> language -> phrases (they may extend a language's own)."""
    if not isinstance(raw, dict):
        raise FactsError("expected a mapping of concept name to phrases per language", path, "concepts")
    concepts = {}
    for name, per_language in raw.items():
        if not isinstance(per_language, dict):
            raise FactsError("expected a mapping of language to phrases", path, f"concepts.{name}")
        _languages(per_language, path, f"concepts.{name}", "")
        concepts[str(name)] = {lang: _phrase_list(p, path, f"concepts.{name}", lang) for lang, p in per_language.items()}
    return concepts


def _expand(phrases: list[str], lang: str, path, where: str, field_name: str) -> list[str]:
    """Phrases with every `@concept` replaced by the concept's phrases in `lang`."""
    out: list[str] = []
    for phrase in phrases:
        if not phrase.startswith("@"):
            out.append(phrase)
            continue
        name = phrase[1:]
        own = _CONCEPTS.get().get(name, {}).get(lang)
        spec = language(lang)
        builtin = spec.concepts.get(name) if spec else None
        if builtin is not None:
            # ... and the same concept's words of the languages written inline in this one's text
            builtin = (*builtin, *(p for code in spec.inline for p in language(code).concepts.get(name, ()) if p.isascii()))
        if own is None and builtin is None:
            raise FactsError(f"unknown concept '{phrase}' for {lang} (define it under 'concepts')", path, where, field_name)
        out.extend([*(builtin or ()), *(own or ())])
    return out


def _phrase_list(raw: Any, path, where: str, field_name: str) -> list[str]:
    if not isinstance(raw, list) or not raw:
        raise FactsError("expected a non-empty list of phrases", path, where, field_name)
    phrases = []
    for phrase in raw:
        if not isinstance(phrase, (str, int, float)) or not str(phrase).strip().rstrip("*"):
            raise FactsError(f"not a phrase: {phrase!r}", path, where, field_name)
        phrases.append(str(phrase).strip())
    return phrases


def _number(raw: Any, path, where: str, field_name: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        try:
            return float(str(raw))
        except ValueError:
            raise FactsError(f"not a number: {raw!r}", path, where, field_name) from None
    return float(raw)


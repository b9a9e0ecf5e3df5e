"""Phrases found in text the way each language needs, compiled once and searched many times.

    phrases = compile_phrases(["launch", "set up", "semiconduct*"], "en")
    phrases.find(prepare("SoftBank is launching a new venture", "en"))   -> "launch"

- In a spaced language (English) text and phrases are read as words: a phrase's words match the
  text's words by stem ("launch" finds launching, launched), a word ending in `*` matches any word
  it begins ("semiconduct*" finds semiconductors), and up to `GAP` words may stand between a phrase's
  words ("Japanese companies" finds "Japanese auto companies"). A phrase written with a leading `=`
  matches its words as written, not by stem ("=seconded" finds "seconded", not the ordinal "second"
  that shares its stem). An English sentence is searched as one string of stem tokens, and only
  where a phrase's first word stands.
- In Korean and Japanese, and in text of no known language, a phrase is found anywhere in the text
  (stems sit inside longer words: 의존 in 의존도를, 依存 in 依存している), spacing between its
  characters is ignored (일본기업 = 일본 기업), a space written in the phrase lets up to two characters
  (and spaces) stand there (일본 기업 finds 일본의 기업들), and a Latin part matches whole words only ("AI" is not
  found in "said").

Everything is matched on `fold`ed text (NFKC, case-folded), so full-width letters and digits match
too. Pure functions; a list's patterns are built when it is first searched.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Iterable

from monitor.lang import LANGUAGES, language
from monitor.text import fold

GAP = 2  # words that may stand between two words of an English phrase
_CJK_GAP = 2  # characters (spaces aside) that may stand where a Korean or Japanese phrase has a space
_WORD = re.compile(r"[^\W_]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Prepared:
    """A text folded once, and, for a spaced language, cut into words and stems once."""

    folded: str
    lang: str | None
    words: tuple[str, ...] = ()
    starts: tuple[int, ...] = ()  # offset of each word in `folded`
    at: dict[str, list[int]] = field(default_factory=dict)  # stem -> positions of its words
    # The words as one string that a phrase's word pattern searches: " stem\x01word stem\x01word ",
    # and where each word's token begins in it.
    tokens: str = ""
    token_starts: tuple[int, ...] = ()

    @cached_property
    def stems(self) -> frozenset[str]:
        """The stems of `words`, as one set (`at`'s keys): what a phrase's first words are tested
        against before anything else."""
        return frozenset(self.at)

    @cached_property
    def _sorted_words(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.words)))

    def begins_word(self, prefixes: tuple[str, ...]) -> bool:
        """Whether a word of `words` begins with one of `prefixes` (what a phrase whose first word
        is a prefix, "tripl*", needs): looked up in the sorted words, a few steps a prefix."""
        return _begins(self._sorted_words, prefixes)

    @cached_property
    def latin_words(self) -> dict[str, list[int]]:
        """The Latin-script words of `folded` ("ai", "risk", "h200"; not numbers alone), each with
        the offsets it stands at."""
        at: dict[str, list[int]] = {}
        for match in _LATIN_WORD.finditer(self.folded):
            if not match.group().isdigit():
                at.setdefault(match.group(), []).append(match.start())
        return at

    @cached_property
    def _sorted_latin(self) -> tuple[str, ...]:
        return tuple(sorted(self.latin_words))

    def begins_latin_word(self, prefixes: tuple[str, ...]) -> bool:
        """Whether a Latin word begins with one of `prefixes` (what a prefix phrase, "risk*", needs)."""
        return _begins(self._sorted_latin, prefixes)

    @cached_property
    def grams(self) -> frozenset[str]:
        """The characters and character pairs of `folded`, spaces left out."""
        solid = "".join(self.folded.split())
        return frozenset(solid) | frozenset(map(str.__add__, solid, solid[1:]))


def _begins(words: tuple[str, ...], prefixes: tuple[str, ...]) -> bool:
    """Whether one of the sorted `words` begins with one of `prefixes`: the first word not before a
    prefix is the only one that can."""
    for prefix in prefixes:
        at = bisect_left(words, prefix)
        if at < len(words) and words[at].startswith(prefix):
            return True
    return False


def prepare(text: str, lang: str | None) -> Prepared:
    folded = fold(text)
    spec = language(lang)
    if spec is None or not spec.spaced:
        return Prepared(folded, lang)
    matches = list(_WORD.finditer(folded))
    words = tuple(m.group() for m in matches)
    stems = [spec.stem(w) for w in words]
    tokens = [f"{stem}{_STEM}{word}" for word, stem in zip(words, stems)]
    token_starts, offset = [], 1
    for token in tokens:
        token_starts.append(offset)
        offset += len(token) + 1
    at: dict[str, list[int]] = {}
    for position, stem in enumerate(stems):
        at.setdefault(stem, []).append(position)
    return Prepared(folded, lang, words, tuple(m.start() for m in matches), at, " " + " ".join(tokens) + " ", tuple(token_starts))


_STEM = "\x01"  # between a word's stem and the word in `Prepared.tokens`


@dataclass(frozen=True)
class Phrases:
    """Phrases of one language (or of none: matched as characters) and how to find them."""

    phrases: tuple[str, ...]
    lang: str | None
    # The stems of the word phrases' first words, and those first words written as prefixes: a
    # text is searched only when it holds one of them.
    _heads: frozenset[str] = field(default=frozenset(), compare=False, hash=False, repr=False)
    _head_prefixes: tuple[str, ...] = field(default=(), compare=False, hash=False, repr=False)
    # For a first word that only begins phrases of two words or more, the stems their second words
    # must have: a text holding none of them is not searched where that first word stands ("the" of
    # "the state" and "the venture" stands in most sentences; "state" or "venture" in few).
    _seconds: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, hash=False, repr=False)
    _word_phrases: tuple[str, ...] = field(default=(), compare=False, hash=False, repr=False)
    # Each word phrase's words: (stem, or beginning when written with `*`; whether a beginning).
    # (and the word as written, for a phrase written with `=`; else "")
    _word_parts: tuple[tuple[tuple[str, bool, str], ...], ...] = field(default=(), compare=False, hash=False, repr=False)

    # Patterns are compiled when first used, in the process that uses them: the monitor's own
    # process, which only hands the definitions to its extraction workers, compiles none (about
    # 8 MB of patterns and of what compiling them leaves behind), a worker only those its articles
    # need (an English list's character patterns serve only text of another or no language).

    @cached_property
    def _words(self) -> _WordSearch:
        """The word phrases as patterns over `Prepared.tokens` (a spaced language's phrases), one per
        first word."""
        return _compiled_words(self._word_parts)

    @cached_property
    def pattern(self) -> re.Pattern | None:
        """All the phrases as one character pattern over folded text (ko, ja, unknown language)."""
        return _compiled_characters(self.phrases)

    @cached_property
    def _characters(self) -> _CharacterSearch:
        return _compiled_search(self.phrases)

    @cached_property
    def _by_ends(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """The phrases by their first and last characters (folded, spaces aside)."""
        ends: dict[tuple[str, str], list[str]] = {}
        for phrase in self.phrases:
            solid = fold(phrase.rstrip("*")).strip()
            if solid:
                ends.setdefault((solid[0], solid[-1]), []).append(phrase)
        return {key: tuple(found) for key, found in ends.items()}

    def whole(self, folded: str) -> bool:
        """Whether `folded` text is, all of it, one of the phrases as the character pattern reads
        them. Only the phrases that begin and end as the text does are compiled for it: the
        definitions' list of every phrase (`FactBook.known`, 1,600 phrases, half a second to
        compile whole) asks about a few candidate names per article."""
        candidates = self._by_ends.get((folded[:1], folded[-1:])) if folded else None
        if not candidates:
            return False
        pattern = _compiled_characters(candidates)
        return pattern is not None and pattern.fullmatch(folded) is not None

    def find(self, text: Prepared) -> str | None:
        """The first phrase found in `text` (as written in the definitions), or None."""
        span = self.span(text)
        return span[0] if span else None

    def span(self, text: Prepared) -> tuple[str, int, int] | None:
        """(phrase, start, end) of the earliest phrase found (the longest of those that start
        there), offsets into `text.folded`. Words when both the phrases and the text are of a
        spaced language, characters otherwise."""
        if self._word_parts and text.words:
            # The pattern is tried only where a phrase's first word stands (most phrases, most
            # sentences: nowhere), the earliest place first.
            if self._heads.isdisjoint(text.stems) and (not self._head_prefixes or not text.begins_word(self._head_prefixes)):
                return None
            search = self._words
            # (position, the pattern of the phrases that begin with the word there)
            tries = [
                (i, search.by_stem[stem])
                for stem in self._heads.intersection(text.stems)
                if (seconds := self._seconds.get(stem)) is None or not seconds.isdisjoint(text.at)
                for i in text.at[stem]
            ]
            for prefix in self._head_prefixes:
                if prefix in text.folded:
                    tries += [(i, search.by_prefix[prefix]) for i, word in enumerate(text.words) if word.startswith(prefix)]
            tries.sort(key=itemgetter(0))
            for at, (first, pattern) in enumerate(tries):
                match = pattern.match(text.tokens, text.token_starts[first])
                # A word may begin phrases by its stem and by a prefix ("semiconductor", "semi*"):
                # the phrase tried first at that place, as one pattern of them all would, wins.
                for other in tries[at + 1 :] if match is not None else ():
                    if other[0] != first:
                        break
                    rival = other[1].match(text.tokens, text.token_starts[first])
                    if rival is not None and search.rank[rival.lastgroup] < search.rank[match.lastgroup]:
                        match = rival
                if match is not None:
                    last = bisect_right(text.token_starts, match.end() - 1) - 1
                    phrase = self._word_phrases[int(match.lastgroup[1:])]
                    return phrase, text.starts[first], text.starts[last] + len(text.words[last])
            return None
        search = self._characters
        match = None
        if search.native is not None and not search.leads.isdisjoint(text.grams):
            match = search.native.search(text.folded)
        latin = search.latin_in(text) if search.latin is not None else None  # (most lists have no Latin phrase)
        if latin is not None and (match is None or (latin.start(), -latin.end()) < (match.start(), -match.end())):
            match = latin  # the earliest, and at one place the longest, as one pattern would find
        return (self._source(match), match.start(), match.end()) if match else None

    def _source(self, match: re.Match) -> str:
        group = match.lastgroup
        return self.phrases[int(group[1:])] if group else match.group()


@dataclass(frozen=True)
class _CharacterSearch:
    """The character pattern in two parts: the phrases written in Latin letters alone ("AI",
    "risk*", "open to": in Korean or Japanese text, English written inline) are searched only where
    the text holds a Latin word that can begin one, the others only where the text holds a phrase's
    first characters (`leads`: its first two characters, which stand together in the text once its
    spaces are left out). A Korean sentence holds "AI" and digits, rarely "risk"."""

    native: re.Pattern | None
    leads: frozenset[str]
    latin: re.Pattern | None
    latin_heads: frozenset[str]
    latin_stems: tuple[str, ...]  # the beginnings the Latin prefix phrases ask for ("risk" of "risk*")
    # First word -> for each Latin phrase it begins, the other words it needs ("ai" -> {"system"} for
    # "AI system"; an empty set for "AI" itself): a phrase is tried only where the text has them all.
    latin_needs: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, phrases: tuple[str, ...]) -> _CharacterSearch:
        # (a phrase that opens with a number stays with the others: numbers are not `latin_words`)
        latin = [i for i, p in enumerate(phrases)
                 if _is_latin(p) and (head := _LATIN_WORD.match(fold(p))) is not None and not head.group().isdigit()]  # fmt: skip
        native = sorted(set(range(len(phrases))) - set(latin))
        leads = (fold(phrases[i].rstrip("*")).split()[:1] for i in native)
        heads, prefixes = set(), set()
        needs: dict[str, set[frozenset[str]]] = {}
        for i in latin:
            phrase = fold(phrases[i])
            first = _LATIN_WORD.match(phrase).group()
            single_prefix = phrase.endswith("*") and len(phrase.rstrip("*").split()) == 1 and first == phrase.rstrip("*")
            (prefixes if single_prefix else heads).add(first)
            if not single_prefix:
                rest = _LATIN_WORD.findall(phrase.rstrip("*"))[1:]
                if phrase.endswith("*") and rest:
                    rest = rest[:-1]  # a word written as a prefix stands in the text longer
                needs.setdefault(first, set()).add(frozenset(word for word in rest if not word.isdigit()))
        return cls(
            native=_character_pattern(phrases, native),
            leads=frozenset(words[0][:2] for words in leads if words),
            latin=_character_pattern(phrases, latin),
            latin_heads=frozenset(heads),
            latin_stems=tuple(sorted(prefixes)),
            latin_needs={head: tuple(sets) for head, sets in needs.items()},
        )

    def latin_in(self, text: Prepared) -> re.Match | None:
        """The earliest match of the Latin phrases in `text`, looked for only when it holds a Latin
        word that can begin one."""
        if self.latin is None or not (words := text.latin_words):
            return None
        if self.latin_heads.isdisjoint(words) and not (self.latin_stems and text.begins_latin_word(self.latin_stems)):
            return None
        return self.latin_match(words, text.folded)

    def latin_match(self, words: dict[str, list[int]], folded: str) -> re.Match | None:
        """The earliest match of the Latin phrases, tried only where a word that can begin one stands
        (a Latin phrase begins at a word's start: its pattern asserts so)."""
        starts = [
            at
            for word in self.latin_heads.intersection(words)
            if any(need.issubset(words) for need in self.latin_needs[word])
            for at in words[word]
        ]
        if self.latin_stems:
            starts += [at for word, ats in words.items() if word.startswith(self.latin_stems) for at in ats]
        for start in sorted(set(starts)):
            match = self.latin.match(folded, start)
            if match is not None:
                return match
        return None


# Compiled once per process for each list of phrases, whichever definitions it belongs to: when the
# definitions change (a name learned, facts.yaml edited), a worker given the new ones reuses what it
# compiled for every list that did not change (compiling them all takes about a second).


@dataclass(frozen=True)
class _WordSearch:
    """A list's word phrases as one pattern per first word: at a text's position only the phrases
    that can begin there are tried (a list of 100 phrases has about 40 first words)."""

    by_stem: dict[str, re.Pattern]  # a first word's stem -> the phrases it begins
    by_prefix: dict[str, re.Pattern]  # a first word written as a prefix ("semi*") -> its phrases
    rank: dict[str, int]  # a phrase's group name -> its place in the order one pattern would try


@lru_cache(maxsize=1024)
def _compiled_words(parts: tuple[tuple[tuple[str, bool, str], ...], ...]) -> _WordSearch:
    order = _word_order(parts)
    heads: dict[tuple[str, bool], list[int]] = {}
    for i in order:
        word, prefix, _ = parts[i][0]
        heads.setdefault((word, prefix), []).append(i)
    patterns = {head: re.compile("|".join(_word_alternative(parts[i], i) for i in indices)) for head, indices in heads.items()}
    return _WordSearch(
        by_stem={word: pattern for (word, prefix), pattern in patterns.items() if not prefix},
        by_prefix={word: pattern for (word, prefix), pattern in patterns.items() if prefix},
        rank={f"w{i}": place for place, i in enumerate(order)},
    )


@lru_cache(maxsize=1024)
def _compiled_characters(phrases: tuple[str, ...]) -> re.Pattern | None:
    return _character_pattern(phrases)


@lru_cache(maxsize=1024)
def _compiled_search(phrases: tuple[str, ...]) -> _CharacterSearch:
    return _CharacterSearch.of(phrases)


def compile_phrases(phrases: list[str] | tuple[str, ...], lang: str | None) -> Phrases:
    """Phrases of `lang` (None: of no one language), ready to find."""
    written = tuple(dict.fromkeys(p.strip() for p in phrases if p and p.strip().lstrip("=").rstrip("*")))
    exact = {p.lstrip("=") for p in written if p.startswith("=")}
    phrases = tuple(dict.fromkeys(p.lstrip("=") for p in written))
    spec = language(lang)
    parsed: list[tuple[str, list[tuple[str, bool, str]]]] = []
    if spec is not None and spec.spaced:
        for phrase in phrases:
            tokens = _WORD.findall(fold(phrase.rstrip("*")))
            parts = [(spec.stem(word), False, word if phrase in exact else "") for word in tokens]
            if parts and phrase.endswith("*"):
                parts[-1] = (tokens[-1], True, "")
            if parts:
                parsed.append((phrase, parts))
    # The character pattern also serves a spaced language's phrases tried on text of another or no
    # language (an article whose language was not detected).
    phrases_found = Phrases(phrases, lang)
    if not parsed:
        return phrases_found
    return replace(
        phrases_found,
        _word_parts=tuple(tuple(parts) for _, parts in parsed),
        _heads=frozenset(parts[0][0] for _, parts in parsed if not parts[0][1]),
        _seconds=_second_words([parts for _, parts in parsed]),
        _head_prefixes=tuple(dict.fromkeys(parts[0][0] for _, parts in parsed if parts[0][1])),
        _word_phrases=tuple(phrase for phrase, _ in parsed),
    )


def _second_words(phrases: list[list[tuple[str, bool, str]]]) -> dict[str, frozenset[str]]:
    """First word's stem -> the stems of the second words of the phrases it begins, for the first
    words that begin no phrase of one word and none whose second word is written as a prefix."""
    seconds: dict[str, set[str]] = {}
    always: set[str] = set()
    for parts in phrases:
        head, prefix, _ = parts[0]
        if prefix:
            continue
        if len(parts) < 2 or parts[1][1]:
            always.add(head)
        else:
            seconds.setdefault(head, set()).add(parts[1][0])
    return {head: frozenset(stems) for head, stems in seconds.items() if head not in always}


def _word_order(phrases: tuple[tuple[tuple[str, bool, str], ...], ...]) -> list[int]:
    """The order in which word phrases are tried at one place: the phrase of more words (then of
    more characters) first."""
    return sorted(range(len(phrases)), key=lambda i: (-len(phrases[i]), -sum(len(w) for w, _, _ in phrases[i])))


def _word_alternative(words: tuple[tuple[str, bool, str], ...], index: int) -> str:
    """A word phrase as a pattern over `Prepared.tokens`, its group named after `index`: a word
    matches by its stem, or by its beginning when written with `*`, or as written (`=`); up to GAP
    words may stand between two words of a phrase."""
    pieces = [
        f"[^ {_STEM}]*{_STEM}{re.escape(word)}[^ ]*" if prefix
        else f"{re.escape(word)}{_STEM}{re.escape(written)}(?= )" if written
        else f"{re.escape(word)}{_STEM}[^ ]*"
        for word, prefix, written in words
    ]  # fmt: skip
    return f"(?P<w{index}>{_BETWEEN.join(pieces)})"


_BETWEEN = " (?:[^ ]+ ){0,%d}?" % GAP


def _character_pattern(phrases: tuple[str, ...], only: list[int] | None = None) -> re.Pattern | None:
    """The phrases (those at the indices `only`, if given) as one pattern over folded text; each
    phrase's group is named after its index in `phrases`."""
    indices = list(range(len(phrases))) if only is None else only
    if not indices:
        return None
    order = sorted(indices, key=lambda i: -len(phrases[i]))  # longest first
    alternatives = "|".join(f"(?P<p{i}>{_phrase_regex(phrases[i])})" for i in order)
    return re.compile(_lead([phrases[i] for i in indices]) + "(?:" + alternatives + ")")


def _lead(phrases: list[str]) -> str:
    """A lookahead for the phrases' first characters. Every match starts with one: checking that
    first lets the search pass over most positions at the cost of one character class, not one try
    per phrase (or per branch)."""
    firsts = sorted({fold(phrase.rstrip("*")).lstrip()[:1] for phrase in phrases} - {""})
    return "(?=[" + "".join(re.escape(char) for char in firsts) + "])"


def _phrase_regex(phrase: str) -> str:
    """A phrase as a character pattern over folded text (see the module docstring)."""
    prefix = phrase.endswith("*")
    words = fold(phrase.rstrip("*")).split()
    pieces = []
    for index, word in enumerate(words):
        if index:
            if _is_latin(words[index - 1]) and _is_latin(word):
                pieces.append(r"\W+(?:\w+\W+){0,%d}?" % GAP)  # Latin words: up to GAP words between
            else:
                # (folded text has no full-width ．！？; 。 as a lookahead of its own, and a class
                # of ASCII alone, compile several times faster than one class holding 。)
                pieces.append(f"{_stops_after(words[index - 1][-1])}(?:\\s*(?!。)[^\\s.!?]){{0,{_CJK_GAP}}}?\\s*")
        pieces.extend(_word_atoms(word))
    if words and words[0][0].isascii() and words[0][0].isalnum():
        pieces.insert(0, r"(?<![a-z0-9])")
    if words and not prefix and words[-1][-1].isascii() and words[-1][-1].isalnum():
        pieces.append(r"(?![a-z0-9])")
    return "".join(pieces)


def _is_latin(word: str) -> bool:
    return word.isascii()


def _word_atoms(word: str) -> list[str]:
    """One space-free piece, a pattern per character: CJK characters may have a space between them
    ("일본기업" = "일본 기업")."""
    out = []
    last = len(word) - 1
    for i, char in enumerate(word):
        if i and i == last and _HANGUL.match(char) and not word[i - 1].isascii():
            # A space before a word's last syllable only where that syllable ends the text's word:
            # "개발사" is not in "개발 사업" (the 사 of another word), "일본기업" is in "일본 기업들".
            # ((?!\w), not (?![가-힣]): a class spanning the 11,172 syllables takes a third of a
            # millisecond to compile, and Korean lists hold one per phrase word)
            out.append(f"(?:{re.escape(char)}|\\s{re.escape(char)}(?!\\w))")
            continue
        space = r"\s?" if i and not (char.isascii() and word[i - 1].isascii()) else ""
        out.append(space + re.escape(char))
    return out


_HANGUL = re.compile("[가-힣]")


@lru_cache(maxsize=4096)
def _stops_after(char: str) -> str:
    """Lookaheads that end a phrase after a word ending in `char`, where its language has words
    that do so (Language.phrase_stops: Korean particles). One lookahead per word: a class of
    several syllables compiles several times slower."""
    stops = [stop for spec in LANGUAGES.values() if spec.phrase_stops and spec.script is not None and spec.script.match(char)
             for stop in spec.phrase_stops]  # fmt: skip
    return "".join(f"(?!{re.escape(stop)}\\s)" for stop in stops)


class Screen:
    """Which of many phrase lists a text may hold, worked out for all of them at once: what the
    fact linker asks of every sentence (some 60 lists, most of them absent) answered by a few set
    intersections, so that only the lists that may be there are searched.

        screen = Screen(lists)
        may = screen.of(text)                       # text: a Prepared
        found = [group.find(text) if id(group) in may else None for group in groups]

    A list is in `of(text)` whenever `find(text)` would find one of its phrases (and sometimes
    when it would not: the screen asks what a match needs, never where). What a phrase needs:
    - searched as words (a spaced language's phrase in text with words): the stems of its words,
      and for a word written with `*`, a word that begins so;
    - searched as characters: the characters and character pairs of each of its words (spaces in
      the text aside, as `Prepared.grams` has them); a phrase in Latin letters alone, its words as
      whole Latin words of the text (`Prepared.latin_words`), the last one only begun when it is
      written with `*`.
    Lists are known by `id`: the screen holds them, so their ids stay theirs while it lives."""

    def __init__(self, lists: Iterable[Phrases]):
        self._lists = {id(phrases): phrases for phrases in lists}
        # (lists share phrases, and phrases words: what they need is kept once, `_ScreenIndex.add`)
        same: dict = {}
        self._words = _ScreenIndex(same)  # word phrases, by the stem (or the beginning) of their first word
        self._characters = _ScreenIndex(same)  # lists without word phrases: searched as characters in any text
        self._unworded = _ScreenIndex(same)  # lists with word phrases, searched as characters in text without words
        for key, phrases in self._lists.items():
            for parts in phrases._word_parts:
                head, head_prefix, _ = parts[0]
                stems = frozenset(stem for stem, prefix, _ in parts if not prefix)
                self._words.add(head, head_prefix, (stems, tuple(word for word, prefix, _ in parts if prefix)), key)
            index = self._unworded if phrases._word_parts else self._characters
            for phrase in phrases.phrases:
                _screen_characters(phrase, key, index)
        for index in (self._words, self._characters, self._unworded):
            index.seal()

    def of(self, text: Prepared) -> set[int]:
        """The ids of the lists that may be found in `text`."""
        may: set[int] = set()
        if text.words:
            self._words.words(text, may)
            self._characters.characters(text, may)
        else:
            self._characters.characters(text, may)
            self._unworded.characters(text, may)
        return may


def _screen_characters(phrase: str, key: int, index: _ScreenIndex) -> None:
    """Enter what `phrase`, searched as characters, needs (see `Screen`)."""
    words = fold(phrase.rstrip("*")).split()
    if not words:
        return
    head = _LATIN_WORD.match(words[0])
    if _is_latin(phrase) and head is not None and not head.group().isdigit():
        latin = _LATIN_WORD.findall(" ".join(words))
        if phrase.endswith("*") and len(latin) == 1 and latin[0] == words[0]:
            index.add(latin[0], True, frozenset(), key, latin=True)  # "risk*": a word that begins so
            return
        if phrase.endswith("*"):
            latin = latin[:-1]  # the last word, written as a beginning, stands longer in the text
        index.add(latin[0], False, frozenset(word for word in latin if not word.isdigit()), key, latin=True)
        return
    grams = {gram for word in words for gram in (map(str.__add__, word, word[1:]) if len(word) > 1 else (word,))}
    index.add(max(grams), False, frozenset(grams), key)


class _ScreenIndex:
    """What phrases need, each entered under one thing it needs (its key): a text is asked only
    about the phrases whose key it holds, and then about the rest of what they need."""

    def __init__(self, same: dict) -> None:
        self._same = same  # a value -> the one object kept for it (shared by a screen's indexes)
        self.whole: dict[str, list] = {}  # key -> [(what the phrase needs, its list's id)]
        self.beginnings: dict[str, list] = {}  # key: a word's beginning ("semi" of "semi*")
        self.latin: dict[str, list] = {}
        self.latin_beginnings: dict[str, list] = {}

    def add(self, key: str, beginning: bool, needs, list_id: int, latin: bool = False) -> None:
        index = (self.latin_beginnings if beginning else self.latin) if latin else (self.beginnings if beginning else self.whole)
        if isinstance(needs, tuple):  # (stems, beginnings) of a word phrase
            needs = (self._once(frozenset(map(self._once, needs[0]))), tuple(map(self._once, needs[1])))
        else:
            needs = frozenset(map(self._once, needs))
        needs = self._once(needs)
        entries = index.setdefault(self._once(key), [])
        if (needs, list_id) not in entries:
            entries.append((needs, list_id))

    def _once(self, value):
        return self._same.setdefault(value, value)

    def seal(self) -> None:
        """Done adding: the keys as sets, to intersect with a text's."""
        self.whole_keys = frozenset(self.whole)
        self.latin_keys = frozenset(self.latin)
        # the lengths of the beginnings, and every beginning cut to the shortest: a word that begins
        # none of those begins no key
        self.lengths = sorted({len(key) for key in self.beginnings})
        self.latin_lengths = sorted({len(key) for key in self.latin_beginnings})
        self.starts = frozenset(key[: self.lengths[0]] for key in self.beginnings) if self.lengths else frozenset()
        self.latin_starts = frozenset(key[: self.latin_lengths[0]] for key in self.latin_beginnings) if self.latin_lengths else frozenset()

    def words(self, text: Prepared, may: set[int]) -> None:
        """Word phrases: their stems (and beginnings) among the text's."""
        stems = text.stems
        for key in self.whole_keys.intersection(stems):
            for (needed, begun), list_id in self.whole[key]:
                if list_id not in may and needed <= stems and (not begun or _begun(text, begun)):
                    may.add(list_id)
        if self.beginnings:
            for key in _keys_begun(set(text.words), self.starts, self.lengths, self.beginnings):
                for (needed, begun), list_id in self.beginnings[key]:
                    if list_id not in may and needed <= stems and _begun(text, begun):
                        may.add(list_id)

    def characters(self, text: Prepared, may: set[int]) -> None:
        """Character phrases: their character pairs among the text's; Latin ones, their words."""
        if self.whole:
            grams = text.grams
            for key in self.whole_keys.intersection(grams):
                for needed, list_id in self.whole[key]:
                    if list_id not in may and needed <= grams:
                        may.add(list_id)
        if self.latin or self.latin_beginnings:
            words = text.latin_words
            if not words:
                return
            for key in self.latin_keys.intersection(words):
                for needed, list_id in self.latin[key]:
                    if list_id not in may and needed.issubset(words):
                        may.add(list_id)
            if self.latin_beginnings:
                for key in _keys_begun(words, self.latin_starts, self.latin_lengths, self.latin_beginnings):
                    may.update(list_id for _, list_id in self.latin_beginnings[key])


def _begun(text: Prepared, beginnings: tuple[str, ...]) -> bool:
    """Whether `text` has a word beginning with each of `beginnings`."""
    return all(text.begins_word((beginning,)) for beginning in beginnings)


def _keys_begun(words, starts: frozenset[str], lengths: list[int], index: dict) -> list[str]:
    """The keys of `index` (beginnings of words, of `lengths`) that `words` begin."""
    found = []
    shortest = lengths[0]
    for word in words:
        if word[:shortest] not in starts:
            continue
        for length in lengths:
            if length > len(word):
                break
            if word[:length] in index:
                found.append(word[:length])
    return found

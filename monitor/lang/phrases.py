"""Phrases found in text the way each language needs, compiled once and searched many times.

    phrases = compile_phrases(["launch", "set up", "data center*"], "en")
    phrases.find(prepare("SoftBank is launching a new venture", "en"))   -> "launch"

- In a spaced language (English) text and phrases are read as words: a phrase's words match the
  text's words by stem ("launch" finds launching, launched), a word ending in `*` matches any word
  it begins ("data center*" finds datacentres), and up to `GAP` words may stand between a phrase's
  words ("Japanese companies" finds "Japanese auto companies").
- In Korean and Japanese, and in text of no known language, a phrase is found anywhere in the text
  (stems sit inside longer words: 의존 in 의존도를, 依存 in 依存している), spacing between its
  characters is ignored (일본기업 = 일본 기업), a space written in the phrase lets up to two characters
  (and spaces) stand there (일본 기업 finds 일본의 기업들), and a Latin part matches whole words only ("AI" is not
  found in "said").

Everything is matched on `fold`ed text (NFKC, case-folded), so full-width letters and digits match
too. Pure functions; the patterns are built when the fact definitions are loaded.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from monitor.lang import language
from monitor.text import fold

GAP = 2  # words that may stand between two words of an English phrase
_CJK_GAP = 2  # characters (spaces aside) that may stand where a Korean or Japanese phrase has a space
_WORD = re.compile(r"[^\W_]+")
_LATIN_RUN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Prepared:
    """A text folded once, and, for a spaced language, cut into words and stems once."""

    folded: str
    lang: str | None
    chars: frozenset[str] = frozenset()  # the characters of `folded`
    words: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()
    starts: tuple[int, ...] = ()  # offset of each word in `folded`
    at: dict[str, list[int]] = field(default_factory=dict)  # stem -> word positions


def prepare(text: str, lang: str | None) -> Prepared:
    folded = fold(text)
    chars = frozenset(folded)
    spec = language(lang)
    if spec is None or not spec.spaced:
        return Prepared(folded, lang, chars)
    matches = list(_WORD.finditer(folded))
    words = tuple(m.group() for m in matches)
    stems = tuple(spec.stem(w) for w in words)
    at: dict[str, list[int]] = defaultdict(list)
    for position, stem in enumerate(stems):
        at[stem].append(position)
    return Prepared(folded, lang, chars, words, stems, tuple(m.start() for m in matches), dict(at))


@dataclass(frozen=True)
class _WordPhrase:
    """A phrase of a spaced language: its words as (stem, prefix) parts."""

    text: str
    parts: tuple[tuple[str, bool], ...]  # (stem, or the raw prefix when the word ended in *)


@dataclass(frozen=True)
class Phrases:
    """Phrases of one language (or of none: matched as characters) and how to find them."""

    phrases: tuple[str, ...]
    lang: str | None
    pattern: re.Pattern | None  # character matching (ko, ja, unknown language)
    words: tuple[_WordPhrase, ...] = ()  # word matching (en)
    # The word phrases by the stem of their first word (positions in `words`), and those whose first
    # word is a prefix: a text is searched only for the phrases whose first word it holds.
    _heads: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, hash=False, repr=False)
    _prefixed: tuple[int, ...] = field(default=(), compare=False, hash=False, repr=False)
    # The characters a match of the character pattern can start with (each phrase's first one).
    _firsts: frozenset[str] = field(default=frozenset(), compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        heads: dict[str, list[int]] = defaultdict(list)
        prefixed = []
        for index, phrase in enumerate(self.words):
            stem, prefix = phrase.parts[0]
            (prefixed.append(index) if prefix else heads[stem].append(index))
        object.__setattr__(self, "_heads", {stem: tuple(found) for stem, found in heads.items()})
        object.__setattr__(self, "_prefixed", tuple(prefixed))
        object.__setattr__(self, "_firsts", frozenset(fold(p.rstrip("*")).lstrip()[:1] for p in self.phrases) - {""})

    def _word_candidates(self, text: Prepared) -> list[_WordPhrase]:
        """The word phrases that can occur in `text` (their first word does), in definition order."""
        if len(text.at) < len(self._heads):
            found = [i for stem in text.at for i in self._heads.get(stem, ())]
        else:
            found = [i for stem, indexes in self._heads.items() if stem in text.at for i in indexes]
        return [self.words[i] for i in sorted([*found, *self._prefixed])]

    def find(self, text: Prepared) -> str | None:
        """The first phrase found in `text` (as written in the definitions), or None."""
        span = self.span(text)
        return span[0] if span else None

    def span(self, text: Prepared) -> tuple[str, int, int] | None:
        """(phrase, start, end) of the earliest phrase found, offsets into `text.folded`."""
        found = self.spans(text, first=True)
        return found[0] if found else None

    def spans(self, text: Prepared, first: bool = False) -> list[tuple[str, int, int]]:
        """Every (phrase, start, end) found, by position. Words when both the phrases and the text
        are of a spaced language, characters otherwise."""
        found: list[tuple[str, int, int]] = []
        if self.words and text.words:
            for phrase in self._word_candidates(text):
                for start, end in _word_matches(phrase, text):
                    found.append((phrase.text, text.starts[start], text.starts[end] + len(text.words[end])))
                    if first:
                        break
        elif self.pattern is not None and not self._firsts.isdisjoint(text.chars):
            for match in self.pattern.finditer(text.folded):
                found.append((self._source(match), match.start(), match.end()))
                if first:
                    break
        found.sort(key=lambda f: (f[1], -(f[2] - f[1])))
        return found[:1] if first else found

    def _source(self, match: re.Match) -> str:
        group = match.lastgroup
        return self.phrases[int(group[1:])] if group else match.group()


def _word_matches(phrase: _WordPhrase, text: Prepared):
    """(first word, last word) positions where the phrase's words occur, in order, with gaps."""
    head_stem, head_prefix = phrase.parts[0]
    if head_prefix:
        heads = [i for i, w in enumerate(text.words) if w.startswith(head_stem)]
    else:
        heads = text.at.get(head_stem, ())
    for head in heads:
        position, ok = head, True
        for stem, prefix in phrase.parts[1:]:
            for step in range(1, GAP + 2):
                nxt = position + step
                if nxt >= len(text.words):
                    ok = False
                    break
                if (text.words[nxt].startswith(stem) if prefix else text.stems[nxt] == stem):
                    position = nxt
                    break
            else:
                ok = False
            if not ok:
                break
        if ok:
            yield head, position


def compile_phrases(phrases: list[str] | tuple[str, ...], lang: str | None) -> Phrases:
    """Phrases of `lang` (None: of no one language), ready to find."""
    phrases = tuple(dict.fromkeys(p.strip() for p in phrases if p and p.strip().rstrip("*")))
    spec = language(lang)
    words: list[_WordPhrase] = []
    if spec is not None and spec.spaced:
        for phrase in phrases:
            tokens = _WORD.findall(fold(phrase.rstrip("*")))
            parts = [(spec.stem(word), False) for word in tokens]
            if parts and phrase.endswith("*"):
                parts[-1] = (tokens[-1], True)
            if parts:
                words.append(_WordPhrase(phrase, tuple(parts)))
    # The character pattern also serves a spaced language's phrases tried on text of another or no
    # language (an article whose language was not detected).
    return Phrases(phrases, lang, _character_pattern(phrases), tuple(words))


def _character_pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    if not phrases:
        return None
    order = sorted(range(len(phrases)), key=lambda i: -len(phrases[i]))  # longest first
    # Every match starts with a phrase's first character: checking that first lets the search pass
    # over most positions at the cost of one character class, not one try per phrase.
    firsts = sorted({fold(phrase.rstrip("*")).lstrip()[:1] for phrase in phrases} - {""})
    lead = "(?=[" + "".join(re.escape(char) for char in firsts) + "])"
    return re.compile(lead + "(?:" + "|".join(f"(?P<p{i}>{_phrase_regex(phrases[i])})" for i in order) + ")")


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
                pieces.append(f"(?:\\s*[^\\s。．.!?！？]){{0,{_CJK_GAP}}}?\\s*")
        pieces.append(_word_regex(word))
    pattern = "".join(pieces)
    if words and words[0][0].isascii() and words[0][0].isalnum():
        pattern = r"(?<![a-z0-9])" + pattern
    if words and not prefix and words[-1][-1].isascii() and words[-1][-1].isalnum():
        pattern += r"(?![a-z0-9])"
    return pattern


def _is_latin(word: str) -> bool:
    return word.isascii()


def _word_regex(word: str) -> str:
    """One space-free piece: CJK characters may have a space between them ("일본기업" = "일본 기업")."""
    out = []
    for i, char in enumerate(word):
        if i and not (char.isascii() and word[i - 1].isascii()):
            out.append(r"\s?")
        out.append(re.escape(char))
    return "".join(out)

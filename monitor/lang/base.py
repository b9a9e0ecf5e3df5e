"""What the monitor knows about one language, in one object: its time zone, how its words are
matched (whole stemmed words, or characters where text has no spaces), the script that identifies
it, and its shared vocabulary: concepts ("dependence", "foreign", "robot") that the fact
definitions refer to as `@dependence` instead of repeating phrases in every fact.

A language is one module of this package (`monitor/lang/ko.py`) defining `LANGUAGE`; adding a
language is adding a module (and its phrases in facts.yaml)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


def _same(word: str) -> str:
    return word


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1: "ko"
    name: str  # "Korean"
    zone: str  # the time zone a naive time written in this language is read in
    spaced: bool  # words are separated by spaces: phrases match whole (stemmed) words
    script: re.Pattern | None  # characters only this language's text has (None: the Latin default)
    concepts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    stem: Callable[[str], str] = _same  # a word's stem (spaced languages); identity elsewhere
    # Words that start a credit of a source ("according to", "によると"), for attributions.
    credit_cues: tuple[str, ...] = ()
    # Page furniture that extraction can leave in a text, as whole-line patterns (folded text):
    # a byline, dateline or date line at the start, and rights or credit lines at the end; and a
    # wire dateline that opens the first paragraph ("(도쿄=연합뉴스) 김기자 = ", "【ソウル＝共同】").
    byline_line: re.Pattern | None = None
    closing_line: re.Pattern | None = None
    dateline_prefix: re.Pattern | None = None

    def concept(self, name: str) -> tuple[str, ...]:
        """The phrases of a concept in this language (KeyError when it has none)."""
        return self.concepts[name]

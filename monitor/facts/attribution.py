"""The outlets an article credits: "読売新聞によると", "요미우리신문이 21일 보도했다", "according to Kyodo".

An outlet counts when one of its names and a credit cue ("によると", "보도", "reported") are in the
same sentence. Names are matched longest first, so "Nikkei Asia" is not also "Nikkei".
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.facts.definitions import FactBook
from monitor.facts.sentences import Sentence
from monitor.text import fold


@dataclass(frozen=True)
class Attribution:
    outlet: str  # canonical name
    phrase: str  # the name as found (folded)
    sentence: Sentence


def find_attributions(sentences: list[Sentence], lang: str | None, book: FactBook) -> list[Attribution]:
    """Credited outlets, each once, in order of first credit."""
    outlets = book.outlets
    cues = [outlets.cues[lang]] if lang in outlets.cues else list(outlets.cues.values())
    found: dict[str, Attribution] = {}
    for sentence in sentences:
        folded = fold(sentence.text)
        if not any(cue.find(folded) for cue in cues):
            continue
        for match in outlets.pattern.finditer(folded):
            outlet = outlets.names[match.group(0)]
            found.setdefault(outlet, Attribution(outlet, match.group(0), sentence))
    return list(found.values())

"""The outlets an article credits: "読売新聞によると", "요미우리신문이 21일 보도했다", "according to Kyodo".

An outlet counts when one of its names and a credit cue ("によると", "보도", "reported") are in the
same sentence. Names are matched longest first, so "Nikkei Asia" is not also "Nikkei".
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.facts.definitions import FactBook
from monitor.facts.sentences import Sentence
from monitor.lang.phrases import Prepared, prepare


@dataclass(frozen=True)
class Attribution:
    outlet: str  # canonical name
    phrase: str  # the name as found (folded)
    sentence: Sentence


def find_attributions(sentences: list[Sentence], lang: str | None, book: FactBook, prepared: list[Prepared] | None = None) -> list[Attribution]:
    """Credited outlets, each once, in order of first credit."""
    outlets = book.outlets
    cues = [outlets.cues[lang]] if lang in outlets.cues else list(outlets.cues.values())
    prepared = prepared or [prepare(s.text, lang) for s in sentences]
    found: dict[str, Attribution] = {}
    for sentence, text in zip(sentences, prepared, strict=True):
        if not any(cue.find(text) for cue in cues):
            continue
        for match in outlets.pattern.finditer(text.folded):
            outlet = outlets.names[match.group(0)]
            found.setdefault(outlet, Attribution(outlet, match.group(0), sentence))
    return list(found.values())

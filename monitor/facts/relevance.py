"""Is an article about the story? An explainable decision: a score and the reasons behind it.

The decisive evidence is an anchor: a sentence (or the title) that names the program itself
("国産AI", "국산 AI", "Japan's domestic AI foundation model"), placed in Japan where the phrase could
name another country's program. An article is on topic when it names the program twice, or once
and states a supporting fact: one with the tracked figure, or one stated in the sentence that
names the program. So an article about something else that states a fact in passing is kept; one that only
shares the vocabulary (a company's own "国産の基盤モデル", robots, budgets) is not. The score
orders articles by that evidence and weighs the look-alikes named (Korea's own foundation-model
program, SoftBank's OpenAI deals, Rapidus, other budgets, other countries' sovereign AI), which
are listed in the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.facts.definitions import FactBook
from monitor.facts.mentions import Mention
from monitor.facts.sentences import Sentence
from monitor.text import fold


@dataclass(frozen=True)
class Relevance:
    on_topic: bool
    score: float
    reasons: tuple[str, ...]


def judge_relevance(title: str, sentences: list[Sentence], mentions: list[Mention], lang: str | None, book: FactBook) -> Relevance:
    story = book.story
    langs = [lang] if lang in story.anchors else list(story.anchors)
    folded_title = fold(title or "")
    reasons: list[str] = []
    anchored = 0
    anchored_sentences: set[int] = set()
    places = [(None, folded_title), *((s.index, fold(s.text)) for s in sentences)]  # None: the title
    for index, text in places:
        position = "title" if index is None else f"sentence {index + 1}"
        for code in langs:
            anchor = story.anchors[code].find(text)
            if not anchor:
                continue
            context = story.context.get(code)
            if context is not None and not (context.find(text) or context.find(folded_title)):
                reasons.append(f"'{anchor}' ({position}) without a Japanese context: not counted")
                continue
            anchored += 1
            if index is not None:
                anchored_sentences.add(index)
            if anchored <= 3:
                reasons.append(f"names the program: '{anchor}' ({position})")
            break
    facts = sorted({m.fact_id for m in mentions}, key=lambda f: (len(f), f))
    # A fact supports the decision when it comes with the tracked figure, or is stated in a sentence
    # that names the program: "robots will use the model later" or "a 400-billion-parameter model"
    # alone could be anyone's model.
    supporting = sorted({m.fact_id for m in mentions if m.agrees or m.sentence.index in anchored_sentences},
                        key=lambda f: (len(f), f))  # fmt: skip
    if facts:
        reasons.append(f"states {', '.join(facts)}" + (f" (supporting: {', '.join(supporting)})" if supporting != facts else ""))
    body = folded_title + "\n" + "\n".join(fold(s.text) for s in sentences)
    lookalikes = []
    for lookalike in story.lookalikes:
        for code in langs:
            phrase = lookalike.phrases[code].find(body) if code in lookalike.phrases else None
            if phrase:
                lookalikes.append(lookalike.name)
                reasons.append(f"look-alike: {lookalike.name} ('{phrase}')")
                break
    score = 2.0 * min(anchored, 3) + len(supporting) + 0.5 * (len(facts) - len(supporting)) - 1.5 * len(lookalikes)
    # Names the program, and states a supporting fact or names the program more than once.
    on_topic = anchored > 0 and (bool(supporting) or anchored >= 2)
    if not anchored:
        reasons.insert(0, "does not name the program")
    return Relevance(on_topic, score, tuple(reasons))

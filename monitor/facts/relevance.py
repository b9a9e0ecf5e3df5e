"""Is an article about the story? Weighed evidence, explained: a score and the reasons behind it.

No single phrase decides. Evidence for the story:
- it names the program ("国産AI", "국산 AI", "Japan's sovereign AI"): in the headline, or in a
  sentence; where the phrase could name another country's program (Korean, English), Japan must
  be named in the same sentence or the headline for full weight, elsewhere in the article for half;
- it names the program's company by one of the story's names (confirmed in facts.yaml, or learned
  from the archive once several outlets reported it: Noetra, the tentative name), or by four of its
  backers in one sentence (`story.members`: "SoftBank, Honda, Sony and NEC");
- it states tracked facts, more so with the tracked figure;
- it credits an outlet that carries the story.
An article that names the program only at its end (its last paragraph, or its last quarter) is
about something else and mentions the program in passing (a survey of AI hiring that closes on the
program): the naming weighs half, and facts count only with their tracked figure. A headline that
names it over a body of five sentences or more that never does again nor states a fact weighs half.
Against it: each look-alike subject it names (Korea's own foundation-model program, SoftBank's
OpenAI deals, Rapidus, other budgets, other countries' sovereign AI), unless it is named only further
down an article that names the program in two sentences (listed beside it). The article is on topic when
the evidence reaches `THRESHOLD` and Japan is named somewhere at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from monitor.facts.attribution import Attribution
from monitor.facts.definitions import FactBook
from monitor.facts.mentions import Mention
from monitor.facts.sentences import Sentence
from monitor.lang import LANGUAGES
from monitor.lang.phrases import Phrases, Prepared, compile_phrases

THRESHOLD = 2.75
W_ANCHOR_TITLE = 3.0
W_ANCHOR = (2.0, 1.0)  # the first and second sentence naming the program
W_NAME = 3.0
SILENT_BODY = 5  # sentences of a body that never names the program nor states a fact: the headline weighs half
W_MEMBERS = 3.0  # the company's backers named together (story.members)
W_FACT_FIGURE = 2.0  # a fact stated with the tracked figure (an amount, a parameter count)
W_FACT_COUNT = 1.0  # a fact stated with its tracked count, which other stories share ("about 100 engineers")
W_FACT = 0.75  # a fact stated without it (or with another figure)
FACTS_CAP = 6.0
W_CREDIT = 0.5
W_LOOKALIKE_HEADLINE = -3.0  # the headline is about it
W_LOOKALIKE = -1.5  # named in the first sentence
W_LOOKALIKE_LATER = -0.75  # named further down: a budget story lists Rapidus beside the program
LOOKALIKES_CAP = 3


@dataclass(frozen=True)
class Relevance:
    on_topic: bool
    score: float
    reasons: tuple[str, ...]


def judge_relevance(
    title: Prepared,
    sentences: list[Sentence],
    prepared: list[Prepared],
    mentions: list[Mention],
    attributions: list[Attribution],
    lang: str | None,
    book: FactBook,
) -> Relevance:
    """`prepared`: the body's sentences prepared for phrase search, in order (`sentences`)."""
    story = book.story
    langs = [lang] if lang in story.anchors else list(story.anchors)
    reasons: list[str] = []
    score = 0.0

    def context(text: Prepared) -> bool:
        return any(story.context[code].find(text) for code in langs if code in story.context)

    needs_context = [code for code in langs if code in story.context]
    japan = not needs_context or context(title) or any(context(p) for p in prepared)
    # Sums in yen that agree with two tracked facts or more place the text in Japan, where nothing
    # names it: a songwriter's note on "roughly ¥3 trillion ... about ¥1 trillion over five years
    # from the industry ministry" is about no other country's plan.
    in_yen = sorted({m.fact_id for m in mentions if m.agrees and m.figure is not None and m.figure.unit == "JPY"}, key=_order)
    # ... unless another country is named ("China's national AI plan ... ¥3 trillion": the yuan's sign)
    if not japan and len(in_yen) >= 2 and not any(_elsewhere(code).find(text) for code in langs for text in (title, *prepared)):
        japan = True
        reasons.append(f"Japan named nowhere, but its yen: {', '.join(in_yen)} with the tracked figure")

    # The headline (index -1) and the sentences, as they are read below.
    texts = [(-1, title, "headline"), *((s.index, p, f"sentence {s.index + 1}") for s, p in zip(sentences, prepared, strict=True))]

    # The program named.
    anchored = 0
    named_at: list[int] = []  # where the program or its company is named (-1: the headline)
    for index, text, where in texts:
        for code in langs:
            anchor = story.anchor_in(code, text)
            if not anchor:
                continue
            weight = W_ANCHOR_TITLE if index < 0 else W_ANCHOR[min(anchored, 1)]
            if code in story.context and not (context(text) or context(title)):
                weight = weight / 2 if japan else 0.0
                reasons.append(f"names the program: '{anchor}' ({where}; Japan named {'elsewhere' if japan else 'nowhere'}) +{weight:g}")
            else:
                reasons.append(f"names the program: '{anchor}' ({where}) +{weight:g}")
            score += weight
            anchored += index >= 0
            named_at.append(index)
            break
        if anchored >= 2:
            break

    # The company named.
    if story.names is not None:
        for index, text, where in texts:
            name = story.names.find(text)
            if name:
                score += W_NAME
                reasons.append(f"names the company: '{name}' ({where}) +{W_NAME:g}")
                named_at.append(index)
                break

    # The consortium named by its backers, unless the sentence names another venture they back
    # ("Rapidus was founded by Toyota, Sony, NEC, SoftBank, MUFG and others").
    if story.members:
        rivals = [phrases for lookalike in story.lookalikes if lookalike.rival for code in langs if (phrases := lookalike.phrases.get(code))]
        for index, text, where in texts:
            found = list(dict.fromkeys(name for member in story.members for code in langs if code in member and (name := member[code].find(text))))
            if len(found) >= story.members_min and not any(phrases.find(text) for phrases in rivals):
                score += W_MEMBERS
                reasons.append(f"names the company's backers: {', '.join(found)} ({where}) +{W_MEMBERS:g}")
                named_at.append(index)
                break

    # Named only at the end: in passing.
    passing = bool(named_at) and _at_the_end(min(named_at), sentences)
    if passing:
        score /= 2
        reasons.append(f"names it only at the end (sentence {min(named_at) + 1} of {len(sentences)}): in passing, x0.5")

    # Facts stated.
    with_figure = sorted({m.fact_id for m in mentions if m.agrees}, key=_order)
    counts = [f for f in with_figure if book.fact(f).figure is not None and book.fact(f).figure.count]
    without = sorted({m.fact_id for m in mentions} - set(with_figure), key=_order)
    weight = W_FACT_FIGURE * (len(with_figure) - len(counts))
    weight += 0.0 if passing else W_FACT_COUNT * len(counts) + W_FACT * len(without)
    facts = min(FACTS_CAP, weight)
    if facts:
        score += facts
        parts = ([f"{', '.join(with_figure)} with the tracked figure"] if with_figure else []) + ([", ".join(without)] if without else [])
        reasons.append(f"states {'; '.join(parts)} +{facts:g}")

    # Named in the headline alone, over a body of its own that never comes back to it (no naming,
    # no fact): the headline's word, not the article's subject (an earlier plan's explainer).
    if named_at == [-1] and not mentions and len(sentences) >= SILENT_BODY:
        score -= W_ANCHOR_TITLE / 2
        reasons.append(f"the body ({len(sentences)} sentences) never names it nor states a fact -{W_ANCHOR_TITLE / 2:g}")

    # Sources credited.
    if attributions and score > 0:
        score += W_CREDIT
        reasons.append(f"credits {', '.join(a.outlet for a in attributions[:3])} +{W_CREDIT:g}")

    # Look-alikes, weighed by where they are named.
    penalties = []
    for lookalike in story.lookalikes:
        for code in langs:
            phrases = lookalike.phrases.get(code)
            if phrases is None:
                continue
            found = [(i, p) for i, p in enumerate(phrases.find(t) for t in [title, *prepared]) if p]
            if found:
                position, phrase = found[0]
                # In the headline it is the subject; in the lead it weighs more unless the article also
                # names the program (a SoftBank results story that mentions the program is kept).
                # A headline about it weighs most, unless the article states the program's own
                # figures (a SoftBank results story with OpenAI in its headline and the program's
                # 2 trillion yen in its body keeps the program).
                named_program = anchored > 0 or any(r.startswith("names the") for r in reasons)
                tracked = len(with_figure) > len(counts)
                # Further down, in an article that names the program in two sentences of its own, it is
                # listed beside the program (a budget story: Rapidus' line, then the program's): no weight;
                # nor in a sentence that names the program too ("for Rapidus and a domestic model").
                # A headline that names Japan beside it compares the two (日本・韓国・フランス): the
                # headline is not about the look-alike alone.
                beside_japan = position == 0 and lookalike.abroad and tracked and any(_japan(code).find(title) for code in langs)
                weight = (W_LOOKALIKE_HEADLINE if position == 0 and (lookalike.rival or not tracked) and not beside_japan
                          else W_LOOKALIKE if beside_japan
                          else W_LOOKALIKE if position <= 1 and not named_program
                          else 0.0 if anchored >= 2 or (position > 1 and position - 1 in named_at) else W_LOOKALIKE_LATER)  # fmt: skip
                penalties.append(weight)
                reasons.append(f"look-alike: {lookalike.name} ('{phrase}', {'headline' if position == 0 else f'sentence {position}'}) {weight:g}")
                break
    score += sum(sorted(penalties)[:LOOKALIKES_CAP])

    on_topic = japan and score >= THRESHOLD
    if not japan:
        reasons.insert(0, "Japan is named nowhere")
    elif not anchored and not any(r.startswith("names the program: '") and "headline" in r for r in reasons):
        reasons.insert(0, "does not name the program")
    return Relevance(on_topic, round(score, 2), tuple(reasons))


@cache
def _elsewhere(lang: str) -> Phrases:
    """Other countries named in `lang` (its `elsewhere` concept)."""
    return compile_phrases(LANGUAGES[lang].concepts.get("elsewhere", ()), lang)


@cache
def _japan(lang: str) -> Phrases:
    """The words that name Japan in `lang` (its `japan` concept)."""
    return compile_phrases(LANGUAGES[lang].concepts.get("japan", ()), lang)


def _at_the_end(index: int, sentences: list[Sentence]) -> bool:
    """Whether sentence `index` (-1: the headline) stands at the end of an article long enough to
    have one: in the last of four or more paragraphs, or the last quarter of eight or more sentences."""
    if index < 0 or not sentences:
        return False
    paragraphs = sentences[-1].paragraph + 1
    return (paragraphs >= 4 and sentences[index].paragraph == paragraphs - 1) or (len(sentences) >= 8 and index >= 0.75 * len(sentences))


def _order(fact_id: str) -> tuple[int, str]:
    return len(fact_id), fact_id

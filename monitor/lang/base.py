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
    # Languages whose concept words this language's text carries inline, in their own script: Korean
    # and Japanese tech writing mixes in English ("해외 AI dependency = 경제·안보 risk", "Robot, mobility
    # 처럼 real world에서 움직이는 machine"). A concept here also holds those languages' phrases.
    inline: tuple[str, ...] = ()
    stem: Callable[[str], str] = _same  # a word's stem (spaced languages); identity elsewhere
    # Words that start a credit of a source ("according to", "によると"), for attributions.
    credit_cues: tuple[str, ...] = ()
    # Page furniture that extraction can leave in a text, as whole-line patterns (folded text):
    # a byline, dateline or date line at the start, and rights or credit lines at the end; and a
    # wire dateline that opens the first paragraph ("(도쿄=연합뉴스) 김기자 = ", "【ソウル＝共同】").
    byline_line: re.Pattern | None = None
    closing_line: re.Pattern | None = None
    # ... and the heading of a note that continues the article after such a credit line (a cartoon's
    # "（作・汐見タロウ）", then "【編集部注】" and the editor's paragraphs): the closing line does not end it.
    note_line: re.Pattern | None = None
    # ... and a wire's bare end mark ("(끝)", "（了）", "-30-"): not the body's last line; it goes when it
    # ends the text (the pipeline's furniture learning drops it where a site repeats it: the same text either way).
    end_line: re.Pattern | None = None
    # ... and lines of furniture wherever they stand (an ad label, a share or print button, a
    # paywall meter, a tip-off box's contact lines).
    anywhere_line: re.Pattern | None = None
    dateline_prefix: re.Pattern | None = None
    # Detection: given the counts of a text's letters by script ("hangul", "kana", "han", "latin",
    # "all"), whether the text is in this language (None: Latin-script languages are told apart by
    # what the page declares, English by default).
    claims: Callable[[Mapping[str, int]], bool] | None = None
    # Legacy charsets this language's sites declare, and the superset they really send
    # (a page declaring euc-kr holds cp949-only syllables).
    charsets: Mapping[str, str] = field(default_factory=dict)
    # Sentences: marks that end one whatever follows, and words after which a full stop does not.
    sentence_stops: str = ""
    abbreviations: frozenset[str] = frozenset()
    # Phrases read as characters (monitor.lang.phrases): what, written right after a word of this
    # script and followed by a space, ends the phrase there (the gap a phrase's space allows does
    # not run over it).
    phrase_stops: tuple[str, ...] = ()
    # Figures (monitor.figures builds its patterns from every language's words): each entry is a
    # regular-expression alternative over NFKC text.
    figures: FigureWords = field(default_factory=lambda: FigureWords())


@dataclass(frozen=True)
class FigureWords:
    """How a language writes figures: currency and unit words after a number, hedges and bounds
    around it, speculation ("could exceed"), and what marks a fiscal year or a parameter count."""

    currencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # ISO code -> words after a number
    units: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # parameters, people, firms, years, percent
    # Count nouns that may have up to two words before them: "100 AI engineers", "ten other firms".
    gapped_units: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A count of a noun named earlier in the sentence, by a pronoun after it: "its engineers ... there
    # are about 100 of them" (the count takes the unit of the last `gapped_units` noun before it), and
    # what must stand before it for a total (not a part: "60 of them joined").
    pronoun_after: tuple[str, ...] = ()
    pronoun_before: tuple[str, ...] = ()
    # A bare number a verb of reaching leads to, ending its clause: the count it revises gave the
    # noun ("had about 100 engineers ..., now expects to reach roughly 300").
    reach_before: tuple[str, ...] = ()
    # ... and what may follow it at its clause's end ("by spring", "next year").
    clause_end_after: tuple[str, ...] = ()
    # Words before a multiple that make it no figure: "a few dozen", "several hundred" (as 数十 is none).
    vague_before: tuple[str, ...] = ()
    # A question asking for a count, by what it counts: unit -> patterns ("how many engineers",
    # "何人", "몇 명"). The bare number opening the answer counts that ("About 100, mostly seconded ...").
    asked_units: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Words before a number that make it a place in a list, not a count: "number two", "step 3".
    ordinal_before: tuple[str, ...] = ()
    # A data block's column of flows, not sums committed ("Revenue (¥bn)", "売上高（億円）", "매출(억엔)"):
    # its header's unit is not given to its numbers (monitor.figures.table_units).
    flow_columns: tuple[str, ...] = ()
    # A data block's column that gives each row's unit ("item,before,after,unit", "항목,변경 전,변경 후,단위",
    # "項目,従来,今回,単位"): a row's bare numbers are read in the unit its cell names ("億円", "billion yen").
    unit_columns: tuple[str, ...] = ()
    # Between a sum and a number written with its scale alone, what makes the number another party's
    # ("while US tech giants ...", "한국 정부도", "韓国政府は"): the number does not take the sum's
    # currency (monitor.figures, _carried_currency).
    other_party: tuple[str, ...] = ()
    approx_before: tuple[str, ...] = ()
    approx_after: tuple[str, ...] = ()
    min_before: tuple[str, ...] = ()
    min_after: tuple[str, ...] = ()
    max_before: tuple[str, ...] = ()
    max_after: tuple[str, ...] = ()
    speculative_before: tuple[str, ...] = ()  # "could exceed" before the number
    speculative_after: tuple[str, ...] = ()  # "超の可能性", "넘을 수도" after it
    # ... but a level the figure may reach is the figure itself, not a bound: "約3兆円規模に達する可能性",
    # "약 3조엔에 이를 수도" (as "could reach about ¥3 trillion" is): what stands right after it.
    attained_after: tuple[str, ...] = ()
    # A figure that is an increment, not a level ("an extra 500 billion yen", "5000억엔 더", "5000億円を
    #上積み"): what stands before it, or right after it. No fact's figure is an increment.
    increment_before: tuple[str, ...] = ()
    increment_after: tuple[str, ...] = ()
    # A figure that is a rate per year, not a sum ("年平均でおよそ3000億円", "연평균 3000억엔꼴", "about
    # ¥300 billion a year"), or a share of each ("매 라운드 2000억엔씩", "1000億円ずつ", "¥100 billion
    # apiece"): what stands before it, or right after it. No fact's figure is a rate or a share.
    per_year_before: tuple[str, ...] = ()
    per_year_after: tuple[str, ...] = ()
    # A count of people that is a crowd, no one's staff ("주민 80여 명이 나왔다", "約120人が詰めかけた",
    # "about 120 people turned out"): the noun right before it, or what follows it. It is read with no unit.
    crowd_before: tuple[str, ...] = ()
    crowd_after: tuple[str, ...] = ()
    fiscal_before: tuple[str, ...] = ()
    fiscal_after: tuple[str, ...] = ()
    parameters_before: tuple[str, ...] = ()  # "パラメーター数は" before a bare number
    # A verb of being right before a bare number, which a label after it then names as one that opens
    # its sentence would be: "The number everyone here lives with is one trillion: the parameter count".
    copula_before: tuple[str, ...] = ()
    # What names a bare number as a count of people: "expand its engineering staff to around 300".
    headcount_before: tuple[str, ...] = ()
    # ... and the same words before a verb of reaching ("staff is to reach roughly 300"): a count only
    # where the bare number ends its clause.
    headcount_reach_before: tuple[str, ...] = ()
    # A number that is the whole of a proportion, not a count: "seven in ten firms", "10곳 중 7곳",
    # "10社中7社", "10人に1人": what stands before it, or after it (and its unit).
    proportion_before: tuple[str, ...] = ()
    proportion_after: tuple[str, ...] = ()
    # A count of the others besides the one named before it: "SoftBank set up a company with eight
    # other firms" is nine firms in all. What stands between the number and its noun. An exact
    # count only: "about ten other firms" stays the ten it approximates.
    others_between: tuple[str, ...] = ()
    # A figure revised: what stands between the old figure and the new ("約100人から約300人",
    # "100명 안팎에서 약 300명", "from 100 to 300"), or between the new and the old ("to about 300,
    # from around 100"), as whole-gap patterns; and what must precede the old figure for the first
    # (English "from": "100 to 300" alone is a range).
    revised_to: tuple[str, ...] = ()
    revised_from: tuple[str, ...] = ()
    revised_lead: str = ""
    # ... and the old figure as what it was, then more words before the new one, which must go to
    # (`tail`, matched after the new figure): (gap, tail) pairs. "100명이던 엔지니어는 ... 300명으로",
    # not "100人だった技術者は、60人がソフトバンク出身" (a breakdown) nor "40人が元の職場に戻った".
    revised_was: tuple[tuple[str, str], ...] = ()
    # A redline (an outlet showing a plan's revised text): the words that mark struck text and added
    # text in brackets, "[deleted: about 100 engineers] [added: about 300 engineers]": the figure
    # struck is the old one, the one added beside it the new.
    struck_marks: tuple[str, ...] = ()
    added_marks: tuple[str, ...] = ()
    # What makes a "from X to Y" a range, not a revision, before it: "range from 3 to 4 trillion yen".
    range_lead: tuple[str, ...] = ()
    # A range ("between 90 and 110 engineers", "90명에서 110명 사이", "90～110人"): (what must end the
    # text before the first figure, the whole gap between the two, what must open the text after the
    # second), each a pattern, "" for no condition. The two read as one figure, their midpoint.
    ranges: tuple[tuple[str, str, str], ...] = ()
    # What a figure that opens a sentence as its subject counts, named after it ("1 trillion: the
    # parameters targeted", "10여 개는 ... 출자하는 기업 수다", "1兆は、...パラメーター数の目標値"):
    # unit -> nouns; and the counters and topic marks that may stand between the figure and them.
    label_nouns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    label_marks: tuple[str, ...] = ()

    def concept(self, name: str) -> tuple[str, ...]:
        """The phrases of a concept in this language (KeyError when it has none)."""
        return self.concepts[name]

"""Figures in Korean, Japanese and English news text: numbers with their scale, unit and hedges.

    find_figures("官民で総額約３兆円（約28兆ウォン）規模")
    -> [Figure(value=3e12, unit="JPY", approx=True, ...), Figure(value=2.8e13, unit="KRW", conversion_of=0, ...)]

Handles digits with commas and full-width digits (NFKC), decimals, the CJK scales 万/億/兆 and
만/억/조 with their small units 十百千 / 십백천 in mixed forms (3천873억, 1兆2000億, 三兆, 十数社),
English million/billion/trillion and mn/bn/tn, number words, currencies (yen/円/엔/¥/JPY,
won/원/₩/KRW, dollars/$/달러/ドル, ...), approximators (約, 약, 가량, about), bounds (超, 以上, 이상,
more than), counts (people, firms), parameters, periods (5年間, 5년간, over five years) and fiscal
years (2026年度, 26年度, 2026회계연도, fiscal 2026). A figure in parentheses right after a figure is
a conversion of it (`conversion_of`), never a main figure. Pure functions; offsets refer to the
text as given.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from monitor.lang import LANGUAGES

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "壱": 1, "弐": 2, "参": 3}
_HANGUL_DIGITS = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6, "칠": 7, "팔": 8, "구": 9}
_SMALL = {"十": 10, "拾": 10, "百": 100, "千": 1000, "阡": 1000, "십": 10, "백": 100, "천": 1000}
_BIG = {"万": 1e4, "萬": 1e4, "億": 1e8, "兆": 1e12, "만": 1e4, "억": 1e8, "조": 1e12}
_EN_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9,
             "bln": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12, "t": 1e12,
             # a hurried writer's spellings: "1 trilion yen", "387.3 billon"
             "milion": 1e6, "millon": 1e6, "milon": 1e6, "bilion": 1e9, "billon": 1e9, "bilon": 1e9, "trilion": 1e12,
             "trillon": 1e12, "trilon": 1e12}  # fmt: skip
_EN_WORDS = {"zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
             "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
             "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
             "dozen": 12, "hundred": 100}  # fmt: skip

_CJK_NUMERAL = "0-9.,〇零一二三四五六七八九壱弐参十拾百千阡万萬億兆"
_HANGUL_NUMERAL = "영공일이삼사오육륙칠팔구십백천만억조"
# A number: digits (with commas, decimals) and CJK scale characters, possibly spaced "3조 2000억".
_NUMBER = re.compile(
    rf"(?<![0-9.])(?<![0-9],)(?:[0-9]+(?:,[0-9]{{3}}(?![0-9]))*(?:\.[0-9]+)?|[〇零一二三四五六七八九壱弐参十拾百千])"
    # (a comma goes on only before three digits, as thousands are grouped, or before a scale, as a
    # spreadsheet's next cell gives it ("30000,억엔"): "1兆,1兆" is not 2兆, and what follows "1," is
    # no number of its own (a decimal comma's tail, "1,1 trillion"; a spreadsheet's cells are read
    # one by one by `table_units`); a space goes on only after a scale, "1조 5,000억", "7천 5백만",
    # "1兆 5千億": "00:54 1兆" is a timestamp, then 1兆; "2 300億円" a list's number, then 300億円)
    rf"(?:[{_CJK_NUMERAL.replace(',', '')}천백십만억조]|,(?=[0-9]{{3}}(?![0-9])|[万億兆만억조])|(?<=[천백십만억조万億兆千百十])\s(?=[0-9][0-9,]*[천백십만억조万億兆千百十]))*"
)
_KO_GAE = "개(?![혁발선편최방념요입])"  # 개 as a counter, not 개혁, 개발 or 개편
# Hangul numerals ("삼조엔", "삼조 엔", "백여 명", "일조 개") only with a scale and a unit right after
# (a space and 여, "-odd", may stand between): 구조 (structure), 이사 (director) and the like are
# words, and so is 구조 개편.
_HANGUL_NUMBER = re.compile(
    rf"(?<![가-힣])[{_HANGUL_NUMERAL}]*[십백천만억조][{_HANGUL_NUMERAL}]*"
    # ... in groups, as a script read aloud writes it: "일조 오천억 엔"
    rf"(?:\s[{_HANGUL_NUMERAL}]*[만억][{_HANGUL_NUMERAL}]*)*"
    rf"(?=여?\s?(?:엔|원|달러|명|곳|{_KO_GAE})|$)"
)
# Native Korean numbers before a counter: 열 곳 (10 places), 스무 명 (20 people), 두 회사 is no count.
_KO_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50}
_KO_UNITS = {"한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "네": 4, "넷": 4, "다섯": 5, "여섯": 6, "일곱": 7,
             "여덟": 8, "아홉": 9}
_KO_UNIT_WORDS = "|".join(sorted(_KO_UNITS, key=len, reverse=True))
_KO_COUNTER = rf"\s?(?:곳|명|군데|{_KO_GAE})"
_KO_NATIVE = re.compile(
    rf"(?<![가-힣])(?:(?P<tens>{'|'.join(_KO_TENS)})(?:\s?(?P<units>{_KO_UNIT_WORDS}))?|(?P<alone>{_KO_UNIT_WORDS}))(?={_KO_COUNTER})"
)
_EN_NUMBER = re.compile(
    r"(?<![\w$])(?P<words>(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"dozen|a|an)(?:[\s-](?:and\s)?(?=(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|dozen|thousand|million|billion|trillion)\b))?)+"
    # a decimal read out, as transcripts and spelled-out styles write it: "one point five trillion"
    # ("one-point-five"),
    # or a fraction after the whole: "one and a half trillion", "two-and-a-half billion"
    r"(?:[\s-]+point(?:[\s-]+(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b)+"
    r"|(?<!\ba)(?<!\ban)[\s-]+and[\s-]+an?[\s-]+(?:half|quarter)\b)?)"
    r"(?=\s*(?:thousand|million|billion|trillion|dozen|\s)|\b)",
)  # (searched in lower-cased text)
# Anything a figure can start with: a digit (any width), a CJK numeral, an English number word.
# (three patterns, not one: the digits' class is scanned for in one pass, and the number words,
# searched in lower-cased text, need no case-blind matching, which is four times slower)
_ANY_DIGIT = re.compile(rf"[0-9０-９{_CJK_NUMERAL[5:]}십백천만억조]")
_ANY_NUMBER_WORD = re.compile(
    rf"\b(?:{'|'.join(w for w in _EN_WORDS if w not in ('a', 'an'))}|thousand|mil{{1,2}}i?on|bil{{1,2}}i?on|tril{{1,2}}i?on)\b"
)
_ANY_KO_COUNT = re.compile(rf"(?:{'|'.join(_KO_TENS)}|{_KO_UNIT_WORDS}){_KO_COUNTER}")


def _any_numeral(text: str, lowered: str) -> bool:
    """Whether `text` (`lowered`: the same, lower-cased) holds anything a figure can start with: a
    digit (any width), a CJK numeral, an English number word, a native Korean count."""
    return bool(_ANY_DIGIT.search(text) or _ANY_NUMBER_WORD.search(lowered) or _ANY_KO_COUNT.search(text))


def _lower(text: str) -> str:
    """`text` lower-cased, one character for one (what case-blind patterns read instead)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}
_A_SCALE = re.compile(r"\s+(?:thousand|mil{1,2}i?on|bil{1,2}i?on|tril{1,2}i?on)\b", re.I)
# A scale word alone in a compound adjective with a unit, as headlines write it ("builds
# trillion-parameter model"): one of the scale. The position before it.
_BARE_SCALE = re.compile(r"(?<![\w$.,\-])(?=(?:thousand|million|billion|trillion)-parameters?\b)")  # (lower-cased text)
# A Japanese scale alone as the order of a size: "パラメーター数を兆の単位に乗せる", "兆規模のパラメーター"
# (one of the scale, approximate: "on the order of a trillion").
_BARE_CJK_SCALE = re.compile(r"(?<![0-9０-９〇零一二三四五六七八九十百千万億兆数何])兆(?=(?:の?単位|規模|級)(?!には届|に届か|に満た))")
# A scale word ends where Latin letters and digits do ("¥2tnを投じる": Japanese may follow at once);
# a one-letter scale keeps the word boundary ("100m走" is a hundred metres).
_EN_SCALE_AFTER = re.compile(r"\s*-?\s*(thousand|million|billion|trillion|mil{1,2}i?on|bil{1,2}i?on|tril{1,2}i?on|mln|mn|bln|bn|trn|tn|k\b|m\b|b\b|t\b)(?![a-z0-9])", re.I)

_CURRENCY_BEFORE = re.compile(r"(US\$|\$|¥|￥|JPY\s?|KRW\s?|₩|USD\s?|€|EUR\s?|£)\s*$")
_PREFIX_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "¥": "JPY", "￥": "JPY", "jpy": "JPY", "krw": "KRW", "₩": "KRW",
                    "€": "EUR", "eur": "EUR", "£": "GBP"}  # fmt: skip

# The words around a number come from each language's module (monitor.lang.<code>.figures):
# gathered here into one pattern per job, so that a text is read the same whatever its language.


def _words(job: str, key: str | None = None) -> str:
    found: list[str] = []
    for spec in LANGUAGES.values():
        words = getattr(spec.figures, job)
        found.extend(words.get(key, ()) if key is not None else words)
    return "|".join(dict.fromkeys(found))


_CURRENCIES = ("JPY", "KRW", "USD", "EUR", "CNY")
_CURRENCY_AFTER = [(re.compile(rf"^\s?-?\s?({_words('currencies', code)})", re.I), code) for code in _CURRENCIES]
# English counts may have up to two words before their noun: "100 AI engineers", "ten other Japanese companies".
_EN_GAP = r"(?:(?:[a-z][\w'’-]*|ai)\s+){0,2}?"
_UNITS_AFTER = [
    (re.compile(rf"^\s?-?\s?({_words('units', 'parameters')})", re.I), "parameters", "parameters"),
    (re.compile(rf"^\s?({_words('units', 'people')})", re.I), "people", "count"),
    (re.compile(rf"^\s?({_words('units', 'firms')})", re.I), "firms", "count"),
    (re.compile(rf"^\s{_EN_GAP}({_words('gapped_units', 'people')})", re.I), "people", "count"),
    (re.compile(rf"^\s{_EN_GAP}({_words('gapped_units', 'firms')})", re.I), "firms", "count"),
    (re.compile(rf"^\s?({_words('units', 'years')})", re.I), "years", "period"),
    (re.compile(rf"^\s?(%|％|{_words('units', 'percent')})", re.I), "percent", "percent"),
]
# Every unit a figure can carry (what a fact definition may name).
MONEY_UNITS = frozenset({"JPY", "KRW", "USD", "EUR", "CNY", "GBP"})
UNITS = MONEY_UNITS | {"parameters", "people", "firms", "years", "percent"}

_PARAMETERS_BEFORE = re.compile(
    rf"({_words('parameters_before')})(?:\s*[(（][^)）]{{1,12}}[)）])?\s*(?:数|수|count)?\s*"
    rf"(?:は|が|가|이|는|은|of|:)?\s*(?:{_words('approx_before')})?\s*$",
    re.I,
)
_PARAMETERS_NEAR = re.compile(
    rf"(?:{_words('parameters_before')})[^。．.!?！？;；0-9０-９$¥€£₩円엔원]{{0,24}}$", re.I
)
# A count given after its noun as a label, as fact lists write it: "Engineers: about 100",
# "Participating companies: nine", "Engineers on staff at launch: about 100", a table's row
# "Engineers | About 100 | ..." (the label opens the line or follows a separator).
_LABELS_BEFORE = [
    (re.compile(rf"(?:\A|[\n;|•·])\s*(?:[^\W\d_][\w'’-]*\s+)?(?:{_words('gapped_units', unit)})(?:\s+[^\W\d_][\w'’-]*){{0,4}}\s*[:：|｜]\s*"
               rf"(?:(?:{_words('approx_before')}|{_words('min_before')}|{_words('max_before')})\s*)?\Z", re.I), unit)
    for unit in ("people", "firms")
]
# A hedge of a word or more written inside a count's text, between its counter and its noun.
_HEDGE_INSIDE = re.compile(r"\S\s?(?:%s)" % "|".join(w for w in _words("approx_after").split("|") if len(w) >= 2 and w.isalpha() and not w.isascii()))
_PROPORTION_BEFORE = re.compile(rf"(?:{_words('proportion_before')})$", re.I)
_PROPORTION_AFTER = re.compile(rf"(?:{_words('proportion_after')})")  # matched at the figure's end
_HEADCOUNT_BEFORE = re.compile(rf"(?:{_words('headcount_before')})\s+(?:(?:{_words('approx_before')})\s*)?$", re.I)
_HEADCOUNT_REACH_BEFORE = (re.compile(rf"(?:{_words('headcount_reach_before')})\s+(?:(?:{_words('approx_before')})\s*)?$", re.I)
                           if _words("headcount_reach_before") else None)
# ... or named after a figure that opens the sentence: "1 trillion: parameters targeted", "About 10:
# the number of companies", "1兆は、基盤モデルのパラメーター数の目標値だ", "10여 개는 출자하는 기업 수다".
# ... also one that opens a quotation: '"About ten" is the number everyone uses for the shareholders'.
_LEAD_FIGURE = re.compile(rf"(?:\A|\n|[\"“‘])\s*(?:(?:{_words('approx_before')})\s*)?\Z", re.I)
_COPULA_LEAD = re.compile(rf"(?:{_words('copula_before')})\s+(?:(?:{_words('approx_before')})\s+)?\Z", re.I) if _words("copula_before") else None


def _labels(between: str) -> list[tuple[re.Pattern, str]]:
    """Per unit, a label noun after a mark (`label_marks`), with `between` them."""
    return [
        (re.compile(rf"(?P<mark>{_words('label_marks')})\s*{between}(?:{_words('label_nouns', unit)})", re.I), unit)
        for unit in ("parameters", "firms", "people")
    ]


_LABELS_AFTER = _labels(r"[^.。!?！？\n]{0,40}?")
_LABELS_RIGHT_AFTER = _labels(r"(?:[^\W\d_]+\s+)?")  # one word at most: "one trillion: the parameter count"
_PRONOUN_AFTER = re.compile(rf"(?:{_words('pronoun_after')})", re.I) if _words("pronoun_after") else None
_PRONOUN_BEFORE = re.compile(rf"(?:{_words('pronoun_before')})$", re.I) if _words("pronoun_before") else None
_REACH_BEFORE = re.compile(rf"(?:{_words('reach_before')})$", re.I) if _words("reach_before") else None
_VAGUE_MULTIPLE = re.compile(rf"\b(?:{_words('vague_before')})\s+$", re.I) if _words("vague_before") else None
# ... a place in a list only where the word opens a line, a clause or a caption's timecode ("00:32
# number two people", "Step 3: ..."), and for a small number: "staff will number 300 engineers",
# "backers number 10 companies" are counts.
_ORDINAL = (re.compile(rf"(?:^|[\n.:;!?—–-]\s*|\d{{1,2}}:\d{{2}}\s+)(?:{_words('ordinal_before')})\s+$", re.I)
            if _words("ordinal_before") else None)
_ORDINAL_MAX = 20
_OPEN_QUOTE = re.compile(r"\s?[\"“‘'「『]")
_PARAMETERS_EARLIER = re.compile(rf"(?:{_words('parameters_before')})", re.I)
_STOP = re.compile(r"[.!?。！？]\s")  # a sentence's end inside a text
_CLAUSE_END = re.compile(rf"\s*(?:[.,;:!?)、。，．！？）]|$|(?:{_words('clause_end_after')})\b)", re.I)
# A number set off by a comma after a noun, the noun's count in apposition: "engineers, about 100 of them,".
_APPOSED = re.compile(rf"(?:,|\s?[—–(（]|\s-)\s*(?:all\s+)?(?:(?:{_words('approx_before')}|{_words('min_before')})\s+)?$", re.I)
# ... closed right after "of them" by a comma, a dash, a bracket or the sentence's end: "40 of them in
# Osaka" is where some of them are, a part.
_APPOSITION_CLOSED = re.compile(r"(?:\s+(?:in\s+all|in\s+total|altogether|all\s+told))?\s*(?:[,;.!?)）—–]|\s-\s|$)", re.I)
# ... and not a part by its place in the sentence: "Among the engineers, 60 of them ...", "When Nikkei
# polled the staff, 45 of them ..."
_PARTITIVE_BEFORE = re.compile(r"\b(?:among|amongst|polled|surveyed|asked|interviewed|questioned)\b", re.I)
_NOUNS_BEFORE = [(unit, re.compile(rf"\b(?:{_words('gapped_units', unit)})", re.I)) for unit in ("people", "firms")]
_FISCAL_BEFORE = re.compile(rf"({_words('fiscal_before')})\s?$", re.I)
_FISCAL_AFTER = re.compile(rf"^({_words('fiscal_after')})")


def _caseless(source: str) -> re.Pattern:
    """`source` compiled to search lower-cased text (`_lower`) as `re.I` would search any: its letters
    lower-cased, escapes (\\s, \\S, \\b) and group names kept. A case-blind pattern is tried at
    every position of a text; this one only where its first characters stand (several times faster
    on the windows before each figure)."""
    out, i = [], 0
    while i < len(source):
        if source[i] == "\\":
            out.append(source[i : i + 2])
            i += 2
        elif source.startswith(("(?P<", "(?P="), i):
            close = source.index(">" if source[i + 3] == "<" else ")", i)
            out.append(source[i : close + 1])
            i = close + 1
        else:
            out.append(source[i].lower() if source[i].isascii() else source[i])
            i += 1
    return re.compile("".join(out))


# (these three searched in a lower-cased window before a figure)
_APPROX_BEFORE = _caseless(rf"({_words('approx_before')})\s*$")
_APPROX_AFTER = re.compile(rf"^\s?({_words('approx_after')})")
_MIN_BEFORE = _caseless(rf"({_words('min_before')})\s*$")
_MIN_AFTER = re.compile(rf"^\s?({_words('min_after')})")
# (a hedge may stand between: "up to about ¥1 trillion", "最大およそ1兆円")
_MAX_BEFORE = _caseless(rf"({_words('max_before')})\s*(?:(?:{_words('approx_before')})\s*)?$")
_MAX_AFTER = re.compile(rf"^\s?({_words('max_after')})")


@dataclass(frozen=True)
class Figure:
    text: str  # as written (the number, its scale and unit)
    start: int
    end: int
    value: float
    unit: str | None  # JPY, KRW, USD, EUR, CNY, GBP, parameters, people, firms, years, percent, or None
    kind: str  # money, count, parameters, period, fiscal_year, percent, proportion, number
    approx: bool = False
    bound: str | None = None  # "min" (more than, 超, 이상) or "max" (under, 未満, 미만)
    # A figure the text only says may be exceeded, or denies ("could exceed", "X超の可能性", "X 넘을 수도",
    # "unlikely to reach X"): not a statement of the figure, so it never agrees with a tracked one. A level
    # the text says may be reached ("could reach about X", "X규모에 이를 수도") is the figure itself.
    speculative: bool = False
    increment: bool = False  # "an extra 500 billion yen", "5000억엔 더": a change, never a fact's figure
    per_year: bool = False  # "年平均3000億円", "about ¥300 billion a year", "2000억엔씩": a rate or a share, never a fact's figure
    # A bare count a verb of reaching leads to, after a smaller count of people in its sentence: it
    # revises that count ("had about 100 engineers ..., now expects to reach roughly 300").
    reached: bool = False
    conversion_of: int | None = None  # index of the figure this one converts (in parentheses after it)
    tabled: bool = False  # a data block's number, read in the unit its column's header gives (table_units)


def parse_number(token: str) -> float | None:
    """The value of one number token: "3,000", "1.5", "3천873억", "1兆2000億", "三兆", "十数", "삼십삼"."""
    token = unicodedata.normalize("NFKC", token).replace(",", "").replace(" ", "")
    if not token:
        return None
    try:
        return float(token)
    except ValueError:
        pass
    total = section = 0.0
    current: float | None = None
    for part in re.findall(r"[0-9]+(?:\.[0-9]+)?|.", token):
        if part[0].isdigit():
            current = float(part)
        elif part in _KANJI_DIGITS or part in _HANGUL_DIGITS:
            digit = _KANJI_DIGITS.get(part, _HANGUL_DIGITS.get(part))
            current = digit if current is None or current >= 10 else current * 10 + digit
        elif part in _SMALL:
            section += (1 if current is None else current) * _SMALL[part]
            current = None
        elif part in _BIG:
            group = section + (current or 0)
            total += (group or 1) * _BIG[part]
            section, current = 0.0, None
        elif part in "数수":
            continue  # "十数": ten-odd, an approximation marked by the caller
        else:
            return None
    return total + section + (current or 0)


# A figure revised, per language: (gap from the old to the new figure, what precedes the old one),
# and the gap from the new figure to the old (monitor.lang.<code>.figures.revised_*).
_REVISED_TO = [(re.compile(gap, re.I), re.compile(spec.figures.revised_lead, re.I) if spec.figures.revised_lead else None)
               for spec in LANGUAGES.values() for gap in spec.figures.revised_to]  # fmt: skip
_REVISED_FROM = [re.compile(gap, re.I) for spec in LANGUAGES.values() for gap in spec.figures.revised_from]
_REVISED_WAS = [(re.compile(gap, re.I), re.compile(tail, re.I)) for spec in LANGUAGES.values() for gap, tail in spec.figures.revised_was]
# A redline: the old figure in a bracket of struck text, the new one in the bracket of added text
# right after it ("[deleted: about 100 engineers] [added: about 300 engineers]", "[삭제: 약 100명] [추가: 약 300명]").
_STRUCK = "|".join(re.escape(w) for spec in LANGUAGES.values() for w in spec.figures.struck_marks)
_ADDED = "|".join(re.escape(w) for spec in LANGUAGES.values() for w in spec.figures.added_marks)
_REDLINE_LEAD = re.compile(rf"[\[［【]\s*(?:{_STRUCK})\s*[:：]\s*[^\[\]［］【】]{{0,60}}$", re.I)
_REDLINE_GAP = re.compile(rf"[^\[\]［］【】]{{0,40}}[\]］】]\s*[\[［【]\s*(?:{_ADDED})\s*[:：]\s*[^\[\]［］【】]{{0,60}}", re.I)


# A range of two figures, per language: (what ends the text before the first, the gap, what opens
# the text after the second) (monitor.lang.<code>.figures.ranges); None where there is no condition.
_RANGES = [(re.compile(f"(?:{lead})$", re.I) if lead else None, re.compile(gap, re.I), re.compile(tail.removeprefix("^")) if tail else None)
           for spec in LANGUAGES.values() for lead, gap, tail in spec.figures.ranges]  # fmt: skip
_LEADING_NUMBER = re.compile(r"[^\d０-９]*([\d０-９][\d０-９.,．，]*)")


def _scaled_like(a: Figure, b: Figure) -> float:
    """The first end of a range as the second's scale makes it: the 2 of "2-3 trillion yen", "2～3兆円"
    (a number written without the scale the second end carries); `a.value` when it has its own."""
    if a.value >= 1000 or b.value < 1000 * a.value:
        return a.value
    leading = _LEADING_NUMBER.match(b.text)
    written = parse_number(leading.group(1)) if leading else None
    return a.value * (b.value / written) if written else a.value


def _bounds_a_range(text: str, a: Figure, b: Figure) -> float | None:
    """The first end's value when `a` and `b` bound a range of one quantity, else None: the second
    with a unit, the first without one or with the same, neither a conversion, the ends within a
    factor of two, and a language's range form around and between them."""
    unit = b.unit or a.unit
    if unit is None or a.unit not in (None, unit) or b.unit not in (None, unit) or a.conversion_of is not None \
            or b.conversion_of is not None or a.value <= 0:
        return None
    low = _scaled_like(a, b)
    if not low < b.value <= 2 * low:
        return None
    for lead, gap, tail in _RANGES:
        if gap.fullmatch(text, a.end, b.start) and (lead is None or lead.search(text, 0, a.start)) \
                and (tail is None or tail.match(text, b.end)):
            return low
    return None


def _join_ranges(text: str, figures: list[Figure]) -> list[Figure]:
    """Two figures that bound a range of one quantity ("between 90 and 110 engineers", "90명에서
    110명 사이", "90～110人") as one figure, their midpoint, approximate: the range states the
    quantity, neither end does. Only ends within a factor of two of each other ("2-3 trillion yen":
    the 2 takes the 3's scale), the first without a unit or with the second's."""
    joined: list[Figure] = []
    i = 0
    while i < len(figures):
        a = figures[i]
        b = figures[i + 1] if i + 1 < len(figures) else None
        low = _bounds_a_range(text, a, b) if b is not None else None
        if low is not None:
            unit = b.unit or a.unit
            kind = b.kind if b.unit is not None else a.kind
            joined.append(Figure(text=text[a.start : b.end], start=a.start, end=b.end, value=(low + b.value) / 2,
                                 unit=unit, kind=kind, approx=True))  # fmt: skip
            i += 2
            continue
        joined.append(a)
        i += 1
    return joined


def revisions(text: str, figures: list[Figure]) -> dict[int, int]:
    """Figures that revise another figure of the same unit in `text` (their list from
    `find_figures(text)`): index of the new figure -> index of the old one. "約100人から約300人に増やす",
    "100명 안팎에서 약 300명으로", "expand to about 300, from around 100": 300 revises 100."""
    found: dict[int, int] = {}
    for i in range(len(figures) - 1):
        a = figures[i]
        # the next figure of the same unit: one of another unit may stand between ("약 1조엔이던
        # 5년간 지원 규모를 약 1조5000억엔으로")
        j = next((k for k in range(i + 1, len(figures)) if figures[k].unit == a.unit), None)
        if a.unit is None or j is None:
            continue
        b = figures[j]
        gap = text[a.end : b.start]
        if any(to.fullmatch(gap) and (lead is None or lead.search(text[: a.start])) for to, lead in _REVISED_TO) \
                or any(was.fullmatch(gap) and tail.match(text, b.end) for was, tail in _REVISED_WAS) \
                or (b.reached and not _STOP.search(gap)) \
                or (_REDLINE_GAP.fullmatch(gap) and _REDLINE_LEAD.search(text, 0, a.start)):
            found[j] = i
        elif any(back.fullmatch(gap) for back in _REVISED_FROM):
            found[i] = j
    return found


_CLOCK = re.compile(r"\d{1,2}:\d{2}(?!\d)")
_CLOCK_BEFORE = re.compile(r"\d{1,2}:$|\d{1,2}:\d{2}:$")  # minutes and seconds after the hour ("11:30", "00:01:03,200")


# Japanese papers write a decimal point as a middle dot before a scale or percent: "1・5兆円" is
# 1.5 trillion yen, "3・5%" 3.5 percent, "0・5ポイント" (a list of numbers, "1・2号機", has no scale after it).
_NAKAGURO_POINT = re.compile(r"(?<=\d)・(?=\d{1,3}\s?(?:兆|億|万|倍|%|ポイント))")


# A data block's header cell that gives its column's unit: "amount_jpy_bn", "금액(억엔)", "金額（億円）".
_HEADER_UNIT_PART = re.compile(r"[(（\[［]([^)）\]］]{1,16})[)）\]］]")
_FLOW_COLUMN = re.compile(rf"(?:{_words('flow_columns')})", re.I)
# ... which names a currency (a sign or a word of one): what a cell is tested for before it is read
_HEADER_CURRENCY = re.compile(rf"[¥￥$₩€£]|{'|'.join(_words('currencies', code) for code in _CURRENCIES)}", re.I)


# ... or a column that gives each row's unit ("unit", "単位", "단위"), and a cell that is a bare number
_UNIT_COLUMNS = frozenset(word.lower() for spec in LANGUAGES.values() for word in spec.figures.unit_columns)
_INDEX_COLUMN = re.compile(r"(?i)no\.?|#|번호|순번|순위|番号|順位|rank|item no\.?")
_BARE_CELL = re.compile(rf"\s*(?:(?:{_words('approx_before')})\s*)?[0-9０-９][0-9０-９.．兆億万千조억만천]*\s*$", re.I)


def table_units(lines: list[str], figures: list[list[Figure]]) -> list[list[Figure]]:
    """`figures` of `lines` (a text's sentences, each with the figures `find_figures` read), with the
    bare numbers of a data block read in the unit its header gives their column: "item,amount_jpy_bn,
    period" then "SoftBank investment in data centres,2000,multi-year" is 2 trillion yen; "| 항목 |
    금액(억엔) |" then "| 민관 총투자 목표 | 약 30000 |" 3 trillion. A block is a header line and the lines
    right after it with as many cells (comma-separated, or a table's "|" cells), or all of it run
    together on one line, as a page shows a block of lines in one paragraph. A block whose header has
    a column of units ("item,before,after,unit") reads each row's bare numbers in the unit the row
    names there: "METI support over five years,1000,1500,billion yen" is 1 and 1.5 trillion yen. A
    number a row writes with its own unit ("約2兆円") keeps it."""
    out = list(figures)
    i = 0
    while i < len(lines):
        sep = "|" if lines[i].lstrip().startswith("|") else ","
        cells = _cells(lines[i], sep)
        if len(cells) < 3:
            i += 1
            continue
        column = next((k for k, (text, _, _) in enumerate(cells[:12]) if text.strip().lower() in _UNIT_COLUMNS), None)
        if column is not None:
            rows = _rows_run_together(cells, column)
            skipped = frozenset(k for k, (text, _, _) in enumerate(cells[:12]) if _INDEX_COLUMN.fullmatch(text.strip()))
            for row in rows:  # the block run together on this line
                out[i] = _in_row_unit(out[i], row, column, skipped)
            j = i + 1
            while not rows and j < len(lines) and len(row := _cells(lines[j], sep)) == len(cells):
                out[j] = _in_row_unit(figures[j], row, column, skipped)
                j += 1
            i = j
            continue
        units = [_header_unit(text) for text, _, _ in cells]
        if not any(units):
            i += 1
            continue
        flat = _run_together(cells, units)
        if flat:
            out[i] = _in_units(lines[i], figures[i], flat)
            i += 1
            continue
        j = i + 1
        while j < len(lines) and len(row := _cells(lines[j], sep)) == len(cells):
            out[j] = _in_units(lines[j], figures[j], [(a, b, unit) for (_, a, b), unit in zip(row, units) if unit])
            j += 1
        i = j
    return out


def _cells(line: str, sep: str) -> list[tuple[str, int, int]]:
    """The cells of a line as (text, start, end)."""
    cells, at = [], 0
    for text in line.split(sep):
        cells.append((text, at, at + len(text)))
        at += len(text) + 1
    return cells


def _rows_of(cells: list[tuple[str, int, int]], columns: int) -> list[list[tuple[str, int, int]]]:
    """The rows of a header and its rows run together on one line ("item,amount_jpy_bn,period,source
    FY2026 ...,387.3,FY2026,METI SoftBank ...,2000,..."), read as a block of `columns`: where a row's
    last cell and the next one's first meet, two cells are one, so a row starts every (columns - 1)
    cells. Each row's cells (the header left out); none where the count does not fit."""
    step = columns - 1
    if (len(cells) - 1) % step or (len(cells) - 1) // step < 2:
        return []
    return [cells[r * step : r * step + columns] for r in range(1, (len(cells) - 1) // step)]


def _run_together(cells: list[tuple[str, int, int]], units: list) -> list[tuple[int, int, tuple[float, str]]]:
    """The spans of the unit columns' cells of a block run together on one line (`_rows_of`), for the
    fewest columns under which every such cell holds a number; none where no count fits."""
    for columns in range(3, min(len(cells), 12) + 1):
        picked = [(row[j], units[j]) for row in _rows_of(cells, columns) for j in range(1, min(columns - 1, len(units))) if units[j]]
        if picked and all(any(ch.isdigit() for ch in text) for (text, _, _), _ in picked):
            return [(a, b, unit) for (_, a, b), unit in picked]
    return []


def _in_units(line: str, found: list[Figure], spans: list[tuple[int, int, tuple[float, str]]]) -> list[Figure]:
    """`found` (the figures of `line`) with each unit cell's bare number read in the cell's (scale,
    unit): each cell read alone, so that a number does not run on into the next cell ("30000,5年")."""
    if not spans:
        return found
    kept = [f for f in found if not any(f.start < b and a < f.end for a, b, _ in spans)]
    for a, b, (scale, unit) in spans:
        for f in find_figures(line[a:b]):
            f = replace(f, start=f.start + a, end=f.end + a, conversion_of=None)
            kept.append(replace(f, value=f.value * scale, unit=unit, kind="money", tabled=True) if f.unit is None else f)
    return sorted(kept, key=lambda f: f.start)


def _rows_run_together(cells: list[tuple[str, int, int]], column: int) -> list[list[tuple[str, int, int]]]:
    """The rows (`_rows_of`) of a block run together on one line whose header has a column of units at
    `column` ("項目,従来,今回,単位,備考 経産省の支援総額,10000,15000,億円,2026年度から 初年度支援額,3873,..."), for
    the fewest columns under which every row's cell there is a unit (short, no digits, a dash for
    none) and two rows hold a bare number; none where no count fits."""
    for columns in range(column + 2, min(len(cells), 12) + 1):
        rows = _rows_of(cells, columns)
        units = [row[column][0].strip() for row in rows]
        numbered = [any(_BARE_CELL.match(row[k][0]) for k in range(1, columns - 1) if k != column) for row in rows]
        if rows and all(len(unit) <= 12 and not any(ch.isdigit() for ch in unit) for unit in units) and sum(numbered) >= min(2, len(rows)):
            return rows
    return []


def _in_row_unit(found: list[Figure], row: list[tuple[str, int, int]], column: int, skipped: frozenset[int] = frozenset()) -> list[Figure]:
    """`found` (the figures of a data row) with each cell that is a bare number read with the unit
    the row's `column` names ("10000" and "億円": 1 trillion yen; "100" and "people"), each cell alone
    ("100,300" is two cells, not a number); not the first cell (the row's label) nor the `skipped`
    columns (row numbers); what the unit cell itself reads as is no figure."""
    unit = row[column][0].strip()
    if not unit:
        return found
    joiner = " " if unit[0].isascii() and unit[0].isalpha() else ""
    read: list[Figure] = []
    for k, (text, a, _) in enumerate(row):
        number = text.strip()
        if k in (0, column) or k in skipped or not _BARE_CELL.match(text):
            continue  # the row's label, its unit, a column of row numbers
        whole = find_figures(number + joiner + unit)
        if len(whole) == 1 and whole[0].unit is not None and whole[0].end > len(number):  # the unit read with it
            at = a + text.find(number)
            read.append(replace(whole[0], text=number + joiner + unit, start=at, end=at + len(number), conversion_of=None, tabled=True))
    taken = [(a, b) for k, (_, a, b) in enumerate(row) if k == column or any(a <= f.start < b for f in read)]
    kept = [f for f in found if not any(f.start < b and a < f.end for a, b in taken)]
    return sorted(kept + read, key=lambda f: f.start)


@functools.lru_cache(maxsize=256)
def _header_unit(cell: str) -> tuple[float, str] | None:
    """(scale, currency) that a header cell gives its column ("amount_jpy_bn": 1e9 yen; "금액(억엔)":
    1e8 yen), read as `find_figures` reads "1" before the cell's unit words; None for any other cell."""
    if not _HEADER_CURRENCY.search(cell.replace("_", " ")) or _FLOW_COLUMN.search(cell) or any(ch.isdigit() for ch in cell):
        return None  # revenue, profit: flows, not the sums a fact states; a number: a value, no header
    bracketed = _HEADER_UNIT_PART.search(cell)
    part = (bracketed.group(1) if bracketed else cell).strip()
    words = [w for w in re.split(r"[\s_/・·]+", part) if w]
    if not words or len(words) > 4:
        return None
    best = None
    for candidate in (part, " ".join(reversed(words)), " ".join(words[1:]), " ".join(reversed(words[1:]))):
        texts = (f"1{candidate}", f"1 {candidate}")
        if candidate and candidate[0] in "¥￥$₩€£":
            texts += (f"{candidate[0]}1{candidate[1:]}",)  # "¥ billion", "¥bn": the sign before the number
        for text in texts:
            found = find_figures(text) if candidate else []
            if len(found) == 1 and found[0].start == 0 and found[0].unit in _CURRENCIES and found[0].value > 1:
                if best is None or found[0].value > best[0]:
                    best = (found[0].value, found[0].unit)
    return best


def find_figures(text: str) -> list[Figure]:
    """Every figure in `text`, in order, with conversions in parentheses linked to their main figure."""
    if not _any_numeral(text, _lower(text)):
        return []  # most sentences: nothing that could start a number
    normalized, offsets = _normalize_with_offsets(text)
    if "・" in normalized:
        normalized = _NAKAGURO_POINT.sub(".", normalized)  # one character for one: offsets hold
    lowered = _lower(normalized)
    candidates: list[tuple[int, int, float]] = []
    for match in _NUMBER.finditer(normalized):
        span = match.group().rstrip(" ,.")
        if _CLOCK.match(normalized, match.start()) or (
            re.fullmatch(r"\d{2}(?:[.,]\d{1,3})?", span) and _CLOCK_BEFORE.search(normalized, 0, match.start())
        ):
            continue  # a clock time or a timestamp ("11:30 - From about 100 ...", "00:01:03,200"): no figure
        if match.start() and normalized[match.start() - 1] == "数" and span[0] in "十百千万":
            continue  # 数十社, 数百人: "dozens", "hundreds", no figure (十数社 is ten-odd: a figure)
        if match.start() and normalized[match.start() - 1].isascii() and normalized[match.start() - 1].isalpha():
            if not re.search(r"(FY|JPY|KRW|USD|EUR)$", normalized[: match.start()]):
                continue  # part of a name: G7, H200, B2B
        value = parse_number(span)
        if value is not None:
            candidates.append((match.start(), match.start() + len(span), value))
    for match in _HANGUL_NUMBER.finditer(normalized):
        value = parse_number(match.group())
        if value is not None and not any(s <= match.start() < e for s, e, _ in candidates):
            candidates.append((match.start(), match.end(), value))
    for match in _KO_NATIVE.finditer(normalized):
        value = _KO_TENS.get(match.group("tens") or "", 0) + _KO_UNITS.get(match.group("units") or match.group("alone") or "", 0)
        if not any(s <= match.start() < e for s, e, _ in candidates):
            candidates.append((match.start(), match.end(), value))
    for match in _EN_NUMBER.finditer(lowered):
        words = match.group("words").rstrip(" -")  # "one-trillion-parameter": the hyphen leads to the scale
        if words.lower() in ("dozen", "hundred", "thousand") and _VAGUE_MULTIPLE is not None \
                and _VAGUE_MULTIPLE.search(normalized, max(0, match.start() - 12), match.start()):
            continue  # "a few dozen people", "several hundred": no figure (as 数十社 is none)
        value = _english_words(words)
        if value is None and words.strip().lower() in ("a", "an"):
            # "a trillion parameters", "a billion yen": the article is the number one before a scale.
            value = 1 if _A_SCALE.match(normalized, match.start() + len(words)) else None
        if value is not None and not any(s < match.end() and match.start() < e for s, e, _ in candidates):
            candidates.append((match.start(), match.start() + len(words), value))
    for match in _BARE_CJK_SCALE.finditer(normalized):
        if not any(s <= match.start() < e for s, e, _ in candidates):
            candidates.append((match.start(), match.end(), 1e12))
    for match in _BARE_SCALE.finditer(lowered):
        at = match.start()
        if not any(s <= at <= e + 1 for s, e, _ in candidates):  # not the scale of a number before it
            candidates.append((at, at, 1))  # the scale and the unit follow (_figure_at)
    candidates.sort()

    figures: list[Figure] = []
    for start, end, value in candidates:
        if value <= _ORDINAL_MAX and _ORDINAL is not None and _ORDINAL.search(normalized, max(0, start - 20), start):
            continue  # a place in a list ("number two: the staff"), not a count
        figure = _figure_at(normalized, start, end, value)
        written = normalized[start:end]
        if figure.kind == "number" and re.fullmatch(f"[{_CJK_NUMERAL}]", written) and not written.isdigit():
            continue  # a lone kanji in a word (一部, 三菱, 十分), not a figure
        begin, finish = offsets[figure.start], offsets[figure.end - 1] + 1
        conversion_of = _converts(normalized, figure.start, figures)
        # a ceiling given is no lower bound, whatever may happen below it: "最大およそ1兆円に膨らむ可能性"
        speculative = figure.bound != "max" and _speculative(normalized, figure.start, figure.end)
        increment = _increment(normalized, figure.start, figure.end)
        figures.append(
            Figure(
                text=text[begin:finish],
                start=begin,
                end=finish,
                value=figure.value,
                unit=None if figure.unit == "people" and _crowd(normalized, figure.start, figure.end) else figure.unit,
                kind=figure.kind,
                approx=figure.approx,
                bound="min" if speculative and figure.bound is None else figure.bound,
                conversion_of=conversion_of,
                speculative=speculative,
                increment=increment,
                per_year=_per_year(normalized, figure.start, figure.end),
                reached=figure.reached,
            )
        )
    return _restated(text, _carried_currency(text, _from_to_units(text, _join_ranges(text, figures)))) if len(figures) > 1 else figures


_RANGE_LEAD = re.compile(rf"(?:{_words('range_lead')})$", re.I) if _words("range_lead") else None


def _from_to_units(text: str, figures: list[Figure]) -> list[Figure]:
    """A count revised "from about 100 to about 300 engineers" gives its unit (and scale) once, after
    the new figure: the old one, written bare, takes them ("from about 1 to 1.5 trillion yen")."""
    out = list(figures)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.unit is not None or b.unit is None or a.conversion_of is not None or b.conversion_of is not None or is_year(a.value):
            continue
        gap = text[a.end : b.start]
        if _RANGE_LEAD is not None and _RANGE_LEAD.search(text, max(0, a.start - 40), a.start):
            continue  # a range: "range from 3 to 4 trillion yen", "invest from 1 to 2 trillion"
        if any(lead is not None and to.fullmatch(gap) and lead.search(text[: a.start]) for to, lead in _REVISED_TO):
            scaled = _scaled_like(a, b)
            if b.value / 10 <= scaled <= b.value * 10:  # "from 800 to 1.2 trillion yen" is no revision of 800 trillion
                out[i] = replace(a, value=scaled, unit=b.unit, kind=b.kind)
    return out


_RESTATED_OPEN = re.compile(r"\s*[(（]\s*")
_RESTATED_CLOSE = re.compile(r"\s*[)）]")
_DIGITS_ONLY = re.compile(r"[0-9０-９][0-9０-９,，.]*")


def _restated(text: str, figures: list[Figure]) -> list[Figure]:
    """A number restated in digits in brackets, its unit after the bracket: "approximately one
    trillion (1,000,000,000,000) parameters", "1兆（1,000,000,000,000）円": the unit is both's, and
    the digits are the number again (`conversion_of`), not a second figure."""
    out = list(figures)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.unit is not None or b.unit is not None or a.value != b.value or a.value < 2 or is_year(a.value) \
                or not _RESTATED_OPEN.fullmatch(text, a.end, b.start) or _DIGITS_ONLY.fullmatch(a.text) or not _DIGITS_ONLY.fullmatch(b.text):
            continue  # (words or a scale restated in digits: not "Article 10 (10)", a clause and its paragraph)
        close = _RESTATED_CLOSE.match(text, b.end)
        if close is None:
            continue
        after = text[close.end() : close.end() + 30]
        unit = next(((name, kind) for pattern, name, kind in _UNITS_AFTER if kind != "period" and pattern.match(after)), None) \
            or next(((code, "money") for pattern, code in _CURRENCY_AFTER if pattern.match(after)), None)
        if unit is not None:
            # (the digits restate the number: the main figure again, as a conversion in brackets is)
            out[i], out[i + 1] = replace(a, unit=unit[0], kind=unit[1]), replace(b, unit=unit[0], kind=unit[1], conversion_of=i)
    return out


_OTHER_PARTY = re.compile("|".join(f"(?:{w})" for spec in LANGUAGES.values() for w in spec.figures.other_party) or "(?!)")


def _carried_currency(text: str, figures: list[Figure]) -> list[Figure]:
    """A sum written with its scale alone takes the currency of the sum before it in its sentence:
    "covering 387.3 billion yen this year and has promised up to about a trillion over five years",
    "3000억엔을 배정했고 5년간 1조 규모". Only a number of a scale word (not digits alone), the last
    figure with a unit before it (a span of time aside) money, within a factor of 1,000 of it, and
    nothing between them that makes the number another party's (a name, "while", "한국 정부도",
    "韓国政府は": each language's `other_party`)."""
    out = list(figures)
    for i, figure in enumerate(out):
        if figure.unit is not None or figure.kind != "number" or figure.value < 1e8 or figure.conversion_of is not None \
                or figure.text.replace(",", "").isdigit():
            continue
        before = next((f for f in reversed(out[:i]) if f.unit is not None and f.kind not in ("period", "fiscal_year")), None)
        if before is None or before.kind != "money" or _STOP.search(text, before.end, figure.start) \
                or not 1e-3 <= figure.value / before.value <= 1e3 or _OTHER_PARTY.search(text, before.end, figure.start):
            continue
        out[i] = replace(figure, unit=before.unit, kind="money")
    return out


def _reached_count(text: str, start: int, end: int, value: float) -> bool:
    """Whether a bare number `value` at `start`..`end` is a count of people reached: a verb of
    reaching leads to it, its subject the count's own ("expects to reach", "the team will grow to"),
    it ends its clause, and a smaller count of people stands before it in its sentence (not "reach
    300 customers", which has its own noun, nor "its benchmark score could rise to 85")."""
    if _REACH_BEFORE is None or not _REACH_BEFORE.search(text, max(0, start - 60), start) or not _CLAUSE_END.match(text, end):
        return False
    # the people counted before it, by a number smaller than this one (a count that grows): "about 100
    # engineers", not "engineers" alone
    people = [m for unit, pattern in _NOUNS_BEFORE if unit == "people" for m in pattern.finditer(text, _sentence_start(text, start), start)]
    for noun in reversed(people):
        count = re.search(r"(\d[\d,]*)\s*$", text[max(0, noun.start() - 12) : noun.start()])
        if count is not None:
            return float(count.group(1).replace(",", "")) < value
    return False


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding offset `at` begins in `text` (a passage of several sentences)."""
    return max((m.end() for m in _STOP.finditer(text, 0, at)), default=0)


# What may open an answer before its number: a speaker's label, a hedge ("NS: About 100, ...").
_ANSWER_OPENING = re.compile(rf"\s*(?:[A-Z][\w.]{{0,11}}\s?[:：]\s*)?(?i:(?:{_words('approx_before')})\s*)?")
_ASKED = [(unit, re.compile(pattern, re.I)) for spec in LANGUAGES.values() for unit, patterns in spec.figures.asked_units.items()
          for pattern in patterns]  # fmt: skip


def answered(question: str, answer: str, figures: list[Figure]) -> list[Figure]:
    """`figures` (of `answer`) with its opening bare number counting what `question` asks for: "How
    many engineers will it start with?" / "About 100, mostly seconded from SoftBank": the 100 are
    people. Only a question asking for a count of one kind ("how many engineers", "何人", "몇 명"), and
    a number that opens the answer and ends its clause (not "100 days after its launch", "100日で")."""
    first = figures[0] if figures else None
    if first is None or first.unit is not None or first.kind != "number" or is_year(first.value) \
            or not _ANSWER_OPENING.fullmatch(answer[: first.start]) or not _CLAUSE_END.match(answer, first.end):
        return figures
    units = {unit for unit, pattern in _ASKED if pattern.search(question)}
    if len(units) != 1:
        return figures
    return [replace(first, unit=units.pop(), kind="count"), *figures[1:]]


def counted_before(previous: str, text: str, figures: list[Figure]) -> list[Figure]:
    """`figures` (of `text`) with its opening bare count "of them" counting the noun the sentence
    before ends with: "Who is playing? Engineers. Around 100 of them, drawn from SoftBank ...": the
    100 are people. Only a count that opens its sentence and is set apart (a comma or the sentence's
    end after "of them"), where the sentence before ends with a count noun and holds no number: "The company
    has 300 engineers. About 60 of them, ..." counts a part of a count given before."""
    first = figures[0] if figures else None
    if first is None or first.unit is not None or first.kind != "number" or is_year(first.value) or first.value >= 1e6 \
            or _PRONOUN_AFTER is None or not _ANSWER_OPENING.fullmatch(text[: first.start]):
        return figures
    pronoun = _PRONOUN_AFTER.match(text, first.end)
    if pronoun is None or _APPOSITION_CLOSED.match(text, pronoun.end()) is None or find_figures(previous):
        return figures
    # the noun the sentence before ends with, what "them" stands for ("Engineers.", "It hired engineers."),
    # not one earlier in it ("The engineers will train the model on Japanese documents.")
    end = len(previous.rstrip(" .!?:;…。"))
    nouns = [unit for unit, pattern in _NOUNS_BEFORE for m in pattern.finditer(previous) if m.end() == end]
    if not nouns:
        return figures
    return [replace(first, unit=nouns[0], kind="count"), *figures[1:]]


def is_year(value: float) -> bool:
    """Whether a bare number reads as a year (2026), not a count."""
    return 1900 <= value <= 2100 and float(value).is_integer()


def _label_after(text: str, end: int, value: float, approx: bool, labels: list[tuple[re.Pattern, str]] = _LABELS_AFTER) -> str | None:
    """The unit a label noun names after a figure that opens its sentence ("1 trillion: parameters
    targeted", "Nine; founding shareholders", "1 trillion. Parameters, ..."). The mark between them
    decides which figures may take one: after a stop ("1兆。…パラメーター数だ") only a figure of a
    scale or an approximate one ("100 or so. Engineers ..."), not a list's "1." or a year; after a
    semicolon no year ("2026; investors expect more")."""
    for pattern, unit in labels:
        found = pattern.match(text, end)
        if found is None:
            continue
        mark = found.group("mark")
        if any(stop in mark for stop in ".。") and not (value >= 1e6 or approx or _APPROX_AFTER.match(text[end:])):
            continue
        if any(semicolon in mark for semicolon in ";；") and is_year(value):
            continue
        return unit
    return None


def _figure_at(text: str, start: int, end: int, value: float) -> Figure | None:
    before, after = text[max(0, start - 30) : start], text[end : end + 30]
    lowered = _lower(before)
    approx = bool(_APPROX_BEFORE.search(lowered)) or "数" in text[start:end] or "수" in text[start:end]
    bound = "min" if _MIN_BEFORE.search(lowered) else "max" if _MAX_BEFORE.search(lowered) else None
    # A plus sign right after the number is a lower bound: "10+ companies", "300+ engineers", "2+ trillion yen".
    if after[:1] and after[:1] in "+＋" and not after[1:2].isdigit():
        bound = bound or "min"
        end += 1
        after = text[end : end + 30]
    # Scale words after an English-style number: "1.5 trillion", "JPY 2tn".
    scale = _EN_SCALE_AFTER.match(after)
    attached_k = scale is not None and scale.group() .lower() == "k"
    # A model's size written the way the field writes it: "1T-parameter", "405B parameters", "a 70B model",
    # "パラメーター数1T（1兆）"
    sized = scale is not None and not scale.group().startswith((" ", "-")) and scale.group(1) in ("B", "T") \
        and (re.match(r"[\s-]?(?:param|model|LLM)", after[scale.end():], re.I) is not None or _PARAMETERS_BEFORE.search(before) is not None)
    if scale and (len(scale.group(1)) > 1 or attached_k or sized or _CURRENCY_BEFORE.search(before)):  # "$6.3b", "40k", not "5 m"
        value *= _EN_SCALE[scale.group(1).lower()]
        end += scale.end()
        after = text[end : end + 30]
    # An English scale in brackets after a CJK number: "2조(trillion) 원".
    # ... or the number again in the field's shorthand: "1조(1T) 파라미터", "1兆（1T）パラメーター".
    bracketed = re.match(r"^\s?[(（](?:trillion|billion|million|\d+(?:\.\d+)?\s?[TBMK])[)）]\s?", after, re.I)
    if bracketed:
        end += bracketed.end()
        after = text[end : end + 30]
    # Hedges written after the number: 10여, 3000億円超 (checked again after the unit below).
    hedge = _APPROX_AFTER.match(after)
    if hedge:
        approx = True
        end += hedge.end()
        after = text[end : end + 30]
    unit, kind = None, "number"
    number_end = end  # where the number (its scale and hedge included) ends, before its unit
    prefix = _CURRENCY_BEFORE.search(before)
    if prefix:
        unit, kind = _PREFIX_CURRENCY[prefix.group(1).strip().lower()], "money"
        start -= len(prefix.group())
        before = text[max(0, start - 30) : start]
        lowered = _lower(before)
        approx = approx or bool(_APPROX_BEFORE.search(lowered))
        bound = bound or ("min" if _MIN_BEFORE.search(lowered) else "max" if _MAX_BEFORE.search(lowered) else None)
    else:
        for pattern, currency in _CURRENCY_AFTER:
            found = pattern.match(after)
            if found:
                unit, kind = currency, "money"
                end += len(found.group().rstrip("은는이을에의과도만"))
                break
        else:
            if _FISCAL_BEFORE.search(before) and 1990 <= value <= 2100:
                unit, kind = None, "fiscal_year"
                start -= len(_FISCAL_BEFORE.search(before).group())
            elif _FISCAL_AFTER.match(after):
                unit, kind = None, "fiscal_year"
                value = value + 2000 if value < 100 else value
                end += _FISCAL_AFTER.match(after).end()
            else:
                # (a unit word in quotation marks: about one trillion "parameters")
                quoted = _OPEN_QUOTE.match(after)
                for pattern, name, unit_kind in _UNITS_AFTER:
                    found, skip = pattern.match(after), 0
                    if not found and quoted:
                        found, skip = pattern.match(after[quoted.end() :]), quoted.end()
                    if found:
                        unit, kind = name, unit_kind
                        end += skip + found.end()
                        break
    if kind == "number" and value < 1e6:
        label = next((unit for pattern, unit in _LABELS_BEFORE if pattern.search(text, 0, start)), None)
        headcount = label is None and (
            _HEADCOUNT_BEFORE.search(text, 0, start) is not None
            # (after a verb of reaching, a bare number that ends its clause: not "the team reaches 300
            # customers", "2026 levels")
            or (_HEADCOUNT_REACH_BEFORE is not None and _HEADCOUNT_REACH_BEFORE.search(text, 0, start) is not None
                and not is_year(value) and _CLAUSE_END.match(text, end) is not None)
        )
        label = label or ("people" if headcount else None)
        if label:
            unit, kind = label, "count"
    reached = False
    if kind == "number" and _PRONOUN_AFTER is not None and _PRONOUN_AFTER.match(text, end):
        # A count of a noun named before it in its sentence, by a pronoun: a big one counts parameters
        # ("parameters, the adjustable values inside a model, and the goal is about one trillion of
        # them"); a small one the last count noun, when it is a total ("Its engineers come mainly from
        # SoftBank ..., and there are about 100 of them"; "60 of them joined" is a part).
        sentence = _sentence_start(text, start)
        if value >= 1e8 and _PARAMETERS_EARLIER.search(text, sentence, start):
            unit, kind = "parameters", "parameters"
        elif value < 1e6 and _PRONOUN_BEFORE is not None and _PRONOUN_BEFORE.search(text, max(0, start - 40), start):
            nouns = [(m.start(), name) for name, pattern in _NOUNS_BEFORE for m in pattern.finditer(text, max(sentence, start - 200), start)]
            if nouns:
                unit, kind = max(nouns)[1], "count"
        elif value < 1e6 and (apposed := _APPOSED.search(text, max(0, start - 30), start)) is not None \
                and _APPOSITION_CLOSED.match(text, _PRONOUN_AFTER.match(text, end).end()) is not None \
                and not _PARTITIVE_BEFORE.search(text, sentence, apposed.start()):
            # ... or set beside the noun it counts, the whole of it: "the engineers, about 100 of them,
            # poached from SoftBank" (not "partners, 60 of them Japanese": a part)
            nouns = [name for name, pattern in _NOUNS_BEFORE for m in pattern.finditer(text, max(sentence, apposed.start() - 40), apposed.start())
                     if m.end() == apposed.start()]  # fmt: skip
            if nouns:
                unit, kind = nouns[0], "count"
    if (kind == "number" or (unit == "people" and end == number_end)) and value < 1e6 and not is_year(value) \
            and _reached_count(text, start, end, value):
        # "The company, which had about 100 engineers when it was chosen, now expects to reach roughly
        # 300.": the count before it in its sentence gives the noun (or a word before it did: "the
        # team will grow to about 300"), and this one revises it.
        unit, kind, reached = "people", "count", True
    lead = kind == "number" and _LEAD_FIGURE.search(text, 0, start) is not None
    if lead or (kind == "number" and _COPULA_LEAD is not None and _COPULA_LEAD.search(text, max(0, start - 40), start)):
        # A figure that opens its sentence, or follows a verb of being, then the label of what it
        # counts; after a verb of being only one word may stand before the label: "is one trillion:
        # the parameter count" (not "is one trillion: tokens, not parameters").
        label = _label_after(text, end, value, approx, _LABELS_AFTER if lead else _LABELS_RIGHT_AFTER)
        if label and (label == "parameters") == (value >= 1e6):
            unit, kind = label, "parameters" if label == "parameters" else "count"
    if kind == "number" and value >= 1e6 and (_PARAMETERS_BEFORE.search(before) or (value >= 1e8 and _PARAMETERS_NEAR.search(before))):
        # "매개변수(파라미터)가 1조 개", "パラメーター数は1兆"; a big bare number a few words after the
        # word in the same clause: "'파라미터'에서는 국내 최대 규모인 1조 정도", "parameters, aiming at 1 trillion".
        unit, kind = "parameters", "parameters"
    tail = text[end : end + 10]
    if _MIN_AFTER.match(tail):
        bound = "min"
        end += _MIN_AFTER.match(tail).end()
    elif _MAX_AFTER.match(tail):
        bound = "max"
        end += _MAX_AFTER.match(tail).end()
    if _APPROX_AFTER.match(text[end : end + 5]) and kind != "number":
        approx = True
    if kind == "count" and _HEDGE_INSIDE.search(text, start, end):
        approx = True  # "10개 남짓한 기업": the hedge between the counter and the noun
    if kind in ("number", "money", "percent") and re.search(r"(?:(?<![\w.])-|マイナス|마이너스|minus\s)$", text[max(0, start - 5) : start]):
        value = -value  # "-10000", "マイナス8452", "minus 3"
    if kind == "count" and unit == "firms" and not approx and bound is None and _OTHERS and _OTHERS.match(text, number_end):
        value += 1  # "eight other firms": the one named before them too
    if kind in ("count", "number") and (_PROPORTION_BEFORE.search(text, 0, start) or _PROPORTION_AFTER.match(text, end)):
        unit, kind = None, "proportion"  # "seven in ten firms": ten is the whole, not a count of firms
    if kind == "period" and bound == "min" and re.search(r"over\s*$", before, re.I):
        bound = None  # "over five years" is a duration, not "more than five years"
    return Figure(text[start:end], start, end, value, unit, kind, approx, bound, reached=reached)


_OTHERS = re.compile(rf"\s*(?:{others})", re.I) if (others := _words("others_between")) else None


_SPECULATIVE_BEFORE = _caseless(rf"(?:{_words('speculative_before')})\s*$")  # (a lower-cased window)
_SPECULATIVE_AFTER = re.compile(rf"^.{{0,6}}?(?:{_words('speculative_after')})")


# (a hedge may stand between the word of change and the figure: "上積みされる約5000億円", "추가로 약 5000억엔")
_INCREMENT_BEFORE = _caseless(rf"(?:{_words('increment_before')})\s*(?:(?:{_words('approx_before')})\s*)?[$¥₩€£]?\s*$")  # (a lower-cased window)
_INCREMENT_AFTER = re.compile(rf"^(?:{_words('increment_after')})", re.I)


_PER_YEAR_BEFORE = re.compile(rf"(?:{_words('per_year_before')})\s*(?:(?:{_words('approx_before')})\s*)?[$¥₩€£]?\s*$", re.I)
_PER_YEAR_AFTER = re.compile(rf"^(?:{_words('per_year_after')})", re.I)


_CROWD_BEFORE = re.compile(rf"(?:{_words('crowd_before')})\s*(?:(?:{_words('approx_before')})\s*)?$", re.I) if _words("crowd_before") else None
_CROWD_AFTER = re.compile(rf"^(?:{_words('crowd_after')})", re.I)


def _crowd(text: str, start: int, end: int) -> bool:
    """A count of people that is a crowd at a meeting, no one's staff."""
    return bool((_CROWD_BEFORE is not None and _CROWD_BEFORE.search(text[max(0, start - 12) : start])) or _CROWD_AFTER.match(text[end : end + 20]))


def _per_year(text: str, start: int, end: int) -> bool:
    return bool(_PER_YEAR_BEFORE.search(text[max(0, start - 30) : start]) or _PER_YEAR_AFTER.match(text[end : end + 30]))


def _increment(text: str, start: int, end: int) -> bool:
    # a sign before the number is a change: "+300 engineers", "+5%" (not "1+1")
    signed = start > 0 and text[start - 1] in "+＋" and (start == 1 or not text[start - 2].isalnum())
    return signed or bool(_INCREMENT_BEFORE.search(_lower(text[max(0, start - 40) : start])) or _INCREMENT_AFTER.match(text[end : end + 12]))


_ATTAINED_AFTER = re.compile(rf"^(?:{_words('attained_after')})")


def _speculative(text: str, start: int, end: int) -> bool:
    if _SPECULATIVE_BEFORE.search(_lower(text[max(0, start - 40) : start])):
        return True
    after = text[end : end + 20]
    return not _ATTAINED_AFTER.match(after) and bool(_SPECULATIVE_AFTER.match(after))


def _converts(text: str, start: int, previous: list[Figure]) -> int | None:
    """A figure opening a parenthesis right after a money figure converts it: 3조엔(약 28조원)."""
    if not previous:
        return None
    main_index = len(previous) - 1
    main = previous[main_index]
    if main.kind != "money" or main.conversion_of is not None:
        return None
    between = text[main.end if main.end <= start else start : start]
    return main_index if re.fullmatch(r"\s*[(（]\s*(?:約|약|about|around|roughly|approx\.?|≈)?\s*[$¥₩€£]?\s*", between, re.I) else None


def _english_words(words: str) -> float | None:
    """"twenty-one" -> 21, "three hundred" -> 300, "a dozen" -> 12, "one point five" and "one and a
    half" -> 1.5; a lone "a" is no number."""
    tokens = [t for t in re.split(r"[\s-]+", words.strip().lower()) if t != "and"]
    if "point" in tokens:
        at = tokens.index("point")
        whole = _english_words(" ".join(tokens[:at])) if at else None
        digits = "".join(str(_EN_WORDS.get(t, 0)) for t in tokens[at + 1 :])  # "oh" is a zero
        return None if whole is None else float(f"{int(whole)}.{digits}")
    if tokens in (["a"], ["an"]):
        return None
    if len(tokens) > 2 and tokens[-2] in ("a", "an") and tokens[-1] in ("half", "quarter"):
        whole = _english_words(" ".join(tokens[:-2]))  # "one and a half": the whole and its fraction
        return None if whole is None else whole + (0.5 if tokens[-1] == "half" else 0.25)
    if tokens[0] in ("a", "an") and tokens[1] not in ("hundred", "dozen", "thousand"):
        tokens = tokens[1:]  # "a nine-company consortium": the article, not a number
    current: float | None = None
    for word in tokens:
        if word not in _EN_WORDS:
            return None
        if word in ("hundred", "dozen"):
            current = (current or 1) * _EN_WORDS[word]
        elif word in ("a", "an"):
            current = 1 if current is None else current
        else:
            current = (current or 0) + _EN_WORDS[word] if current is None or current >= 100 or _EN_WORDS[word] < 10 else _EN_WORDS[word]
    return current


def _normalize_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """NFKC per character, with the original offset of every normalized character."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text, range(len(text))  # (then each character is its own NFKC: "…" is not normalized)
    folded = "".join(map(_nfkc, text))
    if len(folded) == len(text):
        return folded, range(len(text))  # one character for one (most text): no offsets to keep
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = _nfkc(char)
        out.append(folded)
        if len(folded) == 1:
            offsets.append(index)
        else:
            offsets.extend([index] * len(folded))
    return "".join(out), offsets


@functools.lru_cache(maxsize=8192)
def _nfkc(char: str) -> str:
    # An ellipsis stays one mark: NFKC makes "…" three full stops, and a number after a stop would
    # read as a decimal's tail ("……３０００億円あまり", a recipe's list, has its figure).
    return char if char in "…‥" else unicodedata.normalize("NFKC", char)


_SCALE_NAMES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def format_figure(value: float | None, unit: str | None) -> str:
    """A figure for people to read, in English: 3.873e11 JPY -> "387.3 billion JPY", 100 people -> "100 people"."""
    if value is None:
        return "-"
    number = f"{value:,.10g}"
    for scale, name in _SCALE_NAMES:
        if abs(value) >= scale:
            number = f"{value / scale:.10g} {name}"
            break
    return f"{number} {unit}" if unit else number

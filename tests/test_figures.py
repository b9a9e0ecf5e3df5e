"""The figure parser: our own cases in ko/ja/en, and pass rates on two third-party numeral corpora."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from monitor.figures import find_figures, parse_number, revisions

from requirements import CORPORA, corpus_dir


def one(text):
    figures = [f for f in find_figures(text) if f.conversion_of is None]
    assert len(figures) == 1, f"{text!r}: {figures}"
    f = figures[0]
    return f.value, f.unit, f.kind, f.approx, f.bound


@pytest.mark.parametrize(
    "text, expected",
    [
        # Japanese
        ("官民で総額約３兆円規模", (3e12, "JPY", "money", True, None)),
        ("経産省が約1兆円を支援", (1e12, "JPY", "money", True, None)),
        ("予算案に3000億円超を計上", (3e11, "JPY", "money", False, "min")),
        ("1兆2000億円の補正予算", (1.2e12, "JPY", "money", False, None)),
        ("三兆円の投資", (3e12, "JPY", "money", False, None)),
        ("ソフトバンクなど十数社が出資", (10, "firms", "count", True, None)),
        ("1兆パラメーター規模の基盤モデル", (1e12, "parameters", "parameters", False, None)),
        ("初年度は3,873億円", (3.873e11, "JPY", "money", False, None)),
        ("技術者約100人", (100, "people", "count", True, None)),
        ("1500億パラメータのモデル", (1.5e11, "parameters", "parameters", False, None)),
        ("規模はパラメーターで見て国内最大の1兆程度", (1e12, "parameters", "parameters", True, None)),
        # Korean
        ("약 3조엔을 투입", (3e12, "JPY", "money", True, None)),
        ("10여 개 기업이 참여", (10, "firms", "count", True, None)),
        ("1조 파라미터급 모델", (1e12, "parameters", "parameters", False, None)),
        ("첫해 예산 3천873억엔", (3.873e11, "JPY", "money", False, None)),
        ("3천억 엔 규모", (3e11, "JPY", "money", False, None)),
        ("엔지니어 100명 안팎", (100, "people", "count", True, None)),
        ("1조 개 매개변수", (1e12, "parameters", "parameters", False, None)),
        ("1조 개의 파라미터를 가진 모델", (1e12, "parameters", "parameters", False, None)),
        ("삼조엔", (3e12, "JPY", "money", False, None)),
        ("'파라미터'에서는 국내 최대 규모인 1조 정도", (1e12, "parameters", "parameters", True, None)),
        ("열 곳 남짓한 기업", (10, "firms", "count", True, None)),
        ("엔지니어 백 명 남짓", (100, "people", "count", True, None)),
        ("스무 곳이 출자", (20, "firms", "count", False, None)),
        ("2조원 이상", (2e12, "KRW", "money", False, "min")),
        # numbers written in Hangul with a space before the unit, or -odd (여) (heldout-r16 ko-p-10)
        ("민간 투자를 더한 전체 사업비는 삼조 엔", (3e12, "JPY", "money", False, None)),
        ("약 일조 엔을 지원할 방침", (1e12, "JPY", "money", True, None)),
        ("엔지니어 백여 명이다", (100, "people", "count", True, None)),
        ("파라미터가 일조 개에 이르는", (1e12, "parameters", "parameters", False, None)),
        ("우리 돈으로 이십팔조 원가량", (2.8e13, "KRW", "money", True, None)),
        ("우리 돈으로 28조 원가량", (2.8e13, "KRW", "money", True, None)),
        # English
        ("about 3 trillion yen", (3e12, "JPY", "money", True, None)),
        ("¥300 billion for fiscal", (3e11, "JPY", "money", False, None)),
        ("JPY 2tn in data centers", (2e12, "JPY", "money", False, None)),
        ("more than 300 billion yen", (3e11, "JPY", "money", False, "min")),
        ("a dozen companies", (12, "firms", "count", False, None)),
        # the others besides the one named: nine in all; an approximate count stays as written
        ("SoftBank set up a company with eight other Japanese firms", (9, "firms", "count", False, None)),
        ("a company with 8 other firms, including NEC", (9, "firms", "count", False, None)),
        ("with about ten other Japanese firms", (10, "firms", "count", True, None)),
        ("a 1-trillion-parameter model", (1e12, "parameters", "parameters", False, None)),
        ("a massive, one-trillion-parameter AI model", (1e12, "parameters", "parameters", False, None)),
        ("a two-trillion-yen data center plan", (2e12, "JPY", "money", False, None)),
        ("Japan picks developer to build trillion-parameter model", (1e12, "parameters", "parameters", False, None)),
        ("387.3 billion yen", (3.873e11, "JPY", "money", False, None)),
        ("three hundred eighty-seven point three billion yen in aid", (3.873e11, "JPY", "money", False, None)),
        ("about one point oh five trillion yen", (1.05e12, "JPY", "money", True, None)),
        ("roughly 100 engineers", (100, "people", "count", True, None)),
        ("150 billion parameters", (1.5e11, "parameters", "parameters", False, None)),
        ("in parameters, it aims at about 1 trillion", (1e12, "parameters", "parameters", True, None)),
    ],
)
def test_figures(text, expected):
    assert one(text) == expected


def test_periods_and_fiscal_years():
    kinds = [(f.kind, f.value, f.unit) for f in find_figures("経産省が2026年度から5年間で約1兆円を支援")]
    assert kinds == [("fiscal_year", 2026, None), ("period", 5, "years"), ("money", 1e12, "JPY")]
    assert [(f.kind, f.value) for f in find_figures("2026회계연도부터 5년간")] == [("fiscal_year", 2026), ("period", 5)]
    assert [(f.kind, f.value, f.bound) for f in find_figures("over five years from fiscal 2026")] == [
        ("period", 5, None),
        ("fiscal_year", 2026, None),
    ]
    assert [(f.kind, f.value) for f in find_figures("the FY2026 budget and 26年度予算案")] == [("fiscal_year", 2026)] * 2


@pytest.mark.parametrize(
    "text, main, converted",
    [
        ("약 3조엔(약 28조원)을 투입", (3e12, "JPY"), (2.8e13, "KRW")),
        ("官民で3兆円（約28兆ウォン）", (3e12, "JPY"), (2.8e13, "KRW")),
        ("1 trillion yen ($6.3 billion)", (1e12, "JPY"), (6.3e9, "USD")),
    ],
)
def test_a_converted_figure_in_parentheses_is_never_the_main_figure(text, main, converted):
    figures = find_figures(text)
    assert [(f.value, f.unit, f.conversion_of) for f in figures] == [(*main, None), (*converted, 0)]


def test_offsets_point_into_the_original_text():
    text = "総額約３兆円（約28兆ウォン）"
    for figure in find_figures(text):
        assert text[figure.start : figure.end] == figure.text
    assert [f.text for f in find_figures(text)] == ["３兆円", "28兆ウォン"]


@pytest.mark.parametrize("text", ["国内数十社が参加する", "数百人の技術者", "数千億円の投資", "수십 개 기업이 참여"])
def test_dozens_and_hundreds_are_not_figures(text):
    # 数十社 is "dozens of companies", not ten (十数社, ten-odd, is a figure: see test_figures)
    assert find_figures(text) == []


def test_a_bare_number_far_from_the_parameters_word_or_with_a_currency_keeps_its_own_unit():
    assert [(f.value, f.unit) for f in find_figures("파라미터 수를 늘리고 1조 원을 투자")] == [(1e12, "KRW")]
    assert [f.unit for f in find_figures("The parameters matter. It raised 2 billion")] == [None]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Engineers: about 100, mainly from SoftBank", (100, "people", "count", True, None)),
        ("Participating companies: nine", (9, "firms", "count", False, None)),
        ("Researchers on the payroll: roughly 250", (250, "people", "count", True, None)),
        ("Firms taking a stake: eleven", (11, "firms", "count", False, None)),
        ("Engineers | About 100 | Most from SoftBank", (100, "people", "count", True, None)),  # a table's row
        ("Budget: 387.3 billion yen; staff: 30", None),  # two figures: checked below
    ],
)
def test_english_fact_list_lines_give_the_count_its_label(text, expected):
    if expected is None:
        assert [(f.value, f.unit) for f in find_figures(text)] == [(387.3e9, "JPY"), (30, "people")]
    else:
        assert one(text) == expected
    assert [f.unit for f in find_figures("Engineers said it 100 times")] == [None]  # a label ends in a colon
    assert [f.unit for f in find_figures("Engineers say the plan has a flaw: 100 days is too short")] == [None]


def test_english_abbreviated_scales():
    assert [(f.value, f.unit) for f in find_figures("sets aside ¥387.3 bln for the model")] == [(387.3e9, "JPY")]
    assert [(f.value, f.unit) for f in find_figures("a 2 mln yen grant")] == [(2e6, "JPY")]


@pytest.mark.parametrize(
    "text, whole, part",
    [
        ("Seven in ten Japanese firms lack AI staff", 10, (7, None)),
        ("one out of 10 companies said so", 10, (1, None)),
        ("조사 대상 기업 10곳 중 7곳이 인력난을 호소했다", 10, (7, "firms")),
        ("응답자 10명 중 3명꼴", 10, (3, "people")),
        ("回答した10社中7社が不足と答えた", 10, (7, "firms")),
        ("10人に1人が転職を考えている", 10, (1, "people")),
    ],
)
def test_the_whole_of_a_proportion_is_not_a_count(text, whole, part):
    # "seven in ten firms" is no report of ten firms (the new company's "about ten backers")
    figures = find_figures(text)
    assert [f.value for f in figures if f.kind == "proportion" and f.unit is None] == [whole]
    assert [(f.value, f.unit) for f in figures if f.kind != "proportion"] == [part]


def test_an_english_headcount_named_before_a_bare_number_counts_people():
    assert [(f.value, f.unit) for f in find_figures("grow its engineering staff to around 300")] == [(300, "people")]
    assert [(f.value, f.unit) for f in find_figures("a headcount of 120")] == [(120, "people")]
    assert [(f.value, f.unit) for f in find_figures("its engineering staff will also expand to about 300")] == [(300, "people")]
    assert [f.unit for f in find_figures("the team scored 300 points")] == [None]
    # an attribution inside the clause
    assert [(f.value, f.unit) for f in find_figures("Noetra's engineering staff, it added, would grow to about 300.")] == [(300, "people")]


def test_a_korean_hedge_between_the_counter_and_the_noun_keeps_the_count():
    assert [(f.value, f.unit, f.approx) for f in find_figures("10개 남짓한 기업이 참여")] == [(10, "firms", True)]
    assert [(f.value, f.unit, f.approx) for f in find_figures("10개 기업이 참여")] == [(10, "firms", False)]


def test_a_count_next_to_a_proportion_word_stays_a_count():
    assert [(f.value, f.unit) for f in find_figures("約10社に公開する")] == [(10, "firms")]
    assert [(f.value, f.unit) for f in find_figures("10여 곳 중에는 소니도 있다")] == [(10, "firms")]
    assert [(f.value, f.unit) for f in find_figures("about 10 firms in Tokyo")] == [(10, "firms")]


@pytest.mark.parametrize("text", ["두 회사가 손잡았다", "세계 최고 수준", "한국과 일본"])
def test_korean_native_number_words_count_only_before_a_counter(text):
    assert find_figures(text) == []


def test_words_that_contain_numerals_are_not_figures():
    assert find_figures("一部の企業と三菱、十分な準備") == []
    assert find_figures("구조 개혁과 이사회") == []
    # a space before the unit is allowed for Hangul numerals, not before 개 of another word
    assert find_figures("구조 개편을 위해 원가 절감") == []
    assert find_figures("이사 명단") == []
    assert find_figures("G7 leaders discussed H200 chips") == []


def test_parse_number():
    assert parse_number("3천873억") == 3.873e11
    assert parse_number("1兆2000億") == 1.2e12
    assert parse_number("３，０００") is None or parse_number("3,000") == 3000
    assert parse_number("二千二十六") == 2026
    assert parse_number("삼십삼") == 33


# -- third-party corpora: pass rates per file (printed) with floors -----------------------------

_DUCKLING_UNITS = {"Dollar": "USD", "USD": "USD", "KRW": "KRW", "JPY": "JPY", "EUR": "EUR", "CNY": "CNY", "GBP": "GBP"}


def _matches(figure, value, unit) -> bool:
    if not math.isclose(figure.value, value, rel_tol=1e-9, abs_tol=1e-9):
        return False
    return unit is None or figure.unit == unit


def _corpus_rate(path: Path, key: str) -> tuple[int, int]:
    corpus_dir(*path.relative_to(CORPORA).parts[:-1])  # skipped (failed under CI) when missing
    cases = json.loads(path.read_text(encoding="utf-8-sig"))
    passed = total = 0
    for case in cases:
        value = case.get("value")
        if not isinstance(value, (int, float)) or case.get("latent"):
            continue  # intervals and latent readings are outside what the monitor extracts
        unit = _DUCKLING_UNITS.get(case.get("unit") or "", None) if "money" in path.name else None
        if "money" in path.name and unit is None:
            continue  # cents, unnamed "bucks", regional pounds: not this story's currencies
        total += 1
        figures = find_figures(case[key])
        passed += any(_matches(f, value, unit) for f in figures)
    return passed, total


# Floors a little under the measured pass rates, so regressions fail. Most misses are forms the
# monitor does not need (cents, rupees, fractions, IP addresses, lone kanji with counters, 、 as a
# thousands separator); see the printed figures.
DUCKLING_FLOORS = {"ko-numeral.json": 0.67, "ja-numeral.json": 0.73, "en-numeral.json": 0.50, "ko-money.json": 0.54, "en-money.json": 0.12}
RECOGNIZERS_FLOORS = {"ja-money.json": 0.51, "ko-money.json": 0.73, "en-money.json": 0.67, "ja-number.json": 0.45,
                      "ko-number.json": 0.30, "en-number.json": 0.30, "ja-percent.json": 0.54, "ko-percent.json": 0.40, "en-percent.json": 0.90}  # fmt: skip


@pytest.mark.parametrize("name", sorted(DUCKLING_FLOORS))
def test_duckling_corpus_pass_rate(name):
    passed, total = _corpus_rate(CORPORA / "duckling-numerals" / name, "text")
    rate = passed / total
    print(f"\nduckling {name}: {passed}/{total} = {rate:.1%}")
    assert rate >= DUCKLING_FLOORS[name], f"duckling {name}: {passed}/{total} = {rate:.1%}"


@pytest.mark.parametrize("name", sorted(RECOGNIZERS_FLOORS))
def test_recognizers_corpus_pass_rate(name):
    passed, total = _corpus_rate(CORPORA / "recognizers-text-specs" / "flat" / name, "input")
    rate = passed / total
    print(f"\nrecognizers {name}: {passed}/{total} = {rate:.1%}")
    assert rate >= RECOGNIZERS_FLOORS[name], f"recognizers {name}: {passed}/{total} = {rate:.1%}"


# -- revisions: a new figure replacing an old one of the same unit ------------------------------


def _revised(text: str) -> list[tuple[str, str]]:
    found = find_figures(text)
    return [(found[new].text, found[old].text) for new, old in revisions(text, found).items()]


def test_korean_revision_from_the_old_figure_to_the_new():
    assert _revised("개발 인력이 100명 안팎에서 약 300명으로 늘어난다.") == [("300명", "100명")]
    assert _revised("소프트뱅크에서 60명, 프리퍼드네트웍스에서 40명이 온다.") == []
    # the old figure as what it was ("...이던"), the noun between: "처음 200명 안팎이던 직원을 약 500명으로"
    assert _revised("연구소는 처음 200명 안팎이던 직원을 약 500명으로 키운다.") == [("500명", "200명")]
    assert _revised("정부는 2조엔이던 올해 예산을 약 2조6000억엔으로 증액했다.") == [("2조6000억엔", "2조엔")]
    assert _revised("200명이던 직원 가운데 50명이 떠났다.") == []
    # a figure of another unit between them ("3년간"), and the noun with 도
    assert _revised("당초 5000억엔이던 3년간 예산을 약 7000억엔으로 늘린다.") == [("7000억엔", "5000억엔")]
    assert _revised("50명 남짓이던 연구진도 약 120명 규모로 커진다.") == [("120명", "50명")]


def test_japanese_revision_from_the_old_figure_to_the_new():
    assert _revised("支援総額を従来の約1兆円から約1兆5000億円へ積み増す。") == [("1兆5000億円", "1兆円")]
    assert _revised("技術者は約１００人から約３００人に増える。") == [("３００人", "１００人")]
    assert _revised("ソフトバンクから60人、PFNから40人が加わる。") == []


def test_english_revision_either_way_round_but_not_a_range():
    assert _revised("Support rises from about 1 trillion yen to 1.5 trillion yen.") == [("1.5 trillion yen", "1 trillion yen")]
    assert _revised("Support rises to 1.5 trillion yen, up from 1 trillion yen.") == [("1.5 trillion yen", "1 trillion yen")]
    assert _revised("Grants range between 1 billion yen to 5 billion yen.") == []


def _read(text: str) -> list[tuple[str, float, str | None]]:
    return [(f.text, f.value, f.unit) for f in find_figures(text)]


def test_korean_range_reads_as_its_midpoint_but_a_revision_and_a_breakdown_do_not():
    assert _read("신회사에는 90명에서 110명 사이의 엔지니어가 모인다.") == [("90명에서 110명", 100.0, "people")]
    assert _read("엔지니어 90~110명이 합류한다.") == [("90~110명", 100.0, "people")]
    assert _revised("개발 인력이 100명 안팎에서 약 300명으로 늘어난다.") == [("300명", "100명")]
    assert [v for _, v, _ in _read("소프트뱅크에서 60명, 프리퍼드네트웍스에서 40명이 온다.")] == [60.0, 40.0]


def test_japanese_range_reads_as_its_midpoint_but_an_increase_does_not():
    assert _read("技術者は90人から110人程度になる見通しだ。") == [("90人から110人", 100.0, "people")]
    assert _read("９０～１１０人の技術者が集まる。") == [("９０～１１０人", 100.0, "people")]
    assert _revised("技術者を90人から110人に増やす。") == [("110人", "90人")]


def test_english_range_reads_as_its_midpoint_but_from_to_and_far_apart_ends_do_not():
    assert _read("Between 90 and 110 engineers will join.") == [("90 and 110 engineers", 100.0, "people")]
    assert _read("Some 90 to 110 engineers will join.") == [("90 to 110 engineers", 100.0, "people")]
    # (a count revised "from 95 to 110 engineers" gives its unit once, after the new figure: both are people)
    assert _read("Staff grows from 95 to 110 engineers.") == [("95", 95.0, "people"), ("110 engineers", 110.0, "people")]
    assert len(_read("between 100 and 300 engineers")) == 2  # ends more than a factor of two apart: not one figure


@pytest.mark.parametrize(
    "text, written",
    [("¥2-3 trillion", "¥2-3 trillion"), ("2-3 trillion yen", "2-3 trillion yen"), ("2~3조엔", "2~3조엔"),
     ("２～３兆円", "２～３兆円")],
)
def test_a_range_whose_first_end_borrows_the_seconds_scale(text, written):
    assert _read(text) == [(written, 2.5e12, "JPY")]


# -- a figure opening its sentence, what it counts named after it ("by the numbers") -------------


def _units(text: str) -> list[tuple[float, str | None]]:
    return [(f.value, f.unit) for f in find_figures(text)]


def test_korean_lead_figure_named_after_it():
    assert _units("1조 개는 목표로 하는 모델의 파라미터 수다.") == [(1e12, "parameters")]
    assert _units("10여 개는 개발을 맡을 새 회사에 출자하는 기업 수다.") == [(10, "firms")]
    assert _units("2026년은 기업 수가 늘어난 해다.") == [(2026, None)]


def test_japanese_lead_figure_named_after_it():
    assert _units("1兆は、開発する基盤モデルのパラメーター数の目標値だ。") == [(1e12, "parameters")]
    assert _units("１０社は、出資企業の数だ。")[0] == (10, "firms")
    assert _units("2026年は、企業数が増えた。") == [(2026, None)]


def test_a_lead_figure_standing_alone_is_named_by_the_sentence_after_it():
    # "by the numbers": the figure, a stop, then what it counts
    assert _units("1 trillion. Parameters, this time, not yen: the scale of the model.") == [(1e12, "parameters")]
    assert _units("100 or so. Roughly how many engineers the company started with.") == [(100, "people")]
    assert _units("1兆。Noetraが開発を目指す基盤モデルのパラメーター数だ。") == [(1e12, "parameters")]
    assert _units("1조 개. 노에트라가 목표로 내건 모델의 파라미터 수다.") == [(1e12, "parameters")]
    assert _units("About 10. The number of companies expected to invest.") == [(10, "firms")]
    # a list number or a year before a stop is no count of what follows
    assert _units("1. Companies must apply by March.") == [(1, None)]
    assert _units("2026. Investors expect more companies to join.") == [(2026, None)]
    assert _units("3. 참여 기업 수를 늘린다.") == [(3, None)]
    assert _units("6 months. The time between the first reports and the selection.") == [(6, None)]
    assert _units("2 stages. First a model for language, then one for 100 engineers.")[0] == (2, None)


def test_japanese_middle_dot_before_a_scale_is_a_decimal_point():
    assert _units("当初の約1兆円から約1・5兆円に積み増す") == [(1e12, "JPY"), (1.5e12, "JPY")]
    assert _units("１・５兆円") == [(1.5e12, "JPY")]
    assert _units("3・5%増えた") == [(3.5, "percent")]
    assert [value for value, _ in _units("1・2号機")] == [1, 2]  # a list of numbers, no scale after


def test_english_lead_figure_named_after_it():
    assert _units("1 trillion: parameters targeted for the model.") == [(1e12, "parameters")]
    assert _units("About 10: the number of companies expected to invest.") == [(10, "firms")]
    assert _units("100 days: the time the companies had.") == [(100, None)]
    assert _units("He said 10: parameters are not everything.") == [(10, None)]


@pytest.mark.parametrize(
    "text, value",
    [
        ("analysts say the total could exceed ¥2 trillion", 2e12),
        ("総額は最終的に2兆円を超える可能性がある", 2e12),
        ("国の負担が2兆円を上回ってもおかしくない", 2e12),
        ("支出は5兆円に膨らむ恐れがある", 5e12),
        ("총액이 5조엔을 넘을 수도 있다", 5e12),
        ("부담이 2조엔을 웃돌 가능성이 크다", 2e12),
    ],
)
def test_a_hedged_figure_is_speculative_and_a_lower_bound(text, value):
    # "could exceed X" is not a report of X: kept as a bound, never agreeing with a tracked figure
    (figure,) = [f for f in find_figures(text) if f.unit == "JPY"]
    assert (figure.value, figure.speculative, figure.bound) == (value, True, "min")


@pytest.mark.parametrize(
    "text",
    ["官民で総額3兆円規模の計画", "약 3조엔 규모의 사업", "a ¥3 trillion plan that may grow",
     # a level the figure may reach is the figure, as writers label it: "could reach about X" is X
     "Support could reach about ¥1 trillion over five years.", "The bill could hit ¥2 trillion.",
     "官民の総額は約3兆円規模に達する可能性がある。", "総額は3兆円規模になる可能性が高い。",
     "사업 규모는 약 3조엔에 이를 수도 있다.", "지원액은 1조엔에 달할 가능성이 크다."],
)  # fmt: skip
def test_a_plain_figure_is_not_speculative(text):
    assert [f.speculative for f in find_figures(text) if f.unit == "JPY"] == [False]


@pytest.mark.parametrize(
    "text, increment, level",
    [
        ("An extra 500 billion yen is small against a 122 trillion yen budget.", "500 billion yen", "122 trillion yen"),
        ("Support rose by ¥500 billion to ¥1.5 trillion.", "¥500 billion", "¥1.5 trillion"),
        ("국산 AI에 5000억엔 더 얹는 일본…지원 총액 1.5조엔", "5000억엔", "1.5조엔"),
        ("支援を5000億円上積みし、総額1.5兆円とする。", "5000億円", "1.5兆円"),
        # "more than the plan by about": 보다 … 가량 많은 (heldout-r18 ko-r-19)
        ("지원 총액을 당초 계획보다 4000억엔가량 많은 1조4000억엔으로 늘린다.", "4000억엔", "1조4000억엔"),
        ("예산이 2000억 엔 정도 늘어난 1조2000억 엔이 됐다.", "2000억 엔", "1조2000억 엔"),
        # heldout-r20: changes as differences from the plan
        ("Support will be raised by about ¥400 billion, to roughly ¥1.4 trillion.", "¥400 billion", "¥1.4 trillion"),
        ("上乗せする4000億円は計算資源に充て、総額は1.4兆円になる。", "4000億円", "1.4兆円"),
        ("技術者は150人増員し、約250人体制とする。", "150人", "250人"),
        ("技術者は今より150人多い250人体制になる。", "150人", "250人"),
        ("늘어나는 150명을 포함해 인력은 250명이 된다.", "150명", "250명"),
        # heldout-r22: a hedge between the word of change and the figure
        ("積み増される約4000億円を加え、総額は1.4兆円となる。", "4000億円", "1.4兆円"),
        ("추가로 약 4000억엔을 얹어 총액은 1조4000억엔이 된다.", "4000억엔", "1조4000억엔"),
    ],
)
def test_an_increment_is_marked_and_the_level_beside_it_is_not(text, increment, level):
    found = {f.text: f.increment for f in find_figures(text)}
    assert found == {increment: True, level: False}


def test_a_level_reached_is_not_an_increment():
    for text in ("지원 규모를 1.5조엔으로 늘린다.", "3兆円を投じる。", "The ministry will spend ¥1 trillion.",
                 "1조 엔이 많은지 적은지를 두고 논란이 일었다.", "1조 엔보다 많은 돈이 든다.",
                 "技術者は250人が多いとの見方もある。", "参加企業10社　多くは製造業だ。", "2030년까지 늘어날 1조5000억 엔의 지원",
                 "The new company, set up by about 10 companies, launches in spring.", "It was praised by about 30 firms.",
                 "The company will add about 100 engineers from SoftBank at launch."):
        assert not any(f.increment for f in find_figures(text)), text


def test_english_model_sizes_tildes_and_abbreviated_companies():
    assert _read("a 1T-parameter LLM") == [("1T-parameter", 1e12, "parameters")]
    assert _read("Llama's 405B parameters") == [("405B parameters", 4.05e11, "parameters")]
    assert _read("a JV of ~10 cos") == [("10 cos", 10.0, "firms")]
    assert _read("with initial headcount put at ~100.") == [("100", 100.0, "people")]
    assert _read("Plan B model") == [] and _read("at 5 T levels") == [("5", 5.0, None)]


def test_an_english_scale_word_right_before_japanese_text():
    assert [(v, u) for _, v, u in _read("データセンターに¥2tnを投じる")] == [(2e12, "JPY")]
    assert [(v, u) for _, v, u in _read("100m走で優勝")] == [(100.0, None)]  # a hundred metres


def test_a_figure_named_after_a_semicolon():
    # key figures as semicolon-separated lines: figure; label; note (heldout-r19)
    assert _units("1 trillion; parameters; the model's size goal") == [(1e12, "parameters")]
    assert _units("Eight; founding shareholders; SoftBank and Sony among them") == [(8, "firms")]
    assert _units("About 100; engineers; the headcount at launch") == [(100, "people")]
    assert _units("1조 개; 목표 파라미터 규모") == [(1e12, "parameters")]
    assert _units("약 100명; 엔지니어 수") == [(100, "people")]
    assert _units("1兆；パラメーター数の目標") == [(1e12, "parameters")]
    # a year before a semicolon is no count
    assert _units("2026; investors expect more companies to join") == [(2026, None)]


def test_english_fractions_read_out_and_hurried_spellings():
    # heldout-r22: a TV debate's "one and a half trillion", a blog's misspelt scale words and nouns
    assert _units("support of about one and a half trillion yen") == [(1.5e12, "JPY")]
    assert _units("a two-and-a-half billion yen order") == [(2.5e9, "JPY")]
    assert _units("one and a quarter trillion yen") == [(1.25e12, "JPY")]
    assert _units("1 trilion yen, 387.3 billon yen") == [(1e12, "JPY"), (3.873e11, "JPY")]
    assert _units("a model of 1 trillion paramters") == [(1e12, "parameters")]
    assert _units("about 100 enginers") == [(100, "people")]
    # a year and a half is no figure; "a trillion" alone is still one
    assert _units("a year and a half later") == []
    assert _units("a trillion yen") == [(1e12, "JPY")]


def test_japanese_counts_joined_by_no_to_their_noun():
    # "1兆のパラメーター", "三つの会社", and the short spelling パラメタ (heldout-r22)
    assert _units("1兆のパラメーターを持つモデル") == [(1e12, "parameters")]
    assert _units("目標は1兆パラメタのモデル") == [(1e12, "parameters")]
    assert _units("3つの会社が出資する") == [(3, "firms")]
    assert _units("2026年の会社設立") == [(2026, None)]


def test_a_ceiling_with_a_hedge_is_a_ceiling_not_a_speculative_floor():
    # "up to about X" and 最大およそ: the ceiling X, even where it "may swell" to it (heldout-r19 ja-s-15)
    for text in ("支援は5年間で最大およそ1兆円に膨らむ可能性がある。", "5년간 최대 약 1조엔을 지원한다.", "support of up to about ¥1 trillion"):
        (figure,) = [f for f in find_figures(text) if f.unit == "JPY"]
        assert (figure.value, figure.bound, figure.speculative) == (1e12, "max", False), text


def test_figures_read_aloud_and_vague_sizes():
    # heldout-r23: a radio script's numbers in words, in groups ("일조 오천억 엔", "one-point-five trillion"),
    # a size given as an order ("a trillion-odd parameters", "兆の単位"), "upward of"
    assert _units("지원 규모는 약 일조 오천억 엔으로 늘어납니다") == [(1.5e12, "JPY")]
    assert _units("support will rise to about one-point-five trillion yen") == [(1.5e12, "JPY")]
    assert _units("a model of a trillion-odd parameters") == [(1e12, "parameters")]
    assert _units("목표는 '1조 개 가량'의 파라미터다") == [(1e12, "parameters")]
    assert _units("パラメーター数を兆の単位に乗せる目標") == [(1e12, "parameters")]
    assert [f.bound for f in find_figures("upward of 30 firms may join")] == ["min"]
    # a lone 兆 that counts nothing is no figure; hangul words are still words
    assert _units("兆単位の投資が続く") == [] and _units("구조 개편") == []


def test_a_level_denied_a_record_and_an_order_not_reached_are_not_the_figure():
    for text in ("Analysts say total spending is unlikely to reach 3 trillion yen.", "総額が3兆円に達する可能性は低い。",
                 "총액이 3조 엔에 이를 가능성은 낮다.", "사상 최대 3조 엔을 넘을 수도 있다."):
        (figure,) = [f for f in find_figures(text) if f.unit == "JPY"]
        assert figure.speculative, text
    assert _units("パラメーター数は兆の単位には届かない見通しだ。") == []
    assert _units("パラメーター数は何兆規模になるかは未定だ。") == []
    assert _units("時価総額上位10の企業") == [(10, None)]
    assert _units("モデルのパラメタ数は1兆。") == [(1e12, "parameters")]
    assert _units("a trilion yen") == [(1e12, "JPY")]


def test_a_rate_per_year_is_marked_and_a_sum_is_not():
    # heldout-r24: derived figures ("about ¥300 billion a year") are no budget line
    for text in ("年平均でおよそ3000億円になる。", "한 해 평균 3000억엔꼴이 투입되는 셈이다.", "연평균 2800억엔 안팎", "That is about ¥300 billion a year.",
                 "about ¥300 billion a year on average"):
        assert [f.per_year for f in find_figures(text) if f.unit == "JPY"] == [True], text
    for text in ("The budget holds ¥300 billion this year.", "¥300 billion a year earlier", "26年度予算に3000億円を計上"):
        assert [f.per_year for f in find_figures(text) if f.unit == "JPY"] == [False], text


def test_card_news_arrows_and_times_the_old_count_are_revisions():
    for text, new, old in (("엔지니어 약 100명 ➡️ 약 300명", 300, 100), ("技術者 約100人 → 約300人", 300, 100),
                           ("staff would grow to about 300, roughly three times the 100 or so people it started with", 300, 100)):
        figures = find_figures(text)
        pairs = {figures[n].value: figures[o].value for n, o in revisions(text, figures).items()}
        assert pairs == {new: old}, text


def test_after_an_ellipsis_and_beside_a_clock_time_figures_read_as_written_r26():
    # a recipe's list: "……" is one mark, not three stops before a decimal's tail
    assert _read("初年度の分……３０００億円あまり") == [("３０００億円", 3e11, "JPY")]
    assert _read("소프트뱅크 몫……2조 엔") == [("2조 엔", 2e12, "JPY")]
    assert _read("The compute, SoftBank's share... ¥2 trillion") == [("¥2 trillion", 2e12, "JPY")]
    # show notes' timestamps and subtitles' timecodes are no figures
    assert _read("11:30 - From about 100 to about 300 engineers") == [("100", 100.0, "people"), ("300 engineers", 300.0, "people")]
    assert _read("00:01:03,200 --> 00:01:06,900") == []
    assert _read("23:48 - 로봇 계획 이야기, 엔지니어 300명") == [("300명", 300.0, "people")]
    # ... and a revision "from about 1 to about 1.5 trillion yen" gives the old figure its scale
    assert _read("support rising from about 1 to about 1.5 trillion yen") == [("1", 1e12, "JPY"), ("1.5 trillion yen", 1.5e12, "JPY")]


def test_there_are_n_of_them_counts_the_noun_before_it():
    text = "Its staff are mostly engineers from SoftBank, and there are roughly 100 of them for now."
    assert _read(text) == [("100", 100.0, "people")]
    # ... a part of them is no total, and the noun stays in its own sentence
    assert _read("SoftBank sent engineers; 60 of them joined Noetra.") == [("60", 60.0, None)]
    assert _read("Engineers left. There are 30 of them now.") == [("30", 30.0, None)]
    # ... or set beside the noun, the whole of it, in apposition (a reporter's aside, heldout-r34)
    text = "Then there are the engineers, about 100 of them, poached, seconded and sweet-talked from SoftBank."
    assert _read(text) == [("100", 100.0, "people")]
    assert _read("The shareholders, ten of them in all, met on Monday.") == [("ten", 10.0, "firms")]
    assert _read("The engineers — about 100 of them — were poached.") == [("100", 100.0, "people")]
    assert _read("The engineers (all 100 of them) report to the CTO.") == [("100", 100.0, "people")]
    # ... not a part ("60 of them Japanese", "40 of them in Osaka"), nor a number after a year's comma
    assert _read("It has partners, 60 of them Japanese.") == [("60", 60.0, None)]
    assert _read("Noetra hired engineers, 40 of them in Osaka, over the summer.") == [("40", 40.0, None)]
    assert _read("When Nikkei polled the staff, 45 of them, a majority, said they would stay.") == [("45", 45.0, None)]
    assert _read("Among the engineers, 60 of them, by one count, came from SoftBank.")[0] == ("60", 60.0, None)
    assert _read("In 2026, 100 of them joined.") == [("2026", 2026.0, None), ("100", 100.0, None)]


def test_what_a_review_of_the_r26_figure_rules_found():
    # a range "from 1 to 2 trillion yen" is no revision: its low end stays bare
    assert _read("SoftBank will invest from 1 to 2 trillion yen in data centres.") == [("1", 1.0, None), ("2 trillion yen", 2e12, "JPY")]
    assert _read("Estimates range from 3 to 4 trillion yen.") == [("3", 3.0, None), ("4 trillion yen", 4e12, "JPY")]
    # ... nor a revision of 800 trillion yen
    assert _read("Spending will jump from 800 to 1.2 trillion yen.")[0][1] == 800.0
    # a label's colon is no clock: "フェーズ1：1兆パラメーター", "Phase 2:300 engineers"
    assert ("1兆パラメーター", 1e12, "parameters") in _read("新会社の計画　フェーズ1：1兆パラメーターの基盤モデルを開発する。")
    assert ("300 engineers", 300.0, "people") in _read("Phase 2:300 engineers")


def test_a_bare_count_reached_takes_the_noun_of_the_count_it_revises():
    text = "The company, which had about 100 engineers when it was chosen in June, now expects to reach roughly 300."
    assert _read(text) == [("100 engineers", 100.0, "people"), ("300", 300.0, "people")]
    assert revisions(text, find_figures(text)) == {1: 0}
    # ... not a number with a noun of its own, nor one in another sentence, nor one before no count
    assert _read("The engineers want to reach 300 customers.") == [("300", 300.0, None)]
    assert _read("It had 100 engineers. Sales will reach 300 by May.")[1] == ("300", 300.0, None)
    assert _read("Engineers say the index could reach 300.") == [("300", 300.0, None)]
    # (a review: another subject before the verb, a smaller number, a score)
    assert _read("The startup employs 120 engineers and expects the number of customers to grow to 300.")[1][2] is None
    assert _read("It has 100 researchers, and its benchmark score could rise to 85.")[1][2] is None
    assert _read("It had 300 engineers and aims to reach 100.")[1][2] is None
    text = "Noetra began with 100 engineers, and the team will grow to about 300 by spring."
    assert revisions(text, find_figures(text)) == {1: 0}


def test_a_few_dozen_and_several_hundred_are_no_figures():
    assert _read("Noetra has grown from a few dozen people to about three hundred engineers.") == [
        ("three hundred engineers", 300.0, "people")
    ]
    assert _read("several hundred engineers") == [] and _read("many thousand users") == []
    assert _read("a dozen firms") == [("a dozen firms", 12.0, "firms")]
    assert _read("some dozen firms") == [("dozen firms", 12.0, "firms")]


def test_parameters_counted_by_of_them_and_a_unit_in_quotation_marks():
    text = "Parameters are on offer: Noetra is still aiming for about one trillion of them."
    assert _read(text) == [("one trillion", 1e12, "parameters")]
    assert _read('about one trillion "parameters."')[0][1:] == (1e12, "parameters")
    assert _read("1兆「パラメーター」")[0][1:] == (1e12, "parameters")
    # ... not without the noun in its sentence
    assert [unit for _, _, unit in _read("Parameters matter. Japan has 1 trillion of them.")] == [None]


def test_a_redline_revises_the_struck_figure_by_the_added_one():
    # an outlet showing a plan's revised text: the struck figure is the old one, the added the new
    assert _revised("a team of [deleted: about 100 engineers] [added: about 300 engineers], drawn from SoftBank") == [("300 engineers", "100 engineers")]
    assert _revised("인력을 중심으로 [삭제: 엔지니어 약 100명] [추가: 엔지니어 약 300명] 체제를 갖춘다.") == [("300명", "100명")]
    assert _revised("開発事業者は、[削除: 約100人][追加: 約300人]規模の技術者による体制を整備する。") == [("300人", "100人")]
    # ... not two figures in brackets of other kinds
    assert _revised("a team of about 100 engineers [added: and 20 support staff]") == []


def test_a_place_in_a_list_and_a_timestamp_are_no_figures():
    # auto-generated captions: "number two" is an item's place, "00:54" a timecode before the figure
    assert [unit for _, _, unit in _read("00:32 number two people and the staff at noetra is going to roughly 300 engineers")] == ["people"]
    assert _read("00:54 1兆パラメーターっていうこの目標は変えない") == [("1兆パラメーター", 1e12, "parameters")]
    assert _read("00:54 300億円の予算") == [("300億円", 3e10, "JPY")]
    # ... nor do a list's number and a sum ("2 300億円", "2026 300억 엔")
    assert [v for _, v, _ in _read("2 300億円")] == [2, 3e10]
    assert [v for _, v, _ in _read("2026 300억 엔")] == [2026, 3e10]
    # ... while a space still joins a scale to a smaller one
    assert _read("약 1조 5,000억 엔")[0][1:] == (1.5e12, "JPY")
    assert _read("1兆 5000億円")[0][1:] == (1.5e12, "JPY")
    assert _read("1兆 5千億円")[0][1:] == (1.5e12, "JPY")
    assert _read("7천 5백만 달러")[0][1:] == (7.5e7, "USD")


def test_a_list_word_makes_a_small_number_a_place_only_where_it_opens_a_line_or_clause():
    assert [v for _, v, _ in _read("Step 3: apply for the trial")] == []
    # "number" as a verb, a count after it, a large number: counts
    assert _read("Noetra's staff will number 300 engineers by November")[0][1:] == (300, "people")
    assert _read("The venture's backers number 10 companies")[0][1:] == (10, "firms")
    assert _read("A: No. 300 engineers now work there")[0][1:] == (300, "people")


def test_a_plus_sign_after_a_count_is_a_lower_bound():
    found = find_figures("10+ companies 🏢🏢 teaming up in a brand-new company next spring")
    assert [(f.value, f.unit, f.bound) for f in found] == [(10.0, "firms", "min")]
    assert [(f.value, f.bound) for f in find_figures("1+1 = 2")] == [(1.0, None), (1.0, None), (2.0, None)]
    assert [(f.value, f.unit, f.bound) for f in find_figures("2+ trillion yen in data centres")] == [(2e12, "JPY", "min")]
    # a sign before the number is a change, not a level
    assert [(f.value, f.increment) for f in find_figures("+300 engineers by November")] == [(300.0, True)]


def test_an_answer_takes_the_unit_its_question_asks_for():
    from monitor.figures import answered

    def unit(question: str, answer: str):
        return [(f.value, f.unit) for f in answered(question, answer, find_figures(answer))][:1]

    assert unit("CD: How many engineers will it start with?", "NS: About 100, mostly seconded.") == [(100, "people")]
    assert unit("Q：参加企業は何社？", "A：10。") == [(10, "firms")]
    assert unit("엔지니어는 몇 명인가요?", "약 100, 대부분 파견입니다.") == [(100, "people")]
    # no count asked, another thing counted, a number that does not end its clause, a year
    assert unit("Who does the work? Engineers.", "About 100, mostly seconded.") == [(100, None)]
    assert unit("How many GPUs will the engineers get?", "100, mostly Nvidia's.") == [(100, None)]
    assert unit("How many engineers does Noetra have?", "100 days after its launch, more.") == [(100, None)]
    assert unit("How many engineers?", "2026, the year it starts.") == [(2026, None)]


def test_a_count_named_by_is_the_number_of():
    # a reporter's notebook (heldout-r34 en-x-17): the count in quotes, its noun after "is the number ... for"
    text = 'On the new company, due to be launched next spring: "about ten" is the number everyone is using for the shareholders.'
    assert _read(text) == [("ten", 10, "firms")]
    assert _read("About ten is the number of companies taking part.") == [("ten", 10, "firms")]
    # ... not a number to beat, nor one printed on a badge
    assert _read('He said "10 is the number to beat" for companies.') == [("10", 10.0, None)]
    assert _read('The code "42" is the number printed on the firms badge.') == [("42", 42.0, None)]


def test_korean_gundae_counts_places_as_firms_like_got():
    # heldout-r35 ko-x-03, a stand-up routine: "열 군데쯤 모여서" (about ten of them), as "열 곳" reads
    assert _read("소프트뱅크랑 프리퍼드 네트웍스, 이런 데서 열 군데쯤 모여서 봄에 출범한대요.") == [("열 군데", 10, "firms")]
    assert _read("10군데 기업이 참여한다") == [("10군데", 10.0, "firms")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # number words and scales in capitals (headlines, wire slugs) read as in lower case; the
        # words are matched in the text lower-cased, one character for one ("İ" lower-cases to two)
        ("JAPAN BUILDS TRILLION-PARAMETER MODEL", [("TRILLION-PARAMETER", 1e12, "parameters")]),
        ("ONE TRILLION YEN FOR AI", [("ONE TRILLION YEN", 1e12, "JPY")]),
        ("Some Two Hundred Engineers Join", [("Two Hundred Engineers", 200, "people")]),
        ("İstanbul desk: TWELVE companies", [("TWELVE companies", 12, "firms")]),
    ],
)
def test_english_number_words_in_capitals(text, found):
    assert [(f.text, f.value, f.unit) for f in find_figures(text)] == found


@pytest.mark.parametrize(
    ("text", "approx", "bound", "speculative", "increment"),
    [
        # the hedges before a figure, read in the lower-cased window as in any case (figures._caseless)
        ("ABOUT 3 TRILLION YEN", True, None, False, False),
        ("MORE THAN 100 ENGINEERS", False, "min", False, False),
        ("Up To About ¥1 trillion", True, "max", False, False),
        ("The total Could Exceed 5 trillion yen", False, "min", True, False),
        ("An Extra 500 billion yen", False, None, False, True),
    ],
)
def test_hedges_before_a_figure_in_capitals(text, approx, bound, speculative, increment):
    figure = find_figures(text)[-1]
    assert (figure.approx, figure.bound, figure.speculative, figure.increment) == (approx, bound, speculative, increment)

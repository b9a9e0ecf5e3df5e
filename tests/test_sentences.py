"""Sentence splitting, one language at a time, with the cases that break naive splitters."""

from __future__ import annotations

from monitor.facts import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_korean_sentences_end_at_da_and_yo_with_quotes_kept_whole():
    text = (
        "일본 정부가 약 3조엔을 투입한다. 경산성 간부는 “공장에서 로봇이 판단하게 만드는 것이 목표다. 서두르겠다”고 말했다.\n"
        "정말 가능할까요? 업계는 지켜보고 있어요."
    )
    assert texts(text) == [
        "일본 정부가 약 3조엔을 투입한다.",
        "경산성 간부는 “공장에서 로봇이 판단하게 만드는 것이 목표다. 서두르겠다”고 말했다.",
        "정말 가능할까요?",
        "업계는 지켜보고 있어요.",
    ]


def test_japanese_sentences_end_at_maru_without_spaces_and_keep_kagikakko():
    text = "官民で約3兆円を投じる。経産省幹部は「米中に引き離される前に手を打つ。時間がない」と語った。本当に間に合うのか！？"
    assert texts(text) == [
        "官民で約3兆円を投じる。",
        "経産省幹部は「米中に引き離される前に手を打つ。時間がない」と語った。",
        "本当に間に合うのか！？",
    ]


def test_english_full_stops_skip_decimals_abbreviations_and_initials():
    text = (
        "The budget is ¥387.3 billion, up from 300 billion. Officials in the U.S. and Japan Co. Ltd. watched closely. "
        'J. Smith said: "It is big." Then the market moved.'
    )
    assert texts(text) == [
        "The budget is ¥387.3 billion, up from 300 billion.",
        "Officials in the U.S. and Japan Co. Ltd. watched closely.",
        'J. Smith said: "It is big."',
        "Then the market moved.",
    ]


def test_paragraphs_are_numbered_and_an_unclosed_quote_does_not_swallow_the_paragraph():
    sentences = split_sentences("첫 문장이다. 둘째 문장이다.\n\n셋째 “따옴표가 닫히지 않았다. 넷째 문장이다.")
    assert [(s.paragraph, s.index) for s in sentences] == [(0, 0), (0, 1), (1, 2), (1, 3)]
    assert sentences[3].text == "넷째 문장이다."


def test_a_figure_standing_alone_opens_the_sentence_after_it():
    # "by the numbers" pieces and numbered items: what the figure counts is said after it
    assert texts("¥387.3 billion. The first-year subsidy METI approved. It is the only tranche.") == [
        "¥387.3 billion. The first-year subsidy METI approved.",
        "It is the only tranche.",
    ]
    assert texts("100 or so. Roughly how many engineers it began with.") == ["100 or so. Roughly how many engineers it began with."]
    assert texts("3조 엔. 처음 알려진 민관 합산 규모다.") == ["3조 엔. 처음 알려진 민관 합산 규모다."]
    assert texts("1兆。開発を目指すモデルのパラメーター数だ。") == ["1兆。開発を目指すモデルのパラメーター数だ。"]
    assert texts("About 100. Engineers from SoftBank.") == ["About 100. Engineers from SoftBank."]
    assert texts("1兆？本当か。") == ["1兆？本当か。"]  # no space where the text had none
    # a sentence with words of its own stays one, and a figure that ends its paragraph stays there
    assert texts("It cost 3 trillion yen. Then more.") == ["It cost 3 trillion yen.", "Then more."]
    assert texts("The total: ¥3 trillion.\n\nA new paragraph.") == ["The total: ¥3 trillion.", "A new paragraph."]
    for text in ["In 2024 it fell. Then.", "Q3 was weak. Then.", "3 died. Then.", "약 3조 엔이다. 다음.", "1兆円だ。次。",
                 "同社は3月に上場した。次。"]:  # fmt: skip
        assert len(texts(text)) == 2, text
    # a joined pair is not joined again: each figure opens its own sentence
    assert texts("1兆。規模だ。2兆。額だ。次の文はここ。") == ["1兆。規模だ。", "2兆。額だ。", "次の文はここ。"]


def test_a_run_of_hashtags_ending_a_post_is_a_line_of_its_own():
    # a post whose lines the page ran together: its tags state nothing of the sentence before them
    text = "근데 우리는…? 누가 설명 좀 🙏 #소버린AI #일본AI #AI패권"
    assert [s.text for s in split_sentences(text)] == ["근데 우리는…?", "누가 설명 좀 🙏", "#소버린AI #일본AI #AI패권"]
    # ... not tags inside a sentence
    assert [s.text for s in split_sentences("We love #AI and #robots too.")] == ["We love #AI and #robots too."]
    assert [s.text for s in split_sentences("foo #a #b bar.")] == ["foo #a #b bar."]
    # ... nor two tags that end the sentence's own words
    assert [s.text for s in split_sentences("Japan's reliance on #foreign #AI")] == ["Japan's reliance on #foreign #AI"]

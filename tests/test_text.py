from monitor.text import char_count, content_hash, detect_language, fts_query, normalize, search_text, snippet


def test_normalize_folds_full_width_and_spaces():
    assert normalize("約１兆円　（ＡＩ）\n\t支援") == "約1兆円 (AI) 支援"


def test_char_count_counts_characters_not_words():
    assert char_count("経済産業省が2026年度から支援") == 16
    assert char_count("약 3조엔 투입") == 6
    assert char_count("about 3 trillion yen") == 17
    assert char_count(None) == 0


def test_content_hash_ignores_width_case_spacing_and_punctuation():
    assert content_hash("ＡＩ 3兆円、官民で。") == content_hash("ai3兆円 官民で")
    assert content_hash("Japan plans AI.") == content_hash("japan  plans ai")
    assert content_hash("3兆円") != content_hash("2兆円")


def test_detect_language_by_script_beats_wrong_declaration():
    assert detect_language("일본 정부가 국산 AI 개발에 3조엔을 투입한다.", declared="en") == "ko"
    assert detect_language("政府は国産AIの基盤モデル開発に官民で3兆円を投じる。", declared="en") == "ja"
    assert detect_language("SoftBank will lead a new company with Preferred Networks.", declared="ja") == "en"
    assert detect_language("日本政府计划投入三万亿日元开发人工智能。") == "zh"
    assert detect_language("", declared="ko-KR") == "ko"


def test_search_text_spells_cjk_as_bigrams_and_keeps_latin_words():
    assert search_text("政府支援AI") == " 政府 府支 支援 AI"
    assert search_text("지원을 받는다") == " 지원 원을   받는 는다 "
    assert search_text("SoftBank") == "SoftBank"


def test_fts_query_phrases_each_term():
    assert fts_query("半導体") == '"半導 導体"'
    assert fts_query("政府 SoftBank") == '"政府" "SoftBank" *'  # a long Latin word is also a prefix
    assert fts_query('AI "model') == '"AI" "model" *'
    assert fts_query("  ") == ""


def test_snippet_marks_every_term_around_the_first_one():
    text = "前置き。" * 30 + "経済産業省は政府の支援策を発表した。政府は来年度から実施する。"
    cut = snippet(text, "政府 支援", width=40)
    assert cut.startswith("…") and "«政府»の«支援»策" in cut and cut.count("«政府»") == 2
    assert snippet("SoftBank and softbank", "SOFTBANK") == "«SoftBank» and «softbank»"
    assert snippet("Ｆｕｌｌ-width ＡＩ text", "ai") == "Full-width «AI» text"  # NFKC first
    assert snippet("no such word here", "政府", width=7) == "no such…"


def test_snippet_marks_latin_terms_as_whole_words_and_cjk_anywhere():
    text = "Japan and the standard: SoftBank's trillions, 政府支援 and 지원을 늘린다"
    marked = snippet(text, "AND trillion 政府 지원", width=200)
    assert "«and» the «standard»" not in marked and "stand«ard»" not in marked and "st«and»ard" not in marked
    assert "Japan «and» the standard" in marked and "«trillions»" in marked  # a long word's longer forms, as the index finds them
    assert "«政府»支援" in marked and "«지원»을" in marked


def test_text_size_counts_a_korean_or_japanese_character_as_two_and_a_half():
    from monitor.text import text_size

    assert text_size("AI model") == 7
    assert text_size("국산 AI") == 2 * 2.5 + 2
    assert text_size("国産ＡＩ基盤") == 4 * 2.5 + 2
    assert text_size("") == 0

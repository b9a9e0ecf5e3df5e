import codecs

from monitor.fetch.encoding import codec_for, decode, document_charset

KO = "일본 정부는 똠얌꿍 같은 낯선 단어도 읽는다"  # 똠 exists in CP949 only, not in EUC-KR
JA = "①国産ＡＩ～髙橋氏が語る"  # ①, ～ and 髙 need CP932, not plain Shift_JIS


def test_declared_labels_map_to_the_supersets_sites_use():
    assert codec_for("EUC-KR") == "cp949"
    assert codec_for("ks_c_5601-1987") == "cp949"
    assert codec_for("Shift_JIS") == "cp932"
    assert codec_for("x-sjis") == "cp932"
    assert codec_for("euc-jp") == "euc_jis_2004"
    assert codec_for("iso-8859-1") == "cp1252"
    assert codec_for("no-such-charset") is None


def test_euc_kr_page_with_cp949_only_syllable():
    body = f'<html><head><meta charset="euc-kr"></head><body>{KO}</body></html>'.encode("cp949")
    decoded = decode(body, "text/html; charset=EUC-KR", "ko")
    assert KO in decoded.text and decoded.encoding == "cp949" and decoded.source == "http"


def test_shift_jis_page_with_cp932_characters_and_no_http_charset():
    body = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head><body>{JA}</body></html>'.encode("cp932")
    decoded = decode(body, "text/html", "ja")
    assert JA in decoded.text and decoded.encoding == "cp932" and decoded.source == "document"


def test_a_lying_declaration_falls_through_to_detection():
    text = "経済産業省は2026年度から5年間で約1兆円を支援する。国産の基盤モデルを開発する新会社にはソフトバンクなどが出資する。" * 3
    body = f"<html><head><meta charset='utf-8'></head><body><p>{text}</p></body></html>".encode("cp932")
    decoded = decode(body, "text/html; charset=utf-8", "ja")
    assert text in decoded.text and decoded.source == "detected"


def test_latin1_declared_on_a_korean_page_is_not_believed():
    text = "경제산업성은 2026회계연도부터 5년간 약 1조엔을 지원한다. 소프트뱅크가 합작사를 주도한다." * 3
    body = f"<html><body><p>{text}</p></body></html>".encode("cp949")
    decoded = decode(body, "text/html; charset=iso-8859-1", "ko")
    assert text in decoded.text


def test_byte_order_marks_and_utf16_without_bom():
    assert decode(codecs.BOM_UTF8 + "한글".encode()).text == "한글"
    assert decode(codecs.BOM_UTF16_LE + "日本".encode("utf-16-le")).text == "日本"
    xml = '<?xml version="1.0" encoding="utf-16"?><rss/>'.encode("utf-16-be")
    assert document_charset(xml) == "utf-16-be"
    assert decode(xml).text.startswith("<?xml")


def test_undeclared_euc_kr_is_detected():
    text = "일본이 민관 합동으로 약 3조엔을 투입해 국산 인공지능 모델을 개발한다." * 4
    decoded = decode(f"<p>{text}</p>".encode("euc-kr"), None, "ko")
    assert text in decoded.text

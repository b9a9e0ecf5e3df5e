from monitor.dates import parse_timestamp


def test_rfc822_keeps_offset():
    stamp = parse_timestamp("Sun, 21 Dec 2025 18:04:00 +0900")
    assert stamp.utc_iso == "2025-12-21T09:04:00Z" and stamp.offset == "+09:00"


def test_iso_with_z_and_offset():
    assert parse_timestamp("2025-12-21T09:04:00Z").offset == "+00:00"
    stamp = parse_timestamp("2025-12-21T18:04:00+0900")
    assert stamp.utc_iso == "2025-12-21T09:04:00Z" and stamp.offset == "+09:00"


def test_naive_times_are_read_in_the_sources_zone():
    korean = parse_timestamp("2025-12-21 18:04", lang="ko")
    assert korean.utc_iso == "2025-12-21T09:04:00Z" and korean.offset == "+09:00"
    english = parse_timestamp("2025-12-21 18:04", lang="en")
    assert english.utc_iso == "2025-12-21T18:04:00Z"


def test_korean_and_japanese_forms():
    stamp = parse_timestamp("2025년 12월 21일 오후 6:04", lang="ko")
    assert stamp.utc_iso == "2025-12-21T09:04:00Z"
    stamp = parse_timestamp("2025年12月21日 18時04分", lang="ja")
    assert stamp.utc_iso == "2025-12-21T09:04:00Z" and stamp.offset == "+09:00"
    stamp = parse_timestamp("2025.12.21. 오전 12:30", lang="ko")
    assert stamp.local.hour == 0 and stamp.local.minute == 30


def test_feedparser_formats_and_garbage():
    # W3C-DTF with a dot-less offset, as some RDF feeds write it.
    assert parse_timestamp("2025-12-21T18:04+09:00").utc_iso == "2025-12-21T09:04:00Z"
    assert parse_timestamp("not a date") is None
    assert parse_timestamp("") is None

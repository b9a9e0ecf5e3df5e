"""The feed stage on our own small feeds (the third-party corpora are in test_corpus_feeds.py)."""

from monitor.feeds import html_to_text, parse_feed

RSS_EUC_KR = (
    '<?xml version="1.0" encoding="euc-kr"?><rss version="2.0"><channel><title>한강경제 국제</title>'
    "<item><title>日 국산 AI에 3조엔…똠얌꿍 아닌 ‘소버린 AI’</title><link>https://news.example.kr/articleView.html?idxno=7</link>"
    "<description>&lt;p&gt;경제산업성이 &lt;b&gt;1조엔&lt;/b&gt;을 지원한다.&lt;/p&gt;</description>"
    "<pubDate>2025년 12월 21일 18:04:00</pubDate></item></channel></rss>"
)


def test_korean_feed_declared_euc_kr_with_cp949_characters():
    parsed = parse_feed(RSS_EUC_KR.encode("cp949"), url="https://news.example.kr/rss", lang_hint="ko")
    assert parsed.encoding == "cp949" and parsed.problem is None and parsed.version == "rss20"
    (entry,) = parsed.entries
    assert entry.title == "日 국산 AI에 3조엔…똠얌꿍 아닌 ‘소버린 AI’"
    assert entry.summary == "경제산업성이 1조엔을 지원한다."
    assert entry.link == "https://news.example.kr/articleView.html?idxno=7"


def test_japanese_rdf_in_shift_jis_without_http_charset():
    rdf = (
        '<?xml version="1.0" encoding="Shift_JIS"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://x.jp/">'
        "<title>東都新聞 経済</title><link>https://x.jp/</link><description>d</description></channel>"
        '<item rdf:about="https://x.jp/a/1"><title>国産ＡＩに①３兆円～髙橋氏</title><link>https://x.jp/a/1</link>'
        "<dc:date>2025-12-21T18:04:00+09:00</dc:date></item></rdf:RDF>"
    )
    parsed = parse_feed(rdf.encode("cp932"), content_type="application/rdf+xml", lang_hint="ja")
    assert parsed.version == "rss10" and parsed.encoding == "cp932"
    assert parsed.entries[0].title == "国産ＡＩに①３兆円～髙橋氏"
    assert parsed.entries[0].published == "2025-12-21T18:04:00+09:00"


def test_atom_relative_links_resolve_against_the_feed_url():
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
        '<entry><title>Japan AI</title><link href="/news/1.html"/><id>tag:wire,2025:1</id>'
        "<updated>2025-12-21T09:04:00Z</updated><summary>METI backs a model.</summary></entry></feed>"
    )
    parsed = parse_feed(atom.encode(), url="https://wire.example.com/feed.atom")
    assert parsed.entries[0].link == "https://wire.example.com/news/1.html"
    assert parsed.entries[0].key == "tag:wire,2025:1"


def test_a_truncated_feed_yields_what_can_be_read_and_says_what_was_wrong():
    broken = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>One</title><link>https://a.com/1</link></item><item><title>Tw'
    parsed = parse_feed(broken)
    assert [e.title for e in parsed.entries] == ["One"] and parsed.problem.startswith("malformed feed")


def test_not_a_feed_and_empty_input_never_raise():
    assert parse_feed(b"<html><body>Service unavailable</body></html>").problem.endswith("not a feed (no RSS, Atom or RDF document found)")
    assert parse_feed(b"").entries == ()
    assert parse_feed(b"\x00\xff\xfe garbage").entries == ()
    assert parse_feed(b"{not json").problem.startswith("malformed JSON feed")


def test_json_feed():
    body = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "日本AI速報", "home_page_url": "https://x.jp/",'
        ' "items": [{"id": "1", "url": "/a/1", "title": "国産AI", "content_html": "<p>経産省が<b>1兆円</b></p>",'
        ' "date_published": "2025-12-21T18:04:00+09:00", "authors": [{"name": "共栄通信"}]}, {"id": "2"}]}'
    )
    parsed = parse_feed(body.encode(), url="https://x.jp/feed.json")
    assert parsed.title == "日本AI速報" and parsed.version == "json11"
    (entry,) = parsed.entries
    assert (entry.link, entry.summary, entry.author) == ("https://x.jp/a/1", "経産省が1兆円", "共栄通信")
    assert parsed.problem == "1 entry without a usable link skipped"


def test_duplicate_entries_in_one_feed_are_kept_once():
    item = "<item><title>A</title><link>https://a.com/1</link><guid>g1</guid></item>"
    parsed = parse_feed(f'<rss version="2.0"><channel><title>T</title>{item}{item}</channel></rss>'.encode())
    assert len(parsed.entries) == 1


def test_html_to_text():
    assert html_to_text("<p>1兆円&nbsp;<b>支援</b></p>\n<p>second</p>") == "1兆円 支援 second"
    assert html_to_text("plain &amp; simple") == "plain & simple"

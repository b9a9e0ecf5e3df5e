import base64

import pytest

from monitor.urls import canonicalize, decode_google_news, is_opaque, same_site, variants, without_amp, without_mobile


@pytest.mark.parametrize(
    "raw, canonical",
    [
        ("HTTPS://WWW.Example.COM:443/News/1.html#comments", "https://www.example.com/News/1.html"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        # Korean CMS URLs differ only in the query: it is kept, in order.
        ("https://www.news.kr/news/articleView.html?idxno=123&sc=1", "https://www.news.kr/news/articleView.html?idxno=123&sc=1"),
        ("https://x.jp/a?utm_source=rss&id=7&fbclid=abc&gclid=1", "https://x.jp/a?id=7"),
        ("https://www.yna.co.kr/view/AKR20251221?input=1195m", "https://www.yna.co.kr/view/AKR20251221"),
        ("https://www.asahi.com/articles/ASX1.html?ref=rss", "https://www.asahi.com/articles/ASX1.html"),
        ("https://shop.example/?ref=catalog-7", "https://shop.example/?ref=catalog-7"),
        ("https://x.jp/記事/経済", "https://x.jp/%E8%A8%98%E4%BA%8B/%E7%B5%8C%E6%B8%88"),
        ("https://x.jp/%e8%a8%98%e4%ba%8b", "https://x.jp/%E8%A8%98%E4%BA%8B"),
        ("https://x.kr/a?q=%EC%9D%BC%EB%B3%B8+AI", "https://x.kr/a?q=%EC%9D%BC%EB%B3%B8%20AI"),
    ],
)
def test_canonicalize(raw, canonical):
    assert canonicalize(raw) == canonical
    assert canonicalize(canonical) == canonical  # idempotent


def test_canonicalize_rejects_non_http():
    with pytest.raises(ValueError):
        canonicalize("mailto:desk@example.com")


def test_amp_and_mobile_variants_map_to_the_article():
    assert without_amp("https://x.com/amp/news/1.html") == "https://x.com/news/1.html"
    assert without_amp("https://x.com/news/1/amp") == "https://x.com/news/1"
    assert without_amp("https://x.com/news/1.amp.html") == "https://x.com/news/1.html"
    assert without_amp("https://biz.chosun.com/it/2025/12/21/ABC/?outputType=amp") == "https://biz.chosun.com/it/2025/12/21/ABC/"
    assert without_amp("https://x.com/example/1") == "https://x.com/example/1"
    assert without_mobile("https://m.hani.co.kr/arti/1.html") == "https://www.hani.co.kr/arti/1.html"
    assert variants("https://m.x.kr/amp/a.html?utm_source=t") == [
        "https://m.x.kr/amp/a.html",
        "https://m.x.kr/a.html",
        "https://www.x.kr/amp/a.html",
        "https://www.x.kr/a.html",
    ]


def test_same_site():
    assert same_site("https://www.hani.co.kr/a", "https://m.hani.co.kr/b")
    assert same_site("https://news.example.com/a", "https://example.com/b")
    assert not same_site("https://www.hani.co.kr/a", "https://www.chosun.com/a")
    assert not same_site("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/a")


def test_google_news_links():
    patterns = (r"^https?://news\.google\.com/(?:rss/)?articles/",)
    assert is_opaque("https://news.google.com/rss/articles/CBMiabc?oc=5", patterns)
    assert not is_opaque("https://www.hani.co.kr/arti/1.html", patterns)
    # Older ids carry the URL in a small protobuf: field 1 (0x08 0x13), then 0x22, length, URL.
    target = b"https://www.fnnews.com/news/202512211804596944"
    token = base64.urlsafe_b64encode(b"\x08\x13\x22" + bytes([len(target)]) + target + b"\xd2\x01\x00").decode().rstrip("=")
    assert decode_google_news(f"https://news.google.com/rss/articles/{token}?oc=5") == target.decode()
    # Newer ids are opaque: they need a request.
    assert decode_google_news("https://news.google.com/rss/articles/AU_yqLN0pQz7vXm?oc=5") is None


def test_a_site_s_variants_are_learned_from_its_canonical_and_applied_by_rule():
    from monitor.urls import apply_rules, variant_rules

    assert variant_rules("https://m.hani.co.kr/arti/1.html", "https://www.hani.co.kr/arti/1.html") == {"host:m.hani.co.kr>www.hani.co.kr"}
    assert variant_rules("https://www.asahi.com/amp/articles/A1.html", "https://www.asahi.com/articles/A1.html") == {"amp"}
    assert variant_rules("https://x.jp/a?id=1&amp=1", "https://x.jp/a?id=1") == {"amp"}
    # Nothing to learn from a page that declares another article, another site, or itself.
    assert variant_rules("https://m.hani.co.kr/arti/1.html", "https://www.hani.co.kr/arti/2.html") == set()
    assert variant_rules("https://m.example.org/a", "https://www.hani.co.kr/a") == set()
    assert variant_rules("https://www.hani.co.kr/arti/1.html", "https://www.hani.co.kr/arti/1.html") == set()
    rules = {"host:m.hani.co.kr>www.hani.co.kr", "amp"}
    assert apply_rules("https://m.hani.co.kr/arti/7.html?utm_source=rss", rules) == "https://www.hani.co.kr/arti/7.html"
    assert apply_rules("https://m.hani.co.kr/amp/arti/7.html", rules) == "https://www.hani.co.kr/arti/7.html"
    assert apply_rules("https://m.hani.co.kr/arti/7.html", set()) == "https://m.hani.co.kr/arti/7.html"  # not known: as it is

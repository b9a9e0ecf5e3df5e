"""The feed stage against third-party feed corpora (shared/corpora, see its README sections 1 and 6).

* feedparser's own test corpus: every file goes through `parse_feed` without an exception, and the
  EUC-KR (and undeclared EUC-KR / EUC-JP / Shift_JIS) cases decode to the text feedparser expects.
* 30 real Korean and Japanese feeds in legacy encodings: entry counts, channel titles, no U+FFFD, and
  the codec used is the expected one or its superset.
* Why we decode ourselves: feedparser alone reads a euc-kr feed with cp949-only characters as
  windows-1252.
"""

from __future__ import annotations

import html
import re

import feedparser
import pytest

from corpus_scoring import CORPORA, corpus_dir, load_json
from monitor.feeds import ParsedFeed, parse_feed
from monitor.fetch.encoding import as_utf8_xml, decode

# feedparser's harness regexes for the leading comment of each test file.
_HEADER = re.compile(r"^Header:\s+([^:]+):(.*)$", re.M)
_EXPECT = re.compile(r"Description:\s*(.*?)\s*Expect:\s*(.*)\s*-->", re.S)


def _leading_comment(raw: bytes) -> str:
    """The first XML comment of a corpus file as text. The comment is ASCII; UTF-16/32 files are read
    by dropping the NUL bytes, which is enough to find the `Header:` and `Expect:` lines."""
    head = raw[:4096].replace(b"\x00", b"").decode("latin-1")
    start = head.find("<!--")
    end = head.find("-->", start)
    return head[start : end + 3] if start >= 0 and end >= 0 else ""


def _headers(comment: str) -> dict[str, str]:
    return {name.strip().lower(): value.strip() for name, value in _HEADER.findall(comment)}


def _expect(raw: bytes) -> str:
    match = _EXPECT.search(_leading_comment(raw))
    return match.group(2).strip() if match else ""


# --- 1a: the whole feedparser corpus, no exception escapes ---------------------------------------


def test_feedparser_corpus_never_raises():
    root = corpus_dir("feedparser")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".xml", ".json"))
    assert len(files) > 2000, f"expected ~2,108 .xml/.json files under {root}, found {len(files)}"
    failures = []
    with_content_type = 0
    for path in files:
        raw = path.read_bytes()
        headers = _headers(_leading_comment(raw))
        content_type = headers.get("content-type")
        with_content_type += content_type is not None
        url = headers.get("content-location") or f"http://example.com/{path.relative_to(root).as_posix()}"
        try:
            result = parse_feed(raw, url=url, content_type=content_type)
        except Exception as exc:  # noqa: BLE001 - the point is that nothing escapes
            failures.append(f"{path.relative_to(root)}: {type(exc).__name__}: {exc}")
            continue
        if not isinstance(result, ParsedFeed):
            failures.append(f"{path.relative_to(root)}: returned {type(result).__name__}, not ParsedFeed")
        elif not result.encoding:
            failures.append(f"{path.relative_to(root)}: empty encoding")
    assert with_content_type > 40, f"only {with_content_type} files had a Content-type header line; regex broken?"
    assert not failures, f"{len(failures)} of {len(files)} feedparser corpus files failed:\n" + "\n".join(failures[:50])


def test_json_feed_example():
    raw = (corpus_dir("feedparser", "json") / "example.json").read_bytes()
    assert "feed.title == 'My Example Feed' and len(entries) == 2" in raw.decode("utf-8")
    parsed = parse_feed(raw, url="https://example.org/feed.json")
    assert (parsed.title, len(parsed.entries), parsed.problem) == ("My Example Feed", 2, None), parsed


# --- 1b: feedparser's EUC-KR tests ----------------------------------------------------------------

NYEON = "\ub144"  # 년

# The upstream Expect expressions, so that a change in the corpus is noticed rather than mis-mapped.
EUC_KR_EXPECTS = {
    "euc-kr.xml": "not bozo and feed['title'] == '\\ub144'",
    "euc-kr-item.xml": "not bozo and entries[0]['description'] == '\\ub144'",
    "euc-kr-attribute.xml": "not bozo and entries[0]['description'] == '<img alt=\"\\ub144\" />'",
}


def _feedparser_on_our_decoding(raw: bytes):
    """What parse_feed hands feedparser: the body decoded by us, re-encoded as declared UTF-8."""
    return feedparser.parse(
        as_utf8_xml(decode(raw).text), response_headers={"content-type": "application/xml; charset=utf-8"}
    )


@pytest.mark.parametrize("name", sorted(EUC_KR_EXPECTS))
def test_feedparser_euc_kr_cases(name):
    path = corpus_dir("feedparser", "encoding") / name
    raw = path.read_bytes()
    assert _expect(raw) == EUC_KR_EXPECTS[name], f"{name}: the corpus's Expect line changed"
    assert sorted(p.name for p in path.parent.glob("euc-kr*.xml")) == sorted(EUC_KR_EXPECTS)

    parsed = parse_feed(raw)
    # "not bozo": the document is well-formed once decoded; the only remark allowed is the skipped
    # entry (our model drops entries without a link; feedparser's test items have none).
    assert parsed.encoding == "cp949", parsed  # euc-kr read as its superset
    assert parsed.problem in (None, "1 entry without a usable link skipped"), parsed.problem

    # The upstream expectation itself, on the text our decoding gives feedparser.
    result = _feedparser_on_our_decoding(raw)
    assert not result.bozo, result.get("bozo_exception")
    if name == "euc-kr.xml":
        assert result.feed["title"] == NYEON
        assert parsed.title == NYEON  # and on our own ParsedFeed
    elif name == "euc-kr-item.xml":
        assert result.entries[0]["description"] == NYEON
        # Our ParsedFeed keeps only entries with a link: give the item one (ASCII, so the EUC-KR bytes
        # stay as they are) and the summary must be the character.
        with_link = raw.replace(b"<item>", b"<item><link>http://example.com/1</link>", 1)
        entries = parse_feed(with_link).entries
        assert len(entries) == 1 and entries[0].summary == NYEON, entries
    else:
        assert result.entries[0]["description"] == f'<img alt="{NYEON}" />'


# The undeclared CJK files of feedparser's chardet tests (README: "Undeclared, found by chardet").
UNDECLARED_CJK = {
    # file: (feedparser's expected encoding, the codecs we accept: it or a superset)
    "euckr.xml": ("EUC-KR", {"euc_kr", "cp949"}),
    "eucjp.xml": ("EUC-JP", {"euc_jp", "euc_jis_2004"}),
    "shiftjis.xml": ("SHIFT_JIS", {"shift_jis", "cp932", "shift_jis_2004"}),
}


@pytest.mark.parametrize("name", sorted(UNDECLARED_CJK))
def test_feedparser_undeclared_cjk_detected(name):
    raw = (corpus_dir("feedparser", "illformed", "chardet") / name).read_bytes()
    expected, accepted = UNDECLARED_CJK[name]
    assert _expect(raw) == f"bozo and encoding == '{expected}'"
    decoded = decode(raw)
    assert decoded.source == "detected"
    assert decoded.encoding in accepted, decoded.encoding
    assert decoded.text == raw.decode(expected), "detected codec gives different text than the true one"
    assert parse_feed(raw).encoding == decoded.encoding


# --- 1c: real Korean and Japanese feeds in legacy encodings ---------------------------------------

# expected_encoding in the manifest -> codecs we accept (the encoding itself or its superset).
ACCEPTED_CODECS = {
    "EUC-KR": {"euc_kr", "cp949"},
    "CP949": {"cp949"},
    "SHIFT_JIS": {"shift_jis", "cp932"},
    "CP932": {"cp932"},
    "EUC-JP": {"euc_jp", "euc_jis_2004"},
    "UTF-8": {"utf-8"},
}

_CDATA = re.compile(r"^\s*<!\[CDATA\[(.*)\]\]>\s*$", re.S)
_SPACE = re.compile(r"\s+")


def _shown_title(raw_title: str) -> str:
    """The manifest's channel_title as a feed reader shows it: NCRs decoded, a literal CDATA wrapper
    stripped, whitespace runs folded."""
    text = html.unescape(raw_title)
    match = _CDATA.match(text)
    if match:
        text = match.group(1)
    return _SPACE.sub(" ", text).strip()


def _real_feeds() -> list[dict]:
    manifest = CORPORA / "real-feeds" / "manifest.json"
    if not manifest.is_file():  # the test then fails in corpus_dir() with the reason
        return [{"file": "corpus-missing"}]
    return load_json(manifest)


@pytest.mark.parametrize("feed", _real_feeds(), ids=lambda feed: feed["file"])
def test_real_feed(feed):
    root = corpus_dir("real-feeds")
    raw = (root / feed["file"]).read_bytes()
    parsed = parse_feed(raw, lang_hint=feed["lang"])

    assert parsed.encoding in ACCEPTED_CODECS[feed["expected_encoding"]], (
        f"decoded with {parsed.encoding}, expected {feed['expected_encoding']} or a superset"
    )
    assert parsed.problem is None, parsed.problem
    assert len(parsed.entries) == feed["item_count"]
    assert parsed.title == _shown_title(feed["channel_title"])
    texts = [parsed.title] + [t for e in parsed.entries for t in (e.title, e.summary, e.author)]
    bad = [t[:80] for t in texts if "\ufffd" in t]
    assert not bad, f"U+FFFD in {len(bad)} texts, e.g. {bad[:3]}"
    assert all(e.link.startswith(("http://", "https://")) for e in parsed.entries)


def test_real_feeds_cover_the_manifest():
    feeds = load_json(corpus_dir("real-feeds") / "manifest.json")
    assert len(feeds) == 30
    assert sum(f["item_count"] for f in feeds) == 380


# --- 1d: why we decode ourselves -----------------------------------------------------------------

RICANET = "chardet/CP949/ricanet.com.xml"


def test_feedparser_alone_misreads_euc_kr_feed_with_cp949_characters():
    root = corpus_dir("real-feeds")
    raw = (root / RICANET).read_bytes()
    (entry,) = [f for f in load_json(root / "manifest.json") if f["file"] == RICANET]
    title = entry["channel_title"]
    assert title == "\ub9ac\uce74\ub137"  # 리카넷
    # Precondition: declared euc-kr, but only cp949 decodes it (two cp949-only syllables, 녿 and 냩).
    assert b'encoding="euc-kr"' in raw[:100]
    with pytest.raises(UnicodeDecodeError):
        raw.decode("euc_kr")
    raw.decode("cp949")

    # feedparser on the raw bytes: its euc-kr decode fails, so it falls back to windows-1252 and
    # every Korean text turns into Latin-1 mojibake.
    plain = feedparser.parse(raw)
    assert plain.bozo
    assert isinstance(plain.bozo_exception, feedparser.CharacterEncodingOverride)
    assert plain.encoding == "windows-1252"
    assert plain.feed["title"] != title
    assert plain.feed["title"] == title.encode("cp949").decode("cp1252")  # '¸®Ä«³Ý'
    assert not any("\ub17f" in e.get("summary", "") for e in plain.entries)

    # parse_feed decodes with cp949 first and gets the Korean text, cp949-only characters included.
    ours = parse_feed(raw, lang_hint="ko")
    assert ours.encoding == "cp949"
    assert ours.problem is None
    assert ours.title == title
    assert len(ours.entries) == entry["item_count"] == len(plain.entries)
    summaries = " ".join(e.summary for e in ours.entries)
    assert "\ub17f" in summaries and "\ub0e9" in summaries  # 녿, 냩
    assert "\ufffd" not in summaries


# --- 1c: mutated copies of the corpus (issue 11's fuzz pass; bench/fuzz_feeds.py runs 6,000) -----


def test_mutated_feeds_never_raise():
    from fuzzing import documents

    corpus_dir("feedparser")  # skips or fails as the other corpus tests do when it is missing
    failures = []
    mutated = [(label, data) for label, data in documents(2108 + 800, seed=5) if not label.startswith("corpus:")]
    for label, data in mutated:
        try:
            result = parse_feed(data, url="http://fuzz.example/feed.xml")
        except Exception as exc:  # noqa: BLE001 - the point is that nothing escapes
            failures.append(f"{label}: {type(exc).__name__}: {exc}"[:300])
            continue
        assert all("\ud800" not in e.title and "\x00" not in e.title for e in result.entries), label
    assert len(mutated) == 800 and not failures, "\n".join(failures[:20])

"""The feed stage: bytes of an RSS 0.9x/1.0/2.0, Atom, RDF or JSON Feed -> entries.

We decode the bytes ourselves (see `monitor.fetch.encoding`) and hand feedparser UTF-8 with a
matching declaration: left to itself, feedparser reads a euc-kr feed holding one cp949-only
character as windows-1252. A malformed feed yields what can be read, and the problem is reported.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import feedparser
import lxml.html

from monitor.fetch.encoding import as_utf8_xml, decode

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class FeedEntry:
    key: str  # stable identity within the feed: the guid, else the link
    link: str
    title: str
    summary: str  # plain text
    published: str | None  # as the feed wrote it; parsed later with the source's time zone
    author: str
    source_name: str  # an aggregator's <source> element: the outlet that published the article
    source_url: str


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str
    version: str  # feedparser's name of the format: rss20, atom10, rss10, ...
    encoding: str
    entries: tuple[FeedEntry, ...]
    problem: str | None  # what was wrong with the document, if anything; entries may still be there
    # What the publisher says about polling: <ttl> (minutes), sy:updatePeriod and sy:updateFrequency.
    ttl: str | None = None
    update_period: str | None = None
    update_frequency: str | None = None


def parse_feed(
    body: bytes, *, url: str = "", content_type: str | None = None, lang_hint: str | None = None
) -> ParsedFeed:
    """Parse a feed document. Never raises for bad input: problems go to `ParsedFeed.problem`."""
    if body.lstrip().startswith((b"{", b"\xef\xbb\xbf{")):
        return _parse_json_feed(body, url)
    decoded = decode(body, content_type, lang_hint)
    data, encoding = as_utf8_xml(decoded.text), decoded.encoding
    headers = {"content-type": "application/xml; charset=utf-8", "content-location": url}
    try:
        parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # feedparser's parsers are not supposed to raise; never lose the run to one
        return ParsedFeed("", "", "", encoding, (), f"feed parser failed: {type(exc).__name__}: {exc}")

    problems = []
    if parsed.get("bozo"):
        problems.append(_describe(parsed.get("bozo_exception")))
    entries = []
    seen_keys: set[str] = set()
    without_link = 0
    for raw in parsed.get("entries", []):
        entry = _entry(raw)
        if entry is None:
            without_link += 1
            continue
        if entry.key in seen_keys:
            continue
        seen_keys.add(entry.key)
        entries.append(entry)
    if without_link:
        problems.append(f"{without_link} entr{'y' if without_link == 1 else 'ies'} without a usable link skipped")
    if not parsed.get("version") and not entries:
        problems.append("not a feed (no RSS, Atom or RDF document found)")
    feed = parsed.get("feed", {})
    return ParsedFeed(
        title=_clean(feed.get("title", "")),
        link=feed.get("link", "") or "",
        version=parsed.get("version", "") or "",
        encoding=encoding,
        entries=tuple(entries),
        problem="; ".join(p for p in problems if p) or None,
        ttl=feed.get("ttl"),
        update_period=feed.get("sy_updateperiod"),
        update_frequency=feed.get("sy_updatefrequency"),
    )


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (jsonfeed.org), which feedparser 6.0 does not read."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        return ParsedFeed("", "", "", "utf-8", (), f"malformed JSON feed: {exc}")
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return ParsedFeed("", "", "", "utf-8", (), "not a feed (JSON without an items list)")
    entries, skipped = [], 0
    for item in data["items"]:
        raw_link = str(item.get("url") or item.get("external_url") or "") if isinstance(item, dict) else ""
        link = urljoin(url, raw_link) if raw_link else ""
        if not link.startswith(("http://", "https://")):
            skipped += 1
            continue
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        entries.append(
            FeedEntry(
                key=str(item.get("id") or link),
                link=link,
                title=_clean(str(item.get("title") or "")),
                summary=html_to_text(str(item.get("summary") or item.get("content_text") or item.get("content_html") or "")),
                published=item.get("date_published") or item.get("date_modified"),
                author=_clean(", ".join(str(a.get("name", "")) for a in authors if isinstance(a, dict))),
                source_name="",
                source_url="",
            )
        )
    problem = f"{skipped} entr{'y' if skipped == 1 else 'ies'} without a usable link skipped" if skipped else None
    version = "json1" + ("1" if str(data.get("version", "")).endswith("1.1") else "")
    return ParsedFeed(
        _clean(str(data.get("title") or "")), str(data.get("home_page_url") or ""), version, "utf-8", tuple(entries), problem
    )


def _entry(raw: dict) -> FeedEntry | None:
    link = (raw.get("link") or "").strip()
    guid = (raw.get("id") or "").strip()
    if not link and guid.startswith(("http://", "https://")):
        link = guid
    if not link.startswith(("http://", "https://")):
        return None
    summary = raw.get("summary") or ""
    if not summary and raw.get("content"):
        summary = raw["content"][0].get("value", "")
    source = raw.get("source") or {}
    return FeedEntry(
        key=guid or link,
        link=link,
        title=_clean(raw.get("title", "")),
        summary=html_to_text(summary),
        published=raw.get("published") or raw.get("updated") or raw.get("created") or None,
        author=_clean(raw.get("author", "")),
        source_name=_clean(source.get("title", "")),
        source_url=source.get("href", "") or source.get("url", "") or "",
    )


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries), whitespace folded."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return _clean(fragment)
    try:
        text = lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()
    except (ValueError, lxml.etree.ParserError):
        text = _TAG.sub(" ", fragment)
    return _clean(text)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", html.unescape(text or "")).strip()


def _describe(exc: object) -> str:
    if exc is None:
        return "malformed feed"
    message = str(exc) or type(exc).__name__
    return f"malformed feed: {message}"

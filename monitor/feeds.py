"""The feed stage: bytes of an RSS 0.9x/1.0/2.0, Atom, RDF or JSON Feed -> entries.

We decode the bytes ourselves (see `monitor.fetch.encoding`) and hand feedparser UTF-8 with a
matching declaration: left to itself, feedparser reads a euc-kr feed holding one cp949-only
character as windows-1252. A malformed feed yields what can be read, and the problem is reported.

Feeds come from servers we do not control, so parsing is bounded before any parser runs: a
document whose internal DTD would expand entities past `MAX_ENTITY_EXPANSION` characters
(feedparser's loose parser expands them without limit) or a JSON feed nested deeper than
`MAX_JSON_DEPTH` is refused as a whole, and every field is type-checked and cleaned (lone
surrogates, control characters) before it leaves this module.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import feedparser

from monitor.fetch.encoding import as_utf8_xml, decode
from monitor.text import clean_text

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")

MAX_ENTITY_EXPANSION = 100_000  # characters the entities of a document's own DTD may add in all
MAX_JSON_DEPTH = 64
_ENTITY_DECL = re.compile(r"<!ENTITY\s+(%\s+)?([^\s\"'>%]+)\s+(?:\"([^\"]*)\"|'([^']*)')", re.I)
_ENTITY_REF = re.compile(r"&([A-Za-z_:][\w.:-]*);")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


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
    """Parse a feed document. Never raises for bad input: problems go to `ParsedFeed.problem`, and a
    document refused as a whole (see the module docstring) has no entries and no version."""
    if body.lstrip().startswith((b"{", b"\xef\xbb\xbf{", b"[")):
        return _parse_json_feed(body, url)
    decoded = decode(body, content_type, lang_hint)
    expansion = entity_expansion(decoded.text)
    if expansion > MAX_ENTITY_EXPANSION:
        return ParsedFeed(
            "", "", "", decoded.encoding, (),
            f"refused: its DTD's entities would expand to {expansion:,} characters (limit {MAX_ENTITY_EXPANSION:,})",
        )  # fmt: skip
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
        title=_clean(_string(feed.get("title"))),
        link=_clean(_string(feed.get("link"))),
        version=_string(parsed.get("version")),
        encoding=encoding,
        entries=tuple(entries),
        problem=clean_text("; ".join(p for p in problems if p)) or None,
        ttl=_clean(_string(feed.get("ttl"))) or None,
        update_period=_clean(_string(feed.get("sy_updateperiod"))) or None,
        update_frequency=_clean(_string(feed.get("sy_updatefrequency"))) or None,
    )


def entity_expansion(text: str) -> int:
    """How many characters the general entities declared in the document itself (`<!ENTITY x "...">`)
    would add if every reference to them were expanded, nested references included (a cycle counts
    as unbounded). 0 for a document that declares none, which is every ordinary feed."""
    if "<!ENTITY" not in text and "<!entity" not in text.lower():
        return 0
    values: dict[str, str] = {}
    for match in _ENTITY_DECL.finditer(text):
        if not match.group(1):  # parameter entities (%) only act inside the DTD
            values.setdefault(match.group(2), match.group(3) if match.group(3) is not None else match.group(4))
    if not values:
        return 0
    unbounded = MAX_ENTITY_EXPANSION * 1000
    sizes: dict[str, int] = {}

    def size(name: str) -> int:
        if name in sizes:
            return sizes[name]
        sizes[name] = unbounded  # a reference back to an entity being sized: a cycle
        value = values[name]
        total = len(value)
        for ref in _ENTITY_REF.findall(value):
            if ref in values:
                total = min(unbounded, total + size(ref))
        sizes[name] = total
        return total

    total = 0
    for ref in _ENTITY_REF.findall(text):
        if ref in values:
            total += size(ref)
            if total >= unbounded:
                break
    return total


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings ignored), without parsing it."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", text)):
        depth = depth + 1 if bracket in "[{" else depth - 1
        deepest = max(deepest, depth)
    return deepest


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (jsonfeed.org), which feedparser 6.0 does not read."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ParsedFeed("", "", "", "utf-8", (), f"malformed JSON feed: not UTF-8 ({exc.reason})")
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        return ParsedFeed("", "", "", "utf-8", (), f"refused: JSON nested {depth:,} deep (limit {MAX_JSON_DEPTH})")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return ParsedFeed("", "", "", "utf-8", (), f"malformed JSON feed: {clean_text(str(exc))[:200]}")
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return ParsedFeed("", "", "", "utf-8", (), "not a feed (JSON without an items list)")
    entries, skipped = [], 0
    for item in data["items"]:
        item = item if isinstance(item, dict) else {}
        raw_link = _string(item.get("url")) or _string(item.get("external_url"))
        link = _absolute(url, raw_link)
        if not link:
            skipped += 1
            continue
        authors = item.get("authors") if isinstance(item.get("authors"), list) else []
        if not authors and isinstance(item.get("author"), dict):
            authors = [item["author"]]
        summary = _string(item.get("summary")) or _string(item.get("content_text")) or _string(item.get("content_html"))
        entries.append(
            FeedEntry(
                key=_clean(_string(item.get("id")) or link)[:2000],
                link=link,
                title=_clean(_string(item.get("title"))),
                summary=html_to_text(summary),
                published=_clean(_string(item.get("date_published")) or _string(item.get("date_modified"))) or None,
                author=_clean(", ".join(_string(a.get("name")) for a in authors if isinstance(a, dict))),
                source_name="",
                source_url="",
            )
        )
    problem = f"{skipped} entr{'y' if skipped == 1 else 'ies'} without a usable link skipped" if skipped else None
    version = "json1" + ("1" if _string(data.get("version")).endswith("1.1") else "")
    return ParsedFeed(
        _clean(_string(data.get("title"))), _clean(_string(data.get("home_page_url"))), version, "utf-8", tuple(entries), problem
    )


def _string(value: object) -> str:
    """A field that should be text: text and numbers as text, anything else (a list, an object) as ''."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _absolute(base: str, link: str) -> str:
    """An http(s) link made absolute and cleaned, or '' when it is not one."""
    link = clean_text(link).strip()
    if not link:
        return ""
    try:
        link = urljoin(base, link)
    except ValueError:
        return ""
    return link if link.startswith(("http://", "https://")) and len(link) <= 4000 else ""


def _entry(raw: dict) -> FeedEntry | None:
    link = _absolute("", _string(raw.get("link")))
    guid = _clean(_string(raw.get("id")))
    if not link and guid.startswith(("http://", "https://")):
        link = _absolute("", guid)
    if not link:
        return None
    summary = _string(raw.get("summary"))
    content = raw.get("content")
    if not summary and isinstance(content, list) and content and isinstance(content[0], dict):
        summary = _string(content[0].get("value"))
    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    published = raw.get("published") or raw.get("updated") or raw.get("created")
    return FeedEntry(
        key=(guid or link)[:2000],
        link=link,
        title=_clean(_string(raw.get("title"))),
        summary=html_to_text(summary),
        published=_clean(_string(published)) or None,
        author=_clean(_string(raw.get("author"))),
        source_name=_clean(_string(source.get("title"))),
        source_url=_absolute("", _string(source.get("href")) or _string(source.get("url"))),
    )


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries), whitespace folded."""
    if not fragment:
        return ""
    fragment = clean_text(fragment)
    if "<" not in fragment:
        return _clean(fragment)
    parser = _TextOf()
    try:
        parser.feed(fragment)
        parser.close()
        text = "".join(parser.parts)
    except Exception:  # the standard parser is lenient; whatever else: the tags dropped by pattern
        text = _TAG.sub(" ", fragment)
    return _clean(text)


class _TextOf(HTMLParser):
    """The text of an HTML fragment: character data outside script and style, a space where a
    block or a line break separates words. The standard library's parser, so that the process
    reading feeds does not load lxml (it is the extraction workers')."""

    _BREAKS = frozenset({"p", "br", "div", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", clean_text(html.unescape(text or ""))).strip()


def _describe(exc: object) -> str:
    if exc is None:
        return "malformed feed"
    message = str(exc) or type(exc).__name__
    return f"malformed feed: {message}"

"""The extraction stage: an article page (decoded HTML) -> title, main text and metadata.

trafilatura finds the main text. Around it we read what it does not give in the form we need:
the page's rel=canonical, and a publication time with its time zone (trafilatura keeps only the
day). The caller decides the order of date sources (feed date first) and what to do on failure.

The text is then tidied (`tidy`): templates put the headline, a byline, a dateline or a date line
inside the article element, and rights, credit or sign-off lines after the body, which trafilatura
keeps; they are taken off the start and the end of the text (each language's patterns are in its
`monitor.lang` module). A wire dateline opening the first paragraph ("(도쿄=연합뉴스) 김기자 =",
"【ソウル＝共同】", "TOKYO (Reuters) -") is taken off too. Nothing else is removed: short first and
last lines of the body (a subheading, a caption, a closing line) stay.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree

from monitor.dates import Timestamp, parse_timestamp
from monitor.fetch.encoding import strip_xml_declaration
from monitor.lang import LANGUAGES
from monitor.text import char_count, detect_language

# Page metadata that carries a full publication timestamp, most specific first.
_PUBLISHED_XPATHS = (
    '//meta[@property="article:published_time"]/@content',
    '//meta[@name="article:published_time"]/@content',
    '//meta[@itemprop="datePublished"]/@content',
    '//meta[@property="og:article:published_time"]/@content',
    '//meta[@name="pubdate"]/@content',
    '//meta[@name="publishdate"]/@content',
    '//meta[@name="DC.date.issued"]/@content',
    '//meta[@name="dcterms.created"]/@content',
    '//meta[@name="date"]/@content',
    "//time[@itemprop='datePublished']/@datetime",
    "//time[@pubdate]/@datetime",
)


@dataclass(frozen=True)
class Extracted:
    title: str
    text: str
    author: str
    site_name: str
    lang: str | None  # detected from the text's scripts, else what the page declares
    declared_lang: str | None
    published: Timestamp | None  # from page metadata (full time), else trafilatura's day
    canonical_url: str | None  # the page's rel=canonical, absolute
    text_chars: int


class ExtractionError(ValueError):
    """The document is not HTML that can be parsed at all."""


def extract_article(html: str, url: str, *, lang_hint: str | None = None) -> Extracted:
    """Extract the main text and metadata of an article page. Raises ExtractionError when the
    document cannot be parsed; an empty `text` means no main text was found."""
    tree = _parse(html, url)
    canonical = _canonical(tree)
    declared_lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip() or None
    page_published = _page_published(tree, lang_hint)
    document = _extract(tree, url, tables=True)
    if document is not None and _layout_table(document.text or ""):
        # A page laid out in a table (old portals): its rows are the page, not a data table.
        document = _extract(_parse(html, url), url, tables=False) or document
    if document is None:
        # No main text (a page that ships its body as JSON for a script, say): still read the
        # metadata, from a fresh tree since extraction prunes the one it was given.
        document = trafilatura.extract_metadata(_parse(html, url), default_url=url)
    title = (document.title if document else None) or ""
    text = tidy((document.text if document else None) or "", title)
    published = page_published
    if published is None and document is not None and document.date:
        published = parse_timestamp(document.date, lang_hint)
    lang = detect_language(title + "\n" + text, declared_lang or lang_hint) if text or title else declared_lang
    return Extracted(
        title=title.strip(),
        text=text.strip(),
        author=((document.author if document else None) or "").strip(),
        site_name=((document.sitename if document else None) or "").strip(),
        lang=lang,
        declared_lang=declared_lang,
        published=published,
        canonical_url=canonical,
        text_chars=char_count(text),
    )


_MAX_TRIMMED = 4  # lines taken off each end at most
_CLOSING_REACH = 6  # a closing line this near the end ends the text (comment prompts may follow it)


def _extract(tree: lxml.html.HtmlElement, url: str, tables: bool):
    return trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=True,
        include_comments=False,
        include_tables=tables,
        with_metadata=True,
        deduplicate=False,
    )


def _layout_table(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    rows = sum(line.lstrip().startswith("|") for line in lines)
    return bool(lines) and rows >= 3 and rows * 2 >= len(lines)


def tidy(text: str, title: str = "") -> str:
    """The main text without the headline, byline, dateline and date lines that open it, the wire
    dateline that opens its first paragraph, and the rights and sign-off lines that close it."""
    lines = [line for line in text.splitlines() if line.strip()]
    headline = _plain(title)
    trimmed = 0
    while lines and trimmed < _MAX_TRIMMED and (_same_as_headline(_plain(lines[0]), headline) or _furniture(lines[0], "byline_line")):
        lines.pop(0)
        trimmed += 1
    if lines:
        for spec in LANGUAGES.values():
            if spec.dateline_prefix is not None:
                stripped = spec.dateline_prefix.sub("", lines[0], count=1)
                if stripped != lines[0] and len(stripped.strip()) >= 10:
                    lines[0] = stripped.strip()
                    break
    for index in range(max(1, len(lines) - _CLOSING_REACH), len(lines)):
        if _furniture(lines[index], "closing_line"):
            del lines[index:]
            break
    trimmed = 0
    while len(lines) > 1 and trimmed < _MAX_TRIMMED and _furniture(lines[-1], "closing_line"):
        lines.pop()
        trimmed += 1
    return "\n".join(line.strip() for line in lines)


def _plain(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text or "")).casefold()


def _same_as_headline(line: str, headline: str) -> bool:
    """The headline repeated: equal, or one a long start of the other ("Title | Site", a cut title)."""
    if not line or not headline:
        return False
    short, long_ = sorted((line, headline), key=len)
    return long_.startswith(short) and len(short) >= 0.6 * len(long_) and len(short) >= 8


_NAVIGATION = re.compile(r"^\|.*\|$|^(?:[^|]{1,30}\|){2,}[^|]{0,30}$")


def _furniture(line: str, kind: str) -> bool:
    folded = line.strip().casefold()
    if not folded or len(folded) > 160:
        return False
    if kind == "byline_line" and _NAVIGATION.match(folded):
        return True  # a navigation or breadcrumb row
    return any(
        pattern.fullmatch(folded) or pattern.fullmatch(unicodedata.normalize("NFKC", folded))
        for spec in LANGUAGES.values()
        if (pattern := getattr(spec, kind)) is not None
    )


def _parse(html: str, url: str) -> lxml.html.HtmlElement:
    html = strip_xml_declaration(html)
    if not html.strip():
        raise ExtractionError("empty document")
    try:
        tree = lxml.html.document_fromstring(html, base_url=url)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"not parseable as HTML: {exc}") from None
    return tree


def _canonical(tree: lxml.html.HtmlElement) -> str | None:
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        href = href.strip()
        if href:
            base = tree.base_url or ""
            return lxml.html.urljoin(base, href) if base else href
    return None


def _page_published(tree: lxml.html.HtmlElement, lang: str | None) -> Timestamp | None:
    for xpath in _PUBLISHED_XPATHS:
        for value in tree.xpath(xpath):
            stamp = parse_timestamp(str(value), lang)
            if stamp is not None:
                return stamp
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        for value in _json_ld_dates(script):
            stamp = parse_timestamp(value, lang)
            if stamp is not None:
                return stamp
    return None


def _json_ld_dates(script: str) -> list[str]:
    try:
        data = json.loads(script)
    except (ValueError, RecursionError):
        return []
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str):
                found.append(value)
            for child in node.values():
                if isinstance(child, (dict, list)):
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(data)
    return found

"""The extraction stage: an article page (decoded HTML) -> title, main text and metadata.

trafilatura finds the main text. Around it we read what it does not give in the form we need:
the page's rel=canonical, and a publication time with its time zone (trafilatura keeps only the
day). The caller decides the order of date sources (feed date first) and what to do on failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree

from monitor.dates import Timestamp, parse_timestamp
from monitor.fetch.encoding import strip_xml_declaration
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
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        deduplicate=False,
    )
    if document is None:
        # No main text (a page that ships its body as JSON for a script, say): still read the
        # metadata, from a fresh tree since extraction prunes the one it was given.
        document = trafilatura.extract_metadata(_parse(html, url), default_url=url)
    text = (document.text if document else None) or ""
    title = (document.title if document else None) or ""
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

"""OPML, the feed list format every feed reader imports and exports: the feeds of feeds.yaml as an
OPML 2.0 document, and the feeds of an OPML document added to feeds.yaml.

Each feed is an `<outline type="rss">` with `text`/`title` (the feed's title), `xmlUrl` and
`language`; the monitor's own fields ride along as attributes other readers ignore
(`monitorName`, `monitorKind`). An import keeps the feeds file as written (its comments and
order): the new entries are appended to its `feeds:` list as YAML text, and the result is
validated before it replaces the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml

from monitor.config import LANGUAGES, Config, ConfigError, FeedSource, config_from_dict

MAX_OPML_BYTES = 5 * 2**20


class OpmlError(ValueError):
    """An OPML document that cannot be read, or feeds that cannot be added; one line for the user."""


@dataclass(frozen=True)
class OpmlFeed:
    """One feed found in an OPML document."""

    url: str
    title: str
    lang: str | None
    kind: str | None
    name: str | None


def export_opml(config: Config, now: datetime, title: str = "Sovereign AI monitor feeds") -> str:
    """The feeds of `config` as an OPML 2.0 document."""
    root = ET.Element("opml", {"version": "2.0"})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now)
    body = ET.SubElement(root, "body")
    for feed in config.feeds:
        label = feed.title or feed.name
        ET.SubElement(body, "outline", {
            "type": "rss", "text": label, "title": label, "xmlUrl": feed.url, "language": feed.lang,
            "monitorName": feed.name, "monitorKind": feed.kind,
        })  # fmt: skip
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def read_opml(data: bytes) -> list[OpmlFeed]:
    """Every feed outline (one with an xmlUrl, at any depth: readers nest them in folders), in
    document order. Raises OpmlError for a document that is not OPML."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"larger than {MAX_OPML_BYTES // 2**20} MB: not a feed list")
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data:
        raise OpmlError("declares a DTD or entities, which an OPML file never needs; refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not well-formed XML ({exc})") from None
    if root.tag != "opml" or root.find("body") is None:
        raise OpmlError("not an OPML document (expected <opml> with a <body>)")
    feeds = []
    for outline in root.find("body").iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue
        title = (outline.get("title") or outline.get("text") or "").strip()
        lang = _language(outline.get("language") or outline.get("monitorLang"))
        kind = outline.get("monitorKind")
        feeds.append(OpmlFeed(url=url, title=title, lang=lang, kind=kind if kind in ("topical", "general") else None,
                              name=(outline.get("monitorName") or "").strip() or None))  # fmt: skip
    return feeds


@dataclass(frozen=True)
class ImportPlan:
    added: list[dict]  # feeds.yaml entries to append
    known: list[OpmlFeed]  # already listed (same URL)
    skipped: list[tuple[OpmlFeed, str]]  # could not be added, and why


def plan_import(config: Config, feeds: Sequence[OpmlFeed], lang: str | None = None, kind: str = "general") -> ImportPlan:
    """Which OPML feeds to add to `config`: those whose URL is not listed yet, each with a unique
    name (the monitor's own, else one made from its title or host), its language (the outline's,
    else `lang`) and kind (the outline's, else `kind`). A feed without a language is skipped."""
    names = {feed.name for feed in config.feeds}
    urls = {feed.url for feed in config.feeds}
    added, known, skipped = [], [], []
    for feed in feeds:
        if feed.url in urls:
            known.append(feed)
            continue
        feed_lang = feed.lang or lang
        if feed_lang is None:
            skipped.append((feed, "no language (ko, ja or en): pass --lang"))
            continue
        name = _unique(feed.name or _slug(feed.title) or _slug(re.sub(r"^https?://(www\.)?", "", feed.url)) or "feed", names)
        names.add(name)
        urls.add(feed.url)
        entry = {"name": name, "url": feed.url, "lang": feed_lang, "kind": feed.kind or kind}
        if feed.title and feed.title != name:
            entry = {"name": name, "title": feed.title, **{k: v for k, v in entry.items() if k != "name"}}
        added.append(entry)
    return ImportPlan(added, known, skipped)


def append_feeds(path: str | Path, entries: Sequence[dict]) -> str:
    """The text of the feeds file at `path` with `entries` appended to its `feeds:` list, everything
    else as written. Raises OpmlError when the list cannot be found or extended, ConfigError when
    the result would not be a valid feeds file."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if not entries:
        return text
    try:
        document = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    node = next((value for key, value in (document.value if isinstance(document, yaml.MappingNode) else [])
                 if key.value == "feeds"), None)  # fmt: skip
    if node is None:
        raise OpmlError(f"{path}: no 'feeds:' list to add to")
    block = [_entry_yaml(entry, indent=2) for entry in entries]
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        indent = node.value[0].start_mark.column - 2  # the column of the "- " of the first entry
        block = [_entry_yaml(entry, indent=max(indent, 0)) for entry in entries]
        offset = _line_end(text, _last_end(node.value[-1]))
        head = text[:offset] if text[:offset].endswith("\n") else text[:offset] + "\n"
        new = head + "".join(block) + text[offset:]
    elif isinstance(node, (yaml.SequenceNode, yaml.ScalarNode)) and not getattr(node, "value", None):
        # feeds: []  or  feeds:  (empty): replace the empty value by a block list
        start, end = node.start_mark.index, node.end_mark.index
        new = text[:start].rstrip(" ") + "\n" + "".join(block) + text[end:].lstrip("\n")
    else:
        raise OpmlError(f"{path}: 'feeds:' is not a block list ('- name: ...' lines); add the feeds by hand")
    config_from_dict(yaml.safe_load(new), source=str(path), folder=path.parent)  # the result must be valid
    return new


def _entry_yaml(entry: dict, indent: int) -> str:
    lines = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000).splitlines()
    return "".join(" " * indent + line + "\n" for line in lines)


def _last_end(node: yaml.Node) -> int:
    """Where the last value written in `node` ends (a block collection's own end mark lies past the
    comments and blank lines that follow it)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _last_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _last_end(node.value[-1])
    return node.end_mark.index


def _line_end(text: str, index: int) -> int:
    """Where the line holding the character before `index` ends (after its newline)."""
    end = text.find("\n", max(index - 1, 0))
    return len(text) if end < 0 else end + 1


def _language(value: str | None) -> str | None:
    primary = (value or "").strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def _slug(text: str) -> str:
    """A feed name from a title: ASCII letters and digits joined by '-' (Korean or Japanese titles
    give nothing, and the host name is used instead)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:60].strip("-")


def _unique(name: str, taken: set[str]) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        name = _slug(name) or "feed"
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def feed_entry(feed: FeedSource) -> dict:
    """A configured feed as its feeds.yaml entry (name, title, url, lang, kind)."""
    entry = {"name": feed.name, "title": feed.title, "url": feed.url, "lang": feed.lang, "kind": feed.kind}
    return {k: v for k, v in entry.items() if v}

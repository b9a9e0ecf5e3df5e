"""The Atom feed of the monitor (`<digest folder>/feed.atom`), so any feed reader follows it: one
entry per daily digest written in the folder (its HTML as content) and one per candidate update of
the tracked facts (a figure that differs from the tracked one, a new name), with its sentence in
its own language (`xml:lang`).

Entry ids are tag URIs (RFC 4151) that never change, so a reader shows each digest and update
once. Links to the digests are relative to the feed unless `digest.base_url` says where the
folder is served.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

from monitor.dates import iso
from monitor.digest import Digest, html_body, title_line, write_atomically
from monitor.figures import format_figure

FEED_FILE = "feed.atom"
TAG = "tag:sovereign-ai-monitor,2025:"
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DIGEST_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.json$")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ET.register_namespace("", ATOM)


def read_digests(folder: str | Path, limit: int = 30) -> list[Digest]:
    """The `limit` latest digests written in `folder` (their JSON files), newest first; files of
    another schema version, or unreadable, are left out."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if DIGEST_FILE.match(p.name)), reverse=True)
    digests = []
    for name in names[:limit]:
        try:
            digests.append(Digest.from_json(json.loads((folder / name).read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return digests


def build_feed(digests: Sequence[Digest], updates: Sequence[dict], now: datetime, base_url: str | None = None) -> str:
    """The Atom document: `digests` (as `read_digests` gives them) and `updates` (rows of
    `monitor.store.facts.recent_updates`), newest first."""
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: "en"})
    _text(feed, "id", TAG + "feed")
    _text(feed, "title", "Sovereign AI monitor")
    _text(feed, "subtitle", "Daily digests and fact updates on Japan's sovereign-AI program in Korean, Japanese and English press")
    entries = [_digest_entry(d, base_url) for d in digests] + [_update_entry(u) for u in updates]
    entries.sort(key=lambda pair: pair[0], reverse=True)
    _text(feed, "updated", entries[0][0] if entries else iso(now))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "sovereign-ai-monitor")
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "sovereign-ai-monitor"
    if base_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": base_url + FEED_FILE})
    for _, entry in entries:
        feed.append(entry)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def write_feed(
    folder: str | Path, updates: Sequence[dict], now: datetime, base_url: str | None = None, new: Sequence[Digest] = ()
) -> Path:
    """Write `<folder>/feed.atom` atomically from the digests in the folder, `new` digests not
    written there yet (they replace a file of the same day), and `updates`."""
    path = Path(folder) / FEED_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    days = {digest.day for digest in new}
    digests = sorted([*new, *(d for d in read_digests(folder) if d.day not in days)], key=lambda d: d.day, reverse=True)
    write_atomically(path, build_feed(digests[:30], updates, now, base_url))
    return path


def _digest_entry(digest: Digest, base_url: str | None) -> tuple[str, ET.Element]:
    entry = ET.Element(f"{{{ATOM}}}entry")
    _text(entry, "id", f"{TAG}digest:{digest.day}")
    _text(entry, "title", title_line(digest))
    _text(entry, "updated", digest.generated_at)
    _text(entry, "published", digest.generated_at)
    ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": (base_url or "") + f"{digest.day}.html"})
    ET.SubElement(entry, f"{{{ATOM}}}category", {"term": "digest"})
    _text(entry, "content", html_body(digest), {"type": "html"})
    return digest.generated_at, entry


def _update_entry(update: dict) -> tuple[str, ET.Element]:
    entry = ET.Element(f"{{{ATOM}}}entry")
    if update["kind"] == "name":
        what, key = f"new name {update['name']}", f"name:{update['name']}"
    else:
        tracked = format_figure(update["tracked_value"], update["tracked_unit"])
        what, key = f"{format_figure(update['value'], update['unit'])} (tracked: {tracked})", f"figure:{update['value']!r}:{update['unit']}"
    _text(entry, "id", f"{TAG}update:{update['fact_id']}:" + quote(key, safe=":.-"))
    _text(entry, "title", f"{update['fact_id']}: {what}")
    _text(entry, "updated", update["first_seen"])
    _text(entry, "published", update["first_seen"])
    author = ET.SubElement(entry, f"{{{ATOM}}}author")
    _text(author, "name", update["outlet"] or "unknown outlet")
    if (update["url"] or "").startswith(("http://", "https://")):
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": update["url"]})
    ET.SubElement(entry, f"{{{ATOM}}}category", {"term": update["fact_id"], "label": update["statement"]})
    lang = {XML_LANG: update["lang"]} if update["lang"] else {}
    _text(entry, "summary", update["title"] or "", lang)
    reach = f"{update['articles']} article{'s' if update['articles'] != 1 else ''}"
    body = f"{update['sentence'] or ''}\n\n({update['outlet'] or ''}; {reach} so far; fact {update['fact_id']}: {update['statement']})"
    _text(entry, "content", body, {"type": "text", **lang})
    return update["first_seen"], entry


def _text(parent: ET.Element, tag: str, text: str, attributes: dict[str, str] | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes or {})
    element.text = _NOT_XML.sub("", text)
    return element

"""A site's furniture: the short lines its pages share (a section name, a share bar's words, a
subscription line), learned from the articles stored for the site and taken out of its texts.
Pure: keys and lines only; monitor.extract and the pipeline apply them, monitor.store.sites counts
them per site. Kept apart from monitor.extract so that the process that stores articles does not
load the extractor (it runs in the worker processes)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_FURNITURE_CHARS = 80  # a site's furniture is a short line; a shared paragraph of background is not


def line_key(line: str) -> str:
    """A line's identity across a site's pages: its folded words, hashed."""
    folded = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", line)).strip().casefold()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:16]


def furniture_keys(text: str) -> set[str]:
    """The keys of the short lines of a stored text: what a site's pages may share as furniture."""
    return {line_key(line) for line in text.splitlines() if line.strip() and len(line) <= _FURNITURE_CHARS}


def drop_furniture(text: str, keys: frozenset[str] | set[str]) -> str:
    """The text without its short lines whose `line_key` is in `keys` (a site's furniture)."""
    if not keys:
        return text
    return "\n".join(line for line in text.splitlines() if not (len(line) <= _FURNITURE_CHARS and line_key(line) in keys))


def furniture_lines(text: str, keys: frozenset[str] | set[str]) -> list[str]:
    """The short lines of the text whose `line_key` is in `keys`, as written."""
    return [line for line in text.splitlines() if len(line) <= _FURNITURE_CHARS and line.strip() and line_key(line) in keys]

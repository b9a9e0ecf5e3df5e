"""Decide the character encoding of a fetched page or feed and decode it.

Order: byte-order mark, then the HTTP charset, then the document's own declaration (XML
declaration or HTML meta), then detection. A declared legacy CJK charset is read as the
superset that the sites really use (euc-kr -> cp949, shift_jis -> cp932), and every declared
candidate must decode strictly, so a page that lies about its charset falls through to the next
clue instead of turning into mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from monitor.lang import LANGUAGES, language

# Declared name (as Python normalizes it) -> the superset to decode with: each language's legacy
# charsets (monitor.lang: euc-kr -> cp949, shift_jis -> cp932), plus what WHATWG says of Latin
# labels (latin-1 and ascii mean windows-1252) and Chinese (gb2312 and gbk are read as gb18030).
SUPERSETS = {
    **{name.replace("-", "_"): superset for spec in LANGUAGES.values() for name, superset in spec.charsets.items()},
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
}
# Labels Python does not know but sites send.
_ALIASES = {
    **{name: superset for spec in LANGUAGES.values() for name, superset in spec.charsets.items()},
    "unicode-1-1-utf-8": "utf-8",
    "utf8": "utf-8",
}
_SINGLE_BYTE_LATIN = {"cp1252", "latin_1", "iso8859_1", "ascii", "iso8859_15"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec actually used
    declared: str | None  # what the server or document claimed, if anything
    source: str  # "bom", "http", "document", "detected" or "fallback"


def codec_for(label: str | None) -> str | None:
    """The Python codec to decode a declared charset label with (its superset), or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _ALIASES:
        return _ALIASES[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return SUPERSETS.get(name.replace("-", "_"), name)


def http_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HTTP_CHARSET.search(content_type)
    return match.group(1) if match else None


def document_charset(body: bytes) -> str | None:
    """The charset a document declares about itself: XML declaration, else an HTML meta tag."""
    head = body[:8192]
    if head[:2] in (b"\x00<", b"<\x00"):  # UTF-16 without a BOM (XML spec, appendix F)
        return "utf-16-be" if head[:1] == b"\x00" else "utf-16-le"
    match = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def decode(body: bytes, content_type: str | None = None, lang_hint: str | None = None) -> Decoded:
    """Decode a fetched body to text, trying each clue in turn (see module docstring).

    `lang_hint` is the source's language: for a Korean or Japanese source a declared single-byte
    Latin charset is not believed (CMS templates often say iso-8859-1 for pages that are not).
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(name, errors="replace"), name, name, "bom")

    declared_http = http_charset(content_type)
    declared_doc = document_charset(body)
    for source, label in (("http", declared_http), ("document", declared_doc)):
        codec = codec_for(label)
        if codec is None:
            continue
        if codec in _SINGLE_BYTE_LATIN and _non_latin(lang_hint) and not body.isascii():
            continue
        try:
            return Decoded(body.decode(codec), codec, label, source)
        except (UnicodeDecodeError, LookupError):
            continue

    declared = declared_http or declared_doc
    if body.isascii():
        return Decoded(body.decode("ascii"), "ascii", declared, "detected")
    try:
        return Decoded(body.decode("utf-8"), "utf-8", declared, "detected")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        codec = codec_for(best.encoding) or best.encoding
        try:
            return Decoded(body.decode(codec), codec, declared, "detected")
        except (UnicodeDecodeError, LookupError):
            return Decoded(body.decode(codec, errors="replace"), codec, declared, "detected")
    return Decoded(body.decode("utf-8", errors="replace"), "utf-8", declared, "fallback")


def as_utf8_xml(text: str) -> bytes:
    """Re-encode a decoded XML document as UTF-8 with its (now wrong) encoding declaration replaced."""
    body = _XML_DECL_TEXT.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    return body.encode("utf-8")


def strip_xml_declaration(text: str) -> str:
    """lxml refuses a str that carries an encoding declaration; the text is already decoded."""
    return _XML_DECL_TEXT.sub("", text, count=1)


def _non_latin(lang: str | None) -> bool:
    """Whether `lang` is written in a script of its own (Korean, Japanese): a page of it cannot be
    in a single-byte Latin charset, whatever it declares."""
    spec = language(lang)
    return spec is not None and spec.script is not None

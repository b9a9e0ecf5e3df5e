"""Pure text helpers shared by the stages: normalization, length, script-based language, search terms.

Korean and Japanese are written without (reliable) spaces between words, so nothing here counts
"words": lengths are characters and the search index is built from character bigrams.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

# Scripts that are written without spaces between words (Han, Kana) or with particles glued to
# words (Hangul). Their runs are indexed as overlapping bigrams.
_CJK_RANGES = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7a3"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B-G
)
_CJK_RUN = re.compile(f"[{_CJK_RANGES}]+")
_SPACE = re.compile(r"\s+")
_SPACE_CHARS = re.compile(r"\s")
_NOT_WORD = re.compile(r"[\W_]+")


_UNSTORABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Text that any store and any encoder accept: lone surrogates (a JSON feed's `\\ud800`) become
    U+FFFD, NULs and other control characters (but tab and newlines) are dropped."""
    return _UNSTORABLE.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else "", text)


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII, half-width kana to full) and folded whitespace."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def fold(text: str) -> str:
    """The form phrases are matched in: NFKC (full-width to ASCII) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern:
    """One regex for a list of phrases, to search in `fold`ed text. Latin phrases match whole words
    ("AI" not in "said"), or a word's start when they end in "*" ("engineer*"); CJK phrases match
    anywhere (no spaces to anchor on). Longer phrases are tried first, so a match is the longest.
    A space between a phrase's words matches a hyphen too: "data centre" finds "data-centre"."""
    whole, starts, anywhere = [], [], []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        folded = re.sub(r"(?:\\ )+", r"[\\s\\-‐]+", re.escape(fold(phrase.rstrip("*"))))
        if not phrase.isascii():
            anywhere.append(folded)
        elif phrase.endswith("*"):
            starts.append(folded)
        else:
            whole.append(folded)
    # The word boundaries are written once around each group: a lookbehind per phrase would be
    # tried at every position for every phrase.
    parts = []
    if whole:
        parts.append(rf"(?<![a-z0-9])(?:{'|'.join(whole)})(?![a-z0-9])")
    if starts:
        parts.append(rf"(?<![a-z0-9])(?:{'|'.join(starts)})")
    if anywhere:
        parts.append(f"(?:{'|'.join(anywhere)})")
    return re.compile("|".join(parts) or r"(?!)")


def char_count(text: str | None) -> int:
    """Length in characters, not counting whitespace: the measure that works for ko, ja and en alike."""
    if not text:
        return 0
    return len(text) - len(_SPACE_CHARS.findall(text))


# How many Latin-script characters one Hangul, Kana or Han character is worth, as a measure of how
# much a text says: a Korean or Japanese wire brief of three sentences is 175-220 characters (not
# counting spaces), an English one 400-650 (the briefs of tests/fixtures/understanding/heldout-r3).
CJK_CHAR_WEIGHT = 2.5
_CJK_CHAR = re.compile(f"[{_CJK_RANGES}]")


def text_size(text: str | None) -> float:
    """How much a text says, in Latin characters: `char_count`, with each CJK character counted
    as CJK_CHAR_WEIGHT. The measure for "enough text to be an article" in any language."""
    if not text:
        return 0.0
    return char_count(text) + (CJK_CHAR_WEIGHT - 1) * len(_CJK_CHAR.findall(text))


def content_hash(text: str) -> str:
    """Identity of a text for exact-duplicate detection: NFKC, case, whitespace and punctuation folded."""
    folded = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def detect_language(text: str, declared: str | None = None) -> str | None:
    """Language of a text from its scripts (see `monitor.lang.detect`)."""
    from monitor.lang import detect  # monitor.lang's modules are built on this module's helpers

    return detect(text, declared)


def search_text(text: str | None) -> str:
    """Text as the full-text index stores it: NFKC, with every CJK run spelled out as overlapping bigrams.

    "政府支援AI" becomes "政府 府支 支援 AI", so SQLite's unicode61 tokenizer sees 2-character
    tokens and a 2-character word such as 政府 or 지원 is found, which the trigram tokenizer cannot do.
    """
    if not text:
        return ""
    return _CJK_RUN.sub(lambda m: f" {_bigrams(m.group())} ", unicodedata.normalize("NFKC", text))


def _bigrams(run: str) -> str:
    if len(run) < 2:
        return run
    return " ".join(run[i : i + 2] for i in range(len(run) - 1))


def fts_query(query: str) -> str:
    """Turn what a user types into an FTS5 MATCH expression over `search_text` (all terms must match).

    Each whitespace-separated term becomes a phrase of its index tokens, so "半導体" matches the
    consecutive bigrams "半導 導体" and an English word matches itself.
    A Latin word of four letters or more also matches as a prefix ("trillion" finds "trillions"),
    as a reader expects of a search box.
    """
    phrases = []
    for term in normalize(query).split(" "):
        tokens = search_text(term).split()
        tokens = [t for t in (_NOT_WORD.sub(" ", tok).strip() for tok in tokens) if t]
        if tokens:
            prefix = " *" if tokens[-1].isascii() and len(tokens[-1]) >= 4 else ""
            phrases.append('"' + " ".join(tokens).replace('"', "") + '"' + prefix)
    return " ".join(phrases)


_MAX_POSITION = 16383  # PostgreSQL keeps word positions up to this; later words share it


def index_tokens(text: str | None) -> list[str]:
    """The words the full-text index holds for a text, in order: those of `search_text` (CJK runs as
    bigrams), lower-cased, Latin diacritics removed, as SQLite's unicode61 tokenizer reads them."""
    tokens = []
    for word in _NOT_WORD.split(search_text(text)):
        if not word:
            continue
        if not _CJK_RUN.search(word):
            word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
        tokens.append(word.lower())
    return tokens


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def ts_vector(text: str | None) -> str:
    """A text as a PostgreSQL tsvector literal over `index_tokens`, with word positions (so that a
    longer CJK word is found as a phrase of its bigrams): the same index SQLite's FTS5 keeps."""
    positions: dict[str, list[int]] = {}
    for position, token in enumerate(index_tokens(text), start=1):
        places = positions.setdefault(token, [])
        place = min(position, _MAX_POSITION)
        if not places or places[-1] != place:
            places.append(place)
    return " ".join(f"{_lexeme(token)}:{','.join(map(str, places))}" for token, places in positions.items())


def ts_query(query: str) -> str:
    """What a user types as a PostgreSQL tsquery literal, matching what `fts_query` matches in
    SQLite: every term, each a phrase of its index tokens (`'半導' <-> '導体'`), a Latin word of four
    letters or more also as a prefix (`'trillion':*`)."""
    phrases = []
    for term in normalize(query).split(" "):
        tokens = index_tokens(term)
        if tokens:
            words = [_lexeme(token) for token in tokens]
            if tokens[-1].isascii() and len(tokens[-1]) >= 4:
                words[-1] += ":*"
            phrases.append("(" + " <-> ".join(words) + ")")
    return " & ".join(phrases)


def snippet(text: str, query: str, width: int = 90, mark: tuple[str, str] = ("«", "»")) -> str:
    """About `width` characters of `text` around the first place a term of `query` occurs, every
    occurrence wrapped in `mark`; the text's start when no term occurs in it (it matched the title).
    A Latin term is marked as the index finds it: a whole word ("and" is not marked inside
    "Japan and"'s "standard"), and a term of four letters or more also as a word's start."""
    display = normalize(text)
    terms = sorted({t for t in normalize(query).split(" ") if t}, key=len, reverse=True)
    pattern = re.compile("|".join(map(_term_pattern, terms)), re.IGNORECASE) if terms else None
    first = pattern.search(display) if pattern else None
    start = max(0, first.start() - width // 3) if first else 0
    end = min(len(display), start + width)
    window = display[start:end]
    if pattern:
        window = pattern.sub(lambda m: f"{mark[0]}{m.group()}{mark[1]}", window)
    return ("…" if start else "") + window + ("…" if end < len(display) else "")


def _term_pattern(term: str) -> str:
    """What `snippet` marks for one query term: CJK anywhere, a Latin word on word boundaries."""
    if not term.isascii():
        return re.escape(term)
    words = [w for w in _NOT_WORD.split(term) if w]
    if not words:
        return re.escape(term)
    tail = r"\w*" if len(words[-1]) >= 4 else ""
    return r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + tail + r"(?!\w)"


def display_width(text: str) -> int:
    """Terminal cells `text` takes: East Asian wide and fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded with spaces to `width` terminal cells (on the left when `right`)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` terminal cells, an ellipsis marking the cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        used += display_width(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """'1 story', '2 stories', '0 articles': a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else plural_form or noun + 's'}"

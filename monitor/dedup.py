"""Near-duplicate detection: MinHash signatures of character shingles, and LSH band keys for a
persistent candidate lookup. Pure: the archive stores what these functions compute.

It works without word boundaries: the text is NFKC-normalized, case-folded and stripped of
whitespace and punctuation, then cut into overlapping `SHINGLE`-character pieces, so Japanese and
Korean are compared exactly as English is. One-permutation MinHash (each shingle hashed once, the
minimum kept per bin) keeps the cost linear in the length of the text in pure Python.

Two texts are copies when either measure clears its threshold (see `is_copy`):
- resemblance (estimated Jaccard similarity of the shingle sets): a copy with a new headline, a
  reworded sentence, a paragraph added or dropped;
- containment (the share of the shorter text found in the longer one): a copy cut to its first
  paragraphs, which is a small part of the original.
The thresholds sit between what the labeled fixtures measure (tests/fixtures/stories,
`bench/dedup.py --fixtures`): copies there resemble each other at 0.38 or more and are contained
at 0.88 or more; every other pair in the same language (independent reports of the same event
included) stays at or below 0.16 and 0.31, the highest in English, whose names and stock phrases
("preferrednetworks", "trillionyen") unrelated articles share. The candidate lookup finds a pair
at resemblance 0.38 with probability 0.91 and at 0.30 with 0.68: a copy cut to a small part of
its original can be missed unless a fuller copy links the two.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass

SHINGLE = 9  # characters: shorter ones are shared by unrelated English texts ("ernmen", "trillionyen")
BINS = 128
ROWS = 3  # bins per LSH band
BANDS = BINS // ROWS  # 42 bands: a pair at resemblance 0.3 becomes a candidate with probability 0.7
MIN_SHINGLES = 40  # shorter texts (a headline, an empty page) say too little to call anything a copy
RESEMBLANCE = 0.30
CONTAINMENT = 0.60
# Containment is estimated from resemblance and the set sizes, which is only reliable when the
# shorter text is not tiny next to the longer one.
MIN_SIZE_RATIO = 0.15
# Copies are looked for among the articles reported within this many days of each other (by UTC
# day): wire copies run within hours or days, and a bounded window keeps the cost of the lookup
# the same however large the archive grows. A text carried again weeks later is a new report.
COPY_WINDOW_DAYS = 14

_BIN_BITS = 7  # log2(BINS)
_EMPTY = (1 << 64) - 1
_NOT_TEXT = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Signature:
    values: tuple[int, ...]  # BINS minima (64-bit)
    shingles: int  # how many distinct shingles the text has

    def to_bytes(self) -> bytes:
        return struct.pack(f"<{BINS}Q", *self.values)

    @classmethod
    def from_bytes(cls, data: bytes, shingles: int) -> "Signature":
        return cls(struct.unpack(f"<{BINS}Q", data), shingles)


def shingle_text(text: str) -> str:
    """The text shingles are cut from: NFKC, case-folded, without whitespace and punctuation."""
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text).casefold())


def signature(text: str) -> Signature | None:
    """The MinHash signature of `text`, or None when it is too short to compare."""
    folded = shingle_text(text)
    shingles = {folded[i : i + SHINGLE] for i in range(len(folded) - SHINGLE + 1)}
    if len(shingles) < MIN_SHINGLES:
        return None
    minima = [_EMPTY] * BINS
    for shingle in shingles:
        hashed = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "little")
        slot, value = hashed & (BINS - 1), hashed >> _BIN_BITS
        if value < minima[slot]:
            minima[slot] = value
    return Signature(tuple(_densify(minima)), len(shingles))


def _densify(minima: list[int]) -> list[int]:
    """Fill empty bins from the next filled bin to the right (circularly), marked with the distance,
    so that two texts fill a bin the same way exactly when they agree on the bin it is copied from."""
    filled = [i for i, value in enumerate(minima) if value != _EMPTY]
    if len(filled) == BINS:
        return minima
    dense = list(minima)
    for i in range(BINS):
        if minima[i] == _EMPTY:
            distance = next(d for d in range(1, BINS) if minima[(i + d) % BINS] != _EMPTY)
            dense[i] = (minima[(i + distance) % BINS] + distance * 0x9E3779B97F4A7C15) & _EMPTY
    return dense


def band_keys(sig: Signature) -> list[int]:
    """One key per band: texts sharing any key are candidates. Signed 64-bit, as SQLite stores them."""
    keys = []
    for band in range(BANDS):
        rows = sig.values[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f"<H{ROWS}Q", band, *rows), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def resemblance(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return sum(x == y for x, y in zip(a.values, b.values, strict=True)) / BINS


def containment(a: Signature, b: Signature, similarity: float | None = None) -> float:
    """Estimated share of the smaller shingle set that is in the larger: |A and B| / min(|A|, |B|)."""
    j = resemblance(a, b) if similarity is None else similarity
    common = j * (a.shingles + b.shingles) / (1 + j)
    return min(1.0, common / min(a.shingles, b.shingles))


def is_copy(a: Signature, b: Signature) -> bool:
    """Whether one text is a copy of the other (edited, trimmed or cut), by the thresholds above."""
    similarity = resemblance(a, b)
    if similarity >= RESEMBLANCE:
        return True
    if min(a.shingles, b.shingles) < MIN_SIZE_RATIO * max(a.shingles, b.shingles):
        return False
    return containment(a, b, similarity) >= CONTAINMENT

"""Sentence splitting for Korean, Japanese and English news text.

A sentence ends at 。！？!? or at a full stop followed by a space or the end of a line ("다." and
"요." in Korean, "." in English), unless the stop is inside quotes (“...”, 「...」), part of a number
(3.5) or of an abbreviation ("U.S.", "Co.", "Mr."). A line break always ends a sentence, and the
paragraph number is kept so that a sentence can be read with its neighbour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.figures import Figure, find_figures, is_year
from monitor.lang import LANGUAGES

_OPENING = "“‘「『（(［[《〈"
_CLOSING = "”’」』）)］]》〉"
_CLOSER_OF = dict(zip(_OPENING, _CLOSING))
# Marks that end a sentence whatever follows, and words after which a full stop does not end one:
# every language's (monitor.lang), as a text's language is not always known when it is split.
_STRONG_STOPS = "".join(dict.fromkeys("".join(spec.sentence_stops for spec in LANGUAGES.values())))
_ABBREVIATIONS = frozenset().union(*(spec.abbreviations for spec in LANGUAGES.values()))
_MARKS = re.compile(f"[{re.escape(_OPENING + _CLOSING + _STRONG_STOPS)}.]")  # the only characters that matter
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int  # index of the paragraph (line) it belongs to
    index: int  # position in the text, from 0


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text`, in order, stripped; empty ones dropped."""
    sentences: list[Sentence] = []
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    split = [_joined_figures(_split_paragraph(paragraph)) for paragraph in paragraphs]
    heading = ""
    for number, pieces in enumerate(split):
        if heading and pieces:
            pieces[0] = heading + pieces[0]
            heading = ""
        elif number + 1 < len(split) and len(pieces) == 1 and (value := _figure_heading(pieces[0])) is not None \
                and split[number + 1] and not (number and _label_line(paragraphs[number - 1])):
            # A paragraph that is a figure alone heads the one after it, which says what it counts
            # ("300" / "The number of engineers Noetra expects to employ ..."): the two are read as
            # one, unless the next one gives the figure itself ("300명" / "엔지니어를 300명 안팎으로 늘린다"),
            # or a label before it says what it counts (a fact box: "SoftBank's data-centre investment"
            # / "¥2 trillion" / "METI support over five years" / "¥1 trillion").
            if not any(f.value == value for f in find_figures(split[number + 1][0])):
                heading = pieces[0].strip(_HEADING_MARKS) + ("" if pieces[0][-1:] in ".。:：" else ": ")
                continue
        for piece in pieces:
            sentences.append(Sentence(piece, number, len(sentences)))
    return sentences


_HEADING_MARKS = "【】[]［］<>《》*■□▶▷►◆◇●○▲△・※ "


def _label_line(paragraph: str) -> bool:
    """A short line that does not end like a sentence: a label (or a heading) for what follows it."""
    return len(paragraph) <= 60 and not re.search(r"[.。!！?？:：」”\"')）]$", paragraph) and _figure_heading(paragraph) is None


def _figure_heading(piece: str) -> float | None:
    """The value of a figure standing alone as a paragraph, a year aside ("¥1.5 trillion", "300",
    "【1兆】", "■1兆円"); None for any other paragraph."""
    figure = _lone_figure(piece.strip(_HEADING_MARKS))
    return None if figure is None or (figure.unit is None and is_year(figure.value)) else figure.value


# A piece that is a figure and nothing else ("¥387.3 billion.", "3조 엔.", "1兆。", "100 or so.",
# "About 100.", "1."): what it counts is said by the sentence after it, which it opens ("by the
# numbers" pieces, numbered items), so the two are read as one. "1兆円だ。", "약 3조 엔이다." and
# "In 2024 it fell." say something of their own.
def _bare_figure(piece: str) -> bool:
    return _lone_figure(piece) is not None


def _lone_figure(piece: str) -> Figure | None:
    """The figure that is all of `piece` (its stop aside), else None."""
    bare = piece.rstrip(".。!！?？").strip()
    if not bare or len(bare) > 20:
        return None
    figures = find_figures(bare)
    if len(figures) != 1:
        return None
    figure = figures[0]
    rest = (bare[: figure.start] + bare[figure.end :]).split()
    # nothing else, or one hedge word before a figure read as approximate or bounded ("About 100")
    alone = not rest or (len(rest) == 1 and bare.endswith(figure.text) and (figure.approx or figure.bound is not None))
    return figure if alone else None


def _joined_figures(pieces: list[str]) -> list[str]:
    joined: list[str] = []
    carried = ""
    for index, piece in enumerate(pieces):
        if carried:
            joined.append(carried + ("" if not carried[-1].isascii() else " ") + piece)
            carried = ""
        elif index + 1 < len(pieces) and _bare_figure(piece):
            carried = piece
        else:
            joined.append(piece)
    return joined


def _split_paragraph(paragraph: str, quotes: bool = True) -> list[str]:
    pieces: list[str] = []
    start = 0
    open_quotes: list[str] = []
    length = len(paragraph)
    for match in _MARKS.finditer(paragraph):
        i, char = match.start(), match.group()
        if quotes and char in _CLOSER_OF and not (char in "‘’" and _is_apostrophe(paragraph, i)):
            open_quotes.append(_CLOSER_OF[char])
            continue
        if open_quotes and char == open_quotes[-1]:
            open_quotes.pop()
            continue
        if open_quotes or not _ends_sentence(paragraph, i):
            continue
        end = i + 1
        # A closing quote or bracket right after the stop belongs to this sentence.
        while end < length and paragraph[end] in _CLOSING + "\"'":
            end += 1
        pieces.append(paragraph[start:end].strip())
        start = end
    if open_quotes:  # a quote never closed: read the paragraph without quote tracking
        return _split_paragraph(paragraph, quotes=False)
    pieces.append(paragraph[start:].strip())
    # A run of hashtags that ends a post is a line of its own, topics listed, not the last words of
    # the sentence before it (a post whose lines a page ran together: "... 🙏 #소버린AI #AI패권").
    tagged = _TRAILING_HASHTAGS.fullmatch(pieces[-1]) if "#" in pieces[-1] or "＃" in pieces[-1] else None
    # (three tags or more, or after a mark or an emoji: "dependence on #foreign #AI" is the sentence's own words)
    if tagged and (len(re.findall(r"[#＃]", tagged.group(2))) >= 3 or not tagged.group(1)[-1].isalnum()):
        pieces[-1:] = [tagged.group(1).strip(), tagged.group(2).strip()]
    return [piece for piece in pieces if piece]


_TRAILING_HASHTAGS = re.compile(r"(.*?\S)\s+((?:[#＃][^\s#＃]+\s*){2,})")


def _ends_sentence(text: str, i: int) -> bool:
    char = text[i]
    following = text[i + 1] if i + 1 < len(text) else ""
    if char in _STRONG_STOPS:
        return following not in _STRONG_STOPS  # "!?" ends once, at its last mark
    if char != ".":
        return False
    if following and not following.isspace() and following not in _CLOSING + "\"'":
        return False  # 3.5, U.S., example.com
    word = _WORD_BEFORE.search(text[:i])
    if word and word.group(1).lower().strip(".") in _ABBREVIATIONS:
        return False
    if word and len(word.group(1)) == 1 and word.group(1).isupper():
        return False  # an initial: "J. Smith"
    rest = text[i + 1 :].lstrip(" \"'”’")
    return not rest or not rest[0].islower()


def _is_apostrophe(text: str, i: int) -> bool:
    """’ between letters (Japan’s) or after a letter (investors’) is an apostrophe, not a quote."""
    before = text[i - 1] if i > 0 else ""
    return before.isascii() and before.isalnum()

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
from monitor.furniture import drop_furniture, furniture_keys, furniture_lines, line_key  # noqa: F401  (re-exported)
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


def extract_article(
    html: str,
    url: str,
    *,
    lang_hint: str | None = None,
    headline_hint: str = "",
    site_hint: str = "",
    site_furniture: frozenset[str] | set[str] = frozenset(),
) -> Extracted:
    """Extract the main text and metadata of an article page. Raises ExtractionError when the
    document cannot be parsed; an empty `text` means no main text was found. `headline_hint` and
    `site_hint` (the feed's headline and outlet) help recognise page furniture left in the text;
    `site_furniture` holds the `line_key`s of lines the site's other articles shared (see
    `furniture_keys`), which are left out."""
    tree = _parse(html, url)
    headings = [h.text_content() for h in tree.xpath("//h1|//h2|//*[@role='heading']")[:6]]
    headings += [deck.text_content() for deck in _DECKS(tree)[:4]]
    site_names = [*tree.xpath('//meta[@property="og:site_name"]/@content')[:1], site_hint]
    canonical = _canonical(tree)
    declared_lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip() or None
    page_published = _page_published(tree, lang_hint)
    document = _extract(tree, url, tables=True)
    framed = document is not None and _layout_table(document.text or "")
    unframed = None
    if framed:
        # A page laid out in a table (old portals): its rows are the page, not a data table.
        unframed = _extract(_parse(html, url), url, tables=False)
        document = unframed or document
    found = (document.text if document else None) or ""
    if document is None:
        # No main text (a page that ships its body as JSON for a script, say): still read the
        # metadata, from a fresh tree since extraction prunes the one it was given.
        document = trafilatura.extract_metadata(_parse(html, url), default_url=url)
    title = (document.title if document else None) or ""
    site_names.append((document.sitename if document else None) or "")
    furniture = ([title, headline_hint, *headings], site_names)
    text = tidy(found, *furniture)
    short = char_count(text) < 150
    if short or framed or _layout_table(found) or _run_together(text):
        # trafilatura took the page's footer, or its layout table (rows, comments and footer
        # around the body), or ran paragraphs separated by <br>s into one line: the block densest
        # in paragraphs of its own (text between <br>s, its <p>s) is the body, whatever the layout.
        block = tidy(_densest_block(_parse(html, url)), *furniture)
        same = bool(block) and _within(block, text)  # the same body without the frame
        # ... or its paragraphs apart, where trafilatura ran them together and may have lost some
        apart = (
            bool(block) and _within(block, text, 0.6 if _run_together(text) or (framed and not unframed) else 0.95)
            and _splits(block, text) and len(block) >= 0.8 * _longest(text)
        )  # fmt: skip
        if short:
            text = block if char_count(block) > 2 * char_count(text) or apart else text
        elif (char_count(block) >= 150 and apart) or (framed and same and char_count(block) >= 50):
            text = block
    text = drop_furniture(text, site_furniture)
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


def headline(page_title: str, feed_title: str) -> str:
    """The article's headline: the page's own, unless the feed gives one and the page's shares
    next to nothing with it (a page whose <title> is only the site's name, "NewsPulse",
    "한누리통신 :: 인터넷 신문"): then the feed's."""
    if not feed_title.strip() or not page_title.strip():
        return page_title.strip() or feed_title.strip()
    page, feed = (_plain(title) for title in (page_title, feed_title))
    page_pairs, feed_pairs = ({text[i : i + 2] for i in range(len(text) - 1)} for text in (page, feed))
    shared = len(page_pairs & feed_pairs) / max(1, min(len(page_pairs), len(feed_pairs)))
    return page_title.strip() if shared >= 0.3 else feed_title.strip()


_MAX_TRIMMED = 6  # lines taken off each end at most
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


_INLINE = {"a", "b", "strong", "em", "i", "u", "span", "font", "small", "sup", "sub", "mark", "abbr", "cite", "q", "time"}
_BLOCKS = ("td", "div", "article", "section", "main")


def _densest_block(tree: lxml.html.HtmlElement) -> str:
    """The text of the element that holds the most paragraph text of its own (text between <br>s,
    its <p> children), as lines: the body of a page whatever its layout. '' when none is clear."""
    best, best_score = [], 0
    for code in tree.xpath("//script|//style|//noscript|//template"):
        code.drop_tree()  # an ad's script inside a <font> is not text
    for element in tree.iter(*_BLOCKS):
        paragraphs = _own_paragraphs(element)
        score = sum(len(p) for p in paragraphs if len(p) >= 25 and not _frame_line(p))
        if score > best_score:
            best, best_score = paragraphs, score
    return "\n".join(best) if best_score >= 100 else ""


def _frame_line(line: str) -> bool:
    """A line of the page's frame however long: a row of links or fields ("회사소개 | 광고문의 |
    ..."), a rights line."""
    return line.count("|") >= 2 or bool(_RIGHTS.search(line))


def _own_paragraphs(element: lxml.html.HtmlElement) -> list[str]:
    pieces: list[str] = []
    current = element.text or ""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _INLINE:
            current += child.text_content() + (child.tail or "")
        elif tag == "br":
            pieces.append(current)
            current = child.tail or ""
        elif tag == "p":
            pieces.append(current)
            pieces.append(child.text_content())
            current = child.tail or ""
        else:
            pieces.append(current)
            current = child.tail or ""
    pieces.append(current)
    return [re.sub(r"\s+", " ", p).strip() for p in pieces if p and p.strip()]


def _within(block: str, text: str, share: float = 0.95) -> bool:
    """Whether (nearly: `share` of its characters) every line of `block` is in `text`: the block
    is the text without its frame, not another part of the page."""
    plain = _plain(text)
    lines = [line for line in block.splitlines() if line.strip()]
    inside = sum(len(line) for line in lines if _plain(line) in plain)
    return inside >= share * sum(len(line) for line in lines)


def _splits(block: str, text: str) -> bool:
    """Whether two or more of the block's paragraphs make up the text's longest line (paragraphs
    that trafilatura ran together)."""
    longest = _plain(max(text.splitlines(), key=len, default=""))
    return sum(1 for line in block.splitlines() if len(line) >= 20 and _plain(line) in longest) >= 2


def _longest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _run_together(text: str) -> bool:
    """Whether the text holds a line longer than any paragraph a news page writes (several
    paragraphs run together)."""
    return any(len(line) > _LONGEST_PARAGRAPH for line in text.splitlines())


_LONGEST_PARAGRAPH = 600  # characters; news paragraphs rarely run longer


def _layout_table(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    rows = sum(line.lstrip().startswith("|") for line in lines)
    return bool(lines) and rows >= 3 and rows * 2 >= len(lines)


def tidy(text: str, headlines: str | list[str] = "", site_names: list[str] = ()) -> str:
    """The main text without the headline, byline, dateline, date, section and site-name lines
    that open it, the wire dateline that opens its first paragraph, page furniture anywhere (a
    paywall meter, an ad label), and the rights and sign-off lines that close it."""
    lines = [_unwrap_cell(line) for line in text.splitlines()]
    lines = [line for line in lines if line.strip() and not _furniture(line, "anywhere_line")]
    heads = [_plain(h) for h in ([headlines] if isinstance(headlines, str) else headlines) if h and _plain(h)]
    sites = {_plain(s) for s in site_names if s and _plain(s)}
    trimmed = 0
    while lines and trimmed < _MAX_TRIMMED and (
        any(_same_as_headline(_plain(lines[0]), head) for head in heads)
        or _plain(lines[0]) in sites
        or len(_plain(lines[0])) <= 4  # a section label or kicker ("国際", "AI"), never a paragraph
        or _label(lines[0])
        or _furniture(lines[0], "byline_line")
    ):
        lines.pop(0)
        trimmed += 1
    # A wire dateline opening the first paragraph goes; twice where the site put its own before the
    # wire's ("(서울=A통신) 기자 = (도쿄=B통신) 특파원 = ...").
    for _ in range(2):
        if not lines or (stripped := _without_dateline(lines[0])) is None:
            break
        lines[0] = stripped
    continued = False
    for index in range(max(1, len(lines) - _CLOSING_REACH), len(lines)):
        if _furniture(lines[index], "closing_line"):
            if _continued(lines, index):
                continued = True
                continue
            del lines[index:]
            break
    if continued:
        # ... and the prompts after the note ("コメントを書く", "Read more: ..."), short and no sentences, go
        while len(lines) > 1 and len(lines[-1].strip()) < 40 and not _SENTENCE_END.search(lines[-1]):
            lines.pop()
    trimmed = 0
    while len(lines) > 1 and trimmed < _MAX_TRIMMED and (_furniture(lines[-1], "closing_line") or _furniture(lines[-1], "end_line")):
        lines.pop()
        trimmed += 1
    return "\n".join(line.strip() for line in lines)


_CELL = re.compile(r"^\|\s*(.*?)\s*\|$")


# How a sentence ends (a paragraph's last line, not a label's or a prompt's).
_SENTENCE_END = re.compile(r"[.!?。．！？」』”\"’]\s*$")
_BRACKETED = re.compile(r"^\s*[(（][^()（）]{1,24}[)）]\s*$")


def _continued(lines: list[str], index: int) -> bool:
    """Whether the article goes on after the closing line at `index`: a note follows it (its heading,
    past any further credit lines: "（作・汐見タロウ）" / "【編集部注】" / the editor's paragraphs), or the
    line is a bracketed credit or end mark ("（原稿ここまで）") and a paragraph of prose follows. A
    rights line, an e-mail, "this article originally appeared on ..." end it whatever follows."""
    rest = lines[index + 1 :]
    while rest and _furniture(rest[0], "closing_line") and _BRACKETED.match(rest[0]):
        rest = rest[1:]
    if not any(len(line.strip()) >= 60 and _SENTENCE_END.search(line) for line in rest):
        return False  # no prose follows: prompts, links, a footer
    return _furniture(rest[0], "note_line") or _BRACKETED.match(lines[index]) is not None


def _without_dateline(line: str) -> str | None:
    """`line` without the wire dateline that opens it (any language's), or None when it has none
    (or nothing would be left)."""
    for spec in LANGUAGES.values():
        if spec.dateline_prefix is not None:
            stripped = spec.dateline_prefix.sub("", line, count=1)
            if stripped != line and len(stripped.strip()) >= 10:
                return stripped.strip()
    return None


def _label(line: str) -> bool:
    """A line of at most three words and 24 characters with no sentence's end: a dateline standing
    alone ("TOKYO"), a kicker, a section name; a paragraph is longer or ends like a sentence."""
    stripped = line.strip()
    return len(stripped) <= 24 and len(stripped.split()) <= 3 and not _SENTENCE_END.search(stripped)


def _unwrap_cell(line: str) -> str:
    """A paragraph that trafilatura wrote as a one-cell table row ("| text |") as the text."""
    match = _CELL.match(line.strip())
    return match.group(1) if match and "|" not in match.group(1).replace("\\|", "") else line


def _plain(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text or "")).casefold()


def _same_as_headline(line: str, headline: str) -> bool:
    """The headline repeated: equal, the line a long start of it (a cut headline), or it a long
    start of the line ("Title | Site"). A lead paragraph that merely opens with the headline's
    words is longer than any such line and stays."""
    if not line or not headline or len(line) < 8:
        return False
    if headline.startswith(line):
        return len(line) >= 0.6 * len(headline)
    return line.startswith(headline) and len(line) <= 1.3 * len(headline) and len(headline) >= 8


# Page furniture that is never body text, wherever extraction left it, in any language: a clock
# time alone, a line of symbols. Each language adds its own (monitor.lang: `anywhere_line`).
_ANYWHERE = re.compile(r"^(?:\d{1,2}:\d{2}(?::\d{2})?|ad|ads|pr|[\W_]*)$")
_BULLETS = re.compile(r"^[\s·•▶▷►■□◆◇○●※|>\-–—]+")
_NAVIGATION = re.compile(r"^\|.*\|$|^(?:[^|]{1,30}\|){2,}[^|]{0,30}$")


_BREADCRUMB = re.compile(r"^(?:home|홈|ホーム|トップ)\s*[>›»]")
_RIGHTS = re.compile(r"무단\s*전재|재배포\s*금지|無断転載|all rights reserved|copyright\s*(?:©|\(c\)|c\b)", re.I)


def _furniture(line: str, kind: str) -> bool:
    # trafilatura writes a table cell's "|" as "\|"
    folded = _BULLETS.sub("", unicodedata.normalize("NFKC", line).replace("\\|", "|")).strip().casefold()
    if not folded:
        return kind not in ("closing_line", "end_line")  # a line of symbols only (▶, |, ·): furniture, not an end
    if kind == "byline_line" and _BREADCRUMB.match(folded):
        return True  # "홈 > 뉴스 > 사회 | 日 ...": a breadcrumb row, however long
    if kind == "anywhere_line" and len(folded) <= 100 and _RIGHTS.search(folded):
        return True  # a rights line, wherever the template put it
    if len(folded) > 160:
        return False
    if kind == "byline_line" and _NAVIGATION.match(folded):
        return True  # a navigation or breadcrumb row
    if kind == "anywhere_line" and _ANYWHERE.match(folded):
        return True
    return any(
        pattern.fullmatch(folded) or pattern.fullmatch(unicodedata.normalize("NFKC", folded))
        for spec in LANGUAGES.values()
        if (pattern := getattr(spec, kind)) is not None
    )


_RE = {"re": "http://exslt.org/regular-expressions"}
# What templates insert between a body's paragraphs, never body text, left out wherever it stands:
# pull quotes (by class name, or a quotation with its attribution in a <footer>/<cite>, HTML's
# markup for a pull quote or an epigraph), video players with their titles, captions, "key
# takeaways" and summary boxes (the template's, or a machine's summary), and ad slots ("ad", "ads",
# "advert", "sponsored" or "promo" as a word of the class, "adInArticle" camel-cased; short ones
# only: a wrapper named "gate-ad" may hold the whole article).
_INSERTS = etree.XPath(
    r"""//*[re:test(concat(@class, ' ', @id), 'pull-?quote|p-?quote\b|quote[-_]?box|callout|video[-_]?(?:player|box|embed|wrap|placeholder)|vod[-_]|media[-_]?player|caption|[-_]cap\b|takeaway|key[-_]?points|summary|info[-_]?box|tl-?dr', 'i')
            or self::figcaption][string-length(normalize-space(.)) < 1000]
        | //blockquote[footer or cite or .//cite][string-length(normalize-space(.)) < 300]
        | //*[re:test(concat(' ', @class, ' ', @id, ' '), '[ _-](?:ad|ads|advert|advertisement|sponsored|promo)(?:[A-Z_-]|\s)')][string-length(normalize-space(.)) < 300]""",
    namespaces=_RE,
)
# The article header's deck, label or kicker (a subtitle under the headline, a "[앵커]" label):
# taken off the start of the text like the headline, kept anywhere else (a body subheading may
# share the class name).
_DECKS = etree.XPath(
    r"""//*[re:test(concat(@class, ' ', @id), 'sub[-_]?title|standfirst|\bdeck\b|\bdek\b|kicker|-label\b', 'i')]""",
    namespaces=_RE,
)


def _parse(html: str, url: str) -> lxml.html.HtmlElement:
    html = strip_xml_declaration(html)
    if not html.strip():
        raise ExtractionError("empty document")
    try:
        tree = lxml.html.document_fromstring(html, base_url=url)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"not parseable as HTML: {exc}") from None
    for insert in _INSERTS(tree):
        insert.drop_tree()
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

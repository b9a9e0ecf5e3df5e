"""End-to-end measurement of understanding (issue 13): a labeled set of articles is served as news
sites on loopback (one feed per outlet, pages rendered from site templates), the monitor runs on it
with the project's own defaults in cron mode (`monitor run --once`), and the archive is scored
through its SQL interface (articles, fact_mentions) against the labels:

- relevance: articles.on_topic against the label (an entry skipped by the keyword filter counts as
  judged off topic); an item labeled `borderline` (reasonable people could disagree) is right either
  way, left out of relevance and, unless the verdict is the label's, of fact links, and counted apart;
- fact links: the (article, fact) pairs of fact_mentions against the facts the label says the
  article states;
- figures: for a labeled figure whose fact was linked, whether a linked mention has that value;
  `agrees` likewise;
- stories: purity and completeness (inverse purity) of story_id over the articles labeled with an
  event (E1 and E2, the same plan reported on 21-22 December by the scoop and by the other
  outlets, are one story);
- extraction: the stored text starts with the body's first paragraph, holds its last one, and has no
  line that is not body text (a headline, dateline or byline line).

Label format (the one of shared/corpora/real-news, see its README): facts maps a fact id to `null`
(stated without a figure), a number (the tracked figure), `{value, agrees: false}` or a name.
Shared by tests/test_understanding.py (floors) and bench/understanding.py (prints the figures).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
import json
import math
import re
import sqlite3
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import yaml

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
REAL_NEWS = TESTS.parents[1] / "shared" / "corpora" / "real-news"
LANGS = ("ko", "ja", "en")
# The day each event was reported (real-news README); items without a date of their own use it.
EVENT_DATES = {"E0": "2025-12-19", "E1": "2025-12-21", "E2": "2025-12-21", "E3": "2025-12-24", "E4": "2026-03-10",
               "E5": "2026-04-13", "E6": "2026-06-30", "E7": "2026-10-15"}  # fmt: skip
# Events that are one story for a reader: the scoop and the other outlets' first-day reports of the same plan.
STORY_OF_EVENT = {"E2": "E1"}


@dataclass
class Item:
    id: str
    lang: str
    title: str
    paragraphs: list[str]
    published: datetime
    outlet: str
    on_topic: bool
    event: str | None = None
    facts: dict = field(default_factory=dict)
    credits: list[str] = field(default_factory=list)
    dup: str | None = None
    borderline: bool = False
    subheads: frozenset[int] = frozenset()  # paragraph indexes rendered as subheadings
    facts_labeled: bool = True  # False: the facts were not labeled for linking (scored for relevance and stories only)


# -- labeled sets ------------------------------------------------------------------------------


def load_real_news(root: Path = REAL_NEWS) -> list[Item]:
    """shared/corpora/real-news. A text's first line is its headline when it reads like one (short,
    no sentence stop); otherwise the whole excerpt is the body and the headline is its first words."""
    labels = yaml.safe_load((root / "labels.yaml").read_text(encoding="utf-8"))["items"]
    items = []
    for label in labels:
        lines = [line.strip() for line in (root / "texts" / f"{label['id']}.txt").read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line]
        date = None
        if lines and (prefix := re.match(r"date (\d{4}-\d{2}-\d{2})\s*", lines[0])):
            date = prefix.group(1)
            lines[0] = lines[0][prefix.end() :]
            lines = [line for line in lines if line]
        # The day a real feed would give: the index's date, else the one the page's address carries
        # (20240422, /2025/07/), else the event's; only what has neither gets a day after the story
        # began (a 2024 page served as if current would be read as news of the program).
        date = date or _date_in_url(label["url"]) or EVENT_DATES.get(label.get("event") or "", "2026-01-20")
        first = lines[0] if lines else label["id"]
        limit = 110 if label["lang"] == "en" else 60
        headline = len(lines) > 1 and len(first) <= limit and not re.search(r"[.。]$|다\.?$|[!?！？]$", first)
        title, paragraphs = (first, lines[1:]) if headline else (_first_words(first, limit), lines)
        items.append(
            Item(
                id=label["id"],
                lang=label["lang"],
                title=title,
                paragraphs=paragraphs,
                published=datetime.fromisoformat(date + "T09:00:00+09:00"),
                outlet=urlsplit(label["url"]).hostname or label["id"],
                on_topic=bool(label["on_topic"]),
                event=label.get("event"),
                facts=label.get("facts") or {},
                credits=label.get("credits") or [],
                dup=label.get("dup"),
                borderline=bool(label.get("borderline")),
            )
        )
    return items


def _date_in_url(url: str) -> str | None:
    """The publication day a news address carries: 20240422 at the start of a number, /2025/12/21/,
    or /2025/07/ (the month's first day), as YYYY-MM-DD; None when it carries none."""
    path = urlsplit(url)
    where = path.path + "?" + path.query
    day = re.search(r"(?<!\d)(20[0-3]\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])", where) or re.search(
        r"(?<!\d)(20[0-3]\d)[/_-](0[1-9]|1[0-2])[/_-](0[1-9]|[12]\d|3[01])(?!\d)", where
    )
    if day:
        try:
            return date(*map(int, day.groups())).isoformat()
        except ValueError:
            return None  # 20240231: digits, not a day
    month = re.search(r"/(20[0-3]\d)/(0[1-9]|1[0-2])/", where)
    return f"{month.group(1)}-{month.group(2)}-01" if month else None


def _first_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut) + "…"


def load_front_matter(root: Path) -> list[Item]:
    """Articles as `---` YAML front matter (id, lang, outlet, published, title, on_topic, event,
    facts, credits, dup) then paragraphs separated by blank lines, in root/**/*.md."""
    items = []
    for path in sorted(root.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            continue  # a README or a brief beside the articles
        _, front, body = text.split("---", 2)
        meta = yaml.safe_load(front)
        published = meta["published"]
        published = datetime.fromisoformat(published) if isinstance(published, str) else published
        paragraphs = [p.strip() for p in body.strip().split("\n\n") if p.strip()]
        items.append(
            Item(
                id=str(meta["id"]),
                lang=meta["lang"],
                title=str(meta["title"]),
                paragraphs=paragraphs,
                published=published,
                outlet=str(meta.get("outlet") or meta["id"]),
                on_topic=bool(meta["on_topic"]),
                event=meta.get("event"),
                facts=meta.get("facts") or {},
                credits=meta.get("credits") or [],
                dup=meta.get("dup"),
                borderline=bool(meta.get("borderline")),
            )
        )
    return items


def load_fact_fixtures(root: Path) -> list[Item]:
    """tests/fixtures/facts(-heldout)/<lang>/*.md: sentence-level labels made article-level."""
    items = []
    for lang in LANGS:
        for path in sorted((root / lang).glob("*.md")):
            _, front, body = path.read_text(encoding="utf-8").split("---", 2)
            meta = yaml.safe_load(front)
            facts: dict = {}
            for mention in meta.get("mentions") or []:
                value = mention.get("value")
                label = None if value is None else (float(value) if mention.get("agrees") is not False else {"value": float(value), "agrees": False})
                if mention["fact"] not in facts or facts[mention["fact"]] is None:
                    facts[mention["fact"]] = label
            published = meta["published"]
            items.append(
                Item(
                    id=str(meta["id"]),
                    lang=lang,
                    title=str(meta["title"]),
                    paragraphs=[p.strip() for p in body.strip().split("\n\n") if p.strip()],
                    published=datetime.fromisoformat(published) if isinstance(published, str) else published,
                    outlet=str(meta.get("outlet") or "outlet"),
                    on_topic=bool(meta["on_topic"]),
                    facts=facts,
                    credits=list(meta.get("attribution") or []),
                )
            )
    return items


def load_story_fixtures(root: Path = TESTS / "fixtures" / "stories") -> list[Item]:
    """tests/fixtures/stories: copies and stories labeled (facts without figures)."""
    items = []
    for path in sorted((root / "articles").glob("*/*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        meta = yaml.safe_load(front)
        topic = meta.get("topic")
        published = meta["published"]
        items.append(
            Item(
                id=str(meta["id"]),
                lang=path.parent.name,
                title=str(meta["title"]),
                paragraphs=[p.strip() for p in body.strip().split("\n\n") if p.strip()],
                published=datetime.fromisoformat(published) if isinstance(published, str) else published,
                outlet=str(meta["outlet"]),
                on_topic=topic is True or topic == "on",
                event=meta.get("story"),
                facts={fact: "?" for fact in meta.get("facts") or []},
                dup=meta.get("copy_of"),
                facts_labeled=False,  # written for copies and stories: fact lists are rough
            )
        )
    return items


# -- site templates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    name: str
    lang: str
    charset: str
    page: str
    paragraph: str
    subheading: str | None
    inserts: dict[int, str]


BASIC = Template(
    "basic",
    "any",
    "utf-8",
    '<!DOCTYPE html><html lang="{{lang}}"><head><meta charset="{{charset}}"><title>{{title}} | {{outlet}}</title>'
    '<meta property="article:published_time" content="{{published_iso}}"></head><body><header><a href="/">{{outlet}}</a>'
    "<nav><a href='/a'>News</a> <a href='/b'>World</a></nav></header><main><article><h1>{{title}}</h1>"
    '<div class="byline">{{byline}} {{published_display}}</div><div class="body">{{body}}</div></article></main>'
    "<footer>&copy; {{outlet}}</footer></body></html>",
    "<p>{{text}}</p>",
    None,
    {},
)


def load_templates(root: Path) -> list[Template]:
    templates = []
    for path in sorted(root.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        templates.append(
            Template(
                raw["name"], raw["lang"], raw.get("charset", "utf-8"), raw["page"], raw.get("paragraph") or "<p>{{text}}</p>",
                raw.get("subheading"), {int(k): v for k, v in (raw.get("inserts") or {}).items()},
            )
        )  # fmt: skip
    return templates


_BYLINES = {"ko": ["김민준", "이서연", "박지훈", "최유나"], "ja": ["佐藤健", "鈴木美咲", "高橋翔", "田中直子"],
            "en": ["Jane Park", "Kenji Mori", "Alex Turner", "Maria Chen"]}  # fmt: skip
_DATELINES = {"ko": ["도쿄", "서울", ""], "ja": ["東京", "ソウル", ""], "en": ["TOKYO", "SEOUL", ""]}


def _pick(key: str, options: list):
    return options[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(options)]


def render_page(item: Item, template: Template, url: str) -> bytes:
    e = html.escape
    parts = []
    for index, paragraph in enumerate(item.paragraphs):
        form = template.subheading if (index in item.subheads and template.subheading) else template.paragraph
        parts.append(form.replace("{{text}}", e(paragraph)))
        if index in template.inserts and index < len(item.paragraphs) - 1:
            parts.append(template.inserts[index])
    stamp = item.published.isoformat()
    values = {
        "title": e(item.title),
        "outlet": e(item.outlet),
        "byline": e(_pick(item.id, _BYLINES[item.lang])),
        "dateline": e(_pick(item.id + "d", _DATELINES[item.lang])),
        "published_iso": stamp,
        "published_display": item.published.strftime("%Y-%m-%d %H:%M"),
        "url": e(url),
        "lang": item.lang,
        "charset": template.charset,
        "description": e(item.paragraphs[0][:150] if item.paragraphs else ""),
    }
    page = template.page
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", value)
    page = page.replace("{{body}}", "".join(parts))
    codec = {"euc-kr": "cp949", "shift_jis": "cp932"}.get(template.charset.lower(), template.charset)
    return page.encode(codec, errors="xmlcharrefreplace")


def slug(text: str) -> str:
    return "o" + hashlib.sha256(text.encode()).hexdigest()[:10]


@dataclass
class Served:
    """A labeled set served: the site's feeds (as feeds.yaml entries) and each item's page URL."""

    feeds: list[dict]
    urls: dict[str, str]  # item id -> page URL
    templates: dict[str, str]  # item id -> template name


@contextmanager
def news_sites(items: list[Item], templates: list[Template], kind: str = "general") -> Iterator[Served]:
    """Serve a labeled set as news sites on loopback, each outlet on a host of its own (127.1.x.y,
    so robots.txt, politeness and what the monitor learns per site stay per outlet), with its pages
    rendered from one template and one RSS feed. `kind`: how the monitor reads the feeds:
    "general" (an outlet's section feed: entries whose headline and summary hold no keyword are
    skipped) or "topical" (a search feed: every entry is fetched)."""
    from monitor.demo import FixtureServer
    from monitor.demo.site import Site

    by_outlet: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        by_outlet[(item.lang, item.outlet)].append(item)
    with ExitStack() as stack:
        feeds, urls, used = [], {}, {}
        for number, ((lang, outlet), members) in enumerate(sorted(by_outlet.items())):
            host = f"127.1.{number // 250}.{number % 250 + 1}"
            server = stack.enter_context(FixtureServer(Site(outlets={}), host=host))
            key = slug(f"{lang}:{outlet}")
            choices = [t for t in templates if t.lang in (lang, "any")] or [BASIC]
            template = _pick(outlet, choices)
            entries = []
            for item in sorted(members, key=lambda i: i.published, reverse=True):
                path = f"/{key}/{slug(item.id)}.html"
                url = server.base_url + path
                server.add_route(path, render_page(item, template, url), f"text/html; charset={template.charset}")
                urls[item.id] = url
                used[item.id] = template.name
                summary = html.escape(item.paragraphs[0][:200] if item.paragraphs else "")
                entries.append(
                    f"<item><title>{html.escape(item.title)}</title><link>{url}</link><guid>{url}</guid>"
                    f"<description>{summary}</description><pubDate>{format_datetime(item.published)}</pubDate></item>"
                )
            feed = (
                f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{html.escape(outlet)}</title>'
                f"<link>{server.base_url}/{key}/</link><description>{html.escape(outlet)}</description>"
                f"<language>{lang}</language>{''.join(entries)}</channel></rss>"
            )
            server.add_route(f"/{key}/feed.xml", feed, "application/rss+xml; charset=utf-8")
            feeds.append({"name": key, "url": f"{server.base_url}/{key}/feed.xml", "lang": lang, "kind": kind, "title": outlet})
        yield Served(feeds, urls, used)


def run_monitor(feeds: list[dict], folder: Path, facts: Path | None = None) -> Path:
    """`monitor run --once` on the project's defaults (keywords, limits), as cron runs it."""
    project = yaml.safe_load((REPO / "feeds.yaml").read_text(encoding="utf-8"))
    defaults = dict(project["defaults"], per_host_min_interval=0, per_host_concurrency=8, timeout="5s",
                    total_timeout="10s", allow_private=["127.0.0.0/8"], facts=str(facts or REPO / "facts.yaml"))  # fmt: skip
    config = folder / "feeds.yaml"
    config.write_text(yaml.safe_dump({"defaults": defaults, "feeds": feeds}, allow_unicode=True), encoding="utf-8")
    db = folder / "monitor.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "run", "--once", "--config", str(config), "--db", str(db)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"monitor run failed ({done.returncode}): {done.stderr[-2000:]}")
    return db


# -- scoring -----------------------------------------------------------------------------------


@dataclass
class PR:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, predicted: bool, expected: bool) -> None:
        self.tp += predicted and expected
        self.fp += predicted and not expected
        self.fn += expected and not predicted

    def __str__(self) -> str:
        return f"P {self.precision:.3f} R {self.recall:.3f} (tp {self.tp}, fp {self.fp}, fn {self.fn})"


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def __str__(self) -> str:
        return f"{self.rate:.3f} ({self.right}/{self.total})"


@dataclass
class LangScores:
    lang: str
    articles: int = 0
    relevance: PR = field(default_factory=PR)
    links: PR = field(default_factory=PR)
    figures: Ratio = field(default_factory=Ratio)
    agrees: Ratio = field(default_factory=Ratio)
    extraction: Ratio = field(default_factory=Ratio)
    edges: Ratio = field(default_factory=Ratio)  # the start is the first paragraph, the last one is kept
    purity: float = 1.0
    completeness: float = 1.0
    story_articles: int = 0
    borderline: int = 0  # items labeled borderline: out of relevance and fact links (either verdict is accepted)
    borderline_on: int = 0  # ... of which the monitor judged on topic
    strict: PR = field(default_factory=PR)  # relevance with the borderline items counted as labeled
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"{self.lang}: {self.articles} articles",
            f"  relevance    {self.relevance}",
            f"  fact links   {self.links}",
            f"  figures      exact {self.figures}; agrees {self.agrees}",
            f"  stories      purity {self.purity:.3f}, completeness {self.completeness:.3f} ({self.story_articles} articles with an event)",
            f"  extraction   sane {self.extraction}; edges {self.edges}",
            *([f"  borderline   {self.borderline} (either verdict accepted; {self.borderline_on} judged on topic); "
               f"relevance counting them as labeled: P {self.strict.precision:.3f} R {self.strict.recall:.3f}"] if self.borderline else []),
        ]


def _norm(text: str) -> str:
    """Text compared across an encoding round trip: Shift_JIS pages decoded as cp932 (as browsers
    do) give FULLWIDTH TILDE where the writer typed WAVE DASH, the same character to a reader. The
    invisible format characters are left out: the extractor drops them (trafilatura keeps printable
    characters only), so the zero-width joiner inside an emoji sequence ("👩‍💻") goes, the line's
    words stay (heldout-r24's card news)."""
    folded = unicodedata.normalize("NFKC", html.unescape(text)).replace("\u301c", "~")
    folded = "".join(c for c in folded if unicodedata.category(c) != "Cf") if not folded.isprintable() else folded
    return re.sub(r"\s+", " ", folded).strip().casefold()


def _figure_label(label) -> tuple[float | None, bool | None]:
    """(value, agrees) of a fact's label: a number agrees, {value, agrees: false} differs, else none."""
    if isinstance(label, bool) or label is None or isinstance(label, str):
        return None, None
    if isinstance(label, dict):
        return float(label["value"]), bool(label.get("agrees", True))
    return float(label), True


def score(db_path: Path, items: list[Item], served: Served, exclude: dict[str, str] | None = None) -> dict[str, LangScores]:
    """Per-language scores of an archive built from `items` (see the module docstring). `exclude`:
    ids left out of every figure, with the reason (a disputed label)."""
    exclude = exclude or {}
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    by_url = {}
    for article_id, url, on_topic, story_id, text, extraction in db.execute(
        "SELECT a.id, u.url, a.on_topic, a.story_id, a.text, a.extraction FROM article_urls u JOIN articles a ON a.id = u.article_id"
    ):
        by_url[url] = (article_id, on_topic, story_id, text or "", extraction)
    mentions = defaultdict(list)
    for article_id, fact_id, value, unit, agrees, name in db.execute(
        "SELECT article_id, fact_id, value, unit, agrees, name FROM fact_mentions"
    ):
        mentions[article_id].append((fact_id, value, unit, agrees, name))
    scores = {lang: LangScores(lang) for lang in LANGS}
    clusters: dict[str, list[tuple[str, int]]] = defaultdict(list)
    members: dict[str, list[tuple[str, int, str]]] = defaultdict(list)  # (event's story, story id, item id)
    for item in items:
        if item.id in exclude:
            continue
        s = scores[item.lang]
        s.articles += 1
        row = by_url.get(served.urls[item.id])
        article_id, on_topic, story_id, text, extraction = row if row else (None, 0, None, "", None)
        # A borderline item (labeled so where reasonable people could disagree) is right either way:
        # it counts in neither relevance nor fact links, except that its links are scored when the
        # monitor's verdict is the label's (the labeled facts then say what it states).
        s.strict.add(bool(on_topic), item.on_topic)
        if item.borderline:
            s.borderline += 1
            s.borderline_on += bool(on_topic)
        else:
            s.relevance.add(bool(on_topic), item.on_topic)
        if bool(on_topic) != item.on_topic:
            s.errors.append(f"{item.id} relevance: predicted {'on' if on_topic else 'off'} topic" + (" (borderline)" if item.borderline else ""))
        linked = {m[0]: [] for m in mentions.get(article_id, [])}
        for m in mentions.get(article_id, []):
            linked[m[0]].append(m)
        expected = set(item.facts) if item.on_topic else set()
        scored = item.facts_labeled and not (item.borderline and bool(on_topic) != item.on_topic)
        for fact in sorted(set(linked) | expected, key=lambda f: int(f[1:])) if scored else ():
            s.links.add(fact in linked, fact in expected)
            if (fact in linked) != (fact in expected):
                what = "extra" if fact in linked else "missed"
                got = [(m[1], m[2]) for m in linked.get(fact, [])]
                s.errors.append(f"{item.id} {what} {fact}" + (f" {got}" if got else "") + (f" (label {item.facts.get(fact)!r})" if fact in expected else ""))
        for fact, label in item.facts.items():
            value, agrees = _figure_label(label)
            if value is None or fact not in linked or not item.on_topic:
                continue
            got = [m for m in linked[fact] if m[1] is not None]
            exact = any(math.isclose(m[1], value, rel_tol=1e-6) for m in got)
            s.figures.add(exact)
            agreed = any(bool(m[3]) == agrees for m in got if m[3] is not None) if got else agrees is None
            s.agrees.add(agreed)
            if not exact:
                s.errors.append(f"{item.id} figure {fact}: got {[m[1] for m in got]} vs {value:g}")
            elif not agreed:
                s.errors.append(f"{item.id} agrees {fact}: got {[m[3] for m in got]} vs {agrees}")
        if item.on_topic and item.event and story_id is not None:
            clusters[item.lang].append((STORY_OF_EVENT.get(item.event, item.event), story_id))
            clusters["all"].append((STORY_OF_EVENT.get(item.event, item.event), story_id))
            members[item.lang].append((STORY_OF_EVENT.get(item.event, item.event), story_id, item.id))
            members["all"].append((STORY_OF_EVENT.get(item.event, item.event), story_id, item.id))
        if extraction == "page":
            sane, edges = _sane(text, item, s.errors)
            s.extraction.add(sane)
            s.edges.add(edges)
    db.close()
    for lang in LANGS:
        pairs = clusters.get(lang, [])
        scores[lang].story_articles = len(pairs)
        scores[lang].purity, scores[lang].completeness = purity(pairs)
        scores[lang].errors.extend(_story_errors(members.get(lang, [])))
    scores["all"] = _all(scores, clusters.get("all", []))
    # across languages: what no language's own list shows (a story split by language)
    own = {line for lang in LANGS for line in scores[lang].errors}
    scores["all"].errors.extend(line for line in _story_errors(members.get("all", [])) if line not in own)
    return scores


def purity(pairs: list[tuple[str, int]]) -> tuple[float, float]:
    """(purity, inverse purity) of clusters given (label, cluster) pairs."""
    if not pairs:
        return 1.0, 1.0
    by_cluster: dict[int, Counter] = defaultdict(Counter)
    by_label: dict[str, Counter] = defaultdict(Counter)
    for label, cluster in pairs:
        by_cluster[cluster][label] += 1
        by_label[label][cluster] += 1
    n = len(pairs)
    return (
        sum(c.most_common(1)[0][1] for c in by_cluster.values()) / n,
        sum(c.most_common(1)[0][1] for c in by_label.values()) / n,
    )


def _story_errors(members: list[tuple[str, int, str]]) -> list[str]:
    """An event's articles over several stories (the smaller parts named), and a story holding
    articles of several events (the minority named)."""
    by_event: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    by_story: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for event, story, item_id in members:
        by_event[event][story].append(item_id)
        by_story[story][event].append(item_id)
    errors = []
    for event, stories in sorted(by_event.items()):
        if len(stories) > 1:
            main = max(stories, key=lambda k: len(stories[k]))
            apart = sorted(i for k, ids in stories.items() if k != main for i in ids)
            errors.append(f"story {event} split: {len(stories[main])} together, apart: {', '.join(apart)}")
    for story, events in sorted(by_story.items()):
        if len(events) > 1:
            main = max(events, key=lambda e: len(events[e]))
            others = sorted(i for e, ids in events.items() if e != main for i in ids)
            errors.append(f"story {story} mixes {', '.join(sorted(events))}: {', '.join(others)} joined {main}")
    return errors


def _all(scores: dict[str, LangScores], pairs) -> LangScores:
    total = LangScores("all")
    for lang in LANGS:
        s = scores[lang]
        total.articles += s.articles
        for name in ("relevance", "links", "strict"):
            mine, theirs = getattr(total, name), getattr(s, name)
            mine.tp, mine.fp, mine.fn = mine.tp + theirs.tp, mine.fp + theirs.fp, mine.fn + theirs.fn
        total.borderline += s.borderline
        total.borderline_on += s.borderline_on
        for name in ("figures", "agrees", "extraction", "edges"):
            mine, theirs = getattr(total, name), getattr(s, name)
            mine.right, mine.total = mine.right + theirs.right, mine.total + theirs.total
    total.story_articles = len(pairs)
    total.purity, total.completeness = purity(pairs)
    return total


def _sane(text: str, item: Item, errors: list[str]) -> tuple[bool, bool]:
    """(sane, edges): edges when the text starts with the body's first paragraph (no headline,
    dateline or byline line before it) and keeps its last; sane when, besides, no line anywhere is
    not body text (a pull quote or a related-stories box of the template)."""
    from monitor.extract import tidy

    lines = [_norm(line) for line in text.splitlines() if line.strip()]
    body = [_norm(p) for p in tidy("\n".join(item.paragraphs), item.title).splitlines() or item.paragraphs]
    # A paragraph of several lines is one <p> on the page: its lines (a subtitle's cue number,
    # timecode and caption) may come out as one line of text, as a browser shows them. Such a line
    # counts when it is the whole paragraph, flattened, and the paragraph is one tidy() kept.
    kept_lines = set(body)
    flat = {
        i: _norm(p) for i, p in enumerate(item.paragraphs)
        if "\n" in p and any(_norm(part) in kept_lines for part in p.splitlines() if part.strip())
    }  # fmt: skip
    joined = " ".join(body)
    # (the paragraph that holds the reference's first line, flattened: a song's first verse, whose short
    # lines tidy() reads one by one and may cut as labels at the start, on the page is one <p>)
    first = next((i for i, p in enumerate(item.paragraphs) if body[0] in (_norm(part) for part in p.splitlines())), 0)
    starts = bool(lines) and (lines[0].startswith(body[0][:60]) or body[0].startswith(lines[0][:60]) or lines[0] in (flat.get(0), flat.get(first)))
    ends = body[-1][:60] in " ".join(lines) or flat.get(len(item.paragraphs) - 1) in lines
    # tidy() is the monitor's own: a run of paragraphs it cut from the end of the reference (a
    # sentence of prose mistaken for a rights line, and all after it) must not pass as furniture.
    # (Ends are compared: a dateline may go from a start.)
    reference = " ".join(body)
    raw = [_norm(p) for p in item.paragraphs]
    kept = [i for i, p in enumerate(raw) if p[-40:] in reference]
    tail = raw[kept[-1] + 1 :] if kept else []
    # (a cartoon's credit line, then an editor's note: the note's heading is short, its paragraphs are not)
    cut = tail if len(tail) >= 2 and any(len(p) >= 80 for p in tail) and not all(p[-40:] in " ".join(lines) for p in tail) else []
    ends = ends and not cut
    foreign = [line for line in lines if line not in joined and line not in flat.values()]
    problems = [] if starts else [f"starts with {lines[0][:50] if lines else ''!r}"]
    problems += [] if ends else [f"lost the paragraph {(cut or body)[-1][:40]!r}"]
    problems += [f"injected {foreign[0][:50]!r}"] if foreign else []
    if problems:
        errors.append(f"{item.id} extraction: " + "; ".join(problems))
    return starts and ends and not foreign, starts and ends


def report(scores: dict[str, LangScores]) -> str:
    return "\n".join(line for lang in (*LANGS, "all") for line in scores[lang].lines())


def as_json(scores: dict[str, LangScores]) -> str:
    return json.dumps(
        {
            lang: {
                "articles": s.articles,
                "relevance": [s.relevance.precision, s.relevance.recall],
                "links": [s.links.precision, s.links.recall],
                "figures": s.figures.rate,
                "agrees": s.agrees.rate,
                "purity": s.purity,
                "completeness": s.completeness,
                "extraction": s.extraction.rate,
                "edges": s.edges.rate,
            }
            for lang, s in scores.items()
        },
        indent=1,
    )


def now() -> datetime:
    return datetime.now(timezone.utc)

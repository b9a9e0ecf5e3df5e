"""The bundled demo news site: fictional outlets in Korean, Japanese and English, their feeds
(RSS 2.0, Atom, RDF) and article pages with the boilerplate real news pages carry (menus,
related-article lists, most-read boxes, footers), served in the encodings the outlets declare.

Articles are plain files under `site/articles/<lang>/`: YAML front matter, then paragraphs.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

import yaml

SITE_DIR = Path(__file__).resolve().parent / "site"

_LABELS = {
    "ko": dict(nav=["정치", "경제", "사회", "국제", "IT·과학", "문화", "스포츠", "오피니언"], related="관련 기사",
               popular="많이 본 뉴스", share="공유하기", reporter="기자", rights="무단 전재 및 재배포 금지",
               subscribe="구독 신청", ad="광고", comments="댓글"),
    "ja": dict(nav=["政治", "経済", "社会", "国際", "テクノロジー", "文化", "スポーツ", "社説"], related="関連記事",
               popular="よく読まれている記事", share="シェア", reporter="記者", rights="無断転載を禁じます",
               subscribe="購読のお申し込み", ad="広告", comments="コメント"),
    "en": dict(nav=["Politics", "Business", "Society", "World", "Tech", "Culture", "Sports", "Opinion"],
               related="Related stories", popular="Most read", share="Share", reporter="Reporter",
               rights="All rights reserved", subscribe="Subscribe", ad="Advertisement", comments="Comments"),
}  # fmt: skip


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    lang: str
    encoding: str  # what the outlet declares (the bytes are the superset the sites really use)
    feed_format: str  # rss2 | atom | rdf

    @property
    def wire_codec(self) -> str:
        return {"euc-kr": "cp949", "shift_jis": "cp932"}.get(self.encoding, self.encoding)


@dataclass(frozen=True)
class Article:
    id: str
    outlet: str
    title: str
    author: str
    published: datetime
    section: str
    summary: str
    topic: bool
    facts: tuple[str, ...]
    copy_of: str | None
    url_variants: tuple[str, ...]
    paragraphs: tuple[str, ...]
    lang: str
    story: str | None = None  # the event it reports (labels of the story fixtures)

    @property
    def slug(self) -> str:
        return self.id


@dataclass
class Site:
    """The site's content; tests may add articles or outlets while the server runs."""

    outlets: dict[str, Outlet]
    articles: list[Article] = field(default_factory=list)

    def outlet_articles(self, key: str) -> list[Article]:
        return sorted((a for a in self.articles if a.outlet == key), key=lambda a: a.published, reverse=True)

    def article(self, outlet: str, slug: str) -> Article | None:
        return next((a for a in self.articles if a.outlet == outlet and a.slug == slug), None)

    def by_lang(self, lang: str) -> list[Article]:
        return [a for a in self.articles if a.lang == lang]


def load_site(root: Path = SITE_DIR) -> Site:
    outlets = {o["key"]: Outlet(**o) for o in yaml.safe_load((root / "outlets.yaml").read_text(encoding="utf-8"))}
    articles = [load_article(path) for path in sorted((root / "articles").glob("*/*.md"))]
    for article in articles:
        if article.outlet not in outlets:
            raise ValueError(f"{article.id}: unknown outlet {article.outlet!r}")
    return Site(outlets=outlets, articles=articles)


def load_article(path: Path) -> Article:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    meta = yaml.safe_load(front)
    topic = meta.get("topic")
    published = meta["published"]
    if isinstance(published, str):
        published = datetime.fromisoformat(published)
    return Article(
        id=str(meta["id"]),
        outlet=str(meta["outlet"]),
        title=str(meta["title"]),
        author=str(meta.get("author") or ""),
        published=published,
        section=str(meta.get("section") or ""),
        summary=str(meta.get("summary") or ""),
        topic=topic is True or topic == "on",  # YAML 1.1 reads a bare on/off as a boolean
        facts=tuple(meta.get("facts") or ()),
        copy_of=meta.get("copy_of"),
        url_variants=tuple(meta.get("url_variants") or ()),
        paragraphs=tuple(p.strip() for p in body.strip().split("\n\n") if p.strip()),
        lang=path.parent.name,
        story=meta.get("story"),
    )


# -- URLs ------------------------------------------------------------------------------------


def article_path(article: Article, amp: bool = False) -> str:
    return f"/{article.outlet}/{'amp/' if amp else ''}articles/{article.slug}.html"


def feed_link(base: str, article: Article) -> str:
    """The link an outlet's feed gives for an article, with its URL variant (tracking, AMP, fragment)."""
    link = base + article_path(article, amp="amp" in article.url_variants)
    if "utm" in article.url_variants:
        link += "?utm_source=rss&utm_medium=feed&utm_campaign=ai"
    if "fragment" in article.url_variants:
        link += "#article-body"
    return link


def aggregator_token(path: str) -> str:
    """An opaque aggregator id for a site path (what the search feeds link through)."""
    return base64.urlsafe_b64encode(hashlib.sha256(path.encode()).digest()[:12]).decode().rstrip("=")


# -- pages -----------------------------------------------------------------------------------


def render_article(site: Site, article: Article, base: str, amp: bool = False) -> str:
    outlet = site.outlets[article.outlet]
    labels = _LABELS[outlet.lang]
    e = html.escape
    others = [a for a in site.outlet_articles(outlet.key) if a.id != article.id]
    related = "".join(f'<li><a href="{e(article_path(a))}">{e(a.title)}</a></li>' for a in others[:4])
    popular = "".join(f'<li><a href="{e(article_path(a))}">{e(a.title)}</a></li>' for a in others[4:9])
    nav = "".join(f'<li><a href="/{outlet.key}/section/{i}">{e(item)}</a></li>' for i, item in enumerate(labels["nav"]))
    paragraphs = "".join(f"<p>{e(p)}</p>" for p in article.paragraphs)
    canonical = base + article_path(article)
    stamp = article.published.isoformat()
    # The outlets expose their publication time differently, as real sites do.
    if outlet.feed_format == "rss2":
        time_meta = f'<meta property="article:published_time" content="{stamp}">'
    elif outlet.feed_format == "atom":
        time_meta = (
            '<script type="application/ld+json">'
            + json.dumps(
                {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title, "datePublished": stamp},
                ensure_ascii=False,
            ).replace("</", "<\\/")
            + "</script>"
        )
    else:
        time_meta = ""
    # One outlet's template declares lang="en" on every page, a bug real CMSs have.
    page_lang = "en" if outlet.key == "hangang" else outlet.lang
    charset = f'<meta http-equiv="Content-Type" content="text/html; charset={outlet.encoding}">'
    amp_attr = " amp" if amp else ""
    return f"""<!DOCTYPE html>
<html lang="{page_lang}"{amp_attr}>
<head>
{charset}
<title>{e(article.title)} | {e(outlet.name)}</title>
<link rel="canonical" href="{e(canonical)}">
<meta property="og:title" content="{e(article.title)}">
<meta property="og:site_name" content="{e(outlet.name)}">
<meta name="author" content="{e(article.author)}">
{time_meta}
<link rel="alternate" type="application/rss+xml" href="/{outlet.key}/feed.xml">
</head>
<body class="{outlet.key}-layout">
<header class="site-header">
  <div class="logo"><a href="/{outlet.key}/">{e(outlet.name)}</a></div>
  <nav class="gnb"><ul>{nav}</ul></nav>
  <div class="ticker">{e(others[0].title if others else outlet.name)}</div>
  <a class="subscribe" href="/{outlet.key}/subscribe">{e(labels["subscribe"])}</a>
</header>
<div class="ad-banner">{e(labels["ad"])}</div>
<main>
<article class="news-article">
  <div class="section-name">{e(article.section)}</div>
  <h1 class="headline">{e(article.title)}</h1>
  <div class="byline"><span class="reporter">{e(article.author)}</span> <time datetime="{stamp}">{e(article.published.strftime("%Y-%m-%d %H:%M"))}</time></div>
  <div class="share"><a href="#">{e(labels["share"])}</a></div>
  <div id="article-body" class="article-body">{paragraphs}</div>
  <p class="copyright">&copy; {e(outlet.name)}. {e(labels["rights"])}</p>
</article>
<aside class="related"><h2>{e(labels["related"])}</h2><ul>{related}</ul></aside>
<section class="comments"><h2>{e(labels["comments"])} (0)</h2></section>
</main>
<aside class="most-read"><h2>{e(labels["popular"])}</h2><ol>{popular}</ol></aside>
<footer class="site-footer">
  <ul class="footer-links">{nav}</ul>
  <p>&copy; {e(outlet.name)} &middot; {e(labels["rights"])}</p>
</footer>
</body>
</html>"""


def render_home(site: Site, outlet: Outlet) -> str:
    e = html.escape
    items = "".join(
        f'<li><a href="{e(article_path(a))}">{e(a.title)}</a></li>' for a in site.outlet_articles(outlet.key)
    )
    return (
        f'<!DOCTYPE html><html lang="{outlet.lang}"><head><meta charset="{outlet.encoding}">'
        f"<title>{e(outlet.name)}</title></head><body><h1>{e(outlet.name)}</h1><ul>{items}</ul></body></html>"
    )


# -- feeds -----------------------------------------------------------------------------------


def render_feed(site: Site, outlet: Outlet, base: str) -> str:
    articles = site.outlet_articles(outlet.key)
    home = f"{base}/{outlet.key}/"
    entries = [
        (a.title, feed_link(base, a), base + article_path(a), a.summary, a.published, a.author, None) for a in articles
    ]
    return _render(outlet.feed_format, outlet.name, home, outlet.lang, outlet.encoding, entries)


def render_search_feed(site: Site, lang: str, base: str) -> str:
    """An aggregator's keyword-search feed: on-topic articles in one language, each linked through
    an opaque redirect (`/gn/rss/articles/<token>`) and crediting its outlet in <source>."""
    articles = sorted((a for a in site.by_lang(lang) if a.topic), key=lambda a: a.published, reverse=True)
    entries = []
    for a in articles:
        outlet = site.outlets[a.outlet]
        link = f"{base}/gn/rss/articles/{aggregator_token(article_path(a))}?oc=5"
        entries.append((f"{a.title} - {outlet.name}", link, link, a.summary, a.published, "", (outlet.name, f"{base}/{outlet.key}/")))
    return _render("rss2", f"Search: sovereign AI ({lang})", f"{base}/search/", lang, "utf-8", entries)


def _render(fmt: str, title: str, home: str, lang: str, encoding: str, entries: list) -> str:
    e = html.escape
    decl = f'<?xml version="1.0" encoding="{encoding}"?>\n'
    if fmt == "atom":
        updated = max((entry[4] for entry in entries), default=datetime(2025, 1, 1)).isoformat()
        body = "".join(
            f"<entry><title>{e(t)}</title><link rel=\"alternate\" href=\"{e(link)}\"/><id>{e(guid)}</id>"
            f"<published>{p.isoformat()}</published><updated>{p.isoformat()}</updated>"
            f"<author><name>{e(author or 'desk')}</name></author><summary>{e(s)}</summary></entry>"
            for t, link, guid, s, p, author, _ in entries
        )
        return (
            f'{decl}<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}"><title>{e(title)}</title>'
            f'<link rel="alternate" href="{e(home)}"/><id>{e(home)}</id><updated>{updated}</updated>{body}</feed>'
        )
    if fmt == "rdf":
        seq = "".join(f'<rdf:li rdf:resource="{e(link)}"/>' for _, link, *_ in entries)
        items = "".join(
            f'<item rdf:about="{e(link)}"><title>{e(t)}</title><link>{e(link)}</link>'
            f"<description>{e(s)}</description><dc:date>{p.isoformat()}</dc:date><dc:creator>{e(author)}</dc:creator></item>"
            for t, link, guid, s, p, author, _ in entries
        )
        return (
            f'{decl}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="{e(home)}"><title>{e(title)}</title>'
            f"<link>{e(home)}</link><description>{e(title)}</description><dc:language>{lang}</dc:language>"
            f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>{items}</rdf:RDF>"
        )
    items = "".join(
        f"<item><title>{e(t)}</title><link>{e(link)}</link><guid isPermaLink=\"false\">{e(guid)}</guid>"
        f"<description>{e(s)}</description><pubDate>{format_datetime(p)}</pubDate>"
        + (f"<author>{e(author)}</author>" if author else "")
        + (f'<source url="{e(source[1])}">{e(source[0])}</source>' if source else "")
        + "</item>"
        for t, link, guid, s, p, author, source in entries
    )
    return (
        f'{decl}<rss version="2.0"><channel><title>{e(title)}</title><link>{e(home)}</link>'
        f"<description>{e(title)}</description><language>{lang}</language><ttl>30</ttl>{items}</channel></rss>"
    )

"""Names the story acquires (issue 13), end to end: two outlets report the company's new name, the
archive learns it, a later article that calls the company only by that name is judged on topic,
`monitor facts` and `monitor names` show the name with where it came from, and a rejected name
stops counting after the relink. Real loopback sites, real `monitor` processes, a real archive."""

from __future__ import annotations

import html
import sqlite3
from email.utils import format_datetime
from datetime import datetime, timezone

import pytest

from conftest import monitor, write_config
from monitor.demo import FixtureServer
from monitor.demo.site import Site
from monitor.facts import load_factbook, split_sentences
from monitor.facts.mentions import find_mentions
from monitor.facts.names import identifying_names, name_status, variants
from conftest import REPO

# A name no definition knows: the monitor can only have learned it from the press.
NAME = "Veltora"


def page(title: str, paragraphs: list[str], lang: str, outlet: str) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<meta property="og:site_name" content="{outlet}"></head>'
        f"<body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>"
    )


def feed(server: FixtureServer, outlet: str, items: list[tuple[str, str, list[str]]], lang: str, day: int) -> dict:
    entries = []
    for slug, title, paragraphs in items:
        url = server.add_route(f"/{outlet}/{slug}.html", page(title, paragraphs, lang, outlet))
        stamp = format_datetime(datetime(2026, 5, day, 9, tzinfo=timezone.utc))
        entries.append(f"<item><title>{html.escape(title)}</title><link>{url}</link><pubDate>{stamp}</pubDate></item>")
    xml = f'<rss version="2.0"><channel><title>{outlet}</title>{"".join(entries)}</channel></rss>'
    url = server.add_route(f"/{outlet}/feed.xml", xml, "application/rss+xml")
    return {"name": outlet, "url": url, "lang": lang, "kind": "topical"}


NAMING_EN = [
    "Japan's SoftBank-led joint company for a domestic AI foundation model will be named Veltora, the company said on Monday.",
    "Veltora, the joint company set up by SoftBank, Preferred Networks and about ten other firms, will build a model with "
    "1 trillion parameters with support of about 1 trillion yen over five years from the industry ministry.",
    "The model will be made available to Japanese companies, which can adapt it to their own businesses.",
]
NAMING_JA = [
    "国産AIの基盤モデルを開発する新会社の社名が「ベルトラ（Veltora）」に決まった。関係者が明らかにした。",
    "新会社はソフトバンクなど十数社が出資し、経済産業省が5年間で約1兆円を支援する。技術者は約100人を見込む。",
    "1兆パラメーター規模の基盤モデルを開発し、完成したモデルは日本企業に開放して各社の用途に合わせて使えるようにする。",
    "将来はロボットに搭載するフィジカルAIへの応用も視野に入れる。海外のAIへの依存を減らす狙いがある。",
]
ONLY_THE_NAME = [
    "Veltora opened a trial of its first model to about 40 Tokyo companies on Thursday.",
    "The firms will test the system in their own operations before a wider release next year, the company said.",
    "Its engineers will collect the feedback over the winter and publish a larger version in the spring.",
]


@pytest.fixture
def sites(tmp_path):
    with FixtureServer(Site(outlets={})) as server:
        first = [
            feed(server, "ledger", [("naming", "Japan's AI joint company gets a name: Veltora", NAMING_EN)], "en", 10),
            feed(server, "asahi-like", [("shamei", "国産AI新会社、社名は「ベルトラ」", NAMING_JA)], "ja", 11),
        ]
        yield server, first, tmp_path


def run(config, db) -> None:
    proc = monitor("run", "--once", "--config", str(config), "--db", str(db))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err


def test_a_name_two_outlets_report_identifies_the_story_until_it_is_rejected(sites):
    server, first, tmp_path = sites
    db = tmp_path / "a.sqlite3"
    run(write_config(tmp_path / "feeds.yaml", first), db)
    with sqlite3.connect(db) as conn:
        names = dict(conn.execute("SELECT name, outlets FROM story_names"))
    # One outlet each writes it (en: Veltora, ja: ベルトラ（Veltora）): two in all for the form Veltora.
    assert names.get(NAME) == 1 and sum(n for name, n in names.items() if NAME in variants(name) and name != NAME) == 1

    later = [*first, feed(server, "wire", [("trial", "Veltora opens trial model to 40 firms", ONLY_THE_NAME)], "en", 20)]
    config = write_config(tmp_path / "feeds.yaml", later)
    run(config, db)
    with sqlite3.connect(db) as conn:
        on_topic, reasons = conn.execute("SELECT on_topic, relevance_reasons FROM articles WHERE title LIKE 'Veltora opens%'").fetchone()
        stated = [row[0] for row in conn.execute(
            "SELECT m.fact_id FROM fact_mentions m JOIN articles a ON a.id = m.article_id WHERE a.title LIKE 'Veltora opens%'")]  # fmt: skip
    assert on_topic == 1 and "names the company: 'veltora'" in reasons.lower()
    assert "F5" in stated

    shown = monitor("facts", "--config", str(config), "--db", str(db))
    out, _ = shown.communicate(timeout=60)
    assert "Names the story acquired" in out
    line = next(line for line in out.splitlines() if f" {NAME}  [learned]" in line)
    assert "1 outlet(s)" in line  # Veltora itself: one outlet; its transliteration: the other
    assert "Japan's AI joint company gets a name: Veltora" in out  # where it was first reported

    rejected = monitor("names", "--reject", NAME, "--config", str(config), "--db", str(db))
    out, err = rejected.communicate(timeout=120)
    assert rejected.returncode == 0, err
    assert f"{NAME}  [rejected]" in out
    with sqlite3.connect(db) as conn:
        on_topic = conn.execute("SELECT on_topic FROM articles WHERE title LIKE 'Veltora opens%'").fetchone()[0]
    assert on_topic == 0  # the name no longer counts, after the relink the command ran


def test_which_names_identify_the_story():
    reported = [("Noetra", 1), ("노에트라(Noetra)", 1), ("Physical", 1), ("日本AI基盤モデル開発", 3)]
    assert variants("노에트라(Noetra)") == ["노에트라", "Noetra"]
    # 노에트라 is reported once, but as the transliteration of Noetra, which two outlets reported.
    assert identifying_names(reported, {}) == ["Noetra", "日本AI基盤モデル開発", "노에트라"]
    assert identifying_names([("노에트라(Noetra)", 1), ("Physical", 1)], {}) == []
    assert identifying_names(reported, {"Noetra": "rejected"}) == ["日本AI基盤モデル開発"]
    assert identifying_names(reported, {"Physical": "confirmed"}, min_outlets=5) == ["Physical"]
    assert name_status("노에트라(Noetra)", ["Noetra"], None) == "learned" and name_status("Physical", [], None) == "candidate"
    assert name_status("Noetra", ["Noetra"], "rejected") == "rejected"


@pytest.mark.parametrize(
    "lang, text, name",
    [
        ("en", "Noetra, the SoftBank-led venture launched in April, was chosen as the developer.", "Noetra"),
        ("en", "The industry ministry on Tuesday chose Noetra to build the national model.", "Noetra"),
        ("ko", "경제산업성은 소프트뱅크 주도의 신생 기업 '노에트라(Noetra)'를 개발 사업자로 선정했다.", "노에트라(Noetra)"),
        ("ja", "経済産業省は基盤モデルの開発事業者にノエトラ（東京・港）を選んだと発表した。", "ノエトラ"),
        ("ja", "新会社の社名は「日本AI基盤モデル開発」（仮称）とする。", "日本AI基盤モデル開発"),
        # a tentative name marked right after it, its legal form left out; quotes not needed
        ("ja", "日本AI基盤モデル開発株式会社（仮称、本社：東京都港区）は本日、会社として設立されたと発表した。", "日本AI基盤モデル開発"),
        ("ko", "소프트뱅크 등이 출자한 새 회사 재팬AI파운데이션(가칭)이 4월 출범했다.", "재팬AI파운데이션"),
    ],
)
def test_a_name_is_read_where_the_press_gives_it(lang, text, name):
    book = load_factbook(REPO / "facts.yaml")
    mentions = find_mentions(split_sentences(text), lang, book)
    assert name in [m.name for m in mentions if m.fact_id == "F5"]


@pytest.mark.parametrize(
    "lang, text",
    [
        ("ko", '그는 "성능 평가 지표는 사업자 선정 공모 단계에서 구체적으로 제시하겠다"고 덧붙였다.'),
        ("ja", "大臣は「評価の基準は事業者の選定の段階で示したい」と述べた。"),
    ],
)
def test_a_quotation_beside_a_word_of_choosing_is_not_a_name(lang, text):
    book = load_factbook(REPO / "facts.yaml")
    assert [m.name for m in find_mentions(split_sentences(text), lang, book) if m.name] == []


@pytest.mark.parametrize(
    ("text", "names", "holds"),
    [
        ("Veltora's engineers began training.", ["Veltora"], True),
        ("The VELTORA model", ["Veltora"], True),
        ("SoftBank's new company began training.", ["Veltora"], False),
        ("Japan AI foundation models development company", ["Japan AI Foundation Model Development"], True),
        ("新会社「ベルトラ」が始動した。", ["ベルトラ"], True),
        ("新会社「ベル トラ」が始動した。", ["ベルトラ"], True),  # spacing ignored
        ("新会社が始動した。", ["ベルトラ"], False),
        ("합작사 벨토라가 출범했다.", ["벨토라"], True),
        ("합작사가 출범했다.", ["벨토라"], False),
        ("ＶＥＬＴＯＲＡ", ["Veltora"], True),  # full-width
    ],
)
def test_whether_a_text_could_hold_a_name(text, names, holds):
    from monitor.facts.names import could_hold

    assert could_hold(text, names) is holds


def test_learning_a_name_links_again_only_the_articles_that_may_hold_it(tmp_path):
    from monitor.analysis import analyse
    from monitor.facts.names import could_hold
    from monitor.store import Archive
    from test_store import article, queued

    book = load_factbook(REPO / "facts.yaml")
    named = book.with_names([NAME])
    with Archive(tmp_path / "a.sqlite3") as archive:
        archive.sync_facts(book)
        ids = queued(archive, 2)
        texts = [" ".join(ONLY_THE_NAME), NAMING_EN[1].replace(NAME, "The new company") + " " + NAMING_EN[2]]
        for entry_id, n, text in zip(ids, range(2), texts, strict=True):
            archive.store_article(entry_id, article(f"https://x.example/{n}", text), [], analysis=analyse("", text, "en", book))
        assert len(archive.stale_articles(named.version)) == 2
        carried = archive.carry_analyses(book.version, named.version, lambda text: not could_hold(text, [NAME]))
        stale = archive.stale_articles(named.version)
    assert carried == 1 and [row[2] for row in stale] == [texts[0]]  # the one that names Veltora


NAMING_KO = [
    "소프트뱅크가 주도하는 일본 AI 기반 모델 합작사의 이름이 '벨트라(Veltora)'로 정해졌다고 회사 측이 밝혔다.",
    "합작사에는 소프트뱅크와 프리퍼드네트웍스 등 10여 개 기업이 출자하며, 경제산업성이 5년간 약 1조 엔을 지원한다.",
    "1조 파라미터 규모의 기반 모델을 개발해 일본 기업에 공개할 계획이다.",
]
# A general feed's entry that names the company by its new name only, in each language's form.
ONLY_THE_NAME_BY_LANG = {
    "en": ("Veltora opens trial model to 40 firms", ONLY_THE_NAME),
    "ja": (
        "ベルトラ、試作モデルを40社に先行公開",
        [
            "ベルトラは木曜日、最初のモデルの試験版を東京の約40社に先行して公開した。",
            "各社は来年の本格公開を前に、自社の業務でシステムを試す。同社が明らかにした。",
            "技術者は冬の間に意見を集め、春に大型版を発表する予定だという。",
        ],
    ),
    "ko": (
        "벨트라, 시험 모델 40개사에 먼저 공개",
        [
            "벨트라는 목요일 첫 모델의 시험판을 도쿄의 약 40개 회사에 먼저 공개했다.",
            "각 회사는 내년 정식 공개에 앞서 자사 업무에서 시스템을 시험한다고 회사 측이 밝혔다.",
            "기술진은 겨울 동안 의견을 모아 봄에 더 큰 버전을 내놓을 예정이다.",
        ],
    ),
}


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
def test_a_general_feed_entry_naming_the_story_only_by_a_learned_name_is_read(sites, lang):
    """The entry's headline holds none of the general feed's keywords, only the company's new name.
    In the run that learns the name it was skipped before the name was learned: it is queued again
    and read in that run; a later entry is read at once."""
    server, first, tmp_path = sites
    naming = feed(server, "hankyoreh-like", [("ireum", "일본 AI 합작사 이름은 '벨트라'", NAMING_KO)], "ko", 12)
    title, paragraphs = ONLY_THE_NAME_BY_LANG[lang]
    general = feed(server, f"section-{lang}", [("trial", title, paragraphs)], lang, 20)
    general["kind"] = "general"
    db = tmp_path / "a.sqlite3"
    config = write_config(tmp_path / "feeds.yaml", [*first, naming, general])
    run(config, db)
    with sqlite3.connect(db) as conn:
        state, error = conn.execute("SELECT state, last_error FROM entries WHERE title = ?", [title]).fetchone()
        row = conn.execute("SELECT on_topic, relevance_reasons FROM articles WHERE title = ?", [title]).fetchone()
    assert state == "done" and error is None
    assert row is not None and row[0] == 1, row

    later_title = f"{title} (2)"
    second = feed(server, f"business-{lang}", [("trial2", later_title, paragraphs[::-1])], lang, 21)
    second["kind"] = "general"
    run(write_config(tmp_path / "feeds.yaml", [*first, naming, general, second]), db)
    with sqlite3.connect(db) as conn:
        state = conn.execute("SELECT state FROM entries WHERE title = ?", [later_title]).fetchone()[0]
    assert state == "done"


def test_an_entry_skipped_for_another_name_stays_skipped(sites):
    """Only the entries that use a learned name are queued again: an off-story entry stays skipped."""
    server, first, tmp_path = sites
    general = feed(server, "section-en", [("weather", "Snow expected in Sapporo this weekend", ["Heavy snow is forecast for Sapporo on Saturday and Sunday, the weather agency said."] * 3)], "en", 20)  # fmt: skip
    general["kind"] = "general"
    db = tmp_path / "a.sqlite3"
    run(write_config(tmp_path / "feeds.yaml", [*first, general]), db)
    with sqlite3.connect(db) as conn:
        state, error = conn.execute("SELECT state, last_error FROM entries WHERE title LIKE 'Snow expected%'").fetchone()
    assert state == "skipped" and "keyword" in error

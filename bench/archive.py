"""Archive benchmark: digest, search and view times on a big archive.

    python bench/archive.py --size 100000 [--runs 5] [--cache /tmp/monitor-bench]
    python bench/archive.py --size 100000 --with "CREATE INDEX ..."   # the same, on a copy with extra SQL

Builds, once per size under --cache, a synthetic archive with the real schema (opened with
`monitor.store.Archive` to migrate, then written in bulk with plain sqlite3): articles in ko, ja
and en, about 270 a day (100,000 make a year; busier on some days, quieter at weekends), each 6-12
sentences drawn from a pool of realistic sentences per language (the program, its budgets,
SoftBank, chips, Korean industry, and unrelated economy news) with random figures, so that words
such as 政府, 지원 or budget occur at realistic rates. Around it: the full-text index (rows made
with `monitor.text.search_text`, as the archive makes them), the facts of facts.yaml, fact
mentions for about 30% of the articles (1-5 each, some figures that differ from the tracked ones,
some new names), 50 feeds and one entry per article, copies of earlier same-language texts
(`duplicate_of`, about 10%) and stories (groups of 1-20 articles within 3 days, `story_id` = the
group's first article).

Then measures, as median and max over --runs runs (time.perf_counter, warm page cache):
- the digest of the busiest day (Asia/Seoul): build_digest, then render md, html and json (target < 1 s);
- Archive.search(query, limit=20) for 2- and 3-character CJK words, a longer one and English words
  (target < 100 ms);
- the README's views, as an analyst queries them (reference: 100 ms);
and prints the archive's file size. Whatever misses its mark is profiled: its EXPLAIN QUERY PLAN
(for the digest, its slowest statements, each with its plan).
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import time
from collections import defaultdict, deque
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.dates import iso
from monitor.digest import build_digest, render
from monitor.facts import load_factbook
from monitor.store import Archive
from monitor.store.facts import sync_facts
from monitor.text import content_hash, fts_query, search_text

BUILD_VERSION = 2  # part of the cached file's name: change it when the generator changes
START = datetime(2025, 4, 1, tzinfo=UTC)
PER_DAY = 270  # on average: 100,000 articles make a year
TIMEZONE = "Asia/Seoul"
DIGEST_TARGET = 1.0
SEARCH_TARGET = 0.100
VIEW_REFERENCE = 0.100
LANGS = ("ko", "ja", "en")
ON_TOPIC = 0.35  # share of articles about the program; most of them state a fact
COPIES = 0.10
JOIN_STORY = 0.6  # chance that a new text joins an open story instead of starting one

# -- the sentence pools ------------------------------------------------------------------------
# {f}: the figure of the sentence's fact; {n:a-b}: an integer in a..b; {d:a-b}: a decimal (one place).

FACT_SENTENCES = {
    "ja": [
        ("F1", "政府と民間企業は国産AIの開発に官民で総額{f}規模を投じる計画だ。"),
        ("F2", "経済産業省は2026年度から5年間で{f}を支援する。"),
        ("F3", "26年度予算案には国産AIの開発支援として{f}を計上した。"),
        ("F3", "初年度の予算は{f}に上積みされる見通しだ。"),
        ("F4", "ソフトバンクはデータセンターなど計算基盤に{f}を投資する。"),
        ("F5", "ソフトバンクなど{f}が出資する新会社を来春設立する。"),
        ("F6", "新会社にはソフトバンクやプリファードネットワークスの技術者{f}が集まる。"),
        ("F7", "開発する基盤モデルは{f}規模を目指す。"),
        ("F8", "完成した基盤モデルは日本企業に開放し、各社が自社の用途に合わせて使えるようにする。"),
        ("F9", "将来はロボットに搭載できるフィジカルAIへの応用も視野に入れる。"),
        ("F10", "海外のAIに依存し続けることは経済安全保障上のリスクになるとの懸念がある。"),
        ("F10", "生成AIの開発では米国と中国に後れを取っており、政府は巻き返しを急ぐ。"),
    ],
    "ko": [
        ("F1", "일본 정부와 민간은 자국산 AI 개발에 민관 합동으로 총 {f}을 투입할 계획이다."),
        ("F2", "경제산업성은 2026회계연도부터 5년간 {f}을 지원한다."),
        ("F3", "2026년도 예산안에는 AI 개발 지원 예산으로 {f}이 반영됐다."),
        ("F3", "첫해 지원금은 {f} 규모로 늘어날 전망이다."),
        ("F4", "소프트뱅크는 데이터센터 등 연산 기반에 {f}을 투자한다."),
        ("F5", "소프트뱅크와 Preferred Networks 등 {f} 기업이 참여하는 합작사가 내년 봄 출범한다."),
        ("F6", "합작사에는 소프트뱅크와 프리퍼드네트웍스 출신 엔지니어 {f}이 모인다."),
        ("F7", "목표는 {f}급 AI 기반 모델 개발이다."),
        ("F8", "완성된 모델은 일본 기업들이 자사 용도에 맞게 활용할 수 있도록 개방된다."),
        ("F9", "장기적으로는 로봇 등 피지컬 AI에 적용하는 것이 최종 목표다."),
        ("F10", "해외 AI에 의존하는 것은 경제·안보 리스크라는 지적이 나온다."),
        ("F10", "일본은 생성형 AI 분야에서 미국과 중국에 뒤처져 있다는 평가를 받는다."),
    ],
    "en": [
        ("F1", "Japan's government and private sector plan to spend about {f} in total on domestic AI."),
        ("F2", "The Ministry of Economy, Trade and Industry will provide about {f} in support over five years from fiscal 2026."),
        ("F3", "The draft budget for fiscal 2026 sets aside about {f} for the program."),
        ("F3", "The first-year allocation could rise to {f}, officials said."),
        ("F4", "SoftBank will invest {f} in data centers and computing for the project."),
        ("F5", "A new company owned by {f} including SoftBank and Preferred Networks will launch next spring."),
        ("F6", "About {f} from SoftBank and Preferred Networks will join the venture."),
        ("F7", "The goal is a foundation model with {f}."),
        ("F8", "The model will be made available to Japanese companies to tailor for their own uses."),
        ("F9", "Eventually the model could run robots, a field known as physical AI."),
        ("F10", "Officials say reliance on foreign AI is an economic and security risk."),
        ("F10", "Japan has fallen behind the United States and China in generative AI and wants to catch up."),
    ],
}  # fmt: skip

# Per fact: the tracked figure first (agrees), then one that differs (a candidate update). The
# values are the same in every language, so a differing figure is one candidate across languages.
FIGURES = {
    "F1": ("JPY", [(3e12, {"ja": "約3兆円", "ko": "약 3조엔", "en": "3 trillion yen"}),
                   (2e12, {"ja": "約2兆円", "ko": "약 2조엔", "en": "2 trillion yen"})]),
    "F2": ("JPY", [(1e12, {"ja": "約1兆円", "ko": "약 1조엔", "en": "1 trillion yen"}),
                   (1.2e12, {"ja": "1兆2000億円", "ko": "1조2000억엔", "en": "1.2 trillion yen"})]),
    "F3": ("JPY", [(3e11, {"ja": "約3000億円", "ko": "약 3000억엔", "en": "300 billion yen"}),
                   (3.873e11, {"ja": "3873億円", "ko": "3873억 엔", "en": "387.3 billion yen"})]),
    "F4": ("JPY", [(2e12, {"ja": "2兆円", "ko": "2조엔", "en": "2 trillion yen"}),
                   (2.5e12, {"ja": "2兆5000億円", "ko": "2조5000억엔", "en": "2.5 trillion yen"})]),
    "F5": ("firms", [(10, {"ja": "十数社", "ko": "10여 개", "en": "about ten firms"}),
                     (20, {"ja": "約20社", "ko": "20여 개", "en": "some 20 companies"})]),
    "F6": ("people", [(100, {"ja": "約100人", "ko": "약 100명", "en": "100 engineers"}),
                      (150, {"ja": "約150人", "ko": "약 150명", "en": "150 engineers"})]),
    "F7": ("parameters", [(1e12, {"ja": "1兆パラメーター", "ko": "1조 파라미터", "en": "1 trillion parameters"}),
                          (1.5e11, {"ja": "1500億パラメーター", "ko": "1500억 파라미터", "en": "150 billion parameters"})]),
}  # fmt: skip
DIFFERS = 0.12  # share of figure mentions with the differing figure

NAME_SENTENCES = {  # F5 with a new name for the company
    "ja": ("新会社の社名は「日本AIファウンデーション」とする。", "日本AIファウンデーション"),
    "ko": ("합작사의 사명은 '일본 AI 파운데이션'으로 정해졌다.", "일본 AI 파운데이션"),
    "en": ("The joint company will be named Japan AI Foundation.", "Japan AI Foundation"),
}
NAMED = 0.03  # share of on-topic articles that give the name

TOPICAL = {  # about the program, chips, SoftBank and Korean industry, no tracked fact
    "ja": [
        "政府関係者によると、支援の対象や条件は年内に詰める。",
        "半導体の国内生産を巡っては、ラピダスが2ナノ品の試作を進めている。",
        "政府は半導体とAIの分野に{n:100-900}億円規模の追加支援を検討している。",
        "ソフトバンクグループの決算は純利益が{n:1000-9000}億円となった。",
        "国内の計算資源は不足しており、GPUの調達競争が激しくなっている。",
        "韓国政府も独自の基盤モデル開発に{n:1000-9000}億ウォンを投じる方針を示した。",
        "サムスン電子とSKハイニックスはAI向けの高帯域メモリーの増産を急ぐ。",
        "関係者は「日本語に強いモデルを国内で持つ意義は大きい」と話す。",
        "経産省の担当者は予算の執行状況を毎年検証するとしている。",
        "プリファードネットワークスは自社の大規模言語モデルの性能を{n:5-40}%改善したと発表した。",
        "データセンターの電力需要は{d:1-4}倍に増える見通しで、政府は送電網の整備を急ぐ。",
        "読売新聞によると、政府は来年度予算の概算要求でAI関連に重点配分する。",
    ],
    "ko": [
        "경산성 관계자는 지원 대상 기업을 연내 확정할 것이라고 밝혔다.",
        "한국 정부도 독자 AI 파운데이션 모델 프로젝트에 {n:1000-9000}억원을 지원한다.",
        "삼성전자와 SK하이닉스는 AI용 고대역폭메모리 투자를 {n:10-60}% 늘리기로 했다.",
        "업계에서는 일본의 대규모 지원이 국내 반도체 산업에 미칠 영향에 주목하고 있다.",
        "정부는 국내 AI 스타트업 지원을 위해 {n:100-900}억원 규모의 펀드를 조성한다.",
        "소프트뱅크그룹의 순이익은 {n:1000-9000}억엔으로 집계됐다.",
        "닛케이에 따르면 일본 정부는 데이터센터 전력 공급 지원도 검토하고 있다.",
        "라피더스는 2나노 반도체 시제품 생산을 시작했다.",
        "국내 기업들은 GPU 확보 경쟁에 나서며 투자 규모를 키우고 있다.",
        "전문가들은 한일 양국이 AI 분야에서 협력할 여지가 크다고 평가했다.",
        "네이버와 LG AI연구원도 자체 모델 고도화에 투자를 확대하고 있다.",
        "산업통상자원부는 AI 반도체 수출 지원 대책을 다음 달 발표한다.",
    ],
    "en": [
        "Tokyo has been courting chipmakers with subsidies worth {n:100-900} billion yen.",
        "Rapidus began trial production of 2-nanometer chips in Hokkaido.",
        "SoftBank Group reported a net profit of {n:100-999} billion yen for the quarter.",
        "Demand for GPUs has outstripped supply, pushing up the cost of computing.",
        "Seoul is funding its own foundation-model program with {n:100-900} billion won.",
        "Samsung Electronics and SK Hynix are expanding high-bandwidth memory output by {n:10-60} percent.",
        "Korean industry groups said Japan's plan could intensify competition for AI talent.",
        "According to Nikkei, the government is also weighing support for power supply to data centers.",
        "Analysts said the budget signals a shift toward industrial policy in Japan.",
        "The trade ministry will review the program's results every year.",
        "Preferred Networks said its latest language model improved by {n:5-40} percent on Japanese benchmarks.",
        "Critics question whether a trillion-yen bet can close the gap with U.S. tech giants.",
    ],
}  # fmt: skip

GENERAL = {  # unrelated economy news
    "ja": [
        "日銀は政策金利を{d:0-1}%に据え置くことを決めた。",
        "円相場は1ドル={n:140-160}円台で推移した。",
        "政府は物価高対策として電気・ガス料金の補助を{n:2-6}カ月延長する。",
        "東京株式市場で日経平均株価は前日比{n:50-900}円高で取引を終えた。",
        "総務省が発表した消費者物価指数は前年同月比{d:1-4}%上昇した。",
        "政府は来年度の税制改正で賃上げ促進税制を拡充する方針だ。",
        "財務省によると、国の借金は{n:1200-1400}兆円を超えた。",
        "自動車大手{n:4-9}社の決算は円安を追い風に増益となった。",
        "地方の中小企業では人手不足が深刻で、倒産件数は{n:600-1100}件に上った。",
        "政府は観光客の増加を受けて、地方空港の受け入れ体制を強化する。",
        "訪日客数は{n:200-380}万人と、単月で過去最多を更新した。",
        "大手銀行は住宅ローン金利を{d:0-2}%引き上げると発表した。",
        "政府と与党は年金制度の改正案を今国会に提出する予定だ。",
        "実質賃金は前年同月比{d:0-3}%減り、{n:2-30}カ月連続のマイナスとなった。",
        "百貨店の売上高は前年同月比{d:1-9}%増えた。",
        "国土交通省は物流対策の予算として{n:100-900}億円を要求した。",
    ],
    "ko": [
        "한국은행은 기준금리를 연 {d:2-4}%로 동결했다.",
        "원·달러 환율은 {n:1300-1480}원대에서 거래를 마쳤다.",
        "지난달 수출은 전년 동월 대비 {d:1-15}% 증가했다.",
        "코스피는 전 거래일보다 {d:0-3}% 오른 {n:2400-2900}에 장을 마감했다.",
        "통계청에 따르면 소비자물가는 전년 동월 대비 {d:1-4}% 올랐다.",
        "정부는 내수 활성화를 위해 소상공인 지원 예산을 {n:1-9}조원 늘리기로 했다.",
        "서울 아파트 매매가격은 {n:2-30}주 연속 상승했다.",
        "기획재정부는 올해 세수가 예상보다 {n:5-30}조원 부족할 것으로 내다봤다.",
        "현대차와 기아의 미국 판매량은 {n:5-20}만 대를 기록했다.",
        "정부는 가계부채 관리를 위해 대출 규제를 강화한다.",
        "중소기업 지원 정책의 실효성을 높여야 한다는 지적이 나온다.",
        "고용노동부는 지난달 취업자 수가 {n:10-40}만 명 늘었다고 밝혔다.",
        "국제 유가는 배럴당 {n:60-95}달러 선에서 등락했다.",
        "조선업계는 올해 수주 목표의 {n:40-99}%를 달성했다.",
        "정부와 여당은 반도체 특별법의 연내 처리를 추진한다.",
        "외국인 투자자들은 이달 들어 {n:1-5}조원어치를 순매수했다.",
    ],
    "en": [
        "The Bank of Japan kept its policy rate at {d:0-1} percent.",
        "The yen traded at around {n:140-160} to the dollar.",
        "Exports rose {d:1-15} percent from a year earlier, the finance ministry said.",
        "The Nikkei stock average closed {d:0-3} percent higher at {n:36000-42000}.",
        "Core consumer prices rose {d:1-4} percent in the month.",
        "The government approved an extra budget of {n:10-20} trillion yen to ease the impact of rising prices.",
        "Toyota raised its annual operating profit forecast to {d:3-5} trillion yen.",
        "Japan's public debt exceeds {n:1200-1400} trillion yen, the highest among major economies.",
        "Real wages fell {d:0-3} percent, extending the decline to {n:2-30} months.",
        "Foreign visitors to Japan reached {d:2-4} million in the month, a record.",
        "South Korea's central bank held its benchmark rate at {d:2-4} percent.",
        "The won weakened past {n:1300-1480} per dollar.",
        "Household debt in South Korea rose by {n:2-9} trillion won in the quarter.",
        "Hyundai Motor said U.S. sales rose {n:2-20} percent.",
        "Oil prices hovered around {n:60-95} dollars a barrel.",
        "The government will present its budget for the next fiscal year in December.",
    ],
}  # fmt: skip

OUTLETS = {
    "ko": ["한빛일보", "한강경제신문", "한누리통신", "서울경제일보", "아시아금융신문", "동방뉴스", "새날신문",
           "코리아테크", "미래경제", "연합소식"],
    "ja": ["東都新聞", "関東日報", "共栄通信", "大和経済新聞", "日の出新聞", "北斗通信", "浪速日報", "テック週報",
           "中央経済", "みなと新報"],
    "en": ["The Japan Ledger", "Asia Tech Wire", "Tokyo Business Review", "Korea Economic Post", "Pacific Markets Daily",
           "Seoul Herald Tribune", "Nippon Business Times", "Far East Wire", "Asia Chip Report", "Global Policy Wire"],
}  # fmt: skip
SECTIONS = ("economy", "tech", "politics")
FEEDS = 50

SEARCHES = {
    "2-char CJK": ["政府", "지원", "予算", "투자"],
    "3-char CJK": ["半導体", "경산성", "基盤モ"],
    "longer CJK": ["基盤モデル"],
    "English": ["SoftBank", "trillion", "budget"],
}
VIEWS = {
    "fact_daily": "SELECT * FROM fact_daily ORDER BY day DESC LIMIT 50",
    "fact_figures F3": "SELECT * FROM fact_figures WHERE fact_id = 'F3' ORDER BY reported_at",
    "outlet_firsts": "SELECT * FROM outlet_firsts ORDER BY stories_first DESC, first_share DESC",
    "syndication_groups": "SELECT * FROM syndication_groups ORDER BY copies DESC LIMIT 20",
    "stories": "SELECT * FROM stories ORDER BY first_reported_at DESC LIMIT 20",
    "candidate_updates": "SELECT * FROM candidate_updates ORDER BY first_seen",
}
# The statement Archive.search runs (monitor/store/archive.py), for its query plan.
SEARCH_SQL = """SELECT a.id, a.url, a.title, a.lang, a.source, a.reported_at, a.duplicate_of, a.story_id, a.text
   FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
   WHERE articles_fts MATCH :query AND (:lang IS NULL OR a.lang = :lang)
     AND (:since IS NULL OR a.reported_at >= :since)
   ORDER BY rank LIMIT :limit"""

_PLACEHOLDER = re.compile(r"\{([nd]):(\d+)-(\d+)\}")


# -- building ----------------------------------------------------------------------------------


def _fill(rng: random.Random, template: str) -> str:
    def figure(match: re.Match) -> str:
        low, high = int(match.group(2)), int(match.group(3))
        return str(rng.randint(low, high)) if match.group(1) == "n" else f"{rng.uniform(low, high):.1f}"

    return _PLACEHOLDER.sub(figure, template)


def _joined(lang: str, sentences: list[str]) -> str:
    """Sentences as paragraphs of 2-3 (Japanese without spaces between sentences)."""
    glue = "" if lang == "ja" else " "
    paragraphs, i = [], 0
    while i < len(sentences):
        take = 2 + (i // 2) % 2
        paragraphs.append(glue.join(sentences[i : i + take]))
        i += take
    return "\n\n".join(paragraphs)


def _title(lang: str, sentence: str) -> str:
    text = sentence.rstrip("。.")
    limit = 72 if lang == "en" else 30
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut.rsplit(" ", 1)[0] if lang == "en" else cut) + "…"


def _article_text(
    rng: random.Random, lang: str, on_topic: bool, sentences: tuple[int, int]
) -> tuple[list[str], list[tuple]]:
    """The sentences of a new text and its fact mentions (fact, sentence index, figure, value, unit,
    agrees, name): an on-topic text states 0-5 facts among program news and general news; another
    text is general news with some look-alikes (chips, SoftBank, Korean industry)."""
    count = rng.randint(*sentences)
    chosen: list[tuple[str, tuple | None]] = []  # (sentence, mention without its index)
    if on_topic:
        facts = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5]) if rng.random() > 0.12 else 0
        for fact_id, template in rng.sample(FACT_SENTENCES[lang], facts):
            if fact_id in FIGURES:
                unit, variants = FIGURES[fact_id]
                differs = rng.random() < DIFFERS
                value, written = variants[1 if differs else 0]
                figure = written[lang]
                chosen.append((template.replace("{f}", figure), (fact_id, figure, value, unit, int(not differs), None)))
            else:
                chosen.append((template, (fact_id, None, None, None, None, None)))
        if rng.random() < NAMED:
            sentence, name = NAME_SENTENCES[lang]
            chosen.append((sentence, ("F5", None, None, None, None, name)))
    pools = {"topical": [], "general": []}  # drawn without repeats until a pool runs out (long texts)

    def draw(kind: str) -> tuple[str, None]:
        if not pools[kind]:
            source = TOPICAL[lang] if kind == "topical" else GENERAL[lang]
            pools[kind] = rng.sample(source, len(source))
        return _fill(rng, pools[kind].pop()), None

    if on_topic and not chosen:
        chosen.append(draw("topical"))  # the lead is program news
    share = 0.6 if on_topic else 0.2  # of program news (or look-alikes) among the other sentences
    while len(chosen) < count:
        chosen.append(draw("topical" if rng.random() < share else "general"))
    if on_topic:
        lead, rest = chosen[0], chosen[1:]
        rng.shuffle(rest)
        chosen = [lead, *rest]
    sentences = [sentence for sentence, _ in chosen]
    mentions = [(m[0], i, *m[1:]) for i, (_, m) in enumerate(chosen) if m is not None]
    return sentences, mentions


def _timestamps(rng: random.Random, size: int) -> list[datetime]:
    """`size` moments over size / PER_DAY days: quieter weekends, day-to-day noise and a few busy news days."""
    days = max(1, round(size / PER_DAY))
    weights = []
    spikes = set(rng.sample(range(days), min(6, days // 30)))
    for day in range(days):
        weekday = (START + timedelta(days=day)).weekday()
        weight = (0.6 if weekday >= 5 else 1.0) * rng.lognormvariate(0, 0.25)
        weights.append(weight * (2.5 if day in spikes else 1.0))
    chosen = rng.choices(range(days), weights=weights, k=size)
    return sorted(START + timedelta(days=day, seconds=rng.randrange(86400)) for day in chosen)


def _feeds(rng: random.Random) -> list[dict]:
    feeds = []
    outlets = [(lang, outlet) for lang in LANGS for outlet in OUTLETS[lang]]
    for i in range(FEEDS):
        lang, outlet = outlets[i % len(outlets)]
        section = SECTIONS[i // len(outlets)]
        feeds.append({
            "id": i + 1, "name": f"{lang}-{OUTLETS[lang].index(outlet) + 1:02d}-{section}", "lang": lang,
            "url": f"https://{lang}{OUTLETS[lang].index(outlet) + 1}.example/rss/{section}.xml", "title": outlet,
            "weight": rng.uniform(0.3, 3.0),
        })  # fmt: skip
    return feeds


def build_archive(path: Path, size: int, sentences_per_text: tuple[int, int] = (6, 12), seed: int = 7) -> None:
    """A synthetic archive of `size` articles, written in bulk (see the module's docstring)."""
    rng = random.Random(seed)
    with Archive(path) as archive:  # the schema
        sync_facts(archive.db, load_factbook(ROOT / "facts.yaml"))
    moments = _timestamps(rng, size)
    end = moments[-1] + timedelta(minutes=10)
    feeds = _feeds(rng)
    by_lang = {lang: [f for f in feeds if f["lang"] == lang] for lang in LANGS}
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    with conn:
        for f in feeds:
            failing = f["id"] % 17 == 0
            conn.execute(
                """INSERT INTO feeds (id, name, url, lang, kind, title, poll_interval, interval_s, last_polled_at,
                   last_status, error_count, failure_weight, next_poll_at, last_success_at, last_error)
                   VALUES (?,?,?,?,'general',?,1800,1800,?,?,?,?,?,?,?)""",
                [f["id"], f["name"], f["url"], f["lang"], f["title"], iso(end),
                 "error: 503 Service Unavailable" if failing else "ok", 4 if failing else 0, 2.0 if failing else 0,
                 iso(end + timedelta(hours=2 if failing else 0.5)), iso(end - timedelta(days=1 if failing else 0)),
                 "503 Service Unavailable" if failing else None],
            )  # fmt: skip
    recent: dict[str, deque] = {lang: deque() for lang in LANGS}  # originals of the last 2 days, per language
    open_stories: dict[bool, list[int]] = {True: [], False: []}
    stories: dict[int, list] = {}  # story id -> [first reported, size, target size]
    sizes = list(range(1, 21))
    size_weights = [k**-1.5 for k in sizes]
    rows: dict[str, list] = defaultdict(list)

    def open_story(on_topic: bool, at: datetime) -> int | None:
        candidates = open_stories[on_topic]
        for _ in range(4):
            if not candidates:
                return None
            k = rng.randrange(len(candidates))
            story = stories[candidates[k]]
            if story[1] < story[2] and at - story[0] <= timedelta(days=3):
                return candidates[k]
            candidates[k] = candidates[-1]
            candidates.pop()
        return None

    def flush() -> None:
        with conn:
            conn.executemany(
                """INSERT INTO articles (id, url, title, lang, source, published_at, published_offset, fetched_at,
                   reported_at, text, on_topic, relevance_score, relevance_reasons, facts_version, duplicate_of,
                   story_id, summary, extraction, text_chars, content_hash, feed_id)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'[]','bench',?,?,'','page',?,?,?)""",
                rows["articles"],
            )
            conn.executemany("INSERT INTO articles_fts (rowid, title, text) VALUES (?,?,?)", rows["fts"])
            conn.executemany("INSERT INTO article_urls (url, article_id) VALUES (?,?)", rows["urls"])
            conn.executemany(
                """INSERT INTO entries (feed_id, entry_key, link, title, published, first_seen_at, state, article_id)
                   VALUES (?,?,?,?,?,?,'done',?)""",
                rows["entries"],
            )
            conn.executemany(
                """INSERT INTO fact_mentions (article_id, fact_id, sentence, sentence_index, figure, value, unit,
                   agrees, name, approx, terms) VALUES (?,?,?,?,?,?,?,?,?,?,'[]')""",
                rows["mentions"],
            )
        rows.clear()

    for article_id, at in enumerate(moments, start=1):
        lang = rng.choices(LANGS, weights=(0.34, 0.33, 0.33))[0]
        while recent[lang] and at - recent[lang][0]["at"] > timedelta(days=2):
            recent[lang].popleft()
        original = None
        if recent[lang] and rng.random() < COPIES:
            for _ in range(5):
                candidate = rng.choice(recent[lang])
                story = stories[candidate["story"]]
                if story[1] < story[2] and at - story[0] <= timedelta(days=3):
                    original = candidate
                    break
        if original is not None:  # another outlet's copy: the same text, perhaps cut short
            others = [f for f in by_lang[lang] if f["title"] != original["outlet"]]
            feed = rng.choices(others, weights=[f["weight"] for f in others])[0]
            keep = max(4, len(original["sentences"]) - rng.choice([0, 0, 1, 2]))
            sentences = original["sentences"][:keep]
            mentions = [m for m in original["mentions"] if m[1] < keep]
            on_topic, story_id, title = original["on_topic"], original["story"], original["title"]
            duplicate_of = original["id"]
        else:
            feed = rng.choices(by_lang[lang], weights=[f["weight"] for f in by_lang[lang]])[0]
            on_topic = rng.random() < ON_TOPIC
            sentences, mentions = _article_text(rng, lang, on_topic, sentences_per_text)
            title = _title(lang, sentences[0])
            duplicate_of = None
            story_id = open_story(on_topic, at) if rng.random() < JOIN_STORY else None
            if story_id is None:
                story_id = article_id
                stories[story_id] = [at, 0, rng.choices(sizes, weights=size_weights)[0]]
                open_stories[on_topic].append(story_id)
            recent[lang].append({"id": article_id, "at": at, "outlet": feed["title"], "story": story_id, "title": title,
                                 "on_topic": on_topic, "sentences": sentences, "mentions": mentions})  # fmt: skip
        stories[story_id][1] += 1
        text = _joined(lang, sentences)
        url = f"https://{feed['url'].split('/')[2]}/{at:%Y/%m/%d}/{article_id}"
        published, fetched = iso(at), iso(at + timedelta(minutes=rng.randint(2, 40)))
        score = round(rng.uniform(2.0, 6.0) if on_topic else rng.uniform(0.0, 0.9), 2)
        rows["articles"].append((
            article_id, url, title, lang, feed["title"], published, "+09:00" if lang != "en" else "+00:00", fetched,
            published, text, int(on_topic), score, duplicate_of, story_id, len(text), content_hash(text), feed["id"],
        ))  # fmt: skip
        rows["fts"].append((article_id, search_text(title), search_text(text)))
        rows["urls"].append((url, article_id))
        rows["entries"].append((feed["id"], url, url, title, published, fetched, article_id))
        for fact_id, index, figure, value, unit, agrees, name in mentions:
            approx = int(bool(figure) and any(w in figure for w in ("約", "약", "about", "some")))
            rows["mentions"].append(
                (article_id, fact_id, sentences[index], index, figure, value, unit, agrees, name, approx)
            )
        if article_id % 5000 == 0:
            flush()
    flush()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def cached_archive(size: int, sentences: tuple[int, int], cache: Path, rebuild: bool) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    length = "" if sentences == (6, 12) else f"-s{sentences[0]}-{sentences[1]}"
    built = cache / f"archive-v{BUILD_VERSION}-{size}{length}.sqlite3"
    if rebuild or not built.exists():
        partial = built.with_name(built.name + ".partial")
        for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            stale.unlink(missing_ok=True)
        started = time.perf_counter()
        build_archive(partial, size, sentences)
        os.replace(partial, built)  # an interrupted build is never taken for a finished one
        print(f"built {size} articles in {time.perf_counter() - started:.0f} s ({built})")
    return built


# -- measuring ---------------------------------------------------------------------------------


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def verdict(times: list[float], target: float, label: str = "target") -> str:
    return "ok" if statistics.median(times) < target else f"MISSES {label} {target * 1000:.0f} ms"


def plan(db, sql: str, params=()) -> list[str]:
    """EXPLAIN QUERY PLAN as indented lines (rows are (id, parent, _, detail))."""
    rows = db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    parents = {row[0]: row[1] for row in rows}
    lines = []
    for row in rows:
        depth, parent = 0, row[1]
        while parent:
            depth, parent = depth + 1, parents.get(parent, 0)
        lines.append("    " + "  " * depth + row[3])
    return lines


class _Rows(list):
    def fetchone(self):
        return self[0] if self else None

    def fetchall(self):
        return list(self)


class TimedDatabase:
    """Stands in for the archive's Database in build_digest: every statement timed (rows fetched
    included), grouped by its SQL text."""

    def __init__(self, db) -> None:
        self.db = db
        self.spent: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.params: dict[str, object] = {}

    def execute(self, sql: str, params=None) -> _Rows:
        started = time.perf_counter()
        rows = _Rows(self.db.execute(sql, params).fetchall() if params is not None else self.db.execute(sql).fetchall())
        self.spent[sql] += time.perf_counter() - started
        self.calls[sql] += 1
        self.params.setdefault(sql, params)
        return rows

    def __getattr__(self, name: str):
        return getattr(self.db, name)


def busiest_day(db) -> tuple[date, int]:
    """The local day (Asia/Seoul: UTC+9 all year, no daylight saving) with the most articles."""
    day, count = db.execute(
        "SELECT date(reported_at, '+9 hours') AS day, count(*) FROM articles GROUP BY day ORDER BY 2 DESC, 1 LIMIT 1"
    ).fetchone()
    return date.fromisoformat(day), count


def measure_digest(archive: Archive, runs: int, profile: bool = False) -> None:
    db = archive.db
    day, count = busiest_day(db)
    now = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)  # 09:00 in Seoul the next day
    print(f"\n== digest of the busiest day, {day} ({TIMEZONE}): {count} articles; target {DIGEST_TARGET * 1000:.0f} ms")
    totals, parts = [], defaultdict(list)
    digest = None
    outputs = {}
    for _ in range(runs):
        started = time.perf_counter()
        digest = build_digest(archive, day, TIMEZONE, now)
        built = time.perf_counter()
        parts["build_digest"].append(built - started)
        for fmt in ("md", "html", "json"):
            t = time.perf_counter()
            outputs[fmt] = render(digest, fmt)
            parts[f"render {fmt}"].append(time.perf_counter() - t)
        totals.append(time.perf_counter() - started)
    for name, times in parts.items():
        print(f"  {name:<24} median {ms(statistics.median(times))}  max {ms(max(times))}")
    print(
        f"  {'total':<24} median {ms(statistics.median(totals))}  max {ms(max(totals))}  {verdict(totals, DIGEST_TARGET)}"
    )
    c = digest.counts
    lines = len(digest.stories) + len(digest.other_stories)
    print(f"  content: {c['articles']} articles, {c['on_topic']} on topic, {c['copies']} copies, {c['stories']} stories, "
          f"{c['fact_mentions']} mentions; {len(digest.updates)} updates, {len(digest.facts)} fact sections, "
          f"{lines} story lines; md {len(outputs['md']) // 1000} kB, html {len(outputs['html']) // 1000} kB, "
          f"json {len(outputs['json']) // 1000} kB")  # fmt: skip
    if profile or statistics.median(totals) >= DIGEST_TARGET:
        profile_digest(archive, day, now)


def profile_digest(archive: Archive, day: date, now: datetime, top: int = 5) -> None:
    db = archive.db
    timed_db = TimedDatabase(db)
    timed = copy.copy(archive)  # the same archive, its statements timed
    timed.db = timed_db
    build_digest(timed, day, TIMEZONE, now)
    spent = sorted(timed_db.spent.items(), key=lambda item: item[1], reverse=True)
    print(
        f"  profile: {sum(timed_db.calls.values())} statements, {sum(timed_db.spent.values()) * 1000:.0f} ms; slowest:"
    )
    for sql, seconds in spent[:top]:
        calls = timed_db.calls[sql]
        print(f"   {seconds * 1000:8.1f} ms in {calls} call(s): {' '.join(sql.split())[:150]}")
        print("\n".join(plan(db, sql, timed_db.params[sql] or ())))


def measure_search(archive: Archive, runs: int) -> None:
    print(f"\n== Archive.search(query, limit=20); target {SEARCH_TARGET * 1000:.0f} ms")
    misses = []
    for kind, queries in SEARCHES.items():
        for query in queries:
            times, results = timed(lambda query=query: archive.search(query, limit=20), runs)
            expression = fts_query(query)
            total = archive.db.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [expression]
            ).fetchone()[0]
            note = verdict(times, SEARCH_TARGET)
            print(f"  {kind:<11} {query:<10} median {ms(statistics.median(times))}  max {ms(max(times))}  "
                  f"{len(results):>2} returned of {total:>6} matching  {note}")  # fmt: skip
            if note != "ok":
                misses.append((query, expression))
    for query, expression in misses:
        print(f"  plan of the search for {query!r} ({expression}):")
        print("\n".join(plan(archive.db, SEARCH_SQL, {"query": expression, "lang": None, "since": None, "limit": 20})))


def measure_views(archive: Archive, runs: int) -> None:
    print(f"\n== the README's views (reference {VIEW_REFERENCE * 1000:.0f} ms)")
    misses = []
    for name, sql in VIEWS.items():
        times, rows = timed(lambda sql=sql: archive.db.execute(sql).fetchall(), runs)
        note = verdict(times, VIEW_REFERENCE, "reference")
        print(f"  {name:<19} median {ms(statistics.median(times))}  max {ms(max(times))}  {len(rows):>6} rows  {note}")
        if note != "ok":
            misses.append((name, sql))
    for name, sql in misses:
        print(f"  plan of {name}: {sql}")
        print("\n".join(plan(archive.db, sql)))


def describe(archive: Archive, path: Path) -> None:
    db = archive.db
    one = lambda sql: db.execute(sql).fetchone()[0]
    articles = one("SELECT count(*) FROM articles")
    mentioned = one("SELECT count(DISTINCT article_id) FROM fact_mentions")
    print(
        f"archive {path}: {path.stat().st_size / 1e6:.0f} MB; {articles} articles "
        f"({', '.join(f'{lang} {n}' for lang, n in db.execute('SELECT lang, count(*) FROM articles GROUP BY 1'))}), "
        f"{one('SELECT count(*) FROM feeds')} feeds, {one('SELECT count(*) FROM entries')} entries, "
        f"{one('SELECT sum(on_topic) FROM articles')} on topic, "
        f"{one('SELECT count(*) FROM fact_mentions')} fact mentions in {mentioned} articles ({mentioned / articles:.0%}), "
        f"{one('SELECT count(duplicate_of) FROM articles')} copies, {one('SELECT count(DISTINCT story_id) FROM articles')} stories "
        f"(largest {one('SELECT max(n) FROM (SELECT count(*) AS n FROM articles GROUP BY story_id)')}), "
        f"text {one('SELECT avg(text_chars) FROM articles'):.0f} characters on average"
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="articles in the archive")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement")
    parser.add_argument("--sentences", default="6-12", metavar="MIN-MAX",
                        help="sentences per text (6-12: about 400 characters; 30-50 is nearer real articles)")  # fmt: skip
    parser.add_argument("--cache", type=Path, default=Path("/tmp/monitor-bench"), help="where built archives are kept")
    parser.add_argument("--profile", action="store_true", help="profile the digest's statements even when it is fast")
    parser.add_argument("--rebuild", action="store_true", help="build the archive again even if it is cached")
    parser.add_argument("--with", dest="extra", action="append", default=[], metavar="SQL",
                        help="run this SQL (e.g. CREATE INDEX ...) on a copy of the archive and measure the copy")  # fmt: skip
    args = parser.parse_args()
    low, _, high = args.sentences.partition("-")
    sentences = (int(low), int(high or low))
    path = cached_archive(args.size, sentences, args.cache, args.rebuild)
    if args.extra:
        work = path.with_name(path.stem + "-with.sqlite3")
        shutil.copy(path, work)
        conn = sqlite3.connect(work)
        for statement in args.extra:
            started = time.perf_counter()
            conn.executescript(statement)
            print(f"applied in {time.perf_counter() - started:.1f} s: {statement}")
        conn.close()
        path = work
    with Archive(path) as archive:
        describe(archive, path)
        measure_digest(archive, args.runs, args.profile)
        measure_search(archive, args.runs)
        measure_views(archive, args.runs)
    if args.extra:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()

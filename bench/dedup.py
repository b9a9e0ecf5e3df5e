"""Near-duplicates and stories: the measurements behind the thresholds, and the cost per new article
as the archive grows.

    python bench/dedup.py --fixtures          # resemblance/containment of labeled copies vs the rest
    python bench/dedup.py --sizes 1000 10000 100000 [--new 200]

Scale runs build a synthetic archive (random text in the three scripts, 5% of it edited copies,
about 270 articles a day over a year, facts and figures drawn at random) once per size under
--cache, then store `--new` articles through `Archive.store_article` (signature, candidate lookup, copy
group, in the article's transaction) and `Archive.place_stories` after each and report time per article and the
memory the store step allocates (tracemalloc peak), which stays flat if the archive is not loaded.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from story_scoring import load_story_site, original_of

from monitor.dates import iso
from monitor.dedup import band_keys, containment, resemblance, signature
from monitor.facts import FactLinks
from monitor.facts.relevance import Relevance
from monitor.store import Analysis, Archive, NewArticle
from monitor.stories import StoryFeatures
from monitor.text import content_hash

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
EPOCH = date(1970, 1, 1)
PER_DAY = 270
_SCRIPTS = {
    "ja": [chr(c) for c in range(0x3041, 0x3094)] + [chr(c) for c in range(0x4E00, 0x4E00 + 2000)],
    "ko": [chr(c) for c in range(0xAC00, 0xAC00 + 2350)],
    "en": None,
}
_EN_WORDS = [
    "".join(random.Random(i).choice("abcdefghijklmnopqrstuvwxyz") for _ in range(random.Random(-i).randint(2, 9)))
    for i in range(5000)
]


def fixture_measurements() -> None:
    """Per language: the lowest resemblance/containment among labeled copy pairs, and the highest
    among pairs that are not copies (same language; independent reports of one event included)."""
    site = load_story_site()
    labeled = original_of(site)
    for lang in ("ko", "ja", "en"):
        articles = [a for a in site.articles if a.lang == lang]
        sigs = {a.id: signature("\n\n".join(a.paragraphs)) for a in articles}
        copies, others = [], []
        for a, b in combinations(articles, 2):
            sa, sb = sigs[a.id], sigs[b.id]
            r = resemblance(sa, sb)
            pair = (r, containment(sa, sb, r), a.id, b.id)
            (copies if labeled[a.id] == labeled[b.id] else others).append(pair)
        print(f"== {lang}: {len(copies)} copy pairs, {len(others)} other pairs")
        print(f"  copies: resemblance min {min(p[0] for p in copies):.3f}  containment min {min(p[1] for p in copies):.3f}")
        for r, c, a, b in sorted(copies)[:3]:
            print(f"    lowest: {r:.3f} / {c:.3f}  {a} ~ {b}")
        print(f"  others: resemblance max {max(p[0] for p in others):.3f}  containment max {max(p[1] for p in others):.3f}")
        for r, c, a, b in sorted(others, key=lambda p: p[1], reverse=True)[:3]:
            print(f"    highest: {r:.3f} / {c:.3f}  {a} ~ {b}")


def synthetic_text(rng: random.Random, lang: str, chars: int = 1200) -> str:
    alphabet = _SCRIPTS[lang]
    if alphabet is None:
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < chars:
            words.append(rng.choice(_EN_WORDS))
        return " ".join(words)
    return "".join(rng.choice(alphabet) for _ in range(chars))


def synthetic_features(rng: random.Random) -> StoryFeatures:
    facts = frozenset(rng.sample([f"F{i}" for i in range(1, 11)], rng.randint(0, 5))) if rng.random() < 0.3 else frozenset()
    figures = frozenset(f"JPY:{rng.randint(1, 999)}e+09" for _ in range(rng.randint(0, 2)))
    return StoryFeatures(facts, figures, frozenset(), frozenset())


def synthetic_article(rng: random.Random, index: int, at: datetime, text: str) -> NewArticle:
    lang = rng.choice(["ko", "ja", "en"])
    return NewArticle(
        url=f"https://news{index % 50}.example/{index}", title=f"article {index}", lang=lang, source=f"outlet {index % 50}",
        published_at=iso(at), published_offset="+09:00", fetched_at=iso(at + timedelta(minutes=5)), text=text,
        author="", summary="", extraction="page", extraction_note=None, text_chars=len(text),
        content_hash=content_hash(text), feed_id=None,
    )  # fmt: skip


def build_archive(path: Path, size: int, seed: int = 7) -> None:
    """A synthetic archive of `size` articles, written in bulk (stories: each its own, copies marked)."""
    rng = random.Random(seed)
    with Archive(path):
        pass  # the schema
    conn = sqlite3.connect(path)
    texts: list[str] = []
    step = timedelta(days=1) / PER_DAY
    with conn:
        for index in range(1, size + 1):
            lang = rng.choice(["ko", "ja", "en"])
            if texts and rng.random() < 0.05:
                original = rng.randrange(len(texts))
                text = texts[original][40:] + synthetic_text(rng, lang, 60)  # an edited copy
                duplicate_of = original + 1
            else:
                text, duplicate_of = synthetic_text(rng, lang), None
            texts.append(text)
            at = START + step * index
            conn.execute(
                """INSERT INTO articles (id, url, title, lang, source, published_at, fetched_at, reported_at, text,
                   extraction, text_chars, content_hash, duplicate_of, story_id, facts_version)
                   VALUES (?,?,?,?,?,?,?,?,?,'page',?,?,?,?,'bench')""",
                [index, f"https://news{index % 50}.example/{index}", f"article {index}", lang, f"outlet {index % 50}",
                 iso(at), iso(at), iso(at), text, len(text), content_hash(text), duplicate_of, index],
            )  # fmt: skip
            sig = signature(text)
            conn.execute("INSERT INTO article_signatures VALUES (?,?,?)", [index, sig.shingles, sig.to_bytes()])
            day = (at.date() - EPOCH).days  # the reported day, as monitor/store/stories.py keeps it
            conn.executemany("INSERT OR IGNORE INTO minhash_bands VALUES (?,?,?)", [(k, day, index) for k in band_keys(sig)])
            conn.execute("INSERT INTO story_features VALUES (?,?)", [index, synthetic_features(rng).to_json()])
    conn.close()


def measure(size: int, new: int, cache: Path) -> float:
    """Store `new` articles into an archive of `size`; returns the seconds per new article (signature + store)."""
    cache.mkdir(parents=True, exist_ok=True)
    built = cache / f"dedup-{size}.sqlite3"
    if not built.exists():
        started = time.perf_counter()
        build_archive(built, size)
        print(f"  built {size} articles in {time.perf_counter() - started:.0f} s ({built})")
    work = cache / f"dedup-{size}-work.sqlite3"
    shutil.copy(built, work)
    rng = random.Random(size)
    last = START + timedelta(days=1) / PER_DAY * size
    links = FactLinks(Relevance(False, 0.0, ()), (), ())
    with Archive(work) as archive:
        entry_ids = []
        with archive.db.atomic():
            archive.db.execute("INSERT INTO feeds (name, url, lang, kind, poll_interval) VALUES ('bench', 'x', 'en', 'general', 60)")
            for i in range(new + 20):
                entry_ids.append(archive.db.execute(
                    "INSERT INTO entries (feed_id, entry_key, link, first_seen_at) VALUES (1, ?, ?, ?)", [f"k{i}", f"l{i}", iso(last)]
                ).lastrowid)  # fmt: skip
        # Copies are of articles reported in the last week (a copy is looked for within COPY_WINDOW_DAYS).
        old_texts = [row[0] for row in archive.db.execute(
            "SELECT text FROM articles WHERE reported_at >= ? ORDER BY random() LIMIT ?", [iso(last - timedelta(days=7)), new]
        )]  # fmt: skip
        analyse_s = store_s = 0.0
        for i in range(new):
            lang = rng.choice(["ko", "ja", "en"])
            text = old_texts[i][30:] if i % 10 == 0 else synthetic_text(rng, lang)  # every tenth a copy of an old one
            article = synthetic_article(rng, size + 1 + i, last + timedelta(minutes=5 * (i + 1)), text)
            started = time.perf_counter()
            analysis = Analysis(links, "bench", signature(text), synthetic_features(rng))
            analyse_s += time.perf_counter() - started
            started = time.perf_counter()
            archive.store_article(entry_ids[i], article, [article.url], analysis=analysis)
            archive.place_stories()  # one article per batch: the steady state of a polled feed
            store_s += time.perf_counter() - started
        tracemalloc.start()
        for i in range(new, new + 20):
            text = synthetic_text(rng, "ja")
            article = synthetic_article(rng, size + 1 + i, last + timedelta(minutes=5 * (i + 1)), text)
            archive.store_article(entry_ids[i], article, [article.url], analysis=Analysis(links, "bench", signature(text), synthetic_features(rng)))
            archive.place_stories()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        # One article reported two days before the newest: the walk re-places what came after it.
        late_text = synthetic_text(rng, "en")
        late = synthetic_article(rng, size + new + 100, last - timedelta(days=2), late_text)
        entry = archive.db.execute(
            "INSERT INTO entries (feed_id, entry_key, link, first_seen_at) VALUES (1, 'late', 'late', ?)", [iso(last)]
        ).lastrowid
        started = time.perf_counter()
        archive.store_article(entry, late, [late.url], analysis=Analysis(links, "bench", signature(late_text), synthetic_features(rng)))
        archive.place_stories()
        late_s = time.perf_counter() - started
        copies = archive.db.execute("SELECT count(*) FROM articles WHERE id > ? AND duplicate_of IS NOT NULL", [size]).fetchone()[0]
    mb = work.stat().st_size / 1e6
    print(
        f"  {size:>7} archived: signature {analyse_s * 1000 / new:.2f} ms + store {store_s * 1000 / new:.2f} ms per new article; "
        f"store peak memory {peak / 1e3:.0f} kB; a late article (2 days back) {late_s * 1000:.0f} ms; "
        f"{copies}/{new // 10} planted copies found; file {mb:.0f} MB"
    )
    work.unlink()
    return (analyse_s + store_s) / new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", action="store_true", help="measure the labeled story fixtures")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--new", type=int, default=200, help="articles stored per size")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/monitor-bench"), help="where built archives are kept")
    args = parser.parse_args()
    if args.fixtures:
        fixture_measurements()
        return
    costs = {size: measure(size, args.new, args.cache) for size in args.sizes}
    if len(costs) > 1:
        small, large = min(costs), max(costs)
        print(f"  cost per new article at {large} / at {small}: {costs[large] / costs[small]:.2f}")


if __name__ == "__main__":
    main()

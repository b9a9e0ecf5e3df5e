"""Fact-linking benchmark: `link_facts` alone on the pages of bench/ingest.py's synthetic site, as
the pipeline extracts them, in one process. Prints CPU milliseconds per article: the first pass (the
definitions' patterns and screens made as the articles need them, as a fresh worker makes them) and
the best of the next passes (the steady cost), in all and per language.

    python bench/link.py [--articles 600] [--passes 3]

The link stage's share of bench/ingest.py's figure is the steady cost plus the first pass's extra
spread over a worker's articles; this isolates it from extraction, storage and the other processes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from ingest import synthetic_site  # noqa: E402

from monitor.demo.site import article_path, render_article  # noqa: E402
from monitor.extract import extract_article, headline  # noqa: E402
from monitor.facts import load_factbook, link_facts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()

    site = synthetic_site(args.articles, 20)
    base = "http://127.0.0.1:1/"
    texts = []
    for article in site.articles:  # (extracted as monitor.pages.read_page does, not linked yet)
        lang = site.outlets[article.outlet].lang
        extracted = extract_article(render_article(site, article, base), base + article_path(article), lang_hint=lang, headline_hint=article.title)
        published = extracted.published.utc_iso if extracted.published else None
        texts.append((headline(extracted.title, article.title), extracted.text, extracted.lang or lang, published))
    book = load_factbook(ROOT / "facts.yaml")

    def one_pass() -> tuple[float, dict[str, list[float]]]:
        per: dict[str, list[float]] = defaultdict(list)
        started = time.process_time()
        for title, text, lang, published in texts:
            before = time.process_time()
            link_facts(title, text, lang, book, published)
            per[lang or "?"].append(time.process_time() - before)
        return time.process_time() - started, per

    first, _ = one_pass()
    passes = [one_pass() for _ in range(max(args.passes - 1, 1))]
    steady, per = min(passes, key=lambda p: p[0])
    n = len(texts)
    print(f"link_facts on {n} extracted pages ({sum(len(t[1]) for t in texts) // n} characters each on average), one process")
    print(f"first pass (patterns made as needed): {first / n * 1000:.2f} ms CPU per article")
    print(f"steady (best of {len(passes)}): {steady / n * 1000:.2f} ms CPU per article; "
          + ", ".join(f"{lang} {sum(v) / len(v) * 1000:.2f} ms ({len(v)})" for lang, v in sorted(per.items())))  # fmt: skip


if __name__ == "__main__":
    main()

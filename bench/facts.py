"""Fact-linking quality on the labeled set, per language: relevance, fact links, figure values,
differing figures (candidate updates) and attributions.

    python bench/facts.py [--facts facts.yaml] [--errors]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fact_scoring import LANGS, score  # noqa: E402

from monitor.facts import load_factbook  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", default=str(ROOT / "facts.yaml"))
    parser.add_argument("--errors", action="store_true", help="list every wrong decision")
    args = parser.parse_args()
    book = load_factbook(args.facts)
    for lang in LANGS:
        started = time.perf_counter()
        scores = score(lang, book)
        elapsed = time.perf_counter() - started
        print("\n".join(scores.lines()) + f"\n  time         {elapsed * 1000 / scores.articles:.1f} ms per article")
        if args.errors:
            for error in (scores.relevance.errors + scores.links.errors + scores.attribution.errors + scores.figure_errors):
                print("    " + error)


if __name__ == "__main__":
    main()

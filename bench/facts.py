"""Fact-linking quality on the labeled sets, per language: relevance, fact links, figure values,
differing figures (candidate updates) and attributions. Two sets: `development` (the rules were
written against it) and `heldout` (written afterwards, without sight of the rules).

    python bench/facts.py [--facts facts.yaml] [--errors]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fact_scoring import FIXTURES, LANGS, score

from monitor.facts import load_factbook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", default=str(ROOT / "facts.yaml"))
    parser.add_argument("--errors", action="store_true", help="list every wrong decision")
    args = parser.parse_args()
    book = load_factbook(args.facts)
    for name, root in (("development", FIXTURES), ("heldout", FIXTURES.parent / "facts-heldout")):
        print(f"== {name} set ({root.relative_to(ROOT)})")
        for lang in LANGS:
            started = time.perf_counter()
            scores = score(lang, book, root)
            elapsed = time.perf_counter() - started
            print("\n".join(scores.lines()) + f"\n  time         {elapsed * 1000 / max(scores.articles, 1):.1f} ms per article")
            if args.errors:
                errors = scores.relevance.errors + scores.links.errors + scores.attribution.errors + scores.figure_errors
                for error in errors:
                    print("    " + error)


if __name__ == "__main__":
    main()

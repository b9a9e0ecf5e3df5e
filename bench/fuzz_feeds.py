"""Fuzz pass of the feed stage: feedparser's corpus plus mutated copies through `parse_feed`,
each with an alarm; prints documents, time, exceptions escaping and hangs.

    python bench/fuzz_feeds.py [--count 6000] [--seed 11] [--limit 10]
"""

from __future__ import annotations

import argparse
import collections
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzzing import CORPUS, documents

from monitor.feeds import parse_feed


class Hang(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--limit", type=float, default=10.0, help="seconds one document may take before it counts as a hang")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"no corpus at {CORPUS}")

    def alarm(*_):
        raise Hang()

    signal.signal(signal.SIGALRM, alarm)
    kinds = collections.Counter()
    exceptions, hangs, slowest = [], [], (0.0, "")
    started = time.perf_counter()
    for label, data in documents(args.count, args.seed):
        kinds[label.split(":", 1)[0]] += 1
        t0 = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, args.limit)
        try:
            parse_feed(data, url="http://fuzz.example/feed.xml")
        except Hang:
            hangs.append(label)
        except Exception as exc:  # what the issue counts: anything escaping the feed stage
            exceptions.append(f"{label}: {type(exc).__name__}: {exc}"[:200])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.perf_counter() - t0
        slowest = max(slowest, (took, label))
    total = time.perf_counter() - started
    print(f"documents: {sum(kinds.values())} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print(f"time: {total:.1f}s ({1000 * total / sum(kinds.values()):.2f} ms per document); slowest {slowest[0]:.2f}s {slowest[1]}")
    print(f"exceptions escaping: {len(exceptions)}; hangs (> {args.limit:g}s): {len(hangs)}")
    for line in exceptions[:20] + hangs[:20]:
        print("  " + line)
    sys.exit(1 if exceptions or hangs else 0)


if __name__ == "__main__":
    main()

"""Hostile servers and feeds, measured (issue 11): each case is one `monitor run --once` process
against a real fault server on loopback, beside a good feed; prints the time the run took, its
peak RSS, the exit code, what the hostile feed's status says, and whether the good feed was stored.

    python bench/hostile.py [--deadline 5]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import write_config
from faults import FaultServer, double_gzip_bomb, gzip_bomb

from monitor.demo import FixtureServer

CASES = {
    "status line dripped (1 byte / 0.2 s)": "/drip-headers",
    "100 Continue forever": "/continue-forever",
    "gzip of empty blocks forever": "/empty-gzip-blocks",
    "gzip bomb (1 GiB)": "/gzip-bomb",
    "gzip, gzip bomb (1 GiB from 2.8 KB)": "/double-gzip",
    "entity 100,000 chars x 20,000": "/entity-feed.xml",
    "billion laughs": "/laughs.xml",
    "JSON nested 200,000 deep": "/deep.json",
    "JSON lone surrogate": "/surrogate.json",
    "JSON list where a date belongs": "/typed.json",
}


def run(folder: Path, feeds: list[dict], deadline: float) -> tuple[int, float, float, str]:
    config = write_config(folder / "feeds.yaml", feeds, timeout="1s", total_timeout=f"{deadline:g}s", robots_timeout="1s")
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "run", "--once", "--config", str(config), "--db", str(folder / "a.sqlite3")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    killer = threading.Timer(300, proc.kill)
    killer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    killer.cancel()
    return os.waitstatus_to_exitcode(status), time.monotonic() - started, usage.ru_maxrss / 1024, ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadline", type=float, default=5.0, help="total_timeout of every exchange, seconds")
    args = parser.parse_args()
    gzip_bomb(), double_gzip_bomb()
    print(f"{'case':40} {'exit':>4} {'seconds':>8} {'peak RSS':>9}  hostile feed status / good feed stored")
    with FixtureServer() as site, FaultServer() as faults:
        for label, path in CASES.items():
            with tempfile.TemporaryDirectory() as tmp:
                good = {"name": "good", "url": f"{site.base_url}/hanbit/feed.xml", "lang": "ko", "kind": "topical"}
                bad = {"name": "hostile", "url": faults.base_url + path, "lang": "en", "kind": "topical"}
                code, seconds, rss, _ = run(Path(tmp), [bad, good], args.deadline)
                with sqlite3.connect(Path(tmp) / "a.sqlite3") as db:
                    status = db.execute("SELECT last_status FROM feeds WHERE name = 'hostile'").fetchone()[0]
                    stored = db.execute("SELECT count(*) FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE f.name = 'good'").fetchone()[0]
            print(f"{label:40} {code:>4} {seconds:>8.1f} {rss:>7.0f} MB  {status[:70]} / {stored} stored")


if __name__ == "__main__":
    main()

"""Peak memory of a daemon over 10,000 articles: `monitor daemon`, as systemd runs it, on a
synthetic site of N articles (bench/ingest.py's site, served from a separate process), into a
fresh archive, until every article is stored; its resident memory (RSS) and its extraction
workers', summed, sampled five times a second.

    python bench/memory.py --articles 10000 --feeds 50 [--processes 2]

Prints the peak of the sum (the goal: at most 200 MB), the peak of the daemon's own process and of
its largest worker, how long the daemon took and how many articles it stored.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import synthetic_site  # noqa: E402
from served import served  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def descendants(pid: int) -> list[int]:
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
        for child in children:
            found += [child, *descendants(child)]
    return found


def stored(db: Path) -> tuple[int, int]:
    """(articles, pending entries) in the archive, read while the daemon writes (WAL)."""
    if not db.exists():
        return 0, 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            pending = conn.execute("SELECT count(*) FROM entries WHERE state = 'pending'").fetchone()[0]
            return articles, pending
        finally:
            conn.close()
    except sqlite3.Error:
        return 0, 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--processes", default="auto", help="extraction worker processes (auto: one per core)")
    parser.add_argument("--verbose", action="store_true", help="print the memory every 2 seconds")
    args = parser.parse_args()

    with served(lambda: synthetic_site(args.articles, args.feeds)) as base_url, tempfile.TemporaryDirectory() as folder:
        site = synthetic_site(args.articles, args.feeds)
        project = yaml.safe_load((ROOT / "feeds.yaml").read_text(encoding="utf-8"))
        defaults = dict(project["defaults"], per_host_min_interval=0, per_host_concurrency=8, allow_private=["127.0.0.0/8"],
                        min_text_chars=50, daemon_tick="5s", facts=str(ROOT / "facts.yaml"),
                        processes=args.processes if args.processes == "auto" else int(args.processes))  # fmt: skip
        defaults["digest"] = dict(defaults["digest"], folder=str(Path(folder) / "digests"))
        feeds = [{"name": key, "url": f"{base_url}/{key}/feed.xml", "lang": outlet.lang, "kind": "topical"}
                 for key, outlet in site.outlets.items()]  # fmt: skip
        config = Path(folder) / "feeds.yaml"
        config.write_text(yaml.safe_dump({"defaults": defaults, "feeds": feeds}, allow_unicode=True), encoding="utf-8")
        db = Path(folder) / "monitor.sqlite3"
        started = time.monotonic()
        daemon = subprocess.Popen(
            [sys.executable, "-m", "monitor", "daemon", "--config", str(config), "--db", str(db)],
            stdout=subprocess.DEVNULL, stderr=open(Path(folder) / "daemon.log", "w"),
        )  # fmt: skip
        peak_sum = peak_main = peak_worker = 0
        peak_processes = 1
        samples = 0
        last_check = 0.0
        articles = pending = 0
        try:
            while daemon.poll() is None:
                pids = descendants(daemon.pid)
                main_kb = rss_kb(daemon.pid)
                workers = [rss_kb(pid) for pid in pids]
                peak_main = max(peak_main, main_kb)
                peak_worker = max([peak_worker, *workers])
                peak_sum = max(peak_sum, main_kb + sum(workers))
                peak_processes = max(peak_processes, 1 + len(pids))
                samples += 1
                now = time.monotonic()
                if now - last_check > 2:
                    last_check = now
                    articles, pending = stored(db)
                    if args.verbose:
                        print(f"  {now - started:5.0f} s: {articles} articles, daemon {main_kb / 1024:.0f} MB, "
                              f"workers {' + '.join(f'{kb / 1024:.0f}' for kb in workers) or '-'} MB", flush=True)  # fmt: skip
                    if articles >= args.articles and pending == 0:
                        break
                time.sleep(0.2)
        finally:
            elapsed = time.monotonic() - started
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(60)
            except subprocess.TimeoutExpired:
                daemon.kill()
        log = (Path(folder) / "daemon.log").read_text(encoding="utf-8", errors="replace").splitlines()
        cycles = [line for line in log if "cycle" in line]
    print(f"daemon over {args.articles} articles in {args.feeds} feeds, processes {args.processes} "
          f"({os.cpu_count()} cores; load {os.getloadavg()[0]:.2f})")  # fmt: skip
    print(f"stored {articles} articles ({pending} pending) in {elapsed:.0f} s; {samples} samples of RSS")
    print(f"peak RSS, all processes summed: {peak_sum / 1024:.0f} MB (goal <= 200 MB); the daemon's own process "
          f"{peak_main / 1024:.0f} MB, largest worker {peak_worker / 1024:.0f} MB, up to {peak_processes} processes at once")  # fmt: skip
    for line in cycles[-4:]:
        print("  " + line[-400:])


if __name__ == "__main__":
    main()

"""Feed documents for fuzzing the feed stage: feedparser's own corpus (read in place from
`../shared/corpora/feedparser`) and mutated copies of it (truncations, random bytes, deep nesting,
entity declarations, JSON shapes). Shared by tests/test_corpus_feeds.py and bench/fuzz_feeds.py."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "feedparser"


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".xml", ".json"))


def _mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(["truncate", "bytes", "nest", "entity", "splice", "json", "tags", "repeat"])
    if kind == "truncate":
        return kind, data[: rng.randrange(len(data) + 1)]
    if kind == "bytes":
        out = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return kind, bytes(out)
    if kind == "nest":
        depth = rng.choice([100, 1000, 20_000])
        at = rng.randrange(len(data) + 1)
        return kind, data[:at] + b"<a>" * depth + data[at:]
    if kind == "entity":
        size, refs = rng.choice([(10, 10), (1000, 1000), (100_000, 2000)])
        head = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "' + b"x" * size + b'">]>'
        return kind, head + data.replace(b"<title>", b"<title>" + b"&e;" * refs, 1)
    if kind == "splice":
        a, b = sorted(rng.randrange(len(data) + 1) for _ in range(2))
        return kind, data[:a] + data[b:] + data[a:b]
    if kind == "json":
        return kind, rng.choice([
            b"[" * rng.choice([10, 1000, 100_000]),
            b'{"items": [' + b'{"url": "http://x.example/%d", "title": [1, {"a": null}], "date_published": {}},' * 50 + b"1]}",
            b'{"title": "\\ud800", "items": [{"url": "http://x.example/s\\udfff", "title": "\\udc00"}]}',
            b'{"items": "not a list"}',
            b'{"items": [' + b'"x",' * 1000 + b"null]}",
        ])  # fmt: skip
    if kind == "tags":
        junk = rng.choice([b"<item>", b"</channel>", b"<![CDATA[", b"<!--", b"&#xD800;", b"&#0;", b"\x00", b"<link>javascript:x</link>"])
        at = rng.randrange(len(data) + 1)
        return kind, data[:at] + junk * rng.randint(1, 50) + data[at:]
    return kind, data * rng.randint(2, 20)


def documents(count: int, seed: int = 11) -> Iterator[tuple[str, bytes]]:
    """The corpus itself, then mutated copies, `count` documents in all: (label, bytes)."""
    files = corpus_files()
    rng = random.Random(seed)
    produced = 0
    for path in files:
        if produced >= count:
            return
        produced += 1
        yield f"corpus:{path.relative_to(CORPUS)}", path.read_bytes()
    while produced < count:
        path = rng.choice(files)
        kind, data = _mutate(path.read_bytes(), rng)
        produced += 1
        yield f"{kind}:{path.relative_to(CORPUS)}", data

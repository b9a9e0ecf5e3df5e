"""Copies and stories in the archive: MinHash signatures with their LSH band keys, copy groups
(`articles.duplicate_of`), and story placement (`articles.story_id`).

Both are defined on the whole archive, so that ingesting articles one by one and `recluster` give
the same result whatever order the articles arrived in:
- copy groups are the connected components of the "is a copy" relation (monitor.dedup.is_copy
  between articles sharing a band key and reported within COPY_WINDOW_DAYS days of each other);
  duplicate_of points to the group's earliest article;
- stories are placed by walking the articles in the order they were reported (reported_at, id):
  an article joins the open story it shares most evidence with (monitor.stories.choose_story), a
  copy joins its original's story. Articles waiting for a story (new ones, copies whose original
  changed) are walked from the earliest of them, once per batch; the walk stops once a whole
  WINDOW of articles kept the story they had, as nothing later depends on older ones.
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache
from datetime import date, datetime
from typing import Iterator

from monitor.store.db import Database

from monitor.dates import iso
from monitor.dedup import COPY_WINDOW_DAYS, Signature, band_keys, is_copy
from monitor.stories import SPAN, WINDOW, Member, StoryFeatures, place

_EPOCH = date(1970, 1, 1)
_EMPTY = StoryFeatures(frozenset(), frozenset(), frozenset(), frozenset())
_EMPTY_JSON = _EMPTY.to_json()
_BATCH = 1000


def save_signature(db: Database, article_id: int, sig: Signature) -> None:
    """Store a new article's signature and band keys, with its reported day (a stored text never
    changes, nor its signature, nor when it was reported)."""
    db.execute(
        "INSERT INTO article_signatures (article_id, shingles, minhash) VALUES (?, ?, ?)",
        [article_id, sig.shingles, sig.to_bytes()],
    )
    day = _reported_day(db, article_id)
    db.executemany(
        "INSERT INTO minhash_bands (key, day, article_id) VALUES (?, ?, ?) ON CONFLICT (key, day, article_id) DO NOTHING",
        [(key, day, article_id) for key in band_keys(sig)],
    )


def _reported_day(db: Database, article_id: int) -> int:
    """An article's reported day as the band index keeps it: whole days since 1970-01-01 of the
    date of `reported_at` (UTC), the day of SQLite migration 012 and PostgreSQL migration 003."""
    reported = db.execute("SELECT reported_at FROM articles WHERE id = ?", [article_id]).fetchone()[0]
    return (date.fromisoformat(reported[:10]) - _EPOCH).days


def save_features(db: Database, article_id: int, features: StoryFeatures) -> None:
    db.execute(
        """INSERT INTO story_features (article_id, features) VALUES (?, ?)
           ON CONFLICT (article_id) DO UPDATE SET features = excluded.features""",
        [article_id, features.to_json()],
    )


def copies_of(db: Database, article_id: int, sig: Signature) -> list[int]:
    """Stored articles whose text is a copy of this one's: the candidates share a band key and were
    reported within COPY_WINDOW_DAYS days of it (read from the index, whatever the archive's size),
    then each is checked."""
    keys = band_keys(sig)
    day = _reported_day(db, article_id)
    rows = db.execute(
        f"""SELECT s.article_id, s.shingles, s.minhash FROM article_signatures s
            WHERE s.article_id IN (SELECT article_id FROM minhash_bands
                                   WHERE key IN ({','.join('?' * len(keys))}) AND day BETWEEN ? AND ?)
              AND s.article_id != ?""",
        [*keys, day - COPY_WINDOW_DAYS, day + COPY_WINDOW_DAYS, article_id],
    ).fetchall()
    return [row[0] for row in rows if is_copy(sig, Signature.from_bytes(row[2], row[1]))]


def join_copies(db: Database, article_id: int, copies: list[int]) -> list[int]:
    """Put the article into one copy group with `copies` and their groups; the earliest article of
    the group becomes the original the others point to. Returns the articles whose duplicate_of
    changed."""
    if not copies:
        return []
    roots = {row[0] for row in db.execute(
        f"SELECT coalesce(duplicate_of, id) FROM articles WHERE id IN ({','.join('?' * len(copies))})", copies
    )}  # fmt: skip
    marks = ",".join("?" * len(roots))
    group = db.execute(
        f"""SELECT id, duplicate_of FROM articles WHERE id = ? OR id IN ({marks}) OR duplicate_of IN ({marks})
            ORDER BY reported_at, id""",
        [article_id, *roots, *roots],
    ).fetchall()
    original = group[0][0]
    changed = []
    for member, duplicate_of in group:
        wanted = None if member == original else original
        if duplicate_of != wanted:
            db.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", [wanted, member])
            changed.append(member)
    return changed


def place_stories(db: Database) -> int:
    """Place every article waiting for its story (story_id NULL: new articles, copies whose
    original changed, re-analysed ones): walk the articles in reported order from the earliest of
    them, (re)placing each. Returns how many articles changed story."""
    first = db.execute("SELECT reported_at, id FROM articles WHERE story_id IS NULL ORDER BY reported_at, id LIMIT 1").fetchone()
    if first is None:
        return 0
    start = tuple(first)
    last_change = db.execute("SELECT max(reported_at) FROM articles WHERE story_id IS NULL").fetchone()[0]
    walk = _StoryWalk(db, start)
    changed = 0
    for article_id, reported_at, duplicate_of, story_id, features in _articles_from(db, start):
        since = iso(datetime.fromisoformat(reported_at) - WINDOW)
        if story_id is not None and since > last_change:
            break  # every article a later one could join kept its story
        placed = walk.place(article_id, reported_at, since, duplicate_of, features)
        if placed != story_id:
            db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [placed, article_id])
            changed += 1
            last_change = max(last_change, reported_at)
        if walk.merged:
            changed += walk.merged
            walk.merged = 0
            last_change = max(last_change, reported_at)
    return changed


def recluster(db: Database) -> tuple[int, int]:
    """Rebuild every copy group and story from the stored signatures and features, by the same
    steps as ingest (call inside a transaction). Returns (articles whose duplicate_of changed,
    articles whose story changed)."""
    before = db.execute("SELECT id, duplicate_of, story_id FROM articles ORDER BY id").fetchall()
    db.execute("UPDATE articles SET duplicate_of = NULL, story_id = NULL")
    for article_id, shingles, minhash in db.execute("SELECT article_id, shingles, minhash FROM article_signatures").fetchall():
        join_copies(db, article_id, copies_of(db, article_id, Signature.from_bytes(minhash, shingles)))
    place_stories(db)
    after = db.execute("SELECT id, duplicate_of, story_id FROM articles ORDER BY id").fetchall()
    pairs = list(zip(before, after, strict=True))
    return sum(old[1] != new[1] for old, new in pairs), sum(old[2] != new[2] for old, new in pairs)


class _StoryWalk:
    """The open stories around the walk's position: the articles of the last WINDOW, in memory."""

    def __init__(self, db: Database, start: tuple[str, int]) -> None:
        self.db = db
        self.recent: deque[tuple[str, Member]] = deque()
        self.story_start: dict[int, str] = {}
        self.placed: dict[int, int] = {}  # story of each article placed by this walk
        self.merged = 0  # articles moved by the last merge of stories
        since = iso(datetime.fromisoformat(start[0]) - WINDOW)
        rows = db.execute(
            """SELECT a.id, a.reported_at, a.story_id, f.features, s.reported_at FROM articles a
               JOIN articles s ON s.id = a.story_id
               LEFT JOIN story_features f ON f.article_id = a.id
               WHERE a.reported_at >= ? AND (a.reported_at, a.id) < (?, ?)
               ORDER BY a.reported_at, a.id""",
            [since, *start],
        ).fetchall()
        for article_id, reported_at, story_id, features, story_start in rows:
            self.story_start[story_id] = story_start
            if features and features != _EMPTY_JSON:  # nothing to share: it can only be joined by its copies
                self.recent.append((reported_at, Member(article_id, story_id, _features(features))))

    def place(self, article_id: int, reported_at: str, since: str, duplicate_of: int | None, features: str | None) -> int:
        while self.recent and self.recent[0][0] < since:
            self.recent.popleft()
        own = _features(features)
        if duplicate_of is not None:
            story = self._story_of(duplicate_of)
        else:
            opened = iso(datetime.fromisoformat(reported_at) - SPAN)
            members = [member for _, member in self.recent if self._started(member.story_id) >= opened]
            story, others = place(own, members)
            if story is None:
                story = article_id
            elif others:
                story = self._merge([story, *others])
        if story == article_id:
            self.story_start[article_id] = reported_at
        if not own.empty:
            self.recent.append((reported_at, Member(article_id, story, own)))
        self.placed[article_id] = story
        return story

    def _merge(self, stories: list[int]) -> int:
        """Make open stories one: the earliest keeps its id; the others' articles move to it."""
        keep = min(stories, key=lambda s: (self._started(s), s))
        for other in stories:
            if other == keep:
                continue
            self.merged += self.db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", [keep, other]).rowcount
            self.recent = deque(
                (at, Member(m.article_id, keep, m.features) if m.story_id == other else m) for at, m in self.recent
            )
            self.placed = {a: (keep if s == other else s) for a, s in self.placed.items()}
        return keep

    def _story_of(self, article_id: int) -> int:
        if article_id in self.placed:
            return self.placed[article_id]
        row = self.db.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()
        return row[0] if row and row[0] is not None else article_id

    def _started(self, story_id: int) -> str:
        if story_id not in self.story_start:
            row = self.db.execute("SELECT reported_at FROM articles WHERE id = ?", [story_id]).fetchone()
            self.story_start[story_id] = row[0] if row else ""
        return self.story_start[story_id]


def _articles_from(db: Database, start: tuple[str, int]) -> Iterator[tuple]:
    """(id, reported_at, duplicate_of, story_id, features) from `start` on, in reported order, read
    in batches (the walk writes to the table as it goes)."""
    key = start
    inclusive = True
    while True:
        rows = db.execute(
            f"""SELECT a.id, a.reported_at, a.duplicate_of, a.story_id, f.features FROM articles a
                LEFT JOIN story_features f ON f.article_id = a.id
                WHERE (a.reported_at, a.id) {'>=' if inclusive else '>'} (?, ?)
                ORDER BY a.reported_at, a.id LIMIT ?""",
            [*key, _BATCH],
        ).fetchall()
        yield from rows
        if len(rows) < _BATCH:
            return
        key, inclusive = (rows[-1][1], rows[-1][0]), False


@lru_cache(maxsize=4096)
def _features(data: str | None) -> StoryFeatures:
    """Parsed once per distinct value: each walk reads again the window of articles before its
    start. Bounded (4,096: a window's worth in a busy archive); a cache as large as the archive
    stayed in a daemon's memory (20 MB over 10,000 articles, bench/memory.py)."""
    return StoryFeatures.from_json(data) if data else _EMPTY

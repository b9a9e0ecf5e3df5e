"""Scoring copy groups and stories against the labels of the story fixtures
(tests/fixtures/stories: `copy_of` and `story` in each article's front matter). Shared by
tests/test_stories.py and bench/dedup.py."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from fact_scoring import Counts

from monitor.demo.site import Article, Site, article_path, load_site

STORIES = Path(__file__).resolve().parent / "fixtures" / "stories"


def load_story_site() -> Site:
    return load_site(STORIES)


def original_of(site: Site) -> dict[str, str]:
    """Each article's labeled original: the article it copies (followed to the end), else itself."""
    by_id = {a.id: a for a in site.articles}
    result = {}
    for article in site.articles:
        current = article
        while current.copy_of:
            current = by_id[current.copy_of]
        result[article.id] = current.id
    return result


def story_of(article: Article) -> str:
    return article.story or article.id


@dataclass
class Clustering:
    copies: Counts  # over pairs of articles: 'same original', 'same story'
    stories: Counts
    purity: float  # share of articles whose story holds a majority of their event
    inverse_purity: float  # share of articles in the story holding most of their event
    articles: int

    def lines(self) -> list[str]:
        return [
            f"  copies   pairwise P {self.copies.precision:.3f} R {self.copies.recall:.3f} "
            f"({self.copies.tp + self.copies.fn} labeled pairs, {self.copies.tp + self.copies.fp} found)",
            f"  stories  purity {self.purity:.3f}  inverse purity {self.inverse_purity:.3f}  pairwise P "
            f"{self.stories.precision:.3f} R {self.stories.recall:.3f} ({self.articles} articles)",
        ]


def score_clustering(site: Site, found_original: dict[str, int], found_story: dict[str, int]) -> Clustering:
    """Compare the monitor's groups (article id -> original's archive id, -> story id) with the labels."""
    labeled_original = original_of(site)
    by_id = {a.id: a for a in site.articles}
    ids = sorted(found_story)
    pairs = list(combinations(ids, 2))
    copies, stories = Counts(), Counts()
    copies.add({p for p in pairs if found_original[p[0]] == found_original[p[1]]},
               {p for p in pairs if labeled_original[p[0]] == labeled_original[p[1]]}, "copy")
    stories.add({p for p in pairs if found_story[p[0]] == found_story[p[1]]},
                {p for p in pairs if story_of(by_id[p[0]]) == story_of(by_id[p[1]])}, "same story")  # fmt: skip
    clusters: dict[int, Counter] = {}
    events: dict[str, Counter] = {}
    for article_id in ids:
        clusters.setdefault(found_story[article_id], Counter())[story_of(by_id[article_id])] += 1
        events.setdefault(story_of(by_id[article_id]), Counter())[found_story[article_id]] += 1
    purity = sum(c.most_common(1)[0][1] for c in clusters.values()) / len(ids)
    inverse = sum(c.most_common(1)[0][1] for c in events.values()) / len(ids)
    return Clustering(copies, stories, purity, inverse, len(ids))


def archive_groups(db, site: Site, base_url: str) -> tuple[dict[str, int], dict[str, int]]:
    """(fixture id -> original's archive id, fixture id -> story id) as the archive holds them."""
    originals, stories = {}, {}
    for article in site.articles:
        row = db.execute(
            """SELECT coalesce(a.duplicate_of, a.id), a.story_id FROM article_urls u JOIN articles a ON a.id = u.article_id
               WHERE u.url = ?""",
            [base_url + article_path(article)],
        ).fetchone()
        if row is not None:
            originals[article.id], stories[article.id] = row
    return originals, stories

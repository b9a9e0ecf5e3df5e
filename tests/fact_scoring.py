"""Scores fact linking on the labeled set (tests/fixtures/facts/<lang>/*.md): relevance, fact
links, figure values, `agrees`, attributions. Shared by tests/test_fact_linking.py (floors) and
bench/facts.py (prints the figures)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from monitor.facts import FactBook, link_facts

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "facts"
LANGS = ("ko", "ja", "en")


def load_labeled(lang: str, root: Path = FIXTURES) -> list[dict]:
    articles = []
    for path in sorted((root / lang).glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        meta = yaml.safe_load(front)
        meta["body"] = body.strip()
        articles.append(meta)
    return articles


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, predicted: set, expected: set, label: str) -> None:
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)
        self.errors += [f"{label} extra {item}" for item in sorted(predicted - expected, key=str)]
        self.errors += [f"{label} missed {item}" for item in sorted(expected - predicted, key=str)]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Scores:
    lang: str
    articles: int = 0
    relevance: Counts = field(default_factory=Counts)
    links: Counts = field(default_factory=Counts)
    updates: Counts = field(default_factory=Counts)  # mentions with a differing figure
    attribution: Counts = field(default_factory=Counts)
    figures_exact: int = 0
    figures_total: int = 0
    agrees_right: int = 0
    figure_errors: list[str] = field(default_factory=list)

    @property
    def figure_rate(self) -> float:
        return self.figures_exact / self.figures_total if self.figures_total else 1.0

    def lines(self) -> list[str]:
        def pr(c: Counts) -> str:
            return f"P {c.precision:.3f} R {c.recall:.3f} (tp {c.tp}, fp {c.fp}, fn {c.fn})"

        return [
            f"{self.lang}: {self.articles} articles",
            f"  relevance    {pr(self.relevance)}",
            f"  fact links   {pr(self.links)}",
            f"  figures      {self.figures_exact}/{self.figures_total} exact ({self.figure_rate:.3f}); "
            f"agrees right {self.agrees_right}/{self.figures_total}",
            f"  updates      {pr(self.updates)}",
            f"  attribution  {pr(self.attribution)}",
        ]


def score(lang: str, book: FactBook, root: Path = FIXTURES) -> Scores:
    scores = Scores(lang)
    for article in load_labeled(lang, root):
        scores.articles += 1
        aid = article["id"]
        links = link_facts(article["title"], article["body"], lang, book)
        scores.relevance.add({aid} if links.relevance.on_topic else set(), {aid} if article["on_topic"] else set(), "relevance")
        body = [m for m in links.mentions if m.sentence.index >= 0]  # the labels are the body's sentences
        predicted = {(aid, m.fact_id, m.sentence.text) for m in body}
        expected = {(aid, m["fact"], m["sentence"]) for m in article["mentions"]}
        scores.links.add(predicted, expected, "link")
        differing = {(aid, m.fact_id, m.sentence.text) for m in body if m.agrees is False}
        scores.updates.add(differing, {(aid, m["fact"], m["sentence"]) for m in article["mentions"] if m["agrees"] is False}, "update")
        scores.attribution.add({(aid, a.outlet) for a in links.attributions}, {(aid, o) for o in article["attribution"]}, "attribution")
        for label in article["mentions"]:
            if label.get("value") is None:
                continue
            key = (label["fact"], label["sentence"])
            got = [m for m in links.mentions if (m.fact_id, m.sentence.text) == key and m.figure is not None]
            if not got:
                continue  # a missed link, counted there
            scores.figures_total += 1
            if any(math.isclose(m.figure.value, float(label["value"]), rel_tol=1e-9) and m.figure.unit == label["unit"] for m in got):
                scores.figures_exact += 1
            else:
                scores.figure_errors.append(f"{aid} {key[0]}: {[(m.figure.text, m.figure.value) for m in got]} vs {label['value']}")
            if any(m.agrees == label["agrees"] for m in got):
                scores.agrees_right += 1
    return scores

"""The labeled fact-linking set (tests/fixtures/facts/<lang>/): its labels hold together, and the
figure parser reads the labeled figures. (Relevance and fact links are scored by the fact-linking
issue on the same files.)"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from monitor.figures import find_figures

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "facts"
LANGS = ("ko", "ja", "en")


def load(lang: str) -> list[dict]:
    articles = []
    for path in sorted((FIXTURES / lang).glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        meta = yaml.safe_load(front)
        meta["body"] = body.strip()
        articles.append(meta)
    return articles


@pytest.mark.parametrize("lang", LANGS)
def test_labels_are_consistent(lang):
    articles = load(lang)
    assert len(articles) >= 25
    assert len({a["id"] for a in articles}) == len(articles)
    cases = {a["case"] for a in articles}
    assert {"report", "update", "conversion", "passing", "lookalike"} <= cases
    for article in articles:
        assert article["lang"] == lang
        if not article["on_topic"]:
            assert article["mentions"] == [], article["id"]
        for mention in article["mentions"]:
            assert mention["sentence"] in article["body"], (article["id"], mention["sentence"])
            if mention.get("figure"):
                assert mention["figure"] in mention["sentence"], (article["id"], mention["figure"])


@pytest.mark.parametrize("lang", LANGS)
def test_the_figure_parser_reads_the_labeled_figures(lang):
    """Share of labeled figures whose value and unit the parser finds, as the main figure, in the sentence."""
    found = total = 0
    misses = []
    for article in load(lang):
        for mention in article["mentions"]:
            if mention.get("value") is None:
                continue
            total += 1
            figures = [f for f in find_figures(mention["sentence"]) if f.conversion_of is None]
            if any(math.isclose(f.value, float(mention["value"]), rel_tol=1e-9) and f.unit == mention["unit"] for f in figures):
                found += 1
            else:
                misses.append((article["id"], mention["figure"], mention["value"], mention["unit"]))
    rate = found / total
    print(f"\n{lang}: {found}/{total} labeled figures read exactly ({rate:.1%}); misses: {misses}")
    assert rate >= 0.90, f"{lang}: {found}/{total} ({rate:.1%}); misses: {misses}"

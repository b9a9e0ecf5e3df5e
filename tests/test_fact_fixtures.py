"""The labeled fact-linking sets (tests/fixtures/facts/ and facts-heldout/, <lang>/*.md): their
labels hold together, and the figure parser reads the labeled figures. (Relevance and fact links
are scored in test_fact_linking.py.)"""

from __future__ import annotations

import math

import pytest

from monitor.figures import find_figures

from fact_scoring import FIXTURES, LANGS, load_labeled

SETS = {"development": (FIXTURES, 25), "heldout": (FIXTURES.parent / "facts-heldout", 12)}


def load(lang: str, labeled: str = "development") -> list[dict]:
    return load_labeled(lang, SETS[labeled][0])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("labeled", SETS)
def test_labels_are_consistent(lang, labeled):
    articles = load(lang, labeled)
    assert len(articles) >= SETS[labeled][1]
    assert len({a["id"] for a in articles}) == len(articles)
    cases = {a["case"] for a in articles}
    assert {"report", "update", "passing", "lookalike", "offtopic"} <= cases
    if labeled == "development":
        assert "conversion" in cases
    for article in articles:
        assert article["lang"] == lang
        if not article["on_topic"]:
            assert article["mentions"] == [], article["id"]
        for mention in article["mentions"]:
            assert mention["sentence"] in article["body"], (article["id"], mention["sentence"])
            if mention.get("figure"):
                assert mention["figure"] in mention["sentence"], (article["id"], mention["figure"])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("labeled", SETS)
def test_the_figure_parser_reads_the_labeled_figures(lang, labeled):
    """Share of labeled figures whose value and unit the parser finds, as the main figure, in the sentence."""
    found = total = 0
    misses = []
    for article in load(lang, labeled):
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

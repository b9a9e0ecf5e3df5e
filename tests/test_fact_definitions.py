"""facts.yaml: the project's file is valid, and each kind of bad definition is one clear error
naming the file, the entry and the field."""

from __future__ import annotations

import copy

import pytest

from monitor.lang.phrases import prepare
import yaml
from conftest import REPO

from monitor.facts import FactsError, load_factbook
from monitor.facts.definitions import factbook_from_dict

MINIMAL = {
    "story": {"anchors": {"ko": ["국산 AI"], "ja": ["国産AI"], "en": ["domestic AI"]}},
    "facts": [
        {
            "id": "F1",
            "statement": {"en": "About 3 trillion yen in all", "ja": "総額約3兆円"},
            "figure": {"value": 3e12, "unit": "JPY"},
            "terms": {"ko": [["민관"]], "ja": [["官民"]], "en": [["public-private"]]},
        }
    ],
    "outlets": {"names": {"Kyodo News": ["Kyodo", "共同通信"]}},
}


def test_the_project_facts_file_defines_f1_to_f10_in_three_languages():
    book = load_factbook(REPO / "facts.yaml")
    assert [fact.id for fact in book.facts] == [f"F{i}" for i in range(1, 11)]
    for fact in book.facts:
        assert set(fact.statement) == {"ko", "ja", "en"}
        assert set(fact.terms) == {"ko", "ja", "en"}
    assert book.fact("F3").figure.value == 3e11 and book.fact("F3").figure.unit == "JPY"
    assert book.fact("F7").figure.unit == "parameters"
    assert book.fact("F8").figure is None


def test_the_version_follows_the_definitions_not_the_formatting():
    assert factbook_from_dict(MINIMAL).version == factbook_from_dict(copy.deepcopy(MINIMAL)).version
    changed = copy.deepcopy(MINIMAL)
    changed["facts"][0]["figure"]["tolerance"] = 0.3
    assert factbook_from_dict(changed).version != factbook_from_dict(MINIMAL).version


def _broken(path: str, value):
    raw = copy.deepcopy(MINIMAL)
    target = raw
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is _DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return raw


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("facts.0.figure.unit", "yen", "unknown unit 'yen'"),
        ("facts.0.figure.tolerance", 1.5, "relative tolerance"),
        ("facts.0.figure.value", "lots", "not a number"),
        ("facts.0.statement", {"ko": "..."}, "at least 'en'"),
        ("facts.0.terms", {"ko": [["민관"]], "en": [["public-private"]]}, "no terms for ja"),
        ("facts.0.terms.en", [[]], "non-empty list of phrases"),
        ("facts.0.terms.de", [["öffentlich"]], "unknown language(s) de"),
        ("facts.0.colour", "blue", "unknown field(s): colour"),
        ("facts.0.id", _DELETE, "missing field(s): id"),
        ("story.anchors", {"ko": ["국산 AI"]}, "needs phrases for each of ko, ja, en"),
        ("story.began", "last winter", "expected a date (YYYY-MM-DD)"),
        ("outlets.names", [], "mapping of outlet name"),
        ("facts", [], "non-empty list of facts"),
        ("facts.0.terms.agreeing_only", "yes", "agreeing_only: true or false"),
        ("facts.0.terms.one_sentence", "yes", "one_sentence: true or false"),
        ("facts.0.terms.without_figure", "yes", "without_figure: true or false"),
        ("story.lookalikes", [{"name": "Rapidus", "rival": "yes", "en": ["Rapidus"]}], "rival: must be true or false"),
        ("story.lookalikes", [{"name": "India", "abroad": 1, "en": ["India"]}], "abroad: must be true or false"),
        ("story.members", {"en": ["SoftBank"]}, "members: expected a list of companies"),
        ("story.members_min", 1, "members_min: expected a whole number of at least 2"),
    ],
)
def test_a_bad_definition_says_where_and_what(path, value, message):
    with pytest.raises(FactsError) as error:
        factbook_from_dict(_broken(path, value), "facts.yaml")
    assert message in str(error.value) and str(error.value).startswith("facts.yaml")


def test_agreeing_only_needs_a_required_figure_or_with_figure():
    raw = _broken("facts.0.figure.optional", True)
    raw["facts"][0]["terms"]["agreeing_only"] = True
    with pytest.raises(FactsError, match="only for a fact with a figure"):
        factbook_from_dict(raw, "facts.yaml")
    raw["facts"][0]["terms"]["with_figure"] = True  # an optional figure: the set still needs it
    assert factbook_from_dict(raw, "facts.yaml").fact("F1").terms["en"][0].agreeing_only
    del raw["facts"][0]["terms"]["with_figure"]
    raw["facts"][0]["figure"]["optional"] = False
    assert factbook_from_dict(raw, "facts.yaml").fact("F1").terms["en"][0].agreeing_only


def test_a_fact_without_a_figure_needs_terms():
    raw = _broken("facts.0.figure", _DELETE)
    raw["facts"][0]["terms"] = {"ko": [], "ja": [["官民"]], "en": [["public-private"]]}
    with pytest.raises(FactsError, match="only a fact with a required figure"):
        factbook_from_dict(raw, "facts.yaml")


def test_duplicate_ids_and_duplicate_keys_are_refused(tmp_path):
    raw = copy.deepcopy(MINIMAL)
    raw["facts"].append(copy.deepcopy(raw["facts"][0]))
    with pytest.raises(FactsError, match="duplicate fact id"):
        factbook_from_dict(raw, "facts.yaml")
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(MINIMAL, allow_unicode=True) + "story: {}\n", encoding="utf-8")
    with pytest.raises(FactsError, match="'story' appears twice"):
        load_factbook(path)


def test_an_unreadable_or_invalid_file_is_an_error_not_a_traceback(tmp_path):
    with pytest.raises(FactsError, match="cannot read"):
        load_factbook(tmp_path / "missing.yaml")
    bad = tmp_path / "facts.yaml"
    bad.write_text("facts: [\n", encoding="utf-8")
    with pytest.raises(FactsError, match="not valid YAML"):
        load_factbook(bad)


def test_a_way_of_stating_a_fact_may_have_its_own_unless():
    raw = _broken("facts.0.figure.optional", False)
    raw["facts"][0]["terms"] = [
        {"en": [["public-private"]], "ko": [["민관"]], "ja": [["官民"]]},
        {"en": [["total"]], "ko": [["총액"]], "ja": [["総額"]], "unless": {"en": ["budget"], "ko": ["예산"], "ja": ["予算"]}},
    ]
    first, second = factbook_from_dict(raw, "facts.yaml").fact("F1").terms["en"]
    assert first.unless is None and second.unless is not None and second.unless.find(prepare("the budget", "en"))


def test_without_figure_excludes_with_figure():
    raw = _broken("facts.0.terms.without_figure", True)
    assert factbook_from_dict(raw, "facts.yaml").fact("F1").terms["en"][0].without_figure
    raw["facts"][0]["terms"]["with_figure"] = True
    with pytest.raises(FactsError, match="not with with_figure"):
        factbook_from_dict(raw, "facts.yaml")


def test_anchors_beside_name_the_program_only_with_their_companion():
    raw = copy.deepcopy(MINIMAL)
    raw["story"]["anchors_beside"] = [{"anchors": {"ko": ["기초 AI 모델"]}, "beside": {"ko": ["억 엔"]}}]
    story = factbook_from_dict(raw, "facts.yaml").story
    from monitor.lang.phrases import prepare

    assert story.anchor_in("ko", prepare("기초 AI 모델 개발에 3873억 엔이 배정됐다", "ko")) == "기초 AI 모델"
    assert story.anchor_in("ko", prepare("기초 AI 모델 개발에 1조원을 투입한다", "ko")) is None
    raw["story"]["anchors_beside"] = [{"anchors": {"ko": ["기초 AI 모델"]}}]
    with pytest.raises(FactsError, match="missing field"):
        factbook_from_dict(raw, "facts.yaml")

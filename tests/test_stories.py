"""Near-duplicates and stories: the pure parts (signatures, evidence) on small texts of our own, and
the whole pipeline on the story fixtures (tests/fixtures/stories: wire copies with edits, URL
variants, independent reports of one event in three languages, look-alikes from other events),
served over loopback and stored in a real archive."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from monitor.cli import main
from monitor.dedup import BANDS, Signature, band_keys, containment, is_copy, resemblance, signature, shingle_text
from monitor.demo import FixtureServer
from monitor.demo.site import article_path
from monitor.pipeline import Pipeline
from monitor.store import Archive
from monitor.stories import JOIN, MERGE, Member, StoryFeatures, choose_story, evidence, place

from conftest import REPO, site_config
from story_scoring import archive_groups, load_story_site, original_of, score_clustering

NOW = datetime(2026, 11, 24, tzinfo=timezone.utc)

JA = (
    "政府は国産の人工知能の基盤モデルを開発するため、官民で総額約3兆円規模を投じる方針を固めた。"
    "ソフトバンクなど十数社が出資する新会社を来春に設立し、経済産業省が5年間で約1兆円を支援する。"
    "新会社には技術者が集まり、1兆パラメーター規模のモデルを目指す。完成したモデルは国内企業に開放する。"
)
KO = (
    "일본 정부가 자국산 인공지능 기반 모델 개발에 민관 합동으로 약 3조엔을 투입한다. 소프트뱅크 등 10여 개 기업이 "
    "출자하는 합작사를 내년 봄 세우고, 경제산업성이 5년간 약 1조엔을 지원한다. 목표는 1조 파라미터급 모델이다."
)
EN = (
    "Japan will put about 3 trillion yen of public and private money into a domestic AI foundation model. "
    "A new company backed by SoftBank and about ten other firms will be set up next spring, and the trade "
    "ministry will provide about 1 trillion yen over five years. The target is a model with one trillion parameters."
)

# The same facts, written again by another reporter: not copies.
REWRITES = {
    "ja": "経済産業省は来年度から5年間、国産AIの開発に約1兆円を投じる。民間と合わせた規模は3兆円ほどになる見通しで、"
    "ソフトバンクを中心に十社あまりが新会社をつくる。狙いは1兆パラメーター級の基盤モデルで、国内の企業が使えるようにする。",
    "ko": "경산성은 내년도부터 5년 동안 국산 AI 개발에 1조엔가량을 쏟는다. 민간 투자까지 합치면 3조엔 규모가 될 전망이며, "
    "소프트뱅크를 중심으로 십여 개 회사가 새 법인을 만든다. 1조 파라미터 수준의 모델을 만들어 국내 기업에 풀 계획이다.",
    "en": "Tokyo's trade ministry is set to spend roughly 1 trillion yen across five years on a home-grown AI model, "
    "part of a push worth some 3 trillion yen once private money is counted. SoftBank will lead a venture of "
    "around ten companies aiming at a trillion-parameter system that local businesses can use.",
}


def features(facts=(), figures=(), sources=(), names=()) -> StoryFeatures:
    return StoryFeatures(frozenset(facts), frozenset(figures), frozenset(sources), frozenset(names))


# -- signatures ------------------------------------------------------------------------------


def test_shingles_ignore_width_case_spacing_and_punctuation():
    assert shingle_text("Ｓｏｆｔ Ｂａｎｋ、３兆円！") == shingle_text("soft-bank 3兆円") == "softbank3兆円"


@pytest.mark.parametrize(("lang", "text"), [("ja", JA), ("ko", KO), ("en", EN)])
def test_an_edited_copy_is_a_copy_and_a_rewrite_is_not(lang, text):
    sentences = text.replace("。", "。\n").replace(". ", ".\n").splitlines()
    edited = "\n".join(["(Wire) " + sentences[0], *sentences[1:-1]])  # byline added, last sentence cut
    original = signature(text)
    assert resemblance(original, signature(text)) == 1.0
    assert is_copy(original, signature(edited))
    rewrite = signature(REWRITES[lang])
    assert not is_copy(original, rewrite) and resemblance(original, rewrite) < 0.3


def test_a_cut_copy_is_contained_in_its_original():
    long = signature(JA * 3 + KO)  # the original runs on; the copy is its first part only
    cut = signature(JA)
    assert resemblance(long, cut) < 0.6
    assert containment(long, cut) > 0.9 and is_copy(long, cut)


def test_short_texts_have_no_signature():
    assert signature("政府が支援") is None and signature("") is None


def test_signatures_survive_storage_and_give_one_key_per_band():
    sig = signature(EN)
    assert Signature.from_bytes(sig.to_bytes(), sig.shingles) == sig
    keys = band_keys(sig)
    assert len(keys) == BANDS and all(-(2**63) <= key < 2**63 for key in keys)
    assert band_keys(signature(EN)) == keys  # the same in every process: no salted hash()


# -- evidence --------------------------------------------------------------------------------


def test_evidence_counts_facts_figures_sources_and_names():
    plan = features({"F1", "F2", "F5", "F7"}, sources={"Yomiuri Shimbun"})
    assert evidence(plan, features({"F1", "F2", "F5", "F7"})) == 1.0
    assert evidence(plan, features({"F1"})) < JOIN  # one restated fact is background, not the event
    budget = features({"F3"}, {"JPY:1.2e+11", "JPY:4.5e+10"})
    assert evidence(budget, features({"F1", "F3"}, {"JPY:1.2e+11", "JPY:4.5e+10"})) >= MERGE
    assert evidence(features(sources={"Yomiuri Shimbun"}), plan) == 0.25
    brief = features({"F1", "F2", "F7"})  # a brief restating three of the plan's facts is the plan
    assert evidence(brief, features({"F1", "F2", "F3", "F4", "F5", "F7", "F9"})) == 1.0
    assert evidence(features({"F9"}), features({"F3", "F9"})) < JOIN


def test_the_same_fact_with_another_figure_is_other_news():
    plan = StoryFeatures(frozenset({"F2", "F3", "F9"}), frozenset(), frozenset(), frozenset(), frozenset({"F2=", "F3="}))
    budget = StoryFeatures(frozenset({"F2", "F3", "F9"}), frozenset(), frozenset(), frozenset(), frozenset({"F3=3.87e+11"}))
    assert evidence(plan, replace(budget, values=frozenset({"F3="}))) == 1.0
    assert evidence(plan, budget) < JOIN


def test_a_new_figure_where_the_whole_story_gave_the_tracked_one_is_other_news_even_through_a_feature():
    # the plan's reports give F3 as "about 300 billion"; a feature two days on gives it no figure;
    # the budget's 387.3 billion does not join the plan's story through the feature
    plan = StoryFeatures(frozenset({"F2", "F3", "F7"}), frozenset(), frozenset(), frozenset(), frozenset({"F2=", "F3=", "F7="}))
    feature = StoryFeatures(frozenset({"F2", "F3", "F7"}), frozenset(), frozenset(), frozenset(), frozenset({"F2=", "F7="}))
    budget = StoryFeatures(frozenset({"F2", "F3", "F7"}), frozenset(), frozenset(), frozenset(), frozenset({"F2=", "F3=3.87e+11", "F7="}))
    members = [Member(1, 1, plan), Member(2, 1, feature)]
    assert evidence(budget, feature) >= JOIN  # alone, the feature would carry it in
    assert place(budget, members) == (None, [])
    assert place(budget, [Member(1, 1, plan)]) == (None, [])  # the plan's report alone keeps it out too
    # the other way round is not new news: a rounded report ("about 300 billion") may join a story
    # of 387.3 billion through its feature
    budget_story = [Member(3, 3, budget), Member(4, 3, feature)]
    assert place(replace(budget, values=frozenset({"F2=", "F3=", "F7="})), budget_story)[0] == 3
    # and two accounts of one count (eight investors, nine companies) stay one story
    launch = StoryFeatures(frozenset({"F5", "F7"}), frozenset(), frozenset(), frozenset(), frozenset({"F5=9", "F7="}))
    other = StoryFeatures(frozenset({"F5", "F7", "F2"}), frozenset(), frozenset(), frozenset(), frozenset({"F2="}))
    assert place(replace(launch, values=frozenset({"F5=8", "F7="})), [Member(5, 5, launch), Member(6, 5, other)])[0] == 5


def test_a_new_figure_for_a_fact_no_report_of_the_story_stated_is_other_news():
    # the plan's reports never speak of a budget line; the budget's report gives it 387.3 billion
    # beside the rounded "about 300 billion", and restates the plan's facts
    scoop = StoryFeatures(frozenset({"F1", "F2", "F5", "F7", "F9", "F10"}), frozenset(), frozenset(), frozenset(), frozenset({"F1=", "F2=", "F7="}))
    budget = StoryFeatures(frozenset({"F1", "F2", "F3", "F5", "F7", "F9", "F10"}), frozenset({"JPY:3.87e+11", "JPY:1.22e+14"}),
                           frozenset(), frozenset(), frozenset({"F1=", "F2=", "F3=", "F3=3.87e+11", "F7="}))  # fmt: skip
    assert evidence(budget, scoop) >= JOIN  # on the facts alone it would join
    assert place(budget, [Member(1, 1, scoop)]) == (None, [])
    # a story whose reports stated the fact (even without a figure) may take it
    told = replace(scoop, facts=scoop.facts | {"F3"})
    assert place(budget, [Member(1, 1, told)])[0] == 1
    # and an article with only the tracked figure for the untold fact is no new news
    assert place(replace(budget, values=frozenset({"F1=", "F2=", "F3=", "F7="})), [Member(1, 1, scoop)])[0] == 1


def test_an_article_that_reports_on_two_open_stories_makes_them_one():
    launch = features({"F2", "F3", "F5", "F9"}, {"JPY:3.87e+11"}, names={"Noetra"})
    members = [Member(2, 2, features({"F2", "F5", "F9", "F10"}, {"USD:6.16e+10"})), Member(4, 4, launch)]
    joined, merged = place(features({"F2", "F3", "F5", "F9"}, {"JPY:3.87e+11", "USD:6.16e+10"}), members)
    assert (joined, merged) == (4, [2])
    assert place(features({"F5", "F9"}), members)[1] == []  # weaker evidence joins, never merges


def test_choose_story_takes_the_best_open_story_and_the_earlier_one_on_ties():
    plan = features({"F1", "F2", "F7"})
    members = [Member(10, 10, features({"F1"})), Member(11, 7, plan), Member(12, 9, plan)]
    assert choose_story(plan, members) == 7
    assert choose_story(features({"F9"}), members) is None


# -- the pipeline on the story fixtures ------------------------------------------------------


@pytest.fixture(scope="module")
def story_site():
    return load_story_site()


def outlet_feeds(server, outlets) -> list[dict]:
    return [
        {"name": f"stories-{o.key}", "url": f"{server.base_url}/{o.key}/feed.xml", "lang": o.lang, "kind": "topical", "title": o.name}
        for o in outlets
    ]


def ingest(path, site, outlet_batches) -> tuple[dict, dict]:
    """Ingest the story site into a new archive at `path`, one run per batch of outlets (the order
    articles arrive in); returns the archive's groups keyed by fixture id."""
    with FixtureServer(site) as server, Archive(path) as archive:
        for outlets in outlet_batches:
            pipeline = Pipeline(archive, site_config(server, outlet_feeds(server, outlets)), clock=lambda: NOW)
            try:
                summary = pipeline.run_once()
            finally:
                pipeline.close()
            assert summary.entries_deferred == 0 and not summary.errors
        return archive_groups(archive.db, site, server.base_url)


def partition(groups: dict[str, int]) -> set[frozenset[str]]:
    members: dict[int, set[str]] = {}
    for fixture_id, group in groups.items():
        members.setdefault(group, set()).add(fixture_id)
    return {frozenset(m) for m in members.values()}


@pytest.fixture(scope="module")
def ingested(story_site, tmp_path_factory):
    path = tmp_path_factory.mktemp("stories") / "archive.sqlite3"
    originals, stories = ingest(path, story_site, [list(story_site.outlets.values())])
    return path, originals, stories


def test_every_fixture_article_is_stored_once(story_site, ingested):
    _, originals, stories = ingested
    assert set(stories) == {a.id for a in story_site.articles}
    assert all(story is not None for story in stories.values())


def test_copies_and_stories_meet_the_floors(story_site, ingested):
    _, originals, stories = ingested
    result = score_clustering(story_site, originals, stories)
    print("\n".join(result.lines()))
    assert result.copies.precision >= 0.98 and result.copies.recall >= 0.95, result.copies.errors
    assert result.purity >= 0.9, result.stories.errors
    # Purity alone rewards splitting everything: most articles must also be with their event.
    assert result.inverse_purity >= 0.8, result.stories.errors


def test_copies_point_to_the_earliest_copy_and_stories_to_their_first_report(story_site, ingested):
    path, originals, stories = ingested
    labeled = original_of(story_site)
    with Archive(path) as archive:
        for fixture_id, original in labeled.items():
            if original != fixture_id:
                row = archive.db.execute(
                    "SELECT a.duplicate_of FROM articles a WHERE a.id = ?", [originals[fixture_id]]
                ).fetchone()
                assert row is not None
        rows = archive.db.execute(
            """SELECT a.id, a.duplicate_of, a.story_id FROM articles a WHERE a.duplicate_of IS NOT NULL
                 AND (SELECT reported_at FROM articles o WHERE o.id = a.duplicate_of) > a.reported_at"""
        ).fetchall()
        assert rows == []  # never points to a later copy
        late_first = archive.db.execute(
            """SELECT count(*) FROM articles a JOIN articles s ON s.id = a.story_id
               WHERE (s.reported_at, s.id) > (a.reported_at, a.id)"""
        ).fetchone()[0]
        assert late_first == 0
        assert archive.db.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0] == 0


def test_events_a_week_apart_stay_apart_and_languages_join(story_site, ingested):
    _, _, stories = ingested
    by_event: dict[str, set[int]] = {}
    for article in story_site.articles:
        by_event.setdefault(article.story, set()).add(stories[article.id])
    launch, gpus = by_event["s3"], by_event["s4"]
    assert not launch & gpus  # the launch and the GPU order restate the same facts, eight days apart
    for event in ("s1", "s2", "s3"):
        main_story = max(by_event[event], key=lambda s: sum(stories[a.id] == s for a in story_site.articles))
        langs = {a.lang for a in story_site.articles if stories[a.id] == main_story}
        assert langs == {"ko", "ja", "en"}, event


def test_same_text_under_url_variants_is_one_article(story_site, ingested):
    path, _, _ = ingested
    variants = [a for a in story_site.articles if a.url_variants]
    assert variants
    with Archive(path) as archive:
        for article in variants:
            ids = {row[0] for row in archive.db.execute(
                "SELECT article_id FROM article_urls WHERE url LIKE ?", [f"%{article_path(article).replace('/articles/', '%/articles/')}%"]
            )}  # fmt: skip
            assert len(ids) == 1, article.id


def test_recluster_gives_what_incremental_ingest_gave(ingested, story_site):
    path, originals, stories = ingested
    with Archive(path) as archive:
        before = archive.db.execute("SELECT id, duplicate_of, story_id FROM articles ORDER BY id").fetchall()
        archive.db.execute("UPDATE articles SET story_id = NULL, duplicate_of = NULL")
        archive.recluster()
        after = archive.db.execute("SELECT id, duplicate_of, story_id FROM articles ORDER BY id").fetchall()
    assert after == before


def test_arrival_order_does_not_change_the_groups(story_site, ingested, tmp_path):
    _, originals, stories = ingested
    # Latest outlets first, one run each: copies arrive before their originals, late reports first.
    batches = [[outlet] for outlet in reversed(list(story_site.outlets.values()))]
    late_originals, late_stories = ingest(tmp_path / "late.sqlite3", story_site, batches)
    assert partition(late_originals) == partition(originals)
    assert partition(late_stories) == partition(stories)


def test_recluster_command(tmp_path, ingested):
    path, _, _ = ingested
    result = CliRunner().invoke(main, ["recluster", "--db", str(path), "--config", str(REPO / "feeds.yaml")])
    assert result.exit_code == 0, result.output
    assert "0 copy marks changed, 0 stories changed" in result.output


def test_an_archive_from_before_stories_gets_them_from_recluster(tmp_path, ingested):
    path, _, _ = ingested
    old = tmp_path / "old.sqlite3"
    with Archive(path) as archive:
        expected = archive.db.execute("SELECT id, duplicate_of, story_id FROM articles ORDER BY id").fetchall()
        archive.db.execute("VACUUM INTO ?", [str(old)])
    with Archive(old) as archive, archive.db.atomic():  # as migration 004 leaves an older archive
        for table in ("story_features", "article_signatures", "minhash_bands"):
            archive.db.execute(f"DELETE FROM {table}")
        archive.db.execute("UPDATE articles SET story_id = NULL, duplicate_of = NULL")
    result = CliRunner().invoke(main, ["recluster", "--db", str(old), "--config", str(REPO / "feeds.yaml")])
    assert result.exit_code == 0, result.output
    assert f"({len(expected)} articles analysed first)" in result.output
    with Archive(old) as archive:
        assert archive.db.execute("SELECT id, duplicate_of, story_id FROM articles ORDER BY id").fetchall() == expected

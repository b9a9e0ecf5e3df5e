"""Understanding measured end to end (issue 13), per language, on every labeled set: each set served
as news sites on loopback (tests/understanding.py), `monitor run --once` on the project's
defaults, the archive scored through SQL.

The floors below sit just under what was measured when they were set (bench/understanding.py
prints the figures), or at the issue's goal where the goal is met: they catch regressions. Where a
floor is under the goal, the goal is not met yet; the closing note of issue 13 lists those.
The held-out sets' first contact, before they prompted any change, is recorded in
tests/fixtures/understanding/<set>/FIRST-CONTACT.txt (heldout-13, heldout-r3, heldout-r4, heldout-r5, heldout-r6, heldout-r7, heldout-r8, heldout-r9, heldout-r10, heldout-r11, heldout-r12, heldout-r13, heldout-r14, heldout-r15, heldout-r16, heldout-r17, heldout-r18, heldout-r19, heldout-r20, heldout-r21, heldout-r22, heldout-r23, heldout-r24, heldout-r25, heldout-r26, heldout-r27, heldout-r28, heldout-r29, heldout-r30, heldout-r31, heldout-r32, heldout-r33, heldout-r34, heldout-r35, heldout-r36, heldout-r37, heldout-r38, heldout-r39, heldout-r40, heldout-r41, heldout-r42).
"""

from __future__ import annotations

import pytest

import understanding as u
from requirements import corpus_dir

UNDERSTANDING = u.TESTS / "fixtures" / "understanding"
GOALS = {"rel_p": 0.97, "rel_r": 0.95, "links_p": 0.95, "links_r": 0.90, "figures": 0.97, "agrees": 0.95,
         "purity": 0.90, "completeness": 0.90, "edges": 0.98, "sane": 0.98}  # fmt: skip

# Measured floors where under the goal (set, language, metric) -> floor.
FLOORS = {
    ("real-news", "ja", "rel_p"): 0.85,
    ("real-news", "ja", "links_p"): 0.87,
    ("heldout-r3", "en", "rel_r"): 0.93,  # the PM's "over 1 trillion yen for AI" (en-c-01)
    ("heldout-r6", "en", "figures"): 0.97,  # "a dozen" read as 12 where the writer labels the fact's 10
    # heldout-r7: at the goals since it was learned from (its first-contact figures: FIRST-CONTACT.txt)
    # heldout-r12: the FY2026 budget reports (E3) join the plan's story (E1) five days earlier: they
    # state the plan's total, its support and its company too, and give the budget line its tracked
    # figure, which no report of the plan gave (a penalty for such a fact cost completeness in nine sets)
    ("heldout-r12", "ko", "purity"): 0.88,
    ("heldout-r12", "ja", "purity"): 0.88,
    ("heldout-r12", "en", "sane"): 0.95,
    # heldout-r21: robot makers on the Prime Minister's speech (E0, en-u-16) name no program (LEARNED.txt)
    ("heldout-r21", "en", "rel_r"): 0.94,
    # heldout-r22: at the goals since it was learned from (its first-contact figures: FIRST-CONTACT.txt)
    # heldout-r23: "a dozen or so firms" read as 12, an outlet's "upward of 20 companies" beyond F5's
    # revision factor, "around ten in all" after its noun (LEARNED.txt)
    ("heldout-r23", "en", "figures"): 0.96,
    # heldout-r24: a leak's ranges stored as midpoints where the writers label the lower bound; a diary of
    # the week joins the budget's story (LEARNED.txt)
    ("heldout-r24", "ko", "figures"): 0.95,
    ("heldout-r24", "ko", "purity"): 0.89,
    ("heldout-r24", "ja", "purity"): 0.89,
    ("heldout-r24", "en", "purity"): 0.89,
    # heldout-r25: founders' blogs and a chief executive's email a week or two after the event open
    # stories of their own (LEARNED.txt)
    ("heldout-r25", "ko", "completeness"): 0.91,
    ("heldout-r25", "ja", "completeness"): 0.83,
    ("heldout-r25", "en", "completeness"): 0.91,
    # heldout-r28: an exit interview on E5 published apart from its story (LEARNED.txt)
    ("heldout-r28", "ko", "completeness"): 0.87,
    # heldout-r31: an association's two-line letterhead kept at a letter's start (LEARNED.txt)
    ("heldout-r31", "ja", "sane"): 0.96,
    ("heldout-r31", "ja", "edges"): 0.96,
    # heldout-r34: read together, the reporter's notebooks on E2 join the E0 story and the poster abstracts
    # a week or more after the trial open their own; an app listing's header lines, one <p>, kept (LEARNED.txt)
    ("heldout-r34", "ko", "purity"): 0.88,
    ("heldout-r34", "ko", "completeness"): 0.88,
    ("heldout-r34", "ja", "purity"): 0.88,
    ("heldout-r34", "ja", "completeness"): 0.88,
    ("heldout-r34", "ja", "sane"): 0.96,
    ("heldout-r34", "ja", "edges"): 0.96,
    ("heldout-r34", "en", "purity"): 0.88,
    ("heldout-r34", "en", "completeness"): 0.88,
    # heldout-r35: the editor's memos after the scoop (E1) join the budget story a day later (LEARNED.txt)
    ("heldout-r35", "ko", "purity"): 0.87,
    ("heldout-r35", "ja", "purity"): 0.87,
    ("heldout-r35", "en", "purity"): 0.87,
    # heldout-r37: a telegram written all in katakana (ja-x-17) is read as off topic, so the scoop's story
    # misses it (LEARNED.txt)
    ("heldout-r37", "ja", "completeness"): 0.85,
    # heldout-r39: children's picture books (a "thinking box" for the model) read as off topic, and Korean
    # ways of stating F8 that a review found too broad (LEARNED.txt)
    ("heldout-r39", "ko", "rel_r"): 0.93,
    ("heldout-r39", "ja", "rel_r"): 0.94,
    ("heldout-r39", "ko", "links_r"): 0.88,
    # heldout-r40: across languages, the Korean pair on the trial's bug bounty, a week after E7, is a story of
    # its own (LEARNED.txt)
    ("heldout-r40", "ko", "completeness"): 0.87,
}
SETS = {
    "heldout-13": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-13"), "heldout", "general"),
    "heldout-r3": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r3"), "heldout", "general"),
    "heldout-r4": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r4"), "heldout", "general"),
    "heldout-r5": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r5"), "heldout", "general"),
    "heldout-r6": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r6"), "heldout", "general"),
    "heldout-r7": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r7"), "heldout", "general"),
    "heldout-r8": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r8"), "heldout", "general"),
    "heldout-r9": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r9"), "heldout", "general"),
    "heldout-r10": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r10"), "heldout", "general"),
    "heldout-r11": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r11"), "heldout", "general"),
    "heldout-r12": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r12"), "heldout", "general"),
    "heldout-r13": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r13"), "heldout", "general"),
    "heldout-r14": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r14"), "heldout", "general"),
    "heldout-r15": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r15"), "heldout", "general"),
    "heldout-r16": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r16"), "heldout", "general"),
    "heldout-r17": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r17"), "heldout", "general"),
    "heldout-r18": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r18"), "heldout", "general"),
    "heldout-r19": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r19"), "heldout", "general"),
    "heldout-r20": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r20"), "heldout", "general"),
    "heldout-r21": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r21"), "heldout", "general"),
    "heldout-r22": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r22"), "heldout", "general"),
    "heldout-r23": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r23"), "heldout", "general"),
    "heldout-r24": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r24"), "heldout", "general"),
    "heldout-r25": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r25"), "heldout", "general"),
    "heldout-r26": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r26"), "heldout", "general"),
    "heldout-r27": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r27"), "heldout", "general"),
    "heldout-r28": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r28"), "heldout", "general"),
    "heldout-r29": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r29"), "heldout", "general"),
    "heldout-r30": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r30"), "heldout", "general"),
    "heldout-r31": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r31"), "heldout", "general"),
    "heldout-r32": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r32"), "heldout", "general"),
    "heldout-r33": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r33"), "heldout", "general"),
    "heldout-r34": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r34"), "heldout", "general"),
    "heldout-r35": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r35"), "heldout", "general"),
    "heldout-r36": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r36"), "heldout", "general"),
    "heldout-r37": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r37"), "heldout", "general"),
    "heldout-r38": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r38"), "heldout", "general"),
    "heldout-r39": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r39"), "heldout", "general"),
    "heldout-r40": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r40"), "heldout", "general"),
    "heldout-r41": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r41"), "heldout", "general"),
    "heldout-r42": (lambda: u.load_front_matter(UNDERSTANDING / "heldout-r42"), "heldout", "general"),
    "fixtures": (lambda: u.load_fact_fixtures(u.TESTS / "fixtures" / "facts") + u.load_fact_fixtures(u.TESTS / "fixtures" / "facts-heldout"),
                 "dev", "general"),  # fmt: skip
    "stories": (u.load_story_fixtures, "dev", "general"),
    # real-news came from a web search about the program: its excerpts are served as search feeds.
    "real-news": (u.load_real_news, "dev", "topical"),
}


@pytest.fixture(scope="module", params=sorted(SETS))
def measured(request, tmp_path_factory):
    name = request.param
    if name == "real-news":
        corpus_dir("real-news")
    load, templates, kind = SETS[name]
    items = load()
    with u.news_sites(items, u.load_templates(UNDERSTANDING / "templates" / templates), kind) as served:
        db = u.run_monitor(served.feeds, tmp_path_factory.mktemp(name))
        scores = u.score(db, items, served)
    print(f"\n== {name}\n" + u.report(scores))
    return name, scores


def values(s: u.LangScores) -> dict[str, float]:
    return {
        "rel_p": s.relevance.precision, "rel_r": s.relevance.recall, "links_p": s.links.precision,
        "links_r": s.links.recall, "figures": s.figures.rate, "agrees": s.agrees.rate, "purity": s.purity,
        "completeness": s.completeness, "edges": s.edges.rate, "sane": s.extraction.rate,
    }  # fmt: skip


@pytest.mark.parametrize("lang", u.LANGS)
def test_every_language_holds_its_floors(measured, lang):
    name, scores = measured
    got = values(scores[lang])
    floors = {metric: FLOORS.get((name, lang, metric), goal) for metric, goal in GOALS.items()}
    below = {metric: (round(got[metric], 3), floor) for metric, floor in floors.items() if got[metric] < floor - 1e-9}
    assert not below, f"{name} {lang}: below the floor (measured, floor): {below}\n" + "\n".join(scores[lang].errors[:40])


def test_a_paragraph_of_several_lines_may_come_out_as_one_line():
    # subtitles: a cue number, a timecode and the caption in one paragraph, one <p> on the page
    from datetime import datetime, timezone

    def item(paragraphs):
        return u.Item("x-01", "en", "Captions", paragraphs, datetime(2026, 6, 30, tzinfo=timezone.utc), "TV", True)

    cues = item(["1\n00:00:00,000 --> 00:00:03,400\nThe ministry picked the developer of the national model.",
                 "2\n00:00:03,400 --> 00:00:07,100\nIt is Noetra, the venture SoftBank set up in April."])
    errors: list[str] = []
    one_line = ("1 00:00:00,000 --> 00:00:03,400 The ministry picked the developer of the national model.\n"
                "2 00:00:03,400 --> 00:00:07,100 It is Noetra, the venture SoftBank set up in April.")
    assert u._sane(one_line, cues, errors) == (True, True)
    lines = ("00:00:00,000 --> 00:00:03,400\nThe ministry picked the developer of the national model.\n2\n"
             "00:00:03,400 --> 00:00:07,100\nIt is Noetra, the venture SoftBank set up in April.")
    assert u._sane(lines, cues, errors) == (True, True)
    assert errors == []
    # ... but a headline line before them is still no part of the body
    assert u._sane("Captions: the developer\n" + one_line, cues, errors) == (False, False)
    assert len(errors) == 1 and "starts with" in errors[0]
    # ... nor a line of a paragraph kept on its own, a headline inside the first paragraph
    headed = item(["Captions: the developer\nThe ministry picked the developer of the national model.", "It is Noetra."])
    assert u._sane("Captions: the developer\nThe ministry picked the developer of the national model.\nIt is Noetra.", headed, errors)[1] is False
    # ... and a rights notice of two lines kept whole does not stand for the last paragraph lost
    rights = item(["The ministry picked the developer of the national model, Noetra, on Tuesday.",
                   "It is the venture SoftBank set up in April with about ten other companies.",
                   "© 2026 Kyodo News\nAll rights reserved."])
    kept = "The ministry picked the developer of the national model, Noetra, on Tuesday.\n© 2026 Kyodo News All rights reserved."
    assert u._sane(kept, rights, errors)[1] is False


def test_an_emoji_without_its_invisible_joiner_is_the_same_line():
    # card news (heldout-r24): the extractor keeps printable characters only, so "👩‍💻" (woman, zero-width
    # joiner, laptop) comes out as "👩💻"; the line is the writer's, not a foreign one
    from datetime import datetime, timezone

    card = u.Item("x-02", "ko", "카드뉴스", ["1/3 일본 국산 AI 지원 확대", "\U0001F469\u200d\U0001F4BB 사람도 3배로", "3/3 끝"],
                  datetime(2026, 11, 20, tzinfo=timezone.utc), "Portal", True)
    errors: list[str] = []
    assert u._sane("1/3 일본 국산 AI 지원 확대\n\U0001F469\U0001F4BB 사람도 3배로\n3/3 끝", card, errors) == (True, True)
    # ... while a line the writer never wrote is still foreign
    assert u._sane("1/3 일본 국산 AI 지원 확대\n관련기사 보기\n3/3 끝", card, errors) == (False, True)

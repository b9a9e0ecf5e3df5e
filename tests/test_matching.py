"""Which known entry an aggregator's entry names (monitor.matching): headlines in their matching
form, and a match only when it is certain."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from monitor.matching import Known, Sighting, certain_match, title_key

NOON = datetime(2026, 3, 27, 3, 0, tzinfo=timezone.utc)


def test_title_key_drops_the_credited_outlet_and_what_is_not_a_word():
    assert title_key("Japan plans ¥3tn push for home-grown AI - The Japan Times", "The Japan Times") == title_key(
        "JAPAN PLANS ¥3TN PUSH FOR HOME‑GROWN AI", ""
    )
    assert title_key("国産AI支援、初年度は3873億円に上積み | 共栄通信", "共栄通信") == "国産ai支援初年度は3873億円に上積み"
    assert title_key("日 국산 AI 첫해 예산 3천873억엔 확정 - 한빛일보", "한빛일보") == title_key("日 국산 AI 첫해 예산 3천873억엔 확정")
    # A dash that is part of the headline stays when what follows is not the credited outlet.
    assert title_key("Tokyo - Seoul talks turn to AI chips", "Reuters") == "tokyoseoultalksturntoaichips"
    assert title_key("Briefing - Kyodo", "Kyodo") == ""  # too short to say which article it is


def sighting(key="japanplans3tnpushforhomegrownai", name="The Japan Times", url="https://www.japantimes.co.jp/", at=NOON):
    return Sighting(key, name, url, at)


def known(entry_id, link, state="done", article_id=None, outlet="The Japan Times", at=NOON):
    return Known(entry_id, link, state, article_id if article_id is not None or state != "done" else entry_id, outlet, at)


def test_a_match_needs_the_credited_site_and_a_close_time():
    ours = known(1, "https://www.japantimes.co.jp/news/2026/03/27/ai-push/")
    assert certain_match(sighting(), [ours]) == ours
    elsewhere = known(2, "https://english.kyodonews.net/news/2026/03/ai-push.html", outlet="Kyodo News")
    assert certain_match(sighting(), [elsewhere]) is None  # the same headline at another outlet: a wire copy
    late = known(3, "https://www.japantimes.co.jp/news/2026/04/02/ai-push/", at=NOON + timedelta(days=6))
    assert certain_match(sighting(), [late]) is None
    assert certain_match(sighting(at=None), [late]) == late  # the aggregator gave no time: site and headline decide


def test_several_articles_under_one_headline_are_not_a_match_unless_the_credited_name_decides():
    first = known(1, "https://www.japantimes.co.jp/news/a/")
    second = known(2, "https://www.japantimes.co.jp/news/b/")
    assert certain_match(sighting(), [first, second]) is None
    # One site, several outlets (a portal): the outlet the aggregator credits is the one.
    portal = [known(3, "https://news.portal.jp/a/1", outlet="共栄通信"), known(4, "https://news.portal.jp/a/2", outlet="東都新聞")]
    assert certain_match(sighting(name="共栄通信", url="https://news.portal.jp/"), portal) == portal[0]


def test_entries_of_one_article_count_once_and_the_stored_one_is_taken():
    stored = known(5, "https://www.japantimes.co.jp/news/x/", article_id=42)
    pending = known(6, "https://www.japantimes.co.jp/news/x/?utm_source=rss", state="pending")
    amp = known(7, "https://www.japantimes.co.jp/news/x/amp/", state="skipped")
    assert certain_match(sighting(), [pending, amp, stored]) == stored


def test_without_a_site_the_credited_name_must_agree():
    ours = known(1, "https://www.japantimes.co.jp/news/x/")
    assert certain_match(sighting(url=""), [ours]) == ours
    assert certain_match(sighting(url="", name="Nikkei Asia"), [ours]) is None
    assert certain_match(sighting(url="", name=""), [ours]) is None  # nothing says which outlet: ask

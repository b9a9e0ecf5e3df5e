from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config, parse_duration, parse_size
from monitor.text import fold, phrase_pattern

from conftest import REPO


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_project_feeds_file_is_valid_and_covers_three_languages_and_both_kinds():
    config = load_config(REPO / "feeds.yaml")
    langs = {(feed.lang, feed.kind) for feed in config.feeds}
    for lang in ("ko", "ja", "en"):
        assert (lang, "general") in langs and (lang, "topical") in langs
    assert config.fetch.user_agent.startswith("sovereign-ai-monitor/")
    assert set(config.keywords) == {"ko", "ja", "en"}
    # a corrections column is fetched from a general feed: it may set a figure of the story right
    assert {"바로잡습니다", "訂正", "correction*"} <= {word for words in config.keywords.values() for word in words}
    # ... and so is a roundup of the day's news, whose headline names no story (heldout-r24 ja-x-02)
    for lang, headline in (("ja", "イブニング・ブリーフ　6月30日（火）の5本"), ("ko", "[저녁 브리핑] 오늘의 주요 뉴스 5"),
                           ("en", "Evening Briefing: five things to know tonight")):
        assert phrase_pattern(config.keywords[lang]).search(fold(headline)), headline


def test_durations_and_sizes():
    assert parse_duration("30m") == 1800
    assert parse_duration(90) == 90
    assert parse_duration("1.5h") == 5400
    assert parse_size("10MB") == 10_000_000
    assert parse_size("512KiB") == 524288
    with pytest.raises(ValueError):
        parse_duration("soon")


@pytest.mark.parametrize(
    "feed, field, message",
    [
        ("{name: a, url: 'ftp://x', lang: ko, kind: general}", "url", "http(s) URL"),
        ("{name: a, url: 'https://x/f', lang: kr, kind: general}", "lang", "must be one of ko, ja, en"),
        ("{name: a, url: 'https://x/f', lang: ko, kind: news}", "kind", "topical, general"),
        ("{name: a, url: 'https://x/f', lang: ko}", "kind", "missing"),
        ("{name: a, url: 'https://x/f', lang: ko, kind: general, poll_interval: 10s}", "poll_interval", "at least 60"),
        ("{name: a, url: 'https://x/f', lang: ko, kind: general, poll_interval: often}", "poll_interval", "duration"),
        ("{name: a, url: 'https://x/f', lang: ko, kind: general, fetch: everything}", "fetch", "must be one of keywords, all"),
    ],
)
def test_bad_feed_entries_name_file_entry_and_field(tmp_path, feed, field, message):
    path = write(tmp_path, f"feeds:\n  - {{name: ok, url: 'https://ok/f', lang: en, kind: topical}}\n  - {feed}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    text = str(caught.value)
    assert str(path) in text and "feeds[1] (a)" in text and f"field '{field}'" in text and message in text


def test_duplicate_names_unknown_fields_and_bad_yaml(tmp_path):
    dup = write(tmp_path, "feeds:\n  - {name: a, url: 'https://x/1', lang: en, kind: topical}\n  - {name: a, url: 'https://x/2', lang: en, kind: topical}\n")
    with pytest.raises(ConfigError, match=r"feeds\[1\] \(a\): field 'name': duplicate"):
        load_config(dup)
    typo = write(tmp_path, "feeds:\n  - {name: a, url: 'https://x/1', lang: en, kind: topical, intervall: 5m}\n")
    with pytest.raises(ConfigError, match="unknown field.*intervall"):
        load_config(typo)
    broken = write(tmp_path, "feeds:\n  - name: a\n   url: [\n")
    with pytest.raises(ConfigError, match=r"line \d+, column \d+: invalid YAML"):
        load_config(broken)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.yaml")


def test_bad_defaults_are_reported(tmp_path):
    path = write(tmp_path, "defaults:\n  max_body_bytes: lots\nfeeds:\n  - {name: a, url: 'https://x/1', lang: en, kind: topical}\n")
    with pytest.raises(ConfigError, match="defaults: field 'max_body_bytes'"):
        load_config(path)
    path = write(tmp_path, "defaults:\n  keywords: {fr: [IA]}\nfeeds:\n  - {name: a, url: 'https://x/1', lang: en, kind: topical}\n")
    with pytest.raises(ConfigError, match="unknown language 'fr'"):
        load_config(path)


def test_general_feeds_are_read_whole_unless_told_otherwise(tmp_path):
    # the shipped file reads its general feeds whole; a file that says nothing reads them by keywords
    assert {feed.fetch for feed in load_config(REPO / "feeds.yaml").feeds if feed.kind == "general"} == {"all"}
    feeds = "feeds:\n  - {name: a, url: 'https://x/1', lang: en, kind: general}\n  - {name: b, url: 'https://x/2', lang: en, kind: general, fetch: keywords}\n"
    assert [feed.fetch for feed in load_config(write(tmp_path, feeds)).feeds] == ["keywords", "keywords"]
    config = load_config(write(tmp_path, "defaults:\n  fetch: all\n" + feeds))
    assert [feed.fetch for feed in config.feeds] == ["all", "keywords"] and config.general_fetch == "all"
    with pytest.raises(ConfigError, match="defaults: field 'fetch': must be one of keywords, all"):
        load_config(write(tmp_path, "defaults:\n  fetch: some\n" + feeds))


def test_the_projects_english_keywords_pass_a_headline_that_calls_the_developer_a_model_maker():
    # heldout-r16 en-p-01: a weekly digest's headline, "... and Japan picks its model-maker", was
    # skipped by the general feed's keyword filter
    pattern = phrase_pattern(load_config(REPO / "feeds.yaml").keywords["en"])
    assert pattern.search(fold("Policy weekly: a telecom tie-up, a privacy fine, and Japan picks its model-maker"))
    assert not pattern.search(fold("Nordic telecom operators agree to combine in an all-share deal"))


def test_keywords_take_hyphenated_words_and_gpus():
    # a procurement notice whose headline writes "data-centre" and names GPUs (heldout-r25 en-x-07)
    keywords = load_config(REPO / "feeds.yaml").keywords
    for lang, headline in (("en", "Request for proposals: GPU clusters and data-centre space"),
                           ("ko", "노에트라, GPU 서버 입찰 공고"), ("ja", "Noetra、GPUサーバーの調達公告")):
        assert phrase_pattern(keywords[lang]).search(fold(headline)), headline
    assert phrase_pattern(["data centre*"]).search(fold("colocation data-centre capacity"))
    assert not phrase_pattern(["data centre*"]).search(fold("data, centre-left"))

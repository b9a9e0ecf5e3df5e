"""The extraction stage against third-party corpora (shared/corpora, see its README sections 2 and 5).

* The ScrapingHub article-extraction benchmark (181 pages, mostly English): our scorer reproduces
  the published figures, and `extract_article` keeps F1 >= 0.95 on it.
* Real Korean and Japanese (and 2 English) news pages with expected values from fundus, newspaper4k,
  goose3, mozilla/readability, trafilatura and htmldate. CJK text has no reliable word boundaries, so
  bodies are compared as character bigrams (NFKC, whitespace removed, multisets).

Thresholds sit a little under the values measured with trafilatura 2.3.1 (see the assertion
messages, or run with -s to print them).
"""

from __future__ import annotations

import functools
import statistics
from datetime import datetime

import lxml.html
import pytest

from corpus_scoring import (
    CORPORA,
    benchmark_score,
    bigram_score,
    corpus_dir,
    fold_space,
    gunzip_bytes,
    load_json,
    shingle_tp_fp_fn,
    squash,
)
from monitor.extract import ExtractionError, Extracted, extract_article
from monitor.fetch.encoding import Decoded, decode

# =================================================================================================
# 2a. The article-extraction benchmark
# =================================================================================================


class _Benchmark:
    """The benchmark's data, loaded on first use (so a missing corpus fails the test that uses it)."""

    @functools.cached_property
    def root(self):
        return corpus_dir("article-extraction-benchmark")

    @functools.cached_property
    def pages(self) -> dict[str, dict]:
        return load_json(self.root / "ground-truth.json")

    @functools.cached_property
    def truth(self) -> dict[str, str]:
        return {key: page.get("articleBody", "") for key, page in self.pages.items()}

    def reference(self, name: str) -> dict[str, str]:
        output = load_json(self.root / "output" / f"{name}.json")["output"]
        return {key: output.get(key, {}).get("articleBody", "") for key in self.truth}

    @functools.cached_property
    def ours(self) -> dict[str, str]:
        """extract_article on every page; an unparseable page counts as an empty prediction."""
        texts, self.errors = {}, {}
        for key, page in self.pages.items():
            html = gunzip_bytes(self.root / "html" / f"{key}.html.gz").decode("utf-8")
            try:
                texts[key] = extract_article(html, page["url"]).text
            except ExtractionError as exc:
                self.errors[key] = str(exc)
                texts[key] = ""
        return texts


@pytest.fixture(scope="module")
def benchmark() -> _Benchmark:
    return _Benchmark()


def test_scorer_edge_cases():
    assert shingle_tp_fp_fn("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    assert shingle_tp_fp_fn("", "") == (0.0, 0.0, 0.0)
    assert shingle_tp_fp_fn("a b c d", "") == (0.0, 0.0, 1.0)
    # Fewer than 4 tokens: the whole token list is one shingle.
    assert shingle_tp_fp_fn("one two", "one two") == (1.0, 0.0, 0.0)
    # Shingles are a multiset: a duplicated paragraph is a false positive.
    tp, fp, fn = shingle_tp_fp_fn("a b c d", "a b c d a b c d")
    assert fn == 0 and fp > 0
    # An empty prediction is left out of precision (tp + fp == 0) but counts as 0 recall.
    score = benchmark_score({"x": "a b c d e", "y": "f g h i j"}, {"x": "a b c d e", "y": ""})
    assert score.precision == 1.0 and score.recall == 0.5


# Published figures (upstream README, latest run): F1, precision, recall.
PUBLISHED = {
    "trafilatura": (0.958, 0.938, 0.978),
    "readability_js": (0.947, 0.914, 0.982),
    "html-text": (0.665, 0.500, 0.994),
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_scorer_reproduces_published_figures(benchmark, name):
    f1, precision, recall = PUBLISHED[name]
    score = benchmark_score(benchmark.truth, benchmark.reference(name))
    print(f"\n{name} stored output: {score} (published F1={f1} P={precision} R={recall})")
    assert score.pages == 181
    assert score.f1 == pytest.approx(f1, abs=0.001), score
    assert score.precision == pytest.approx(precision, abs=0.005), score
    assert score.recall == pytest.approx(recall, abs=0.005), score


BENCHMARK_F1_FLOOR = 0.95  # measured 0.9607 (P 0.9570, R 0.9643) with trafilatura 2.3.1


def test_extract_article_on_benchmark(benchmark):
    score = benchmark_score(benchmark.truth, benchmark.ours)
    print(f"\nextract_article on the benchmark: {score}")
    assert not benchmark.errors, f"ExtractionError on {len(benchmark.errors)} pages: {benchmark.errors}"
    assert score.f1 >= BENCHMARK_F1_FLOOR, f"{score}; floor F1 {BENCHMARK_F1_FLOOR}"


# The benchmark's CJK pages (README section 2). `\w+` does not split Japanese, so they are scored as
# character bigrams too.
BENCHMARK_CJK = {
    "0ec95c72": "ko (entermedia.co.kr column)",
    "9da36ae4": "ko (entermedia.co.kr column)",
    "85439e26": "ja (lhpat-tm.com blog)",
    "f105de6e": "ja (note100yen.com)",
    "8cad00dc": "en + CJK (jeongdongtheater.com)",
}


@pytest.mark.parametrize("prefix", sorted(BENCHMARK_CJK))
def test_extract_article_on_benchmark_cjk_pages(benchmark, prefix):
    (key,) = [k for k in benchmark.truth if k.startswith(prefix)]
    score = bigram_score(benchmark.truth[key], benchmark.ours[key])
    # Measured: bigram F1 1.000, 1.000, 1.000, 0.980, 0.992.
    assert score.f1 >= 0.95, f"{BENCHMARK_CJK[prefix]}: {score}"


# =================================================================================================
# 2b. Real Korean / Japanese / English pages
# =================================================================================================

LANGS = ("ko", "ja", "en")


def _manifest() -> list[dict]:
    path = CORPORA / "real-pages" / "manifest.json"
    if not path.is_file():  # the tests then fail in corpus_dir() with the reason
        return [{"id": "corpus-missing", "lang": "ko", "expected": {}}]
    return [page for page in load_json(path) if page["lang"] in LANGS]


PAGES = _manifest()
BY_ID = {page["id"]: page for page in PAGES}
CORPUS_MISSING = PAGES[0]["id"] == "corpus-missing"


def _page(page_id: str) -> dict:
    """The manifest entry; first fails the test with a clear message if the corpus is missing."""
    corpus_dir("real-pages")
    return BY_ID[page_id]


# Pages whose failure is understood; their tests are strict xfails, so a fix shows up as XPASS.
NO_TEXT = {
    "ko-fundus-HankookIlbo_2026_01_29": "Next.js page: the body is only in a JSON payload inside a "
    "<script>; trafilatura finds no main text, and the publication date is only in that JSON too "
    "(the title is still read from the page's metadata)",
}
# Pages where the expected body is not the article: scored against it, the article alone fails.
NOT_THE_ARTICLE = {
    **NO_TEXT,
    "ja-readability-hukumusume": "a children's story on a 2000s table-layout portal: readability's expected "
    "output keeps the page's sidebar (today's trivia, birthday horoscope, other sites); extraction now "
    "takes the story alone (bigram precision 0.997, recall 0.44 against that output)",
}
WRONG_DATE = {
    "ja-trafilatura-nhk.or.jp.k100": "NHK News Web Easy: no date metadata; htmldate's heuristics pick "
    "2019-06-19 from the link to the original NHK article, htmldate's eval expects 2019-06-24",
}


def _known_failure(page_id: str, reason: str | None):
    if reason is None:
        return page_id
    return pytest.param(page_id, marks=pytest.mark.xfail(reason=reason, strict=True, raises=AssertionError))


def _ids(predicate, known_failures: dict = NO_TEXT) -> list:
    if CORPUS_MISSING:
        return ["corpus-missing"]
    return [_known_failure(page["id"], known_failures.get(page["id"])) for page in PAGES if predicate(page)]


@functools.cache
def _decoded(page_id: str) -> Decoded:
    page = BY_ID[page_id]
    raw = gunzip_bytes(corpus_dir("real-pages") / page["file"])
    return decode(raw, None, page["lang"])


@functools.cache
def _extracted(page_id: str) -> Extracted:
    page = BY_ID[page_id]
    return extract_article(_decoded(page_id).text, page["url"] or "", lang_hint=page["lang"])


def _kind(page: dict) -> str:
    expected = page["expected"]
    for kind, key in (
        ("fundus", "fundus"),
        ("newspaper4k", "newspaper4k_text"),
        ("goose3", "goose3"),
        ("readability", "readability_metadata"),
        ("trafilatura", "trafilatura_with"),
        ("htmldate", "publication_date"),
    ):
        if key in expected:
            return kind
    return "none"


def _expected_body(page: dict) -> str | None:
    """The full expected article text, for the kinds that have one."""
    expected, kind = page["expected"], _kind(page)
    if kind == "fundus":
        return "\n".join(expected["fundus"]["body_paragraphs"])
    if kind == "newspaper4k":
        return expected["newspaper4k_text"]
    if kind == "goose3":  # only the beginning of the text, but that is most of this article
        return expected["goose3"]["cleaned_text"]
    if kind == "readability":
        path = corpus_dir("real-pages") / page["expected_files"]["readability_expected_html"]
        return lxml.html.fromstring(gunzip_bytes(path).decode("utf-8")).text_content()
    return None


def _paragraph_recall(page_id: str) -> float:
    """Share of fundus's expected paragraphs found verbatim in our text (both with whitespace
    removed: CJK pages break lines inside paragraphs, e.g. around ruby)."""
    paragraphs = [squash(p) for p in BY_ID[page_id]["expected"]["fundus"]["body_paragraphs"]]
    paragraphs = [p for p in paragraphs if p]
    text = squash(_extracted(page_id).text)
    return sum(p in text for p in paragraphs) / len(paragraphs)


def _expected_title(page: dict) -> str | None:
    expected = page["expected"]
    for key in ("fundus", "readability_metadata", "newspaper4k_metadata"):
        if expected.get(key, {}).get("title"):
            return expected[key]["title"]
    return None


# --- every page ---------------------------------------------------------------------------------


def test_real_pages_manifest():
    pages = [p for p in load_json(corpus_dir("real-pages") / "manifest.json") if p["lang"] in LANGS]
    counts = {lang: sum(p["lang"] == lang for p in pages) for lang in LANGS}
    assert counts == {"ko": 12, "ja": 21, "en": 2}, counts


@pytest.mark.parametrize("page_id", [p["id"] for p in PAGES])
def test_real_page_decodes_cleanly(page_id):
    _page(page_id)
    decoded = _decoded(page_id)
    assert "\ufffd" not in decoded.text, f"{page_id}: U+FFFD after decoding as {decoded.encoding}"
    assert decoded.encoding in ("utf-8", "utf-8-sig"), decoded


def test_page_labelled_euc_kr_but_stored_as_utf8_is_read_as_utf8():
    # The one page the manifest lists as EUC-KR declares <meta charset=euc-kr>, but the stored bytes
    # are UTF-8 (htmldate keeps its test pages re-saved as UTF-8). A strict decoder must notice the
    # label is wrong rather than produce mojibake.
    page_id = "ko-htmldate-1538026996"
    raw = gunzip_bytes(corpus_dir("real-pages") / BY_ID[page_id]["file"])
    assert BY_ID[page_id]["declared_charset"] == "euc-kr"
    with pytest.raises(UnicodeDecodeError):
        raw.decode("cp949")
    decoded = _decoded(page_id)
    assert (decoded.declared, decoded.encoding) == ("euc-kr", "utf-8"), decoded
    assert "\ufffd" not in decoded.text
    assert "\ub300\uc804\uc77c\ubcf4" in decoded.text  # 대전일보 (Daejon Ilbo)
    assert "\ub300\uc804\uc77c\ubcf4" in _extracted(page_id).site_name + _extracted(page_id).text


@pytest.mark.parametrize("page_id", _ids(lambda page: True))
def test_real_page_has_text(page_id):
    _page(page_id)
    extracted = _extracted(page_id)
    assert extracted.text, f"{page_id}: no main text"
    assert "\ufffd" not in extracted.text + extracted.title
    assert extracted.lang == BY_ID[page_id]["lang"], f"{page_id}: detected {extracted.lang}"


# --- bodies ---------------------------------------------------------------------------------------

PAGE_BIGRAM_F1_FLOOR = 0.80  # lowest measured: 0.866 (Nikkei, extra related-article lines)
# Measured means, without the known no-text page: ko 0.992 (8 pages), ja 0.943 (15), en 0.990 (2).
LANG_BIGRAM_F1_FLOOR = {"ko": 0.97, "ja": 0.92, "en": 0.97}
# Measured means of fundus paragraph recall: ko 0.974 (7 pages), ja 0.876 (11), en 1.000 (1).
# Japanese misses: Yomiuri's ruby readings (尹錫悦（ユンソンニョル）) are not in our text, and
# Asahi's per-prefecture intensity lists are dropped.
LANG_PARAGRAPH_RECALL_FLOOR = {"ko": 0.95, "ja": 0.85, "en": 0.95}


BODY_KINDS = ("fundus", "newspaper4k", "readability", "goose3")


@pytest.mark.parametrize("page_id", _ids(lambda page: _kind(page) in BODY_KINDS, NOT_THE_ARTICLE))
def test_real_page_body_bigram_f1(page_id):
    page = _page(page_id)
    score = bigram_score(_expected_body(page), _extracted(page_id).text)
    assert score.f1 >= PAGE_BIGRAM_F1_FLOOR, f"{page_id} ({_kind(page)}): {score}"


@pytest.mark.parametrize("page_id", _ids(lambda page: _kind(page) == "fundus"))
def test_fundus_paragraphs_found(page_id):
    _page(page_id)
    recall = _paragraph_recall(page_id)
    # Per page only a sanity floor: one missed paragraph of three is already 0.67. The per-language
    # means below carry the real thresholds.
    assert recall >= 0.3, f"{page_id}: paragraph recall {recall:.3f}"


def test_real_pages_mean_scores_per_language():
    corpus_dir("real-pages")
    f1s: dict[str, list[float]] = {lang: [] for lang in LANGS}
    recalls: dict[str, list[float]] = {lang: [] for lang in LANGS}
    for page in PAGES:
        if page["id"] in NO_TEXT:
            continue
        body = _expected_body(page)
        if body is not None:
            f1s[page["lang"]].append(bigram_score(body, _extracted(page["id"]).text).f1)
        if _kind(page) == "fundus":
            recalls[page["lang"]].append(_paragraph_recall(page["id"]))
    means = {
        lang: (statistics.mean(f1s[lang]), len(f1s[lang]), statistics.mean(recalls[lang]), len(recalls[lang]))
        for lang in LANGS
    }
    report = "; ".join(
        f"{lang}: bigram F1 {f1:.3f} over {n} pages, fundus paragraph recall {rec:.3f} over {m} pages"
        for lang, (f1, n, rec, m) in means.items()
    )
    print(f"\nreal pages (excluding {sorted(NO_TEXT)}): {report}")
    failures = [
        f"{lang} bigram F1 {f1:.3f} < {LANG_BIGRAM_F1_FLOOR[lang]}"
        for lang, (f1, _, _, _) in means.items()
        if f1 < LANG_BIGRAM_F1_FLOOR[lang]
    ] + [
        f"{lang} paragraph recall {rec:.3f} < {LANG_PARAGRAPH_RECALL_FLOOR[lang]}"
        for lang, (_, _, rec, _) in means.items()
        if rec < LANG_PARAGRAPH_RECALL_FLOOR[lang]
    ]
    assert not failures, f"{failures}; measured {report}"


@pytest.mark.parametrize("page_id", _ids(lambda page: _kind(page) == "goose3"))
def test_goose3_prefix(page_id):
    # goose3 expects its cleaned_text as the start of the extracted text. Ours additionally keeps a
    # company-name heading before it and a sub-heading inside it, so the check is: the article's
    # opening (first 200 characters, whitespace removed) starts within the first 50 characters of
    # our text, and nearly all of the expected text's bigrams are there.
    expected = _page(page_id)["expected"]["goose3"]["cleaned_text"]
    ours = _extracted(page_id).text
    position = squash(ours).find(squash(expected)[:200])
    assert 0 <= position <= 50, f"{page_id}: article opening found at {position}"
    recall = bigram_score(expected, ours).recall
    assert recall >= 0.98, f"{page_id}: bigram recall of the expected prefix {recall:.4f}"


@pytest.mark.parametrize("page_id", _ids(lambda page: _kind(page) == "trafilatura"))
def test_trafilatura_snippets(page_id):
    expected = _page(page_id)["expected"]
    text = fold_space(_extracted(page_id).text)
    missing = [s for s in expected["trafilatura_with"] if fold_space(s) not in text]
    unwanted = [s for s in expected["trafilatura_without"] if fold_space(s) in text]
    assert not missing and not unwanted, f"{page_id}: missing {missing}, boilerplate kept {unwanted}"


# --- titles -------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_id", _ids(lambda page: _expected_title(page) is not None, known_failures={}))
def test_real_page_title(page_id):
    # Our titles often keep the outlet's suffix (" - 매일경제", "：朝日新聞デジタル"), and Nikkei's
    # og:title differs from fundus's headline, so the measure is the share of the expected title's
    # bigrams found in ours (lowest measured: 0.81).
    expected, ours = _expected_title(_page(page_id)), _extracted(page_id).title
    recall = bigram_score(expected, ours).recall
    assert recall >= 0.75, f"{page_id}: title {ours!r}, expected {expected!r} (bigram recall {recall:.2f})"


def test_real_page_titles_mostly_start_with_expected():
    corpus_dir("real-pages")
    titled = [p for p in PAGES if _expected_title(p) is not None]
    starts = [
        p["id"] for p in titled if fold_space(_extracted(p["id"]).title).startswith(fold_space(_expected_title(p)))
    ]
    others = sorted({p["id"] for p in titled} - set(starts))
    print(f"\ntitles starting with the expected title: {len(starts)} of {len(titled)}; not: {others}")
    # Measured 20 of 24; not: HankookIlbo 2025-05-15 (quotes), Nikkei x2 (other headline),
    # newspaper4k japanese_article (expected keeps the site suffix).
    assert len(starts) >= 19, f"only {len(starts)} of {len(titled)}; not: {others}"


# --- dates --------------------------------------------------------------------------------------


def _expected_date(page: dict) -> str | None:
    expected = page["expected"]
    return expected.get("fundus", {}).get("publishing_date") or expected.get("publication_date")


def _date_ids() -> list:
    if CORPUS_MISSING:
        return ["corpus-missing"]
    params = []
    for page in PAGES:
        if _expected_date(page) is None:
            continue
        params.append(_known_failure(page["id"], NO_TEXT.get(page["id"]) or WRONG_DATE.get(page["id"])))
    return params


def _date_matches(published, expected: str) -> bool:
    if len(expected) == 10:  # htmldate: the local calendar day
        return published.local.date().isoformat() == expected
    moment = datetime.fromisoformat(expected)  # fundus: a full timestamp, usually with its offset
    local = published.local if moment.tzinfo else published.local.replace(tzinfo=None)
    return local == moment and (moment.tzinfo is None or local.utcoffset() == moment.utcoffset())


@pytest.mark.parametrize("page_id", _date_ids())
def test_real_page_publication_date(page_id):
    expected = _expected_date(_page(page_id))
    published = _extracted(page_id).published
    assert published is not None, f"{page_id}: no date found, expected {expected}"
    assert _date_matches(published, expected), f"{page_id}: {published.local.isoformat()} != {expected}"


def test_real_page_dates_found():
    corpus_dir("real-pages")
    dated = [p for p in PAGES if _expected_date(p) is not None]
    found = [p["id"] for p in dated if _extracted(p["id"]).published is not None]
    right = [i for i in found if _date_matches(_extracted(i).published, _expected_date(BY_ID[i]))]
    print(f"\ndates: found {len(found)} of {len(dated)}, {len(right)} equal to the expected value")
    # Measured: found 28 of 29, 27 right (see NO_TEXT and WRONG_DATE).
    assert len(right) >= 26, f"found {len(found)} of {len(dated)}, right {len(right)}"

"""Shared helpers for the third-party corpus tests (test_corpus_feeds.py, test_corpus_extraction.py).

* Where the corpora are, failing loudly when they are missing (CI always has them).
* The ScrapingHub article-extraction-benchmark metric, re-implemented from its description in
  shared/corpora/README.md section 2 (token 4-gram shingles as multisets, per-page normalisation,
  mean precision and recall over pages, F1 from the means).
* Character-bigram scores for CJK text, where the benchmark's `\\w+` tokens do not split words.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


from requirements import CORPORA, corpus_dir  # noqa: F401 (re-exported for the corpus tests)




def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def gunzip_bytes(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


# --- the article-extraction-benchmark metric ---------------------------------------------------

_TOKEN = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter:
    """Multiset of token n-grams. A text with fewer than n tokens gives one shorter shingle (all its
    tokens); an empty text gives none."""
    tokens = _TOKEN.findall(text or "")
    grams = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        gram = tuple(tokens[i : i + n])
        if gram:
            grams[gram] += 1
    return grams


def shingle_tp_fp_fn(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Per-page tp, fp, fn over shingle multisets, normalised by their sum (when it is not zero)."""
    expected, predicted = _shingles(true, n), _shingles(pred, n)
    tp = sum((expected & predicted).values())
    fp = sum((predicted - expected).values())
    fn = sum((expected - predicted).values())
    total = tp + fp + fn
    if total:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def _page_precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp)


def _page_recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn)


@dataclass(frozen=True)
class BenchmarkScore:
    precision: float
    recall: float
    f1: float
    pages: int

    def __str__(self) -> str:
        return f"P={self.precision:.4f} R={self.recall:.4f} F1={self.f1:.4f} over {self.pages} pages"


def benchmark_score(ground_truth: dict[str, str], predictions: dict[str, str]) -> BenchmarkScore:
    """Score predicted article bodies against the ground truth, both keyed by page id."""
    if ground_truth.keys() != predictions.keys():
        missing = sorted(ground_truth.keys() - predictions.keys())[:5]
        extra = sorted(predictions.keys() - ground_truth.keys())[:5]
        raise ValueError(f"page ids differ: missing {missing}, extra {extra}")
    counts = [shingle_tp_fp_fn(ground_truth[key], predictions[key]) for key in ground_truth]
    precision = statistics.mean(_page_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_page_recall(*c) for c in counts if c[0] + c[2] > 0)
    f1 = 2 * precision * recall / (precision + recall)
    return BenchmarkScore(precision, recall, f1, len(counts))


# --- character bigrams for CJK text ------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """NFKC with all whitespace removed: the form CJK texts are compared in."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def fold_space(text: str) -> str:
    """NFKC with whitespace runs folded to one space (for substring tests)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "")).strip()


def char_bigrams(text: str) -> Counter:
    s = squash(text)
    return Counter(s[i : i + 2] for i in range(len(s) - 1))


@dataclass(frozen=True)
class BigramScore:
    precision: float
    recall: float
    f1: float


def bigram_score(expected: str, predicted: str) -> BigramScore:
    """Precision, recall and F1 of the predicted text's character bigrams (multiset) against the expected."""
    exp, pred = char_bigrams(expected), char_bigrams(predicted)
    tp = sum((exp & pred).values())
    n_exp, n_pred = sum(exp.values()), sum(pred.values())
    precision = tp / n_pred if n_pred else (1.0 if not n_exp else 0.0)
    recall = tp / n_exp if n_exp else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BigramScore(precision, recall, f1)

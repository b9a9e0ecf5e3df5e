"""The languages the monitor reads, one module each (see `monitor.lang.base.Language`).

    from monitor.lang import language, CODES
    language("ja").zone          -> "Asia/Tokyo"
    language("en").concept("dependence")
"""

from __future__ import annotations

import re

from monitor.lang import en, ja, ko
from monitor.lang.base import Language

LANGUAGES: dict[str, Language] = {module.LANGUAGE.code: module.LANGUAGE for module in (ko, ja, en)}
CODES: tuple[str, ...] = tuple(LANGUAGES)  # ("ko", "ja", "en")


def language(code: str | None) -> Language | None:
    """The language of `code`, or None for a language the monitor does not read."""
    return LANGUAGES.get(code or "")


_SCRIPTS = {
    "hangul": re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]"),
    "kana": re.compile("[\u3040-\u30ff\u31f0-\u31ff]"),
    "han": re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"),
    "latin": re.compile("[A-Za-z\u00c0-\u024f]"),
}


def detect(text: str, declared: str | None = None) -> str | None:
    """The language of a text from its scripts: the first language module that claims it (ko, ja),
    "zh" for Han text no module claims, else the declared Latin-script language, else "en".

    Script evidence beats a declared language: news sites often declare `lang="en"` in a template
    shared by all their editions."""
    sample = text[:5000]
    counts = {name: len(pattern.findall(sample)) for name, pattern in _SCRIPTS.items()}
    counts["all"] = sum(counts.values())
    if counts["all"] == 0:
        return _primary_subtag(declared)
    for code, spec in LANGUAGES.items():
        if spec.claims is not None and spec.claims(counts):
            return code
    if counts["han"] > 0.3 * counts["all"]:
        return "zh"
    declared_lang = _primary_subtag(declared)
    if declared_lang and declared_lang not in ("ko", "ja", "zh"):
        return declared_lang
    return "en"


def _primary_subtag(tag: str | None) -> str | None:
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


__all__ = ["CODES", "LANGUAGES", "Language", "detect", "language"]

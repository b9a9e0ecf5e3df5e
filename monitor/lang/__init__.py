"""The languages the monitor reads, one module each (see `monitor.lang.base.Language`).

    from monitor.lang import language, CODES
    language("ja").zone          -> "Asia/Tokyo"
    language("en").concept("dependence")
"""

from __future__ import annotations

from monitor.lang import en, ja, ko
from monitor.lang.base import Language

LANGUAGES: dict[str, Language] = {module.LANGUAGE.code: module.LANGUAGE for module in (ko, ja, en)}
CODES: tuple[str, ...] = tuple(LANGUAGES)  # ("ko", "ja", "en")


def language(code: str | None) -> Language | None:
    """The language of `code`, or None for a language the monitor does not read."""
    return LANGUAGES.get(code or "")


__all__ = ["CODES", "LANGUAGES", "Language", "language"]

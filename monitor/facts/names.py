"""Names the story acquires: which reported names identify the story. Pure.

A name reported for a tracked fact (the company's tentative name at its founding, the developer's
name later, in each script: Noetra, ノエトラ, 노에트라) becomes an identifier of the story once
`min_outlets` different outlets reported it in on-topic articles, unless the user rejected it; a
name the user confirmed counts at once. A name written with its transliteration in brackets
("노에트라(Noetra)") stands for both: it counts for each form, and once one form identifies the
story the other does too. Nothing learned is silent: `monitor names` lists each one
with its provenance, and the relevance reasons name it wherever it counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from monitor.text import fold

DEFAULT_MIN_OUTLETS = 2
_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"^\s*(.+?)\s*[(（]\s*([^()（）]+?)\s*[)）]\s*$")


def could_hold(text: str, names: Iterable[str]) -> bool:
    """Whether phrase search could find one of `names` in `text`: conservative, so that an article
    answering False is certain not to name them (its links cannot change when only these names
    are learned or rejected). Checks the first five characters of each name's longest word, folded
    (NFKC, case), spacing ignored: a stem or a conjugation keeps a word's start."""
    folded = _SPACES.sub("", fold(text or ""))
    for name in names:
        words = fold(name).split() or [""]
        if _SPACES.sub("", max(words, key=len))[:5] in folded:
            return True
    return False


def variants(name: str) -> list[str]:
    """The forms a reported name stands for: "노에트라(Noetra)" -> ["노에트라", "Noetra"]."""
    match = _BRACKETED.match(name)
    forms = [match.group(1), match.group(2)] if match else [name]
    return [form.strip(" \"'“”‘’「」『』") for form in forms if len(form.strip()) >= 2]


def identifying_names(
    reported: Iterable[tuple[str, int]], decisions: dict[str, str], confirmed: Iterable[str] = (), min_outlets: int = DEFAULT_MIN_OUTLETS
) -> list[str]:
    """The names that identify the story: from (name as reported, outlets) pairs, those reported
    by `min_outlets` outlets or confirmed, none rejected; every bracketed variant included."""
    rejected = {form.casefold() for name, decision in decisions.items() if decision == "rejected" for form in variants(name)}
    names: list[str] = []
    for name in [*confirmed, *(n for n, d in decisions.items() if d == "confirmed")]:
        names.extend(variants(name))
    outlets_by_form: dict[str, int] = {}
    pairs: list[list[str]] = []
    for name, outlets in reported:
        forms = variants(name)
        for form in forms:
            outlets_by_form[form] = outlets_by_form.get(form, 0) + outlets
        if len(forms) > 1:
            pairs.append(forms)
    learned = [f for f, outlets in outlets_by_form.items() if outlets >= min_outlets and f.casefold() not in rejected]
    # A transliteration given beside a name that identifies the story ("ノエトラ（Noetra）" once,
    # Noetra in two outlets) is that name: it identifies the story too.
    grown = True
    while grown:
        grown = False
        for forms in pairs:
            if any(f in learned for f in forms) and not all(f in learned for f in forms):
                learned.extend(f for f in forms if f not in learned)
                grown = True
    names.extend(learned)
    return [n for n in dict.fromkeys(names) if n.casefold() not in rejected]


def name_status(name: str, identifying: Iterable[str], decision: str | None) -> str:
    """How a reported name stands: "confirmed", "rejected", "learned" (it, or its transliteration,
    identifies the story: see `identifying_names`) or "candidate" (not yet)."""
    if decision in ("confirmed", "rejected"):
        return decision
    return "learned" if set(variants(name)) & set(identifying) else "candidate"

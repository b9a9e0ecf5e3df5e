"""What some tests need from outside the repository, and what happens when it is missing.

The third-party corpora (`../shared/corpora`, beside the repository as CI checks it out), Debian's
Chromium and a PostgreSQL server are not part of a clone. Without them the tests that need them are
skipped with a one-line reason, so the README's test command passes on a fresh clone anywhere;
under CI (`CI=true`) a missing requirement is a failure, so nothing is silently left out there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
CHROMIUM_INSTALL = "apt-get install chromium fonts-noto-cjk"


def require(present: bool, what: str, how: str) -> None:
    """Skip (or, under CI=true, fail) the calling test unless `present`."""
    if present:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI=true requires it: {how}", pytrace=False)
    pytest.skip(f"{what} missing ({how})")


def corpus_dir(*parts: str) -> Path:
    """A folder of the shared corpora, or a skip (a failure under CI) when it is not there."""
    path = CORPORA.joinpath(*parts)
    require(path.is_dir(), f"third-party corpus {path.relative_to(CORPORA.parent)}", "put shared/corpora beside the repository, see README")
    return path


def chromium() -> str:
    """The Chromium binary, or a skip (a failure under CI) when it is not installed."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    require(binary is not None, "Chromium", f"install it with `{CHROMIUM_INSTALL}`")
    return binary

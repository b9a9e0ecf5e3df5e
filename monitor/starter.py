"""`monitor init`: a starter feeds.yaml and facts.yaml, copied from the ones shipped with the package."""

from __future__ import annotations

import shutil
from pathlib import Path

from monitor.config import default_facts_file, default_feeds_file

STARTER_FILES = ("feeds.yaml", "facts.yaml")


def write_starter(folder: str | Path, force: bool = False) -> list[Path]:
    """Write `feeds.yaml` and `facts.yaml` into `folder` (created if needed) from the packaged
    defaults and return their paths. Raises FileExistsError, before writing anything, when one of
    them is already there, unless `force`."""
    folder = Path(folder)
    targets = [folder / name for name in STARTER_FILES]
    if not force:
        for target in targets:
            if target.exists():
                raise FileExistsError(f"{target} already exists (pass --force to replace it)")
    folder.mkdir(parents=True, exist_ok=True)
    for source, target in zip((default_feeds_file(), default_facts_file()), targets, strict=True):
        shutil.copyfile(source, target)
    return targets

"""Where the real-world files live: ``shared/realworld`` beside the checkout (or a parent)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def realworld_folder() -> Path | None:
    named = os.environ.get("CHRONOMAP_REALWORLD")
    if named:
        return Path(named)
    here = Path(__file__).resolve().parent
    for parent in here.parents:
        candidate = parent / "shared" / "realworld"
        if candidate.is_dir():
            return candidate
    return None


def realworld_copy(name: str, tmp_path: Path) -> Path:
    """A copy of one real-world file in ``tmp_path``: the originals are never touched."""
    folder = realworld_folder()
    if folder is None or not (folder / name).is_file():
        pytest.skip(f"the real-world file {name} is not here (shared/realworld)")
    target = tmp_path / name
    shutil.copyfile(folder / name, target)
    return target

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


def realworld_as_parquet(name: str, tmp_path: Path) -> Path:
    """A real-world CSV file written as Parquet by DuckDB, as a user converting it would."""
    import duckdb

    csv = realworld_copy(name, tmp_path)
    path = tmp_path / (Path(name).stem + ".parquet")
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{csv}')) TO '{path}' (FORMAT parquet)")
    con.close()
    return path

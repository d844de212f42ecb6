"""Where bundled files live, from a checkout, an installed package or a frozen app."""

from __future__ import annotations

import sys
from pathlib import Path

BUILTIN_DATASET = "russia-iran-treaty"


def project_root() -> Path:
    """The folder holding data/ and assets/ (the bundle folder in a frozen app)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return project_root() / "data"


def assets_dir() -> Path:
    return project_root() / "assets"


def builtin_dataset() -> Path:
    return data_dir() / BUILTIN_DATASET

"""The canonical JSON export (see the JSON form in desktop/core/formats/json_file.py)."""

from __future__ import annotations

import os
from pathlib import Path

from desktop.core.formats.json_file import write_json_dataset
from desktop.core.model import Dataset
from desktop.core.view_state import FrozenView

from . import Size
from .selection import subset


def export_json(
    dataset: Dataset,
    path: str | os.PathLike[str],
    view: FrozenView,
    size: Size | None = None,
) -> None:
    """The dataset cut to the events ``view`` shows (whole, with no window and no filter)."""
    write_json_dataset(subset(dataset, view), Path(path))

"""The canonical JSON export (see the JSON form in desktop/core/formats/json_file.py)."""

from __future__ import annotations

import os

from desktop.core.formats.json_file import write_json_dataset
from desktop.core.model import Dataset

from . import ExportOptions
from .selection import subset


def export_json(dataset: Dataset, path: str | os.PathLike[str], options: ExportOptions) -> None:
    from pathlib import Path

    write_json_dataset(subset(dataset, options), Path(path))

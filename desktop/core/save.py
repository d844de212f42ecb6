"""Write a dataset back in any of its three forms, atomically."""

from __future__ import annotations

import os
from pathlib import Path

from .formats.csv_folder import write_csv_folder
from .formats.json_file import write_json_dataset
from .formats.workbook import write_workbook
from .model import Dataset


def save_dataset(dataset: Dataset, path: str | os.PathLike[str]) -> None:
    """The form follows the target: a folder gets CSV files, .xlsx a workbook, .json JSON."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        write_json_dataset(dataset, path)
    elif suffix == ".xlsx":
        write_workbook(dataset, path)
    elif suffix == "" or path.is_dir():
        write_csv_folder(dataset, path)
    else:
        raise ValueError(f"{path}: save as a folder, a .xlsx workbook or a .json file")

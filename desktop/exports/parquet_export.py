"""The canonical tables as Parquet: the events in the named file, the others beside it
(see desktop/core/formats/parquet_file.py)."""

from __future__ import annotations

import os
from pathlib import Path

from desktop.core.model import Dataset
from desktop.core.view_state import FrozenView

from . import ExportError, Size
from .selection import subset


def export_parquet(
    dataset: Dataset,
    path: str | os.PathLike[str],
    view: FrozenView,
    size: Size | None = None,
) -> None:
    """The dataset cut to the events ``view`` shows, as the canonical JSON export cuts it."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:
        from desktop.core.formats.columnar import missing

        raise ExportError(missing("Parquet export", exc)) from None
    from desktop.core.formats.parquet_file import write_parquet_dataset

    write_parquet_dataset(subset(dataset, view), Path(path))

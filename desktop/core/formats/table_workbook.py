"""A workbook that is not a Chronomap or timemap workbook: its first sheet that reads as a
table of events is used, with the same column roles as a CSV table."""

from __future__ import annotations

from pathlib import Path

from ..model import Dataset
from ..problems import Problems
from ..records import normalise_header
from .plain_csv import file_options, mapped_dataset
from .roles import ImportOptions, guess_mapping, sidecar_path


def sniff_table_workbook(path: Path, head: bytes) -> bool:
    """A workbook without an "events" sheet (those are Chronomap's own, or timemap's)."""
    if not head.startswith(b"PK\x03\x04"):
        return False
    from .workbook import workbook_sheet_names

    names = {normalise_header(n) for n in workbook_sheet_names(path)}
    return bool(names) and ("events" not in names or sidecar_path(path).is_file())


def load_table_workbook(
    path: Path, problems: Problems, options: ImportOptions | None = None
) -> Dataset:
    from .workbook import open_workbook, sheet_table

    book = open_workbook(path, problems)
    if book is None:
        return Dataset(title=path.stem)
    options = file_options(path, problems, options)
    try:
        tables = [sheet_table(path, book[name], problems) for name in book.sheetnames]
    finally:
        book.close()
    chosen = None
    for table in tables:
        mapping = guess_mapping(table, options)
        if mapping.column("start") or mapping.column("year"):
            chosen = (table, mapping)
            break
    if chosen is None:
        first = tables[0] if tables else None
        if first is None:
            problems.error(str(path), 0, "-", "the workbook has no sheets")
            return Dataset(title=path.stem)
        chosen = (first, guess_mapping(first, options))
    return mapped_dataset(chosen[0], chosen[1], problems, path.stem)

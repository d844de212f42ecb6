"""What the import dialog shows: a table's columns, their guessed roles, and its first rows
as they will load with the roles chosen. Qt-free, so it is tested without a window."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .formats.plain_csv import mapped_dataset
from .formats.roles import ImportOptions, Mapping, guess_mapping, read_sidecar, sidecar_path
from .formats.sniff_text import read_text_table
from .load import TABLE_FORMATS, LoadResult
from .model import Dataset
from .problems import Problem, Problems, Severity
from .records import Table

PREVIEW_ROWS = 50
HEAD_BYTES = 4 * 1024 * 1024


def read_table(path: Path, problems: Problems) -> Table | None:
    """The table a file holds: a text table, or a workbook's first sheet of dated rows.

    Of a large text file only the first rows are read: the dialog shows those.
    """
    with open(path, "rb") as handle:
        zipped = handle.read(4) == b"PK\x03\x04"
    if not zipped:
        large = path.stat().st_size > HEAD_BYTES
        text = read_text_table(path, problems, head_only=large)
        return text.table if text is not None else None
    from .formats.workbook import open_workbook, sheet_table

    book = open_workbook(path, problems)
    if book is None:
        return None
    try:
        tables = [sheet_table(path, book[name], problems) for name in book.sheetnames]
    finally:
        book.close()
    for table in tables:
        mapping = guess_mapping(table)
        if mapping.column("start") or mapping.column("year"):
            return table
    return tables[0] if tables else None


@dataclass
class Preview:
    """The first rows of a table as they load with ``mapping``."""

    mapping: Mapping
    dataset: Dataset
    problems: list[Problem]
    rows: int  # rows previewed

    @property
    def loaded(self) -> int:
        return len(self.dataset.events)


def preview(table: Table, options: ImportOptions | None, rows: int = PREVIEW_ROWS) -> Preview:
    head = Table(table.path, table.header, table.rows[:rows], table.header_row)
    head.extra_names = table.extra_names
    mapping = guess_mapping(head, options)
    problems = Problems()
    dataset = mapped_dataset(head, mapping, problems, Path(table.path).stem)
    return Preview(mapping, dataset, list(problems), len(head.rows))


def remembered(path: Path) -> ImportOptions | None:
    return read_sidecar(path)[0]


def needs_review(result: LoadResult) -> bool:
    """Whether a table opened should be shown in the import dialog: it was not recognised
    with confidence, or rows were lost, and no choices are remembered for it yet."""
    if result.format not in TABLE_FORMATS or not result.path.is_file():
        return False
    if sidecar_path(result.path).is_file():
        return False
    if result.errors or not result.dataset.events:
        problems = Problems()
        table = read_table(result.path, problems)
        return table is not None and not _ragged(table, problems)
    confident = any(
        p.severity is Severity.NOTE and p.message.startswith("recognised as")
        for p in result.problems
    )
    if confident:
        return False
    problems = Problems()
    table = read_table(result.path, problems)
    if table is None or _ragged(table, problems):
        return False  # not a table at all: the problems say so, nothing to choose
    return not guess_mapping(Table(table.path, table.header, table.rows[:200])).confident


def _ragged(table: Table, problems: Problems) -> bool:
    """Most rows do not split into the header's columns: text, but not a table."""
    broken = sum(1 for p in problems if p.is_error and "cells but the header" in p.message)
    return broken > max(len(table.rows), 1) * 0.2

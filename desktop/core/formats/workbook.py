"""The dataset's sheets in one .xlsx workbook (sheets named events, places, ...)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..atomic import atomic_write_bytes
from ..model import Dataset
from ..problems import Problems
from ..records import SHEET_ORDER, Table, build_dataset, dataset_rows, header_for, normalise_header


def open_workbook(path: Path, problems: Problems) -> Any | None:
    import openpyxl  # imported here: only workbook users pay for it

    try:
        # From bytes, not the path: openpyxl refuses a path not named .xlsx, and
        # the format is recognised from the content.
        return openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        problems.error(
            str(path), 0, "-", f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})"
        )
    return None


def sheet_table(path: Path, sheet: Any, problems: Problems) -> Table:
    """A worksheet as a Table; row numbers are the ones Excel shows."""
    label = f"{path}#{sheet.title}"
    table = Table(label, [])
    try:
        rows = sheet.iter_rows(values_only=True)
        for number, values in enumerate(rows, start=1):
            if number == 1:
                table.header = ["" if v is None else str(v).strip() for v in values]
                keys = [normalise_header(h) for h in table.header]
                continue
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            table.rows.append((number, {k: v for k, v in zip(keys, values, strict=False) if k}))
    except Exception as exc:  # a damaged sheet must not take the app down
        problems.error(label, 0, "-", f"cannot read the sheet ({type(exc).__name__}: {exc})")
    return table


def workbook_sheet_names(path: Path) -> list[str]:
    """Sheet names without loading the cells, for telling workbook formats apart."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    except Exception:  # not a workbook at all: no sheets
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def load_workbook_dataset(path: Path, problems: Problems) -> Dataset:
    book = open_workbook(path, problems)
    if book is None:
        return Dataset()
    try:
        by_name = {normalise_header(n): n for n in book.sheetnames}
        if "events" not in by_name:
            problems.error(
                str(path),
                0,
                "-",
                f"the workbook has no 'events' sheet (sheets: {', '.join(book.sheetnames)})",
            )
            return Dataset()
        tables = {
            sheet: sheet_table(path, book[by_name[sheet]], problems)
            for sheet in SHEET_ORDER
            if sheet in by_name
        }
    finally:
        book.close()
    return build_dataset(tables, problems, title=path.stem)


def fill_sheet(ws: Any, sheet: str, rows: list[dict[str, str]]) -> None:
    """Write a header and rows of text into an empty worksheet."""
    header = header_for(sheet, rows)
    ws.append(header)
    for row in rows:
        ws.append([row.get(c, "") for c in header])
    # Text format stops Excel turning "2024-11" into a full date on edit.
    for column in ws.iter_cols(min_row=2):
        for cell in column:
            cell.number_format = "@"


def write_workbook(dataset: Dataset, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, rows in dataset_rows(dataset).items():
        if sheet == "meta" and not (dataset.title or dataset.description):
            continue
        fill_sheet(book.create_sheet(sheet), sheet, rows)
    atomic_write_bytes(path, workbook_bytes(book))


def workbook_bytes(book: Any) -> bytes:
    """The workbook as .xlsx bytes, made in memory: openpyxl saving straight into a file
    on a full disk leaves its zip file open, to complain again when it is collected."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

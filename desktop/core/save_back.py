"""Save an edited dataset into the files it was opened from, changing only what was edited.

A CSV folder, workbook or JSON file is rewritten sheet by sheet, and only the
sheets with edits. Within a sheet, each row on disk is matched to the item it
was read as (by id; a citation by event and source; a story step by order):

- a row whose item is unchanged is written back exactly as it was (in a CSV
  file, the same bytes: a diff shows only the edits), and so is a row the
  reader could not use (it is still the analyst's data);
- a changed item's row is rewritten in place, its unknown columns kept;
- a deleted item's row goes; an added item's row goes at the end.

Columns the file lacks that an edit fills are added to the header (the rows
left as they were are shorter, which every reader takes as empty cells).
Every file replaced is first copied to NAME.bak, and written atomically.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import (
    atomic_write_bytes,
    atomic_write_files,
    atomic_write_with,
    keep_backup,
    write_error,
)
from .editing import KEYED, sheet_items
from .formats.csv_folder import csv_bytes
from .formats.json_file import dataset_json
from .model import Dataset
from .records import dataset_rows, header_for, normalise_header

# The forms a dataset is saved back into; any other (an imported format) is
# saved as a new Chronomap dataset.
WRITABLE_FORMATS = frozenset({"csv-folder", "xlsx", "json"})
# The sheets saved back, in file order.
SAVED_SHEETS = ("events", "places", "sources", "citations", "story")


class SaveError(Exception):
    """Why a save did not happen, in one line; nothing on disk was changed by it."""


def _key(sheet: str, item: Any) -> Any:
    if sheet == "citations":
        return (item.event, item.source)
    if sheet == "story":
        return str(item.order)
    return item.id


def _row_key(sheet: str, row: dict[str, Any]) -> Any:
    def cell(name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value).strip()

    if sheet == "citations":
        return (cell("event"), cell("source"))
    if sheet == "story":
        text = cell("order")
        return text[:-2] if text.endswith(".0") else text
    return cell("id")


def _holder(sheet: str, items: Sequence[Any]) -> Dataset:
    """A dataset holding only these items, so the writers' own rows can be had for them."""
    value: Any = {i.id: i for i in items} if sheet in KEYED else list(items)
    return Dataset(**{sheet: value})


def _text_rows(sheet: str, items: Sequence[Any]) -> list[dict[str, str]]:
    return dataset_rows(_holder(sheet, items))[sheet] if items else []


def _json_rows(sheet: str, items: Sequence[Any]) -> list[dict[str, Any]]:
    return list(dataset_json(_holder(sheet, items))[sheet]) if items else []


def _items(dataset: Dataset, sheet: str) -> list[Any]:
    if sheet == "story":
        return list(dataset.story)
    return sheet_items(dataset, sheet)


@dataclass
class SheetPlan:
    """What a sheet's save does to the rows on disk, by key."""

    sheet: str
    saved: dict[Any, Any]  # key -> the item as it was read
    current: dict[Any, Any]  # key -> the item as it is now
    changed: dict[Any, dict[str, Any]]  # key -> its new row (changed and added items)
    added: list[Any]  # keys of items with no row yet, in the dataset's order
    # The story is written whole when it changed: its steps are numbered by
    # position, so a step moved or added renumbers the rest anyway.
    whole: bool = False

    def fate(self, key: Any, seen: set[Any]) -> str:
        """'keep', 'drop' or 'write' for a row read with ``key``."""
        if self.whole:
            return "drop"
        if key in seen or key not in self.saved:
            return "keep"  # a row the reader did not use: never lost
        seen.add(key)
        if key not in self.current:
            return "drop"
        return "write" if key in self.changed else "keep"


def _plan(
    sheet: str, saved: Dataset, current: Dataset, rows: Callable[..., list[Any]]
) -> SheetPlan | None:
    before = _items(saved, sheet)
    after = _items(current, sheet)
    if before == after:
        return None
    old = {_key(sheet, i): i for i in before}
    new = {_key(sheet, i): i for i in after}
    whole = sheet == "story"
    keys = list(new) if whole else [k for k, item in new.items() if old.get(k) != item]
    made = dict(zip(keys, rows(sheet, [new[k] for k in keys]), strict=True))
    added = keys if whole else [k for k in keys if k not in old]
    return SheetPlan(sheet, old, new, made, added, whole)


def save_back(path: str | Path, form: str, saved: Dataset, current: Dataset) -> list[Path]:
    """Write ``current`` into the dataset at ``path`` (``form``: as load_dataset named it).

    ``saved``: the dataset as the files hold it now (as read, or as last saved).
    Returns the files written. Raises SaveError with the reason when it cannot.
    """
    path = Path(path)
    if form not in WRITABLE_FORMATS:
        raise SaveError(f"{path.name} is not a Chronomap dataset: save it as one (Save As)")
    try:
        if form == "csv-folder":
            return _save_csv_folder(path, saved, current)
        if form == "json":
            return _save_json(path, saved, current)
        return _save_workbook(path, saved, current)
    except OSError as exc:
        raise SaveError(write_error(path, exc)) from None


# -- CSV folder ---------------------------------------------------------------


def _save_csv_folder(folder: Path, saved: Dataset, current: Dataset) -> list[Path]:
    # Every file's new bytes first: a sheet that cannot be written stops the save
    # before any file has changed.
    writes: list[tuple[Path, bytes]] = []
    for sheet in SAVED_SHEETS:
        plan = _plan(sheet, saved, current, _text_rows)
        if plan is None:
            continue
        file = folder / f"{sheet}.csv"
        if file.is_file():
            writes.append((file, csv_sheet_bytes(file.read_bytes(), plan)))
        else:
            rows = _text_rows(sheet, list(plan.current.values()))
            writes.append((file, csv_bytes(header_for(sheet, rows), rows)))
    # Every backup before any file is replaced: a backup that cannot be made
    # stops the save with the dataset as it was.
    for file, _ in writes:
        keep_backup(file)
    # All tables written in full beside their targets before any is moved into
    # place: a full disk or a kill while writing leaves the folder one old set.
    atomic_write_files(dict(writes))
    return [file for file, _ in writes]


def csv_sheet_bytes(data: bytes, plan: SheetPlan) -> bytes:
    """A CSV file's bytes with the plan's rows rewritten, dropped and added; the rest as is."""
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1252"), "cp1252"
    lines = list(io.StringIO(text, newline=""))
    first = lines[0] if lines else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    ending = "\r\n" if first.endswith("\r\n") else "\n"
    reader = csv.reader(iter(lines), delimiter=delimiter)
    records: list[tuple[list[str], str]] = []
    done = 0
    for record in reader:
        records.append((record, "".join(lines[done : reader.line_num])))
        done = reader.line_num
    if not records:
        raise SaveError(f"{plan.sheet}.csv has no header row")
    header, header_raw = records[0]
    keys = [normalise_header(h.strip()) for h in header]
    # Columns an edit fills that the file does not have yet go at the end.
    new_columns = [
        c
        for c in dict.fromkeys(c for row in plan.changed.values() for c, v in row.items() if v)
        if c not in keys
    ]
    if new_columns:
        body = header_raw.rstrip("\r\n")
        header_raw = body + "".join(delimiter + _quoted(c, delimiter) for c in new_columns) + ending
    columns = keys + new_columns

    def write(row: dict[str, str], old: list[str]) -> str:
        cells = [
            row[c] if c in row else (old[i] if i < len(old) else "") for i, c in enumerate(columns)
        ]
        while len(cells) > len(old) and not cells[-1]:
            cells.pop()  # no trailing empty cells the row did not have
        out = io.StringIO(newline="")
        csv.writer(out, delimiter=delimiter, lineterminator=ending).writerow(cells)
        return out.getvalue()

    pieces = [header_raw]
    seen: set[Any] = set()
    for record, raw in records[1:]:
        key = _row_key(plan.sheet, dict(zip(keys, record, strict=False)))
        fate = plan.fate(key, seen)
        if fate == "keep":
            pieces.append(raw)
        elif fate == "write":
            pieces.append(write(plan.changed[key], record))
    if pieces[-1] and not pieces[-1].endswith(("\n", "\r")) and plan.added:
        pieces[-1] += ending
    for key in plan.added:
        pieces.append(write(plan.changed[key], []))
    out = "".join(pieces).encode(encoding, errors="replace")
    return (codecs.BOM_UTF8 + out) if bom else out


def _quoted(cell: str, delimiter: str) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow([cell])
    return out.getvalue()


# -- JSON -----------------------------------------------------------------------


def _save_json(path: Path, saved: Dataset, current: Dataset) -> list[Path]:
    doc = json.loads(path.read_text(encoding="utf-8-sig"))
    if not isinstance(doc, dict):
        raise SaveError(f"{path.name} is not a Chronomap JSON dataset: save it as one (Save As)")
    changed = False
    for sheet in SAVED_SHEETS:
        plan = _plan(sheet, saved, current, _json_rows)
        if plan is None:
            continue
        changed = True
        old = doc.get(sheet)
        rows: list[Any] = []
        seen: set[Any] = set()
        for row in old if isinstance(old, list) else []:
            key = _row_key(sheet, row) if isinstance(row, dict) else None
            fate = plan.fate(key, seen) if key is not None else "keep"
            if fate == "keep":
                rows.append(row)
            elif fate == "write":
                rows.append(plan.changed[key])
        rows += [plan.changed[k] for k in plan.added]
        doc[sheet] = rows
    if not changed:
        return []
    data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
    keep_backup(path)
    atomic_write_bytes(path, data)
    return [path]


# -- workbook ---------------------------------------------------------------------


def _save_workbook(path: Path, saved: Dataset, current: Dataset) -> list[Path]:
    import openpyxl

    plans = [p for s in SAVED_SHEETS if (p := _plan(s, saved, current, _text_rows)) is not None]
    if not plans:
        return []
    book = openpyxl.load_workbook(path)
    names = {normalise_header(n): n for n in book.sheetnames}
    for plan in plans:
        if plan.sheet not in names:
            ws = book.create_sheet(plan.sheet)
            rows = _text_rows(plan.sheet, list(plan.current.values()))
            header = header_for(plan.sheet, rows)
            ws.append(header)
            for row in rows:
                ws.append([row.get(c, "") for c in header])
            continue
        _fill_workbook_sheet(book[names[plan.sheet]], plan)
    keep_backup(path)
    atomic_write_with(path, lambda tmp: book.save(tmp))
    return [path]


def _fill_workbook_sheet(ws: Any, plan: SheetPlan) -> None:
    header = [c.value for c in ws[1]] if ws.max_row >= 1 else []
    keys = [normalise_header(h) if h is not None else "" for h in header]
    for c in dict.fromkeys(c for row in plan.changed.values() for c, v in row.items() if v):
        if c not in keys:
            keys.append(c)
            ws.cell(row=1, column=len(keys), value=c)
    seen: set[Any] = set()
    dropped: list[int] = []
    for number in range(2, ws.max_row + 1):
        values = [ws.cell(row=number, column=i + 1).value for i in range(len(keys))]
        key = _row_key(plan.sheet, dict(zip(keys, values, strict=True)))
        fate = plan.fate(key, seen)
        if fate == "drop":
            dropped.append(number)
        elif fate == "write":
            _write_cells(ws, number, keys, plan.changed[key])
    for number in reversed(dropped):
        ws.delete_rows(number)
    last = ws.max_row
    for offset, key in enumerate(plan.added, start=1):
        _write_cells(ws, last + offset, keys, plan.changed[key])


def _write_cells(ws: Any, number: int, keys: list[str], row: dict[str, str]) -> None:
    for column, key in enumerate(keys, start=1):
        if key in row:
            cell = ws.cell(row=number, column=column)
            cell.value = row[key]
            cell.number_format = "@"  # text: Excel must not turn "2024-11" into a date


__all__ = [
    "SAVED_SHEETS",
    "WRITABLE_FORMATS",
    "SaveError",
    "SheetPlan",
    "csv_sheet_bytes",
    "save_back",
]

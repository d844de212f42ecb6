"""The dataset's problems kept current as it is edited, in the words of ``chronomap validate``.

The loader's problems describe the files as read. After an edit, the items it
changed are read again as rows of their sheet, by the same builders
(``records``), and their problems replace the ones their rows had; the
warnings about the events as a whole (``flags.evidence_problems``) are worked
out again. Rows the reader could not use stay as they were on disk (Save keeps
them), and so do their problems.

Cheap for a large dataset: an edit replaces only the items it changes, so the
items are compared with the last check's by identity, and only those that
differ are read again; plus one pass over the events for the evidence
warnings. Where each item stands in its file (its row) is read from the files
once (only the key columns are kept: 0.65 s for 100k events, which the window
does in a thread as the dataset opens, ``prepare``); an added item is numbered
after the file's last row, where Save puts it.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .editing import item_key, sheet_items
from .flags import evidence_problems
from .model import Dataset
from .problems import Problem, Problems, Severity
from .records import (
    Table,
    build_citations,
    build_events,
    build_places,
    build_sources,
    normalise_header,
)
from .schema import SHEETS, text_rows

# The sheets an edit can change, in the order their rows are read (each refers to
# the ones before it).
CHECKED = ("places", "sources", "events", "citations")
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


@dataclass
class SheetRows:
    """Where a sheet's items stand in its file: its label in messages, rows by key."""

    label: str
    header: list[str] = field(default_factory=list)
    rows: dict[Any, int] = field(default_factory=dict)
    next_row: int = 2  # where Save puts the first added item
    header_row: int = 1


def _row_key(sheet: str, values: dict[str, Any]) -> Any:
    def cell(name: str) -> str:
        value = values.get(name)
        return "" if value is None else str(value).strip()

    return (cell("event"), cell("source")) if sheet == "citations" else cell("id")


def _csv_rows(file: Path, sheet: str) -> SheetRows:
    """The rows of a sheet's CSV file by key, numbered as ``read_csv_table`` numbers them
    (records, not lines; the header is row 1), reading only the key columns."""
    from .formats.text import decode

    label = str(file)
    text = decode(file.read_bytes(), label, Problems())
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # Read a record at a time, keeping only the keys: a million rows held as lists of
    # cells would take a gigabyte for a moment, beside the open window.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: dict[Any, int] = {}
    last = 1  # the header's row, or the row before the first record when there is none
    try:
        header = [h.strip() for h in next(reader, [])]
        names = [normalise_header(h) for h in header]
        wanted = ("event", "source") if sheet == "citations" else ("id",)
        at = [names.index(n) if n in names else None for n in wanted]
        for last, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue  # as the reader: an empty row is no row
            cells = [record[i].strip() if i is not None and i < len(record) else "" for i in at]
            rows.setdefault(tuple(cells) if sheet == "citations" else cells[0], last)
    except csv.Error:
        return SheetRows(label)
    return SheetRows(label, header, rows, last + 1)


def _table_rows(sheet: str, table: Table) -> SheetRows:
    rows: dict[Any, int] = {}
    for number, values in table.rows:
        rows.setdefault(_row_key(sheet, values), number)
    last = max((n for n, _ in table.rows), default=table.header_row)
    return SheetRows(table.path, list(table.header), rows, last + 1, table.header_row)


def read_rows(path: Path, form: str) -> dict[str, SheetRows]:
    """Where each sheet's items stand in the dataset's files, as the loader numbers rows."""
    found: dict[str, SheetRows] = {}
    problems = Problems()  # already reported when the dataset was opened
    if form == "csv-folder":
        for sheet in CHECKED:
            file = path / f"{sheet}.csv"
            if file.is_file():
                found[sheet] = _csv_rows(file, sheet)
    elif form == "json":
        from .formats.json_file import json_tables, read_json

        doc = read_json(path, problems)
        if isinstance(doc, dict):
            tables = json_tables(doc, path, problems)
            found = {s: _table_rows(s, t) for s, t in tables.items() if s in CHECKED}
    elif form == "xlsx":
        from .formats.workbook import open_workbook, sheet_table

        book = open_workbook(path, problems)
        if book is not None:
            try:
                by_name = {normalise_header(n): n for n in book.sheetnames}
                for sheet in CHECKED:
                    if sheet in by_name:
                        table = sheet_table(path, book[by_name[sheet]], problems)
                        found[sheet] = _table_rows(sheet, table)
            finally:
                book.close()
    return found


def _held(dataset: Dataset, sheet: str) -> Sequence[Any]:
    """A sheet's items, as the last check saw them. A list is held as it is: edits
    build new lists, never change one, and events read as columns stay unbuilt
    until the first edit compares them."""
    items = getattr(dataset, sheet)
    return list(items.values()) if isinstance(items, dict) else items  # type: ignore[no-any-return]


class LiveProblems:
    """The problems of a dataset opened from ``path`` (``form``: as the loader named it)."""

    def __init__(
        self, path: Path | None, form: str, loaded: Dataset, problems: list[Problem]
    ) -> None:
        self._path = path
        self._form = form
        self._loaded = loaded
        self._problems = list(problems)
        self._where: dict[str, SheetRows] | None = None
        self._reading = threading.Lock()
        self._loaded_evidence: set[tuple[str, int, str, str]] | None = None
        self._keyed: dict[str, dict[Any, Any]] = {}
        # Per sheet: the items last checked, and what differs from the opened dataset
        # (key -> the item now, None when deleted) with each one's problems.
        self._raw: dict[str, Any] = {s: getattr(loaded, s) for s in CHECKED}
        self._last: dict[str, Sequence[Any]] = {s: _held(loaded, s) for s in CHECKED}
        self._added: dict[str, list[Any]] = {s: [] for s in CHECKED}  # keys, as added
        self._changed: dict[str, dict[Any, Any]] = {s: {} for s in CHECKED}
        self._fresh: dict[str, dict[Any, list[Problem]]] = {s: {} for s in CHECKED}
        self.current: list[Problem] = list(problems)

    def prepare(self) -> None:
        """Read where the rows stand now (a window calls it in a thread after opening,
        so the first edit does not wait for a large file to be read)."""
        self._sheets()

    def _sheets(self) -> dict[str, SheetRows]:
        with self._reading:
            return self._read_sheets()

    def _read_sheets(self) -> dict[str, SheetRows]:
        if self._where is None:
            found: dict[str, SheetRows] = {}
            if self._path is not None and self._form in ("csv-folder", "json", "xlsx"):
                try:
                    found = read_rows(self._path, self._form)
                except OSError:
                    found = {}
            self._where = {s: found.get(s) or SheetRows(self._label(s)) for s in CHECKED}
        return self._where

    def saved(self, path: Path, form: str, dataset: Dataset) -> LiveProblems:
        """After a save of ``dataset`` to ``path``: the same problems, at the rows the
        saved files give them (a deleted row moves the rows after it up), checked
        against the saved dataset from now on."""
        old = self._sheets()
        after = LiveProblems(path, form, dataset, [])
        new = after._sheets()
        moves: dict[tuple[str, int], tuple[str, int]] = {}
        for sheet in CHECKED:
            at = new[sheet].rows
            for key, row in old[sheet].rows.items():
                if key in at:
                    moves[old[sheet].label, row] = (new[sheet].label, at[key])
            for key in self._added[sheet]:  # numbered after the last row until saved
                if key in at:
                    row = old[sheet].next_row + self._added[sheet].index(key)
                    moves[old[sheet].label, row] = (new[sheet].label, at[key])
        moved = []
        for problem in self.current:
            where = moves.get((problem.path, problem.row))
            if where is not None:
                problem = Problem(
                    where[0], where[1], problem.column, problem.message, problem.severity
                )
            moved.append(problem)
        after._problems = after.current = moved
        return after

    def _label(self, sheet: str) -> str:
        if self._path is None:
            return sheet
        if self._form == "csv-folder":
            return str(self._path / f"{sheet}.csv")
        return f"{self._path}#{sheet}"

    def _before(self, sheet: str) -> dict[Any, Any]:
        """The opened dataset's items of a sheet, by key (built once)."""
        if sheet not in self._keyed:
            items = sheet_items(self._loaded, sheet)
            self._keyed[sheet] = {item_key(sheet, i): i for i in items}
        return self._keyed[sheet]

    def _differences(self, sheet: str, now: Sequence[Any]) -> dict[Any, Any]:
        """The items that differ from the last check's, by key (None: gone)."""
        last = self._last[sheet]
        if len(last) == len(now):
            # The usual edit: the same items in place, a few replaced.
            moved = [i for i, (a, b) in enumerate(zip(last, now, strict=True)) if a is not b]
            if all(item_key(sheet, last[i]) == item_key(sheet, now[i]) for i in moved):
                return {item_key(sheet, now[i]): now[i] for i in moved}
        old = {item_key(sheet, i): i for i in last}
        new = {item_key(sheet, i): i for i in now}
        return {k: new.get(k) for k in old.keys() | new.keys() if old.get(k) is not new.get(k)}

    def update(self, dataset: Dataset) -> list[Problem]:
        """The problems of ``dataset``, an edited version of the one opened."""
        sheets = self._sheets()
        for sheet in CHECKED:
            raw = getattr(dataset, sheet)
            if raw is self._raw[sheet]:
                continue  # an edit leaves the sheets it does not change as they were
            self._raw[sheet] = raw
            now = sheet_items(dataset, sheet)
            differ = self._differences(sheet, now)
            self._last[sheet] = now
            before = self._before(sheet)
            added = self._added[sheet]
            redo = []
            for key, item in differ.items():
                self._fresh[sheet].pop(key, None)
                if key not in before and key not in sheets[sheet].rows:
                    if item is None and key in added:
                        added.remove(key)
                    elif item is not None and key not in added:
                        added.append(key)
                if item is not None and before.get(key) == item:
                    self._changed[sheet].pop(key, None)  # back as it was opened
                    continue
                self._changed[sheet][key] = item
                if item is not None:
                    redo.append(item)
            if redo:
                self._recheck(sheet, redo, dataset, sheets[sheet])
        return self._collect(dataset, sheets)

    def _collect(self, dataset: Dataset, sheets: dict[str, SheetRows]) -> list[Problem]:
        dropped = {
            (sheets[s].label, sheets[s].rows[k])
            for s in CHECKED
            for k in self._changed[s]
            if k in sheets[s].rows
        }
        loaded_evidence = self._evidence_of_loaded(sheets["events"])
        kept = [
            p
            for p in self._problems
            if (p.path, p.row) not in dropped
            and (p.path, p.row, p.column, p.message) not in loaded_evidence
        ]
        fresh = [p for s in CHECKED for found in self._fresh[s].values() for p in found]
        evidence = self._evidence(dataset, sheets["events"])
        self.current = sorted(
            [*kept, *fresh, *evidence], key=lambda p: (_ORDER[p.severity], p.path, p.row)
        )
        return self.current

    def _recheck(self, sheet: str, items: list[Any], dataset: Dataset, where: SheetRows) -> None:
        rows = text_rows(SHEETS[sheet], items)
        written = {normalise_header(h): h for h in where.header}
        header = list(dict.fromkeys([*where.header, *(c for r in rows for c in r)]))
        added = self._added[sheet]
        for item, row in zip(items, rows, strict=True):
            key = item_key(sheet, item)
            number = where.rows.get(key)
            if number is None:
                # Added: after the file's last row, in the order they were added.
                number = where.next_row + (added.index(key) if key in added else len(added))
            values = {normalise_header(written.get(k, k)): v for k, v in row.items()}
            table = Table(where.label, header, [(number, values)], where.header_row)
            found = Problems()
            if sheet == "places":
                build_places(table, found)
            elif sheet == "sources":
                build_sources(table, found)
            elif sheet == "events":
                build_events(table, dataset.places, dataset.sources, found)
            else:
                build_citations(table, dataset.events_by_id(), dataset.sources, found)
            self._fresh[sheet][key] = list(found)

    def _evidence(self, dataset: Dataset, where: SheetRows) -> list[Problem]:
        found = []
        extra = where.next_row
        written = {normalise_header(h): h for h in where.header}
        for event, column, message in evidence_problems(dataset.events):
            number = where.rows.get(event.id)
            if number is None:
                number, extra = extra, extra + 1
            name = written.get(column, column)
            found.append(Problem(where.label, number, name, message, Severity.WARNING))
        return found

    def _evidence_of_loaded(self, where: SheetRows) -> set[tuple[str, int, str, str]]:
        if self._loaded_evidence is None:
            self._loaded_evidence = {
                (p.path, p.row, p.column, p.message) for p in self._evidence(self._loaded, where)
            }
        return self._loaded_evidence


__all__ = ["LiveProblems", "SheetRows", "read_rows"]

"""The dataset's problems kept current as it is edited, in the words of ``chronomap validate``.

The loader's problems describe the files as read. After an edit, the items it
changed are read again as rows of their sheet, by the same builders
(``records``), and their problems replace the ones their rows had; the
warnings about the events as a whole (``flags.evidence_problems``) are worked
out again. Rows the reader could not use stay as they were on disk (Save keeps
them), and so do their problems.

Cheap for a large dataset: only the changed items are read again (the edited
sheets' items are compared by identity, as an edit replaces only the items it
changes), plus one pass over the events for the evidence warnings. Where each
item stands in its file (its row) is read from the files once, on the first
edit; an added item is numbered after the file's last row, where Save puts it.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def read_tables(path: Path, form: str) -> dict[str, Table]:
    """The dataset's sheets as the loader reads them (rows numbered as it numbers them)."""
    problems = Problems()  # already reported when the dataset was opened
    tables: dict[str, Table] = {}
    if form == "csv-folder":
        from .formats.csv_folder import read_csv_table

        for sheet in CHECKED:
            file = path / f"{sheet}.csv"
            if file.is_file() and (table := read_csv_table(file, problems)) is not None:
                tables[sheet] = table
    elif form == "json":
        from .formats.json_file import json_tables, read_json

        doc = read_json(path, problems)
        if isinstance(doc, dict):
            tables = json_tables(doc, path, problems)
    elif form == "xlsx":
        from .formats.workbook import open_workbook, sheet_table

        book = open_workbook(path, problems)
        if book is not None:
            try:
                by_name = {normalise_header(n): n for n in book.sheetnames}
                for sheet in CHECKED:
                    if sheet in by_name:
                        tables[sheet] = sheet_table(path, book[by_name[sheet]], problems)
            finally:
                book.close()
    return tables


def _row_key(sheet: str, values: dict[str, Any]) -> Any:
    def cell(name: str) -> str:
        value = values.get(name)
        return "" if value is None else str(value).strip()

    return (cell("event"), cell("source")) if sheet == "citations" else cell("id")


@dataclass
class _SheetRows:
    """Where a sheet's items stand in its file: its label in messages, rows by key."""

    label: str
    header: list[str]
    rows: dict[Any, int]
    next_row: int
    header_row: int


class LiveProblems:
    """The problems of a dataset opened from ``path`` (``form``: as the loader named it)."""

    def __init__(
        self, path: Path | None, form: str, loaded: Dataset, problems: list[Problem]
    ) -> None:
        self._path = path
        self._form = form
        self._loaded = loaded
        self._problems = list(problems)
        self._places: dict[str, _SheetRows] | None = None
        self._loaded_evidence: set[tuple[str, int, str, str]] | None = None
        self.current: list[Problem] = list(problems)
        self._keyed: dict[str, dict[Any, Any]] = {}

    def _before(self, sheet: str) -> dict[Any, Any]:
        """The opened dataset's items of a sheet, by key (built once)."""
        if sheet not in self._keyed:
            items = sheet_items(self._loaded, sheet)
            self._keyed[sheet] = {item_key(sheet, i): i for i in items}
        return self._keyed[sheet]

    def _sheets(self) -> dict[str, _SheetRows]:
        if self._places is None:
            self._places = {}
            tables: dict[str, Table] = {}
            if self._path is not None and self._form in ("csv-folder", "json", "xlsx"):
                try:
                    tables = read_tables(self._path, self._form)
                except OSError:
                    tables = {}
            for sheet in CHECKED:
                table = tables.get(sheet)
                if table is None:
                    label = self._label(sheet)
                    self._places[sheet] = _SheetRows(label, [], {}, 2, 1)
                    continue
                rows: dict[Any, int] = {}
                for number, values in table.rows:
                    rows.setdefault(_row_key(sheet, values), number)
                last = max((n for n, _ in table.rows), default=table.header_row)
                self._places[sheet] = _SheetRows(
                    table.path, list(table.header), rows, last + 1, table.header_row
                )
        return self._places

    def _label(self, sheet: str) -> str:
        if self._path is None:
            return sheet
        if self._form == "csv-folder":
            return str(self._path / f"{sheet}.csv")
        return f"{self._path}#{sheet}"

    def update(self, dataset: Dataset) -> list[Problem]:
        """The problems of ``dataset``, an edited version of the one opened."""
        sheets = self._sheets()
        changed: dict[str, set[Any]] = {}
        fresh = Problems()
        for sheet in CHECKED:
            before = self._before(sheet)
            after = sheet_items(dataset, sheet)
            now = {item_key(sheet, i) for i in after}
            keys = {k for k in before if k not in now}
            redo = [i for i in after if before.get(item_key(sheet, i)) is not i]
            keys.update(item_key(sheet, i) for i in redo)
            changed[sheet] = keys
            if redo:
                self._recheck(sheet, redo, dataset, sheets[sheet], fresh)
        evidence = self._evidence(dataset, sheets["events"])
        dropped = {
            (sheets[s].label, sheets[s].rows[k])
            for s in CHECKED
            for k in changed[s]
            if k in sheets[s].rows
        }
        loaded_evidence = self._evidence_of_loaded(sheets["events"])
        kept = [
            p
            for p in self._problems
            if (p.path, p.row) not in dropped
            and (p.path, p.row, p.column, p.message) not in loaded_evidence
        ]
        self.current = _ordered([*kept, *fresh, *evidence])
        return self.current

    def _recheck(
        self, sheet: str, items: list[Any], dataset: Dataset, where: _SheetRows, into: Problems
    ) -> None:
        rows = text_rows(SHEETS[sheet], items)
        header = list(dict.fromkeys([*where.header, *(c for r in rows for c in r)]))
        table = Table(where.label, header, header_row=where.header_row)
        extra = where.next_row
        written = {normalise_header(h): h for h in where.header}
        for item, row in zip(items, rows, strict=True):
            number = where.rows.get(item_key(sheet, item))
            if number is None:
                number, extra = extra, extra + 1
            values = {normalise_header(written.get(k, k)): v for k, v in row.items()}
            table.rows.append((number, values))
        if sheet == "places":
            build_places(table, into)
        elif sheet == "sources":
            build_sources(table, into)
        elif sheet == "events":
            build_events(table, dataset.places, dataset.sources, into)
        else:
            by_id = dataset.events_by_id()
            # Each pair is read alone: the dataset's own pairs are unique already.
            for number, values in table.rows:
                one = Table(table.path, table.header, [(number, values)], table.header_row)
                build_citations(one, by_id, dataset.sources, into)

    def _evidence(self, dataset: Dataset, where: _SheetRows) -> list[Problem]:
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

    def _evidence_of_loaded(self, where: _SheetRows) -> set[tuple[str, int, str, str]]:
        if self._loaded_evidence is None:
            self._loaded_evidence = {
                (p.path, p.row, p.column, p.message) for p in self._evidence(self._loaded, where)
            }
        return self._loaded_evidence


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (_ORDER[p.severity], p.path, p.row))


__all__ = ["LiveProblems", "read_tables"]

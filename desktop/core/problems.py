"""Problems found while reading a dataset, each pointing at the cell to fix."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    # What a reader decided and why (a date order, an encoding, a preset): nothing to fix.
    NOTE = "note"


@dataclass(frozen=True)
class Problem:
    """One thing to fix, printed as ``PATH:ROW:COLUMN: severity: message``.

    ROW is the row as a spreadsheet shows it (the header is row 1), or the
    1-based item number in a JSON list, or the line of a JSON syntax error;
    0 means the whole file. COLUMN is the column's name as written in the
    header, or "-" when the problem is not about one column.
    """

    path: str
    row: int
    column: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        line = f"{self.path}:{self.row}:{self.column or '-'}: {self.severity}: {self.message}"
        # One problem, one line: a line break read from the file (in a column's name,
        # say) is shown escaped.
        return line.replace("\r", "\\r").replace("\n", "\\n")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class Problems(list[Problem]):
    """An append-only list with shorthands for the two severities."""

    def error(self, path: str, row: int, column: str, message: str) -> None:
        self.append(Problem(path, row, column, message, Severity.ERROR))

    def warning(self, path: str, row: int, column: str, message: str) -> None:
        self.append(Problem(path, row, column, message, Severity.WARNING))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\d+(?:\.\d+)?")


def _ranges(rows: list[int], limit: int = 6) -> str:
    """Row numbers as runs: "2–4383", "2, 5–9, 12"; long lists end with "…"."""
    runs: list[tuple[int, int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    parts = [f"{a}" if a == b else f"{a}–{b}" for a, b in runs[:limit]]
    return ", ".join(parts) + (", …" if len(runs) > limit else "")


@dataclass(frozen=True)
class ProblemGroup:
    """Problems alike (the same message, values aside, in one file and column)."""

    first: Problem
    rows: tuple[int, ...]
    same: bool  # every message is exactly the first's

    @property
    def count(self) -> int:
        return len(self.rows)

    def rows_text(self) -> str:
        """ "5", or "rows 2–4383 (4,382)" """
        if self.count == 1:
            return str(self.first.row)
        return f"rows {_ranges(list(self.rows))} ({self.count:,})"

    def message(self) -> str:
        return self.first.message if self.same else f"{self.first.message} (and alike)"

    def __str__(self) -> str:
        if self.count == 1:
            return str(self.first)
        p = self.first
        return (
            f"{p.path}:{min(self.rows)}:{p.column or '-'}: {p.severity}: "
            f"{self.rows_text()}: {self.message()}"
        )


def group_problems(problems: list[Problem]) -> list[ProblemGroup]:
    """Problems alike as one group each: errors first, then warnings, then notes."""
    groups: dict[tuple[str, str, Severity, str], list[Problem]] = {}
    for problem in problems:
        key = (problem.path, problem.column, problem.severity, _QUOTED.sub("…", problem.message))
        groups.setdefault(key, []).append(problem)
    found = [
        ProblemGroup(
            members[0],
            tuple(m.row for m in members),
            all(m.message == members[0].message for m in members),
        )
        for members in groups.values()
    ]
    return sorted(found, key=lambda g: _ORDER[g.first.severity])  # stable: file order kept


def grouped_lines(problems: list[Problem]) -> list[str]:
    """One line per kind of problem (see group_problems).

    Each line keeps the ``PATH:ROW:COLUMN: severity: message`` shape, ROW being the
    first row, so tools that read it still can: ``f.csv:2:Place: warning: rows
    2–4383 (4,382): no coordinates: the event is on the timeline only``.
    """
    return [str(group) for group in group_problems(problems)]

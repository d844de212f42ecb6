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
        return f"{self.path}:{self.row}:{self.column or '-'}: {self.severity}: {self.message}"

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


def grouped_lines(problems: list[Problem]) -> list[str]:
    """One line per kind of problem: the same message (values aside) in the same file and
    column is one line with its rows and count, errors first, then warnings, then notes.

    Each line keeps the ``PATH:ROW:COLUMN: severity: message`` shape, ROW being the
    first row, so tools that read it still can: ``f.csv:2:Place: warning: rows
    2–4383 (4,382): no coordinates: the event is on the timeline only``.
    """
    groups: dict[tuple[str, str, Severity, str], list[Problem]] = {}
    for problem in problems:
        key = (problem.path, problem.column, problem.severity, _QUOTED.sub("…", problem.message))
        groups.setdefault(key, []).append(problem)
    lines: list[tuple[int, int, str]] = []
    for index, ((path, column, severity, _), members) in enumerate(groups.items()):
        first = members[0]
        if len(members) == 1:
            text = str(first)
        else:
            same = all(m.message == first.message for m in members)
            message = first.message if same else f"{first.message} (and alike)"
            rows = [m.row for m in members]
            text = (
                f"{path}:{min(rows)}:{column or '-'}: {severity}: "
                f"rows {_ranges(rows)} ({len(members):,}): {message}"
            )
        lines.append((_ORDER[severity], index, text))
    return [text for _, _, text in sorted(lines)]

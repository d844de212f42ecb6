"""Problems found while reading a dataset, each pointing at the cell to fix."""

from __future__ import annotations

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

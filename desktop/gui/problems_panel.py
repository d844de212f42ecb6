"""The dataset's problems, one per row, pointing at the file, row and column to fix."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from desktop.core.problems import Problem

COLUMNS = ("Severity", "File", "Row", "Column", "Message")


class ProblemsPanel(QTableWidget):
    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("problemsPanel")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self._problems: list[Problem] = []

    def set_problems(self, problems: list[Problem]) -> None:
        self._problems = list(problems)
        self.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            cells = (
                str(problem.severity),
                problem.path,
                str(problem.row),
                problem.column or "-",
                problem.message,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(problem))
                self.setItem(row, column, item)

    def problems(self) -> list[Problem]:
        return list(self._problems)

    def summary(self) -> str:
        errors = sum(p.is_error for p in self._problems)
        warnings = len(self._problems) - errors
        return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"

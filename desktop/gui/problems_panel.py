"""The dataset's problems, pointing at the file, row and column to fix; the same problem on
many rows is one line with its rows and count."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from desktop.core.problems import Problem, Severity, group_problems

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
        groups = group_problems(self._problems)
        self.setRowCount(len(groups))
        for row, group in enumerate(groups):
            problem = group.first
            cells = (
                str(problem.severity),
                problem.path,
                group.rows_text(),
                problem.column or "-",
                group.message(),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(group))
                self.setItem(row, column, item)

    def problems(self) -> list[Problem]:
        return list(self._problems)

    def summary(self) -> str:
        errors = sum(p.is_error for p in self._problems)
        warnings = sum(p.severity is Severity.WARNING for p in self._problems)
        return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"

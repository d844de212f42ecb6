"""The dataset's problems, pointing at the file, row and column to fix; the same problem on
many rows is one line with its rows and count.

After each edit, Undo or Redo the list is worked out again for the edited dataset
(``core.live_problems``): fixing a problem removes it, an edit that makes one
shows it. Edits in quick succession (a held Ctrl+Z) are checked once, after the
last.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from desktop.core.live_problems import LiveProblems
from desktop.core.model import Dataset
from desktop.core.problems import Problem, Severity, group_problems

RECHECK_MS = 120  # after the last of a burst of edits
# Up to this many events, where each row stands is read as the dataset opens;
# beyond, on the first edit: reading a million rows in Python beside the window
# would hold it back for seconds (and its memory) on every open, edited or not.
PREPARE_MOST = 200_000
# Below this many, the rows are read on the first edit, in milliseconds: a thread
# started as the window opens would take the interpreter from its first frame.
PREPARE_LEAST = 5_000

COLUMNS = ("Severity", "File", "Row", "Column", "Message")


class ProblemsPanel(QTableWidget):
    sigChanged = Signal()  # the list was worked out again after an edit

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
        self._live: LiveProblems | None = None
        self._edited: Dataset | None = None
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self.recheck)

    def opened(self, path: Path | None, form: str, dataset: Dataset, problems: list[Problem]):
        """A dataset was opened (or reloaded) with the loader's ``problems``."""
        self._recheck.stop()
        self._live = LiveProblems(path, form, dataset, problems)
        # Where each row stands is read from the files now, beside the window: 0.65 s
        # for 100k events, which the first edit would otherwise wait for.
        if PREPARE_LEAST <= len(dataset.events) <= PREPARE_MOST:
            threading.Thread(target=self._live.prepare, daemon=True).start()
        self._edited = None
        self.set_problems(problems)

    def edited(self, dataset: Dataset) -> None:
        """The open dataset was edited: check it again shortly."""
        if self._live is not None:
            self._edited = dataset
            self._recheck.start()

    def saved(self, path: Path, form: str, dataset: Dataset) -> None:
        """The dataset was saved: the problems move to the rows the saved files give them."""
        self.recheck()
        if self._live is not None:
            self._live = self._live.saved(path, form, dataset)
            self.set_problems(self._live.current)
            self.sigChanged.emit()

    def recheck(self) -> None:
        """Check the edited dataset now (the timer does this after a burst of edits)."""
        self._recheck.stop()
        if self._live is None or self._edited is None:
            return
        self.set_problems(self._live.update(self._edited))
        self._edited = None
        self.sigChanged.emit()

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

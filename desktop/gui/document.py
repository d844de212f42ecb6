"""The open dataset as a document: one undo history for data and story, saving, closing.

Every edit (an event's form, a delete, a story step) is a QUndoCommand on one
QUndoStack, so Edit > Undo names and undoes the last edit whatever it was. The
commands wrap the Qt-free edits of ``desktop.core.editing``: the model never
learns about Qt. The stack's clean state is "saved": the title bar's ``[*]``
and the question on closing follow it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.core.atomic import write_error
from desktop.core.editing import Edit
from desktop.core.load import LoadResult
from desktop.core.model import Dataset
from desktop.core.save import save_dataset
from desktop.core.save_back import WRITABLE_FORMATS, SaveError, save_back

# What the Save As dialog offers, and the form each choice is saved in.
SAVE_AS_FILTER = "Chronomap JSON (*.json);;Excel workbook (*.xlsx);;CSV folder (no extension) (*)"


def _is_builtin(path: Path) -> bool:
    from desktop.resources import builtin_dataset

    return path.resolve() == Path(builtin_dataset()).resolve()


def form_of(path: Path) -> str:
    return {".json": "json", ".xlsx": "xlsx"}.get(path.suffix.lower(), "csv-folder")


class DataCommand(QUndoCommand):
    """A data edit: Redo applies it, Undo its inverse, each with the selection it leaves."""

    def __init__(self, document: Document, edit: Edit, select: tuple[str, ...] | None):
        super().__init__(edit.name)
        self._document = document
        self._edit = edit
        self._before = document.state_selection()
        self._after = select

    def redo(self) -> None:
        self._document.show(self._edit.apply(self._document.dataset()), self._after)

    def undo(self) -> None:
        self._document.show(self._edit.inverse().apply(self._document.dataset()), self._before)


class Document(QObject):
    """The dataset being edited, where it came from, and its undo history."""

    sigSaved = Signal(object)  # Path written
    sigMessage = Signal(str)  # one line for the status bar

    def __init__(
        self,
        parent: QWidget,
        current: Callable[[], Dataset],
        show: Callable[[Dataset, tuple[str, ...] | None], None],
        selection: Callable[[], tuple[str, ...]],
    ):
        """``current()``: the dataset as edited (story included); ``show(dataset, selection)``
        puts an edited dataset on screen keeping the view; ``selection()``: what is selected."""
        super().__init__(parent)
        self._parent = parent
        self._current = current
        self._show = show
        self._selection = selection
        self.result: LoadResult | None = None
        self.saved: Dataset = Dataset()  # the dataset as the files hold it
        self.stack = QUndoStack(self)
        self.undo_action = self.stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = self.stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.save_action = QAction("&Save", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setStatusTip(
            "Write the edits into the dataset they came from (a .bak of each file is kept)"
        )
        self.save_action.triggered.connect(self.save)
        self.save_as_action = QAction("Save Dataset &As…", self)
        self.save_as_action.setShortcut(QKeySequence(QKeySequence.StandardKey.SaveAs))
        self.save_as_action.triggered.connect(self.save_as)
        self.stack.cleanChanged.connect(self._clean_changed)
        self._update_actions()

    # -- the dataset ----------------------------------------------------------

    def dataset(self) -> Dataset:
        return self._current()

    def state_selection(self) -> tuple[str, ...]:
        return self._selection()

    def show(self, dataset: Dataset, selection: tuple[str, ...] | None) -> None:
        self._show(dataset, selection)

    def opened(self, result: LoadResult) -> None:
        """A dataset was opened: it is the saved one, with a fresh history."""
        self.result = result
        self.saved = self._current()
        self.stack.clear()
        self.stack.setClean()
        self._update_actions()

    def closed(self) -> None:
        """No dataset to save (a source queried, not loaded): Save and the edits are off."""
        self.result = None
        self.saved = self._current()
        self.stack.clear()
        self.stack.setClean()
        self._update_actions()

    def apply(self, edit: Edit, select: tuple[str, ...] | None = None) -> bool:
        """Make an edit (undoably); ``select``: the events selected after it."""
        if edit.empty or self.result is None:
            # No dataset to edit (a source queried, not loaded): a marker dragged or a
            # panel's button cannot change what is read where it lies.
            return False
        self.stack.push(DataCommand(self, edit, select))
        return True

    @property
    def modified(self) -> bool:
        return not self.stack.isClean()

    def _clean_changed(self, _clean: bool) -> None:
        # A stack deleted with edits on it says so while the window is being destroyed.
        if shiboken6.isValid(self.stack) and shiboken6.isValid(self.save_action):
            self._update_actions()

    def _update_actions(self) -> None:
        self.save_action.setEnabled(self.result is not None and self.modified)
        self.save_as_action.setEnabled(self.result is not None)

    # -- saving ---------------------------------------------------------------

    def save(self) -> bool:
        """Save into the dataset it came from; an imported format saves as a new dataset."""
        result = self.result
        if result is None:
            return False
        if result.format not in WRITABLE_FORMATS or _is_builtin(Path(result.path)):
            return self.save_as()  # never over a foreign file, nor the built-in briefing
        current = self._current()
        try:
            save_back(result.path, result.format, self.saved, current)
        except SaveError as exc:
            self._failed(str(exc))
            return False
        self._saved_as(current, Path(result.path))
        return True

    def save_as(self, path: str | Path | None = None) -> bool:
        """Save the whole dataset as a new Chronomap dataset; later saves go there."""
        result = self.result
        if result is None:
            return False
        if path is None:
            start = Path(result.path)
            suggestion = str(start.with_name(start.stem + "-edited.json"))
            chosen, _ = QFileDialog.getSaveFileName(
                self._parent, "Save dataset as", suggestion, SAVE_AS_FILTER
            )
            if not chosen:
                return False
            path = chosen
        target = Path(path)
        current = self._current()
        try:
            save_dataset(current, target)
        except OSError as exc:
            self._failed(write_error(target, exc))
            return False
        except ValueError as exc:
            self._failed(str(exc))
            return False
        self.result = replace(result, path=target, format=form_of(target))
        self._saved_as(current, target)
        return True

    def _saved_as(self, dataset: Dataset, path: Path) -> None:
        self.saved = dataset
        self.stack.setClean()
        self._update_actions()
        self.sigSaved.emit(path)
        self.sigMessage.emit(f"Saved {path}")

    def _failed(self, reason: str) -> None:
        # The edits stay in the window: nothing is lost by a save that failed.
        line = " ".join(reason.split())
        self.sigMessage.emit(f"Not saved: {line}")
        QMessageBox.critical(self._parent, "Not saved", f"Not saved: {line}")

    def may_discard(self) -> bool:
        """Before the dataset is replaced or the window closes: save, discard or cancel."""
        if not self.modified:
            return True
        answer = QMessageBox.question(
            self._parent,
            "Unsaved edits",
            "The dataset has edits that are not saved. Save them?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

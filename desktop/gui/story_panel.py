"""The story panel: the briefing's steps, built from what the analyst is looking at.

The panel owns the StoryEditor for the open dataset; every edit goes through
it, so Undo/Redo and "modified" cover buttons, drags and dialogs alike. Saving
writes only the story back into the dataset (or, for a form a story cannot be
written into, saves a new Chronomap dataset).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.atomic import write_error
from desktop.core.briefing import capture_step, show_step
from desktop.core.display import window_words
from desktop.core.load import LoadResult
from desktop.core.model import StoryStep
from desktop.core.story import STORY_WRITABLE_FORMATS, StoryEditor, save_story
from desktop.core.view_state import ViewState


def step_summary(step: StoryStep) -> str:
    """One list entry: the number and title, then the caption on a second line."""
    window = window_words(step.start, step.end)
    dates = f"  ·  {window}" if window else ""
    caption = step.caption or "(no caption)"
    return f"{step.order}. {step.title}{dates}\n{caption}"


class StepDialog(QDialog):
    """Edit a step's words: title, caption (for the audience) and speaker notes."""

    def __init__(self, step: StoryStep, parent=None):
        super().__init__(parent)
        self.setObjectName("stepDialog")
        self.setWindowTitle(f"Step {step.order}")
        self.title = QLineEdit(step.title)
        self.caption = QPlainTextEdit(step.caption)
        self.caption.setTabChangesFocus(True)
        self.notes = QPlainTextEdit(step.notes)
        self.notes.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Caption", self.caption)
        form.addRow("Speaker &notes", self.notes)
        shown = ", ".join(step.events) or "none"
        form.addRow("Events", QLabel(shown, wordWrap=True))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 420)

    def changes(self) -> dict[str, str]:
        return {
            "title": self.title.text().strip() or "Untitled step",
            "caption": self.caption.toPlainText().strip(),
            "notes": self.notes.toPlainText().strip(),
        }


class StoryPanel(QWidget):
    """The list of steps with add, edit, reorder, delete, undo and save."""

    sigSaved = Signal(object)  # Path written

    def __init__(self, state: ViewState, parent=None):
        super().__init__(parent)
        self.setObjectName("storyPanel")
        self._state = state
        self.result: LoadResult | None = None
        self.editor = StoryEditor([])
        self.editor.subscribe(self._refresh)

        self.list = QListWidget()
        self.list.setObjectName("storyList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.itemClicked.connect(lambda item: self.show_step(self.list.row(item)))
        self.list.itemActivated.connect(lambda item: self.show_step(self.list.row(item)))
        self.list.itemDoubleClicked.connect(lambda item: self.edit_step(self.list.row(item)))
        self.list.model().rowsMoved.connect(self._dragged)
        self.list.currentRowChanged.connect(lambda _row: self._update_actions())

        self.add_button = QPushButton("Add current view")
        self.add_button.setToolTip("Add what the window shows now (selection, window, map view)")
        self.add_button.clicked.connect(self.add_current_view)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(lambda: self.edit_step(self.list.currentRow()))
        self.up_button = QPushButton("Up")
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton("Down")
        self.down_button.clicked.connect(lambda: self.move_current(+1))
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_current)
        row1 = QHBoxLayout()
        row1.addWidget(self.add_button, 1)
        row1.addWidget(self.edit_button)
        row2 = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.delete_button):
            row2.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(row1)
        layout.addWidget(self.list, 1)
        layout.addLayout(row2)

        self.undo_action = QAction("&Undo Story Edit", self)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.triggered.connect(lambda: self.editor.undo())
        self.redo_action = QAction("&Redo Story Edit", self)
        self.redo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.redo_action.triggered.connect(lambda: self.editor.redo())
        self.save_action = QAction("&Save Story", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setStatusTip("Write the story back into the dataset (a backup is kept)")
        self.save_action.triggered.connect(self.save)
        self.save_as_action = QAction("Save Dataset &As…", self)
        self.save_as_action.triggered.connect(self.save_as)
        self.add_action = QAction("&Add Current View as Step", self)
        self.add_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.add_action.triggered.connect(self.add_current_view)
        self._refresh()

    # -- the dataset --------------------------------------------------------

    def set_result(self, result: LoadResult) -> None:
        """A dataset was opened: its story becomes the one edited (with a fresh undo history)."""
        self.result = result
        self.editor = StoryEditor(list(result.dataset.story))
        self.editor.subscribe(self._refresh)
        self._refresh()

    @property
    def steps(self) -> list[StoryStep]:
        return self.editor.steps

    def steps_now(self) -> list[StoryStep]:
        return self.editor.steps

    def current_dataset(self):
        """The open dataset with the story as edited (saved or not)."""
        return replace(self._state.dataset, story=self.editor.steps)

    # -- editing ------------------------------------------------------------

    def add_current_view(self) -> None:
        """Add a step for what the window shows: selection, window, and the map's camera
        (as the map last reported it; none before the map has drawn)."""
        state = self._state
        selection = tuple(state.selection)
        if selection:
            title = state.dataset.event(selection[0]).title
        else:
            title = f"Step {len(self.editor.steps) + 1}"
        step = capture_step(title, selection, state.window, state.camera)
        index = self.list.currentRow() + 1 if self.list.currentRow() >= 0 else None
        self.editor.add(step, index)
        row = index if index is not None else len(self.editor.steps) - 1
        self.list.setCurrentRow(row)

    def edit_step(self, index: int) -> bool:
        steps = self.editor.steps
        if not 0 <= index < len(steps):
            return False
        dialog = StepDialog(steps[index], self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        changes = dialog.changes()
        step = steps[index]
        if any(getattr(step, k) != v for k, v in changes.items()):
            self.editor.edit(index, **changes)
        self.list.setCurrentRow(index)
        return True

    def move_current(self, offset: int) -> None:
        row = self.list.currentRow()
        target = row + offset
        if row < 0 or not 0 <= target < self.list.count():
            return
        self.editor.move(row, target)
        self.list.setCurrentRow(target)

    def delete_current(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        self.editor.delete(row)
        self.list.setCurrentRow(min(row, self.list.count() - 1))

    def _dragged(self, _parent: QModelIndex, start: int, _end: int, _dest, row: int) -> None:
        # The list has already moved its item; the editor makes the same move
        # (so it can be undone) and the list is redrawn from it after the drop.
        target = row if row < start else row - 1
        QTimer.singleShot(0, lambda: self._apply_drag(start, target))

    def _apply_drag(self, start: int, target: int) -> None:
        if start != target:
            self.editor.move(start, target)
            self.list.setCurrentRow(target)
        else:
            self._refresh()

    # -- showing ------------------------------------------------------------

    def show_step(self, index: int, animate: bool = True) -> None:
        steps = self.editor.steps
        if 0 <= index < len(steps):
            show_step(self._state, steps[index], animate)

    def _refresh(self) -> None:
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for step in self.editor.steps:
            item = QListWidgetItem(step_summary(step))
            item.setToolTip(step.notes or step.caption)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsDragEnabled)
            self.list.addItem(item)
        self.list.setCurrentRow(min(row, self.list.count() - 1))
        self.list.blockSignals(False)
        self._update_actions()
        self._follow_step()

    def _follow_step(self) -> None:
        """The step on screen stays on screen when its words change or it moves (an export
        then names it as edited); it leaves when what it shows changes or it is deleted."""
        shown = self._state.step
        if shown is None:
            return

        def shows(step: StoryStep) -> tuple:
            return (step.events, step.start, step.end, step.view)

        alike = [s for s in self.editor.steps if shows(s) == shows(shown)]
        if shown in alike:
            return
        named = [s for s in alike if s.title == shown.title]
        self._state.set_step((named or alike)[0] if alike else None)

    def _update_actions(self) -> None:
        has = self.list.currentRow() >= 0
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(has)
        self.up_button.setEnabled(has and self.list.currentRow() > 0)
        self.down_button.setEnabled(has and self.list.currentRow() < self.list.count() - 1)
        self.undo_action.setEnabled(self.editor.can_undo)
        self.redo_action.setEnabled(self.editor.can_redo)
        self.save_action.setEnabled(self.result is not None and self.editor.modified)
        self.save_as_action.setEnabled(self.result is not None)
        self.add_button.setEnabled(bool(self._state.dataset.events))

    # -- saving -------------------------------------------------------------

    @property
    def modified(self) -> bool:
        return self.editor.modified

    def save(self) -> bool:
        """Save the story into the dataset it came from, or as a new dataset if it cannot be."""
        if self.result is None:
            return False
        if self.result.format not in STORY_WRITABLE_FORMATS:
            return self.save_as()
        path = Path(self.result.path)
        try:
            save_story(self.result.path, self.editor.steps)
        except OSError as exc:
            QMessageBox.critical(self, "Save story", f"Story not saved: {write_error(path, exc)}")
            return False
        except ValueError as exc:
            QMessageBox.critical(self, "Save story", f"Story not saved: {exc}")
            return False
        self.editor.mark_saved()
        self._update_actions()
        self.sigSaved.emit(Path(self.result.path))
        return True

    def save_as(self) -> bool:
        """Save the whole dataset, with this story, as a new Chronomap dataset."""
        from desktop.core.save import save_dataset

        if self.result is None:
            return False
        start = Path(self.result.path)
        suggestion = str(start.with_name(start.stem + "-story.json"))
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save dataset as",
            suggestion,
            "Chronomap JSON (*.json);;Excel workbook (*.xlsx);;CSV folder (no extension) (*)",
        )
        if not path:
            return False
        try:
            save_dataset(self.current_dataset(), path)
        except OSError as exc:
            QMessageBox.critical(self, "Save dataset", f"Not saved: {write_error(path, exc)}")
            return False
        except ValueError as exc:
            QMessageBox.critical(self, "Save dataset", f"Not saved: {exc}")
            return False
        # Later saves go into the new dataset, which now holds this story.
        target = Path(path)
        kind = {".json": "json", ".xlsx": "xlsx"}.get(target.suffix.lower(), "csv-folder")
        self.result = replace(self.result, path=target, format=kind)
        self.editor.mark_saved()
        self._update_actions()
        self.sigSaved.emit(target)
        return True

    def may_discard(self) -> bool:
        """Before the story is replaced or the window closes: save, discard or cancel."""
        if not self.modified:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved story",
            "The story has changes that are not saved. Save them?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

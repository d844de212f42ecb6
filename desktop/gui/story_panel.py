"""The story panel: the briefing's steps, built from what the analyst is looking at.

The panel owns the StoryEditor for the open dataset; every edit goes through
it and onto the window's one undo history (a StoryCommand), so Undo/Redo and
"modified" cover buttons, drags and dialogs alike, in turn with data edits. The
window's Save writes the story with the rest of the dataset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.briefing import capture_step, show_step
from desktop.core.display import window_words
from desktop.core.load import LoadResult
from desktop.core.model import StoryStep
from desktop.core.story import StoryEditor
from desktop.core.view_state import ViewState

from .event_form import ok_cancel


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
        ok_cancel(self, form)
        self.resize(520, 420)

    def changes(self) -> dict[str, str]:
        return {
            "title": self.title.text().strip() or "Untitled step",
            "caption": self.caption.toPlainText().strip(),
            "notes": self.notes.toPlainText().strip(),
        }


class StoryCommand(QUndoCommand):
    """A story edit, already made by the editor when pushed: Undo puts the old steps back,
    Redo the new ones."""

    def __init__(
        self, panel: StoryPanel, name: str, before: list[StoryStep], after: list[StoryStep]
    ):
        super().__init__(name)
        self._panel, self._before, self._after = panel, before, after
        self._done = True

    def redo(self) -> None:
        if self._done:  # pushed after the edit was made: nothing to do the first time
            self._done = False
            return
        self._panel.editor.restore(self._after)

    def undo(self) -> None:
        self._panel.editor.restore(self._before)


class StoryPanel(QWidget):
    """The list of steps with add, edit, reorder and delete, each undoable."""

    def __init__(self, state: ViewState, undo_stack: QUndoStack | None = None, parent=None):
        """``undo_stack``: the window's one history (the panel keeps its own without one)."""
        super().__init__(parent)
        self.setObjectName("storyPanel")
        self._state = state
        self.result: LoadResult | None = None
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
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

        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
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
        self._edit(f"Add step “{step.title}”", lambda: self.editor.add(step, index))
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
            self._edit(
                f"Edit step “{changes['title']}”", lambda: self.editor.edit(index, **changes)
            )
        self.list.setCurrentRow(index)
        return True

    def move_current(self, offset: int) -> None:
        row = self.list.currentRow()
        target = row + offset
        if row < 0 or not 0 <= target < self.list.count():
            return
        self._edit("Move step", lambda: self.editor.move(row, target))
        self.list.setCurrentRow(target)

    def delete_current(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        title = self.editor.steps[row].title
        self._edit(f"Delete step “{title}”", lambda: self.editor.delete(row))
        self.list.setCurrentRow(min(row, self.list.count() - 1))

    def _edit(self, name: str, change: Callable[[], None]) -> None:
        """Make a change through the editor, and put it on the undo history."""
        before = self.editor.steps
        change()
        after = self.editor.steps
        if after != before:
            self.undo_stack.push(StoryCommand(self, name, before, after))

    def _dragged(self, _parent: QModelIndex, start: int, _end: int, _dest, row: int) -> None:
        # The list has already moved its item; the editor makes the same move
        # (so it can be undone) and the list is redrawn from it after the drop.
        target = row if row < start else row - 1
        QTimer.singleShot(0, lambda: self._apply_drag(start, target))

    def _apply_drag(self, start: int, target: int) -> None:
        if start != target:
            self._edit("Move step", lambda: self.editor.move(start, target))
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
        self.add_button.setEnabled(bool(self._state.dataset.events))

    @property
    def modified(self) -> bool:
        return self.editor.modified

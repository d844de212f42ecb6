"""New, edit, duplicate and delete events: the Edit menu's actions, each one undoable edit."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from desktop.core.editing import add_event, change_event, delete_events, duplicate_event
from desktop.core.model import Citation, Dataset, Event
from desktop.core.moving import move_event
from desktop.core.view_state import SELECTION, ViewState

from .document import Document
from .event_form import CitedSource, EventDialog


def citations_for(event: Event, cited: Sequence[CitedSource]) -> list[Citation]:
    """The citation rows for the form's table: a row per source with a quote or locator
    (a source cited with neither needs none: the event's sources list it)."""
    return [
        Citation(event.id, c.source, c.quote, c.locator, extra=c.extra)
        for c in cited
        if c.quote or c.locator
    ]


class EventActions(QObject):
    """The actions, enabled as the selection allows; the form opens in ``parent``."""

    def __init__(self, parent: QWidget, state: ViewState, document: Document):
        super().__init__(parent)
        self._parent = parent
        self._state = state
        self._document = document
        self.new_action = QAction("&New Event…", self)
        self.new_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_action.triggered.connect(lambda: self.new_event())
        self.edit_action = QAction("&Edit Event…", self)
        self.edit_action.setShortcut(QKeySequence("Ctrl+E"))
        self.edit_action.triggered.connect(lambda: self.edit_event())
        self.duplicate_action = QAction("D&uplicate Event", self)
        self.duplicate_action.setShortcut(QKeySequence("Ctrl+D"))
        self.duplicate_action.triggered.connect(self.duplicate_selected)
        self.delete_action = QAction("&Delete Events", self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.triggered.connect(self.delete_selected)
        self.actions = [self.new_action, self.edit_action, self.duplicate_action]
        self.actions.append(self.delete_action)
        # Tests (and the review panel) answer the form themselves.
        self.run_dialog: Callable[[EventDialog], bool] = lambda dialog: (
            dialog.exec() == QDialog.DialogCode.Accepted
        )
        state.subscribe(lambda changed: self._update() if SELECTION in changed else None)
        self._update()

    def _dataset(self) -> Dataset:
        return self._document.dataset()

    def _update(self) -> None:
        has = self._document.result is not None
        count = len(self._state.selection)
        self.new_action.setEnabled(has)
        self.edit_action.setEnabled(has and count == 1)
        self.duplicate_action.setEnabled(has and count == 1)
        self.delete_action.setEnabled(has and count >= 1)
        self.delete_action.setText("&Delete Event" if count <= 1 else f"&Delete {count} Events")

    def dataset_opened(self) -> None:
        self._update()

    def new_event(self) -> Event | None:
        dataset = self._dataset()
        dialog = EventDialog(dataset, None, self._parent)
        selected = self._state.selection
        if selected:  # a new event starts in the category of the one in view
            dialog.category.setCurrentText(dataset.event(selected[0]).category)
        if not self.run_dialog(dialog) or dialog.made is None:
            return None
        event = dialog.made
        edit = add_event(dataset, event, citations_for(event, dialog.cited_sources()))
        self._document.apply(edit, (event.id,))
        return event

    def edit_event(self, event_id: str | None = None) -> Event | None:
        if event_id is None:
            if len(self._state.selection) != 1:
                return None
            event_id = self._state.selection[0]
        dataset = self._dataset()
        dialog = EventDialog(dataset, dataset.event(event_id), self._parent)
        if not self.run_dialog(dialog) or dialog.made is None:
            return None
        event = dialog.made
        citations = citations_for(event, dialog.cited_sources())
        self._document.apply(change_event(dataset, event, citations), (event.id,))
        return event

    def move(self, event: Event) -> None:
        """An event dragged along the timeline to a new date: one undoable edit."""
        if self._document.result is not None and self._dataset().has_event(event.id):
            self._document.apply(move_event(self._dataset(), event), (event.id,))

    def duplicate_selected(self) -> None:
        if len(self._state.selection) == 1:
            edit = duplicate_event(self._dataset(), self._state.selection[0])
            copy = edit.puts[0].after
            assert copy is not None
            self._document.apply(edit, (copy.id,))

    def delete_selected(self) -> None:
        ids = list(self._state.selection)
        if ids:
            self._document.apply(delete_events(self._dataset(), ids), ())

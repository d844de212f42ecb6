"""The event list: the visible events in date order, selection shared with the state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from desktop.core import flags
from desktop.core.display import plain_text, shorten
from desktop.core.model import Event
from desktop.core.view_state import SHOWN, ViewState

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Date", "Title", "Places")


class EventTableModel(QAbstractTableModel):
    """Rows are the state's visible events; refreshed when the filters change.

    The rows are the state's visible rows in date order: a refresh after a
    brush copies nothing and lists no ids, a row's event is read by its place
    in the date order and a row is found from it, so a million rows cost no
    more than a hundred.
    """

    def __init__(self, state: ViewState, colors: dict[str, str] | None = None, parent=None):
        super().__init__(parent)
        self._state = state
        self._colors = dict(colors or {})
        self._count = 0
        self._rows: Any = None  # the visible rows in date order; None: all of them
        self.refresh()

    def set_colors(self, colors: dict[str, str]) -> None:
        self._colors = dict(colors)

    def refresh(self) -> None:
        self.beginResetModel()
        self._count = self._state.visible_count()
        self._rows = self._state.visible_rows()
        self.endResetModel()

    def event_at(self, row: int) -> Event:
        rank = row if self._rows is None else int(self._rows[row])
        return self._state.event_in_date_order(rank)

    def row_of(self, event_id: str) -> int | None:
        rank = self._state.rank(event_id)
        if rank is None or self._rows is None:
            return rank
        import numpy as np

        row = int(np.searchsorted(self._rows, rank))
        return row if row < len(self._rows) and self._rows[row] == rank else None

    def ids(self) -> list[str]:
        return list(self._state.visible_ids())

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        event = self.event_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return event.display_date()
            if column == 1:
                return flags.labelled(event, self._state.dataset)
            places = self._state.dataset.places
            return ", ".join(places[p].name if p in places else p for p in event.places)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                meanings = "".join(
                    f"\n{f.label}: {f.meaning}" for f in flags.flags_of(event, self._state.dataset)
                )
                # A tooltip is plain text: Markdown and HTML in the summary read as words.
                summary = shorten(plain_text(event.summary), 600)
                return f"{event.title}\n[{event.category}]{meanings}\n\n{summary}".strip()
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            # The category's colour, as on the timeline and the map.
            return QColor(self._colors.get(event.category, "#999999"))
        if role == Qt.ItemDataRole.UserRole:
            return event.id
        return None


class EventTable(QTableView):
    """A QTableView over EventTableModel; selecting rows selects events in the state."""

    def __init__(self, state: ViewState, colors: dict[str, str] | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("eventTable")
        self._state = state
        self._syncing = False
        self._model = EventTableModel(state, colors, self)
        self.setModel(self._model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(22)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 150)  # "19 Feb 2014, 15:32 UTC"
        header.resizeSection(2, 120)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setHighlightSections(False)
        self.selectionModel().selectionChanged.connect(self._rows_selected)
        self._unsubscribe = state.subscribe(self._on_state)

    def set_colors(self, colors: dict[str, str]) -> None:
        self._model.set_colors(colors)
        self.viewport().update()

    def shown_ids(self) -> list[str]:
        return self._model.ids()

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.selectionModel().selectedRows())
        return [self._model.event_at(r).id for r in rows]

    def _on_state(self, changed: frozenset[str]) -> None:
        if changed & SHOWN:
            self._syncing = True
            try:
                self._model.refresh()
            finally:
                self._syncing = False
        self._show_selection()

    def _show_selection(self) -> None:
        self._syncing = True
        try:
            chosen = QItemSelection()
            first = None
            for eid in self._state.selection:
                row = self._model.row_of(eid)
                if row is None:
                    continue
                left = self._model.index(row, 0)
                right = self._model.index(row, len(COLUMNS) - 1)
                chosen.select(left, right)
                first = first or left
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            self.selectionModel().select(chosen, flags)
            if first is not None:
                self.scrollTo(first, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._syncing = False

    def _rows_selected(self, *_args) -> None:
        if self._syncing:
            return
        self._state.select(self.selected_ids())

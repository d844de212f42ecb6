"""The Sources panel: every source, what it is, and which events cite it.

Add, edit and delete go through the source form and are undoable edits on the
document's one history (``core.editing``). Deleting a source that events cite
asks first, naming them; the events then stop citing it. Double-clicking an
event under "Cited by" selects it in the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.display import date_words, shorten
from desktop.core.editing import citing_events, delete_source, put_item
from desktop.core.model import Dataset, Source
from desktop.core.view_state import DATASET, ViewState

from .document import Document
from .source_form import SourceDialog

COLUMNS = ("Publisher", "Title", "Date", "Cited by", "URL", "Reliability note")
# Starting widths (pixels): what a user reads first fits a dock of half the window.
WIDTHS = (150, 260, 90, 80, 180, 320)
# More events than this are named by count in the delete question.
NAMED_IN_QUESTION = 8


class SourcesPanel(QWidget):
    def __init__(self, state: ViewState, document: Document, parent=None):
        super().__init__(parent)
        self.setObjectName("sourcesPanel")
        self._state = state
        self._document = document
        self._ids: list[str] = []
        self._shown: Dataset | None = None
        # Tests answer the form and the question themselves.
        self.run_dialog: Callable[[SourceDialog], bool] = lambda dialog: (
            dialog.exec() == QDialog.DialogCode.Accepted
        )
        self.confirm: Callable[[str], bool] = lambda text: (
            QMessageBox.question(self, "Delete source", text) == QMessageBox.StandardButton.Yes
        )

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("sourcesTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.setWordWrap(False)
        self.table.itemSelectionChanged.connect(self._show_cited_by)
        self.table.doubleClicked.connect(lambda _index: self.edit_source())

        self.cited_label = QLabel("Cited by")
        self.cited_by = QListWidget()
        self.cited_by.setObjectName("citedBy")
        self.cited_by.itemDoubleClicked.connect(self._select_event)

        self.add_button = QPushButton("Add…")
        self.add_button.clicked.connect(lambda: self.add_source())
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(lambda: self.edit_source())
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.cited_label)
        lower_layout.addWidget(self.cited_by)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([300, 140])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

        state.subscribe(lambda changed: self.refresh() if DATASET in changed else None)
        self.refresh()

    # -- showing ------------------------------------------------------------

    def _dataset(self) -> Dataset:
        return self._document.dataset()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """List the sources again (the dataset changed); the source in view stays selected.

        A hidden panel waits until it is shown: counting who cites what walks every
        event (28 ms for 100k), which an edit need not pay for a panel nobody sees."""
        dataset = self._state.dataset
        if dataset is self._shown or not self.isVisible():
            return
        self._shown = dataset
        keep = self.selected_id()
        cited: dict[str, int] = {}
        for event in dataset.events:
            for cited_id in event.sources:
                cited[cited_id] = cited.get(cited_id, 0) + 1
        sources = list(dataset.sources.values())
        self._ids = [s.id for s in sources]
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(sources))
        for row, source in enumerate(sources):
            count = cited.get(source.id, 0)
            cells = (
                source.publisher,
                source.title,
                date_words(source.date) if source.date is not None else "",
                f"{count} event{'s' * (count != 1)}",
                source.url,
                source.note,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        if keep in self._ids:
            self.table.selectRow(self._ids.index(keep))
        else:
            self.table.clearSelection()
        self._update_buttons()
        self._show_cited_by()

    def rows(self) -> list[tuple[str, ...]]:
        """The table as a user reads it: a tuple of cell texts per row."""
        table = self.table
        return [
            tuple(item.text() if (item := table.item(r, c)) else "" for c in range(len(COLUMNS)))
            for r in range(table.rowCount())
        ]

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._ids):
            return None
        return self._ids[rows[0].row()]

    def select_source(self, source_id: str) -> None:
        if source_id in self._ids:  # (a hidden panel lists the sources when shown)
            self.table.selectRow(self._ids.index(source_id))

    def cited_by_titles(self) -> list[str]:
        return [self.cited_by.item(i).text() for i in range(self.cited_by.count())]

    def _show_cited_by(self) -> None:
        self.cited_by.clear()
        source_id = self.selected_id()
        self._update_buttons()
        if source_id is None:
            self.cited_label.setText("Cited by")
            return
        events = citing_events(self._state.dataset, source_id)
        self.cited_label.setText(
            f"Cited by {len(events)} event{'s' * (len(events) != 1)}"
            + (" (double-click one to select it)" if events else "")
        )
        for event in events:
            item = QListWidgetItem(f"{event.display_date()} · {event.title}")
            item.setData(Qt.ItemDataRole.UserRole, event.id)
            self.cited_by.addItem(item)

    def _select_event(self, item: QListWidgetItem) -> None:
        self._state.select([item.data(Qt.ItemDataRole.UserRole)])

    def _update_buttons(self) -> None:
        # An open dataset (the document learns of it just after the views do).
        data = self._state.dataset
        has = self._document.result is not None or bool(data.events or data.sources)
        chosen = self.selected_id() is not None
        self.add_button.setEnabled(has)
        self.edit_button.setEnabled(has and chosen)
        self.delete_button.setEnabled(has and chosen)

    # -- editing ------------------------------------------------------------

    def add_source(self) -> Source | None:
        dialog = SourceDialog(self._dataset(), None, self)
        if not self.run_dialog(dialog) or dialog.made is None:
            return None
        source = dialog.made
        self._document.apply(put_item(self._dataset(), "sources", source))
        self.select_source(source.id)
        return source

    def edit_source(self, source_id: str | None = None) -> Source | None:
        source_id = source_id or self.selected_id()
        if source_id is None:
            return None
        dataset = self._dataset()
        dialog = SourceDialog(dataset, dataset.sources[source_id], self)
        if not self.run_dialog(dialog) or dialog.made is None:
            return None
        self._document.apply(put_item(dataset, "sources", dialog.made))
        return dialog.made

    def delete_selected(self) -> bool:
        source_id = self.selected_id()
        if source_id is None:
            return False
        dataset = self._dataset()
        source = dataset.sources[source_id]
        events = citing_events(dataset, source_id)
        if events:
            named = [f"“{shorten(e.title, 60)}”" for e in events[:NAMED_IN_QUESTION]]
            if len(events) > NAMED_IN_QUESTION:
                named.append(f"and {len(events) - NAMED_IN_QUESTION} more")
            text = (
                f"“{source.title}” is cited by {len(events)} "
                f"event{'s' * (len(events) != 1)}: {', '.join(named)}.\n\n"
                "Delete it? Those events will no longer cite it (Undo puts it back)."
            )
            if not self.confirm(text):
                return False
        return self._document.apply(delete_source(dataset, source_id))


def sources_dock(window: QMainWindow, panel: SourcesPanel, beside: QDockWidget) -> QDockWidget:
    """The panel as a dock of ``window``, tabbed with ``beside``, hidden at first; shown
    from the menu it comes on top, as wide as the window lets it (six columns and the
    citing events need room)."""
    dock = QDockWidget("Sources", window)
    dock.setObjectName("sourcesDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.tabifyDockWidget(beside, dock)
    dock.hide()

    def widen(visible: bool) -> None:
        wanted = int(window.width() * 0.45)
        if visible and dock.width() < wanted:
            # Once the dock is laid out: resizing one still hidden does nothing.
            QTimer.singleShot(
                0, lambda: window.resizeDocks([dock], [wanted], Qt.Orientation.Horizontal)
            )

    dock.visibilityChanged.connect(widen)
    dock.toggleViewAction().triggered.connect(lambda on: dock.raise_() if on else None)
    return dock

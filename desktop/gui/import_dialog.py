"""The import dialog: how a table of events will be read, and the user's say in it.

Each column with its guessed role (a menu to change it) and a few of its
values; the date order; and the first rows as they will load, each date with
its precision. Open remembers the choices next to the file
(``NAME.chronomap.json``, which the command line reads too) and opens it.
The window shows this for a table that was not recognised with confidence or
that loses rows, and File > Import Table… shows it for any table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.dates import DateOrder
from desktop.core.formats.roles import ROLE_LABELS, ROLES, ImportOptions, write_sidecar
from desktop.core.import_preview import (
    Preview,
    needs_review,
    preview,
    read_table,
    remembered,
)
from desktop.core.load import LoadResult
from desktop.core.problems import Problems, grouped_lines
from desktop.core.records import Table, cell_text, normalise_header

from .loading import load_with_progress

PREVIEW_SHOWN = 20
ORDERS = (
    ("Decide from the dates", None),
    ("Day first (17/01/2025)", DateOrder.DAY_FIRST),
    ("Month first (01/17/2025)", DateOrder.MONTH_FIRST),
)
PREVIEW_COLUMNS = ("Date", "Precision", "Title", "Place", "Lat, lon", "Category", "Measures")


class ImportDialog(QDialog):
    """Choose what each column of ``table`` is; ``options()`` is the choice."""

    sigPreviewChanged = Signal()

    def __init__(
        self, path: Path, table: Table, options: ImportOptions | None, parent: QWidget | None
    ):
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(f"Import {path.name}")
        self.resize(1100, 760)
        self.path, self.table = path, table
        self.keys = [normalise_header(h) for h in table.header]
        self._preview: Preview = preview(table, options)

        layout = QVBoxLayout(self)
        intro = QLabel(
            f"<b>{path.name}</b>: {len(table.rows):,} rows. Choose what each column is; "
            "the preview shows the first rows as they will open."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.columns = QTableWidget(len(table.header), 3, self)
        self.columns.setObjectName("importColumns")
        self.columns.setHorizontalHeaderLabels(["Column", "Role", "First values"])
        self.columns.verticalHeader().hide()
        self.columns.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.role_boxes: list[QComboBox] = []
        for row, (name, key) in enumerate(zip(table.header, self.keys, strict=True)):
            self.columns.setItem(row, 0, _item(name))
            box = QComboBox(self.columns)
            box.addItem("(not used)", "")
            for role in ROLES:
                box.addItem(ROLE_LABELS[role], role)
            box.setCurrentIndex(max(box.findData(self._preview.mapping.role_of(key)), 0))
            box.currentIndexChanged.connect(lambda _i, r=row: self._role_changed(r))
            self.columns.setCellWidget(row, 1, box)
            self.role_boxes.append(box)
            values = [cell_text(v) for _, v in _values(table, key, 3)]
            self.columns.setItem(row, 2, _item(" · ".join(v[:40] for v in values)))
        self.columns.resizeColumnsToContents()
        self.columns.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.columns, 2)

        form = QFormLayout()
        self.order_box = QComboBox(self)
        self.order_box.setObjectName("importDateOrder")
        for label, order in ORDERS:
            self.order_box.addItem(label, order.value if order else "")
        chosen = options.order if options is not None else None
        self.order_box.setCurrentIndex(next(i for i, (_, o) in enumerate(ORDERS) if o == chosen))
        self.order_box.currentIndexChanged.connect(lambda _i: self.refresh())
        form.addRow("Numeric dates:", self.order_box)
        layout.addLayout(form)

        self.rows_table = QTableWidget(0, len(PREVIEW_COLUMNS), self)
        self.rows_table.setObjectName("importPreview")
        self.rows_table.setHorizontalHeaderLabels(list(PREVIEW_COLUMNS))
        self.rows_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.rows_table, 3)
        self.status = QLabel(self)
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_preview()

    # -- the choice -----------------------------------------------------------

    def role_of(self, column: str) -> str:
        """The role chosen for a column (by its name as written), "" for none."""
        row = self.table.header.index(column)
        return str(self.role_boxes[row].currentData() or "")

    def set_role(self, column: str, role: str) -> None:
        box = self.role_boxes[self.table.header.index(column)]
        box.setCurrentIndex(box.findData(role))

    def options(self) -> ImportOptions:
        """Every role stated (an unused one as ""), so nothing guessed comes back."""
        roles = {role: "" for role in ROLES if role != "measure"}
        measures = []
        for name, box in zip(self.table.header, self.role_boxes, strict=True):
            role = str(box.currentData() or "")
            if role == "measure":
                measures.append(name)
            elif role:
                roles[role] = name
        order = self.order_box.currentData()
        return ImportOptions(roles, measures, DateOrder(order) if order else None)

    def _role_changed(self, row: int) -> None:
        role = self.role_boxes[row].currentData()
        if role and role != "measure":
            # One column per role: the column that had it gives it up.
            for other, box in enumerate(self.role_boxes):
                if other != row and box.currentData() == role:
                    box.blockSignals(True)
                    box.setCurrentIndex(0)
                    box.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        self._preview = preview(self.table, self.options())
        self._show_preview()

    # -- the preview ------------------------------------------------------------

    def preview_rows(self) -> list[list[str]]:
        """The preview's cells as shown (for tests and for reading aloud)."""
        cells = self.rows_table
        return [
            [_text(cells.item(r, c)) for c in range(cells.columnCount())]
            for r in range(cells.rowCount())
        ]

    def _show_preview(self) -> None:
        shown = self._preview
        data = shown.dataset
        events = data.events[:PREVIEW_SHOWN]
        self.rows_table.setRowCount(len(events))
        for row, event in enumerate(events):
            places = [data.places[p] for p in event.places if p in data.places]
            anchor = places[0].anchor() if places else None
            cells = [
                event.display_date(),
                event.precision.label + (" (approximate)" if event.approximate else ""),
                event.title,
                ", ".join(p.name for p in places),
                f"{anchor[0]:.4f}, {anchor[1]:.4f}" if anchor else "",
                event.category,
                "; ".join(f"{m} {dict(event.extra).get(m, '')}" for m in data.measures),
            ]
            for column, text in enumerate(cells):
                self.rows_table.setItem(row, column, _item(text))
        self.rows_table.resizeColumnsToContents()
        self.rows_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        problems = [p for p in shown.problems if p.severity != "note"]
        notes = [p.message for p in shown.problems if p.severity == "note"]
        lines = [
            f"{shown.loaded} of the first {shown.rows} rows open as events."
            + (f" {'; '.join(notes)}." if notes else "")
        ]
        lines += [line.split(": ", 1)[-1] for line in grouped_lines(problems)[:4]]
        self.status.setText("\n".join(lines))
        self.open_button.setEnabled(shown.loaded > 0)
        self.sigPreviewChanged.emit()


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(text)
    return item


def _values(table: Table, key: str, limit: int) -> list[tuple[int, object]]:
    found = []
    for row, values in table.rows:
        value = values.get(key)
        if value is not None and cell_text(value):
            found.append((row, value))
            if len(found) >= limit:
                break
    return found


def ask(parent: QWidget, path: Path) -> ImportOptions | None:
    """Show the dialog for ``path``; the choices (remembered next to the file), or None."""
    problems = Problems()
    table = read_table(path, problems)
    if table is None:
        return None
    dialog = ImportDialog(path, table, remembered(path), parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        options = dialog.options()
    finally:
        dialog.deleteLater()
    write_sidecar(path, options)
    return options


def review(parent: QWidget, path: Path, result: LoadResult) -> LoadResult:
    """``result``, or the file opened again with the user's choices when it was a table not
    recognised with confidence or that lost rows (and the user chose in the dialog)."""
    if not needs_review(result) or ask(parent, path) is None:
        return result
    again = load_with_progress(parent, path)
    return again if again is not None else result


def import_file(window: Any, path: Path | None = None) -> bool:
    """File > Import Table…: choose a table, say what its columns are, open it."""
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(
            window, "Import a table of events", window._last_folder(), TABLE_FILTER
        )
        if not chosen:
            return False
        path = Path(chosen)
    if ask(window, path) is None:
        return False
    return bool(window.open_path(path))


TABLE_FILTER = "Tables (*.csv *.tsv *.txt *.xlsx);;All files (*)"

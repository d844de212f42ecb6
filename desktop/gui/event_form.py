"""The event form: every field of an event, checked as it is typed.

Dates are typed as analysts write them ("mid-November 2024", "c. 1200 BC",
"April-May 1945") and read by the same parser as the files, with a preview of
how they read. A field that would not load shows the message ``chronomap
validate`` gives for it (``core.event_fields``), and OK stays off until none
is left. Citations are the event's sources, each with its own quote and
locator.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.editing import citations_of, unused_id
from desktop.core.event_fields import Checked, check_fields, date_preview, event_fields
from desktop.core.flags import BACKGROUND_TAG, CONFIDENCES
from desktop.core.model import Dataset, Event

ERROR_STYLE = "color:#b91c1c"
WARNING_STYLE = "color:#b45309"
PREVIEW_STYLE = "color:#4b5563"


def _tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(";") if t.strip()]


def _note(name: str, style: str) -> QLabel:
    """A line of small print under a field: a preview, or what is wrong with it."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(style)
    label.setWordWrap(True)
    return label


def ok_cancel(dialog: QDialog, form: QFormLayout, *below: QWidget) -> QDialogButtonBox:
    """The dialog's layout: the form, what goes under it, then OK and Cancel."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    for widget in below:
        layout.addWidget(widget)
    layout.addWidget(buttons)
    return buttons


@dataclass(frozen=True)
class CitedSource:
    """One row of the citations table: a source the event cites, with what it says."""

    source: str
    quote: str = ""
    locator: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # the citation row's other columns, kept


class EventDialog(QDialog):
    """Add or edit one event. ``event``: the one edited (None: a new one)."""

    def __init__(self, dataset: Dataset, event: Event | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("eventDialog")
        self.setWindowTitle(f"Edit event “{event.title}”" if event else "New event")
        self._dataset = dataset
        self._editing = event
        self.checked: Checked = Checked(None)
        values = event_fields(event) if event else {}
        cited = {c.source: c for c in citations_of(dataset, event.id)} if event else {}

        def line(name: str, placeholder: str = "") -> QLineEdit:
            edit = QLineEdit(values.get(name, ""))
            edit.setObjectName(f"event_{name}")
            edit.setPlaceholderText(placeholder)
            edit.textChanged.connect(lambda _t: self.check())
            return edit

        new_id = unused_id(dataset.events_by_id(), "event")
        self.id = line("id", new_id)
        if event is None:
            self.id.setText(new_id)
        else:
            self.id.setReadOnly(True)  # citations and story steps refer to it
        self.title = line("title", "what happened, in a few words")
        self.category = QComboBox()
        self.category.setObjectName("event_category")
        self.category.setEditable(True)  # an existing category, or type a new one
        self.category.addItems([c for c in dataset.categories() if c])
        self.category.setCurrentText(values.get("category", ""))
        self.category.currentTextChanged.connect(lambda _t: self.check())
        self.start = line("start", "2025-01-17, mid-November 2024, c. 1200 BC, April-May 1945")
        self.start_preview = _note("event_start_preview", PREVIEW_STYLE)
        self.end = line("end", "empty for a single date")
        self.end_preview = _note("event_end_preview", PREVIEW_STYLE)
        self.date_label = line("date_label", "the date as the source words it (optional)")
        self.approximate = QCheckBox("Approximate")
        self.approximate.setObjectName("event_approximate")
        self.approximate.setChecked(bool(values.get("approximate")))
        self.approximate.toggled.connect(lambda _on: self.check())
        self.summary = QPlainTextEdit(values.get("summary", ""))
        self.summary.setObjectName("event_summary")
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(120)
        self.summary.textChanged.connect(self.check)
        self.places = line("places", "place ids, separated by ;")
        completer = QCompleter(sorted(dataset.places), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.places.setCompleter(completer)
        self.place_names = _note("event_place_names", PREVIEW_STYLE)
        self.citations = self._citation_table(dataset, values.get("sources", ""), cited)
        self.confidence = QComboBox()
        self.confidence.setObjectName("event_confidence")
        self.confidence.setEditable(True)
        self.confidence.addItems(["", *(f.key for f in CONFIDENCES)])
        self.confidence.setToolTip("\n".join(f"{f.label}: {f.meaning}" for f in CONFIDENCES))
        self.confidence.setCurrentText(values.get("confidence", ""))
        self.confidence.currentTextChanged.connect(lambda _t: self.check())
        self.note = line("note", "background: where its facts come from")
        self.tags = line("tags", "tags, separated by ;")
        self.background = QCheckBox("Background: from the public record, outside the sources")
        self.background.setObjectName("event_background")
        self.background.setChecked(BACKGROUND_TAG in _tags(values.get("tags", "")))
        self.background.toggled.connect(self._background_toggled)

        self.messages: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def row(label: str, widget: QWidget, name: str, *under: QWidget) -> None:
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(widget)
            for extra in under:
                box.addWidget(extra)
            message = _note(f"event_{name}_message", ERROR_STYLE)
            message.hide()
            self.messages[name] = message
            box.addWidget(message)
            text = QLabel(label)
            text.setBuddy(widget)  # Alt+the underlined letter goes to the field
            form.addRow(text, box)

        row("&Id", self.id, "id")
        row("&Title", self.title, "title")
        row("&Category", self.category, "category")
        dates = QHBoxLayout()
        row("&Start", self.start, "start", self.start_preview)
        row("&End", self.end, "end", self.end_preview)
        dates.addWidget(self.approximate)
        form.addRow("", dates)
        row("Date as &worded", self.date_label, "date_label")
        row("S&ummary", self.summary, "summary")
        row("&Places", self.places, "places", self.place_names)
        row("Citations", self.citations, "sources", self._citation_buttons())
        row("C&onfidence", self.confidence, "confidence")
        row("", self.background, "background")
        row("&Background note", self.note, "note")
        row("T&ags", self.tags, "tags")

        self.buttons = ok_cancel(self, form)
        self.resize(640, 760)
        self.check()

    def _background_toggled(self, on: bool) -> None:
        # Background is a tag (tags travel through every format): the box keeps it.
        tags = [t for t in _tags(self.tags.text()) if t.casefold() != BACKGROUND_TAG]
        self.tags.setText("; ".join([*tags, BACKGROUND_TAG] if on else tags))

    # -- citations --------------------------------------------------------------

    def _citation_table(self, dataset: Dataset, sources: str, cited: dict) -> QTableWidget:
        table = QTableWidget(0, 3)
        table.setObjectName("event_citations")
        table.setHorizontalHeaderLabels(["Source", "Quote", "Locator"])
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 220)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.setMinimumHeight(110)
        self._table = table
        for source in (s.strip() for s in sources.split(";") if s.strip()):
            c = cited.get(source)
            self.add_citation(
                CitedSource(source, c.quote, c.locator, c.extra) if c else CitedSource(source)
            )
        table.itemChanged.connect(lambda _item: self.check())
        return table

    def _citation_buttons(self) -> QWidget:
        add = QPushButton("Add source")
        add.setObjectName("event_add_citation")
        add.clicked.connect(lambda: self.add_citation(CitedSource("")))
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_citation)
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(add)
        layout.addWidget(remove)
        layout.addStretch(1)
        return box

    def add_citation(self, cited: CitedSource) -> None:
        table = self._table
        row = table.rowCount()
        table.blockSignals(True)
        table.insertRow(row)
        choice = QComboBox()
        choice.setEditable(True)
        for source in self._dataset.sources.values():
            choice.addItem(f"{source.id} — {source.publisher}", source.id)
        index = choice.findData(cited.source)
        if index >= 0:
            choice.setCurrentIndex(index)
        else:
            choice.setCurrentText(cited.source)
        choice.currentTextChanged.connect(lambda _t: self.check())
        table.setCellWidget(row, 0, choice)
        quote = QTableWidgetItem(cited.quote)
        quote.setData(Qt.ItemDataRole.UserRole, cited.extra)
        table.setItem(row, 1, quote)
        table.setItem(row, 2, QTableWidgetItem(cited.locator))
        table.blockSignals(False)
        self.check()

    def remove_citation(self) -> None:
        rows = sorted({i.row() for i in self._table.selectedIndexes()}, reverse=True)
        for row in rows or [self._table.rowCount() - 1]:
            if row >= 0:
                self._table.removeRow(row)
        self.check()

    def cited_sources(self) -> list[CitedSource]:
        """The citations table, row by row (rows with no source left out)."""
        out = []
        for row in range(self._table.rowCount()):
            choice = self._table.cellWidget(row, 0)
            assert isinstance(choice, QComboBox)
            text = choice.currentText()
            data = choice.currentData()
            # A typed id is the text up to " — " (the publisher shown beside it).
            source = data if data and choice.itemText(choice.currentIndex()) == text else text
            source = str(source).split(" — ")[0].strip()
            if not source:
                continue
            quote = self._table.item(row, 1)
            locator = self._table.item(row, 2)
            out.append(
                CitedSource(
                    source,
                    quote.text().strip() if quote else "",
                    locator.text().strip() if locator else "",
                    tuple(quote.data(Qt.ItemDataRole.UserRole) or ()) if quote else (),
                )
            )
        return out

    # -- checking -----------------------------------------------------------------

    def fields(self) -> dict[str, str]:
        return {
            "id": self.id.text(),
            "title": self.title.text(),
            "start": self.start.text(),
            "end": self.end.text(),
            "date_label": self.date_label.text(),
            "approximate": "yes" if self.approximate.isChecked() else "",
            "category": self.category.currentText(),
            "summary": self.summary.toPlainText(),
            "places": self.places.text(),
            "sources": "; ".join(dict.fromkeys(c.source for c in self.cited_sources())),
            "confidence": self.confidence.currentText(),
            "tags": self.tags.text(),
            "note": self.note.text(),
        }

    def check(self) -> Checked:
        """Read the fields as a file row is read; show each field's message; OK if none."""
        if not hasattr(self, "buttons"):
            return self.checked  # still being built
        fields = self.fields()
        names = [
            f"{p.name} ({pid})" if (p := self._dataset.places.get(pid)) else pid
            for pid in (s.strip() for s in fields["places"].split(";"))
            if pid
        ]
        self.place_names.setText(", ".join(names))
        self.checked = check_fields(fields, self._dataset, self._editing)
        for name, preview in (("start", self.start_preview), ("end", self.end_preview)):
            # A date that does not read says why below it, in the validator's words.
            preview.setText(date_preview(fields[name]))
            preview.setVisible(bool(preview.text()) and name not in self.checked.errors)
        for name, label in self.messages.items():
            error = self.checked.errors.get(name)
            warning = self.checked.warnings.get(name)
            label.setText(error or warning or "")
            label.setStyleSheet(ERROR_STYLE if error else WARNING_STYLE)
            label.setVisible(bool(error or warning))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.checked.event is not None)
        return self.checked

    def message(self, name: str) -> str:
        """What the form says under a field now ("" when nothing)."""
        label = self.messages[name]
        return label.text() if label.isVisibleTo(self) else ""

    def accept(self) -> None:
        if self.check().event is not None:
            super().accept()

    @property
    def made(self) -> Event | None:
        """The event the form makes as it stands (None while a field would not load)."""
        return self.checked.event

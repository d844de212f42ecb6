"""The source form: publisher, title, date, URL and reliability note, checked as typed.

A field that would not load shows the message ``chronomap validate`` gives for
it (``core.source_fields``), and OK stays off until none is left.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit

from desktop.core.event_fields import date_preview
from desktop.core.model import Dataset, Source
from desktop.core.source_fields import (
    CheckedSource,
    check_source_fields,
    new_source_id,
    source_fields,
)

from .event_form import ERROR_STYLE, PREVIEW_STYLE, _note, ok_cancel


class SourceDialog(QDialog):
    """Add or edit one source. ``source``: the one edited (None: a new one)."""

    def __init__(self, dataset: Dataset, source: Source | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("sourceDialog")
        self.setWindowTitle(f"Edit source “{source.title}”" if source else "New source")
        self._dataset = dataset
        self._editing = source
        values = source_fields(source) if source else {}
        self.checked = CheckedSource(None)
        self._edits: dict[str, QLineEdit] = {}
        self._notes = {}
        form = QFormLayout()
        for name, label, hint in (
            ("publisher", "Publisher", "Reuters"),
            ("title", "Title", "the article's headline, or what it is"),
            ("date", "Date", "17 January 2025"),
            ("url", "URL", "https://…"),
            ("note", "Reliability note", "how far to trust it, and why"),
        ):
            edit = QLineEdit(values.get(name, ""))
            edit.setObjectName(f"source_{name}")
            edit.setPlaceholderText(hint)
            edit.textChanged.connect(self._check)
            note = _note(f"source_{name}_note", ERROR_STYLE)
            self._edits[name] = edit
            self._notes[name] = note
            form.addRow(label, edit)
            form.addRow("", note)
        self.date_preview = _note("source_date_preview", PREVIEW_STYLE)
        form.insertRow(5, "", self.date_preview)
        self.buttons = ok_cancel(self, form)
        self.resize(520, self.sizeHint().height())
        self._check()

    def edit(self, name: str) -> QLineEdit:
        return self._edits[name]

    def fields(self) -> dict[str, str]:
        fields = {name: edit.text().strip() for name, edit in self._edits.items()}
        if self._editing is None:
            fields["id"] = new_source_id(self._dataset, fields["publisher"], fields["title"])
        return fields

    def _check(self) -> None:
        self.checked = check_source_fields(self.fields(), self._dataset, self._editing)
        for name, note in self._notes.items():
            message = self.checked.errors.get(name, "")
            note.setText(message)
            note.setVisible(bool(message))
        date = self._edits["date"].text()
        self.date_preview.setText("" if "date" in self.checked.errors else date_preview(date))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.checked.source is not None)

    def message(self, name: str) -> str:
        """What is wrong with a field, as `chronomap validate` says it ("" if nothing)."""
        return self.checked.errors.get(name, "")

    def accept(self) -> None:
        if self.checked.source is not None:
            super().accept()

    @property
    def made(self) -> Source | None:
        return self.checked.source

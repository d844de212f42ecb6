"""The review panel: candidate events beside the article they come from, quote highlighted.

Accept adds the selected candidates to the open dataset with their citations
(Undo takes them out again); Reject hides a candidate and remembers it for
that article (in the settings, keyed by the article's text); Merge makes
several candidates one with all their citations; the form edits a
candidate's title, date, places and category before it is accepted. The
publication date of each article can be set by hand: every relative date is
then worked out again from it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.articles import ARTICLE_SUFFIXES
from desktop.core.articles.extract import Candidate
from desktop.core.articles.review import ReviewSession, article_key
from desktop.core.dates import DateError
from desktop.core.model import Dataset

QUOTE = QColor("#fde68a")
OTHER_QUOTE = QColor("#fef3c7")
SETTINGS_PREFIX = "review/rejected/"


def article_filter() -> str:
    globs = " ".join(f"*{ext}" for ext in ARTICLE_SUFFIXES)
    return f"Articles ({globs});;All files (*)"


class AcceptCommand(QUndoCommand):
    """Accepting candidates: the dataset before and after, so Undo puts the old one back."""

    def __init__(self, panel: ReviewPanel, ids: list[str], before: Dataset, after: Dataset):
        count = len(ids)
        super().__init__(f"Accept {count} event{'s' * (count != 1)} from articles")
        self.panel, self.ids, self.before, self.after = panel, ids, before, after

    def redo(self) -> None:
        self.panel.session.accepted.update(self.ids)
        self.panel.session.dataset = self.after
        self.panel.apply_dataset(self.after)
        self.panel.refresh()

    def undo(self) -> None:
        self.panel.session.accepted.difference_update(self.ids)
        self.panel.session.dataset = self.before
        self.panel.apply_dataset(self.before)
        self.panel.refresh()


class ReviewPanel(QWidget):
    """Candidates, the article, and the accept / edit / merge / reject controls."""

    sigAccepted = Signal(list)  # event ids added to the dataset

    def __init__(
        self,
        dataset: Callable[[], Dataset],
        apply_dataset: Callable[[Dataset], None],
        settings: QSettings,
        parent: QWidget | None = None,
        undo_stack: QUndoStack | None = None,
        save: Callable[[], bool] | None = None,
    ):
        """``dataset()``: the open dataset; ``apply_dataset(d)``: make ``d`` the open one.
        ``undo_stack``: the window's one history, so an accept is undone in turn with other
        edits and counts as unsaved; ``save``: the window's Save (else a Save As here)."""
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self._dataset = dataset
        self.apply_dataset = apply_dataset
        self.settings = settings
        self.session = ReviewSession(dataset())
        self._own_stack = undo_stack is None
        self.undo_stack = QUndoStack(self) if undo_stack is None else undo_stack
        self._save = save
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.redo_action = self.undo_stack.createRedoAction(self, "Redo")
        self._shown: list[Candidate] = []

        self.article_box = QComboBox()
        self.article_box.setObjectName("reviewArticle")
        self.article_box.currentIndexChanged.connect(lambda _i: self._show_article())
        self.published = QLineEdit()
        self.published.setObjectName("reviewPublished")
        self.published.setPlaceholderText("publication date, e.g. 2025-01-17")
        self.published.setToolTip(
            "The date relative dates count from; Enter to work them out again"
        )
        self.published.returnPressed.connect(self._set_published)
        self.published_from = QLabel()
        self.published_from.setStyleSheet("color:#6b7280")
        open_button = QToolButton()
        open_button.setText("Open Articles…")
        open_button.clicked.connect(self.open_dialog)
        top = QHBoxLayout()
        top.addWidget(QLabel("Article"))
        top.addWidget(self.article_box, 1)
        top.addWidget(QLabel("Published"))
        top.addWidget(self.published)
        top.addWidget(self.published_from)
        top.addWidget(open_button)

        self.list = QListWidget()
        self.list.setObjectName("reviewCandidates")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemSelectionChanged.connect(self._selection_changed)

        self.title = QLineEdit()
        self.date = QLineEdit()
        self.date.setPlaceholderText("2025-01-17, 2024-11, mid-November 2024…")
        self.places = QLineEdit()
        self.places.setPlaceholderText("Moscow, Tehran")
        self.category = QComboBox()
        self.category.setEditable(True)
        self.how = QLabel(wordWrap=True)
        self.how.setStyleSheet("color:#6b7280")
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Date", self.date)
        form.addRow("&Places", self.places)
        form.addRow("&Category", self.category)
        form.addRow(self.how)

        self.accept_button = QPushButton("&Accept")
        self.accept_button.setObjectName("reviewAccept")
        self.accept_button.setToolTip(
            "Add the selected candidates to the dataset, with their quotes"
        )
        self.accept_button.clicked.connect(self.accept_selected)
        self.apply_button = QPushButton("Apply &Edits")
        self.apply_button.clicked.connect(self.apply_edits)
        self.merge_button = QPushButton("&Merge")
        self.merge_button.setToolTip("Make the selected candidates one event with all their quotes")
        self.merge_button.clicked.connect(self.merge_selected)
        self.reject_button = QPushButton("&Reject")
        self.reject_button.setToolTip("Hide the selected candidates; remembered for this article")
        self.reject_button.clicked.connect(self.reject_selected)
        self.show_rejected = QCheckBox("Show rejected")
        self.show_rejected.toggled.connect(lambda _on: self.refresh())
        undo = QToolButton()
        undo.setDefaultAction(self.undo_action)
        redo = QToolButton()
        redo.setDefaultAction(self.redo_action)
        save_button = QToolButton()
        save_button.setText("Save Dataset As…" if self._save is None else "Save")
        save_button.clicked.connect(self.save_dialog)
        buttons = QHBoxLayout()
        for widget in (
            self.accept_button,
            self.apply_button,
            self.merge_button,
            self.reject_button,
        ):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        tools = QHBoxLayout()
        tools.addWidget(self.show_rejected)
        tools.addStretch(1)
        tools.addWidget(undo)
        tools.addWidget(redo)
        tools.addWidget(save_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addLayout(form)
        left_layout.addLayout(buttons)
        left_layout.addLayout(tools)

        self.text = QPlainTextEdit()
        self.text.setObjectName("reviewArticleText")
        self.text.setReadOnly(True)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.text)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)

        self.status = QLabel(wordWrap=True)
        self.status.setObjectName("reviewStatus")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self._update_buttons()

    # -- articles -----------------------------------------------------------

    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Extract events from articles", str(Path.home()), article_filter()
        )
        if paths:
            self.open_articles([Path(p) for p in paths])

    def open_articles(self, paths: list[Path]) -> list[str]:
        """Read articles and list their candidates; returns one line per unreadable file."""
        current = self._dataset()
        if current is not self.session.dataset:
            self.dataset_replaced(current)
        problems = self.session.open(str(p) for p in paths)
        for article in self.session.articles:
            stored = self.settings.value(SETTINGS_PREFIX + article_key(article), [])
            keys = (
                [stored] if isinstance(stored, str) else stored if isinstance(stored, list) else []
            )
            self.session.rejected.setdefault(article_key(article), set()).update(map(str, keys))
        self._fill_articles()
        self.refresh()
        if problems:
            self.status.setText("\n".join(problems))
        return problems

    def dataset_replaced(self, dataset: Dataset) -> None:
        """Another dataset was opened: candidates are worked out against it, and accepting
        into the previous one can no longer be undone (the window's history starts afresh)."""
        if self._own_stack:
            self.undo_stack.clear()
        articles = [a.path for a in self.session.articles]
        rejected = self.session.rejected
        self.session = ReviewSession(dataset, self.session.built_finder)
        self.session.rejected = rejected
        if articles:
            self.session.open(articles)
            self._fill_articles()
        self.refresh()

    def _fill_articles(self) -> None:
        self.article_box.blockSignals(True)
        current = self.article_box.currentData()
        self.article_box.clear()
        for article in self.session.articles:
            label = article.title or article.name
            self.article_box.addItem(f"{label} ({article.name})", article.path)
        index = self.article_box.findData(current)
        self.article_box.setCurrentIndex(max(index, 0))
        self.article_box.blockSignals(False)
        self._show_article()

    def _show_article(self) -> None:
        article = self.session.article(self.article_box.currentData() or "")
        if article is None:
            self.text.setPlainText("")
            self.published.setText("")
            self.published_from.setText("")
            return
        if self.text.property("path") != article.path:
            self.text.setPlainText(article.text)
            self.text.setProperty("path", article.path)
        self.published.setText(article.published.iso() if article.published else "")
        self.published_from.setText(
            f"from {article.published_from}" if article.published else "not found: set it"
        )

    def _set_published(self) -> None:
        path = self.article_box.currentData()
        if not path:
            return
        try:
            self.session.set_published(path, self.published.text())
        except DateError as exc:
            self.status.setText(str(exc))
            return
        self._show_article()
        self.refresh()

    # -- the list -----------------------------------------------------------

    def refresh(self) -> None:
        selected = {c.id for c in self.selected()}
        self._shown = self.session.pending(self.show_rejected.isChecked())
        self.list.blockSignals(True)
        self.list.clear()
        for candidate in self._shown:
            item = QListWidgetItem(self.session.summary(candidate))
            item.setToolTip(candidate.summary)
            if candidate.when is None:
                item.setForeground(QColor("#b45309"))
            if self.session.is_rejected(candidate):
                item.setForeground(QColor("#9ca3af"))
            self.list.addItem(item)
            item.setSelected(candidate.id in selected)
        self.list.blockSignals(False)
        categories = sorted(
            set(self.session.dataset.categories()) | {c.category for c in self._shown}
        )
        self.category.blockSignals(True)
        text = self.category.currentText()
        self.category.clear()
        self.category.addItems([c for c in categories if c])
        self.category.setCurrentText(text)
        self.category.blockSignals(False)
        self._selection_changed()
        total = len(self.session.candidates)
        rejected = sum(1 for c in self.session.candidates if self.session.is_rejected(c))
        accepted = len(self.session.accepted)
        self.status.setText(
            f"{len(self.session.articles)} articles · {total} candidates · {accepted} accepted"
            f" · {rejected} rejected"
            + (f" · {len(self.session.problems)} unreadable" if self.session.problems else "")
        )

    def selected(self) -> list[Candidate]:
        rows = sorted(self.list.row(item) for item in self.list.selectedItems())
        return [self._shown[r] for r in rows if 0 <= r < len(self._shown)]

    def select_rows(self, rows: list[int]) -> None:
        self.list.clearSelection()
        for row in rows:
            self.list.item(row).setSelected(True)

    def _selection_changed(self) -> None:
        chosen = self.selected()
        candidate = chosen[0] if chosen else None
        self.title.setText(candidate.title if candidate else "")
        when = candidate.when if candidate else None
        self.date.setText((when.label or when.iso()) if when else "")
        self.places.setText(", ".join(p.name for p in candidate.places) if candidate else "")
        self.category.setCurrentText(candidate.category if candidate else "")
        if candidate is None:
            self.how.setText("")
        elif when is None:
            self.how.setText(f"Undated: {candidate.undated}")
        else:
            self.how.setText(f"{when.iso()} — {candidate.how or 'as written'}")
        if candidate is not None:
            self._highlight(candidate)
        self._update_buttons()

    def _highlight(self, candidate: Candidate) -> None:
        first = candidate.citations[0]
        index = self.article_box.findData(first.article)
        if index >= 0 and index != self.article_box.currentIndex():
            self.article_box.setCurrentIndex(index)
        selections = []
        for number, citation in enumerate(
            c for c in candidate.citations if c.article == first.article
        ):
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(QUOTE if number == 0 else OTHER_QUOTE)
            selection.format = fmt  # type: ignore[attr-defined]
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(self._position(citation.start))
            cursor.setPosition(self._position(citation.end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor  # type: ignore[attr-defined]
            selections.append(selection)
        self.text.setExtraSelections(selections)
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self._position(first.start))
        self.text.setTextCursor(cursor)
        self.text.centerCursor()

    def _position(self, offset: int) -> int:
        """A quote's character offset as the text view counts (UTF-16 units, as Qt does)."""
        article = self.session.article(self.text.property("path") or "")
        if article is None:
            return offset
        return len(article.text[:offset].encode("utf-16-le")) // 2

    def highlighted(self) -> list[str]:
        """The text highlighted in the article view (what the reader sees marked)."""
        return [s.cursor.selectedText() for s in self.text.extraSelections()]

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.accept_button.setEnabled(bool(chosen) and all(c.when is not None for c in chosen))
        self.apply_button.setEnabled(len(chosen) == 1)
        self.merge_button.setEnabled(len(chosen) >= 2)
        self.reject_button.setEnabled(bool(chosen))

    # -- choices ------------------------------------------------------------

    def accept_selected(self) -> list[str]:
        """Add the selected candidates to the dataset (one undoable step); returns the new ids."""
        chosen = self.selected()
        if not chosen:
            return []
        before = self._dataset()
        self.session.dataset = before
        try:
            after = self.session.accepted_dataset(chosen, before)
        except ValueError as exc:
            self.status.setText(str(exc))
            return []
        added = [e.id for e in after.events[len(before.events) :]]
        self.undo_stack.push(AcceptCommand(self, [c.id for c in chosen], before, after))
        self.sigAccepted.emit(added)
        return added

    def apply_edits(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1:
            return
        try:
            edited = self.session.edit(
                chosen[0],
                title=self.title.text(),
                date=self.date.text(),
                places=self.places.text(),
                category=self.category.currentText(),
            )
        except (DateError, ValueError) as exc:
            self.status.setText(str(exc))
            return
        self.refresh()
        row = next((i for i, c in enumerate(self._shown) if c is edited), -1)
        if row >= 0:
            self.select_rows([row])

    def merge_selected(self) -> None:
        try:
            merged = self.session.merge(self.selected())
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self.refresh()
        row = next((i for i, c in enumerate(self._shown) if c is merged), -1)
        if row >= 0:
            self.select_rows([row])

    def reject_selected(self) -> None:
        for candidate in self.selected():
            if self.session.is_rejected(candidate):
                self.session.restore(candidate)
            else:
                self.session.reject(candidate)
        for key, values in self.session.rejected.items():
            self.settings.setValue(SETTINGS_PREFIX + key, sorted(values))
        self.refresh()

    def save_dialog(self) -> None:
        from desktop.core.atomic import write_error
        from desktop.core.save import save_dataset

        if self._save is not None:
            if self._save():
                self.status.setText("Saved")
            return

        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save dataset as",
            str(Path.home() / "dataset.json"),
            "JSON (*.json);;Workbook (*.xlsx)",
        )
        if not path:
            return
        try:
            save_dataset(self._dataset(), path)
        except OSError as exc:
            self.status.setText(f"Not saved: {write_error(path, exc)}")
            return
        except ValueError as exc:
            self.status.setText(f"Cannot save {path}: {exc}")
            return
        self.undo_stack.setClean()
        self.status.setText(f"Saved {path}")

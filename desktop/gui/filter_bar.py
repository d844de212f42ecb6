"""Category toggles and the search box; both apply to every view through the state."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from desktop.core.view_state import CATEGORIES, DATASET, SEARCH, ViewState


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class FilterBar(QWidget):
    def __init__(self, state: ViewState, colors: dict[str, str] | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("filterBar")
        self._state = state
        self._colors = dict(colors or {})
        self._buttons: dict[str, QToolButton] = {}
        # The categories to offer when the dataset in the state does not hold them all
        # (a source queried, not loaded); None: the dataset's own.
        self._names: list[str] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(4)
        self._label = QLabel("Categories:")
        layout.addWidget(self._label)
        self._toggles = QHBoxLayout()
        self._toggles.setSpacing(2)
        layout.addLayout(self._toggles)
        layout.addStretch(1)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("Search titles, summaries, places, sources…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(320)
        layout.addWidget(self.search_box)
        # Typing filters as you go, but only once a short pause shows you stopped.
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.apply_search)
        self.search_box.textChanged.connect(lambda _t: self._debounce.start())
        self.search_box.returnPressed.connect(self.apply_search)
        self._unsubscribe = state.subscribe(self._on_state)
        self._rebuild()

    def set_colors(self, colors: dict[str, str]) -> None:
        self._colors = dict(colors)
        self._rebuild()

    def set_categories(self, names: list[str] | None) -> None:
        self._names = None if names is None else list(names)
        self._rebuild()

    def apply_search(self) -> None:
        self._debounce.stop()
        self._state.set_search(self.search_box.text())

    def category_buttons(self) -> dict[str, QToolButton]:
        return dict(self._buttons)

    def _rebuild(self) -> None:
        for button in self._buttons.values():
            self._toggles.removeWidget(button)
            button.deleteLater()
        self._buttons = {}
        names = self._names if self._names is not None else self._state.dataset.categories()
        for category in names:
            button = QToolButton()
            # Categories exactly as the data writes them ("Kings of England", "diplomacy").
            button.setText(category or "(none)")
            button.setCheckable(True)
            button.setChecked(category not in self._state.hidden_categories)
            button.setIcon(_swatch(self._colors.get(category, "#999999")))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            button.setToolTip(f"Show or hide {category or 'uncategorised'} events")
            button.toggled.connect(
                lambda on, c=category: self._state.set_category_shown(c, bool(on))
            )
            self._toggles.addWidget(button)
            self._buttons[category] = button

    def _on_state(self, changed: frozenset[str]) -> None:
        if DATASET in changed:
            self._rebuild()
        if SEARCH in changed and self.search_box.text() != self._state.search:
            self.search_box.setText(self._state.search)
        if CATEGORIES in changed:
            for category, button in self._buttons.items():
                button.blockSignals(True)
                button.setChecked(category not in self._state.hidden_categories)
                button.blockSignals(False)

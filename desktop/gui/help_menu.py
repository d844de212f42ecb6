"""The Help menu: the mouse gestures and keys of the window, and About."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox

# What each gesture and key does, as the Help menu lists it.
GESTURES = (
    ("Click an event", "select it (Ctrl+click adds or removes it)"),
    ("Drag the timeline", "pan; the wheel zooms"),
    ("Shift+drag the timeline", "brush a time window (Esc clears it)"),
    (
        "Ctrl+drag an event (or Alt+drag)",
        "move its date by whole months, years or days, as precise as it is (Esc cancels)",
    ),
    ("Double-click a listed event", "edit it"),
    ("Ctrl+Shift+N, Ctrl+E, Ctrl+D, Del", "new, edit, duplicate, delete events"),
    ("Ctrl+Z, Ctrl+Shift+Z", "undo, redo (the Edit menu names the edit)"),
    ("Ctrl+S", "save into the files the dataset came from"),
    ("Ctrl+F", "search"),
    ("Ctrl+0, Home", "show the whole story"),
    ("F5, Shift+F5", "present the story from the start, from here"),
)


def gestures_html() -> str:
    rows = "".join(f"<tr><td><b>{what}</b></td><td>{does}</td></tr>" for what, does in GESTURES)
    return f"<table cellspacing='4'>{rows}</table>"


def add_help_menu(window: QMainWindow, about) -> None:  # noqa: ANN001 (a slot)
    menu = window.menuBar().addMenu("&Help")
    keys = QAction("&Mouse and Keys", window)
    keys.triggered.connect(
        lambda: QMessageBox.information(window, "Mouse and keys", gestures_html())
    )
    menu.addAction(keys)
    about_action = QAction("&About Chronomap", window)
    about_action.triggered.connect(about)
    menu.addAction(about_action)

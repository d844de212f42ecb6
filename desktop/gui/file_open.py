"""The app's QApplication class, which also takes the files the system asks it to open.

macOS sends a QFileOpenEvent to the application when a dataset is dropped on
the Dock icon or opened from Finder while the app runs. (At launch,
PyInstaller's argv emulation turns the first such request into a command-line
argument: installer.spec.) Other systems pass files as arguments only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication


class FileRequests:
    """Files asked for by the system, passed on to the window's opener.

    Requests that come before the window can take them (while it is built) are
    kept and passed on, in order, once ``open_with`` names the opener.
    """

    def __init__(self) -> None:
        self._open: Callable[[Path], object] | None = None
        self.pending: list[Path] = []

    def open_with(self, open_path: Callable[[Path], object]) -> None:
        self._open = open_path
        waiting, self.pending = self.pending, []
        for path in waiting:
            open_path(path)

    def take(self, event: QFileOpenEvent) -> bool:
        """Handle a file-open event; False if it names nothing the app can open."""
        name = event.file() or event.url().toLocalFile()
        if not name:
            return False  # a URL that is no local file
        if self._open is None:
            self.pending.append(Path(name))
        else:
            # Opened from the event loop, not inside this event's delivery: opening
            # runs its own loop behind a busy dialog, which must not nest in here.
            QTimer.singleShot(0, partial(self._open, Path(name)))
        return True


class ChronomapApplication(QApplication):
    """QApplication that hands QFileOpenEvents to ``file_requests``.

    Overriding ``event`` sees only the events sent to the application object
    itself, unlike an application-wide event filter, which would run Python for
    every event of every widget.
    """

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self.file_requests = FileRequests()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FileOpen
            and isinstance(event, QFileOpenEvent)
            and self.file_requests.take(event)
        ):
            return True
        return super().event(event)

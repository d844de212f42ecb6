"""What only the presenter sees: speaker notes, the next step and the clocks.

On a second screen it is a window of its own (the laptop, while the room sees
the projector); on one screen the same panel is an overlay the N key toggles.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.core.briefing import Briefing

CONSOLE_STYLE = """
QWidget#presenterNotes, QWidget#presenterConsole { background: #0f172a; }
QWidget#presenterNotes { border: 1px solid #334155; border-radius: 10px; }
QLabel { color: #e2e8f0; }
QLabel#consoleStep { font-size: 22px; color: #94a3b8; }
QLabel#consoleTitle { font-size: 30px; font-weight: 700; color: #ffffff; }
QLabel#consoleNotes { font-size: 24px; }
QLabel#consoleNext { font-size: 20px; color: #fbbf24; }
QLabel#consoleClock { font-size: 28px; font-weight: 600; color: #ffffff; }
"""


def label(name: str, wrap: bool = False) -> QLabel:
    """A label styled by its object name (the style sheets above)."""
    widget = QLabel()
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    return widget


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours:d}:{rest // 60:02d}:{rest % 60:02d}"


class PresenterNotes(QFrame):
    """Step, notes, next step and clocks; used as the console window and as the overlay."""

    def __init__(self, parent=None, object_name: str = "presenterNotes"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(CONSOLE_STYLE)
        self.started = time.monotonic()
        self.step = label("consoleStep")
        self.title = label("consoleTitle", wrap=True)
        self.notes = label("consoleNotes", wrap=True)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.next = label("consoleNext", wrap=True)
        self.elapsed = label("consoleClock")
        self.wall = label("consoleClock")
        clocks = QHBoxLayout()
        clocks.addWidget(self.elapsed)
        clocks.addStretch(1)
        clocks.addWidget(self.wall)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(self.step)
        layout.addWidget(self.title)
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.next)
        layout.addLayout(clocks)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._update_clocks)
        self._tick.start()
        self._update_clocks()

    def restart_clock(self) -> None:
        self.started = time.monotonic()
        self._update_clocks()

    def show_briefing(self, briefing: Briefing) -> None:
        step = briefing.step
        self.step.setText(f"Step {briefing.number} of {len(briefing.steps)}")
        self.title.setText(step.title)
        self.notes.setText(step.notes or "(no notes for this step)")
        upcoming = briefing.next_step
        self.next.setText(f"Next: {upcoming.title}" if upcoming else "Next: end of the story")

    def _update_clocks(self) -> None:
        self.elapsed.setText(f"Elapsed {clock_text(time.monotonic() - self.started)}")
        self.wall.setText(time.strftime("%H:%M"))


class PresenterConsole(QWidget):
    """The second screen's window: the notes panel filling it."""

    def __init__(self, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presenterConsole")
        self.setWindowTitle("Presenter notes")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(CONSOLE_STYLE)
        self.panel = PresenterNotes(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel)

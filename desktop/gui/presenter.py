"""Presenting a story full screen, driven by the keyboard or a presentation clicker.

F5 starts from the first step and Shift+F5 from the current one, as in
PowerPoint; Esc leaves and puts the window back as it was, and the view
state back to the analyst's own view (selection, window, filters, and where
the map and the timeline were). While presenting, the window shows only a
title band, the map and the timeline, in type and markers big enough for the
back of a room. Each step is shown by ``briefing.show_step`` on the view
state: the map and the timeline follow the state, as they always do.

The keys are read by event filters on the window and on every widget left on
screen that can take the focus (the map's web page included), so they work
wherever the focus is. (An application-wide filter would be simpler, but
PySide6 crashes wrapping some of QtWebEngine's internal objects that it would see.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QSplitter, QVBoxLayout, QWidget

from desktop.core.briefing import Briefing, show_step
from desktop.core.display import window_words
from desktop.core.model import StoryStep
from desktop.core.view_state import FrozenView, ViewState

from .map_view import MapView
from .presenter_console import PresenterConsole, PresenterNotes, label

if TYPE_CHECKING:
    from .timeline_view import TimelineView

TIMELINE_LABEL_PT = 13.0
TIMELINE_AXIS_PT = 13
# After full screen and the page zoom, the map's size settles; the first
# step is fitted again once it has.
SETTLE_MS = 400

NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Down}
PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace, Qt.Key.Key_Up}
BLACK_KEYS = {Qt.Key.Key_B, Qt.Key.Key_Period}
ENTER_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}

HEADER_STYLE = """
QWidget#presenterHeader { background: #0f172a; }
QLabel#presenterTitle { color: #ffffff; font-size: 46px; font-weight: 700; }
QLabel#presenterCaption { color: #cbd5e1; font-size: 28px; }
QLabel#presenterCounter { color: #94a3b8; font-size: 24px; font-weight: 600; }
QLabel#presenterDates { color: #fbbf24; font-size: 24px; font-weight: 600; }
"""


class PresenterHeader(QWidget):
    """The band above the map: the step's title and caption, the step number and dates."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("presenterHeader")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(HEADER_STYLE)
        self.title = label("presenterTitle", wrap=True)
        self.caption = label("presenterCaption", wrap=True)
        self.counter = label("presenterCounter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.dates = label("presenterDates")
        self.dates.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(6)
        words.addWidget(self.title)
        words.addWidget(self.caption)
        side = QVBoxLayout()
        side.setSpacing(6)
        side.addWidget(self.counter)
        side.addWidget(self.dates)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(48, 22, 48, 24)
        layout.setSpacing(32)
        layout.addLayout(words, 1)
        layout.addLayout(side)
        self.hide()

    def show_step(self, step: StoryStep, number: int, total: int, typed: str = "") -> None:
        self.title.setText(step.title)
        self.caption.setText(step.caption)
        self.caption.setVisible(bool(step.caption))
        self.counter.setText(f"Go to {typed}…" if typed else f"{number} / {total}")
        self.dates.setText(window_words(step.start, step.end))


@dataclass(frozen=True)
class Stage:
    """What the presenter works with: the window it fills, the map and the timeline the
    room sees, the splitter between them, the title band, and the chrome it hides
    (menus, bars, panels: asked for at each start)."""

    window: QMainWindow
    map: MapView
    timeline_of: Callable[[], TimelineView]  # built late at start-up: asked for when used
    splitter: QSplitter
    header: PresenterHeader
    chrome: Callable[[], list[QWidget]]

    @property
    def timeline(self) -> TimelineView:
        return self.timeline_of()


@dataclass
class _Saved:
    """The window and the view as they were before presenting, to put back on Esc."""

    geometry: QRect
    state: QByteArray
    splitter: QByteArray
    maximized: bool
    view: FrozenView
    screen: QScreen | None = None
    visible: dict[QWidget, bool] = field(default_factory=dict)
    label_pt: float = 9.0


class Presenter(QObject):
    """Runs a Briefing over the stage, showing each step on the view state."""

    def __init__(self, state: ViewState, stage: Stage, steps: Callable[[], list[StoryStep]]):
        super().__init__(stage.window)
        self._state = state
        self._stage = stage
        self._window = stage.window
        self.header = stage.header
        self._steps = steps
        self.briefing: Briefing | None = None
        self._saved: _Saved | None = None
        self._shown: int | None = None
        self.console: PresenterConsole | None = None
        self._watched: list[QObject] = []

        self.black = QWidget(self._window)
        self.black.setObjectName("presenterBlack")
        self.black.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.black.setStyleSheet("QWidget#presenterBlack { background: #000000; }")
        self.black.hide()
        self.notes = PresenterNotes(self._window)
        self.notes.hide()
        # A map page loaded again (its process died) comes with a new widget taking its keys.
        stage.map.sigRecovered.connect(lambda _how: self._watch())

    @property
    def active(self) -> bool:
        return self.briefing is not None

    # -- start and stop -----------------------------------------------------

    def screens(self):
        """The screens to present on (tests replace this to stand in for a projector)."""
        return QGuiApplication.screens()

    def start(self, index: int = 0) -> bool:
        """Go full screen at step ``index``; False when there is no story to present."""
        steps = self._steps()
        if not steps or self.active:
            return False
        stage = self._stage
        window = self._window
        timeline = stage.timeline
        self._saved = _Saved(
            geometry=window.normalGeometry() if window.isMaximized() else window.geometry(),
            state=window.saveState(),
            splitter=stage.splitter.saveState(),
            maximized=window.isMaximized(),
            view=self._state.frozen(),
            screen=window.screen(),
            visible={w: w.isVisible() for w in stage.chrome()},
            label_pt=timeline.label_point_size(),
        )
        self.briefing = Briefing(steps)
        self.briefing.index = max(0, min(index, len(steps) - 1))
        self.briefing.subscribe(self._render)
        for widget in self._saved.visible:
            widget.hide()
        self.header.show()
        stage.map.set_presenting(True)
        self._timeline_text(TIMELINE_LABEL_PT, TIMELINE_AXIS_PT)
        # Each step's window is what the timeline frames; a brush band over all
        # of it would only tint the whole strip.
        timeline.set_window_region_shown(False)

        screens = self.screens()
        here = window.screen()
        if len(screens) > 1:
            audience = next((s for s in screens if s is not here), screens[-1])
            self.console = PresenterConsole()
            self.console.setScreen(here)
            self.console.setGeometry(here.availableGeometry())
            self.console.show()
            handle = window.windowHandle()
            if handle is not None:
                handle.setScreen(audience)
            window.setGeometry(audience.geometry())
        window.showFullScreen()
        height = max(window.height(), 600)
        stage.splitter.setSizes([int(height * 0.55), int(height * 0.34)])
        self.notes.restart_clock()
        if self.console is not None:
            self.console.panel.restart_clock()
        self._watch()
        window.setFocus(Qt.FocusReason.OtherFocusReason)
        self._shown = None
        self._render()
        QTimer.singleShot(SETTLE_MS, self._settle)
        return True

    def _watch(self) -> None:
        """Read the keys from every widget that can take them now (none when not presenting)."""
        self._unwatch()
        if self.active:
            self._watched = self._focusable()
            for watched in self._watched:
                watched.installEventFilter(self)

    def _unwatch(self) -> None:
        for widget in self._watched:
            if shiboken6.isValid(widget):  # the map's went with its page's process
                widget.removeEventFilter(self)
        self._watched = []

    def _focusable(self) -> list[QObject]:
        stage = self._stage
        widgets: list[QObject] = [stage.window, stage.timeline, stage.map]
        proxy = stage.map.focusProxy()
        if proxy is not None:
            widgets.append(proxy)
        return widgets

    def _settle(self) -> None:
        # The map's size has settled after going full screen: frame the step again.
        frame = self._state.frame
        if self.briefing is not None and not self.briefing.blacked_out and frame is not None:
            self._state.set_frame(replace(frame, animate=False))

    def stop(self) -> None:
        if not self.active:
            return
        window = self._window
        self._unwatch()
        self.briefing = None
        self.black.hide()
        self.notes.hide()
        self.header.hide()
        if self.console is not None:
            self.console.close()
            self.console.deleteLater()
            self.console = None
        stage = self._stage
        stage.map.set_presenting(False)
        stage.timeline.set_window_region_shown(True)
        saved = self._saved
        self._saved = None
        if saved is not None:
            self._timeline_text(saved.label_pt, None)
            window.showNormal()
            handle = window.windowHandle()
            if handle is not None and saved.screen is not None:
                handle.setScreen(saved.screen)
            # setGeometry, not restoreGeometry: the latter would also squeeze
            # the window onto the screen it was presented on.
            window.setGeometry(saved.geometry)
            window.restoreState(saved.state)
            stage.splitter.restoreState(saved.splitter)
            for widget, was_visible in saved.visible.items():
                widget.setVisible(was_visible)
            if saved.maximized:
                window.showMaximized()
            # The analyst's own view again: what was selected, windowed and filtered,
            # and where the map and the timeline were.
            self._state.restore(saved.view, saved.view.own_frame())

    def _timeline_text(self, label_pt: float, axis_pt: int | None) -> None:
        timeline = self._stage.timeline
        timeline.set_label_point_size(label_pt)
        timeline.set_axis_point_size(axis_pt)

    # -- showing ------------------------------------------------------------

    def _render(self) -> None:
        briefing = self.briefing
        if briefing is None:
            return
        step = briefing.step
        total = len(briefing.steps)
        self.header.show_step(step, briefing.number, total, briefing.typed)
        self._place_overlays()
        self.black.setVisible(briefing.blacked_out)
        if briefing.blacked_out:
            self.black.raise_()
        self.notes.show_briefing(briefing)
        if self.console is not None:
            self.console.panel.show_briefing(briefing)
        if self._shown != briefing.index:
            self._shown = briefing.index
            show_step(self._state, step, animate=True)

    def _place_overlays(self) -> None:
        rect = self._window.rect()
        self.black.setGeometry(rect)
        width = min(760, rect.width() // 2)
        height = min(420, rect.height() // 2)
        margin = 24
        self.notes.setGeometry(
            rect.width() - width - margin, rect.height() - height - margin, width, height
        )
        self.notes.raise_()
        if self.black.isVisible():
            self.black.raise_()

    # -- keys ---------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if self.briefing is None:
            return False
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.Resize:
            self._place_overlays()
            return False
        if kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            # Claim the keys before any menu shortcut or the web page can.
            if self._handles(event):
                event.accept()
                return True
            return False
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self._handles(event):
            self._key(event)
            return True
        return False

    @staticmethod
    def _handles(event: QKeyEvent) -> bool:
        key = event.key()
        return (
            key in NEXT_KEYS
            or key in PREVIOUS_KEYS
            or key in BLACK_KEYS
            or key in ENTER_KEYS
            or Qt.Key.Key_0 <= key <= Qt.Key.Key_9
            or key
            in (Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Escape, Qt.Key.Key_N, Qt.Key.Key_F5)
        )

    def _key(self, event: QKeyEvent) -> None:
        briefing = self.briefing
        assert briefing is not None
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.stop()
        elif key in NEXT_KEYS:
            briefing.next()
        elif key in PREVIOUS_KEYS:
            briefing.previous()
        elif key == Qt.Key.Key_Home:
            briefing.first()
        elif key == Qt.Key.Key_End:
            briefing.last()
        elif key in BLACK_KEYS:
            briefing.toggle_black()
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            briefing.type_digit(chr(key))
            self._render()
        elif key in ENTER_KEYS:
            briefing.enter()
            self._render()
        elif key == Qt.Key.Key_N and self.console is None:
            self.notes.setVisible(not self.notes.isVisible())
            self._place_overlays()
        # F5 while presenting (clickers send it for "start") does nothing.

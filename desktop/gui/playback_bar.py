"""Play the timeline through time: the window grows (or rolls) and events appear on the map.

The bar plays over the part of the timeline in view (the span the timeline
reports to the view state), so what plays is what the analyst is looking at;
a full pass takes PASS_SECONDS at normal speed. Playback (Qt-free) turns
elapsed time into a window; a QTimer feeds it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QStyle, QToolBar

from desktop.core.briefing import Playback, PlayMode
from desktop.core.view_state import DATASET, TimeWindow, ViewState

TICK_MS = 50
PASS_SECONDS = 30.0
ROLLING_FRACTION = 0.15


def speed_text(speed: timedelta) -> str:
    days = speed.total_seconds() / 86400
    if days >= 365:
        return f"{days / 365.25:.1f} years/s"
    if days >= 1:
        return f"{days:.0f} days/s"
    return f"{speed.total_seconds() / 3600:.0f} hours/s"


class PlaybackBar(QToolBar):
    """Play/pause, cumulative or rolling, slower/faster and rewind."""

    def __init__(self, state: ViewState, parent=None):
        super().__init__("Playback", parent)
        self.setObjectName("playbackBar")
        self._state = state
        self.playback: Playback | None = None
        self._clock = QElapsedTimer()
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)

        icon = self.style().standardIcon
        pixmaps = QStyle.StandardPixmap
        self._play_icon = icon(pixmaps.SP_MediaPlay)
        self._pause_icon = icon(pixmaps.SP_MediaPause)
        self.play_action = QAction(self._play_icon, "Play", self)
        self.play_action.setCheckable(True)
        self.play_action.setToolTip("Play the timeline through time (events appear on the map)")
        self.play_action.toggled.connect(self._toggled)
        self.rewind_action = QAction(icon(pixmaps.SP_MediaSkipBackward), "Rewind", self)
        self.rewind_action.triggered.connect(self.rewind)
        self.slower_action = QAction(icon(pixmaps.SP_MediaSeekBackward), "Slower", self)
        self.slower_action.triggered.connect(self.slower)
        self.faster_action = QAction(icon(pixmaps.SP_MediaSeekForward), "Faster", self)
        self.faster_action.triggered.connect(self.faster)
        self.mode = QComboBox()
        self.mode.setObjectName("playMode")
        self.mode.addItem("Cumulative", PlayMode.CUMULATIVE)
        self.mode.addItem("Rolling window", PlayMode.ROLLING)
        self.mode.setToolTip("Cumulative: everything so far. Rolling: only the recent past.")
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(90)

        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addAction(self.rewind_action)
        self.addAction(self.play_action)
        self.addWidget(self.mode)
        self.addAction(self.slower_action)
        self.addWidget(self.speed_label)
        self.addAction(self.faster_action)
        state.subscribe(self._on_state)
        self._update()

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        self.play_action.setChecked(True)

    def pause(self) -> None:
        self.play_action.setChecked(False)

    def rewind(self) -> None:
        if self.playback is not None:
            self.playback.rewind()
            self._apply()

    def slower(self) -> None:
        self._ensure().slower()
        self._update()

    def faster(self) -> None:
        self._ensure().faster()
        self._update()

    # -- internals ----------------------------------------------------------

    def _ensure(self) -> Playback:
        """The playback over the timeline's visible span (made on first use)."""
        if self.playback is None:
            shown = self._state.span
            if shown is None:  # the timeline has not drawn yet: the whole dataset
                whole = Playback.for_dataset(self._state.dataset)
                start, end = whole.start, whole.end
            else:
                start = datetime.fromtimestamp(self._earliest_under(shown[0]), tz=UTC)
                end = datetime.fromtimestamp(shown[1], tz=UTC)
            span = end - start
            self.playback = Playback(
                start,
                end,
                mode=PlayMode(self.mode.currentData()),
                width=span * ROLLING_FRACTION,
                speed=span / PASS_SECONDS,
            )
        return self.playback

    def _earliest_under(self, seconds: float) -> float:
        """The view's start, moved back to the start of any event under it (a date known
        only to its year reaching into the view): rewound, the playback shows nothing yet."""
        from desktop.core.spans import event_spans

        dataset = self._state.dataset
        lower, upper = dataset.derived("spans", lambda: event_spans(dataset.events))
        under = lower[(lower < seconds) & (upper > seconds)]
        # A second before it: the rewound window (a second wide) ends where it begins.
        return min(seconds, float(under.min()) - 1) if len(under) else seconds

    def _toggled(self, on: bool) -> None:
        if on:
            playback = self._ensure()
            if playback.position is not None and playback.position >= playback.end:
                playback.rewind()
            playback.playing = True
            self._clock.start()
            self._timer.start()
            self._apply()
        else:
            self._timer.stop()
            if self.playback is not None:
                self.playback.playing = False
        self._update()

    def _tick(self) -> None:
        playback = self.playback
        if playback is None:
            return
        seconds = self._clock.restart() / 1000.0
        going = playback.advance(seconds)
        self._apply()
        if not going:
            self.pause()

    def _apply(self) -> None:
        playback = self.playback
        if playback is None:
            return
        low, high = playback.window()
        # Whole seconds, at least one wide: the timeline's brush reads an empty
        # window as "no window" (everything shown), the opposite of a rewind.
        low = low.replace(microsecond=0)
        high = max(high.replace(microsecond=0), low + timedelta(seconds=1))
        self._state.set_window(TimeWindow(low, high))

    def _mode_changed(self) -> None:
        if self.playback is not None:
            self.playback.mode = PlayMode(self.mode.currentData())
            self._apply()

    def _on_state(self, changed: frozenset[str]) -> None:
        if DATASET in changed:
            self.pause()
            self.playback = None
            self._update()

    def _update(self) -> None:
        playing = self.playing
        self.play_action.setText("Pause" if playing else "Play")
        self.play_action.setIcon(self._pause_icon if playing else self._play_icon)
        speed = self.playback.speed if self.playback else None
        self.speed_label.setText(speed_text(speed) if speed else "view in 30 s")
        self.setEnabled(bool(self._state.dataset.events))

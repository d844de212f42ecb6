"""Show one story step in the window: its time window, its events, the map flying to its view.

The story panel (a click on a step) and the presenter (each key press) both
go through ``show_step``, so a step looks the same whether it is checked
while editing or shown to a room.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QObject, QVariantAnimation

from desktop.core.briefing import step_places, step_window
from desktop.core.model import StoryStep
from desktop.core.view_state import ViewState

from .map_view import MapView
from .timeline_view import TimelineView

TIMELINE_MS = 700
# Room either side of the window, so its first and last events are not on the edge.
TIMELINE_MARGIN = 0.08


class StepDisplay(QObject):
    """Moves the state, the map and the timeline to a step, animated or at once."""

    def __init__(self, state: ViewState, map_view: MapView, timeline: TimelineView, parent=None):
        super().__init__(parent)
        self._state = state
        self._map = map_view
        self._timeline = timeline
        self._pan = QVariantAnimation(self)
        self._pan.setDuration(TIMELINE_MS)
        self._pan.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._pan.valueChanged.connect(self._pan_to)
        self._span: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    @property
    def panning(self) -> bool:
        return self._pan.state() == QVariantAnimation.State.Running

    def show(self, step: StoryStep, animate: bool = True) -> None:
        state = self._state
        dataset = state.dataset
        before = self._timeline.visible_x_range()
        window = step_window(dataset, step)
        state.set_window(window)
        state.select(step.events)
        if step.view is not None:
            view = step.view
            self._map.call("setView", view.lat, view.lon, view.zoom, animate)
        else:
            places = step_places(dataset, step, list(state.visible_ids()))
            if places:
                self._map.call("fitPlaces", places, animate)
        self._scroll_timeline(before, window, animate)

    def _scroll_timeline(self, before, window, animate: bool) -> None:
        if window is None:
            self._pan.stop()
            self._timeline.go_home()
            return
        lo, hi = window.epochs()
        margin = (hi - lo) * TIMELINE_MARGIN
        target = (lo - margin, hi + margin)
        self._pan.stop()
        if not animate:
            self._timeline.setXRange(*target, padding=0)
            return
        self._span = (before[0], before[1], target[0], target[1])
        self._pan.setStartValue(0.0)
        self._pan.setEndValue(1.0)
        self._pan.start()

    def _pan_to(self, value) -> None:
        t = float(value)
        a0, b0, a1, b1 = self._span
        self._timeline.setXRange(a0 + (a1 - a0) * t, b0 + (b1 - b0) * t, padding=0)

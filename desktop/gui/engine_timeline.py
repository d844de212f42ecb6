"""The timeline of a source too large to load: how many events start in each stretch.

Bars stacked by category, from the engine's overview (time bins x category)
of the events the categories and the search let through; zooming asks for the
visible stretch again, in finer bins. The time window is a band on it: drag
its edges or its body; letting go sets the view state's window once. The
state stays the owner: this widget only draws what it is given and reports
the band.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.core.engine import Overview
from desktop.core.view_state import WINDOW, TimeWindow, ViewState

from .timeline_axis import CalendarAxis

# Bins across the plot's width: about one per 4 px of a full-width timeline.
BINS = 300


class EngineTimeline(QWidget):
    """Stacked counts per time bin and category, and the window as a band."""

    sigRangeWanted = Signal(float, float)  # the visible stretch, after a zoom or pan

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("engineTimeline")
        self._state = state
        self._colors: dict[str, str] = {}
        self._extent: tuple[float, float] | None = None
        self._bars: list[pg.BarGraphItem] = []
        self.overview: Overview | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel()
        self.caption.setObjectName("engineTimelineCaption")
        layout.addWidget(self.caption)
        self.axis = CalendarAxis(rows=2)
        self.plot = pg.PlotWidget(axisItems={"bottom": self.axis}, background="w")
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getPlotItem().getViewBox().setMouseEnabled(x=True, y=False)
        self.plot.getPlotItem().showGrid(x=False, y=True, alpha=0.15)
        layout.addWidget(self.plot, 1)
        self.band = pg.LinearRegionItem(
            brush=pg.mkBrush(30, 90, 200, 40), hoverBrush=pg.mkBrush(30, 90, 200, 70)
        )
        self.band.setZValue(10)
        self.band.sigRegionChangeFinished.connect(self._band_moved)
        self.plot.addItem(self.band)
        # A zoom or pan asks for finer bins once it has settled.
        self._settle = QTimer(self, singleShot=True, interval=150)
        self._settle.timeout.connect(self._ask_range)
        self.plot.getPlotItem().getViewBox().sigXRangeChanged.connect(
            lambda *_: self._settle.start()
        )
        self._unsubscribe = state.subscribe(self._on_state)

    def set_colors(self, colors: dict[str, str]) -> None:
        self._colors = dict(colors)

    def set_extent(self, low: float, high: float) -> None:
        """The span of all events: the home view, and the band when there is no window."""
        if not high > low:
            high = low + 1
        self._extent = (low, high)
        self.go_home()
        self._show_window()

    def go_home(self) -> None:
        if self._extent is not None:
            self.plot.setXRange(*self._extent, padding=0.02)

    def set_overview(self, overview: Overview) -> None:
        """Draw the counts: one bar per bin, stacked by category."""
        self.overview = overview
        for bar in self._bars:
            self.plot.removeItem(bar)
        self._bars = []
        edges = np.asarray(overview.bins.edges())
        counts = np.asarray(overview.counts, dtype=float).reshape(
            overview.bins.count, len(overview.categories)
        )
        below = np.zeros(overview.bins.count)
        width = edges[1:] - edges[:-1]
        for i, name in enumerate(overview.categories):
            height = counts[:, i]
            color = QColor(self._colors.get(name, "#888888"))
            bar = pg.BarGraphItem(
                x0=edges[:-1], width=width, y0=below.copy(), height=height, brush=color, pen=None
            )
            self.plot.addItem(bar)
            self._bars.append(bar)
            below = below + height
        top = float(below.max()) if below.size else 1.0
        self.plot.setYRange(0, max(top, 1.0) * 1.05, padding=0)
        total = int(counts.sum())
        self.caption.setText(f"{total:,} events start in view, in {overview.bins.count} bins")

    def brush(self, low: float, high: float) -> None:
        """Set the band as a drag would, and let go: the state's window follows."""
        self.band.setRegion((low, high))
        self._band_moved()

    def _band_moved(self) -> None:
        low, high = self.band.getRegion()
        if self._extent is not None and low <= self._extent[0] and high >= self._extent[1]:
            window = None  # the band over everything is no window
        else:
            window = TimeWindow.from_epochs(float(low), float(high))
        if window != self._state.window:
            self._state.set_window(window)

    def _show_window(self) -> None:
        window = self._state.window
        if window is not None:
            region = window.epochs()
        elif self._extent is not None:
            region = self._extent
        else:
            return
        self.band.blockSignals(True)
        self.band.setRegion(region)
        self.band.blockSignals(False)

    def _on_state(self, changed: frozenset[str]) -> None:
        if WINDOW in changed:
            self._show_window()

    def _ask_range(self) -> None:
        low, high = self.plot.getPlotItem().getViewBox().viewRange()[0]
        self.sigRangeWanted.emit(float(low), float(high))

    def close_state(self) -> None:
        self._unsubscribe()

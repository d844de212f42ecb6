"""The overview strip under the timeline: every event, on plain time, with the view's handle.

The strip always spans the whole dataset (eras included) on a plain,
unshortened time axis, each lane a thin row of colour that is darker where
more events fall: nothing is ever out of it. The stretch the timeline shows
is a handle on it; drag the handle to pan, drag its edges to zoom, click
elsewhere on the strip to centre the view there.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor

from .timeline_axis import CalendarAxis
from .timeline_items import color

OVERVIEW_PX = 30  # the strip's height, axis excluded
PAD = 0.015  # either side of the data
BIN_PX = 2  # one density column per this many pixels
FLOOR_ALPHA = 150  # a single event is never fainter than this
FADED_ALPHA = 40
AXIS_GAP_PX = 36  # the strip's dates are sparse: where, not when exactly
SPREAD = 1  # a mark spreads this many columns either side, so one event is seen


def density_image(
    centers: np.ndarray,
    lanes: np.ndarray,
    shown: np.ndarray,
    lo: float,
    hi: float,
    bins: int,
    colors: list[str],
    rows: list[tuple[int, slice]],
    floor: int,
    spread: int = 0,
) -> np.ndarray:
    """An RGBA image (bins × image rows) of where events fall: a column per bin, and
    per lane ``rows[lane]`` image rows of which the ``slice`` is painted; alpha grows
    with the number of shown events (``floor`` for one), faint where all are filtered out.

    ``centers`` are sorted; lanes and shown go with them.
    """
    n_lanes = max(len(colors), 1)
    first, last = np.searchsorted(centers, [lo, hi])
    column = ((centers[first:last] - lo) * (bins / max(hi - lo, 1e-9))).astype(np.int64)
    cell = lanes[first:last] * bins + np.clip(column, 0, bins - 1)
    every = np.bincount(cell, minlength=n_lanes * bins).reshape(n_lanes, bins)
    on = np.bincount(cell[shown[first:last]], minlength=n_lanes * bins).reshape(n_lanes, bins)
    for _ in range(spread):  # each mark a few pixels wide
        every, on = _widen(every), _widen(on)
    peak = np.log1p(max(int(on.max()) if on.size else 1, 1))
    alpha = np.where(on > 0, floor + (255 - floor) * np.log1p(on) / peak, 0)
    alpha = np.where((every > 0) & (on == 0), FADED_ALPHA, alpha)
    total = sum(r for r, _ in rows) if rows else 1
    rgba = np.zeros((bins, total, 4), dtype=np.uint8)
    top = 0
    for lane, (count, painted) in enumerate(rows):
        c = QColor(colors[lane] if lane < len(colors) else "#000000")
        band = slice(top + (painted.start or 0), top + (painted.stop or count))
        rgba[:, band, :3] = (c.red(), c.green(), c.blue())
        rgba[:, band, 3] = alpha[lane][:, None]
        top += count
    return rgba


def _widen(counts: np.ndarray) -> np.ndarray:
    """Each column the largest of itself and its neighbours (lanes are rows)."""
    out = counts.copy()
    out[:, 1:] = np.maximum(out[:, 1:], counts[:, :-1])
    out[:, :-1] = np.maximum(out[:, :-1], counts[:, 1:])
    return out


class Overview(pg.PlotItem):
    """The strip; ``sigRangeRequested(lo, hi)`` (epoch seconds) asks the timeline to show that."""

    sigRangeRequested = Signal(float, float)

    def __init__(self) -> None:
        self._axis = CalendarAxis(rows=1, grid=False, gap=AXIS_GAP_PX)
        # enableMenu=False: its ViewBox never builds the context menu it would not show.
        super().__init__(axisItems={"bottom": self._axis}, enableMenu=False)
        vb = self.getViewBox()
        vb.setMouseEnabled(x=False, y=False)
        vb.invertY(True)
        self.setMenuEnabled(False)
        self.hideButtons()
        self.getAxis("left").setStyle(showValues=False, tickLength=0)
        for name in ("left", "bottom"):
            self.getAxis(name).setPen("#d1d5db")
            self.getAxis(name).setTextPen("#4b5563")
        self._image = pg.ImageItem()
        self.addItem(self._image)
        self._eras = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[])
        self.addItem(self._eras)
        self._handle = pg.LinearRegionItem(
            movable=True,
            brush=color("#2563eb", 38),
            hoverBrush=color("#2563eb", 60),
            pen=pg.mkPen("#2563eb", width=2),
        )
        self._handle.setZValue(20)
        self.addItem(self._handle, ignoreBounds=True)
        self._placing = False
        self._handle.sigRegionChanged.connect(self._dragged)
        self._span: tuple[float, float] = (0.0, 1.0)
        self._lanes = 1
        self._fix_height(self._height())

    def _height(self) -> int:
        return OVERVIEW_PX + self._axis.wanted_height()

    def _fix_height(self, height: int) -> None:
        # A hidden item still takes its room in a graphics layout: it is given none.
        self.setMinimumHeight(height)
        self.setMaximumHeight(height)

    def set_axis_font(self, font) -> None:  # noqa: ANN001
        self._axis.set_font(font)
        if self.isVisible():
            self._fix_height(self._height())

    @property
    def span(self) -> tuple[float, float]:
        """The stretch of time the strip shows (epoch seconds)."""
        return self._span

    def label_rects(self):  # noqa: ANN201
        return self._axis.label_rects()

    def show_data(
        self, full: tuple[float, float] | None, lanes: int, eras: list[tuple[float, float]]
    ) -> None:
        """Span the strip over ``full`` (None: nothing to show, and no strip) with
        ``lanes`` rows."""
        self._axis.set_enabled(full is not None)
        self._handle.setVisible(full is not None)
        self.setVisible(full is not None)
        self._fix_height(self._height() if full is not None else 0)
        self._lanes = max(lanes, 1)
        if full is None:
            self._image.clear()
            self._eras.setOpts(x0=[], x1=[], y0=[], y1=[])
            return
        lo, hi = full
        pad = max((hi - lo) * PAD, 3600.0)
        self._span = (lo - pad, hi + pad)
        vb = self.getViewBox()
        top = -0.6 if eras else 0.0
        vb.setRange(xRange=self._span, yRange=(top, self._lanes), padding=0)
        self._handle.setBounds(self._span)
        if eras:
            self._eras.setOpts(
                x0=[a for a, _ in eras],
                x1=[b for _, b in eras],
                y0=[-0.5] * len(eras),
                y1=[-0.15] * len(eras),
                brush=color("#6b7280", 120),
                pen=pg.mkPen(None),
            )
        else:
            self._eras.setOpts(x0=[], x1=[], y0=[], y1=[])

    def bins(self) -> int:
        return max(int(self.getViewBox().width() // BIN_PX), 16)

    def set_image(self, rgba: np.ndarray) -> None:
        lo, hi = self._span
        self._image.setImage(rgba, autoLevels=False, levels=(0, 255))
        self._image.setRect(QRectF(lo, 0, hi - lo, self._lanes))

    def set_view(self, lo: float, hi: float) -> None:
        """Show the timeline's stretch (epoch seconds) as the handle, without echoing it."""
        self._placing = True
        try:
            self._handle.setRegion((lo, hi))
        finally:
            self._placing = False

    def view_handle(self) -> tuple[float, float]:
        lo, hi = self._handle.getRegion()
        return float(lo), float(hi)

    def _dragged(self, *_args) -> None:
        if not self._placing:
            lo, hi = self._handle.getRegion()
            if hi > lo:
                self.sigRangeRequested.emit(float(lo), float(hi))

    def mouseClickEvent(self, event):  # noqa: N802 (Qt naming)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        x = vb.mapSceneToView(event.scenePos()).x()
        lo, hi = self._handle.getRegion()
        half = (hi - lo) / 2
        event.accept()
        self.sigRangeRequested.emit(float(x - half), float(x + half))

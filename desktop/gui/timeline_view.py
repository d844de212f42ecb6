"""The timeline: events in lanes by category on a date axis, linked to the view state.

Exact events are solid dots. Events known only to the month or year, or
marked approximate, are hollow dots over a faint bar across every day they
may fall on, so a year-precision event never reads as 1 January. Intervals
are solid bars; eras (the treaty's 20-year term) are shaded behind the lanes.

Level of detail: with more than LOD_MARKS marks in view, each lane shows
the density of its events (darker where more fall) instead of marks that
would only overlap; zooming in brings the marks back. Marks are set for the
view and a margin around it, so zooming in within that span redraws
without rebuilding them.

Mouse: wheel zooms, drag pans, click selects, shift-drag brushes a time
window (drag its edges to adjust, Escape clears it). Keyboard: + and -
zoom, the arrows pan, Home shows the whole story.

The view state drives it: a frame pans (animated, or at once) to the frame's
span; a selection without a frame scrolls it into view. A brush previews
while the mouse moves (``sigWindowChanged``) and sets the state's window
once, when let go (``sigWindowChangeFinished``); the window coming back from
the state is not applied again. The span in view is reported to the state
after every move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEasingCurve, QPointF, QRectF, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QKeyEvent, QPaintEvent

from desktop.core.dates import to_epoch
from desktop.core.view_state import DATASET, FRAME, SELECTION, Span, TimeWindow, ViewState
from desktop.core.year_axis import reaches_before_year_one, year_ticks

from .timeline_layout import EXACT, INTERVAL, UNCERTAIN, TimelineLayout, place_labels

LABEL_CHARS = 42
LABEL_GAP_PX = 10
MAX_LABELS = 160
DOT_PX = 11
CLICK_PX = 9
FADED_ALPHA = 45
FALLBACK_COLOR = "#6b7280"
# More marks than this in view, and the lanes show their density instead.
LOD_MARKS = 3000
DENSITY_PX = 3  # width of one density column, in pixels
DENSITY_ROWS = 5  # image rows per lane; the middle three are painted
LABEL_BUCKET_PX = 24  # a crowded view offers one label per lane per this many pixels
GRID_MIN_PX = 12  # a finer level of date ticks draws no grid lines
TICK_STRINGS_KEPT = 20_000
LABEL_LANE_OFFSET = 0.16  # labels sit this far (in lanes) above or below their lane
LABEL_PAD_PX = 4  # and this many pixels further out
LABEL_COLORS = ("#374151", "#111827")  # plain, selected (drawn bold)
LABEL_WIDTHS_KEPT = 100_000  # label widths measured, kept across datasets up to this many
MOTION_MS = 700  # an animated frame's pan


def _color(hex_color: str, alpha: int = 255) -> QColor:
    color = QColor(hex_color)
    color.setAlpha(alpha)
    return color


class _TimelineViewBox(pg.ViewBox):
    """A ViewBox whose shift-drag brushes a time window instead of panning."""

    sigBrushed = Signal(float, float, bool)  # start, end, finished

    _brushing = False

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802 (Qt naming)
        if ev.button() != Qt.MouseButton.LeftButton:
            super().mouseDragEvent(ev, axis)
            return
        if ev.isStart():
            # Decided once per drag, from Shift at the press or at the first
            # move: letting go of Shift mid-drag must not turn a brush into a pan.
            self._brushing = self._shift(ev) or any(
                press.button() == Qt.MouseButton.LeftButton and self._shift(press)
                for press in self.scene().clickEvents
            )
        if self._brushing:
            ev.accept()
            start = self.mapSceneToView(ev.buttonDownScenePos()).x()
            end = self.mapSceneToView(ev.scenePos()).x()
            self.sigBrushed.emit(min(start, end), max(start, end), bool(ev.isFinish()))
            if ev.isFinish():
                self._brushing = False
            return
        super().mouseDragEvent(ev, axis)

    @staticmethod
    def _shift(ev) -> bool:
        return bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)


class _DateAxis(pg.DateAxisItem):
    """The date axis, without grid lines packed too tightly to be seen.

    pyqtgraph fades a tick level's grid lines by how close together they
    are; months over thirty years come out a few hundred lines at 1-2 %
    opacity, which cost most of a zoomed-out repaint (a vertical line is
    blended one pixel row at a time), and working out their dates cost as
    much again. A level denser than GRID_MIN_PX is left out: it is the
    finest one, never labelled, and all but invisible. Tick strings are
    kept, as zooming asks for the same dates over and over.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._strings: dict[tuple[str, float], str] = {}
        self._bce: dict[float, str] | None = None

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph naming)
        self._bce = None
        if reaches_before_year_one(minVal) and size > 0 and maxVal > minVal:
            # datetime (and pyqtgraph's date axis) stops at year 1: BCE years are ours.
            step, ticks = year_ticks(minVal, maxVal, int(size // 70))
            self._bce = dict(ticks)
            return [(step * 365.2425 * 86400, [t for t, _ in ticks])]
        if self.grid is False or size <= 0 or maxVal <= minVal:
            return super().tickValues(minVal, maxVal, size)
        self.setZoomLevelForDensity((maxVal - minVal) / size)
        level = self.zoomLevel
        specs = level.tickSpecs
        # A level without auto-skip has a tick every ``spacing`` seconds
        # (one that skips is spaced for its labels): leave out the first
        # that would be too dense, and every finer one, before dating them.
        for k, spec in enumerate(specs[1:], start=1):
            if spec.autoSkip is None and spec.spacing * size / (maxVal - minVal) < GRID_MIN_PX:
                level.tickSpecs = specs[:k]
                break
        try:
            levels = level.tickValues(minVal, maxVal, minSpc=self.minSpacing)
        finally:
            level.tickSpecs = specs
        # Finer levels come last; keeping a prefix keeps each level's fading.
        while len(levels) > 1 and size / (len(levels[-1][1]) + 1) < GRID_MIN_PX:
            levels = levels[:-1]
        return levels

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph naming)
        if self._bce is not None:
            return [self._bce.get(v, "") for v in values]
        spec = next((s for s in self.zoomLevel.tickSpecs if s.spacing == spacing), None)
        if spec is None:
            return super().tickStrings(values, scale, spacing)
        strings = self._strings
        if len(strings) > TICK_STRINGS_KEPT:
            strings.clear()
        missing = [v for v in values if (spec.format, v) not in strings]
        if missing:
            for v, text in zip(missing, super().tickStrings(missing, scale, spacing), strict=True):
                strings[(spec.format, v)] = text
        return [strings[(spec.format, v)] for v in values]


@dataclass(frozen=True, slots=True)
class _Label:
    """One event label: where its event is (view coordinates) and how it reads."""

    x: float  # the event's time (clamped to the view's left edge)
    y: float  # lane plus or minus LABEL_LANE_OFFSET
    above: bool  # the text ends LABEL_PAD_PX above y, else starts that far below
    flipped: bool  # the text ends at x instead of starting there
    text: str
    width: float  # pixels, as laid out
    bold: bool  # a selected event
    event_id: str


class _EventLabels(pg.GraphicsObject):
    """Every event label, drawn by one item in one pass.

    One item per label made every zoom pay to move each of them (their
    transforms follow the view) and every relabel pay to restyle them. Here a
    label is a point in view coordinates and a text drawn at fixed pixel
    size next to it, wherever the view maps that point.
    """

    def __init__(self) -> None:
        super().__init__()
        self._labels: list[_Label] = []
        self._fonts = (QFont(), QFont())
        self._rect = QRectF()

    def set_bounds(self, rect: QRectF) -> None:
        """Where labels may be (the view's limits): a fixed rect, so no zoom hides them."""
        self.prepareGeometryChange()
        self._rect = QRectF(rect)

    def set_labels(self, labels: list[_Label], font: QFont, bold: QFont) -> None:
        self._labels = labels
        self._fonts = (QFont(font), QFont(bold))
        self.update()

    def labels(self) -> list[_Label]:
        return list(self._labels)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt naming)
        return self._rect

    def paint(self, painter, *_args) -> None:
        if not self._labels:
            return
        to_device = painter.transform()  # view coordinates to pixels (the view only scales)
        painter.save()
        painter.resetTransform()  # text at its pixel size (a device pixel ratio stays)
        for bold, font in enumerate(self._fonts):
            metrics = QFontMetricsF(font)
            painter.setFont(font)
            painter.setPen(QColor(LABEL_COLORS[bold]))
            above = -LABEL_PAD_PX - metrics.descent()
            below = LABEL_PAD_PX + metrics.ascent()
            for label in self._labels:
                if label.bold != bold:
                    continue
                at = to_device.map(QPointF(label.x, label.y))
                painter.drawText(
                    QPointF(
                        at.x() - label.width if label.flipped else at.x(),
                        at.y() + (above if label.above else below),
                    ),
                    label.text,
                )
        painter.restore()


class TimelineView(pg.PlotWidget):
    """A pyqtgraph plot of the dataset's events, subscribed to a ViewState.

    ``sigDrawn`` fires after the first paint of each dataset shown.
    ``sigWindowChanged`` and ``sigWindowChangeFinished`` follow pyqtgraph's
    live/finished pair: the first while a window is brushed (a preview, the
    state unchanged), the second once, when it is let go and set.
    """

    sigDrawn = Signal()
    sigWindowChanged = Signal(object)  # TimeWindow | None, while brushing
    sigWindowChangeFinished = Signal(object)  # TimeWindow | None, set in the state

    def __init__(self, state: ViewState, colors: dict[str, str] | None = None, parent=None):
        self._vb = _TimelineViewBox()
        axis = _DateAxis(orientation="bottom", utcOffset=0)
        super().__init__(parent=parent, viewBox=self._vb, axisItems={"bottom": axis})
        self.setObjectName("timeline")
        self.setBackground("w")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(180)
        self._state = state
        self._colors = dict(colors or {})
        self._layout = TimelineLayout.build(state.dataset)
        self._drawn = False
        self._region_shown = True
        self._era_items: list[pg.GraphicsObject] = []
        self._font = QFont(self.font())
        self._font.setPointSizeF(max(self._font.pointSizeF(), 9.0))
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._metrics = QFontMetricsF(self._font)
        self._bold_metrics = QFontMetricsF(self._bold)
        self._label_widths: dict[tuple[str, bool], tuple[str, float]] = {}
        # What the labels were laid out for: the same view keeps them.
        self._labels_key: tuple | None = None
        self._labels_shown: np.ndarray | None = None

        plot = self.getPlotItem()
        plot.showGrid(x=True, y=False, alpha=0.15)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        self._vb.setMouseEnabled(x=True, y=False)
        self._vb.invertY(True)
        left = plot.getAxis("left")
        left.setWidth(96)
        left.setStyle(tickLength=0)
        for name in ("left", "bottom"):
            plot.getAxis(name).setTextPen("#374151")
            plot.getAxis(name).setPen("#9ca3af")

        self._spans = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[])
        self._bars = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[])
        self._dots = pg.ScatterPlotItem(pxMode=True)
        self._halo = pg.ScatterPlotItem(pxMode=True)
        self._halo_bars = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[])
        for z, item in enumerate(
            (self._spans, self._bars, self._halo_bars, self._dots, self._halo)
        ):
            item.setZValue(10 + z)
            self.addItem(item)
        self._density = pg.ImageItem()
        self._density.setZValue(9)
        self._density.setVisible(False)
        self.addItem(self._density, ignoreBounds=True)
        self._shown = np.zeros(0, dtype=bool)
        self._visible: set[str] = set()
        # The time span the marks are currently set for (None: set them again).
        self._marked_span: tuple[float, float] | None = None

        self._labels = _EventLabels()
        self._labels.setZValue(30)
        self.addItem(self._labels, ignoreBounds=True)

        self._region = pg.LinearRegionItem(
            movable=True, brush=_color("#2563eb", 40), pen=pg.mkPen("#2563eb", width=2)
        )
        self._region.setZValue(5)
        self._region.setVisible(False)
        self.addItem(self._region, ignoreBounds=True)
        # True while this view moves the band itself (setRegion reports a finished
        # change): only a drag of its edges by the mouse previews and commits.
        self._placing_region = False
        # True while this view sets the state's window: the change coming back is its own.
        self._committing = False
        self._region.sigRegionChanged.connect(self._region_dragged)
        self._region.sigRegionChangeFinished.connect(self._region_finished)
        self._vb.sigBrushed.connect(self._brushed)

        # A frame's animated pan: from the span in view to the frame's.
        self._motion = QVariantAnimation(self)
        self._motion.setDuration(MOTION_MS)
        self._motion.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._motion.valueChanged.connect(self._motion_step)
        self._motion_spans: tuple[Span, Span] = ((0.0, 0.0), (0.0, 0.0))

        self._relabel = QTimer(self, singleShot=True, interval=25)
        self._relabel.timeout.connect(self._layout_labels)
        self._vb.sigXRangeChanged.connect(lambda *_: self._relabel.start())
        self._vb.sigXRangeChanged.connect(lambda *_: self._update_detail())
        self._vb.sigXRangeChanged.connect(lambda *_: state.report_span(*self.visible_x_range()))
        self._vb.sigResized.connect(lambda *_: self._update_detail())
        self._vb.sigResized.connect(lambda *_: self._relabel.start())
        self.scene().sigMouseClicked.connect(self._clicked)

        self._unsubscribe = state.subscribe(self._on_state)
        self._rebuild()

    # -- public -------------------------------------------------------------

    @property
    def layout_data(self) -> TimelineLayout:
        return self._layout

    @property
    def drawn(self) -> bool:
        return self._drawn

    def set_colors(self, colors: dict[str, str]) -> None:
        self._colors = dict(colors)
        self._rebuild()

    def color_of(self, category: str) -> str:
        return self._colors.get(category, FALLBACK_COLOR)

    def label_point_size(self) -> float:
        return self._font.pointSizeF()

    def set_label_point_size(self, points: float) -> None:
        """Event label size: the presenter enlarges labels for a room."""
        self._font.setPointSizeF(points)
        self._bold.setPointSizeF(points)
        self._metrics = QFontMetricsF(self._font)
        self._bold_metrics = QFontMetricsF(self._bold)
        self._label_widths.clear()
        self._relabel.start()

    def go_home(self) -> None:
        """Show the dense part of the story (Home key)."""
        span = self._layout.home_range()
        if span is not None:
            self._vb.setXRange(*span, padding=0)

    def visible_x_range(self) -> tuple[float, float]:
        lo, hi = self._vb.viewRange()[0]
        return float(lo), float(hi)

    def event_point(self, event_id: str) -> QPointF:
        """Where an event's dot is, in this widget's viewport pixels (for clicks and tests)."""
        row = self._layout.row_of[event_id]
        scene = self._vb.mapViewToScene(
            QPointF(self._layout.center[row], float(self._layout.lane[row]))
        )
        return self.mapFromScene(scene).toPointF()

    def selected_ids(self) -> list[str]:
        """Events drawn highlighted now (read from what is drawn, not from the state)."""
        data = self._halo.data
        return [str(d) for d in data["data"]] if len(data) else []

    def faded_ids(self) -> list[str]:
        return [eid for eid in self._layout.ids if eid not in self._visible]

    def label_texts(self) -> list[str]:
        return [label.text for label in self._labels.labels()]

    def label_rects(self) -> list[tuple[str, QRectF]]:
        """Each label's event and the box its text takes, in viewport pixels (for tests)."""
        metrics = (self._metrics, self._bold_metrics)
        boxes = []
        for label in self._labels.labels():
            at = self.mapFromScene(self._vb.mapViewToScene(QPointF(label.x, label.y))).toPointF()
            fm = metrics[label.bold]
            left = at.x() - label.width if label.flipped else at.x()
            top = at.y() - LABEL_PAD_PX - fm.height() if label.above else at.y() + LABEL_PAD_PX
            boxes.append((label.event_id, QRectF(left, top, label.width, fm.height())))
        return boxes

    def window_region(self) -> tuple[float, float] | None:
        if not self._region.isVisible():
            return None
        lo, hi = self._region.getRegion()
        return float(lo), float(hi)

    def brush(self, start: datetime, end: datetime) -> None:
        """Brush a window as a finished drag would (menus and tests use this)."""
        self._place_region((to_epoch(start), to_epoch(end)))
        self._commit_window()

    def set_window_region_shown(self, shown: bool) -> None:
        """Snapshots and the presenter frame the window itself: no brush band over it."""
        self._region_shown = shown
        self._show_state_window()

    def clear_window(self) -> None:
        self._region.setVisible(False)
        self._set_state_window(None)

    def move_to(self, span: Span | None, animate: bool = False) -> None:
        """Show ``span`` (None: the home view), panning there over MOTION_MS if ``animate``."""
        self._motion.stop()
        if span is None:
            self.go_home()
            return
        if not animate:
            self._vb.setXRange(*span, padding=0)
            return
        self._motion_spans = (self.visible_x_range(), span)
        self._motion.setStartValue(0.0)
        self._motion.setEndValue(1.0)
        self._motion.start()

    def _motion_step(self, value) -> None:
        t = float(value)
        (a0, b0), (a1, b1) = self._motion_spans
        self._vb.setXRange(a0 + (a1 - a0) * t, b0 + (b1 - b0) * t, padding=0)

    # -- drawing ------------------------------------------------------------

    def _rebuild(self) -> None:
        self._layout = TimelineLayout.build(self._state.dataset)
        lay = self._layout
        left = self.getPlotItem().getAxis("left")
        left.setTicks([[(i, c.capitalize() or "(none)") for i, c in enumerate(lay.categories)]])
        lanes = max(len(lay.categories), 1)
        # Limits first: a range outside the previous dataset's limits would be clipped.
        self._vb.setLimits(yMin=-1.2, yMax=lanes + 0.5)
        self._vb.setYRange(-1.05, lanes - 0.35, padding=0)
        extent = lay.extent()
        if extent is not None:
            span = extent[1] - extent[0]
            x_min, x_max = extent[0] - span - 86400 * 365, extent[1] + span + 86400 * 365
            self._vb.setLimits(xMin=x_min, xMax=x_max, minXRange=3600.0)
            self._labels.set_bounds(QRectF(x_min, -2.0, x_max - x_min, lanes + 4.0))
        self._labels.set_labels([], self._font, self._bold)
        self._labels_key = None
        if len(self._label_widths) > LABEL_WIDTHS_KEPT:
            self._label_widths.clear()
        self._draw_eras()
        self._redraw()
        self.go_home()
        self._relabel.start()

    def _draw_eras(self) -> None:
        for item in self._era_items:
            self.removeItem(item)
        self._era_items = []
        for era in self._layout.eras:
            lo, hi = era.start.lower_epoch(), (era.end or era.start).upper_epoch()
            color = self._colors.get(era.category, "#9ca3af")
            region = pg.LinearRegionItem(
                values=(lo, hi), movable=False, brush=_color(color, 28), pen=pg.mkPen(None)
            )
            region.setZValue(-10)
            label = pg.TextItem(
                f"{era.title}  ({era.display_date()})", color=_color(color, 230), anchor=(0, 0)
            )
            label.setFont(self._font)
            label.setPos(lo, -1.02)
            label.setZValue(-5)
            for item in (region, label):
                self.addItem(item, ignoreBounds=True)
                self._era_items.append(item)

    def _redraw(self) -> None:
        """Restyle for the current filter and selection."""
        lay = self._layout
        visible = self._state.visible_ids()
        self._visible = set(visible)
        shown = np.zeros(len(lay), dtype=bool)
        if len(visible) >= len(self._state.dataset.events):
            shown[:] = True
        else:
            rows = [lay.row_of[e] for e in visible if e in lay.row_of]
            shown[rows] = True
        self._shown = shown
        self._marked_span = None
        self._update_detail()
        self._redraw_selection()

    def _update_detail(self) -> None:
        """Marks for the events in and around the view, or the lanes' density if too many."""
        lay = self._layout
        if len(self._shown) != len(lay):  # called while the dataset is being swapped
            return
        lo, hi = self.visible_x_range()
        in_view = (lay.upper >= lo) & (lay.lower <= hi)
        if int(np.count_nonzero(in_view)) > LOD_MARKS:
            self._marked_span = None
            self._set_marks(np.zeros(0, dtype=int))
            self._draw_density(lo, hi)
            return
        self._density.setVisible(False)
        span = self._marked_span
        if span is not None and span[0] <= lo and hi <= span[1]:
            return  # zoomed in (or panned a little) within what is already marked
        width = hi - lo
        a, b = lo - width, hi + width
        idx = np.flatnonzero((lay.upper >= a) & (lay.lower <= b))
        if len(idx) > 2 * LOD_MARKS:  # a crowded margin: mark the view alone
            a, b = lo, hi
            idx = np.flatnonzero(in_view)
        self._marked_span = (a, b)
        self._set_marks(idx)

    def _draw_density(self, lo: float, hi: float) -> None:
        """One small image over the lanes: a column per few pixels, alpha by event count."""
        lay = self._layout
        lanes = max(len(lay.categories), 1)
        bins = max(int(self._vb.width() // DENSITY_PX), 16)
        first, last = np.searchsorted(lay.center, [lo, hi])
        centers = lay.center[first:last]
        column = ((centers - lo) * (bins / max(hi - lo, 1e-9))).astype(np.int64)
        cell = lay.lane[first:last] * bins + np.clip(column, 0, bins - 1)
        every = np.bincount(cell, minlength=lanes * bins).reshape(lanes, bins)
        shown = np.bincount(cell[self._shown[first:last]], minlength=lanes * bins).reshape(
            lanes, bins
        )
        peak = np.log1p(max(int(shown.max()), 1))
        alpha = np.where(shown > 0, 70 + 185 * np.log1p(shown) / peak, 0)
        alpha = np.where((every > 0) & (shown == 0), FADED_ALPHA, alpha)
        # pyqtgraph images are indexed [x, y]; y grows down the lanes (the axis is inverted).
        rgba = np.zeros((bins, lanes * DENSITY_ROWS, 4), dtype=np.uint8)
        for lane in range(lanes):
            color = QColor(self.color_of(lay.categories[lane]) if lay.categories else "#000")
            rows = slice(lane * DENSITY_ROWS + 1, (lane + 1) * DENSITY_ROWS - 1)
            rgba[:, rows, :3] = (color.red(), color.green(), color.blue())
            rgba[:, rows, 3] = alpha[lane][:, None]
        self._density.setImage(rgba, autoLevels=False, levels=(0, 255))
        self._density.setRect(QRectF(lo, -0.5, hi - lo, lanes))
        self._density.setVisible(True)

    def _set_marks(self, idx: np.ndarray) -> None:
        """Dots and bars for the rows ``idx`` (a few thousand at most)."""
        lay = self._layout
        shown = self._shown
        base = [self.color_of(c) for c in lay.categories]
        # One QColor/QBrush object per (lane, faded) pair: pyqtgraph draws
        # shared brushes far faster than one brush per point.
        brushes = {
            (lane, on): pg.mkBrush(_color(base[lane], 255 if on else FADED_ALPHA))
            for lane in range(len(base))
            for on in (True, False)
        }
        faint = {
            (lane, on): pg.mkBrush(_color(base[lane], 60 if on else 18))
            for lane in range(len(base))
            for on in (True, False)
        }
        pens = {
            (lane, on): pg.mkPen(_color(base[lane], 255 if on else FADED_ALPHA), width=2)
            for lane in range(len(base))
            for on in (True, False)
        }
        white = pg.mkBrush("w")
        no_pen = pg.mkPen(None)
        kind = lay.kind[idx]
        spans = idx[(kind != EXACT) & (kind != INTERVAL)]
        bars = idx[kind == INTERVAL]
        dots = idx[kind != INTERVAL]
        self._set_bars(self._spans, spans, 0.26, [faint[(lay.lane[i], shown[i])] for i in spans])
        self._set_bars(self._bars, bars, 0.16, [brushes[(lay.lane[i], shown[i])] for i in bars])
        self._dots.setData(
            x=lay.center[dots],
            y=lay.lane[dots].astype(float),
            size=DOT_PX,
            symbol="o",
            brush=[
                white if lay.kind[i] == UNCERTAIN else brushes[(lay.lane[i], shown[i])]
                for i in dots
            ],
            pen=[
                pens[(lay.lane[i], shown[i])] if lay.kind[i] == UNCERTAIN else no_pen for i in dots
            ],
        )

    def _redraw_selection(self) -> None:
        """The rings around selected events, and the eras' shading."""
        lay = self._layout
        selected = set(self._state.selection)
        sidx = np.array(sorted(lay.row_of[e] for e in selected if e in lay.row_of), dtype=int)
        ring = pg.mkPen("#111827", width=2.5)
        self._halo.setData(
            x=lay.center[sidx],
            y=lay.lane[sidx].astype(float),
            data=[lay.ids[i] for i in sidx],
            size=DOT_PX + 9,
            symbol="o",
            brush=pg.mkBrush(None),
            pen=ring,
        )
        sel_bars = sidx[lay.kind[sidx] != EXACT]
        self._set_bars(self._halo_bars, sel_bars, 0.3, pg.mkBrush(None), pen=ring)
        visible = self._visible
        for era, item in zip(self._layout.eras, self._era_items[0::2], strict=False):
            color = self._colors.get(era.category, "#9ca3af")
            alpha = 70 if era.id in selected else (28 if era.id in visible else 10)
            item.setBrush(_color(color, alpha))
            item.update()

    def _set_bars(self, item, idx, half_height, brushes, pen=None) -> None:
        lay = self._layout
        item.setOpts(
            x0=lay.lower[idx],
            x1=lay.upper[idx],
            y0=lay.lane[idx] - half_height,
            y1=lay.lane[idx] + half_height,
            brushes=brushes if isinstance(brushes, list) else None,
            brush=None if isinstance(brushes, list) else brushes,
            pen=pen if pen is not None else pg.mkPen(None),
        )

    def _layout_labels(self) -> None:
        """Label as many events as fit without overlap: selected first, then in date order.

        Each lane has a row above and a row below its dots; a label takes the
        first row where it does not collide with one already placed (see
        ``place_labels``). Runs 25 ms after the view moves; a view that has
        not moved since the last layout keeps its labels.
        """
        lay = self._layout
        if len(self._shown) != len(lay):  # called while the dataset is being swapped
            return
        lo, hi = self.visible_x_range()
        width_px = max(self._vb.width(), 1.0)
        key = (lo, hi, width_px, self._state.selection, self._font.pointSizeF(), id(lay))
        if key == self._labels_key and self._labels_shown is self._shown:
            return
        self._labels_key, self._labels_shown = key, self._shown
        px_per_s = width_px / max(hi - lo, 1e-9)
        selected = set(self._state.selection)
        chosen = sorted(
            lay.row_of[e] for e in selected if e in lay.row_of and self._shown[lay.row_of[e]]
        )
        in_view = lay.label_candidates(
            lo, hi, px_per_s, self._shown, LABEL_BUCKET_PX, 4 * MAX_LABELS
        ).tolist()
        if chosen:
            picked = set(chosen)
            in_view = chosen + [i for i in in_view if i not in picked]
        # An event reaching into the view from either side is labelled at the edge.
        centers = np.clip(lay.center[in_view], lo, hi).tolist() if in_view else []
        bold = [lay.ids[i] in selected for i in in_view]
        texts = [self._label_text(lay.titles[i], b) for i, b in zip(in_view, bold, strict=True)]
        placed = place_labels(
            lanes=[int(lay.lane[i]) for i in in_view],
            starts=[(x - lo) * px_per_s for x in centers],
            widths=[w for _, w in texts],
            width_px=width_px - 4,  # keep labels inside the plot
            limit=MAX_LABELS,
            gap=LABEL_GAP_PX,
        )
        self._labels.set_labels(
            [
                _Label(
                    x=centers[k],
                    y=float(lay.lane[in_view[k]])
                    + (LABEL_LANE_OFFSET if row else -LABEL_LANE_OFFSET),
                    above=row == 0,
                    flipped=flipped,
                    text=texts[k][0],
                    width=texts[k][1],
                    bold=bold[k],
                    event_id=lay.ids[in_view[k]],
                )
                for k, row, flipped in placed
            ],
            self._font,
            self._bold,
        )

    def _label_text(self, title: str, bold: bool) -> tuple[str, float]:
        """A label's text (long titles cut short) and its width in pixels, measured once."""
        cache = self._label_widths
        found = cache.get((title, bold))
        if found is None:
            text = title
            if len(text) > LABEL_CHARS:
                text = text[: LABEL_CHARS - 1].rstrip() + "…"
            metrics = self._bold_metrics if bold else self._metrics
            found = cache[(title, bold)] = (text, metrics.horizontalAdvance(text))
        return found

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt naming)
        super().paintEvent(event)
        if not self._drawn:
            self._drawn = True
            self.sigDrawn.emit()

    # -- state --------------------------------------------------------------

    def _on_state(self, changed: frozenset[str]) -> None:
        if DATASET in changed:
            self._motion.stop()
            self._region.setVisible(False)
            self._drawn = False  # sigDrawn again once the new dataset is on screen
            self._rebuild()  # which shows the home view: the opening frame's
            return
        if not self._committing:  # a window this view set is already in its band
            self._show_state_window()
        if changed <= {SELECTION, FRAME}:
            self._redraw_selection()  # the marks' colours depend only on the filters
        else:
            self._redraw()
        frame = self._state.frame
        if FRAME in changed and frame is not None:
            self.move_to(frame.span, frame.animate)
        elif SELECTION in changed:
            self._scroll_to_selection()
        self._relabel.start()

    def _show_state_window(self) -> None:
        window = self._state.window
        if window is None or not self._region_shown:
            self._region.setVisible(False)
            return
        self._place_region(window.epochs())  # exact for BCE windows too

    def _scroll_to_selection(self) -> None:
        """Pan (never zoom) so the selected events are in view."""
        rows = [self._layout.row_of[e] for e in self._state.selection if e in self._layout.row_of]
        if not rows:
            return
        lo, hi = self.visible_x_range()
        first = float(self._layout.lower[rows].min())
        last = float(self._layout.upper[rows].max())
        if first >= lo and last <= hi:
            return
        middle = (first + last) / 2
        half = (hi - lo) / 2
        if last - first > hi - lo:
            half = (last - first) * 0.55
        self._vb.setXRange(middle - half, middle + half, padding=0)

    # -- input --------------------------------------------------------------

    def _clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        if not self._vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        point = self._vb.mapSceneToView(ev.scenePos())
        lane = int(round(point.y()))
        lo, hi = self.visible_x_range()
        tolerance = CLICK_PX * (hi - lo) / max(self._vb.width(), 1.0)
        hit = self._layout.hit(point.x(), lane, tolerance)
        if hit is not None and abs(point.y() - lane) > 0.45:
            hit = None
        if hit is None:
            self._state.clear_selection()
        elif ev.modifiers() & Qt.KeyboardModifier.ControlModifier:
            current = list(self._state.selection)
            if hit in current:
                current.remove(hit)
            else:
                current.append(hit)
            self._state.select(current)
        else:
            self._state.select([hit])
        ev.accept()

    def _brushed(self, start: float, end: float, finished: bool) -> None:
        self._place_region((start, end))
        if finished:
            self._commit_window()
        else:
            self.sigWindowChanged.emit(self._region_window())

    def _place_region(self, span: Span) -> None:
        """Move the band (shown) without it counting as a drag of its edges."""
        self._placing_region = True
        try:
            self._region.setRegion(span)
        finally:
            self._placing_region = False
        self._region.setVisible(True)

    def _region_dragged(self, *_args) -> None:
        if not self._placing_region:
            self.sigWindowChanged.emit(self._region_window())

    def _region_finished(self, *_args) -> None:
        if not self._placing_region:
            self._commit_window()

    def _region_window(self) -> TimeWindow | None:
        lo, hi = self._region.getRegion()
        return TimeWindow.from_epochs(lo, hi) if hi - lo > 0 else None

    def _commit_window(self) -> None:
        window = self._region_window()
        if window is None:
            self._region.setVisible(False)
        self._set_state_window(window)

    def _set_state_window(self, window: TimeWindow | None) -> None:
        self._committing = True
        try:
            self._state.set_window(window)
        finally:
            self._committing = False
        self.sigWindowChangeFinished.emit(window)

    def keyPressEvent(self, ev: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        key = ev.key()
        lo, hi = self.visible_x_range()
        width = hi - lo
        middle = (lo + hi) / 2
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self._vb.setXRange(middle - width / 4, middle + width / 4, padding=0)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self._vb.setXRange(middle - width, middle + width, padding=0)
        elif key == Qt.Key.Key_Left:
            self._vb.setXRange(lo - width * 0.2, hi - width * 0.2, padding=0)
        elif key == Qt.Key.Key_Right:
            self._vb.setXRange(lo + width * 0.2, hi + width * 0.2, padding=0)
        elif key == Qt.Key.Key_Home:
            self.go_home()
        elif key == Qt.Key.Key_Escape:
            if self._state.window is not None:
                self.clear_window()
            else:
                self._state.clear_selection()
        else:
            super().keyPressEvent(ev)
            return
        ev.accept()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self._unsubscribe()
        super().closeEvent(event)


__all__ = ["TimelineView"]

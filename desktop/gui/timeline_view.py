"""The timeline: events in lanes by category on a calendar axis, linked to the view state.

From top to bottom: the eras as thin labelled bands; the lanes, one per
category, each named on the left (click a name to fold the lane); the date
axis, ticks in one row and their context (the year, the month) in a second;
and the overview strip of the whole dataset with the view as its handle.

Exact events are solid dots. Events known only to the month or year, or
marked approximate, are hollow dots over a faint bar across every day they
may fall on, so a year-precision event never reads as 1 January. Intervals
are solid bars, labelled from their start. Long empty stretches between
events are drawn shorter (hatched, ``TimeScale``), so a briefing's
background decades and its story fit on one screen; how many events lie
beyond either edge of the view is counted there.

Level of detail: with more than LOD_MARKS marks in view, each lane shows
the density of its events (darker where more fall) instead of marks that
would only overlap; zooming in brings the marks back. Marks are set for the
view and a margin around it, so zooming in within that span redraws
without rebuilding them.

Mouse: wheel zooms, drag pans, click selects, shift-drag brushes a time
window (drag its edges to adjust, Escape clears it), Ctrl-drag (or Alt-drag)
on an event moves its date by whole steps of its precision, previewed as it
moves (``sigEventMoved`` on release; Escape while dragging cancels). Keyboard: + and -
zoom, the arrows pan, Home shows the whole story.

The view state drives it: a frame pans (animated, or at once) to the frame's
span; a selection without a frame scrolls it into view. A brush previews
while the mouse moves (``sigWindowChanged``) and sets the state's window
once, when let go (``sigWindowChangeFinished``); the window coming back from
the state is not applied again. The span in view is reported to the state
after every move.

Positions along the axis (``x``) are the layout's TimeScale of epoch
seconds; everything said to or read from the state is time (``time_at``,
``x_of`` convert).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEasingCurve, QPointF, QRectF, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QKeyEvent, QPaintEvent

from desktop.core.dates import to_epoch
from desktop.core.display import date_words, event_date, plain_text
from desktop.core.model import Dataset, Event, StoryStep
from desktop.core.moving import moved
from desktop.core.view_state import DATASET, FRAME, SELECTION, Span, TimeWindow, ViewState

from .label_placement import (
    LABEL_BUCKET_PX,
    LABEL_CHARS,
    LABEL_GAP_PX,
    MAX_LABELS,
    SHORT_CHARS,
    label_text,
    place_labels,
)
from .timeline_axis import CalendarAxis
from .timeline_items import (
    BreakBands,
    Era,
    EraBands,
    EventLabels,
    Label,
    LaneAxis,
    color,
    era_rows,
    uncategorised,
)
from .timeline_layout import EXACT, INTERVAL, UNCERTAIN, TimelineLayout
from .timeline_look import (
    DOT_PX,
    ERA_ROW_PX,
    FADED_ALPHA,
    FALLBACK_COLOR,
    LABEL_LANE_OFFSET,
    LABEL_PAD_PX,
    LANE_AXIS_PX,
    MAX_LANE_PX,
    MIN_LANE_PX,
)
from .timeline_overview import FLOOR_ALPHA, SPREAD, Overview, density_image

# pyqtgraph's scatter plots keep a sprite per (symbol, size, pen, brush) in an atlas
# that is never emptied, keyed by the pen's and brush's identity: new pen and brush
# objects for the same look on every redraw added sprites, and the app's memory grew
# for as long as the window stayed open. One object per look instead.
_LOOKS: dict[tuple[object, ...], object] = {}


def _brush(spec: QColor | str | None):
    key = ("brush", spec.rgba() if isinstance(spec, QColor) else spec)
    if key not in _LOOKS:
        _LOOKS[key] = pg.mkBrush(spec)
    return _LOOKS[key]


def _pen(spec: QColor | str | None, width: float = 1.0):
    key = ("pen", spec.rgba() if isinstance(spec, QColor) else spec, width)
    if key not in _LOOKS:
        _LOOKS[key] = pg.mkPen(spec, width=width)
    return _LOOKS[key]


FOLDED_DOT_PX = 6
CLICK_PX = 9
# More marks than this in view, and the lanes show their density instead.
LOD_MARKS = 3000
DENSITY_PX = 3  # width of one density column, in pixels
DENSITY_ROWS = 5  # image rows per lane; the middle three are painted
# Label texts and widths measured, kept across views and datasets up to this many
# (a crowded view asks for a few thousand). Checked as each is added: a long
# session brushing all over a large dataset would otherwise keep one per event.
LABEL_WIDTHS_KEPT = 20_000
MOTION_MS = 700  # an animated frame's pan
FOLDED = 0.4  # a folded lane's height, in lanes
OVERVIEW_ROWS = 4  # image rows per lane on the overview; all but the last painted
OVERVIEW_ROW_MIDDLE = (OVERVIEW_ROWS - 1) / OVERVIEW_ROWS / 2  # of a lane's painted rows
MOVE_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
MOVE_COLOR = "#111827"


class _TimelineViewBox(pg.ViewBox):
    """A ViewBox whose shift-drag brushes a time window instead of panning, and whose
    Ctrl- or Alt-drag starting on an event moves it."""

    sigBrushed = Signal(float, float, bool)  # start, end (axis positions), finished
    sigMoving = Signal(float, float, bool)  # pressed at, now at (axis positions), finished

    _brushing = False
    _moving = False
    # Whether an event is under a scene position (the view sets it): a move starts there.
    grabs: Callable[[QPointF], bool] = staticmethod(lambda _scene_pos: False)

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802 (Qt naming)
        if ev.button() != Qt.MouseButton.LeftButton:
            super().mouseDragEvent(ev, axis)
            return
        if ev.isStart():
            # Ctrl (Alt, where the desktop does not take it for moving windows) on an
            # event moves it; Ctrl elsewhere still pans, and a Ctrl-click still toggles.
            self._moving = _move_held(ev, self.scene()) and self.grabs(ev.buttonDownScenePos())
        if self._moving:
            ev.accept()
            start = self.mapSceneToView(ev.buttonDownScenePos()).x()
            now = self.mapSceneToView(ev.scenePos()).x()
            self.sigMoving.emit(start, now, bool(ev.isFinish()))
            if ev.isFinish():
                self._moving = False
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

    def wheelEvent(self, ev, axis=None):  # noqa: N802 (Qt naming)
        super().wheelEvent(ev, axis=0)  # the wheel zooms time, never the lanes

    @staticmethod
    def _shift(ev) -> bool:
        return bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)


def _move_held(ev, scene) -> bool:  # noqa: ANN001
    """Whether a drag starts with the move modifier held, at the press or at its first
    move (a press's modifiers are what the user held, whatever the moves carry)."""
    return bool(ev.modifiers() & MOVE_MODIFIERS) or any(
        press.button() == Qt.MouseButton.LeftButton and bool(press.modifiers() & MOVE_MODIFIERS)
        for press in scene.clickEvents
    )


class _WindowBand(pg.LinearRegionItem):
    """The brushed window's band: dragged to move it, except a Ctrl-drag starting on an
    event inside it, which is left to the view box to move the event."""

    over_event: Callable[[QPointF], bool] = staticmethod(lambda _scene_pos: False)

    def mouseDragEvent(self, ev):  # noqa: N802 (Qt naming)
        start = ev.isStart() and _move_held(ev, self.scene())
        if start and self.over_event(ev.buttonDownScenePos()):
            ev.ignore()
            return
        super().mouseDragEvent(ev)


def _plain_plot(view_box: pg.ViewBox | None = None, **kwargs) -> pg.PlotItem:
    plot = pg.PlotItem(viewBox=view_box, **kwargs)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    for name in ("left", "bottom"):
        plot.getAxis(name).setTextPen("#374151")
        plot.getAxis(name).setPen("#9ca3af")
    return plot


def _layout_inputs(dataset: Dataset) -> tuple[Sequence[Event], list[StoryStep]]:
    """What TimelineLayout.build reads: the events (never changed in place) and the story."""
    return dataset.events, list(dataset.story)


def _same_layout(built: tuple[Sequence[Event], list[StoryStep]], dataset: Dataset) -> bool:
    return built[0] is dataset.events and built[1] == dataset.story


class TimelineView(pg.GraphicsView):
    """The eras, the lanes, the axis and the overview of a dataset, subscribed to a ViewState.

    ``sigDrawn`` fires after the first paint of each dataset shown.
    ``sigWindowChanged`` and ``sigWindowChangeFinished`` follow pyqtgraph's
    live/finished pair: the first while a window is brushed (a preview, the
    state unchanged), the second once, when it is let go and set.
    """

    sigDrawn = Signal()
    sigWindowChanged = Signal(object)  # TimeWindow | None, while brushing
    sigWindowChangeFinished = Signal(object)  # TimeWindow | None, set in the state
    sigEventMoving = Signal(object)  # Event | None: where a dragged event would go (None: back)
    sigEventMoved = Signal(object)  # Event: a dragged event let go at its new date

    def __init__(self, state: ViewState, colors: dict[str, str] | None = None, parent=None):
        super().__init__(parent=parent, background="w")
        self.setObjectName("timeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(220)
        self._state = state
        self._colors = dict(colors or {})
        self._layout = TimelineLayout.build(state.dataset)
        self._built_from = _layout_inputs(state.dataset)
        self._shown = np.zeros(0, dtype=bool)
        self._drawn = False
        self._region_shown = True
        self._folded: set[int] = set()
        self._lanes_scroll = False  # more lanes than fit: they scroll
        self._lane_y = np.zeros(0)
        self._lane_h = np.zeros(0)
        self._font = QFont(self.font())
        self._font.setPointSizeF(max(self._font.pointSizeF(), 9.0))
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._metrics = QFontMetricsF(self._font)
        self._bold_metrics = QFontMetricsF(self._bold)
        self._label_widths: dict[tuple[str, str, bool, int], tuple[str, float]] = {}
        # What the labels were laid out for: the same view keeps them.
        self._labels_key: tuple | None = None
        self._labels_shown: np.ndarray | None = None

        grid = pg.GraphicsLayout()
        grid.setContentsMargins(2, 4, 10, 2)
        grid.setSpacing(0)
        self.setCentralItem(grid)
        self._grid = grid

        # No context menus: pyqtgraph builds each ViewBox's menu (a form of widgets per
        # axis) on construction unless told not to, and these views never show one.
        self._vb = _TimelineViewBox(enableMenu=False)
        self._axis = CalendarAxis(rows=2)
        self._lanes_axis = LaneAxis()
        self._plot = _plain_plot(
            self._vb, axisItems={"bottom": self._axis, "left": self._lanes_axis}
        )
        self._vb.setMouseEnabled(x=True, y=False)
        self._vb.invertY(True)

        self._era_vb = pg.ViewBox(enableMenu=False)
        self._era_plot = _plain_plot(self._era_vb)
        self._era_plot.hideAxis("bottom")
        self._era_plot.getAxis("left").setStyle(showValues=False, tickLength=0)
        self._era_plot.getAxis("left").setPen(None)
        self._era_vb.setMouseEnabled(x=False, y=False)
        self._era_vb.invertY(True)
        self._era_vb.setXLink(self._vb)
        self._eras = EraBands()
        self._era_vb.addItem(self._eras, ignoreBounds=True)

        self._overview = Overview()
        self._overview.sigRangeRequested.connect(self._overview_asked)
        # The strip's density has a column per few pixels: drawn again at each new width.
        self._overview.getViewBox().sigResized.connect(lambda *_: self._draw_overview())

        grid.addItem(self._era_plot, row=0, col=0)
        grid.addItem(self._plot, row=1, col=0)
        grid.addItem(self._overview, row=2, col=0)

        self._breaks = BreakBands()
        self._breaks.setZValue(-20)
        self._vb.addItem(self._breaks, ignoreBounds=True)
        self._spans = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[])
        self._bars = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[])
        self._dots = pg.ScatterPlotItem(pxMode=True)
        self._halo = pg.ScatterPlotItem(pxMode=True)
        self._halo_bars = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[])
        for z, item in enumerate(
            (self._spans, self._bars, self._halo_bars, self._dots, self._halo)
        ):
            item.setZValue(10 + z)
            self._vb.addItem(item)
        self._density = pg.ImageItem()
        self._density.setZValue(9)
        self._density.setVisible(False)
        self._vb.addItem(self._density, ignoreBounds=True)
        # The ids shown now; None: every event (a million ids are not put in a set).
        self._visible: set[str] | None = set()
        # The stretch of the axis the marks are currently set for (None: set them again).
        self._marked_span: tuple[float, float] | None = None

        self._empty = pg.TextItem("No events to show", color="#6b7280", anchor=(0.5, 0.5))
        self._empty.setParentItem(self._vb)
        self._vb.sigResized.connect(lambda *_: self._place_empty_note())
        self._labels = EventLabels()
        self._labels.setZValue(30)
        self._vb.addItem(self._labels, ignoreBounds=True)

        self._region = _WindowBand(
            movable=True, brush=color("#2563eb", 40), pen=pg.mkPen("#2563eb", width=2)
        )
        self._region.setZValue(5)
        self._region.setVisible(False)
        self._vb.addItem(self._region, ignoreBounds=True)
        # True while this view moves the band itself (setRegion reports a finished
        # change): only a drag of its edges by the mouse previews and commits.
        self._placing_region = False
        # True while this view sets the state's window: the change coming back is its own.
        self._committing = False
        self._region.sigRegionChanged.connect(self._region_dragged)
        self._region.sigRegionChangeFinished.connect(self._region_finished)
        self._vb.sigBrushed.connect(self._brushed)
        # A moved event's preview: a ring where it would go, and its new date.
        self._move_id: str | None = None
        self._move_to: Event | None = None
        self._ghost = pg.ScatterPlotItem(pxMode=True)
        self._ghost.setZValue(40)
        # On a white card: it reads over the lane's own labels.
        self._ghost_text = pg.TextItem(
            "", color=MOVE_COLOR, anchor=(0.5, 1.25), fill="#ffffffee", border=MOVE_COLOR
        )
        self._ghost_text.setZValue(41)
        for item in (self._ghost, self._ghost_text):
            item.setVisible(False)
            self._vb.addItem(item, ignoreBounds=True)
        self._vb.grabs = self._grab_for_move
        self._region.over_event = lambda pos: self.event_at(pos) is not None
        self._vb.sigMoving.connect(self._moving)
        self._lanes_axis.sigLaneClicked.connect(self.toggle_lane)
        self._lanes_axis.sigScrolled.connect(self._scroll_lanes)

        # A frame's animated pan: from the span in view to the frame's.
        self._motion = QVariantAnimation(self)
        self._motion.setDuration(MOTION_MS)
        self._motion.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._motion.valueChanged.connect(self._motion_step)
        self._motion_spans: tuple[Span, Span] = ((0.0, 0.0), (0.0, 0.0))

        self._relabel = QTimer(self, singleShot=True, interval=25)
        self._relabel.timeout.connect(self._layout_labels)
        self._vb.sigXRangeChanged.connect(lambda *_: self._relabel.start())
        self._vb.sigYRangeChanged.connect(lambda *_: self._relabel.start())  # lanes scrolled
        self._vb.sigXRangeChanged.connect(lambda *_: self._update_detail())
        self._vb.sigXRangeChanged.connect(lambda *_: self._range_moved())
        self._vb.sigResized.connect(lambda *_: self._update_detail())
        self._vb.sigResized.connect(lambda *_: self._relabel.start())
        self._vb.sigResized.connect(lambda *_: self._fit_lanes_height())
        self.scene().sigMouseClicked.connect(self._clicked)

        self._set_fonts(self._font)
        self._unsubscribe = state.subscribe(self._on_state)
        self._rebuild()

    # -- public -------------------------------------------------------------

    @property
    def layout_data(self) -> TimelineLayout:
        return self._layout

    @property
    def drawn(self) -> bool:
        return self._drawn

    def getPlotItem(self) -> pg.PlotItem:  # noqa: N802 (pyqtgraph naming)
        """The lanes' plot (its view box, its axes)."""
        return self._plot

    def set_colors(self, colors: dict[str, str]) -> None:
        self._colors = dict(colors)
        self._draw_eras()
        self._redraw()

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
        self._fit_lanes_height()
        self._draw_eras()
        self._relabel.start()

    def set_axis_point_size(self, points: float | None) -> None:
        """Axis and lane name size (None: the widget's own): the presenter enlarges them."""
        font = QFont(self.font())
        if points is not None:
            font.setPointSizeF(points)
        self._set_fonts(font)
        self._fit_lane_names()

    def _set_fonts(self, font: QFont) -> None:
        self._axis_font = QFont(font)
        self._axis.set_font(font)
        self._lanes_axis.set_font(font)
        self._overview.set_axis_font(font)

    def catch_up(self) -> None:
        """Made after its dataset was opened (start-up): show the state's window and
        frame as the changes that set them would have."""
        self._show_state_window()
        frame = self._state.frame
        if frame is not None and frame.span is not None:
            self.move_to(frame.span, False)

    def go_home(self) -> None:
        """Show the whole story, long empty stretches shortened (Home key)."""
        span = self._layout.home_range()
        if span is not None:
            self._vb.setXRange(*span, padding=0)

    def x_of(self, seconds: float) -> float:
        """Where a time (epoch seconds) is along the axis."""
        return float(self._layout.scale.x(seconds))

    def time_at(self, x: float) -> float:
        """The time (epoch seconds) at a position along the axis."""
        return float(self._layout.scale.t(x))

    def view_range(self) -> tuple[float, float]:
        """The stretch of the axis in view (axis positions; see ``visible_x_range`` for times)."""
        lo, hi = self._vb.viewRange()[0]
        return float(lo), float(hi)

    def visible_x_range(self) -> tuple[float, float]:
        """The time in view: from the left edge to the right edge, epoch seconds."""
        lo, hi = self.view_range()
        return self.time_at(lo), self.time_at(hi)

    def show_times(self, lo: float, hi: float) -> None:
        """Show the time from ``lo`` to ``hi`` (epoch seconds), at once."""
        self._vb.setXRange(self.x_of(lo), self.x_of(hi), padding=0)

    def setXRange(self, lo: float, hi: float, padding: float = 0) -> None:  # noqa: N802
        """Show this stretch of the axis (axis positions), as pyqtgraph's plots do."""
        self._vb.setXRange(lo, hi, padding=padding)

    def event_point(self, event_id: str) -> QPointF:
        """Where an event's dot is, in this widget's viewport pixels (for clicks and tests)."""
        row = self._layout.row_of[event_id]
        y = float(self._lane_y[self._layout.lane[row]])
        scene = self._vb.mapViewToScene(QPointF(self._layout.xc[row], y))
        return self.mapFromScene(scene).toPointF()

    def selected_ids(self) -> list[str]:
        """Events drawn highlighted now (read from what is drawn, not from the state)."""
        data = self._halo.data
        return [str(d) for d in data["data"]] if len(data) else []

    def faded_ids(self) -> list[str]:
        visible = self._visible
        if visible is None:
            return []
        return [eid for eid in self._layout.ids if eid not in visible]

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

    def plot_rect(self) -> QRectF:
        """The lanes' area, in viewport pixels."""
        return self._viewport_rect(self._vb, self._vb.boundingRect())

    def axis_label_rects(self) -> list[tuple[int, str, QRectF]]:
        """The date axis's labels drawn last: (row, text, viewport rect); row 1 is context."""
        return [(r, t, self._viewport_rect(self._axis, b)) for r, t, b in self._axis.label_rects()]

    def axis_tick_times(self) -> list[float]:
        """The times of the labelled ticks of the date axis's first row, as drawn last."""
        return self._axis.tick_times()

    def lane_label_rects(self) -> list[tuple[str, str, QRectF]]:
        """Each lane's category, its name as drawn and its viewport rect."""
        names = self._layout.categories
        return [
            (names[lane], text, self._viewport_rect(self._lanes_axis, box))
            for lane, text, box in self._lanes_axis.label_rects()
        ]

    def lane_hints(self) -> list[str]:
        """The lanes scrolled out of view, as the names' column says ("▼ 4 more")."""
        return self._lanes_axis.hints()

    def era_label_rects(self) -> list[tuple[str, str, QRectF]]:
        """Each era label drawn last: (era id, text, viewport rect)."""
        return [
            (eid, text, self.mapFromScene(self.mapToScene(box.toRect())).boundingRect().toRectF())
            for eid, text, box in self._eras.drawn()
        ]

    def edge_counts(self) -> tuple[str, str]:
        """The counts at the left and right edges, as shown ("◂ 8", "12 ▸"; "" for none)."""
        return self._axis.edge_texts()

    def edge_count_rects(self) -> list[tuple[int, QRectF]]:
        """Where the counts are (side -1 left, 1 right), in viewport pixels."""
        return [(side, self._viewport_rect(self._axis, b)) for side, b in self._axis.edge_boxes()]

    def overview_span(self) -> tuple[float, float]:
        """The time the overview strip spans (epoch seconds)."""
        return self._overview.span

    def overview_handle(self) -> tuple[float, float]:
        """The overview's handle: the time the lanes show (epoch seconds)."""
        return self._overview.view_handle()

    def overview_rect(self) -> QRectF:
        vb = self._overview.getViewBox()
        return self._viewport_rect(vb, vb.boundingRect())

    def overview_point(self, seconds: float, lane: int | None = None) -> QPointF:
        """Where a time falls on the overview strip, in viewport pixels: on a lane's row,
        or the middle of the strip."""
        vb = self._overview.getViewBox()
        y = lane + OVERVIEW_ROW_MIDDLE if lane is not None else self._overview_middle()
        return self.mapFromScene(vb.mapViewToScene(QPointF(seconds, y))).toPointF()

    def _overview_middle(self) -> float:
        return len(self._layout.categories) / 2

    def breaks(self) -> list[tuple[float, float]]:
        """The stretches of time drawn shorter (epoch seconds)."""
        return self._layout.scale.breaks()

    def folded_lanes(self) -> set[str]:
        return {self._layout.categories[i] for i in self._folded}

    def toggle_lane(self, lane: int) -> None:
        """Fold a lane to a thin strip without labels, or open it again."""
        if lane in self._folded:
            self._folded.discard(lane)
        else:
            self._folded.add(lane)
        self._place_lanes()
        self._marked_span = None
        self._update_detail()
        self._redraw_selection()
        self._labels_key = None
        self._relabel.start()

    def _viewport_rect(self, item, rect: QRectF) -> QRectF:  # noqa: ANN001
        return self.mapFromScene(item.mapRectToScene(rect)).boundingRect().toRectF()

    def window_region(self) -> tuple[float, float] | None:
        """The brushed band, in time (epoch seconds), or None."""
        if not self._region.isVisible():
            return None
        lo, hi = self._region.getRegion()
        return self.time_at(float(lo)), self.time_at(float(hi))

    def brush(self, start: datetime, end: datetime) -> None:
        """Brush a window as a finished drag would (menus and tests use this)."""
        self._place_region((self.x_of(to_epoch(start)), self.x_of(to_epoch(end))))
        self._commit_window()

    def set_window_region_shown(self, shown: bool) -> None:
        """Snapshots and the presenter frame the window itself: no brush band over it."""
        self._region_shown = shown
        self._show_state_window()

    def clear_window(self) -> None:
        self._region.setVisible(False)
        self._set_state_window(None)

    def move_to(self, span: Span | None, animate: bool = False) -> None:
        """Show ``span`` (times; None: the home view), panning there over MOTION_MS if
        ``animate``."""
        self._motion.stop()
        if span is None:
            self.go_home()
            return
        target = (self.x_of(span[0]), self.x_of(span[1]))
        if not animate:
            self._vb.setXRange(*target, padding=0)
            return
        self._motion_spans = (self.view_range(), target)
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
        self._built_from = _layout_inputs(self._state.dataset)
        lay = self._layout
        self._folded = set()
        self._fit_lane_names()
        self._place_lanes()
        full = lay.full_extent()
        self._axis.set_scale(lay.scale)
        self._axis.set_enabled(full is not None)
        self._empty.setVisible(full is None)
        self._place_empty_note()
        self._overview.show_data(
            full, len(lay.categories), list(zip(lay.era_lower, lay.era_upper, strict=True))
        )
        extent = lay.extent()
        if extent is not None:
            x_lo, x_hi = lay.scale.x(extent[0]), lay.scale.x(extent[1])
            span = x_hi - x_lo
            x_min, x_max = x_lo - span - 86400 * 365, x_hi + span + 86400 * 365
            self._vb.setLimits(xMin=x_min, xMax=x_max, minXRange=3600.0)
            self._labels.set_bounds(QRectF(x_min, -3.0, x_max - x_min, len(lay.categories) + 6.0))
        self._breaks.set_spans(
            [(lay.scale.x(a), lay.scale.x(b)) for a, b in lay.scale.breaks()],
            -50.0,  # the view clips them: full height at any lane size
            50.0 + len(lay.categories),
        )
        self._labels.set_labels([], self._font, self._bold)
        self._labels_key = None
        self._draw_eras()
        self._redraw()
        self.go_home()
        self._range_moved()
        self._relabel.start()

    def _place_empty_note(self) -> None:
        self._empty.setPos(self._vb.boundingRect().center())

    def _fit_lane_names(self) -> None:
        """The lane names' column: as wide as the longest name, within LANE_AXIS_PX."""
        metrics = QFontMetricsF(self._axis_font)
        names = [f"▸ {uncategorised(c)} (00,000)" for c in self._layout.categories]
        widest = max((metrics.horizontalAdvance(n) for n in names), default=0.0)
        width = int(min(max(widest + 12, LANE_AXIS_PX[0]), LANE_AXIS_PX[1]))
        self._lanes_axis.setWidth(width)
        self._era_plot.getAxis("left").setWidth(width)
        self._overview.getAxis("left").setWidth(width)

    def _place_lanes(self) -> None:
        """Each lane's middle and height (folded lanes are thin), and the lanes' y range."""
        lay = self._layout
        lanes = len(lay.categories)
        heights = np.array([FOLDED if i in self._folded else 1.0 for i in range(lanes)])
        self._lane_h = heights
        self._lane_y = np.cumsum(heights) - heights / 2 - 0.5
        self._fit_lanes_height()
        counts = np.bincount(lay.lane, minlength=lanes).tolist() if lanes else []
        self._lanes_axis.set_lanes(lay.categories, counts, self._lane_y, self._folded)

    def _fit_lanes_height(self) -> None:
        """Fill the view's height with the lanes, with room above the first and below the
        last for their labels, none taller than MAX_LANE_PX (a single lane is a row across
        the middle, not a slab) and none thinner than MIN_LANE_PX: lanes that do not fit
        scroll (drag up and down, or the wheel over their names)."""
        lanes = float(self._lane_h.sum()) if len(self._lane_h) else 1.0
        height = max(self._vb.height(), 1.0)
        text = LABEL_PAD_PX + 2 + self._metrics.height()  # a label row, in pixels
        # The first lane's upper labels and the last lane's lower ones reach
        # LABEL_LANE_OFFSET lanes and ``text`` pixels from its middle: beyond its
        # half lane by ``extra`` lanes, where a lane is height / (lanes + 2 extra) px.
        extra = max(
            (text * lanes / height - (0.5 - LABEL_LANE_OFFSET)) / max(1 - 2 * text / height, 0.2),
            0.0,
        )
        top, bottom = -0.5 - extra, lanes - 0.5 + extra
        shown = height / MIN_LANE_PX
        if bottom - top > shown:
            extra = max(text / MIN_LANE_PX - (0.5 - LABEL_LANE_OFFSET), 0.0)
            top, bottom = -0.5 - extra, lanes - 0.5 + extra
            now = self._vb.viewRange()[1][0] if self._lanes_scroll else top
            first = min(max(now, top), bottom - shown)
            self._lanes_scroll = True
            self._vb.setMouseEnabled(x=True, y=True)
            self._vb.setLimits(yMin=None, yMax=None)
            self._vb.setYRange(first, first + shown, padding=0)
            self._vb.setLimits(yMin=top, yMax=bottom)
            return
        room = height / MAX_LANE_PX - (bottom - top)
        if room > 0:
            top, bottom = top - room / 2, bottom + room / 2
        self._lanes_scroll = False
        self._vb.setMouseEnabled(x=True, y=False)
        # Limits first: a range outside the previous dataset's limits would be clipped.
        self._vb.setLimits(yMin=None, yMax=None)
        self._vb.setYRange(top, bottom, padding=0)
        self._vb.setLimits(yMin=top, yMax=bottom)

    def _scroll_lanes(self, notches: float) -> None:
        """Scroll the lanes (when they do not all fit) by a lane per notch of the wheel."""
        if self._lanes_scroll:
            self._vb.translateBy(y=-notches)

    def _lanes_in_view(self) -> np.ndarray:
        """Which lanes are in view with room for their labels either side."""
        y0, y1 = self._vb.viewRange()[1]
        px_per_lane = max(self._vb.height(), 1.0) / max(y1 - y0, 1e-9)
        reach = LABEL_LANE_OFFSET + (LABEL_PAD_PX + self._metrics.height()) / px_per_lane
        return (self._lane_y - reach >= y0) & (self._lane_y + reach <= y1)

    def _draw_eras(self) -> None:
        lay = self._layout
        scale = lay.scale
        spans = [(float(a), float(b)) for a, b in zip(lay.era_lower, lay.era_upper, strict=True)]
        rows = era_rows(spans)
        eras = [
            Era(
                x0=float(scale.x(a)),
                x1=float(scale.x(b)),
                row=row,
                text=f"{plain_text(era.title, paragraphs=False)}  ·  {event_date(era)}",
                color=self._colors.get(era.category, "#9ca3af"),
                event_id=era.id,
            )
            for era, (a, b), row in zip(lay.eras, spans, rows, strict=True)
        ]
        self._eras.set_eras(eras, self._font)
        count = self._eras.rows()
        height = count * ERA_ROW_PX + 4 if count else 0
        self._era_plot.setVisible(bool(count))
        self._era_plot.setMinimumHeight(height)
        self._era_plot.setMaximumHeight(height)
        if count:
            self._era_vb.setYRange(0, count, padding=0)

    def _redraw(self) -> None:
        """Restyle for the current filter and selection."""
        lay = self._layout
        shown = np.zeros(len(lay), dtype=bool)
        visible_rows = self._state.visible_rows()
        if visible_rows is None or len(visible_rows) >= len(self._state.dataset.events):
            self._visible = None
            shown[:] = True
        else:
            self._visible = set(self._state.visible_ids())
            # By index, not by id: a brush on a million events shows half a million.
            at = self._state.dataset.date_order_rows()[visible_rows]
            rows = lay.row_of.rows[at]
            shown[rows[rows >= 0]] = True
        self._shown = shown
        self._marked_span = None
        self._update_detail()
        self._draw_overview()
        self._redraw_selection()

    def _draw_overview(self) -> None:
        lay = self._layout
        if not len(lay) or len(self._shown) != len(lay):
            return
        lo, hi = self._overview.span
        rows = [(OVERVIEW_ROWS, slice(0, OVERVIEW_ROWS - 1))] * len(lay.categories)
        self._overview.set_image(
            density_image(
                lay.center,
                lay.lane,
                self._shown,
                lo,
                hi,
                self._overview.bins(),
                [self.color_of(c) for c in lay.categories],
                rows,
                FLOOR_ALPHA,
                SPREAD,
            )
        )

    def _update_detail(self) -> None:
        """Marks for the events in and around the view, or the lanes' density if too many."""
        lay = self._layout
        if len(self._shown) != len(lay):  # called while the dataset is being swapped
            return
        lo, hi = self.view_range()
        in_view = (lay.xu >= lo) & (lay.xl <= hi)
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
        idx = np.flatnonzero((lay.xu >= a) & (lay.xl <= b))
        if len(idx) > 2 * LOD_MARKS:  # a crowded margin: mark the view alone
            a, b = lo, hi
            idx = np.flatnonzero(in_view)
        self._marked_span = (a, b)
        self._set_marks(idx)

    def _draw_density(self, lo: float, hi: float) -> None:
        """One small image over the lanes: a column per few pixels, alpha by event count."""
        lay = self._layout
        bins = max(int(self._vb.width() // DENSITY_PX), 16)
        rows = [
            (2, slice(0, 2)) if lane in self._folded else (DENSITY_ROWS, slice(1, DENSITY_ROWS - 1))
            for lane in range(len(lay.categories))
        ]
        rgba = density_image(
            lay.xc,
            lay.lane,
            self._shown,
            lo,
            hi,
            bins,
            [self.color_of(c) for c in lay.categories],
            rows,
            70,
        )
        self._density.setImage(rgba, autoLevels=False, levels=(0, 255))
        self._density.setRect(QRectF(lo, -0.5, hi - lo, float(self._lane_h.sum())))
        self._density.setVisible(True)

    def _set_marks(self, idx: np.ndarray) -> None:
        """Dots and bars for the rows ``idx`` (a few thousand at most)."""
        lay = self._layout
        shown = self._shown
        base = [self.color_of(c) for c in lay.categories]
        # One QColor/QBrush object per (lane, faded) pair: pyqtgraph draws
        # shared brushes far faster than one brush per point.
        brushes = {
            (lane, on): _brush(color(base[lane], 255 if on else FADED_ALPHA))
            for lane in range(len(base))
            for on in (True, False)
        }
        faint = {
            (lane, on): pg.mkBrush(color(base[lane], 60 if on else 18))
            for lane in range(len(base))
            for on in (True, False)
        }
        pens = {
            (lane, on): _pen(color(base[lane], 255 if on else FADED_ALPHA), width=2)
            for lane in range(len(base))
            for on in (True, False)
        }
        white = _brush("w")
        no_pen = _pen(None)
        kind = lay.kind[idx]
        spans = idx[(kind != EXACT) & (kind != INTERVAL)]
        bars = idx[kind == INTERVAL]
        dots = idx[kind != INTERVAL]
        self._set_bars(self._spans, spans, 0.26, [faint[(lay.lane[i], shown[i])] for i in spans])
        # A darker edge tells one bar from the next in its lane (one reign after another).
        edges = {
            (lane, on): pg.mkPen(color(base[lane], 255 if on else FADED_ALPHA).darker(140))
            for lane in range(len(base))
            for on in (True, False)
        }
        self._set_bars(
            self._bars,
            bars,
            0.16,
            [brushes[(lay.lane[i], shown[i])] for i in bars],
            pens=[edges[(lay.lane[i], shown[i])] for i in bars],
        )
        lanes = lay.lane[dots]
        folded = np.isin(lanes, list(self._folded)) if self._folded else np.zeros(len(dots), bool)
        self._dots.setData(
            x=lay.xc[dots],
            y=self._lane_y[lanes] if len(dots) else np.zeros(0),
            size=np.where(folded, FOLDED_DOT_PX, DOT_PX) if self._folded else DOT_PX,
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
        """The rings around selected events, and the eras' marks."""
        lay = self._layout
        selected = set(self._state.selection)
        sidx = np.array(sorted(lay.row_of[e] for e in selected if e in lay.row_of), dtype=int)
        ring = _pen("#111827", width=2.5)
        self._halo.setData(
            x=lay.xc[sidx],
            y=self._lane_y[lay.lane[sidx]] if len(sidx) else np.zeros(0),
            data=[lay.ids[i] for i in sidx],
            size=DOT_PX + 9,
            symbol="o",
            brush=_brush(None),
            pen=ring,
        )
        sel_bars = sidx[lay.kind[sidx] != EXACT]
        self._set_bars(self._halo_bars, sel_bars, 0.3, pg.mkBrush(None), pen=ring)
        self._eras.set_marks(selected, self._visible)

    def _set_bars(self, item, idx, half_height, brushes, pen=None, pens=None) -> None:
        lay = self._layout
        lane = lay.lane[idx]
        half = half_height * (self._lane_h[lane] if len(idx) else 1.0)
        y = self._lane_y[lane] if len(idx) else np.zeros(0)
        item.setOpts(
            x0=lay.xl[idx],
            x1=lay.xu[idx],
            y0=y - half,
            y1=y + half,
            brushes=brushes if isinstance(brushes, list) else None,
            brush=None if isinstance(brushes, list) else brushes,
            # (pyqtgraph fails on an empty list of pens: no bars, no pens.)
            pens=pens or None,
            pen=pen if pen is not None else pg.mkPen(None),
        )

    def _layout_labels(self) -> None:
        """Label as many events as fit without overlap: selected first, then the events
        the story names (each step's first before its others), then the rest, each in
        date order.

        Each lane has a row above and a row below its dots; a label takes the
        first row where it does not collide with one already placed (see
        ``place_labels``). A bar is labelled from its start, a dot from its
        middle. Folded lanes are not labelled. Runs 25 ms after the view
        moves; a view that has not moved since the last layout keeps its labels.
        """
        lay = self._layout
        if len(self._shown) != len(lay):  # called while the dataset is being swapped
            return
        lo, hi = self.view_range()
        width_px = max(self._vb.width(), 1.0)
        key = (
            lo,
            hi,
            width_px,
            self._state.selection,
            self._font.pointSizeF(),
            id(lay),
            frozenset(self._folded),
            tuple(self._vb.viewRange()[1]) if self._lanes_scroll else None,
        )
        if key == self._labels_key and self._labels_shown is self._shown:
            return
        self._labels_key, self._labels_shown = key, self._shown
        self._count_beyond(lo, hi)
        px_per_x = width_px / max(hi - lo, 1e-9)
        selected = set(self._state.selection)
        labelled = self._shown
        hidden = [i for i in self._folded]
        if self._lanes_scroll:
            hidden += np.flatnonzero(~self._lanes_in_view()).tolist()
        if hidden:
            labelled = self._shown & ~np.isin(lay.lane, hidden)
        chosen = sorted(
            lay.row_of[e] for e in selected if e in lay.row_of and labelled[lay.row_of[e]]
        )
        in_view = lay.label_candidates(
            lo, hi, px_per_x, labelled, LABEL_BUCKET_PX, 4 * MAX_LABELS
        ).tolist()
        # The story's subjects first, then the other events it names, then the
        # rest, each in date order (a stable sort).
        if lay.any_cited:
            in_view.sort(key=lay.cited.__getitem__)
        if chosen:
            picked = set(chosen)
            in_view = chosen + [i for i in in_view if i not in picked]
        # A bar is labelled from its start; one reaching into the view from
        # either side, at the edge.
        xs = np.clip(lay.xa[in_view], lo, hi).tolist() if in_view else []
        # Ids are read only with a selection to find: a first frame lists none.
        bold = [lay.ids[i] in selected for i in in_view] if selected else [False] * len(in_view)
        texts = [
            self._label_text(lay.titles[i], lay.cues[i], b, LABEL_CHARS)
            for i, b in zip(in_view, bold, strict=True)
        ]
        # A crowded view has more candidates than labels: the first place each
        # fits is enough. A sparse one tries harder for each (ending a label at
        # its event, a shorter form).
        sparse = len(in_view) <= MAX_LABELS
        shorter = (
            [
                self._label_text(lay.titles[i], lay.cues[i], b, SHORT_CHARS)
                for i, b in zip(in_view, bold, strict=True)
            ]
            if sparse
            else texts
        )
        placed = place_labels(
            lanes=[int(lay.lane[i]) for i in in_view],
            starts=[(x - lo) * px_per_x for x in xs],
            widths=[w for _, w in texts],
            width_px=width_px - 4,  # keep labels inside the plot
            limit=MAX_LABELS,
            gap=LABEL_GAP_PX,
            short_widths=[w for _, w in shorter] if sparse else None,
            flip_to_fit=sparse,
        )
        lane_y = self._lane_y
        self._labels.set_labels(
            [
                Label(
                    x=xs[k],
                    y=float(lane_y[lay.lane[in_view[k]]])
                    + (LABEL_LANE_OFFSET if row else -LABEL_LANE_OFFSET),
                    above=row == 0,
                    flipped=flipped,
                    text=(shorter if short else texts)[k][0],
                    width=(shorter if short else texts)[k][1],
                    bold=bold[k],
                    event_id=lay.ids[in_view[k]],
                )
                for k, row, flipped, short in placed
            ],
            self._font,
            self._bold,
        )

    def _count_beyond(self, lo: float, hi: float) -> None:
        lay = self._layout
        shown = self._shown
        before = int(np.count_nonzero(shown & (lay.xu < lo))) if len(lay) else 0
        after = int(np.count_nonzero(shown & (lay.xl > hi))) if len(lay) else 0
        self._axis.set_edge_counts(before, after, self._reveal_beyond)

    def _reveal_beyond(self, side: int) -> None:
        """Pan to the nearest shown event beyond the left (-1) or right (1) edge."""
        lay = self._layout
        lo, hi = self.view_range()
        width = hi - lo
        if side < 0:
            rows = np.flatnonzero(self._shown & (lay.xu < lo))
            if len(rows):
                target = float(lay.xc[rows].max())
                self._vb.setXRange(target - 0.15 * width, target + 0.85 * width, padding=0)
        else:
            rows = np.flatnonzero(self._shown & (lay.xl > hi))
            if len(rows):
                target = float(lay.xc[rows].min())
                self._vb.setXRange(target - 0.85 * width, target + 0.15 * width, padding=0)

    def _label_text(self, title: str, cue: str, bold: bool, most: int) -> tuple[str, float]:
        """A label's text (plain, cut on a word to ``most`` characters, a flag kept
        whole ahead of the title) and its width in pixels, measured once."""
        cache = self._label_widths
        found = cache.get((title, cue, bold, most))
        if found is None:
            text = label_text(title, cue, most)
            metrics = self._bold_metrics if bold else self._metrics
            if len(cache) >= LABEL_WIDTHS_KEPT:
                cache.clear()
            found = cache[(title, cue, bold, most)] = (text, metrics.horizontalAdvance(text))
        return found

    def _range_moved(self) -> None:
        """The view moved: tell the state (a report), and move the overview's handle."""
        lo, hi = self.visible_x_range()
        self._state.report_span(lo, hi)
        self._overview.set_view(lo, hi)

    def _overview_asked(self, lo: float, hi: float) -> None:
        self._motion.stop()
        self.show_times(lo, hi)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt naming)
        super().paintEvent(event)
        if not self._drawn:
            self._drawn = True
            self.sigDrawn.emit()

    # -- state --------------------------------------------------------------

    def _on_state(self, changed: frozenset[str]) -> None:
        if DATASET in changed and _same_layout(self._built_from, self._state.dataset):
            # An edit of places or sources: the timeline draws the same (a moved
            # marker must not cost a rebuild of a hundred thousand events).
            changed = changed - {DATASET}
        if DATASET in changed:
            self._motion.stop()
            self._region.setVisible(False)
            self._drawn = False  # sigDrawn again once the new dataset is on screen
            self._rebuild()  # which shows the home view: the opening frame's
            frame = self._state.frame
            if FRAME in changed and frame is not None and frame.span is not None:
                self.move_to(frame.span, False)  # an edited dataset: stay where it was
            # An edit or a reload keeps the window: its band stays drawn on the new layout.
            self._show_state_window()
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
        lo, hi = window.epochs()  # exact for BCE windows too
        self._place_region((self.x_of(lo), self.x_of(hi)))

    def _scroll_to_selection(self) -> None:
        """Pan (never zoom) so the selected events are in view."""
        rows = [self._layout.row_of[e] for e in self._state.selection if e in self._layout.row_of]
        if not rows:
            return
        lo, hi = self.view_range()
        first = float(self._layout.xl[rows].min())
        last = float(self._layout.xu[rows].max())
        if first >= lo and last <= hi:
            return
        middle = (first + last) / 2
        half = (hi - lo) / 2
        if last - first > hi - lo:
            half = (last - first) * 0.55
        self._vb.setXRange(middle - half, middle + half, padding=0)

    # -- input --------------------------------------------------------------

    def _lane_at(self, y: float) -> int | None:
        """The lane at a height of the view, if the point is on it."""
        if not len(self._lane_y):
            return None
        lane = int(np.argmin(np.abs(self._lane_y - y)))
        return lane if abs(self._lane_y[lane] - y) <= 0.45 * self._lane_h[lane] else None

    def _clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        if self._era_vb.sceneBoundingRect().contains(ev.scenePos()) and self._era_plot.isVisible():
            point = self._era_vb.mapSceneToView(ev.scenePos())
            era = self._eras.era_at(point.x(), int(point.y()))
            if era is not None:
                self._select(era, ev.modifiers())
                ev.accept()
            return
        if not self._vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        point = self._vb.mapSceneToView(ev.scenePos())
        lane = self._lane_at(point.y())
        lo, hi = self.view_range()
        tolerance = CLICK_PX * (hi - lo) / max(self._vb.width(), 1.0)
        hit = self._layout.hit(point.x(), lane, tolerance) if lane is not None else None
        if hit is None:
            self._state.clear_selection()
        else:
            self._select(hit, ev.modifiers())
        ev.accept()

    def event_at(self, scene_pos: QPointF) -> str | None:
        """The event drawn under a point of the scene, if any."""
        if not self._vb.sceneBoundingRect().contains(scene_pos):
            return None
        point = self._vb.mapSceneToView(scene_pos)
        lane = self._lane_at(point.y())
        if lane is None:
            return None
        lo, hi = self.view_range()
        tolerance = CLICK_PX * (hi - lo) / max(self._vb.width(), 1.0)
        return self._layout.hit(point.x(), lane, tolerance)

    def _grab_for_move(self, scene_pos: QPointF) -> bool:
        self._move_id = self.event_at(scene_pos)
        self._move_to = None
        return self._move_id is not None

    def _moving(self, pressed_x: float, now_x: float, finished: bool) -> None:
        """A Ctrl-drag of an event: preview where it goes; on release, say so."""
        event_id = self._move_id
        if event_id is None or not self._state.dataset.has_event(event_id):
            return  # cancelled (Escape), or the event went meanwhile
        event = self._state.dataset.event(event_id)
        row = self._layout.row_of.get(event_id)
        if row is None:
            return
        # The event's middle goes where the pointer takes it, on the drawn axis
        # (a long empty stretch drawn shorter is crossed in its own time).
        middle_x = float(self._layout.xc[row])
        seconds = self.time_at(middle_x + now_x - pressed_x) - float(self._layout.center[row])
        target = moved(event, seconds)
        if finished:
            self.cancel_move()
            if target != event:
                self.sigEventMoved.emit(target)
            return
        self._move_to = target
        lane = int(self._layout.lane[row])
        y = float(self._lane_y[lane]) if lane < len(self._lane_y) else 0.0
        upper = (target.end or target.start).upper_epoch()
        x = self.x_of((target.start.lower_epoch() + upper) / 2)
        self._ghost.setData(
            [x],
            [y],
            size=DOT_PX + 6,
            pen=pg.mkPen(MOVE_COLOR, width=2, style=Qt.PenStyle.DashLine),
            brush=pg.mkBrush(None),
        )
        self._ghost_text.setText(date_words(target.start))
        self._ghost_text.setPos(x, y)
        self._ghost.setVisible(True)
        self._ghost_text.setVisible(True)
        self.sigEventMoving.emit(target)

    @property
    def moving_to(self) -> Event | None:
        """Where the event being dragged would go (None: no drag, or not moved yet)."""
        return self._move_to

    def cancel_move(self) -> None:
        """End a move's preview; the rest of the drag does nothing."""
        was = self._move_id is not None
        self._move_id = None
        self._move_to = None
        self._ghost.setVisible(False)
        self._ghost_text.setVisible(False)
        if was:
            self.sigEventMoving.emit(None)

    def _select(self, event_id: str, modifiers) -> None:  # noqa: ANN001
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            current = list(self._state.selection)
            if event_id in current:
                current.remove(event_id)
            else:
                current.append(event_id)
            self._state.select(current)
        else:
            self._state.select([event_id])

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
        if hi - lo <= 0:
            return None
        return TimeWindow.from_epochs(self.time_at(lo), self.time_at(hi))

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
        lo, hi = self.view_range()
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
            if self._move_id is not None:
                self.cancel_move()
            elif self._state.window is not None:
                self.clear_window()
            else:
                self._state.clear_selection()
        else:
            super().keyPressEvent(ev)
            return
        ev.accept()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self._unsubscribe()
        # pyqtgraph's close() has already cleared the scene: nothing may draw after it.
        self._relabel.stop()
        self._motion.stop()
        super().closeEvent(event)


__all__ = ["TimelineView"]

"""The timeline's first frame, painted before numpy and pyqtgraph are imported.

pyqtgraph's import and the plots' build are the longest part of opening the
window. Meanwhile this plain widget paints the lanes, marks, long-gap bands,
eras and lane names where the timeline will draw them, by the timeline's own
layout rules (``first_frame_layout``, in plain Python), at the home view the
timeline opens on, with the event labels (``label_placement``), the date
axis, its grid and the overview's years (``axis_labels`` over the plain
calendar) the timeline shows there: a briefing's flags are on screen from the
first frame. The window puts the timeline in its place once its modules
are imported; any input that arrives first (a click, a key, the wheel) has the
window make the swap there and then, and is handed to the timeline, so nothing
typed or clicked is lost.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from desktop.core import flags
from desktop.core.display import event_date, plain_text
from desktop.core.model import Dataset, Event
from desktop.core.view_state import ViewState

from .axis_labels import AxisSpan, Linear, plan_axis
from .calendar_levels import YEAR_S, PlainCalendar
from .first_frame_layout import EXACT, INTERVAL, UNCERTAIN, FirstLayout, first_layout
from .label_placement import (
    LABEL_BUCKET_PX,
    LABEL_CHARS,
    LABEL_GAP_PX,
    MAX_LABELS,
    SHORT_CHARS,
    UNCITED,
    label_text,
    place_labels,
)
from .timeline_look import (
    DOT_PX,
    ERA_ROW_PX,
    FADED_ALPHA,
    FALLBACK_COLOR,
    GRID_ALPHA,
    INK,
    LABEL_LANE_OFFSET,
    LABEL_PAD_PX,
    LANE_AXIS_PX,
    MAX_LANE_PX,
    MIN_LANE_PX,
    ROW_GAP_PX,
    TICK_PX,
)

RING_PX = DOT_PX + 9
MUTED = "#374151"
AXIS = "#9ca3af"
# Where the plots sit in the timeline's viewport (pyqtgraph's layout of its
# era row, lanes, date axis and overview strip, at the default font).
LEFT_PX, RIGHT_PX = 3, 10.5
ERA_TOP_PX = 5
LANES_BOTTOM_PX = 96.5  # from the bottom: the date axis's two rows and the overview below
OVERVIEW_BOTTOM_PX, OVERVIEW_PX = 25, 30
OVERVIEW_PAD, OVERVIEW_BIN_PX, OVERVIEW_FLOOR = 0.015, 2, 150
FIRST_FRAME_EVENTS = 3_000
# The date axis's look (timeline_axis, timeline_view, timeline_overview).
AXIS_TEXT, OVERVIEW_AXIS, OVERVIEW_TEXT = "#374151", "#d1d5db", "#4b5563"
OVERVIEW_GAP_PX = 36
OVERVIEW_AXIS_RISE_PX = 2
INPUT = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
    QEvent.Type.KeyPress,
    QEvent.Type.ShortcutOverride,
}
# After the first input: the rest of a click, drag or key press goes the same way.
FOLLOWING = {QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease, QEvent.Type.KeyRelease}


def fits_first_frame(dataset: Dataset) -> bool:
    """Few enough events to lay out in plain Python and paint one by one (the timeline
    draws more as a density, which the first frame does not), all in years the
    plain calendar holds (AD 1 to 9999: BCE dates wait for the timeline's axis)."""
    events = dataset.events
    if len(events) > FIRST_FRAME_EVENTS:
        return False
    if not events:
        return True
    lo = min(e.start.lower_epoch() for e in events)
    hi = max((e.end or e.start).upper_epoch() for e in events)
    # The home view and the overview reach a little beyond the events.
    margin = (hi - lo) * 0.25 + 2 * YEAR_S
    return PlainCalendar.holds(lo - margin, hi + margin)


def _color(spec: str, alpha: int = 255) -> QColor:
    c = QColor(spec)
    c.setAlpha(alpha)
    return c


class FirstFrame(QWidget):
    """Paints the timeline's home view of ``state``'s dataset; ``wake`` is called with
    the first input event (the window then swaps the real timeline in and delivers it),
    or with None when the state asks for a view the frame does not paint.

    ``sigDrawn`` fires after the first paint of a dataset with events, as the
    timeline's does.
    """

    sigDrawn = Signal()

    def __init__(
        self, state: ViewState, colors: dict[str, str], wake: Callable[[QEvent | None], None]
    ) -> None:
        super().__init__()
        self.setObjectName("timelineFirstFrame")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(220)
        self.setAutoFillBackground(False)
        self._state = state
        self._colors = dict(colors)
        self._wake = wake
        self._drawn = False
        self._woken = False
        self._handing_over = False  # a view this frame cannot paint: the timeline comes
        self._font = QFont(self.font())
        self._font.setPointSizeF(max(self._font.pointSizeF(), 9.0))
        self._metrics = QFontMetricsF(self._font)
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._bold_metrics = QFontMetricsF(self._bold)
        self._layout: tuple[Dataset, FirstLayout] | None = None
        self._events: dict[str, Event] = {}
        # Labels and axes as last worked out, with what they were for: the frame is
        # painted several times as the window settles, the same each time.
        self._kept: dict[str, tuple[object, object]] = {}
        self._unsubscribe = state.subscribe(self._on_state)

    @property
    def drawn(self) -> bool:
        return self._drawn

    def _on_state(self, _changed: frozenset[str]) -> None:
        frame = self._state.frame
        if self._state.window is not None or (frame is not None and frame.span is not None):
            # A time window, or a view away from home (a story step): the frame shows
            # neither, so the timeline takes over (after this change is told to all).
            QTimer.singleShot(0, self, lambda: self._wake(None))
        self.update()

    def set_colors(self, colors: dict[str, str]) -> None:
        self._colors = dict(colors)
        self.update()

    def close_state(self) -> None:
        """Stop following the state (the real timeline has taken over)."""
        self._unsubscribe()

    def event(self, event: QEvent) -> bool:
        if event.type() in INPUT or (self._woken and event.type() in FOLLOWING):
            self._woken = True
            self._wake(event)
            event.accept()
            return True
        return super().event(event)

    # -- geometry, as the timeline lays it out ------------------------------

    def plain_layout(self) -> FirstLayout:
        dataset = self._state.dataset
        if self._layout is None or self._layout[0] is not dataset:
            self._layout = (dataset, first_layout(dataset))
            self._events = {e.id: e for e in dataset.events}
        return self._layout[1]

    def lane_column(self, layout: FirstLayout) -> float:
        names = [f"▸ {c if c.strip() else 'uncategorised'} (00,000)" for c in layout.categories]
        widest = max((self._metrics.horizontalAdvance(n) for n in names), default=0.0)
        return int(min(max(widest + 12, LANE_AXIS_PX[0]), LANE_AXIS_PX[1]))

    def plot_rect(self, layout: FirstLayout) -> QRectF:
        left = LEFT_PX + self.lane_column(layout)
        # One row of eras (overlapping eras are drawn in the first frame's one row).
        top = ERA_TOP_PX + (ERA_ROW_PX + 4 if layout.eras else 0)
        return QRectF(
            left, top, self.width() - RIGHT_PX - left, self.height() - LANES_BOTTOM_PX - top
        )

    def _lanes_fitted(self, lanes: int, height: float) -> tuple[float, float]:
        """Every lane with room for its labels (lane units), before any clamp."""
        lanes = max(lanes, 1)
        text = LABEL_PAD_PX + 2 + self._metrics.height()
        extra = max(
            (text * lanes / height - (0.5 - LABEL_LANE_OFFSET)) / max(1 - 2 * text / height, 0.2),
            0.0,
        )
        return -0.5 - extra, lanes - 0.5 + extra

    def _lanes_scroll(self, lanes: int, height: float) -> bool:
        top, bottom = self._lanes_fitted(lanes, height)
        return bottom - top > height / MIN_LANE_PX

    def lane_range(self, lanes: int, height: float) -> tuple[float, float]:
        """The lanes' y range in view (lane units), as the timeline fits them."""
        top, bottom = self._lanes_fitted(lanes, height)
        if self._lanes_scroll(lanes, height):  # too many lanes: the first ones, thin
            return top, top + height / MIN_LANE_PX
        room = height / MAX_LANE_PX - (bottom - top)
        if room > 0:
            top, bottom = top - room / 2, bottom + room / 2
        return top, bottom

    def event_point(self, event_id: str) -> QPointF:
        """Where an event's dot is painted, in this widget's pixels."""
        layout = self.plain_layout()
        mark = next(m for m in layout.marks if m.event_id == event_id)
        to_x, to_y = self._mapping(layout)
        return QPointF(to_x(mark.xc), to_y(mark.lane))

    def _mapping(
        self, layout: FirstLayout
    ) -> tuple[Callable[[float], float], Callable[[float], float]]:
        plot = self.plot_rect(layout)
        lo, hi = layout.home_range() or (0.0, 1.0)
        top, bottom = self.lane_range(len(layout.categories), plot.height())

        def to_x(x: float) -> float:
            return plot.left() + (x - lo) / (hi - lo) * plot.width()

        def to_y(y: float) -> float:
            return plot.top() + (y - top) / (bottom - top) * plot.height()

        return to_x, to_y

    # -- labels, as the timeline lays them out (``_layout_labels``) ----------

    def _remembered(self, name: str, key: object, work: Callable[[], object]) -> Any:
        kept = self._kept.get(name)
        if kept is None or kept[0] != key:
            kept = self._kept[name] = (key, work())
        return kept[1]

    def labels(self) -> list[tuple[str, str, QRectF, bool]]:
        """(event id, text, rect in this widget's pixels, bold) of each event label,
        placed in the home view as the timeline places them."""
        key = (
            self.plain_layout(),
            self.width(),
            self.height(),
            self._state.visible_ids(),
            self._state.selection,
        )
        return self._remembered("labels", key, self._labels)

    def _labels(self) -> list[tuple[str, str, QRectF, bool]]:
        layout = self.plain_layout()
        home = layout.home_range()
        if home is None or not layout.marks:
            return []
        lo, hi = home
        plot = self.plot_rect(layout)
        to_x, to_y = self._mapping(layout)
        width_px = max(plot.width(), 1.0)
        px_per_x = width_px / max(hi - lo, 1e-9)
        top, bottom = self.lane_range(len(layout.categories), plot.height())
        reach = LABEL_LANE_OFFSET + (LABEL_PAD_PX + self._metrics.height()) / (
            plot.height() / (bottom - top)
        )
        # Lanes that scroll (too many to fit) are labelled only when in view with
        # room for their labels.
        scrolls = self._lanes_scroll(len(layout.categories), plot.height())
        hidden = {
            lane
            for lane in range(len(layout.categories))
            if scrolls and not (lane - reach >= top and lane + reach <= bottom)
        }
        visible = set(self._state.visible_ids())
        marks = layout.marks
        shown = [
            k
            for k, m in enumerate(marks)
            if m.event_id in visible and m.lane not in hidden and m.xu >= lo and m.xl <= hi
        ]
        if len(shown) > 4 * MAX_LABELS:  # one per lane per column, as label_candidates
            seen: set[tuple[int, int]] = set()
            spread = []
            for k in shown:
                column = int((min(max(marks[k].xc, lo), hi) - lo) * (px_per_x / LABEL_BUCKET_PX))
                if (marks[k].lane, column) not in seen:
                    seen.add((marks[k].lane, column))
                    spread.append(k)
            shown = spread
        selected = set(self._state.selection)
        dataset = self._state.dataset
        named: dict[str, int] = {}
        for step in dataset.story:
            for rank, eid in enumerate(step.events):
                named[eid] = min(rank, named.get(eid, UNCITED))
        if named:
            shown.sort(key=lambda k: named.get(marks[k].event_id, UNCITED))
        chosen = [k for k in sorted(shown) if marks[k].event_id in selected]
        if chosen:
            picked = set(chosen)
            shown = chosen + [k for k in shown if k not in picked]
        events = self._events
        sources = Dataset(sources=dataset.sources)
        cues = {k: flags.cue_text(events[marks[k].event_id], sources) for k in shown}
        bold = [marks[k].event_id in selected for k in shown]

        def forms(most: int) -> list[tuple[str, float]]:
            out = []
            for k, b in zip(shown, bold, strict=True):
                text = label_text(events[marks[k].event_id].title, cues[k], most)
                metrics = self._bold_metrics if b else self._metrics
                out.append((text, metrics.horizontalAdvance(text)))
            return out

        xs = [
            min(max(marks[k].xl if marks[k].kind == INTERVAL else marks[k].xc, lo), hi)
            for k in shown
        ]
        texts = forms(LABEL_CHARS)
        sparse = len(shown) <= MAX_LABELS
        shorter = forms(SHORT_CHARS) if sparse else texts
        placed = place_labels(
            lanes=[marks[k].lane for k in shown],
            starts=[(x - lo) * px_per_x for x in xs],
            widths=[w for _, w in texts],
            width_px=width_px - 4,
            limit=MAX_LABELS,
            gap=LABEL_GAP_PX,
            short_widths=[w for _, w in shorter] if sparse else None,
            flip_to_fit=sparse,
        )
        out = []
        for k, row, flipped, short in placed:
            text, width = (shorter if short else texts)[k]
            metrics = self._bold_metrics if bold[k] else self._metrics
            y = to_y(marks[shown[k]].lane + (LABEL_LANE_OFFSET if row else -LABEL_LANE_OFFSET))
            x = to_x(xs[k])
            left = x - width if flipped else x
            box_top = y + LABEL_PAD_PX if row else y - LABEL_PAD_PX - metrics.height()
            out.append(
                (
                    marks[shown[k]].event_id,
                    text,
                    QRectF(left, box_top, width, metrics.height()),
                    bold[k],
                )
            )
        return out

    def label_texts(self) -> list[str]:
        return [text for _, text, _, _ in self.labels()]

    def _paint_labels(self, painter: QPainter, plot: QRectF) -> None:
        painter.save()
        painter.setClipRect(plot)
        for _eid, text, box, bold in self.labels():
            metrics = self._bold_metrics if bold else self._metrics
            painter.setFont(self._bold if bold else self._font)
            painter.setPen(QColor(INK if bold else MUTED))
            painter.drawText(QPointF(box.left(), box.top() + metrics.ascent()), text)
        painter.restore()

    # -- the date axes, as the timeline's (``axis_labels``) -------------------

    def axis_labels(self) -> list[tuple[int, str, QRectF]]:
        """(row, text, rect in this widget's pixels) of the date axis's labels in the
        home view; row 1 is the context row."""
        return self._axis_plan()[0]

    def _axis_plan(self) -> tuple[list[tuple[int, str, QRectF]], list[float], list[float]]:
        key = (self.plain_layout(), self.width(), self.height())
        return self._remembered("axis", key, self._work_axis_plan)

    def _work_axis_plan(self) -> tuple[list[tuple[int, str, QRectF]], list[float], list[float]]:
        layout = self.plain_layout()
        home = layout.home_range()
        if home is None:
            return [], [], []
        plot = self.plot_rect(layout)
        return self._plan(layout, home, plot.left(), plot.right(), plot.bottom(), rows=2, gap=12)

    def overview_axis_labels(self) -> list[tuple[int, str, QRectF]]:
        """The overview strip's year labels, under it."""
        return self._overview_plan(self.plain_layout())[0]

    def _overview_plan(self, layout: FirstLayout):  # noqa: ANN202
        key = (layout, self.width(), self.height())
        return self._remembered("overview", key, lambda: self._work_overview_plan(layout))

    def _work_overview_plan(self, layout: FirstLayout):  # noqa: ANN202
        full = layout.full_extent()
        if full is None:
            return [], [], []
        strip = self._overview_strip(layout)
        pad = max((full[1] - full[0]) * OVERVIEW_PAD, 3600.0)
        # pyqtgraph lays the strip's axis out this much over the strip's foot.
        top = strip.bottom() - OVERVIEW_AXIS_RISE_PX
        return self._plan(
            Linear(),
            (full[0] - pad, full[1] + pad),
            strip.left(),
            strip.right(),
            top,
            1,
            OVERVIEW_GAP_PX,
        )

    def _plan(self, scale, view, left, right, top, rows, gap):  # noqa: ANN001, ANN202
        x_of = scale.x if isinstance(scale, FirstLayout) else None
        plan = plan_axis(
            PlainCalendar(),
            scale,
            (lambda ts: [x_of(t) for t in ts]) if x_of else list,
            AxisSpan(view[0], view[1], left, right, left, right),
            self._metrics.horizontalAdvance,
            rows=rows,
            gap=gap,
        )
        line = self._metrics.height()
        y = top + TICK_PX + 1
        rects = [
            (row, text, QRectF(x, y + row * (line + ROW_GAP_PX), w, line))
            for row, text, x, w in plan.labels
        ]
        return rects, plan.ticks, plan.boundaries

    def _paint_axis(self, painter: QPainter, plot: QRectF) -> None:
        """The date axis under the lanes: its labels, ticks and the grid above them."""
        labels, ticks, boundaries = self._axis_plan()
        for alpha, xs in ((GRID_ALPHA[0], ticks), (GRID_ALPHA[1], boundaries)):
            painter.setPen(QPen(_color(AXIS, alpha), 1))
            for x in xs:
                if plot.left() <= x <= plot.right():
                    painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom() + TICK_PX))
        self._paint_texts(painter, labels, AXIS_TEXT)

    def _paint_texts(self, painter: QPainter, labels, color: str) -> None:  # noqa: ANN001
        painter.setFont(self._font)
        painter.setPen(QColor(color))
        for row, text, rect in labels:
            align = Qt.AlignmentFlag.AlignCenter if row == 0 else Qt.AlignmentFlag.AlignLeft
            painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, text)

    # -- painting -------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt naming)
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        layout = self.plain_layout()
        home = layout.home_range()
        if self._lanes_scroll(len(layout.categories), self.plot_rect(layout).height()):
            # More lanes than the height holds: the timeline scrolls them and says how
            # many are out of view, which this frame does not draw; it takes over.
            painter.end()
            if not self._handing_over:
                self._handing_over = True
                QTimer.singleShot(0, self, lambda: self._wake(None))
            return
        if home is not None:
            # What the timeline reports of its view (a story step, playback read it).
            self._state.report_span(layout.t(home[0]), layout.t(home[1]))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setFont(self._font)
            self._paint(painter, layout)
        painter.end()
        if not self._drawn and (layout.marks or layout.eras):
            self._drawn = True
            self.sigDrawn.emit()

    def _paint(self, painter: QPainter, layout: FirstLayout) -> None:
        plot = self.plot_rect(layout)
        to_x, to_y = self._mapping(layout)
        top, bottom = self.lane_range(len(layout.categories), plot.height())
        lane_px = plot.height() / (bottom - top)
        self._paint_eras(painter, layout, plot, to_x)
        painter.save()
        painter.setClipRect(plot)
        self._paint_breaks(painter, layout, plot, to_x)
        visible = set(self._state.visible_ids())
        base = [self._colors.get(c, FALLBACK_COLOR) for c in layout.categories]

        def alpha(event_id: str, on: int = 255, off: int = FADED_ALPHA) -> int:
            return on if event_id in visible else off

        def band(lo: float, hi: float, y: float, half: float) -> QRectF:
            return QRectF(to_x(lo), y - half, to_x(hi) - to_x(lo), 2 * half)

        painter.setPen(Qt.PenStyle.NoPen)
        for m in layout.marks:  # faint bars under the dates known to a year or month
            if m.kind == UNCERTAIN:
                painter.setBrush(_color(base[m.lane], alpha(m.event_id, 60, 18)))
                painter.drawRect(band(m.xl, m.xu, to_y(m.lane), 0.26 * lane_px))
        for m in layout.marks:
            if m.kind == INTERVAL:
                fill = _color(base[m.lane], alpha(m.event_id))
                painter.setPen(QPen(QColor(fill).darker(140), 1))
                painter.setBrush(fill)
                painter.drawRect(band(m.xl, m.xu, to_y(m.lane), 0.16 * lane_px))
        r = DOT_PX / 2
        for m in layout.marks:
            if m.kind == INTERVAL:
                continue
            colour = _color(base[m.lane], alpha(m.event_id))
            if m.kind == EXACT:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
            else:
                painter.setPen(QPen(colour, 2))
                painter.setBrush(Qt.GlobalColor.white)
            painter.drawEllipse(QPointF(to_x(m.xc), to_y(m.lane)), r, r)
        painter.setPen(QPen(QColor(INK), 2.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        selected = set(self._state.selection)
        for m in layout.marks:
            if m.event_id in selected:
                at = QPointF(to_x(m.xc), to_y(m.lane))
                painter.drawEllipse(at, RING_PX / 2, RING_PX / 2)
        painter.restore()
        self._paint_labels(painter, plot)
        self._paint_frame(painter, layout, plot, to_y)

    def _paint_breaks(self, painter: QPainter, layout: FirstLayout, plot: QRectF, to_x) -> None:  # noqa: ANN001
        fill = QBrush(_color("#9ca3af", 46), Qt.BrushStyle.BDiagPattern)
        edge = QPen(_color("#9ca3af", 150), 1, Qt.PenStyle.DashLine)
        for a, b in layout.breaks():
            x0, x1 = to_x(layout.x(a)), to_x(layout.x(b))
            band = QRectF(x0, plot.top(), x1 - x0, plot.height())
            painter.fillRect(band, _color("#f3f4f6", 200))
            painter.fillRect(band, fill)
            painter.setPen(edge)
            painter.drawLine(QPointF(x0, plot.top()), QPointF(x0, plot.bottom()))
            painter.drawLine(QPointF(x1, plot.top()), QPointF(x1, plot.bottom()))

    def _paint_eras(self, painter: QPainter, layout: FirstLayout, plot: QRectF, to_x) -> None:  # noqa: ANN001
        """The eras' bands above the lanes, each named inside or beside it."""
        painter.save()
        painter.setClipRect(QRectF(plot.left(), ERA_TOP_PX, plot.width(), ERA_ROW_PX + 4))
        top = ERA_TOP_PX + 0.1 * (ERA_ROW_PX + 4)
        height = 0.8 * (ERA_ROW_PX + 4)
        visible = set(self._state.visible_ids())
        for era in layout.eras:
            event = era.event
            on = event.id in visible
            rect = QRectF(to_x(era.x0), top, to_x(era.x1) - to_x(era.x0), height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_color(self._colors.get(event.category, AXIS), 70 if on else 25))
            painter.drawRoundedRect(rect, 3, 3)
            text = f"{plain_text(event.title, paragraphs=False)}  ·  {event_date(event)}"
            inside = rect.intersected(plot.adjusted(0, -plot.top(), 0, 0)).adjusted(6, 0, -6, 0)
            if self._metrics.horizontalAdvance(text) > inside.width():
                text = self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, inside.width())
            painter.setPen(QColor(INK if on else MUTED))
            painter.drawText(
                inside, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text
            )
        painter.restore()

    def _paint_frame(self, painter: QPainter, layout: FirstLayout, plot: QRectF, to_y) -> None:  # noqa: ANN001
        """The lane names' column, the axis lines and the overview strip's box."""
        painter.setPen(QPen(_color(AXIS), 1))
        painter.drawLine(plot.topLeft(), plot.bottomLeft())
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.setPen(QColor(MUTED))
        for lane, name in enumerate(layout.categories):
            y = to_y(lane)
            if not plot.top() <= y <= plot.bottom():
                continue
            text = f"▾ {name if name.strip() else 'uncategorised'}"
            box = QRectF(
                LEFT_PX,
                y - self._metrics.height() / 2,
                plot.left() - LEFT_PX - 5,
                self._metrics.height(),
            )
            painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        self._paint_axis(painter, plot)
        self._paint_overview(painter, layout, plot)

    def _overview_strip(self, layout: FirstLayout) -> QRectF:
        plot = self.plot_rect(layout)
        return QRectF(
            plot.left(), self.height() - OVERVIEW_BOTTOM_PX - OVERVIEW_PX, plot.width(), OVERVIEW_PX
        )

    def _paint_overview(self, painter: QPainter, layout: FirstLayout, plot: QRectF) -> None:
        """The strip under the axis: every event over the whole time, a handle on the view."""
        full = layout.full_extent()
        home = layout.home_range()
        if full is None or home is None:
            return
        strip = self._overview_strip(layout)
        pad = max((full[1] - full[0]) * OVERVIEW_PAD, 3600.0)
        lo, hi = full[0] - pad, full[1] + pad
        lanes = max(len(layout.categories), 1)
        top = -0.6 if layout.eras else 0.0

        def at(t: float) -> float:
            return strip.left() + (t - lo) / (hi - lo) * strip.width()

        def row(y: float) -> float:
            return strip.top() + (y - top) / (lanes - top) * strip.height()

        bins = max(int(strip.width() // OVERVIEW_BIN_PX), 16)
        cells: dict[tuple[int, int], int] = {}
        for m in layout.marks:
            column = min(max(int((m.lower + m.upper) / 2 - lo) * bins // int(hi - lo), 0), bins - 1)
            cells[(m.lane, column)] = cells.get((m.lane, column), 0) + 1
        peak = math.log1p(max(cells.values(), default=1))
        painter.save()
        painter.setClipRect(strip)
        painter.setPen(Qt.PenStyle.NoPen)
        width = strip.width() / bins
        for (lane, column), count in cells.items():
            alpha = OVERVIEW_FLOOR + (255 - OVERVIEW_FLOOR) * math.log1p(count) / peak
            painter.setBrush(
                _color(self._colors.get(layout.categories[lane], FALLBACK_COLOR), int(alpha))
            )
            painter.drawRect(
                QRectF(
                    strip.left() + (column - 1) * width,
                    row(lane),
                    3 * width,
                    row(lane + 0.75) - row(lane),
                )
            )
        painter.setBrush(_color("#6b7280", 120))
        for era in layout.eras:
            painter.drawRect(
                QRectF(
                    at(era.lower), row(-0.5), at(era.upper) - at(era.lower), row(-0.15) - row(-0.5)
                )
            )
        a, b = at(layout.t(home[0])), at(layout.t(home[1]))
        painter.setBrush(_color("#2563eb", 38))
        painter.drawRect(QRectF(a, strip.top(), b - a, strip.height()))
        painter.setPen(QPen(QColor("#2563eb"), 2))
        painter.drawLine(QPointF(a, strip.top()), QPointF(a, strip.bottom()))
        painter.drawLine(QPointF(b, strip.top()), QPointF(b, strip.bottom()))
        painter.restore()
        painter.setPen(QPen(QColor("#d1d5db"), 1))
        painter.drawLine(strip.topLeft(), strip.bottomLeft())
        labels, ticks, _ = self._overview_plan(layout)
        painter.setPen(QPen(_color(OVERVIEW_AXIS, GRID_ALPHA[0]), 1))
        foot = strip.bottom() - OVERVIEW_AXIS_RISE_PX
        for x in ticks:
            painter.drawLine(QPointF(x, foot), QPointF(x, foot + TICK_PX))
        self._paint_texts(painter, labels, OVERVIEW_TEXT)


def deliver(event: QEvent, view: QWidget) -> None:
    """Hand an input event that reached the first frame to the timeline now in its place."""
    from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
    from PySide6.QtWidgets import QAbstractScrollArea, QApplication

    target = view.viewport() if isinstance(view, QAbstractScrollArea) else view
    if isinstance(event, QMouseEvent):
        at = target.mapFromGlobal(event.globalPosition())
        copy: QEvent = QMouseEvent(
            event.type(),
            at,
            event.globalPosition(),
            event.button(),
            event.buttons(),
            event.modifiers(),
        )
    elif isinstance(event, QWheelEvent):
        copy = QWheelEvent(
            target.mapFromGlobal(event.globalPosition()),
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
        )
    elif isinstance(event, QKeyEvent):
        view.setFocus()
        copy = QKeyEvent(
            event.type(),
            event.key(),
            event.modifiers(),
            event.text(),
            event.isAutoRepeat(),
            event.count(),
        )
        target = view
    else:
        return
    QApplication.sendEvent(target, copy)

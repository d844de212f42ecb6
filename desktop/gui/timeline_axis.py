"""The timeline's date axis: calendar ticks at every scale, in one or two rows.

Which labels it shows, and where, is ``axis_labels``' (the rules its first
frame follows too); this item measures them, draws them with their ticks and
grid lines, and the counts of events beyond the view's edges.

The axis follows the layout's TimeScale: where long empty stretches are
drawn shorter, each stretch of the axis gets the ticks its own scale allows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen

from .axis_labels import LABEL_GAP_PX, AxisSpan, plan_axis
from .calendar_ticks import NumpyCalendar
from .timeline_layout import TimeScale
from .timeline_look import GRID_ALPHA, ROW_GAP_PX, TICK_PX

EDGE_PAD_PX = 6  # inside a count's pill, either side of its text
WIDTHS_KEPT = 5_000
_CALENDAR = NumpyCalendar()


class CalendarAxis(pg.AxisItem):
    """A bottom axis of dates over a TimeScale; ``rows`` 2 adds the context row."""

    def __init__(self, rows: int = 2, grid: bool = True, gap: float = LABEL_GAP_PX) -> None:
        super().__init__(orientation="bottom")
        self._rows = rows
        self._gap = gap
        self._grid_on = grid
        self._scale = TimeScale()
        self._enabled = True
        self._widths: dict[str, float] = {}
        self._font = QFont()
        self._metrics = QFontMetricsF(self._font)
        # What was drawn last, in this item's coordinates (tests read it).
        self._drawn: list[tuple[int, str, QRectF]] = []
        self._ticks: list[float] = []
        # Counts of events beyond the view's edges, drawn at the ends of the first row.
        self._edge_texts = ("", "")
        self._edge_boxes: list[tuple[int, QRectF]] = []
        self._on_edge: Callable[[int], None] | None = None
        self.set_font(QFont())

    # -- settings -----------------------------------------------------------

    def set_scale(self, scale: TimeScale) -> None:
        self._scale = scale
        self._redraw()

    def set_enabled(self, enabled: bool) -> None:
        """An empty timeline has no dates to show: no ticks, no labels."""
        self._enabled = enabled
        self._redraw()

    def set_font(self, font: QFont) -> None:
        self._font = QFont(font)
        self._metrics = QFontMetricsF(self._font)
        self._widths.clear()
        self.setStyle(tickFont=self._font)
        self.setHeight(self.wanted_height())
        self._redraw()

    def wanted_height(self) -> int:
        """The height its rows of labels take (whether or not it is shown now)."""
        line = self._metrics.height()
        return int(TICK_PX + 2 + self._rows * (line + ROW_GAP_PX) + 2)

    def set_edge_counts(self, before: int, after: int, on_click: Callable[[int], None]) -> None:
        """Show how many events lie beyond the left and right edges ("◂ 8", "12 ▸");
        a click on one calls ``on_click(-1 or 1)``."""
        texts = (f"◂ {before:,}" if before else "", f"{after:,} ▸" if after else "")
        self._on_edge = on_click
        if texts != self._edge_texts:
            self._edge_texts = texts
            self._redraw()

    def edge_texts(self) -> tuple[str, str]:
        return self._edge_texts

    def edge_boxes(self) -> list[tuple[int, QRectF]]:
        """(side, rect in this item's coordinates) of each count drawn last."""
        return list(self._edge_boxes)

    def _redraw(self) -> None:
        self.picture = None
        self.update()

    # -- what was drawn -----------------------------------------------------

    def label_rects(self) -> list[tuple[int, str, QRectF]]:
        """(row, text, rect in this item's coordinates) of every label drawn last."""
        return list(self._drawn)

    def tick_times(self) -> list[float]:
        """The times (epoch seconds) of the first row's ticks drawn last."""
        return list(self._ticks)

    # -- drawing ------------------------------------------------------------

    def _width(self, text: str) -> float:
        found = self._widths.get(text)
        if found is None:
            if len(self._widths) > WIDTHS_KEPT:
                self._widths.clear()
            found = self._widths[text] = self._metrics.horizontalAdvance(text)
        return found

    def generateDrawSpecs(self, p):  # noqa: N802 (pyqtgraph naming)
        self._drawn = []
        self._ticks = []
        bounds = self.mapRectFromParent(self.geometry())
        view = self.linkedView()
        axis_spec = (self.pen(), bounds.topLeft(), bounds.topRight())
        x0, x1 = (float(v) for v in self.range)
        if not self._enabled or x1 <= x0 or bounds.width() <= 0:
            return axis_spec, [], []
        left, right = bounds.left(), bounds.right()
        line = self._metrics.height()
        top = bounds.top() + TICK_PX + 1
        self._edge_boxes = []
        for side, text in zip((-1, 1), self._edge_texts, strict=True):
            if text:
                w = self._width(text) + 2 * EDGE_PAD_PX
                x = left if side < 0 else right - w
                self._edge_boxes.append((side, QRectF(x, top - 1, w, line + 2)))
        # The counts take the ends of the row; tick labels keep clear of them.
        row_left, row_right = left, right
        for side, box in self._edge_boxes:
            if side < 0:
                row_left = box.right() + LABEL_GAP_PX / 2
            else:
                row_right = box.left() - LABEL_GAP_PX / 2
        scale = self._scale
        plan = plan_axis(
            _CALENDAR,
            scale,
            lambda times: scale.x(np.asarray(times, dtype=float)).tolist(),
            AxisSpan(x0, x1, left, right, row_left, row_right),
            self._width,
            rows=self._rows,
            gap=self._gap,
        )
        tick_specs = self._tick_specs(plan.ticks, plan.boundaries, bounds, view)
        text_specs = []
        align = (
            Qt.AlignmentFlag.AlignCenter,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        )
        for row, text, x, w in plan.labels:
            rect = QRectF(x, top + row * (line + ROW_GAP_PX), w, line)
            text_specs.append((rect, align[row], text))
            self._drawn.append((row, text, rect))
        self._ticks = plan.times
        return axis_spec, tick_specs, text_specs

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802, N803
        super().drawPicture(p, axisSpec, tickSpecs, textSpecs)
        p.setFont(self._font)
        for side, box in self._edge_boxes:
            p.setPen(QPen(QColor("#9ca3af"), 1))
            p.setBrush(QColor("#f9fafb"))
            p.drawRoundedRect(box, box.height() / 2, box.height() / 2)
            p.setPen(QColor("#111827"))
            text = self._edge_texts[0 if side < 0 else 1]
            p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)

    def mouseClickEvent(self, event):  # noqa: N802 (Qt naming)
        for side, box in self._edge_boxes:
            if box.contains(event.pos()) and self._on_edge is not None:
                event.accept()
                self._on_edge(side)
                return
        super().mouseClickEvent(event)

    def _tick_specs(self, ticks, boundaries, bounds: QRectF, view) -> list:  # noqa: ANN001
        color = QColor(self.pen().color())
        specs = []
        grid_top = bounds.top()
        if view is not None and self._grid_on:
            grid_top = view.mapRectToItem(self, view.boundingRect()).top()
        for alpha, xs in ((GRID_ALPHA[0], ticks), (GRID_ALPHA[1], boundaries)):
            grid = QColor(color)
            grid.setAlpha(alpha)
            pen = QPen(grid)
            pen.setCosmetic(True)
            for x in xs:
                if bounds.left() <= x <= bounds.right():
                    specs.append((pen, QPointF(x, grid_top), QPointF(x, bounds.top() + TICK_PX)))
        return specs

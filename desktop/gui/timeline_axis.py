"""The timeline's date axis: calendar ticks at every scale, in one or two rows.

The first row labels the finest ticks that fit ("Jan", "17", "15:30",
"500 BC"); the second gives their context (the year under the months, the
month under the days), its label held at the left edge while its period is in
view. Labels are measured before they are placed: the level chosen is the
finest whose labels keep ``LABEL_GAP_PX`` apart, and a label that would run
past the axis or into another is left out, never drawn over.

The axis follows the layout's TimeScale: where long empty stretches are
drawn shorter, each stretch of the axis gets the ticks its own scale allows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen

from .calendar_ticks import LEVELS, Level, context_starts, context_texts, period_text
from .timeline_layout import TimeScale

LABEL_GAP_PX = 12  # between two labels in a row
MIN_TICK_PX = 56  # ticks closer than this crowd the eye even when their labels fit
WIDE_PX = 120
YEAR_LEVEL = Level("Y", 1)  # a stretch of the axis narrower than this is named as a whole
TICK_PX = 5
ROW_GAP_PX = 2
EDGE_PAD_PX = 6  # inside a count's pill, either side of its text
CONTEXT_PAD_PX = 3  # a context label starts this far right of its period's start
GRID_ALPHA = (26, 60)  # fine ticks, context boundaries
WIDTHS_KEPT = 5_000


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
        px_per_x = bounds.width() / (x1 - x0)
        left = bounds.left()

        def px(x):  # noqa: ANN001, ANN202
            return left + (np.asarray(x) - x0) * px_per_x

        scale = self._scale
        fine: list[tuple[float, str, float]] = []  # x pixel, text, time
        ticks: list[float] = []
        context: list[tuple[float, float, str]] = []  # period start pixel, piece start pixel, text
        named = ""
        for xa, xb in scale.pieces(x0, x1):
            ta, tb = float(scale.t(xa)), float(scale.t(xb))
            if tb <= ta:
                continue
            if (xb - xa) * px_per_x < WIDE_PX:
                if (xb - xa) < (tb - ta) * 0.999:
                    continue  # a narrow shortened stretch is left to its hatching
                # A narrow stretch of plain time (the weeks around a background
                # event) is named by the year starting in it, else as a whole, once.
                years = YEAR_LEVEL.ticks(ta, tb)
                if len(years):
                    where = px(scale.x(years)).tolist()
                    ticks.extend(where)
                    texts = YEAR_LEVEL.texts(years)
                    fine.extend(zip(where, texts, years.tolist(), strict=True))
                    named = texts[-1]
                else:
                    text = period_text(ta, tb - 1)
                    if text != named:
                        # Not a tick: it may move to stay whole at the axis's ends.
                        at = float(px((xa + xb) / 2))
                        half = self._width(text) / 2
                        at = min(max(at, left + half), bounds.right() - half)
                        fine.append((at, text, (ta + tb) / 2))
                    named = text
                continue
            named = ""
            px_per_s = (xb - xa) * px_per_x / (tb - ta)
            chosen = self._level(ta, tb, px_per_s, scale, px)
            if chosen is None:
                continue
            level, times, where, texts = chosen
            ticks.extend(where.tolist())
            fine.extend(zip(where.tolist(), texts, times.tolist(), strict=True))
            if self._rows > 1 and level.context is not None:
                starts = context_starts(level.context, ta, tb)
                names = context_texts(level.context, starts)
                begins = px(scale.x(starts)) if len(starts) else np.zeros(0)
                start_px = float(px(xa))
                context.extend((float(a), start_px, n) for a, n in zip(begins, names, strict=True))

        tick_specs = self._tick_specs(ticks, context, bounds, view)
        line = self._metrics.height()
        top = bounds.top() + TICK_PX + 1
        text_specs = []
        right = bounds.right()
        self._edge_boxes = []
        for side, text in zip((-1, 1), self._edge_texts, strict=True):
            if text:
                w = self._width(text) + 2 * EDGE_PAD_PX
                x = left if side < 0 else right - w
                self._edge_boxes.append((side, QRectF(x, top - 1, w, line + 2)))
        # The counts take the ends of the row; tick labels keep clear of them.
        for side, box in self._edge_boxes:
            if side < 0:
                left = box.right() + LABEL_GAP_PX / 2
            else:
                right = box.left() - LABEL_GAP_PX / 2
        placed: list[tuple[float, float]] = []
        for x, text, time in sorted(fine):
            w = self._width(text)
            a, b = x - w / 2, x + w / 2
            if a < left or b > right or (placed and a < placed[-1][1] + LABEL_GAP_PX):
                continue
            placed.append((a, b))
            rect = QRectF(a, top, w, line)
            text_specs.append((rect, Qt.AlignmentFlag.AlignCenter, text))
            self._drawn.append((0, text, rect))
            self._ticks.append(time)
        if context:
            bounds_left, bounds_right = bounds.left(), bounds.right()
            text_specs.extend(
                self._context_specs(context, bounds_left, bounds_right, top + line + ROW_GAP_PX)
            )
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

    def _level(self, ta: float, tb: float, px_per_s: float, scale: TimeScale, px):  # noqa: ANN001, ANN202
        """The finest level whose labels keep apart over [ta, tb], with its ticks."""
        smallest = max(self._width("00") + self._gap, MIN_TICK_PX)
        for level in LEVELS:
            if level.spacing * px_per_s < smallest:
                continue
            times = level.ticks(ta, tb)
            if not len(times):
                if level.unit == "Y":
                    return None  # no round year in this stretch at any coarser level either
                continue
            texts = level.texts(times) if self._rows > 1 else level.texts_in_context(times)
            where = px(scale.x(times))
            if self._apart(where, texts):
                return level, times, where, texts
        return None

    def _apart(self, where: np.ndarray, texts: list[str]) -> bool:
        half = np.array([self._width(t) / 2 for t in texts])
        room = np.diff(where) - half[:-1] - half[1:]
        return bool(np.all(room >= self._gap))

    def _context_specs(self, context, left: float, right: float, top: float) -> list:  # noqa: ANN001
        """The second row: each period's name at its start, the current one held at the
        left edge until the next pushes it out."""
        items: list[tuple[float, str]] = []
        for start, piece_left, text in sorted(context):
            x = max(start, piece_left, left) + CONTEXT_PAD_PX
            if items and items[-1][1] == text:
                continue  # the same period, seen again across a break
            items.append((x, text))
        specs = []
        line = self._metrics.height()
        kept_right = -np.inf
        for k, (x, text) in enumerate(items):
            w = self._width(text)
            nxt = items[k + 1][0] if k + 1 < len(items) else right + LABEL_GAP_PX
            x = min(x, nxt - LABEL_GAP_PX - w)  # pushed out by the next period's name
            if x < left or x < kept_right + LABEL_GAP_PX or x + w > right:
                continue
            kept_right = x + w
            rect = QRectF(x, top, w, line)
            specs.append((rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text))
            self._drawn.append((1, text, rect))
        return specs

    def _tick_specs(self, ticks, context, bounds: QRectF, view) -> list:  # noqa: ANN001
        color = QColor(self.pen().color())
        specs = []
        grid_top = bounds.top()
        if view is not None and self._grid_on:
            grid_top = view.mapRectToItem(self, view.boundingRect()).top()
        for alpha, xs in ((GRID_ALPHA[0], ticks), (GRID_ALPHA[1], [c[0] for c in context])):
            grid = QColor(color)
            grid.setAlpha(alpha)
            pen = QPen(grid)
            pen.setCosmetic(True)
            for x in xs:
                if bounds.left() <= x <= bounds.right():
                    specs.append((pen, QPointF(x, grid_top), QPointF(x, bounds.top() + TICK_PX)))
        return specs

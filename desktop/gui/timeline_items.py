"""What the timeline draws besides its marks: labels, lane names, eras, breaks, edge counts.

Each is one graphics item drawing many things in one pass, in view
coordinates along the time axis and at fixed pixel sizes across it, so a
zoom moves them without rebuilding anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen

from .timeline_look import INK, LABEL_PAD_PX

LABEL_COLORS = ("#374151", "#111827")  # plain, selected (drawn bold)
MUTED = "#6b7280"
HINT_PX = 13  # the "▼ 4 more" line at an end of the lane names, when the lanes scroll


def color(hex_color: str, alpha: int = 255) -> QColor:
    c = QColor(hex_color)
    c.setAlpha(alpha)
    return c


def uncategorised(category: str) -> str:
    """A lane's name as written; an empty category says what it is."""
    return category if category.strip() else "uncategorised"


@dataclass(frozen=True, slots=True)
class Label:
    """One event label: where its event is (view coordinates) and how it reads."""

    x: float  # the event's place on the axis (clamped to the view's left edge)
    y: float  # lane plus or minus the label offset
    above: bool  # the text ends LABEL_PAD_PX above y, else starts that far below
    flipped: bool  # the text ends at x instead of starting there
    text: str
    width: float  # pixels, as laid out
    bold: bool  # a selected event
    event_id: str


class EventLabels(pg.GraphicsObject):
    """Every event label, drawn by one item in one pass.

    One item per label made every zoom pay to move each of them (their
    transforms follow the view) and every relabel pay to restyle them. Here a
    label is a point in view coordinates and a text drawn at fixed pixel
    size next to it, wherever the view maps that point.
    """

    def __init__(self) -> None:
        super().__init__()
        self._labels: list[Label] = []
        self._fonts = (QFont(), QFont())
        self._rect = QRectF()

    def set_bounds(self, rect: QRectF) -> None:
        """Where labels may be (the view's limits): a fixed rect, so no zoom hides them."""
        self.prepareGeometryChange()
        self._rect = QRectF(rect)

    def set_labels(self, labels: list[Label], font: QFont, bold: QFont) -> None:
        self._labels = labels
        self._fonts = (QFont(font), QFont(bold))
        self.update()

    def labels(self) -> list[Label]:
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


class BreakBands(pg.GraphicsObject):
    """The stretches of time drawn shorter: a light hatched band across the lanes each."""

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[float, float]] = []
        self._rect = QRectF()

    def set_spans(self, spans: list[tuple[float, float]], top: float, bottom: float) -> None:
        self.prepareGeometryChange()
        self._spans = spans
        if spans:
            lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
            self._rect = QRectF(lo, top, hi - lo, bottom - top)
        else:
            self._rect = QRectF()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt naming)
        return self._rect

    def paint(self, painter, *_args) -> None:
        if not self._spans:
            return
        to_device = painter.transform()
        painter.save()
        painter.resetTransform()
        fill = QBrush(color("#9ca3af", 46), Qt.BrushStyle.BDiagPattern)
        edge = QPen(color("#9ca3af", 150), 1, Qt.PenStyle.DashLine)
        edge.setCosmetic(True)
        for a, b in self._spans:
            rect = to_device.mapRect(QRectF(a, self._rect.top(), b - a, self._rect.height()))
            painter.fillRect(rect, color("#f3f4f6", 200))
            painter.fillRect(rect, fill)
            painter.setPen(edge)
            painter.drawLine(rect.topLeft(), rect.bottomLeft())
            painter.drawLine(rect.topRight(), rect.bottomRight())
        painter.restore()


class LaneAxis(pg.AxisItem):
    """The lanes' names on the left, every one of them, with a triangle that folds a lane.

    A folded lane is drawn thin, its events as small marks without labels; its
    name says how many events it holds. Clicking a name folds or unfolds it.
    """

    sigLaneClicked = Signal(int)
    sigScrolled = Signal(float)  # wheel notches over the names, when the lanes scroll

    def __init__(self) -> None:
        super().__init__(orientation="left")
        self._names: list[str] = []
        self._counts: list[int] = []
        self._centers = np.zeros(0)
        self._folded: set[int] = set()
        self._font = QFont()
        self._drawn: list[tuple[int, str, QRectF]] = []
        self._hints: list[str] = []
        self.setStyle(tickLength=0)

    def set_lanes(
        self, names: list[str], counts: list[int], centers: np.ndarray, folded: set[int]
    ) -> None:
        self._names, self._counts = names, counts
        self._centers, self._folded = np.asarray(centers, float), set(folded)
        self.picture = None
        self.update()

    def set_font(self, font: QFont) -> None:
        self._font = QFont(font)
        self.setStyle(tickFont=self._font)
        self.picture = None
        self.update()

    def label_rects(self) -> list[tuple[int, str, QRectF]]:
        """(lane, text, rect in this item's coordinates) of each lane name drawn last."""
        return list(self._drawn)

    def hints(self) -> list[str]:
        """How many lanes are scrolled out of view, as drawn last ("▼ 4 more")."""
        return list(self._hints)

    def text_of(self, lane: int) -> str:
        name = uncategorised(self._names[lane])
        if lane in self._folded:
            return f"▸ {name} ({self._counts[lane]:,})"
        return f"▾ {name}"

    def lane_at(self, y: float) -> int | None:
        for lane, _text, rect in self._drawn:
            if rect.top() - 3 <= y <= rect.bottom() + 3:
                return lane
        return None

    def generateDrawSpecs(self, p):  # noqa: N802 (pyqtgraph naming)
        self._drawn = []
        bounds = self.mapRectFromParent(self.geometry())
        axis_spec = (self.pen(), bounds.topRight(), bounds.bottomRight())
        view = self.linkedView()
        if view is None or not self._names:
            return axis_spec, [], []
        metrics = QFontMetricsF(self._font)
        specs = []
        width = bounds.width() - 8
        middles = [
            self.mapFromScene(view.mapViewToScene(QPointF(0, y))).y()
            for y in self._centers.tolist()
        ]
        # When the lanes scroll, the names keep clear of the hints at the ends.
        scrolled = any(not bounds.top() <= m <= bounds.bottom() for m in middles)
        room = bounds.adjusted(0, HINT_PX, 0, -HINT_PX) if scrolled else bounds
        above = below = 0
        for lane, local in enumerate(middles):
            text = metrics.elidedText(self.text_of(lane), Qt.TextElideMode.ElideRight, width)
            rect = QRectF(bounds.left() + 2, local - metrics.height() / 2, width, metrics.height())
            if not room.contains(rect.center()) or (scrolled and not room.contains(rect)):
                above += local < room.top()
                below += local > room.top()
                continue
            flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            specs.append((rect, flags, text))
            used = metrics.horizontalAdvance(text)
            self._drawn.append(
                (lane, text, QRectF(rect.right() - used, rect.top(), used, rect.height()))
            )
        # Lanes scrolled out of view: how many, where.
        self._hints = []
        for count, sign, y in ((above, "▲", bounds.top()), (below, "▼", room.bottom())):
            if count:
                hint = QRectF(bounds.left() + 2, y, width, HINT_PX)
                flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                specs.append((hint, flags, f"{sign} {count} more"))
                self._hints.append(f"{sign} {count} more")
        return axis_spec, [], specs

    def mouseClickEvent(self, event):  # noqa: N802 (Qt naming)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        lane = self.lane_at(event.pos().y())
        if lane is not None:
            event.accept()
            self.sigLaneClicked.emit(lane)

    def wheelEvent(self, event):  # noqa: N802 (Qt naming)
        event.accept()  # the names scroll the lanes (when they do not all fit), never zoom
        self.sigScrolled.emit(event.delta() / 120)

    def mouseDragEvent(self, event):  # noqa: N802 (Qt naming)
        event.ignore()


@dataclass(frozen=True, slots=True)
class Era:
    """One era band: its place on the axis, its row, and how it reads."""

    x0: float
    x1: float
    row: int
    text: str
    color: str
    event_id: str


class EraBands(pg.GraphicsObject):
    """Eras as thin labelled bands above the lanes, one row per overlap.

    The name is written inside its band, held at the view's left edge while
    the band reaches past it, and shortened to fit; a selected era is outlined.
    """

    def __init__(self) -> None:
        super().__init__()
        self._eras: list[Era] = []
        self._selected: set[str] = set()
        self._visible: set[str] | None = None
        self._font = QFont()
        self._rect = QRectF()
        self._drawn: list[tuple[str, str, QRectF]] = []

    def set_eras(self, eras: list[Era], font: QFont) -> None:
        self.prepareGeometryChange()
        self._eras = eras
        self._font = QFont(font)
        if eras:
            lo, hi = min(e.x0 for e in eras), max(e.x1 for e in eras)
            rows = max(e.row for e in eras) + 1
            self._rect = QRectF(lo, 0, hi - lo, rows)
        else:
            self._rect = QRectF()
        self.update()

    def set_marks(self, selected: set[str], visible: set[str] | None) -> None:
        """The selected eras (outlined) and the visible ones (None: all); others are faded."""
        self._selected, self._visible = selected, visible
        self.update()

    def rows(self) -> int:
        return max((e.row for e in self._eras), default=-1) + 1

    def drawn(self) -> list[tuple[str, str, QRectF]]:
        """(era id, text, rect in device pixels of the last paint) for each label drawn."""
        return list(self._drawn)

    def era_at(self, x: float, row: int) -> str | None:
        for era in self._eras:
            if era.row == row and era.x0 <= x <= era.x1:
                return era.event_id
        return None

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt naming)
        return self._rect

    def paint(self, painter, _option, widget=None) -> None:
        self._drawn = []
        if not self._eras:
            return
        to_device = painter.transform()
        view = self.getViewBox()
        if view is None:
            return
        shown = to_device.mapRect(view.viewRect())
        painter.save()
        painter.resetTransform()
        painter.setFont(self._font)
        metrics = QFontMetricsF(self._font)
        rects = [
            (e.row, to_device.mapRect(QRectF(e.x0, e.row + 0.1, e.x1 - e.x0, 0.8)))
            for e in self._eras
        ]
        for era, (_row, rect) in zip(self._eras, rects, strict=True):
            on = self._visible is None or era.event_id in self._visible
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color(era.color, 70 if on else 25))
            painter.drawRoundedRect(rect, 3, 3)
            if era.event_id in self._selected:
                pen = QPen(QColor(INK), 2)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(rect, 3, 3)
            self._label(painter, era, rect, shown, metrics, on, rects)
        painter.restore()

    def _label(self, painter, era: Era, rect: QRectF, shown: QRectF, metrics, on, rects) -> None:  # noqa: ANN001
        """The era's name inside its band; beside it when the band shows too little of
        itself, if the row is free there; else cut short inside."""
        inside = rect.intersected(shown).adjusted(6, 0, -6, 0)
        full = metrics.horizontalAdvance(era.text)
        box = None
        if full <= inside.width():
            box = QRectF(inside.left(), inside.top(), full, inside.height())
        else:
            for left in (rect.left() - 6 - full, rect.right() + 6):
                candidate = QRectF(left, rect.top(), full, rect.height())
                clear = not any(
                    row == era.row and r.intersects(candidate) for row, r in rects if r != rect
                )
                if clear and shown.contains(candidate):
                    box = candidate
                    break
        text = era.text
        if box is None:
            if inside.width() < metrics.horizontalAdvance("W…"):
                return
            text = metrics.elidedText(era.text, Qt.TextElideMode.ElideRight, inside.width())
            box = QRectF(
                inside.left(), inside.top(), metrics.horizontalAdvance(text), inside.height()
            )
        painter.setPen(QColor(INK if on else MUTED))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        self._drawn.append((era.event_id, text, box))


def era_rows(spans: list[tuple[float, float]]) -> list[int]:
    """A row for each span (in order) so that spans in a row do not overlap."""
    ends: list[float] = []
    rows = []
    for lo, hi in spans:
        row = next((r for r, end in enumerate(ends) if end <= lo), len(ends))
        if row == len(ends):
            ends.append(hi)
        else:
            ends[row] = hi
        rows.append(row)
    return rows

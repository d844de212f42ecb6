"""The timeline's date axis as drawn: labels that never collide, at every scale, BCE included."""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF

from desktop.core.dates import PartialDate
from desktop.core.model import Dataset, Event
from desktop.core.view_state import ViewState
from desktop.gui.timeline_axis import CalendarAxis
from desktop.gui.timeline_view import TimelineView

YEAR = 365.2425 * 86400
HOUR = 3600.0
# 20 zoom levels, each a view's width, from 3,000 years to one hour.
WIDTHS = np.geomspace(3000 * YEAR, HOUR, 20).tolist()
# What a tick or context label may say: a day, a year (BC or not), a month, a clock
# time, a day with its month and year, a month with its year, a stretch of years.
READS = re.compile(
    r"^(AD 1|\d{1,2}|\d{1,5}( BC)?|[A-Z][a-z]{2}|\d\d:\d\d|\d{1,2} [A-Z][a-z]{2} \d{1,5}( BC)?"
    r"|[A-Z][a-z]+ \d{1,5}( BC)?|\d{1,5}( BC)?–\d{1,5}( BC)?)$"
)


def at(text: str) -> float:
    return float(np.datetime64(text, "s").astype(np.int64))


CENTRES = {
    "17 January 2025": at("2025-01-17T09:30"),
    "500 BC": at("-0499-07-01T09:30"),  # astronomical -499 is 500 BC
}


def _assert_readable(labels: list[tuple[int, str, QRectF]], bounds: QRectF, where: str) -> None:
    first = [text for row, text, _ in labels if row == 0]
    assert len(first) >= 2, (where, labels)
    for k, (_row, text, box) in enumerate(labels):
        assert READS.match(text), (where, text)
        assert bounds.adjusted(-0.5, -0.5, 0.5, 0.5).contains(box), (where, text, box, bounds)
        for _other_row, other, other_box in labels[k + 1 :]:
            assert not box.intersects(other_box), (where, text, other)


@pytest.mark.parametrize("centre", list(CENTRES))
def test_tick_labels_never_overlap_from_three_thousand_years_to_an_hour(qtbot, centre) -> None:
    axis = CalendarAxis()
    plot = pg.PlotWidget(axisItems={"bottom": axis})
    qtbot.addWidget(plot)
    plot.resize(1200, 220)
    plot.show()
    middle = CENTRES[centre]
    bce_seen = 0
    for width in WIDTHS:
        plot.setXRange(middle - width / 2, middle + width / 2, padding=0)
        plot.grab()  # the axis lays its labels out when it paints
        labels = axis.label_rects()
        bounds = axis.mapRectFromParent(axis.geometry())
        _assert_readable(labels, bounds, f"{centre}, {width / YEAR:.6f} years")
        bce_seen += any("BC" in text for _row, text, _box in labels)
    if centre == "500 BC":
        assert bce_seen == len(WIDTHS)  # every zoom level says which era it is in


def test_the_second_row_gives_the_year_above_the_months(qtbot) -> None:
    axis = CalendarAxis()
    plot = pg.PlotWidget(axisItems={"bottom": axis})
    qtbot.addWidget(plot)
    plot.resize(1200, 220)
    plot.show()
    plot.setXRange(at("2024-05-10"), at("2025-03-05"), padding=0)
    plot.grab()
    rows = {0: [], 1: []}
    for row, text, box in axis.label_rects():
        rows[row].append((box.left(), text))
    assert [t for _, t in sorted(rows[0])][:3] == ["Jun", "Jul", "Aug"]
    # The year of the left edge is held at the edge; the next starts with its January.
    assert [t for _, t in sorted(rows[1])] == ["2024", "2025"]
    january = next(box for row, text, box in axis.label_rects() if text == "Jan")
    year = next(box for row, text, box in axis.label_rects() if text == "2025")
    assert abs(year.left() - january.center().x()) < january.width() + 10
    assert year.top() > january.bottom()


def _long_dataset() -> Dataset:
    """Events from AD 1 to 2025: the view may zoom out into BCE years."""
    years = [1, 9, 410, 800, 1066, 1215, 1453, 1492, 1648, 1789, 1914, 1945, 1989, 2001]
    events = [Event(f"y{y}", f"Year {y}", PartialDate(y), category="ages") for y in years]
    events.append(Event("d", "A day", PartialDate(2025, 1, 17), category="days"))
    events.append(Event("m", "A minute", PartialDate(2025, 1, 17, 9, 30), category="days"))
    return Dataset(events=events)


@pytest.mark.parametrize("centre", list(CENTRES))
def test_the_timeline_axis_reads_at_every_zoom(qtbot, centre) -> None:
    view = TimelineView(ViewState(_long_dataset()))
    qtbot.addWidget(view)
    view.resize(1300, 360)
    view.show()
    qtbot.waitUntil(lambda: view.drawn, timeout=5000)
    middle = CENTRES[centre]
    plot = view.plot_rect()
    for width in WIDTHS:
        view.show_times(middle - width / 2, middle + width / 2)
        view.grab()
        lo, hi = view.visible_x_range()
        assert lo < middle < hi
        labels = view.axis_label_rects()
        bounds = QRectF(plot.left(), plot.bottom(), plot.width(), 200)
        _assert_readable(labels, bounds, f"{centre}, {width / YEAR:.6f} years")
        # The counts of events beyond the edges take the ends of the axis, apart from it.
        for _side, box in view.edge_count_rects():
            assert not any(box.intersects(b) for _r, _t, b in labels)

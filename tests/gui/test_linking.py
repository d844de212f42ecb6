"""The window's views follow each other: timeline, map, list and detail through one state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

pytestmark = pytest.mark.gui


def test_timeline_click_selects_on_the_map_and_in_the_list(qtbot, window, page) -> None:
    point = window.timeline.event_point("assad-falls").toPoint()
    qtbot.mouseClick(window.timeline.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.state.selection == ("assad-falls",)
    assert window.timeline.selected_ids() == ["assad-falls"]
    assert window.table.selected_ids() == ["assad-falls"]
    assert "Assad toppled in Syria" in window.detail.toPlainText()
    qtbot.waitUntil(lambda: page("chronomap.state().selectedEvents") == ["assad-falls"])
    state = page("chronomap.state()")
    assert state["selectedPlaces"] == ["damascus"]
    marked = page(
        "Array.from(document.querySelectorAll('[data-place-id].selected'))"
        ".map(e => e.dataset.placeId)"
    )
    assert marked == ["damascus"]
    # Damascus is in view (the opening map holds it: the map need not move), labelled.
    south, west, north, east = page("chronomap.state().bounds")
    assert south < 33.5 < north and west < 36.3 < east
    assert "Damascus" in [label["text"] for label in page("chronomap.labels()")]

    # A click on an empty stretch of a lane clears the selection everywhere.
    transport = window.timeline.event_point("corridor-progress").toPoint()
    empty = QPoint(point.x(), transport.y())
    qtbot.mouseClick(window.timeline.viewport(), Qt.MouseButton.LeftButton, pos=empty)
    assert window.state.selection == ()
    qtbot.waitUntil(lambda: page("chronomap.state().selectedEvents") == [])


def test_marker_click_selects_in_the_timeline_and_the_list(qtbot, window, page) -> None:
    page(
        "document.querySelector('[data-place-id=\"kazan\"]')"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}))"
    )
    qtbot.waitUntil(lambda: window.state.selection == ("kazan-summit",), timeout=5000)
    assert window.timeline.selected_ids() == ["kazan-summit"]
    assert window.table.selected_ids() == ["kazan-summit"]
    assert "BRICS summit in Kazan" in window.detail.toPlainText()
    qtbot.waitUntil(lambda: page("chronomap.state().selectedPlaces") == ["kazan"])

    # A place holding many events selects all of them (those visible).
    page("chronomap.onPlaceClicked('tehran')")
    qtbot.waitUntil(lambda: len(window.state.selection) > 3, timeout=5000)
    assert all("tehran" in window.state.dataset.event(e).places for e in window.state.selection)
    assert sorted(window.table.selected_ids()) == sorted(window.state.selection)


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_brushing_a_window_hides_markers_and_rows_outside_it(qtbot, window, page) -> None:
    window.timeline.brush(_utc(2024, 10, 1), _utc(2024, 12, 31))
    inside = set(window.state.visible_ids())
    assert inside == set(window.table.shown_ids())
    assert {"kazan-summit", "assad-falls", "text-ready"} <= inside
    assert "treaty-signed" not in inside and "raisi-death" not in inside
    assert "treaty-signed" in window.timeline.faded_ids()
    qtbot.waitUntil(lambda: "vienna" not in page("chronomap.state().visiblePlaces"))
    shown = page(
        "Array.from(document.querySelectorAll('[data-place-id]')).map(e => e.dataset.placeId)"
    )
    assert "kazan" in shown and "damascus" in shown
    assert "vienna" not in shown and "varzaqan" not in shown
    # Each marker's number is the count of its events inside the window.
    counts = page(
        "Object.fromEntries(Array.from(document.querySelectorAll('.cm-marker'))"
        ".map(e => [e.dataset.placeId, Number(e.querySelector('.cm-count').textContent)]))"
    )
    dataset = window.state.dataset
    expected = {
        pid: sum(pid in dataset.event(e).places for e in inside) for pid in shown if pid in counts
    }
    assert expected and {pid: counts[pid] for pid in expected} == expected
    assert page("chronomap.state().visibleCount") == len(inside)
    assert "window 1 Oct – 30 Dec 2024" in window.status_message()
    assert f"{len(inside)} shown" in window.status_message()

    # Escape on the timeline clears the window: everything comes back.
    window.timeline.setFocus()
    qtbot.keyClick(window.timeline, Qt.Key.Key_Escape)
    assert window.state.window is None
    assert len(window.table.shown_ids()) == len(window.state.dataset.events)
    qtbot.waitUntil(lambda: "vienna" in page("chronomap.state().visiblePlaces"))


def test_shift_drag_on_the_timeline_brushes_a_window(qtbot, window) -> None:
    timeline = window.timeline
    a = timeline.event_point("kazan-summit").toPoint()
    b = timeline.event_point("assad-falls").toPoint()
    shift = Qt.KeyboardModifier.ShiftModifier
    viewport = timeline.viewport()
    heard: list[frozenset[str]] = []
    window.state.subscribe(heard.append)
    previews: list = []
    timeline.sigWindowChanged.connect(previews.append)
    bands: list = []
    # Pressed well before the first move's point: a drag of a pixel or two is no drag.
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, shift, QPoint(a.x() - 45, a.y()))
    start, end = a.x() - 30, b.x() + 30
    before = timeline.visible_x_range()
    view_box = timeline.getPlotItem().getViewBox()
    for step in range(1, 13):
        x = min(start + (end - start) * step // 10, end)
        qtbot.mouseMove(viewport, QPoint(x, a.y()))
        # pyqtgraph drops moves that come too fast: move at a human pace.
        qtbot.wait(25)
        band = timeline.window_region()
        edge = view_box.mapViewToScene(QPointF(timeline.x_of(band[1]), 0))
        assert abs(timeline.mapFromScene(edge).x() - x) <= 2  # the band follows the mouse
        bands.append(band)
        # A preview: the band moves, the state's window does not.
        assert window.state.window is None
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, shift, QPoint(end, a.y()))
    # One commit for the whole drag, however many moves it took.
    assert [c for c in heard if "window" in c] == [frozenset({"window"})]
    assert len(set(bands)) >= 8 and len(previews) >= 8
    assert "let go to apply" not in window.statusBar().currentMessage()
    assert window.state.window is not None, "no window"
    assert {"kazan-summit", "assad-falls"} <= set(window.state.visible_ids())
    assert "treaty-signed" not in window.state.visible_ids()
    assert window.state.selection == ()  # a brush is not a click
    assert timeline.visible_x_range() == before  # nor a pan


def test_search_narrows_every_view(qtbot, window, page) -> None:
    window.focus_search()
    assert window.filters.search_box.hasFocus()
    qtbot.keyClicks(window.filters.search_box, "baku")
    qtbot.keyClick(window.filters.search_box, Qt.Key.Key_Return)
    shown = window.table.shown_ids()
    assert shown and len(shown) < len(window.state.dataset.events)
    for eid in shown:
        event = window.state.dataset.event(eid)
        text = " ".join([event.title, event.summary, *event.places]).lower()
        assert "baku" in text
    faded = set(window.timeline.faded_ids())
    assert all(eid not in faded for eid in shown if eid in window.timeline.layout_data.row_of)
    assert "treaty-signed" in faded
    qtbot.waitUntil(lambda: "kazan" not in page("chronomap.state().visiblePlaces"))
    assert "baku" in page("chronomap.state().visiblePlaces")

    # A category toggle narrows further, in every view.
    window.filters.category_buttons()["diplomacy"].click()
    assert all(
        window.state.dataset.event(e).category != "diplomacy" for e in window.table.shown_ids()
    )


def test_keyboard_zoom_and_pan(qtbot, window) -> None:
    timeline = window.timeline
    timeline.setFocus()
    lo, hi = timeline.view_range()
    qtbot.keyClick(timeline, Qt.Key.Key_Plus)
    lo2, hi2 = timeline.view_range()
    assert hi2 - lo2 == pytest.approx((hi - lo) / 2, rel=0.02)
    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    lo3, _ = timeline.view_range()
    assert lo3 > lo2
    assert timeline.visible_x_range()[0] > timeline.time_at(lo2)
    qtbot.keyClick(timeline, Qt.Key.Key_Home)
    assert timeline.view_range() == pytest.approx((lo, hi), rel=1e-6)

"""The timeline's first frame: painted without numpy or pyqtgraph, where the
timeline then draws, and replaced by it without losing a click or a key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import fresh_python

pytestmark = pytest.mark.gui


def test_the_plain_layout_is_the_timelines(tmp_path: Path) -> None:
    from desktop.core.load import load_dataset
    from desktop.gui.first_frame_layout import first_layout
    from desktop.gui.timeline_layout import TimelineLayout
    from desktop.resources import builtin_dataset
    from tests.realworld import realworld_folder

    paths = [builtin_dataset()]
    folder = realworld_folder()
    if folder is not None:  # a long war's dates, and a thousand aftershocks
        paths += [folder / "roman_battles.csv", folder / "geonet_darfield_earthquakes.kml"]
    for path in paths:
        dataset = load_dataset(path).dataset
        plain, layout = first_layout(dataset), TimelineLayout.build(dataset)
        assert plain.categories == layout.categories
        assert [m.event_id for m in plain.marks] == list(layout.ids)
        assert [m.lane for m in plain.marks] == layout.lane.tolist()
        assert [m.kind for m in plain.marks] == layout.kind.tolist()
        for name, values in (("xl", layout.xl), ("xu", layout.xu), ("xc", layout.xc)):
            assert [getattr(m, name) for m in plain.marks] == pytest.approx(values.tolist())
        flat = [t for pair in layout.scale.breaks() for t in pair]
        assert [t for pair in plain.breaks() for t in pair] == pytest.approx(flat)
        assert plain.home_range() == pytest.approx(layout.home_range())
        assert [e.event.id for e in plain.eras] == [e.id for e in layout.eras]


def _window(qtbot, settings):
    from desktop.core.load import load_dataset
    from desktop.gui.main_window import MainWindow
    from desktop.resources import builtin_dataset

    window = MainWindow(settings=settings, first_frame=True)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    result = load_dataset(builtin_dataset())
    window.show_result(result, result.path, remember=False)
    qtbot.waitUntil(lambda: window.timeline_drawn, timeout=10_000)
    assert window.first_frame is not None and window.first_frame.isVisible()
    return window


def _colored(image, point, radius: int = 6) -> bool:
    """A saturated pixel within ``radius`` of ``point`` (a mark, not paper or text)."""
    from PySide6.QtGui import QColor

    x0, y0 = round(point.x()), round(point.y())
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            c = QColor(image.pixel(x0 + dx, y0 + dy))
            if c.hsvSaturation() > 90 and c.value() > 60:
                return True
    return False


def test_the_first_frame_paints_each_event_where_the_timeline_does(qtbot, settings) -> None:
    window = _window(qtbot, settings)
    frame = window.first_frame
    assert frame is not None
    image = frame.grab().toImage()
    events = [e for e in window.state.dataset.events if "era" not in (e.category, *e.tags)]
    points = {e.id: frame.event_point(e.id) for e in events}
    assert [eid for eid, p in points.items() if not _colored(image, p)] == []
    # Paper between the lanes: not painted everywhere.
    assert sum(_colored(image, p.__class__(p.x(), p.y() + 22), 0) for p in points.values()) < 5
    geometry = frame.geometry()

    timeline = window.timeline  # built now, in the frame's place
    assert window.first_frame is None
    assert timeline.geometry() == geometry and timeline.isVisible()
    qtbot.waitUntil(lambda: timeline.drawn, timeout=10_000)
    real = timeline.grab().toImage()
    for eid, point in points.items():
        there = timeline.event_point(eid)
        # The timeline reports whole pixels.
        assert abs(there.x() - point.x()) <= 2 and abs(there.y() - point.y()) <= 2, eid
        assert _colored(real, there)
    # The marks' pixels, painted by each: nearly all the same ones.
    from PySide6.QtGui import QColor

    def marks(img) -> set[tuple[int, int]]:
        rect = timeline.plot_rect().toRect()
        return {
            (x, y)
            for y in range(rect.top() + 2, rect.bottom() - 2, 2)
            for x in range(rect.left() + 2, rect.right() - 2, 2)
            if QColor(img.pixel(x, y)).hsvSaturation() > 90 and QColor(img.pixel(x, y)).value() > 60
        }

    before, after = marks(image), marks(real)
    assert len(before & after) >= 0.85 * len(after | before)


def test_the_first_frame_labels_the_events_the_timeline_labels(qtbot, settings) -> None:
    window = _window(qtbot, settings)
    frame = window.first_frame
    assert frame is not None
    texts = frame.label_texts()
    # A briefing's audience sees each flag from the first frame on.
    assert any(t.startswith("[background] ") for t in texts)
    assert any(t.startswith("[reported · background] ") for t in texts)
    assert any(t.startswith("[contested") for t in texts)
    boxes = {eid: box for eid, _, box, _ in frame.labels()}
    image = frame.grab().toImage()
    from PySide6.QtGui import QColor

    def inked(box) -> bool:  # dark text pixels inside a label's box
        r = box.toRect()
        return any(
            QColor(image.pixel(x, y)).value() < 120
            for y in range(r.top(), r.bottom())
            for x in range(r.left(), r.right())
        )

    assert all(inked(box) for box in boxes.values())
    timeline = window.timeline
    qtbot.waitUntil(lambda: timeline.drawn and bool(timeline.label_texts()), timeout=10_000)
    assert timeline.label_texts() == texts
    for eid, box in timeline.label_rects():
        assert abs(box.left() - boxes[eid].left()) <= 2 and abs(box.top() - boxes[eid].top()) <= 2


def test_the_first_frame_dates_its_axis_as_the_timeline_does(qtbot, settings) -> None:
    window = _window(qtbot, settings)
    frame = window.first_frame
    assert frame is not None
    axis = frame.axis_labels()
    overview = frame.overview_axis_labels()
    # Long gaps shortened: their years named, then the months of the story over their years.
    assert [t for r, t, _ in axis if r == 0][:3] == ["1991", "Mar 2001", "Jul 2015"]
    assert [t for r, t, _ in axis if r == 1] == ["2024", "2025", "2026"]
    assert "2045" in [t for _, t, _ in overview]
    image = frame.grab().toImage()
    from PySide6.QtGui import QColor

    def inked(box) -> bool:
        r = box.toRect()
        return any(
            QColor(image.pixel(x, y)).value() < 140
            for y in range(r.top(), r.bottom())
            for x in range(r.left(), r.right())
        )

    assert all(inked(box) for _, _, box in axis + overview)
    timeline = window.timeline
    qtbot.waitUntil(lambda: timeline.drawn and bool(timeline.axis_label_rects()), timeout=10_000)
    real = timeline.axis_label_rects()
    assert [(r, t) for r, t, _ in real] == [(r, t) for r, t, _ in axis]
    for (_, _, there), (_, _, here) in zip(real, axis, strict=True):
        assert abs(there.left() - here.left()) <= 2 and abs(there.top() - here.top()) <= 2


def test_a_dataset_with_bce_dates_opens_on_the_timeline_itself(
    qtbot, settings, tmp_path: Path
) -> None:
    from desktop.core.load import load_dataset
    from desktop.gui.main_window import MainWindow
    from desktop.gui.timeline_first_frame import fits_first_frame

    path = tmp_path / "rome.csv"
    path.write_text(
        "title,date,category\n"
        "Caesar crosses the Rubicon,49 BC,war\n"
        "Actium,31 BC,war\n"
        "Augustus dies,14 AD,politics\n",
        encoding="utf-8",
    )
    result = load_dataset(path)
    assert len(result.dataset.events) == 3
    # The plain calendar holds AD 1 to 9999: the timeline's own axis dates these.
    assert not fits_first_frame(result.dataset)
    window = MainWindow(settings=settings, first_frame=True)
    qtbot.addWidget(window)
    window.show()
    window.show_result(result, result.path, remember=False)
    assert window.first_frame is None
    assert window.timelines.currentWidget() is window.timeline


def test_a_click_on_the_first_frame_selects_in_the_timeline(qtbot, settings) -> None:
    from PySide6.QtCore import Qt

    window = _window(qtbot, settings)
    frame = window.first_frame
    assert frame is not None
    event = next(e for e in window.state.dataset.events if e.category == "transport")
    qtbot.mouseClick(frame, Qt.MouseButton.LeftButton, pos=frame.event_point(event.id).toPoint())
    assert window.first_frame is None
    assert tuple(window.state.selection) == (event.id,)
    qtbot.waitUntil(lambda: window.timeline.selected_ids() == [event.id])


def test_a_brush_begun_on_the_first_frame_sets_a_time_window(qtbot, settings) -> None:
    from PySide6.QtCore import QPoint, Qt

    window = _window(qtbot, settings)
    frame = window.first_frame
    assert frame is not None
    shift, left = Qt.KeyboardModifier.ShiftModifier, Qt.MouseButton.LeftButton
    start = QPoint(frame.width() // 2, frame.height() // 3)
    end = start + QPoint(200, 0)
    qtbot.mousePress(frame, left, shift, start)  # the press puts the timeline in
    assert window.first_frame is None
    viewport = window.timeline.viewport()
    for step in range(1, 11):  # the rest of the drag goes where the pointer is
        qtbot.mouseMove(viewport, start + (end - start) * step / 10)
        qtbot.wait(25)  # pyqtgraph drops moves that come too fast: a human pace
    qtbot.mouseRelease(viewport, left, shift, end)
    brushed = window.state.window
    assert brushed is not None
    lo, hi = brushed.epochs()
    timeline = window.timeline
    width = timeline.time_at(timeline.view_range()[1]) - timeline.time_at(timeline.view_range()[0])
    assert 0 < hi - lo < width


def test_a_key_pressed_on_the_first_frame_reaches_the_timeline(qtbot, settings) -> None:
    from PySide6.QtCore import Qt

    window = _window(qtbot, settings)
    frame = window.first_frame
    assert frame is not None
    frame.setFocus()
    qtbot.keyClick(frame, Qt.Key.Key_Plus)  # zoom in
    assert window.first_frame is None
    timeline = window.timeline
    lo, hi = timeline.view_range()
    home = timeline.layout_data.home_range()
    assert home is not None
    assert hi - lo == pytest.approx((home[1] - home[0]) / 2)
    assert timeline.hasFocus()
    # And the timeline goes on working: a brush sets the window, Escape clears it.
    qtbot.keyClick(timeline, Qt.Key.Key_Home)
    a, b = timeline.time_at(lo), timeline.time_at(hi)
    from desktop.core.view_state import TimeWindow

    window.state.set_window(TimeWindow.from_epochs(a, b))
    assert timeline.window_region() is not None
    qtbot.keyClick(timeline, Qt.Key.Key_Escape)
    assert window.state.window is None


def test_the_wheel_on_the_first_frame_zooms_the_timeline(qtbot, settings) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    window = _window(qtbot, settings)
    frame = window.first_frame
    assert frame is not None
    at = QPointF(frame.width() / 2, frame.height() / 3)
    wheel = QWheelEvent(
        at,
        frame.mapToGlobal(at),
        QPoint(),
        QPoint(0, 120),  # a notch away from the user: zoom in
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(frame, wheel)
    assert window.first_frame is None
    timeline = window.timeline
    home = timeline.layout_data.home_range()
    assert home is not None
    lo, hi = timeline.view_range()
    assert hi - lo < 0.95 * (home[1] - home[0])


def test_a_selection_made_before_the_swap_is_the_timelines(qtbot, settings) -> None:
    window = _window(qtbot, settings)
    frame = window.first_frame
    assert frame is not None
    place = next(p for e in window.state.dataset.events for p in e.places)
    window.map.bridge.placeClicked.emit(place)  # as a marker click on the map does
    selected = set(window.state.selection)
    assert selected
    ring = frame.grab().toImage()
    first = next(iter(selected))
    point = frame.event_point(first)
    # The ring drawn around it (dark ink, beside the mark).
    from PySide6.QtGui import QColor

    assert any(
        QColor(ring.pixel(round(point.x()) + dx, round(point.y()))).value() < 60 for dx in (9, 10)
    )
    assert sorted(window.timeline.selected_ids()) == sorted(selected)


def test_a_time_window_set_before_the_swap_is_the_timelines(qtbot, settings) -> None:
    from desktop.core.view_state import TimeWindow

    window = _window(qtbot, settings)
    span = window.state.span  # the frame reports its view, as the timeline does
    assert span is not None
    lo, hi = span
    window.state.set_window(TimeWindow.from_epochs(lo + (hi - lo) / 3, hi - (hi - lo) / 3))
    qtbot.waitUntil(lambda: window.first_frame is None)  # the frame paints no window
    assert window.timeline.visible_x_range() == pytest.approx(span, abs=86_400)
    assert window.timeline.window_region() is not None


def test_start_up_swaps_the_timeline_in_once_imported(qtbot, settings) -> None:
    from desktop.gui import app

    window = _window(qtbot, settings)
    app._timeline_after_first_frame(window)
    qtbot.waitUntil(lambda: window.first_frame is None, timeout=10_000)
    assert window.timelines.currentWidget() is window.timeline


def test_neither_numpy_nor_pyqtgraph_is_imported_for_the_first_frame(tmp_path: Path) -> None:
    # A reopen, as the start-up figure is: the first open builds the map page with
    # folium, which imports numpy (through branca); later opens read the page cached.
    code = (
        "import sys\n"
        "from desktop.gui.application import make_application\n"
        "app = make_application()\n"
        "from desktop.core.load import load_dataset\n"
        "from desktop.gui.main_window import MainWindow\n"
        "from desktop.resources import builtin_dataset\n"
        "from PySide6.QtCore import QSettings\n"
        "import tempfile\n"
        "s = QSettings(tempfile.mkdtemp() + '/s.ini', QSettings.Format.IniFormat)\n"
        "from pathlib import Path\n"
        f"w = MainWindow(settings=s, cache_dir=Path({str(tmp_path)!r}), first_frame=True)\n"
        "seen = []\n"
        "w.sigTimelineDrawn.connect(lambda: (seen.append(sorted(m for m in"
        " ('numpy', 'pyqtgraph') if m in sys.modules)), app.quit()))\n"
        "w.resize(1600, 1000); w.show()\n"
        "r = load_dataset(builtin_dataset()); w.show_result(r, r.path, remember=False)\n"
        "app.exec()\n"
        "print('first frame with', seen, w.first_frame is not None)\n"
    )
    fresh_python(code)  # the page built and cached
    assert "first frame with [[]] True" in fresh_python(code)


def test_lanes_that_do_not_fit_open_on_the_timeline_with_its_hints(qtbot, settings) -> None:
    """Too short for every lane: the timeline scrolls them and says how many are out of
    view; the first frame, which draws neither, gives way before anything is shown."""
    from desktop.core.load import load_dataset
    from desktop.gui.main_window import MainWindow
    from desktop.resources import builtin_dataset

    window = MainWindow(settings=settings, first_frame=True)
    qtbot.addWidget(window)
    window.resize(1085, 510)
    drawn_with_frame: list[bool] = []
    window.sigTimelineDrawn.connect(lambda: drawn_with_frame.append(window.first_frame is not None))
    window.show()
    result = load_dataset(builtin_dataset())
    window.show_result(result, result.path, remember=False)
    qtbot.waitUntil(lambda: window.first_frame is None and window.timeline_drawn, timeout=20_000)
    assert drawn_with_frame and not any(drawn_with_frame)
    assert any(h.startswith("▼ ") and h.endswith(" more") for h in window.timeline.lane_hints())

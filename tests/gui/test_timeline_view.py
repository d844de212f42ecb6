"""The timeline as drawn: labels that never overlap, hollow dots, density, the grid (offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage

from desktop.core.dates import PartialDate
from desktop.core.load import load_dataset
from desktop.core.model import Dataset, Event
from desktop.core.synthetic import make_dataset
from desktop.core.view_state import ViewState
from desktop.gui import timeline_view
from desktop.gui.label_placement import place_labels
from desktop.gui.timeline_view import LOD_MARKS, TimelineView
from desktop.mapview.palette import category_colors
from desktop.resources import builtin_dataset


def _timeline(qtbot, dataset, width: int = 1400, height: int = 420) -> TimelineView:
    state = ViewState(dataset)
    view = TimelineView(state, category_colors(dataset.categories()))
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitUntil(lambda: view.drawn, timeout=5_000)
    return view


def _settle(qtbot, view: TimelineView) -> QImage:
    """Let the relabel timer run, then grab what is on screen."""
    qtbot.waitUntil(lambda: not view._relabel.isActive(), timeout=1000)
    view._layout_labels()
    return view.grab().toImage()


def _plot_rect(view: TimelineView) -> QRectF:
    box = view.getPlotItem().getViewBox()
    return view.mapFromScene(box.sceneBoundingRect()).boundingRect().toRectF()


def _zoom(view: TimelineView, share: float) -> None:
    lo, hi = view.layout_data.extent()
    middle, half = (lo + hi) / 2, (hi - lo) * share / 2
    view.setXRange(middle - half, middle + half, padding=0)


@pytest.fixture(scope="module")
def crowded():
    return make_dataset(5000, n_places=50, years=30, seed=3)


def _assert_apart(boxes: list[tuple[str, QRectF]], plot: QRectF) -> None:
    assert boxes
    for k, (a, box) in enumerate(boxes):
        assert plot.adjusted(-1, -1, 1, 1).contains(box), (a, box, plot)
        for b, other in boxes[k + 1 :]:
            assert not box.intersects(other), (a, b, box, other)


@pytest.mark.parametrize("share", [1.0, 0.3, 0.05, 0.01, 0.002])
def test_labels_never_overlap_and_stay_inside_the_plot(qtbot, crowded, share) -> None:
    view = _timeline(qtbot, crowded)
    _zoom(view, share)
    _settle(qtbot, view)
    boxes = view.label_rects()
    _assert_apart(boxes, _plot_rect(view))
    # Every labelled event is (at least partly) in view.
    lo, hi = view.visible_x_range()
    layout = view.layout_data
    for event_id, _box in boxes:
        row = layout.row_of[event_id]
        assert layout.upper[row] >= lo and layout.lower[row] <= hi


def test_labels_are_drawn_where_they_are_laid_out(qtbot) -> None:
    view = _timeline(qtbot, load_dataset(builtin_dataset()).dataset)
    view._state.select(["assad-falls"])
    image = _settle(qtbot, view)
    boxes = dict(view.label_rects())
    assert "assad-falls" in boxes
    _assert_apart(list(boxes.items()), _plot_rect(view))
    for box in boxes.values():
        r = box.toAlignedRect()
        dark = sum(
            QColor(image.pixel(x, y)).lightness() < 140
            for x in range(r.left(), r.right())
            for y in range(r.top(), r.bottom())
        )
        assert dark > 8, box  # text pixels, not an empty box
    # The selected event's label is bold: wider than the same text in the plain face.
    title = view.layout_data.titles[view.layout_data.row_of["assad-falls"]]
    assert boxes["assad-falls"].width() > view._metrics.horizontalAdvance(title)


def test_labels_follow_the_view_and_the_selection(qtbot, crowded) -> None:
    view = _timeline(qtbot, crowded)
    _zoom(view, 0.01)
    _settle(qtbot, view)
    before = view.label_texts()
    _zoom(view, 0.002)
    _settle(qtbot, view)
    assert view.label_texts() != before
    lo, hi = view.visible_x_range()
    layout = view.layout_data
    inside = [
        layout.ids[i]
        for i in range(len(layout))
        if lo < layout.center[i] < hi and layout.lane[i] == 0
    ]
    view._state.select([inside[len(inside) // 2]])
    _settle(qtbot, view)
    assert inside[len(inside) // 2] in dict(view.label_rects())  # the selected one is labelled


def test_place_labels_puts_a_colliding_label_in_the_other_row_or_leaves_it_out() -> None:
    placed = place_labels(
        lanes=[0, 0, 0, 1], starts=[0, 20, 40, 25], widths=[50, 50, 50, 10],
        width_px=1000, limit=10, gap=10,
    )  # fmt: skip
    # The second label goes below lane 0; the third fits nowhere, not even
    # ending at its event; lane 1's label would share the row below lane 0
    # with the second, so it goes below lane 1.
    assert placed == [(0, 0, False, False), (1, 1, False, False), (3, 1, False, False)]
    flipped = place_labels([0], [990.0], [50.0], width_px=1000, limit=10, gap=10)
    assert flipped == [(0, 0, True, False)]


def test_place_labels_ends_a_label_at_its_event_or_shortens_it_when_the_right_is_taken() -> None:
    # Both rows of lane 0 are taken to the right of 300: the third label ends at its event.
    placed = place_labels(
        lanes=[0, 0, 0], starts=[310, 310, 300], widths=[100, 100, 120],
        width_px=1000, limit=10, gap=10,
    )  # fmt: skip
    assert placed[2] == (2, 0, True, False)
    # No room whole on either side, but room for its short form.
    placed = place_labels(
        lanes=[0, 0, 0], starts=[210, 210, 100], widths=[100, 100, 200],
        width_px=1000, limit=10, gap=10, short_widths=[60, 60, 90],
    )  # fmt: skip
    assert placed[2] == (2, 0, False, True)


def test_uncertain_dates_are_hollow_dots_and_exact_ones_solid(qtbot) -> None:
    view = _timeline(qtbot, load_dataset(builtin_dataset()).dataset)
    image = _settle(qtbot, view)
    layout = view.layout_data
    kinds = {"hollow": [], "solid": []}
    for row, event_id in enumerate(layout.ids):
        point = view.event_point(event_id)
        if _plot_rect(view).contains(point):
            kinds["hollow" if layout.kind[row] == 1 else "solid"].append(point)
    assert kinds["hollow"] and kinds["solid"]

    def center(point: QPointF) -> QColor:
        return QColor(image.pixel(point.toPoint()))

    assert any(center(p).lightness() > 240 for p in kinds["hollow"])  # white inside the ring
    assert all(center(p).lightness() < 200 for p in kinds["solid"])


def test_a_crowded_view_shows_density_and_zooming_in_brings_the_dots_back(qtbot, crowded) -> None:
    view = _timeline(qtbot, crowded)
    _zoom(view, 1.0)
    _settle(qtbot, view)
    assert len(crowded.events) > LOD_MARKS
    assert view._density.isVisible() and len(view._dots.data) == 0
    _zoom(view, 0.01)
    _settle(qtbot, view)
    assert not view._density.isVisible() and len(view._dots.data) > 0


def test_the_grid_marks_years_across_the_lanes(qtbot, crowded) -> None:
    view = _timeline(qtbot, crowded)
    _zoom(view, 1.0)
    image = _settle(qtbot, view)
    plot = _plot_rect(view)
    years = view.axis_tick_times()
    assert len(years) >= 4
    box = view.getPlotItem().getViewBox()

    def shade(seconds: float, y: int) -> int:
        x = round(view.mapFromScene(box.mapViewToScene(QPointF(seconds, 0))).x())
        return min(QColor(image.pixel(x + dx, y)).lightness() for dx in (-1, 0, 1))

    for year in years[1:-1]:
        # Where nothing else is drawn (white half a year on), the year is a faint line.
        rows = [
            y
            for y in range(int(plot.top()) + 1, int(plot.bottom()) - 1)
            if shade(year + 182 * 86400, y) >= 250
        ]
        assert len(rows) > 10, year
        assert all(shade(year, y) < 250 for y in rows), year


def _wheel(widget, at: QPointF, notches: int) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    event = QWheelEvent(
        at, widget.mapToGlobal(at), QPoint(0, 0), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_more_lanes_than_fit_scroll_and_every_name_can_be_read(qtbot) -> None:
    events = [
        Event(f"e{i}", f"Event {i}", PartialDate(2000 + i % 20, 1 + i % 12, 1 + i % 27),
              category=f"Category {i % 25:02d}")
        for i in range(120)
    ]  # fmt: skip
    view = _timeline(qtbot, Dataset(events=events), 1300, 420)
    _settle(qtbot, view)
    seen: set[str] = set()
    for _ in range(30):
        names = view.lane_label_rects()
        assert 5 <= len(names) < 25  # thin lanes would be unreadable: they scroll
        for k, (_c, _t, box) in enumerate(names):
            assert all(not box.intersects(b) for _, _, b in names[k + 1 :])
            assert box.height() >= view._metrics.height() - 1
        seen |= {c for c, _t, _b in names}
        assert view.lane_hints()  # "▼ 15 more": the reader knows there are more
        # Labels only where their lane is in view, apart.
        _assert_apart(view.label_rects(), _plot_rect(view))
        if len(seen) == 25:
            break
        _wheel(view.viewport(), names[0][2].center(), -2)  # over the names: scroll down
        _settle(qtbot, view)
    assert len(seen) == 25
    # The wheel over the lanes still zooms time, not the lanes.
    before = view.view_range()
    _wheel(view.viewport(), _plot_rect(view).center(), 1)
    assert view.view_range() != before


def test_redrawing_the_same_marks_adds_no_sprites(qtbot) -> None:
    # A window open all day redraws its marks thousands of times: the scatter
    # plots' sprite atlas must hold one sprite per look, not one per redraw.
    view = _timeline(qtbot, load_dataset(builtin_dataset()).dataset)
    state = view._state
    ids = [e.id for e in state.dataset.events]
    categories = sorted(state.dataset.categories())

    def sprites() -> int:
        return sum(len(item.fragmentAtlas._coords) for item in (view._dots, view._halo))

    def clicks() -> None:
        for n in range(12):
            state.select([ids[n % len(ids)]])
            state.set_category_shown(categories[n % len(categories)], n % 2 == 1)
            _settle(qtbot, view)

    clicks()
    looks = sprites()  # every look these clicks show has its sprite now
    clicks()
    clicks()
    assert sprites() == looks


def test_panning_all_over_a_large_dataset_keeps_a_bounded_number_of_label_widths(
    qtbot, crowded, monkeypatch
) -> None:
    # A long session brushes and pans all over a large dataset: the labels'
    # measured widths are kept up to a limit, not one per event ever labelled.
    monkeypatch.setattr(timeline_view, "LABEL_WIDTHS_KEPT", 150)
    view = _timeline(qtbot, crowded)
    lo, hi = view.layout_data.extent()
    width = (hi - lo) / 40
    labelled = set()
    for n in range(40):
        view.setXRange(lo + n * width, lo + (n + 1) * width, padding=0)
        _settle(qtbot, view)
        labelled.update(event_id for event_id, _box in view.label_rects())
        assert len(view._label_widths) <= 150
    # Far more labels than that were shown, and the last view still has its own.
    assert len(labelled) > 300
    assert view.label_rects()


def test_a_right_click_opens_no_plot_menu_and_none_is_built(qtbot) -> None:
    # pyqtgraph's context menus (its axis forms) are never shown here, so they are
    # never built either: a start-up saving that must not bring a menu back.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    view = _timeline(qtbot, load_dataset(builtin_dataset()).dataset)
    boxes = [view._vb, view._era_vb, view._overview.getViewBox()]
    assert [box.menu for box in boxes] == [None, None, None]
    for box in boxes:
        centre = view.mapFromScene(box.sceneBoundingRect().center())
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=centre)
        assert QApplication.activePopupWidget() is None

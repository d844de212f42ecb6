"""The timeline in the real window: every event on the overview, the story legible on open,
eras, lanes and the counts beyond the view's edges (offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage

from desktop.core import flags
from desktop.core.dates import PartialDate, to_epoch
from tests.realworld import realworld_copy, realworld_folder

pytestmark = pytest.mark.gui

# The events a briefing on the built-in story must show on one screen.
ANCHORS = {
    "treaty-2001": "the 2001 treaty",
    "raisi-death": "Raisi's death",
    "signing-delayed": "the delay",
    "treaty-signed": "the 17 January signing",
    "trump-inauguration": "the 20 January inauguration",
}


def _settle(qtbot, timeline) -> QImage:
    """Let the label layout that follows a move run, then grab what is on screen."""
    qtbot.waitUntil(lambda: not timeline._relabel.isActive(), timeout=2000)
    timeline._layout_labels()
    return timeline.grab().toImage()


def _marked(image: QImage, point: QPointF) -> bool:
    """A mark of colour at ``point`` (or a pixel beside it), not the strip's pale ground."""
    x, y = round(point.x()), round(point.y())
    return any(
        QColor(image.pixel(x + dx, y + dy)).lightness() < 225
        for dx in (-1, 0, 1)
        for dy in (-1, 0, 1)
        if 0 <= x + dx < image.width() and 0 <= y + dy < image.height()
    )


def _assert_overview_covers_every_event(qtbot, timeline, dataset) -> None:
    image = _settle(qtbot, timeline)
    lo, hi = timeline.overview_span()
    strip = timeline.overview_rect()
    layout = timeline.layout_data
    for row, event_id in enumerate(layout.ids):
        assert lo <= layout.lower[row] and layout.upper[row] <= hi, event_id
        point = timeline.overview_point(float(layout.center[row]), int(layout.lane[row]))
        assert strip.contains(point), event_id
        assert _marked(image, point), (event_id, point)
    for era, a, b in zip(layout.eras, layout.era_lower, layout.era_upper, strict=True):
        assert lo <= a and b <= hi, era.id
    drawn = len(layout) + len(layout.eras)
    assert drawn == len(dataset.events)


def test_the_opening_shows_the_whole_story_with_its_anchors_labelled(qtbot, window) -> None:
    timeline = window.timeline
    image = _settle(qtbot, timeline)
    plot = timeline.plot_rect()
    boxes = timeline.label_rects()
    labelled = dict(boxes)
    dataset = window.state.dataset
    for event_id, what in ANCHORS.items():
        assert event_id in labelled, f"{what} has no label"
        box = labelled[event_id]
        # Drawn whole: inside the lanes, on no other label, its text on screen.
        assert plot.contains(box), (what, box, plot)
        assert all(not box.intersects(b) for e, b in boxes if e != event_id), what
        r = box.toAlignedRect()
        ink = sum(
            QColor(image.pixel(x, y)).lightness() < 140
            for x in range(r.left(), r.right())
            for y in range(r.top(), r.bottom())
        )
        assert ink > 20, what
        # Said as written (shortened on a word at most), from its own title, after
        # its flag (background, reported, contested) when it has one.
        text = next(label.text for label in timeline._labels.labels() if label.event_id == event_id)
        title = dataset.event(event_id).title
        cue = flags.cue_text(dataset.event(event_id), dataset)
        if cue:
            assert text.startswith(f"[{cue}] "), (text, cue)
            text = text[len(cue) + 3 :]
        assert title.startswith(text.rstrip("…").rstrip()), (text, title)
        # Its event is in view, on its lane.
        point = timeline.event_point(event_id)
        assert plot.contains(point), what
    # Every event is in view on open: none hidden beyond an edge.
    assert timeline.edge_counts() == ("", "")
    # The empty decades before the story are drawn shorter, and say so on the axis.
    assert len(timeline.breaks()) >= 3
    texts = [t for _row, t, _box in timeline.axis_label_rects()]
    assert "1991" in texts and "Mar 2001" in texts and "2025" in texts
    _assert_overview_covers_every_event(qtbot, timeline, dataset)


def test_eras_are_a_thin_labelled_band_and_every_lane_is_named(qtbot, window) -> None:
    timeline = window.timeline
    image = _settle(qtbot, timeline)
    eras = timeline.era_label_rects()
    assert [(e, t) for e, t, _ in eras] == [
        ("treaty-term", "The treaty's 20-year term  ·  2025–2045")
    ]
    band = eras[0][2]
    plot = timeline.plot_rect()
    assert band.bottom() <= plot.top() + 1  # above the lanes
    # No wash over the lanes: between the dots, within the era's years, the lanes are white.
    feb = timeline.x_of(to_epoch(PartialDate(2025, 2, 10).lower()))
    x = round(timeline.mapFromScene(timeline.getPlotItem().getViewBox().mapViewToScene(
        QPointF(feb, 0))).x())  # fmt: skip
    transport = round(timeline.event_point("corridor-progress").y())
    assert QColor(image.pixel(x, transport)).lightness() >= 250
    # Every lane is named, exactly as the data writes its category.
    names = timeline.lane_label_rects()
    categories = sorted(c for c in window.state.dataset.categories() if c != "era")
    assert [c for c, _t, _b in names] == categories
    assert [t for _c, t, _b in names] == [f"▾ {c}" for c in categories]
    for k, (_c, _t, box) in enumerate(names):
        assert all(not box.intersects(b) for _, _, b in names[k + 1 :])


def test_a_lane_folds_when_its_name_is_clicked(qtbot, window) -> None:
    timeline = window.timeline
    _settle(qtbot, timeline)
    names = {c: box for c, _t, box in timeline.lane_label_rects()}
    before = {c: box.height() for c, box in names.items()}
    security = timeline.event_point("assad-falls").y()
    politics = timeline.event_point("raisi-death").y()
    qtbot.mouseClick(
        timeline.viewport(), Qt.MouseButton.LeftButton, pos=names["energy"].center().toPoint()
    )
    _settle(qtbot, timeline)
    assert timeline.folded_lanes() == {"energy"}
    texts = {c: t for c, t, _b in timeline.lane_label_rects()}
    assert texts["energy"] == "▸ energy (3)"
    assert len(before) == len(texts)
    energy_ids = {e.id for e in window.state.dataset.events if e.category == "energy"}
    assert not energy_ids & {e for e, _ in timeline.label_rects()}
    # The other lanes take the room it gave up.
    gap = timeline.event_point("assad-falls").y() - timeline.event_point("raisi-death").y()
    assert gap > security - politics
    # And a second click opens it again.
    names = {c: box for c, _t, box in timeline.lane_label_rects()}
    qtbot.mouseClick(
        timeline.viewport(), Qt.MouseButton.LeftButton, pos=names["energy"].center().toPoint()
    )
    assert timeline.folded_lanes() == set()


def test_events_beyond_the_view_are_counted_at_its_edges(qtbot, window) -> None:
    timeline = window.timeline
    dataset = window.state.dataset
    lo = to_epoch(PartialDate(2024, 11, 25).lower())
    hi = to_epoch(PartialDate(2025, 1, 10).lower())
    timeline.show_times(lo, hi)
    _settle(qtbot, timeline)
    layout = timeline.layout_data
    before = sum(1 for u in layout.upper if u < lo)
    after = sum(1 for a in layout.lower if a > hi)
    assert before and after
    assert timeline.edge_counts() == (f"◂ {before}", f"{after} ▸")
    # The handle on the overview is the view.
    assert timeline.overview_handle() == pytest.approx((lo, hi), abs=1)
    # A click on the left count brings the nearest earlier event into view.
    left = dict(timeline.edge_count_rects())[-1]
    qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=left.center().toPoint())
    _settle(qtbot, timeline)
    view_lo, view_hi = timeline.visible_x_range()
    kazan = dataset.event("text-ready")  # mid-November: the nearest before the view
    assert view_lo < to_epoch(kazan.start.lower()) < view_hi
    assert timeline.edge_counts()[0] == f"◂ {before - 1}"
    assert window.state.selection == ()  # a count is not an event


def test_dragging_the_overview_handle_pans_the_lanes_not_the_window(qtbot, window) -> None:
    timeline = window.timeline
    lo = to_epoch(PartialDate(2024, 6, 1).lower())
    hi = to_epoch(PartialDate(2024, 9, 1).lower())
    timeline.show_times(lo, hi)
    _settle(qtbot, timeline)
    heard: list[frozenset[str]] = []
    window.state.subscribe(heard.append)
    start = timeline.overview_point((lo + hi) / 2).toPoint()
    target = start + QPoint(-40, 0)
    viewport = timeline.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 9):
        qtbot.mouseMove(viewport, start + QPoint(-5 * step, 0))
        qtbot.wait(20)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=target)
    view_lo, view_hi = timeline.visible_x_range()
    assert view_lo < lo - 30 * 86400  # moved back by months
    assert view_hi - view_lo == pytest.approx(hi - lo, rel=0.01)  # not zoomed
    assert heard == []  # the state's window and selection are untouched
    assert window.state.span == pytest.approx((view_lo, view_hi))  # where it is, reported


def test_an_empty_timeline_shows_no_dates(qtbot, window, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "events.csv").write_text("id,title,start\n", encoding="utf-8")
    window.open_path(folder, remember=False)
    timeline = window.timeline
    _settle(qtbot, timeline)
    assert timeline.axis_label_rects() == []
    assert timeline.lane_label_rects() == []
    assert not timeline._overview.isVisible()
    assert timeline._empty.isVisible()


def _realworld_files() -> list[str]:
    folder = realworld_folder()
    if folder is None:
        return ["(none)"]
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.suffix in {".csv", ".json", ".geojson", ".kml", ".xlsx"}
    )


@pytest.mark.parametrize("name", _realworld_files())
def test_every_real_file_that_opens_has_every_event_on_the_overview(qtbot, window, tmp_path, name):
    path = realworld_copy(name, tmp_path)
    from desktop.core.load import load_dataset

    if not load_dataset(path).dataset.events:
        pytest.skip(f"{name} does not open with events yet")
    assert window.open_path(path, remember=False)
    timeline = window.timeline
    qtbot.waitUntil(lambda: timeline.drawn, timeout=20_000)
    _assert_overview_covers_every_event(qtbot, timeline, window.state.dataset)
    # The first view holds every event: none beyond its edges.
    assert timeline.edge_counts() == ("", "")
    labels = timeline.axis_label_rects()
    assert [t for r, t, _ in labels if r == 0], "no dates on the axis"
    for k, (_r, _t, box) in enumerate(labels):
        assert all(not box.intersects(b) for _, _, b in labels[k + 1 :])


def test_the_hundred_years_war_starts_by_900(qtbot, window, tmp_path) -> None:
    path = realworld_copy("timelinejs3_hundred_years_war.json", tmp_path)
    assert window.open_path(path, remember=False)
    timeline = window.timeline
    _settle(qtbot, timeline)
    lo, _hi = timeline.visible_x_range()
    assert lo <= to_epoch(PartialDate(900).lower())
    first = min((box.left(), t) for r, t, box in timeline.axis_label_rects() if r == 0)
    assert first[1] == "900"
    # Group names as written, and reigns as bars in their lanes (not eras).
    names = [c for c, _t, _b in timeline.lane_label_rects()]
    assert "Kings of England" in names and "Notable of France" in names
    assert [e.title for e in timeline.layout_data.eras] == ["Hundred Years' War"]
    assert "William I, the Conqueror" in timeline.label_texts()


def test_the_png_timeline_is_the_window_timeline(qtbot, window, tmp_path, monkeypatch) -> None:
    from desktop.gui.png_export import export_png
    from desktop.gui.snapshot import SnapshotWidget

    seen: dict = {}
    grab = SnapshotWidget.grab_exact

    def grab_and_look(self, size):
        timeline = self.timeline
        timeline._layout_labels()
        seen["span"] = timeline.visible_x_range()
        seen["breaks"] = timeline.breaks()
        seen["lanes"] = [t for _c, t, _b in timeline.lane_label_rects()]
        seen["eras"] = [t for _e, t, _b in timeline.era_label_rects()]
        seen["labels"] = {e for e, _ in timeline.label_rects()}
        seen["overview"] = timeline.overview_span()
        seen["plot"] = timeline.plot_rect()
        seen["boxes"] = timeline.label_rects()
        return grab(self, size)

    monkeypatch.setattr(SnapshotWidget, "grab_exact", grab_and_look)
    mine = window.timeline
    _settle(qtbot, mine)
    export_png(window.state.dataset, tmp_path / "out.png", window.state.frozen(), (1920, 1080))
    assert seen["span"] == pytest.approx(mine.visible_x_range(), rel=1e-9)
    assert seen["breaks"] == mine.breaks()
    assert seen["lanes"] == [t for _c, t, _b in mine.lane_label_rects()]
    assert seen["eras"] == [t for _e, t, _b in mine.era_label_rects()]
    assert seen["overview"] == mine.overview_span()
    assert set(ANCHORS) <= seen["labels"]
    plot: QRectF = seen["plot"]
    assert all(plot.contains(box) for _e, box in seen["boxes"])


def test_a_mark_at_one_end_of_the_strip_does_not_show_at_the_other() -> None:
    import numpy as np

    from desktop.gui.timeline_overview import density_image

    centers = np.array([99.9])  # in the strip's last column
    rgba = density_image(
        centers, np.array([0]), np.array([True]), 0.0, 100.0, 50, ["#336699"],
        [(4, slice(None))], floor=150, spread=2,
    )  # fmt: skip
    alpha = rgba[:, 0, 3]
    assert alpha[-3:].min() >= 150  # the mark, a few columns wide
    assert alpha[:-3].max() == 0  # and nothing wrapped round to the start

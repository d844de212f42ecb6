"""Ctrl-drag an event along the timeline: its date moves by whole steps of its precision,
previewed while dragging, one undoable edit on release; Escape cancels."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from desktop.core.dates import PartialDate
from desktop.core.load import load_dataset

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton


def x_at(timeline, seconds: float) -> float:
    """Where a time is drawn, in the timeline's viewport pixels."""
    box = timeline.getPlotItem().getViewBox()
    scene = box.mapViewToScene(QPointF(timeline.x_of(seconds), 0))
    return timeline.mapFromScene(scene).x()


def middle(date: PartialDate) -> float:
    return (date.lower_epoch() + date.upper_epoch()) / 2


def drag(qtbot, timeline, start: QPoint, end: QPoint, steps: int = 10, during=None) -> None:
    viewport = timeline.viewport()
    qtbot.mousePress(viewport, LEFT, CTRL, start)
    for step in range(1, steps + 1):
        point = start + (end - start) * step / steps
        qtbot.mouseMove(viewport, point)
        qtbot.wait(25)  # pyqtgraph drops moves that come too fast: a human pace
        if step == steps - 2 and during is not None:
            during()
    qtbot.mouseRelease(viewport, LEFT, CTRL, end)


def test_ctrl_drag_moves_a_month_event_by_whole_months(qtbot, win, copy: Path, tmp_path):
    timeline = win.timeline
    event = win.state.dataset.event("pezeshkian-elected")  # July 2024, month precision
    before_csv = (copy / "events.csv").read_bytes()
    start = timeline.event_point(event.id).toPoint()
    # To the middle of October 2024: three months on.
    dx = x_at(timeline, middle(PartialDate(2024, 10))) - x_at(timeline, middle(event.start))
    end = QPoint(start.x() + round(dx), start.y())
    seen: dict = {}

    def mid_drag() -> None:
        seen["preview"] = timeline.moving_to
        seen["status"] = win.statusBar().currentMessage()
        # The message has room: the counts on the right leave most of the bar to it.
        bar = win.statusBar()
        seen["room"] = bar.width() - win._status.width()
        seen["stored"] = win.state.dataset.event(event.id)
        win.grab().save(str(tmp_path / "mid-drag.png"))

    drag(qtbot, timeline, start, end, during=mid_drag)
    # While dragging: a preview of where it goes; the dataset untouched.
    assert seen["preview"] is not None and seen["preview"].start.precision == event.precision
    assert seen["stored"] == event
    assert seen["status"].startswith(f"Move “{event.title}” to ")
    assert "let go to apply, Esc cancels" in seen["status"]
    assert seen["room"] > win.statusBar().fontMetrics().horizontalAdvance(seen["status"])

    moved = win.state.dataset.event(event.id)
    assert moved.start == PartialDate(2024, 10)
    assert win.document.undo_action.text() == f"&Undo Move “{event.title}” to October 2024"
    assert win.state.selection == (event.id,)
    # The dot is drawn where it was let go.
    assert abs(timeline.event_point(event.id).x() - end.x()) <= 3
    assert win.isWindowModified()

    # Saved: the one row changes, the month as typed in the file.
    qtbot.keyClick(win, "s", modifier=CTRL)
    assert load_dataset(copy).dataset.event(event.id).start == PartialDate(2024, 10)
    after = (copy / "events.csv").read_bytes()
    pairs = zip(before_csv.splitlines(), after.splitlines(), strict=True)
    changed = [b for a, b in pairs if a != b]
    assert len(changed) == 1 and b",2024-10," in changed[0]

    win.document.undo_action.trigger()
    assert win.state.dataset.event(event.id) == event


def test_escape_cancels_a_drag_and_a_plain_drag_still_pans(qtbot, win):
    timeline = win.timeline
    event = win.state.dataset.event("treaty-signed")
    start = timeline.event_point(event.id).toPoint()
    undo = win.document.undo_action.text()
    timeline.setFocus()

    def escape() -> None:
        qtbot.keyClick(timeline, Qt.Key.Key_Escape)

    drag(qtbot, timeline, start, QPoint(start.x() + 150, start.y()), during=escape)
    assert win.state.dataset.event(event.id) == event
    assert win.document.undo_action.text() == undo and not win.isWindowModified()
    assert timeline.moving_to is None

    # Without Ctrl, the same drag pans the view and moves nothing.
    before = timeline.visible_x_range()
    viewport = timeline.viewport()
    qtbot.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 8):
        qtbot.mouseMove(viewport, QPoint(start.x() + 20 * step, start.y()))
        qtbot.wait(25)
    qtbot.mouseRelease(viewport, LEFT, Qt.KeyboardModifier.NoModifier, start + QPoint(140, 0))
    assert timeline.visible_x_range() != before
    assert win.state.dataset.event(event.id) == event


def test_the_help_menu_tells_of_the_move_gesture(qtbot, win, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text: shown.append(text))
    menus = {a.text(): a.menu() for a in win.menuBar().actions()}
    (keys,) = [a for a in menus["&Help"].actions() if a.text() == "&Mouse and Keys"]
    keys.trigger()
    assert "Ctrl+drag an event" in shown[0] and "Shift+drag the timeline" in shown[0]


def test_a_brushed_window_stays_drawn_through_a_move(qtbot, win) -> None:
    from datetime import UTC, datetime

    timeline = win.timeline
    timeline.brush(datetime(2024, 6, 1, tzinfo=UTC), datetime(2025, 3, 1, tzinfo=UTC))
    window = win.state.window
    band = timeline.window_region()
    assert window is not None and band is not None
    event = win.state.dataset.event("pezeshkian-elected")
    start = timeline.event_point(event.id).toPoint()
    dx = x_at(timeline, middle(PartialDate(2024, 9))) - x_at(timeline, middle(event.start))
    drag(qtbot, timeline, start, QPoint(start.x() + round(dx), start.y()))
    assert win.state.dataset.event(event.id).start == PartialDate(2024, 9)
    # The window is the same, and its band is still drawn over the same time.
    assert win.state.window == window
    after = timeline.window_region()
    assert after is not None and all(abs(a - b) < 86400 for a, b in zip(after, band, strict=True))

"""Another program saves the dataset while the window is open: the window follows within 1 s."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.core.view_state import Frame
from tests.helpers import answering, map_at_rest

pytestmark = pytest.mark.gui
Answer = QMessageBox.StandardButton


def retitle(events_csv: Path, event_id: str, title: str, rename: bool) -> None:
    """Give an event another title as an editor would: in place, or written and renamed."""
    text = events_csv.read_bytes().decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{event_id},"))
    cells = lines[at].split(",")
    cells[1] = title
    lines[at] = ",".join(cells)
    data = "".join(lines).encode("utf-8")
    if rename:
        temporary = events_csv.with_name("events.csv.tmp~")
        temporary.write_bytes(data)
        os.replace(temporary, events_csv)
    else:
        with open(events_csv, "r+b") as handle:
            handle.write(data)
            handle.truncate()


def at_rest(qtbot, win) -> None:
    map_at_rest(qtbot, win.map)


def test_an_outside_save_shows_within_a_second_keeping_the_view(qtbot, win, copy: Path) -> None:
    story = win.story
    story.show_step(4, animate=False)  # a story step on screen: selection, window, frame
    step = win.state.step
    assert step is not None
    selection, window = win.state.selection, win.state.window
    events = win.state.dataset.events
    other = next(e for e in events if e.id not in selection)
    win.state.set_category_shown(other.category, False)
    hidden = win.state.hidden_categories
    view = step.view
    assert view is not None
    # Once the map is where the step puts it (it reports its camera when there), and at
    # rest: a report still on its way from an earlier move would change the camera kept.
    at_rest(qtbot, win)
    qtbot.waitUntil(lambda: win.state.camera == view, timeout=5000)

    for rename, title in ((False, "Retitled in place"), (True, "Retitled by rename")):
        at_rest(qtbot, win)
        camera, seen = win.state.camera, win.timeline.visible_x_range()
        retitle(copy / "events.csv", other.id, title, rename)
        qtbot.waitUntil(lambda t=title: win.state.dataset.event(other.id).title == t, timeout=1000)
        assert win.state.selection == selection and win.state.window == window
        assert win.state.hidden_categories == hidden and win.state.step == step
        # The map and the timeline are asked to stay where they were, and do.
        assert win.state.frame == Frame(span=win.state.frame.span, camera=camera)
        assert win.state.frame.span == pytest.approx(seen)
        assert win.timeline.visible_x_range() == pytest.approx(seen)
        assert not win.isWindowModified()
        assert "Reloaded events" not in win.statusBar().currentMessage()  # the folder's name
        assert win.statusBar().currentMessage().startswith(f"Reloaded {copy.name}")


def test_outside_changes_with_unsaved_edits_ask_which_to_keep(
    qtbot, win, copy: Path, monkeypatch
) -> None:
    events = win.state.dataset.events
    first, other = events[0], events[5]
    win.state.select([first.id])
    win.events.duplicate_action.trigger()
    assert win.isWindowModified()
    asked: list[str] = []

    # Keep the edits: nothing reloads, nothing is dropped.
    monkeypatch.setattr(QMessageBox, "question", answering(asked, Answer.No))
    retitle(copy / "events.csv", other.id, "Changed outside", rename=True)
    qtbot.waitUntil(lambda: asked == ["Changed on disk"], timeout=1000)
    assert win.state.dataset.has_event(f"{first.id}-copy") and win.isWindowModified()
    assert win.state.dataset.event(other.id).title == other.title
    # Saving then writes the edited rows only: the outside change stays too.
    assert win.document.save()
    text = (copy / "events.csv").read_text(encoding="utf-8-sig")
    assert "Changed outside" in text and f"{first.id}-copy," in text

    # Reload: the outside version replaces the edits.
    win.state.select([first.id])
    win.events.duplicate_action.trigger()
    monkeypatch.setattr(QMessageBox, "question", answering(asked, Answer.Yes))
    retitle(copy / "events.csv", other.id, "Changed again", rename=False)
    qtbot.waitUntil(
        lambda: win.state.dataset.event(other.id).title == "Changed again", timeout=1000
    )
    assert asked == ["Changed on disk", "Changed on disk"]
    assert not win.state.dataset.has_event(f"{first.id}-copy-2")
    assert not win.isWindowModified()


def test_the_windows_own_save_is_not_taken_for_an_outside_change(qtbot, win, monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", answering(asked, Answer.Yes))
    win.state.select([win.state.dataset.events[0].id])
    win.events.duplicate_action.trigger()
    selection = win.state.selection
    assert win.document.save()
    qtbot.wait(600)  # longer than the watcher waits for files to settle
    assert asked == [] and win.state.selection == selection
    assert "Reloaded" not in win.statusBar().currentMessage()

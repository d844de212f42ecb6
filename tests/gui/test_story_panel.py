"""Building a story in the window: add the current view, edit, reorder, undo, save, reopen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.briefing import step_window
from desktop.core.load import load_dataset
from desktop.core.view_state import Camera, Frame
from desktop.resources import builtin_dataset
from tests.helpers import answering

pytestmark = pytest.mark.gui
Answer = QMessageBox.StandardButton


def map_state(qtbot, window) -> dict:
    import json

    box: list = []
    window.map.evaluate("JSON.stringify(chronomap.state())", box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=5000)
    return json.loads(box[0])


def fill_dialog(title: str, caption: str, notes: str) -> None:
    from desktop.gui.story_panel import StepDialog

    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, StepDialog)
    dialog.title.setText(title)
    dialog.caption.setPlainText(caption)
    dialog.notes.setPlainText(notes)
    dialog.accept()


def test_build_save_and_reopen_the_story(qtbot, win, copy: Path) -> None:
    panel = win.story
    originals = {p.name: p.read_bytes() for p in copy.iterdir()}
    assert panel.list.count() == 9
    assert panel.list.item(4).text().startswith("5. 17 January 2025: signed in Moscow")
    assert not win.document.save_action.isEnabled()

    # What the analyst looks at: one event, a brushed week, the map over the Caspian.
    win.state.select(["gas-via-azerbaijan"])
    win.timeline.brush(datetime(2025, 1, 13, tzinfo=UTC), datetime(2025, 1, 20, tzinfo=UTC))
    win.state.set_frame(Frame(camera=Camera(41.5, 50.0, 5)))
    qtbot.waitUntil(lambda: map_state(qtbot, win)["zoom"] == 5, timeout=5000)
    # The map reports where it is after every move: the state knows the camera.
    qtbot.waitUntil(lambda: win.state.camera == Camera(41.5, 50.0, 5), timeout=5000)
    panel.list.setCurrentRow(8)
    panel.add_action.trigger()
    assert len(panel.steps) == 10
    added = panel.steps[9]
    assert added.order == 10
    assert added.title == win.state.dataset.event("gas-via-azerbaijan").title
    assert added.events == ("gas-via-azerbaijan",)
    assert (added.start.iso(), added.end.iso()) == ("2025-01-13", "2025-01-19")
    assert added.view is not None
    assert (added.view.lat, added.view.lon, added.view.zoom) == (41.5, 50.0, 5.0)
    assert panel.list.currentRow() == 9 and win.document.save_action.isEnabled()

    # Edit its words in the dialog.
    QTimer.singleShot(0, lambda: fill_dialog("Gas through Baku", "Up to 55 bcm.", "Say why."))
    assert panel.edit_step(9)
    assert (panel.steps[9].title, panel.steps[9].caption, panel.steps[9].notes) == (
        "Gas through Baku",
        "Up to 55 bcm.",
        "Say why.",
    )
    assert panel.list.item(9).text().startswith("10. Gas through Baku")

    # Reorder: Up button, then a drag of the first step to third place.
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert [s.title for s in panel.steps][8] == "Gas through Baku"
    first = panel.steps[0].title
    assert panel.list.model().moveRow(QModelIndex(), 0, QModelIndex(), 3)
    qtbot.waitUntil(lambda: panel.steps[2].title == first, timeout=2000)
    assert [s.order for s in panel.steps] == list(range(1, 11))
    assert panel.list.item(2).text().startswith(f"3. {first}")

    # Undo the drag through the Edit menu; Redo puts it back; Undo again.
    assert win.document.undo_action in win.edit_menu.actions()
    assert win.document.undo_action.text() == "&Undo Move step"
    panel.undo_action.trigger()
    assert panel.steps[0].title == first
    panel.redo_action.trigger()
    assert panel.steps[2].title == first
    panel.undo_action.trigger()
    # Delete step 2, then undo it.
    panel.list.setCurrentRow(1)
    second = panel.steps[1]
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert len(panel.steps) == 9 and second not in panel.steps
    panel.undo_action.trigger()
    assert panel.steps[1] == second
    expected = panel.steps

    # Clicking a step shows it.
    item = panel.list.item(8)
    rect = panel.list.visualItemRect(item)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.state.selection == ("gas-via-azerbaijan",)
    assert win.state.window == step_window(win.state.dataset, expected[8])

    # Save (Ctrl+S): only story.csv changes, the old one kept as a backup.
    assert win.document.save_action.shortcut().toString() == "Ctrl+S"
    win.document.save_action.trigger()
    assert not win.document.modified and not win.document.save_action.isEnabled()
    assert not win.isWindowModified()
    assert (copy / "story.csv.bak").read_bytes() == originals["story.csv"]
    for name, data in originals.items():
        if name != "story.csv":
            assert (copy / name).read_bytes() == data, name
    reopened = load_dataset(copy)
    assert not reopened.errors
    assert reopened.dataset.story == expected
    original = load_dataset(builtin_dataset()).dataset
    assert reopened.dataset.events == original.events
    assert reopened.dataset.places == original.places
    assert reopened.dataset.sources == original.sources


def test_unsaved_story_asks_before_another_dataset_opens(qtbot, win, monkeypatch) -> None:
    panel = win.story
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert panel.modified and win.isWindowModified()
    asked: list[str] = []

    monkeypatch.setattr(QMessageBox, "question", answering(asked, Answer.Cancel))
    assert win.open_path(builtin_dataset()) is False
    assert asked == ["Unsaved edits"] and len(panel.steps) == 8
    monkeypatch.setattr(QMessageBox, "question", answering(asked, Answer.Discard))
    with qtbot.waitSignal(win.map.sigReady, timeout=30_000):
        assert win.open_path(builtin_dataset())
    assert len(panel.steps) == 9 and not panel.modified and not panel.undo_action.isEnabled()


def test_imported_format_saves_a_new_dataset(qtbot, win, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    source = tmp_path / "plain.csv"
    source.write_text(
        "date,title,place\n2024-05-19,Raisi dies,Tehran\n2025-01-17,Treaty signed,Moscow\n",
        encoding="utf-8",
    )
    with qtbot.waitSignal(win.map.sigReady, timeout=30_000):
        assert win.open_path(source)
    assert win.result.format not in ("csv-folder", "xlsx", "json")
    win.state.select([win.state.dataset.events[1].id])
    win.story.add_current_view()
    assert len(win.story.steps) == 1
    target = tmp_path / "with-story.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert win.document.save()
    assert source.read_text(encoding="utf-8").startswith("date,title,place")
    saved = load_dataset(target).dataset
    assert [s.title for s in saved.story] == ["Treaty signed"]
    assert len(saved.events) == 2
    # Later saves go into the new dataset.
    assert win.document.result.path == target and win.document.result.format == "json"

"""Saving from the window onto a full disk: one line in the error box, the files as they were,
and the story still unsaved (so it can be saved elsewhere)."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.resources import builtin_dataset
from tests.disks import full_disk, snapshot, untouched

pytestmark = pytest.mark.gui

FULL = "the disk is full; what was there is unchanged"


@pytest.fixture(params=["tmpfs", "patched"])
def on_full_disk(request, qtbot, tmp_path, settings, monkeypatch):
    """(window, dataset folder, make_full, error boxes): the built-in dataset opened from
    a folder whose disk is about to fill up."""
    from desktop.gui.main_window import MainWindow

    folder = tmp_path / "disk"
    with full_disk(request.param, folder, monkeypatch) as make_full:
        dataset = folder / "treaty"
        shutil.copytree(builtin_dataset(), dataset)
        shown: list[str] = []
        monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
        # The story stays unsaved: closing the window at the end discards it.
        discard = QMessageBox.StandardButton.Discard
        monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: discard)
        window = MainWindow(settings=settings, cache_dir=tmp_path / "cache")
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.map.sigReady, timeout=30_000):
            assert window.open_path(dataset)
        yield window, folder, make_full, shown


def test_saving_the_story_onto_a_full_disk(on_full_disk) -> None:
    window, folder, make_full, shown = on_full_disk
    panel = window.story
    panel.list.setCurrentRow(0)
    panel.delete_current()  # any change to save
    assert panel.modified
    before = snapshot(folder)
    make_full()
    window.document.save_action.trigger()
    dataset = folder / "treaty"
    assert shown == [f"Not saved: cannot write {dataset}: {FULL}"]
    assert panel.modified and window.document.save_action.isEnabled()
    assert window.isWindowModified()
    untouched(folder, before)


def test_saving_the_dataset_as_onto_a_full_disk(on_full_disk, monkeypatch) -> None:
    window, folder, make_full, shown = on_full_disk
    target = folder / "treaty.json"
    target.write_bytes(b'{"title": "last week"}')
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    before = snapshot(folder)
    make_full()
    assert window.document.save_as() is False
    assert shown == [f"Not saved: cannot write {target}: {FULL}"]
    untouched(folder, before)

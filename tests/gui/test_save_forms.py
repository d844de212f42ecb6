"""Saving through the window into a JSON file and a workbook: edit, Ctrl+S, reopen, compare.

Untouched events stay as they were (JSON: the same objects; workbook: the same
cells), edited ones read as typed, a deleted one is gone, a new one is last.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.dates import PartialDate
from desktop.core.load import load_dataset
from desktop.core.save import save_dataset
from tests.helpers import form_answer

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier


def edit_in_window(qtbot, win, path: Path) -> dict:
    """Open ``path``, then as an analyst would: retitle and redate one event in its form,
    delete another, add a source; Ctrl+S. Returns what was done."""
    assert win.open_path(path)
    assert win.document.result.format == path.suffix.lstrip(".") or path.is_dir()
    events = win.state.dataset.events
    edited, deleted = events[4].id, events[7].id

    def retime(dialog) -> bool:
        dialog.title.setText("US leaves the nuclear deal, 2018")
        dialog.start.setText("May 2018")
        return True

    win.events.run_dialog = form_answer(retime, [])
    win.state.select([edited])
    win.events.edit_action.trigger()
    win.state.select([deleted])
    win.events.delete_action.trigger()

    def source(dialog) -> bool:
        dialog.edit("publisher").setText("Tass")
        dialog.edit("title").setText("Duma ratifies the treaty")
        dialog.edit("date").setText("8 April 2025")
        return True

    win.sources.run_dialog = form_answer(source, [])
    win.sources.add_button.click()
    assert win.isWindowModified()
    win.setFocus()
    qtbot.keyClick(win, "s", modifier=CTRL)
    assert not win.isWindowModified()
    assert (path.with_name(path.name + ".bak")).is_file()
    return {"edited": edited, "deleted": deleted}


def check_reopened(path: Path, original_ids: list[str], done: dict) -> None:
    reopened = load_dataset(path)
    assert not reopened.errors
    data = reopened.dataset
    event = data.event(done["edited"])
    assert event.title == "US leaves the nuclear deal, 2018"
    assert event.start == PartialDate(2018, 5)
    assert not data.has_event(done["deleted"])
    assert [e.id for e in data.events] == [i for i in original_ids if i != done["deleted"]]
    assert data.sources["tass-duma-ratifies-the-treaty"].date == PartialDate(2025, 4, 8)


def test_json_saved_through_the_window(qtbot, win, tmp_path) -> None:
    path = tmp_path / "treaty.json"
    save_dataset(win.state.dataset, path)
    before = json.loads(path.read_text(encoding="utf-8"))
    ids = [e["id"] for e in before["events"]]
    done = edit_in_window(qtbot, win, path)
    after = json.loads(path.read_text(encoding="utf-8"))

    old = {e["id"]: e for e in before["events"]}
    new = {e["id"]: e for e in after["events"]}
    for ident, item in old.items():
        if ident not in (done["edited"], done["deleted"]):
            assert new[ident] == item, ident  # untouched: the same object
    assert new[done["edited"]]["start"] == "2018-05"
    assert new[done["edited"]]["title"] == "US leaves the nuclear deal, 2018"
    assert before["places"] == after["places"] and before["story"] == after["story"]
    assert after["sources"][: len(before["sources"])] == before["sources"]
    assert after["sources"][-1]["publisher"] == "Tass"
    check_reopened(path, ids, done)


def test_workbook_saved_through_the_window(qtbot, win, tmp_path) -> None:
    import openpyxl

    path = tmp_path / "treaty.xlsx"
    save_dataset(win.state.dataset, path)

    def cells(sheet: str) -> dict[str, list]:
        book = openpyxl.load_workbook(path)
        rows = [[c.value for c in row] for row in book[sheet].iter_rows()]
        header = rows[0]
        return {str(r[header.index("id")]): r for r in rows[1:]} | {"": header}

    before = cells("events")
    sources_before = cells("sources")
    places_before = cells("places")
    ids = [i for i in before if i]
    done = edit_in_window(qtbot, win, path)
    after = cells("events")
    for ident, row in before.items():
        if ident not in (done["edited"], done["deleted"]):
            assert after[ident] == row, ident  # untouched cells, the header too
    assert done["deleted"] not in after
    header = after[""]
    assert after[done["edited"]][header.index("start")] == "2018-05"
    assert cells("places") == places_before
    sources_after = cells("sources")
    assert {k: sources_after[k] for k in sources_before} == sources_before
    check_reopened(path, ids, done)

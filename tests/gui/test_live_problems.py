"""The problems panel follows the edits: fixing a problem removes it, an edit making one
shows it, Undo brings back what was there; the words are `chronomap validate`'s."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.core.editing import change_event, delete_events
from desktop.core.load import load_dataset

pytestmark = pytest.mark.gui


def panel_rows(win) -> list[tuple[str, ...]]:
    table = win.problems
    return [
        tuple(table.item(r, c).text() for c in range(table.columnCount()))
        for r in range(table.rowCount())
    ]


def with_confidence(folder: Path, event_id: str, word: str) -> None:
    """Write ``word`` as the event's confidence in events.csv, as an analyst would."""
    path = folder / "events.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    column = rows[0].index("confidence")
    for row in rows[1:]:
        if row[0] == event_id:
            row[column] = word
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")


@pytest.fixture
def doubtful(copy: Path) -> Path:
    with_confidence(copy, "jcpoa", "maybe")
    return copy


def test_fixing_a_problem_removes_it_and_a_new_one_appears(qtbot, doubtful, win, tmp_path):
    # (``doubtful`` is written before ``win`` opens the folder.)
    events_csv = str(doubtful / "events.csv")
    (validate,) = load_dataset(doubtful).problems
    assert "'maybe'" in validate.message
    assert panel_rows(win) == [
        ("warning", events_csv, str(validate.row), "confidence", validate.message)
    ]
    assert win.problems_dock.isVisible()
    assert win.problems_dock.windowTitle() == "Problems (0 errors, 1 warning)"

    # Fix it (as the form would): the warning goes after the edit.
    data = win.state.dataset
    jcpoa = data.event("jcpoa")
    with qtbot.waitSignal(win.problems.sigChanged):
        win.document.apply(change_event(data, replace(jcpoa, confidence="reported")))
    assert panel_rows(win) == []
    assert win.problems_dock.windowTitle() == "Problems"

    # A new problem: another event's confidence misspelt. Its row is its row in the file.
    data = win.state.dataset
    other = data.events[5]
    with qtbot.waitSignal(win.problems.sigChanged):
        win.document.apply(change_event(data, replace(other, confidence="confirmd")))
    rows = panel_rows(win)
    assert len(rows) == 1 and rows[0][2] == "7" and rows[0][3] == "confidence"
    assert "'confirmd'" in rows[0][4]

    # It reads as `chronomap validate` reads the saved file.
    win.document.save()
    saved = [p for p in load_dataset(doubtful).problems]
    assert [(p.path, str(p.row), p.column, p.message) for p in saved] == [
        (r[1], r[2], r[3], r[4]) for r in rows
    ]
    assert panel_rows(win) == rows

    # Undo twice: the first problem is back, the second gone.
    with qtbot.waitSignal(win.problems.sigChanged):
        win.document.undo_action.trigger()
        win.document.undo_action.trigger()
    rows = panel_rows(win)
    assert len(rows) == 1 and "'maybe'" in rows[0][4]

    # Deleting the event the problem is about removes the problem.
    with qtbot.waitSignal(win.problems.sigChanged):
        win.document.apply(delete_events(win.state.dataset, ["jcpoa"]))
    assert panel_rows(win) == []

    # A problem after a deleted row: once saved, at the row the saved file gives it.
    data = win.state.dataset
    last = data.events[-1]
    with qtbot.waitSignal(win.problems.sigChanged):
        win.document.apply(change_event(data, replace(last, confidence="sure")))
    assert panel_rows(win)[0][2] == str(len(data.events) + 2)  # jcpoa's row is still there
    win.document.save()
    (problem,) = load_dataset(doubtful).problems
    assert panel_rows(win) == [
        ("warning", events_csv, str(problem.row), "confidence", problem.message)
    ]
    assert problem.row == len(data.events) + 1
    win.problems_dock.grab().save(str(tmp_path / "problems.png"))


def test_a_new_event_with_a_problem_is_numbered_where_save_puts_it(qtbot, win, copy):
    from desktop.core.editing import add_event

    data = win.state.dataset
    new = replace(data.events[0], id="late", title="Late", confidence="sure")
    with qtbot.waitSignal(win.problems.sigChanged):
        win.document.apply(add_event(data, new))
    rows = panel_rows(win)
    assert len(rows) == 1 and rows[0][2] == str(len(data.events) + 2)
    win.document.save()
    (problem,) = load_dataset(copy).problems
    assert (str(problem.row), problem.message) == (rows[0][2], rows[0][4])

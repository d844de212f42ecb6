"""The import dialog, driven as a user would: change a column's role, open, see the events;
open the file again and the choice is remembered."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.core.load import load_dataset
from desktop.gui import import_dialog

pytestmark = pytest.mark.gui

# Names that say nothing, dates day-first with nothing over 12, and a second date column
# the guess takes for the event date: a table the window cannot read with confidence.
TABLE = (
    "when;note;what;lat;lon\n"
    "2021-01-01;03/04/2021;Bridge opened;45.5;9.2\n"
    "2021-01-01;05/06/2021;Strike began;41.9;12.5\n"
    "2021-01-01;07/08/2021;Talks resumed;48.2;16.4\n"
)


def _drive(qtbot, action):
    """Run ``action(dialog)`` on the import dialog once it is shown (it is modal)."""
    done = []

    def find() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "importDialog":
            QTimer.singleShot(50, find)
            return
        action(dialog)
        done.append(dialog)

    QTimer.singleShot(0, find)
    return done


def test_choose_a_role_open_and_reopen(qtbot, window, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(TABLE, encoding="utf-8")
    before = path.read_bytes()

    def choose(dialog) -> None:
        assert dialog.role_of("when") == "start"  # the guess
        assert [row[2] for row in dialog.preview_rows()] == [
            "Bridge opened",
            "Strike began",
            "Talks resumed",
        ]
        # The real date is in "note", day first: say so, and watch the preview follow.
        with qtbot.waitSignal(dialog.sigPreviewChanged):
            dialog.set_role("note", "start")
        assert dialog.role_of("when") == ""  # one column per role
        order = dialog.order_box
        order.setCurrentIndex(order.findData("day-first"))
        rows = dialog.preview_rows()
        # The preview says each date as readers read it (display.event_date).
        assert [r[0] for r in rows] == ["3 Apr 2021", "5 Jun 2021", "7 Aug 2021"]
        assert rows[0][1] == "day" and rows[0][4] == "45.5000, 9.2000"
        qtbot.mouseClick(
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Open),
            Qt.MouseButton.LeftButton,
        )

    done = _drive(qtbot, choose)
    with qtbot.waitSignal(window.sigDatasetOpened, timeout=30_000):
        assert import_dialog.import_file(window, path)
    assert done
    starts = sorted(e.start.iso() for e in window.state.dataset.events)
    assert starts == ["2021-04-03", "2021-06-05", "2021-08-07"]
    assert window.status_message().startswith("3 events")
    assert path.read_bytes() == before  # the file itself is never written
    side = json.loads((tmp_path / "log.chronomap.json").read_text(encoding="utf-8"))
    assert side["roles"]["start"] == "note" and side["date_order"] == "day-first"

    # Reopening (the window, and the command line's loader) uses the remembered mapping.
    with qtbot.waitSignal(window.sigDatasetOpened, timeout=30_000):
        assert window.open_path(path)
    assert sorted(e.start.iso() for e in window.state.dataset.events) == starts
    assert sorted(e.start.iso() for e in load_dataset(path).dataset.events) == starts

    # And the dialog shows it again as it was chosen.
    def check(dialog) -> None:
        assert dialog.role_of("note") == "start" and dialog.role_of("when") == ""
        assert dialog.order_box.currentData() == "day-first"
        dialog.reject()

    done = _drive(qtbot, check)
    assert import_dialog.import_file(window, path) is False  # cancelled: nothing opened
    assert done


def test_a_table_that_loses_rows_asks_before_opening(qtbot, window, tmp_path):
    path = tmp_path / "rough.csv"
    path.write_text("Datum,Ereignis\n17.01.2025,Vertrag\nnie,Gerücht\n", encoding="utf-8")

    def open_as_guessed(dialog) -> None:
        rows = dialog.preview_rows()
        assert [r[2] for r in rows] == ["Vertrag"]
        assert "1 of the first 2 rows" in dialog.status.text()
        dialog.accept()

    done = _drive(qtbot, open_as_guessed)
    with qtbot.waitSignal(window.sigDatasetOpened, timeout=30_000):
        assert window.open_path(path)
    assert done and [e.title for e in window.state.dataset.events] == ["Vertrag"]
    assert (tmp_path / "rough.chronomap.json").is_file()


def test_bce_battles_open_in_the_window(qtbot, window, tmp_path):
    from tests.realworld import realworld_copy

    path = realworld_copy("roman_battles.csv", tmp_path)
    with qtbot.waitSignal(window.timeline.sigDrawn, timeout=30_000):
        assert window.open_path(path)
    assert window.status_message().startswith("247 events")
    # The date axis reads years before AD 1 as such.
    window.timeline.grab()
    labels = [text for _row, text, _box in window.timeline.axis_label_rects()]
    assert any(label.endswith(" BC") for label in labels), labels
    # In the list, the first battle is dated as a reader writes it.
    assert window.table.shown_ids()[0] == "1"
    # 22 rows without coordinates are one line in the Problems panel.
    assert window.problems.rowCount() == 1
    assert window.problems.item(0, 2).text() == "rows 11, 101, 136, 170–171, 175, 191, … (22)"
    # A brushed window over BCE years shows the battles in it.
    from desktop.core.dates import PartialDate

    low, high = PartialDate(-300).lower_epoch(), PartialDate(-200).upper_epoch()
    timeline = window.timeline
    timeline._brushed(timeline.x_of(low), timeline.x_of(high), True)
    shown = window.state.visible_ids()
    years = sorted(window.state.dataset.event(i).start.year for i in shown)
    assert years and years[0] >= -300 and years[-1] <= -200

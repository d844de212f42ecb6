"""The Sources panel: list, add, edit, delete (asking when cited), cited by, undo, save."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.load import load_dataset
from tests.helpers import changed_lines, form_answer

pytestmark = pytest.mark.gui


def answer_source_form(win, fill) -> list:
    shown: list = []
    win.sources.run_dialog = form_answer(fill, shown)
    return shown


def open_sources(win, qtbot):
    win.sources_dock.toggleViewAction().trigger()
    qtbot.waitUntil(win.sources_dock.isVisible)
    # Room for the columns: as close to half the window as the map and list allow.
    qtbot.waitUntil(lambda: win.sources_dock.width() >= 500)
    return win.sources


def test_sources_are_listed_with_who_cites_them(qtbot, win) -> None:
    panel = open_sources(win, qtbot)
    data = win.state.dataset
    rows = panel.rows()
    assert [r[0] for r in rows] == [s.publisher for s in data.sources.values()]
    izvestia = rows[[s for s in data.sources].index("izvestia")]
    assert izvestia[1].startswith("Seal the Deal") and izvestia[2] == "January 2025"
    assert izvestia[3] == "13 events"

    panel.select_source("izvestia")
    citing = [e for e in data.events if "izvestia" in e.sources]
    assert len(panel.cited_by_titles()) == 13
    assert citing[0].title in panel.cited_by_titles()[0]
    assert panel.cited_label.text().startswith("Cited by 13 events")

    # Double-clicking an event under "Cited by" selects it in the window.
    item = panel.cited_by.item(2)
    panel.cited_by.itemDoubleClicked.emit(item)
    assert win.state.selection == (citing[2].id,)
    assert win.detail.isVisible()


def test_add_edit_delete_source_undo_and_save(qtbot, win, copy: Path, tmp_path) -> None:
    panel = open_sources(win, qtbot)
    before = (copy / "sources.csv").read_bytes()
    events_before = (copy / "events.csv").read_bytes()
    count = len(panel.rows())

    # Add: the form checks as the reader does; OK waits for publisher and title.
    def add(dialog) -> bool:
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not ok.isEnabled()
        assert dialog.message("publisher") == "publisher is empty: every row needs one"
        dialog.edit("publisher").setText("Reuters")
        dialog.edit("title").setText("Putin and Pezeshkian sign treaty")
        dialog.edit("date").setText("31 Febtember 2025")
        assert dialog.message("date") and not ok.isEnabled()
        dialog.edit("date").setText("17 January 2025")
        assert dialog.date_preview.text().startswith("17 January 2025 → 2025-01-17")
        dialog.edit("url").setText("https://example.org/treaty")
        dialog.edit("note").setText("Wire copy, written the same day")
        assert ok.isEnabled()
        return True

    answer_source_form(win, add)
    panel.add_button.click()
    rows = panel.rows()
    assert len(rows) == count + 1
    assert rows[-1] == (
        "Reuters",
        "Putin and Pezeshkian sign treaty",
        "17 Jan 2025",
        "0 events",
        "https://example.org/treaty",
        "Wire copy, written the same day",
    )
    assert win.document.undo_action.text() == "&Undo Add source “Putin and Pezeshkian sign treaty”"
    assert panel.selected_id() == "reuters-putin-and-pezeshkian-sign"

    # Edit the reliability note of an existing source.
    panel.select_source("wtn")

    def renote(dialog) -> bool:
        dialog.edit("note").setText("Trade press; checked against the Kremlin text")
        return True

    answer_source_form(win, renote)
    panel.edit_button.click()
    assert win.state.dataset.sources["wtn"].note == "Trade press; checked against the Kremlin text"
    assert win.document.undo_action.text().startswith("&Undo Edit source “")
    assert panel.rows()[[*win.state.dataset.sources].index("wtn")][5].startswith("Trade press")

    # Delete a cited source: the question names the events; No keeps it.
    panel.select_source("alliance")
    citing = [e.title for e in win.state.dataset.events if "alliance" in e.sources]
    asked: list[str] = []
    panel.confirm = lambda text: asked.append(text) or False
    panel.delete_button.click()
    assert len(asked) == 1 and "cited by 7 events" in asked[0]
    assert all(title[:40] in asked[0] for title in citing[:3])
    assert "alliance" in win.state.dataset.sources

    panel.confirm = lambda text: True
    panel.delete_button.click()
    data = win.state.dataset
    assert "alliance" not in data.sources
    assert not any("alliance" in e.sources for e in data.events)
    assert not any(c.source == "alliance" for c in data.citations)
    assert len(panel.rows()) == count  # one added, one deleted
    assert win.document.undo_action.text().startswith("&Undo Delete source “Russia and Iran")

    # Undo brings the source, the events' citing and the quotes back.
    win.document.undo_action.trigger()
    data = win.state.dataset
    assert "alliance" in data.sources and len(panel.rows()) == count + 1
    assert [e.title for e in data.events if "alliance" in e.sources] == citing
    win.document.redo_action.trigger()

    # Save: only the edited rows change; reopen shows the same sources.
    qtbot.keyClick(win, "s", modifier=Qt.KeyboardModifier.ControlModifier)
    assert not win.isWindowModified()
    diff = changed_lines(before, (copy / "sources.csv").read_bytes())
    assert len([line for line in diff if line.startswith("-")]) == 2  # wtn edited, alliance gone
    assert len([line for line in diff if line.startswith("+")]) == 2  # wtn, reuters added
    assert any("Reuters" in line for line in diff)
    events_diff = changed_lines(events_before, (copy / "events.csv").read_bytes())
    assert len(events_diff) == 2 * len(citing)  # only the events that cited it
    reopened = load_dataset(copy)
    assert not reopened.errors
    assert reopened.dataset.sources == win.state.dataset.sources
    panel.select_source("izvestia")
    win.grab().save(str(tmp_path / "sources.png"))

"""Authoring in the window: the event form, undo, save back, the title bar and closing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.core.load import load_dataset
from tests.helpers import answering, changed_lines, form_answer

pytestmark = pytest.mark.gui
Answer = QMessageBox.StandardButton


def answer_form(win, fill) -> list:
    """Answer the next event forms with ``fill(dialog)``; returns the dialogs shown."""
    shown: list = []
    win.events.run_dialog = form_answer(fill, shown)
    return shown


def test_the_form_reads_dates_as_analysts_write_them(qtbot, win, copy: Path, tmp_path) -> None:
    from desktop.gui.event_form import EventDialog

    data = win.state.dataset
    event = data.events[3]
    dialog = EventDialog(data, event)
    qtbot.addWidget(dialog)
    dialog.start.setText("mid-November 2024")
    assert dialog.start_preview.text() == "mid-November 2024 → 2024-11: month, approximate"
    dialog.end.setText("")
    assert dialog.made is not None and dialog.made.approximate
    assert dialog.made.start.iso() == "2024-11"

    # A date that would not load: the message `chronomap validate` gives for it.
    dialog.start.setText("31 Febtember 2024")
    broken = tmp_path / "broken"
    shutil.copytree(copy, broken)
    events_csv = broken / "events.csv"
    text = events_csv.read_text(encoding="utf-8-sig")
    events_csv.write_text(
        text.replace(f"{event.id},", f"{event.id},", 1).replace(
            event.start.iso(), "31 Febtember 2024", 1
        ),
        encoding="utf-8",
    )
    expected = [p.message for p in load_dataset(broken).errors if p.column == "start"]
    assert expected and dialog.message("start") == expected[0]
    assert dialog.made is None
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()

    # A title left empty, an unknown place: the reader's messages too.
    dialog.start.setText("2024-11-15")
    dialog.title.setText("")
    dialog.places.setText("atlantis")
    assert dialog.message("title") == "title is empty: every row needs one"
    assert "atlantis" in dialog.message("places")
    dialog.title.setText("Back")
    dialog.places.setText("")
    assert dialog.made is not None and dialog.message("title") == ""
    dialog.grab().save(str(tmp_path / "form.png"))


def test_edit_add_duplicate_delete_undo_and_save(qtbot, win, copy: Path) -> None:
    originals = {p.name: p.read_bytes() for p in copy.iterdir()}
    data = win.state.dataset
    shown = {s for step in data.story for s in step.events}
    target = next(e for e in data.events if e.id not in shown)
    count = len(data.events)
    assert not win.isWindowModified() and "[*]" in win.windowTitle()

    # Edit: select it, Edit Event…, change the date as an analyst would type it.
    win.state.select([target.id])
    window_before = win.state.window

    def retime(dialog) -> bool:
        dialog.start.setText("mid-November 2024")
        dialog.title.setText("Retimed, with a comma")
        return True

    answer_form(win, retime)
    win.events.edit_action.trigger()
    edited = win.state.dataset.event(target.id)
    assert edited.start.iso() == "2024-11" and edited.approximate
    assert win.state.selection == (target.id,) and win.state.window == window_before
    assert win.isWindowModified() and win.document.save_action.isEnabled()
    assert win.document.undo_action.text() == "&Undo Edit event “Retimed, with a comma”"

    # Undo and Redo through the Edit menu.
    assert win.document.undo_action in win.edit_menu.actions()
    win.document.undo_action.trigger()
    assert win.state.dataset.event(target.id) == target
    assert not win.isWindowModified()
    win.document.redo_action.trigger()
    assert win.state.dataset.event(target.id) == edited

    # New: a fresh id, typed fields, one source cited with its quote and locator.
    source = next(iter(data.sources))

    def new(dialog) -> bool:
        dialog.title.setText("Talks resume")
        dialog.start.setText("3 December 2024")
        dialog.category.setCurrentText("diplomacy-new")
        from desktop.gui.event_form import CitedSource

        dialog.add_citation(CitedSource(source, "talks resumed", "paragraph 2"))
        return True

    answer_form(win, new)
    added = win.events.new_event()
    assert added is not None and added.id == "event"
    assert win.state.dataset.event("event").sources == (source,)
    assert win.state.selection == ("event",)
    assert "diplomacy-new" in win.state.dataset.categories()

    # Duplicate the new one, then delete the duplicate and undo the delete.
    win.events.duplicate_action.trigger()
    assert win.state.selection == ("event-copy",)
    assert len(win.state.dataset.events) == count + 2
    win.events.delete_action.trigger()
    assert not win.state.dataset.has_event("event-copy")
    assert win.document.undo_action.text() == "&Undo Delete event “Talks resume”"
    win.document.undo_action.trigger()
    assert win.state.dataset.has_event("event-copy")
    win.state.select(["event-copy"])
    win.events.delete_action.trigger()

    # Save: only events.csv (and citations, if any) change; untouched rows byte-identical.
    win.document.save_action.trigger()
    assert not win.isWindowModified() and not win.document.save_action.isEnabled()
    assert (copy / "events.csv.bak").read_bytes() == originals["events.csv"]
    for name in ("places.csv", "sources.csv", "story.csv"):
        assert (copy / name).read_bytes() == originals[name], name
    changes = changed_lines(originals["events.csv"], (copy / "events.csv").read_bytes())
    assert len([c for c in changes if c.startswith("-")]) == 1
    assert [c.split(",")[0] for c in changes] == [f"-{target.id}", f"+{target.id}", "+event"]
    assert changes[1].startswith(f'+{target.id},"Retimed, with a comma",2024-11,')
    reopened = load_dataset(copy)
    assert not reopened.errors
    assert reopened.dataset.events == win.state.dataset.events


def test_closing_with_unsaved_edits_asks(qtbot, win, monkeypatch) -> None:
    win.state.select([win.state.dataset.events[0].id])
    win.events.duplicate_action.trigger()
    assert win.isWindowModified()
    asked: list[str] = []

    monkeypatch.setattr(QMessageBox, "question", answering(asked, Answer.Cancel))
    assert not win.close()
    assert asked == ["Unsaved edits"] and win.isVisible()
    monkeypatch.setattr(QMessageBox, "question", answering(asked, Answer.Discard))
    assert win.close()


def test_citations_are_edited_in_the_form_and_saved_with_their_quote(qtbot, win, copy) -> None:
    originals = {p.name: p.read_bytes() for p in copy.iterdir()}
    data = win.state.dataset
    cited = data.citations[1]
    event = data.event(cited.event)
    others = [c for c in data.citations if c.event == event.id and c != cited]
    win.state.select([event.id])
    shown: list = []

    def requote(dialog) -> bool:
        from desktop.gui.event_form import CitedSource

        shown.append([c.source for c in dialog.cited_sources()])
        rows = [
            CitedSource(c.source, "a new quote, with a comma", "paragraph 9")
            if c.source == cited.source
            else c
            for c in dialog.cited_sources()
        ]
        dialog.citations.setRowCount(0)
        for row in rows:
            dialog.add_citation(row)
        return True

    answer_form(win, requote)
    win.events.edit_action.trigger()
    assert shown == [list(event.sources)]
    now = win.state.dataset.citation(event.id, cited.source)
    assert now is not None and (now.quote, now.locator) == (
        "a new quote, with a comma",
        "paragraph 9",
    )
    assert win.document.undo_action.text() == f"&Undo Edit event “{event.title}”"
    win.document.undo_action.trigger()
    assert win.state.dataset.citation(event.id, cited.source) == cited
    win.document.redo_action.trigger()

    win.document.save_action.trigger()
    changes = changed_lines(originals["citations.csv"], (copy / "citations.csv").read_bytes())
    assert len(changes) == 2
    assert changes[1] == f'+{event.id},{cited.source},"a new quote, with a comma",paragraph 9,\r\n'
    assert changes[0].startswith(f"-{cited.event},{cited.source},")
    # The event's own row did not change (same sources), nor any other file.
    for name, data_bytes in originals.items():
        if name != "citations.csv":
            assert (copy / name).read_bytes() == data_bytes, name
    reopened = load_dataset(copy).dataset
    assert reopened.citation(event.id, cited.source) == now
    assert all(reopened.citation(c.event, c.source) == c for c in others)

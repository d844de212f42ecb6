"""Edits to a dataset and their inverses (the model under Undo and Redo)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.core.dates import PartialDate
from desktop.core.editing import (
    Edit,
    EditError,
    add_event,
    change_event,
    delete_events,
    duplicate_event,
    put_item,
)
from desktop.core.model import Dataset, Event, Place


def _dataset(n: int = 5) -> Dataset:
    events = [Event(f"e{i}", f"Event {i}", PartialDate(2000 + i % 5000)) for i in range(n)]
    places = {"p": Place("p", "Paris", lat=48.8, lon=2.3)}
    return Dataset(title="t", events=events, places=places)


def test_an_edit_returns_a_new_dataset_and_leaves_the_old_one_alone() -> None:
    data = _dataset()
    before = list(data.events)
    moved = replace(data.event("e1"), start=PartialDate(2010))
    edited = change_event(data, moved).apply(data)
    assert edited is not data and edited.events is not data.events
    assert data.events == before and data.event("e1").start == PartialDate(2001)
    assert edited.event("e1").start == PartialDate(2010)
    assert edited.places == data.places


def test_the_cached_index_and_date_order_follow_an_edit() -> None:
    # Indexes kept with the events list: warm them, edit, and they must not be stale.
    data = _dataset(10_001)
    assert data.event("e3").title == "Event 3"
    assert data.sorted_events()[0].id == "e0"
    moved = replace(data.event("e0"), title="Moved", start=PartialDate(9999))
    edited = change_event(data, moved).apply(data)
    assert edited.event("e0").title == "Moved"
    assert edited.sorted_events()[-1].id == "e0"
    assert edited.sorted_events()[0].id == "e10000"  # year 2000, ids in text order
    # The old dataset still answers as before (views holding it are not surprised).
    assert data.event("e0").title == "Event 0" and data.sorted_events()[0].id == "e0"


def test_undo_puts_back_exactly_what_was_there() -> None:
    data = _dataset()
    edits: list[Edit] = [
        add_event(data, Event("new", "New", PartialDate(1999)), after="e2"),
        delete_events(data, ["e0", "e3"]),
        duplicate_event(data, "e4"),
        change_event(data, replace(data.event("e2"), summary="changed")),
        put_item(data, "places", Place("q", "Quito", lat=-0.2, lon=-78.5)),
        put_item(data, "places", replace(data.places["p"], name="Paris, France")),
    ]
    for edit in edits:
        edited = edit.apply(data)
        assert edited != data
        assert edit.inverse().apply(edited) == data
        assert edit.apply(edit.inverse().apply(edited)) == edited


def test_rows_keep_their_order() -> None:
    data = _dataset()
    added = add_event(data, Event("new", "New", PartialDate(1999)), after="e2").apply(data)
    assert [e.id for e in added.events] == ["e0", "e1", "e2", "new", "e3", "e4"]
    copied = duplicate_event(data, "e1").apply(data)
    assert [e.id for e in copied.events][:3] == ["e0", "e1", "e1-copy"]
    deleted = delete_events(data, ["e1", "e3"])
    assert [e.id for e in deleted.apply(data).events] == ["e0", "e2", "e4"]
    assert [e.id for e in deleted.inverse().apply(deleted.apply(data)).events] == [
        f"e{i}" for i in range(5)
    ]


def test_edits_are_named_for_the_edit_menu() -> None:
    data = _dataset()
    assert change_event(data, data.event("e1")).name == "Edit event “Event 1”"
    assert delete_events(data, ["e1"]).name == "Delete event “Event 1”"
    assert delete_events(data, ["e1", "e2"]).name == "Delete 2 events"
    assert duplicate_event(data, "e1").name == "Duplicate event “Event 1”"


def test_an_edit_for_another_dataset_is_refused() -> None:
    data = _dataset()
    edit = change_event(data, replace(data.event("e1"), title="x"))
    other = change_event(data, replace(data.event("e1"), title="y")).apply(data)
    with pytest.raises(EditError):
        edit.apply(other)
    with pytest.raises(EditError):
        add_event(data, Event("e1", "again", PartialDate(2000)))


def test_deleting_a_source_uncites_it_and_undo_puts_everything_back() -> None:
    from desktop.core.editing import citing_events, delete_source
    from desktop.core.load import load_dataset
    from desktop.resources import builtin_dataset

    data = load_dataset(builtin_dataset()).dataset
    citing = citing_events(data, "alliance")
    quotes = [c for c in data.citations if c.source == "alliance"]
    assert citing and quotes
    edit = delete_source(data, "alliance")
    assert edit.name.startswith("Delete source “Russia and Iran deepen")
    after = edit.apply(data)
    assert "alliance" not in after.sources and not citing_events(after, "alliance")
    assert not [c for c in after.citations if c.source == "alliance"]
    # Every other source, citation and event is as it was, in its place.
    assert [s for s in after.sources] == [s for s in data.sources if s != "alliance"]
    assert [e.id for e in after.events] == [e.id for e in data.events]
    untouched = [e for e in data.events if "alliance" not in e.sources]
    assert all(after.event(e.id) is e for e in untouched)
    back = edit.inverse().apply(after)
    assert back.sources == data.sources and list(back.sources) == list(data.sources)
    assert back.events == data.events and back.citations == data.citations

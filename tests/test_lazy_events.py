"""Events read as columns are built only when something asks for them, and are the same
events the row reader builds: found by index and by id, edited and undone, saved."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from desktop.core import event_columns
from desktop.core.editing import add_event, change_event, delete_events
from desktop.core.formats.csv_folder import write_csv_folder
from desktop.core.formats.json_file import write_json_dataset
from desktop.core.formats.parquet_file import write_parquet_dataset
from desktop.core.lazy_events import LazyEvents
from desktop.core.load import load_dataset
from desktop.core.model import Dataset
from desktop.core.synthetic import make_dataset
from desktop.core.view_state import TimeWindow, ViewState
from desktop.resources import builtin_dataset


def _both(
    dataset: Dataset, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Dataset, Dataset]:
    """``dataset`` written as Parquet, read as columns (lazily) and row by row."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "events.parquet"
    write_parquet_dataset(dataset, path)
    lazy = load_dataset(path)
    assert not lazy.errors, lazy.problems
    with monkeypatch.context() as m:
        m.setattr(event_columns, "events_from_arrow", lambda *args: None)
        eager = load_dataset(path)
    assert isinstance(lazy.dataset.events, LazyEvents), "not read as columns"
    assert isinstance(eager.dataset.events, list)
    return lazy.dataset, eager.dataset


@pytest.fixture(params=["builtin", "synthetic"])
def pair(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Dataset, Dataset]:
    if request.param == "builtin":
        source = load_dataset(builtin_dataset()).dataset
    else:  # every precision, intervals, routes: 1,500 events
        source = make_dataset(1_500, n_places=60, n_sources=30, seed=3)
    return _both(source, tmp_path / request.param, monkeypatch)


def test_opening_builds_no_event(pair) -> None:
    lazy, _ = pair
    # Checked as it was read (background events' notes too) without building any, but
    # those a citation names (it must be among the event's sources).
    before = lazy.events.built()  # type: ignore[attr-defined]
    assert before == 0 or lazy.citations
    # What the window asks for as it opens, and a brush and a filter after it.
    state = ViewState(lazy)
    assert len(state.visible_ids()) == len(lazy.events)
    assert sum(state.place_counts().values()) > 0
    assert lazy.categories()
    first = lazy.categories()[0]
    state.set_hidden_categories([first])
    lower, upper = lazy.derived("spans", lambda: (None, None))
    middle = float(np.median(lower))
    state.set_window(TimeWindow.from_epochs(middle - 86400 * 365, middle))
    assert 0 < len(state.visible_ids()) < len(lazy.events)
    assert lazy.events.built() == before  # type: ignore[attr-defined]


def test_lazy_events_are_the_events_the_rows_give(pair) -> None:
    lazy, eager = pair
    assert len(lazy.events) == len(eager.events)
    # One by one, from the end, by slices, and all at once.
    for i in range(len(eager.events) - 1, -1, -1):
        assert lazy.events[i] == eager.events[i]
    assert lazy.events[-1] == eager.events[-1]
    assert lazy.events[3:40:7] == eager.events[3:40:7]
    assert list(lazy.events) == eager.events
    assert lazy == eager and eager == lazy
    # Every field, precision and label included (a dataclass compares them all, but
    # say so where a user would see them).
    for got, want in zip(lazy.events, eager.events, strict=True):
        assert got.start.precision == want.start.precision
        assert (got.date_label, got.note, got.summary) == (want.date_label, want.note, want.summary)
    # The same row gives the same event, and an id finds it without a walk.
    assert lazy.events[7] is lazy.events[7]
    for event in eager.events:
        assert lazy.event(event.id) == event
        assert lazy.has_event(event.id)
    assert not lazy.has_event("no-such-event")
    with pytest.raises(KeyError):
        lazy.event("no-such-event")
    assert lazy.sorted_events() == sorted(eager.events, key=lambda e: e.sort_key())


def test_an_edit_and_its_undo_on_lazy_events(pair) -> None:
    lazy, eager = pair
    target = lazy.events[len(lazy.events) // 2]
    edit = change_event(lazy, replace(target, title="Renamed in the editor"))
    edited = edit.apply(lazy)
    assert edited.event(target.id).title == "Renamed in the editor"
    assert [e.id for e in edited.events] == [e.id for e in eager.events]
    undone = edit.inverse().apply(edited)
    assert undone == eager
    # Deleting and adding, then undoing both, on the events as read.
    gone = delete_events(lazy, [lazy.events[0].id, lazy.events[-1].id])
    after = gone.apply(lazy)
    assert len(after.events) == len(eager.events) - 2
    assert gone.inverse().apply(after) == eager
    added = add_event(lazy, replace(target, id="added-here"), after=target.id)
    grown = added.apply(lazy)
    assert grown.event("added-here").title == target.title
    assert added.inverse().apply(grown) == eager


def test_a_save_of_lazy_events_equals_the_eager_save(pair, tmp_path: Path) -> None:
    lazy, eager = pair
    write_csv_folder(lazy, tmp_path / "lazy")
    write_csv_folder(eager, tmp_path / "eager")
    for file in sorted((tmp_path / "eager").iterdir()):
        assert (tmp_path / "lazy" / file.name).read_bytes() == file.read_bytes(), file.name
    write_json_dataset(lazy, tmp_path / "lazy.json")
    write_json_dataset(eager, tmp_path / "eager.json")
    assert (tmp_path / "lazy.json").read_bytes() == (tmp_path / "eager.json").read_bytes()

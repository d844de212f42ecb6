"""The per-event arrays views read say what the events say, and the views built on them
(timeline lanes and labels, map colours and counts) match an event-by-event reading."""

from __future__ import annotations

from collections import Counter

import pytest

from desktop.core import flags, view_state
from desktop.core.dates import PartialDate
from desktop.core.eras import is_era
from desktop.core.load import load_dataset
from desktop.core.marks import place_marks
from desktop.core.model import Dataset, Event, Place
from desktop.core.row_arrays import row_arrays
from desktop.core.synthetic import make_dataset
from desktop.core.view_state import ViewState
from desktop.gui.timeline_layout import TimelineLayout
from desktop.resources import builtin_dataset


def _datasets() -> dict[str, Dataset]:
    return {
        "builtin": load_dataset(builtin_dataset()).dataset,
        "synthetic": make_dataset(3_000, n_places=60, seed=3),
    }


DATASETS = _datasets()


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_arrays_say_what_each_event_says(name: str) -> None:
    dataset = DATASETS[name]
    rows = row_arrays(dataset)
    assert len(rows) == len(dataset.events) > 0
    for i, event in enumerate(dataset.events):
        assert rows.categories[rows.category[i]] == event.category
        assert rows.has_end[i] == (event.end is not None)
        assert rows.approximate[i] == event.approximate
        assert rows.no_day[i] == (event.start.day is None)
        held = rows.place_code[rows.place_start[i] : rows.place_start[i + 1]]
        assert tuple(rows.place_keys[k] for k in held) == event.places


def _reference_colours(dataset: Dataset) -> dict[str, str]:
    tallies: dict[str, Counter[str]] = {}
    for event in dataset.events:
        for pid in event.places:
            tallies.setdefault(pid, Counter())[event.category] += 1
    order = {c: i for i, c in enumerate(dataset.categories())}
    return {
        pid: min(tally, key=lambda c: (-tally[c], order.get(c, 0)))
        for pid, tally in tallies.items()
    }


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_map_colours_are_each_places_most_frequent_category(name: str) -> None:
    dataset = DATASETS[name]
    if dataset.measures:
        pytest.skip("sized by a measure: counted event by event")
    found = place_marks(dataset).categories
    expected = _reference_colours(dataset)
    assert found == expected
    assert list(found) == list(expected)  # places first named first


def test_a_tie_goes_to_the_first_category_in_order() -> None:
    events = [
        Event("a", "A", PartialDate(2020), category="zeta", places=("p",)),
        Event("b", "B", PartialDate(2021), category="alpha", places=("p", "q")),
        Event("c", "C", PartialDate(2022), category="zeta", places=("q", "nowhere")),
    ]
    marks = place_marks(Dataset(events=events))
    assert marks.categories == {"p": "alpha", "q": "alpha", "nowhere": "zeta"}


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_timeline_rows_read_from_arrays_match_their_events(name: str) -> None:
    dataset = DATASETS[name]
    layout = TimelineLayout.build(dataset)
    drawn = [e for e in dataset.events if not is_era(e)]
    assert len(layout) == len(drawn)
    assert sorted(layout.ids) == sorted(e.id for e in drawn)
    centre = [float(c) for c in layout.center]
    assert centre == sorted(centre)
    for row, event_id in enumerate(layout.ids):
        event = dataset.event(event_id)
        assert layout.row_of[event_id] == row
        assert layout.titles[row] == event.title
        assert layout.cues[row] == flags.cue_text(event, dataset)
        assert layout.categories[layout.lane[row]] == event.category
    assert list(layout.titles[:3]) == [dataset.event(i).title for i in layout.ids[:3]]
    assert layout.categories == sorted({e.category for e in drawn})


def test_place_counts_of_events_out_of_date_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view_state, "_FEW", 0)  # the arrays' way, as for a large dataset
    events = [
        Event("late", "Late", PartialDate(2024), places=("p", "p", "q")),
        Event("early", "Early", PartialDate(1990), places=("q", "nowhere")),
        Event("middle", "Middle", PartialDate(2000, 3), places=("r",)),
    ]
    places = {pid: Place(pid, pid.upper(), lat=1.0, lon=2.0) for pid in ("p", "q", "r", "s")}
    state = ViewState(Dataset(events=events, places=places))
    assert state.place_counts() == {"p": 1, "q": 2, "r": 1}
    state.select_place("q")
    assert state.selection == ("early", "late")
    state.select_place("r")
    assert state.selection == ("middle",)


def test_an_edit_and_its_undo_on_a_dataset_read_as_columns(tmp_path) -> None:
    from dataclasses import replace

    from desktop.core.editing import change_event
    from desktop.core.formats.parquet_file import write_parquet_dataset

    write_parquet_dataset(DATASETS["builtin"], tmp_path / "set.parquet")
    loaded = load_dataset(tmp_path / "set.parquet").dataset
    assert "row-arrays" in loaded._derived, "the events were not read as columns"
    first = TimelineLayout.build(loaded)
    counts = ViewState(loaded).place_counts(visible_only=False)
    event = loaded.events[0]
    place = next(pid for pid in loaded.places if pid not in event.places)
    moved = replace(event, title="Renamed", category="zz-new", places=(place,))
    edit = change_event(loaded, moved)
    edited = edit.apply(loaded)
    layout = TimelineLayout.build(edited)
    row = layout.row_of[event.id]
    assert layout.titles[row] == "Renamed"
    assert layout.categories[layout.lane[row]] == "zz-new"
    assert place_marks(edited).categories[place] in {"zz-new", *loaded.categories()}
    after = ViewState(edited).place_counts(visible_only=False)
    assert after[place] == counts.get(place, 0) + 1
    undone = edit.inverse().apply(edited)
    assert undone == loaded
    again = TimelineLayout.build(undone)
    assert again.titles[again.row_of[event.id]] == first.titles[first.row_of[event.id]]
    assert ViewState(undone).place_counts(visible_only=False) == counts

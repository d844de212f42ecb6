"""The state owns what the views show: one change per step, frames, camera, frozen views."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from desktop.core.briefing import show_step, step_window, window_dates
from desktop.core.dates import PartialDate, to_epoch
from desktop.core.framing import SPAN_MARGIN, core_places, open_dataset, view_frame, window_span
from desktop.core.load import load_dataset
from desktop.core.model import Dataset, Event, Place, StoryStep
from desktop.core.view_state import (
    CATEGORIES,
    DATASET,
    FRAME,
    SELECTION,
    STEP,
    WINDOW,
    Camera,
    Frame,
    FrozenView,
    TimeWindow,
    ViewState,
)
from desktop.resources import builtin_dataset


@pytest.fixture(scope="module")
def builtin() -> Dataset:
    return load_dataset(builtin_dataset()).dataset


def listen(state: ViewState) -> list[frozenset[str]]:
    heard: list[frozenset[str]] = []
    state.subscribe(heard.append)
    return heard


def test_a_batch_tells_listeners_once_with_everything_that_changed(builtin) -> None:
    state = ViewState(builtin)
    heard = listen(state)
    with state.batch():
        state.select(["treaty-signed"])
        state.set_category_shown("era", False)
        with state.batch():  # nested: still one notification, at the outer end
            state.set_window(
                TimeWindow(datetime(2024, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
            )
        # Reads inside a batch see what was already changed.
        assert "treaty-2001" not in state.visible_ids()
        assert heard == []
    assert heard == [frozenset({SELECTION, CATEGORIES, WINDOW})]
    with state.batch():
        state.select(["treaty-signed"])  # no change: nothing to say
    assert len(heard) == 1


def test_showing_a_step_is_one_change_and_frames_it(builtin) -> None:
    state = ViewState(builtin)
    heard = listen(state)
    step = builtin.story[4]  # an explicit centre and zoom
    show_step(state, step)
    assert heard == [frozenset({WINDOW, SELECTION, STEP, FRAME})]
    assert state.step == step and state.window == step_window(builtin, step)
    assert state.selection == step.events
    assert state.frame == Frame(window_span(state.window), camera=step.view, animate=True)
    # A step without a saved view frames its events' places.
    other = builtin.story[1]
    show_step(state, other, animate=False)
    places = {p.id for e in other.events for p in builtin.places_of([builtin.event(e)])}
    assert set(state.frame.places) == places and not state.frame.animate
    assert len(heard) == 2


def test_the_step_leaves_when_the_analyst_changes_what_it_shows(builtin) -> None:
    state = ViewState(builtin)
    show_step(state, builtin.story[2])
    heard = listen(state)
    state.set_search("gas")  # a filter leaves the step on screen
    assert state.step == builtin.story[2]
    state.select(["kazan-summit"])  # a click elsewhere does not
    assert state.step is None
    assert heard[-1] == frozenset({SELECTION, STEP})


def test_a_frame_is_a_request_and_reports_are_not_news(builtin) -> None:
    state = ViewState(builtin)
    heard = listen(state)
    frame = Frame((0.0, 1.0), places=("moscow",))
    state.set_frame(frame)
    state.set_frame(frame)  # asked again (the map was resized): said again
    assert heard == [frozenset({FRAME}), frozenset({FRAME})]
    state.report_camera(Camera(41.5, 50.0, 5))
    state.report_span(10.0, 20.0)
    assert (state.camera, state.span) == (Camera(41.5, 50.0, 5), (10.0, 20.0))
    assert len(heard) == 2


def test_a_frozen_view_comes_back_whole_and_through_json(builtin) -> None:
    state = ViewState(builtin)
    show_step(state, builtin.story[6])
    state.set_hidden_categories({"era", "diplomacy"})
    state.report_camera(Camera(38.1, 49.9, 4.5))
    state.report_span(100.0, 200.0)
    frozen = state.frozen()
    assert frozen.hidden == ("diplomacy", "era")  # the dataset's order
    text = json.dumps(frozen.to_json(builtin.story))
    assert FrozenView.from_json(json.loads(text), builtin.story) == frozen

    other = ViewState(builtin)
    heard = listen(other)
    other.restore(frozen, frozen.own_frame())
    assert len(heard) == 1 and {WINDOW, SELECTION, STEP, FRAME, CATEGORIES} <= heard[0]
    # The same view; camera and span are the views' to report once they have moved.
    assert other.frozen() == replace(frozen, camera=None, span=None)
    assert other.frame == Frame((100.0, 200.0), camera=Camera(38.1, 49.9, 4.5))


def test_a_saved_view_naming_a_missing_step_is_refused(builtin) -> None:
    data = FrozenView(step=builtin.story[0]).to_json(builtin.story)
    with pytest.raises(ValueError, match="step 1: the story has 0 steps"):
        FrozenView.from_json(data, [])


def test_opening_a_dataset_frames_the_heart_of_the_story(builtin) -> None:
    state = ViewState()
    heard = listen(state)
    open_dataset(state, builtin)
    assert len(heard) == 1 and {DATASET, FRAME} <= heard[0]
    frame = state.frame
    assert frame.span is None and not frame.animate  # the timeline's home view
    assert set(frame.places) == set(core_places(builtin, state.place_counts()))
    assert "moscow" in frame.places and "washington" not in frame.places


def test_view_frame_falls_back_to_the_visible_events_places() -> None:
    dataset = Dataset(
        events=[
            Event("a", "A", PartialDate(2020), places=("baku",)),
            Event("b", "B", PartialDate(2024), places=("moscow",)),
            Event("c", "C", PartialDate(2024, 5)),
        ],
        places={
            "baku": Place("baku", "Baku", lat=40.4, lon=49.9),
            "moscow": Place("moscow", "Moscow", lat=55.8, lon=37.6),
        },
    )
    state = ViewState(dataset)
    state.set_window(TimeWindow(datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)))
    assert view_frame(state).places == ("moscow",)  # nothing selected: what is visible
    state.select(["a"])
    assert view_frame(state).places == ("baku",)
    state.select(["c"])  # selected, but placed nowhere: the map stays
    assert view_frame(state).places == ()
    assert view_frame(state, Camera(1, 2, 3)).camera == Camera(1, 2, 3)
    lo, hi = to_epoch(state.window.start), to_epoch(state.window.end)
    margin = (hi - lo) * SPAN_MARGIN
    assert view_frame(state).span == (lo - margin, hi + margin)


def test_a_step_without_dates_shows_everything(builtin) -> None:
    state = ViewState(builtin)
    state.set_window(TimeWindow(datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)))
    show_step(state, StoryStep(1, "Everything", events=("treaty-signed",)))
    assert state.window is None and state.frame.span is None


def test_a_bce_step_keeps_its_exact_window_through_json_and_another_process(tmp_path) -> None:
    from desktop.cli import main
    from desktop.core.save import save_dataset

    rome = Place("rome", "Rome", lat=41.9, lon=12.5)
    dataset = Dataset(
        title="Battles",
        events=[
            Event("a", "Sentinum", PartialDate(-295), places=("rome",)),
            Event("b", "Cannae", PartialDate(-216, 8, 2), places=("rome",)),
            Event("c", "Pydna", PartialDate(-168), places=("rome",)),
            Event("d", "Actium", PartialDate(-31), places=("rome",)),
        ],
        places={"rome": rome},
        story=[StoryStep(1, "The Punic wars", start=PartialDate(-300), end=PartialDate(-200))],
    )
    path = tmp_path / "battles.json"
    save_dataset(dataset, path)
    dataset = load_dataset(path).dataset
    step = dataset.story[0]
    state = ViewState(dataset)
    show_step(state, step, animate=False)
    # 300 BC to the end of 200 BC, exactly, though datetime cannot hold either year.
    low, high = PartialDate(-300).lower_epoch(), PartialDate(-200).upper_epoch()
    assert state.window is not None and state.window.epochs() == (low, high)
    assert state.visible_ids() == ("a", "b")
    margin = (high - low) * SPAN_MARGIN
    assert state.frame.span == (low - margin, high + margin)
    # Named by its first and last days, not the day after it (a microsecond is below a
    # float's resolution that far from 1970).
    assert state.window.label() == "1 January 300 BC – 31 December 200 BC"
    assert window_dates(state.window) == (PartialDate(-300, 1, 1), PartialDate(-200, 12, 31))

    frozen = state.frozen()
    saved = json.loads(json.dumps(frozen.to_json(dataset.story)))
    assert saved["window"] == [low, high]
    assert FrozenView.from_json(saved, dataset.story) == frozen
    # The export's own process shows the same events.
    view = tmp_path / "view.json"
    view.write_text(json.dumps(saved), encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["export", str(path), "--json", str(out), "--view", str(view)]) == 0
    kept = [e["id"] for e in json.loads(out.read_text(encoding="utf-8"))["events"]]
    assert kept == ["a", "b"]

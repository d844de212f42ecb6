"""The state owns what the views show: one change per step, frames, camera, frozen views."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from desktop.core.briefing import show_step, step_window, window_dates
from desktop.core.dates import PartialDate, to_epoch
from desktop.core.framing import (
    SPAN_MARGIN,
    fit_bounds,
    open_dataset,
    place_counts_of,
    view_frame,
    window_span,
)
from desktop.core.load import load_dataset
from desktop.core.model import Dataset, Event, Place, PlaceKind, StoryStep
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
    assert holds(state.frame.bounds, builtin, places) and not state.frame.animate
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


def holds(bounds, dataset: Dataset, place_ids) -> bool:
    """Whether the box holds every one of these places' points."""
    if bounds is None:
        return False
    south, west, north, east = bounds
    for pid in place_ids:
        place = dataset.places[pid]
        for lat, lon in [*place.points, place.anchor()]:
            if not (south <= lat <= north and west <= lon <= east):
                return False
    return True


def test_opening_a_dataset_frames_every_place_with_an_event(builtin) -> None:
    state = ViewState()
    heard = listen(state)
    open_dataset(state, builtin)
    assert len(heard) == 1 and {DATASET, FRAME} <= heard[0]
    frame = state.frame
    assert frame.span is None and not frame.animate  # the timeline's home view
    # Fewer than twenty places: leaving out even one would hide more than 5 % of them.
    assert holds(frame.bounds, builtin, state.place_counts())
    assert frame.bounds[1] == builtin.places["washington"].lon


def scattered(points: list[tuple[float, float]], counts: list[int] | None = None) -> Dataset:
    places = {
        f"p{i}": Place(f"p{i}", f"P{i}", lat=lat, lon=lon) for i, (lat, lon) in enumerate(points)
    }
    events = [
        Event(f"e{i}-{k}", "E", PartialDate(2020), places=(f"p{i}",))
        for i in range(len(points))
        for k in range((counts or [1] * len(points))[i])
    ]
    return Dataset(events=events, places=places)


def inside(bounds, dataset: Dataset) -> float:
    located = [p.anchor() for p in dataset.places.values()]
    south, west, north, east = bounds
    return sum(south <= a[0] <= north and west <= a[1] <= east for a in located) / len(located)


def test_a_few_far_outliers_are_left_out_of_a_regional_map() -> None:
    # 200 quakes in Nepal and three far away (a typo'd latitude, two abroad).
    import random

    rng = random.Random(4)
    points = [(rng.uniform(26.5, 30.2), rng.uniform(80.2, 88.1)) for _ in range(200)]
    points += [(85.0, 84.0), (-33.9, 18.4), (51.5, -0.1)]
    dataset = scattered(points)
    bounds = fit_bounds(dataset, place_counts_of(dataset.events))
    assert inside(bounds, dataset) >= 0.95
    south, west, north, east = bounds
    assert south >= 26 and north <= 31 and west >= 80 and east <= 89


def test_a_world_of_points_stays_a_world_map() -> None:
    import random

    rng = random.Random(5)
    points = [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(400)]
    dataset = scattered(points)
    bounds = fit_bounds(dataset, place_counts_of(dataset.events))
    assert inside(bounds, dataset) >= 0.95
    assert bounds[3] - bounds[1] > 300


def test_outliers_holding_many_events_stay() -> None:
    # Twenty places close together with one event each, one far away with ten:
    # leaving it out would hide a third of the events.
    points = [(40 + i * 0.01, 50 + i * 0.01) for i in range(20)] + [(-30.0, 150.0)]
    dataset = scattered(points, [1] * 20 + [10])
    bounds = fit_bounds(dataset, place_counts_of(dataset.events))
    assert inside(bounds, dataset) == 1.0


def test_routes_are_framed_by_their_whole_line() -> None:
    route = Place("r", "Route", kind=PlaceKind.ROUTE, points=((55.7, 37.6), (27.2, 56.3)))
    dataset = Dataset(
        events=[Event("e", "E", PartialDate(2020), places=("r",))], places={"r": route}
    )
    assert fit_bounds(dataset, {"r": 1}) == (27.2, 37.6, 55.7, 56.3)
    assert fit_bounds(dataset, {}) is None


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
    assert view_frame(state).bounds == (55.8, 37.6, 55.8, 37.6)  # nothing selected: the visible
    state.select(["a"])
    assert view_frame(state).bounds == (40.4, 49.9, 40.4, 49.9)
    state.select(["c"])  # selected, but placed nowhere: the map stays
    assert view_frame(state).bounds is None
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

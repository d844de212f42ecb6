"""Presenter rules without a screen: stepping, black screen, typed jumps, playback windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desktop.core.briefing import Briefing, Playback, PlayMode
from desktop.core.load import load_dataset
from desktop.core.model import StoryStep
from desktop.resources import builtin_dataset


def briefing(n=8) -> Briefing:
    return Briefing([StoryStep(i, f"Step {i}") for i in range(1, n + 1)])


def test_stepping_stops_at_the_ends():
    b = briefing(3)
    b.previous()
    assert b.number == 1
    b.next()
    b.next()
    b.next()
    assert b.number == 3 and b.next_step is None
    b.first()
    assert b.number == 1 and b.next_step.title == "Step 2"
    b.last()
    assert b.number == 3


def test_typed_number_then_enter_jumps_and_clamps():
    b = briefing(8)
    b.type_digit("5")
    assert b.number == 1
    assert b.enter() is True and b.number == 5
    for digit in "42":
        b.type_digit(digit)
    b.enter()
    assert b.number == 8
    assert b.enter() is False and b.number == 8


def test_black_screen_lifts_on_move():
    b = briefing(3)
    heard = []
    b.subscribe(lambda: heard.append((b.number, b.blacked_out)))
    b.toggle_black()
    assert b.blacked_out
    b.next()
    assert heard == [(1, True), (2, False)]


def test_no_story_is_refused():
    with pytest.raises(ValueError, match="no story"):
        Briefing([])


def test_playback_cumulative_and_rolling():
    dataset = load_dataset(builtin_dataset()).dataset
    play = Playback.for_dataset(dataset, speed=timedelta(days=365))
    assert play.start == datetime(1991, 1, 1, tzinfo=UTC)
    assert play.end == datetime(2046, 1, 1, tzinfo=UTC)
    assert play.advance(10)
    low, high = play.window()
    assert low == play.start and high.year == 2000
    play.mode = PlayMode.ROLLING
    play.width = timedelta(days=365 * 2)
    low, high = play.window()
    assert (high - low).days == 730
    assert play.advance(1000) is False and play.position == play.end
    play.rewind()
    assert play.window()[1] == play.start
    play.faster()
    assert play.speed == timedelta(days=730)


def test_step_window_covers_whole_spans_and_open_sides():
    from desktop.core.briefing import step_window
    from desktop.core.dates import PartialDate

    dataset = load_dataset(builtin_dataset()).dataset
    step = dataset.story[1]  # 2024-05 to 2025-01
    window = step_window(dataset, step)
    assert window.start == datetime(2024, 5, 1, tzinfo=UTC)
    assert window.end == datetime(2025, 2, 1, tzinfo=UTC)
    open_end = StoryStep(1, "From 2024", start=PartialDate(2024))
    window = step_window(dataset, open_end)
    assert window.start == datetime(2024, 1, 1, tzinfo=UTC)
    assert window.end == max(e.upper() for e in dataset.events)
    assert step_window(dataset, StoryStep(1, "Everything")) is None


def test_captured_window_comes_back_through_step_window():
    from desktop.core.briefing import capture_step, step_window
    from desktop.core.model import MapView
    from desktop.core.view_state import TimeWindow

    dataset = load_dataset(builtin_dataset()).dataset
    exact = TimeWindow(datetime(2025, 1, 10, tzinfo=UTC), datetime(2025, 1, 25, tzinfo=UTC))
    step = capture_step("Signing", ("treaty-signed",), exact, MapView(48.0, 45.0, 4.0))
    assert (step.start.iso(), step.end.iso()) == ("2025-01-10", "2025-01-24")
    assert step_window(dataset, step) == exact
    ragged = TimeWindow(
        datetime(2025, 1, 10, 13, 5, tzinfo=UTC), datetime(2025, 1, 24, 9, 0, tzinfo=UTC)
    )
    widened = step_window(dataset, capture_step("x", (), ragged, None))
    assert widened.start <= ragged.start and widened.end >= ragged.end
    assert widened.end - widened.start < timedelta(days=16)
    assert capture_step("All", (), None, None).start is None

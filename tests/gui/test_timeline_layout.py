"""Where the timeline puts events: eras, uncertainty, the first view, hit-testing (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.dates import PartialDate, to_epoch
from desktop.core.eras import is_era
from desktop.core.model import Dataset, Event, StoryStep
from desktop.gui.first_frame_layout import kind_of
from desktop.gui.timeline_layout import (
    EXACT,
    INTERVAL,
    UNCERTAIN,
    UNCITED,
    TimelineLayout,
    stable_order,
)


def test_uncertain_dates_are_never_drawn_as_an_exact_day() -> None:
    assert kind_of(Event("a", "A", PartialDate(2025, 1, 17))) == EXACT
    assert kind_of(Event("b", "B", PartialDate(2024, 11))) == UNCERTAIN
    assert kind_of(Event("c", "C", PartialDate(2013))) == UNCERTAIN
    assert kind_of(Event("d", "D", PartialDate(2025, 1, 17), approximate=True)) == UNCERTAIN
    assert (
        kind_of(Event("e", "E", PartialDate(2024, 10, 22), PartialDate(2024, 10, 24))) == INTERVAL
    )


def test_eras_say_so_and_long_intervals_keep_their_lane() -> None:
    assert is_era(Event("t", "Term", PartialDate(2025), PartialDate(2045), category="Era"))
    assert is_era(Event("w", "War", PartialDate(1337), PartialDate(1453), tags=("era",)))
    assert is_era(Event("j", "A TimelineJS era", PartialDate(1990), tags=("era",)))
    # A reign is long, but it is a bar in its own lane.
    assert not is_era(
        Event("h", "Henry II", PartialDate(1154), PartialDate(1189), category="Kings")
    )
    assert not is_era(Event("k", "Kazan", PartialDate(2024, 10, 22), PartialDate(2024, 10, 24)))


def _dataset() -> Dataset:
    events = [Event(f"bg{y}", "Background", PartialDate(y), category="past") for y in (1991, 2001)]
    events += [
        Event(f"e{m}", "Story", PartialDate(2024, m, 10), category="story") for m in range(1, 13)
    ]
    events.append(Event("term", "Term", PartialDate(2025), PartialDate(2045), category="era"))
    return Dataset(events=events)


def _at(*parts: int) -> float:
    return to_epoch(PartialDate(*parts).lower())


def test_long_empty_stretches_are_drawn_shorter_and_the_first_view_shows_everything() -> None:
    layout = TimelineLayout.build(_dataset())
    assert layout.categories == ["past", "story"]
    assert [e.id for e in layout.eras] == ["term"]
    scale = layout.scale
    # The decade between the background events and the year before the story
    # are shortened; the story's year is not.
    breaks = scale.breaks()
    assert len(breaks) == 2
    assert breaks[0][0] > _at(1991, 7) and breaks[0][1] < _at(2001, 7)
    assert breaks[1][0] > _at(2001, 7) and breaks[1][1] < _at(2024, 1, 10)
    assert scale.x(_at(2024, 12, 10)) - scale.x(_at(2024, 1, 10)) == _at(2024, 12, 10) - _at(
        2024, 1, 10
    )
    # The first view holds every event, and the story's year most of it.
    lo, hi = layout.home_range()
    assert lo < layout.xc.min() and hi > layout.xc.max()
    story = scale.x(_at(2024, 12, 10)) - scale.x(_at(2024, 1, 10))
    assert story > 0.5 * (hi - lo)
    # Time and axis position convert both ways; order is kept everywhere.
    times = [_at(y) for y in (1980, 1991, 1995, 2001, 2010, 2024, 2030)]
    xs = [scale.x(t) for t in times]
    assert xs == sorted(xs)
    assert [scale.t(x) for x in xs] == [pytest.approx(t) for t in times]
    # The whole extent still reaches back to the background events.
    assert layout.extent()[0] == _at(1991)


def test_evenly_spread_events_are_drawn_on_plain_time() -> None:
    events = [
        Event(f"e{i}", "E", PartialDate(2000 + i // 12, i % 12 + 1, 5), category="c")
        for i in range(120)
    ]
    layout = TimelineLayout.build(Dataset(events=events))
    assert layout.scale.linear
    assert list(layout.xc) == list(layout.center)


def test_hit_finds_the_nearest_dot_in_the_lane_or_the_bar_under_the_pointer() -> None:
    layout = TimelineLayout.build(_dataset())
    x = layout.scale.x
    story = layout.categories.index("story")
    march = _at(2024, 3, 10) + 43200
    assert layout.hit(x(march + 3600), story, tolerance=86400) == "e3"
    assert layout.hit(x(march + 10 * 86400), story, tolerance=86400) is None
    past = layout.categories.index("past")
    # Anywhere in 2001 is on the year-long faint bar of the "2001" event.
    assert layout.hit(x(_at(2001, 5)), past, tolerance=86400) == "bg2001"
    assert layout.hit(x(march), past, tolerance=86400) is None


def test_the_story_names_which_events_are_labelled_first() -> None:
    dataset = _dataset()
    dataset.story = [
        StoryStep(1, "One", events=("e5", "bg1991")),
        StoryStep(2, "Two", events=("e5",)),
    ]
    layout = TimelineLayout.build(dataset)
    ranks = dict(zip(layout.ids, layout.cited.tolist(), strict=True))
    assert ranks["e5"] == 0 and ranks["bg1991"] == 1
    assert ranks["e6"] == UNCITED


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(-(10**12), 10**12).map(lambda v: v / 2),  # half seconds, BCE too
            st.sampled_from([0.0, 86_400.0, -62_135_596_800.0]),  # ties
        ),
        max_size=60,
    ),
    st.sampled_from([None, 0.25, float("nan"), float("inf")]),
)
def test_stable_order_is_numpys_stable_argsort(times: list[float], odd: float | None) -> None:
    values = np.array(times + ([] if odd is None else [odd]), dtype=float)
    assert np.array_equal(stable_order(values), np.argsort(values, kind="stable"))

"""Where the timeline puts events: eras, uncertainty, the first view, hit-testing (no Qt)."""

from __future__ import annotations

from desktop.core.dates import PartialDate, to_epoch
from desktop.core.eras import is_era
from desktop.core.model import Dataset, Event
from desktop.gui.timeline_layout import EXACT, INTERVAL, UNCERTAIN, TimelineLayout, kind_of


def test_uncertain_dates_are_never_drawn_as_an_exact_day() -> None:
    assert kind_of(Event("a", "A", PartialDate(2025, 1, 17))) == EXACT
    assert kind_of(Event("b", "B", PartialDate(2024, 11))) == UNCERTAIN
    assert kind_of(Event("c", "C", PartialDate(2013))) == UNCERTAIN
    assert kind_of(Event("d", "D", PartialDate(2025, 1, 17), approximate=True)) == UNCERTAIN
    assert (
        kind_of(Event("e", "E", PartialDate(2024, 10, 22), PartialDate(2024, 10, 24))) == INTERVAL
    )


def test_eras_are_the_era_category_or_long_intervals() -> None:
    assert is_era(Event("t", "Term", PartialDate(2025), PartialDate(2045)))
    assert is_era(Event("x", "X", PartialDate(2025, 1, 1), category="Era"))
    assert is_era(Event("j", "A TimelineJS era", PartialDate(1990), tags=("era",)))
    assert not is_era(Event("k", "Kazan", PartialDate(2024, 10, 22), PartialDate(2024, 10, 24)))


def _dataset() -> Dataset:
    events = [Event(f"bg{y}", "Background", PartialDate(y), category="past") for y in (1991, 2001)]
    events += [
        Event(f"e{m}", "Story", PartialDate(2024, m, 10), category="story") for m in range(1, 13)
    ]
    events.append(Event("term", "Term", PartialDate(2025), PartialDate(2045), category="era"))
    return Dataset(events=events)


def test_layout_keeps_eras_out_of_the_lanes_and_the_first_view_on_the_story() -> None:
    layout = TimelineLayout.build(_dataset())
    assert layout.categories == ["past", "story"]
    assert [e.id for e in layout.eras] == ["term"]
    lo, hi = layout.home_range()
    assert lo > to_epoch(PartialDate(2020).lower())  # the background is a zoom-out away
    shown = [c for c in layout.center if lo <= c <= hi]
    assert len(shown) >= 0.6 * len(layout)
    # The whole extent still reaches back to the background events.
    assert layout.extent()[0] == to_epoch(PartialDate(1991).lower())


def test_hit_finds_the_nearest_dot_in_the_lane_or_the_bar_under_the_pointer() -> None:
    layout = TimelineLayout.build(_dataset())
    story = layout.categories.index("story")
    march = to_epoch(PartialDate(2024, 3, 10).lower()) + 43200
    assert layout.hit(march + 3600, story, tolerance=86400) == "e3"
    assert layout.hit(march + 10 * 86400, story, tolerance=86400) is None
    past = layout.categories.index("past")
    # Anywhere in 2001 is on the year-long faint bar of the "2001" event.
    assert layout.hit(to_epoch(PartialDate(2001, 9).lower()), past, tolerance=86400) == "bg2001"
    assert layout.hit(march, past, tolerance=86400) is None

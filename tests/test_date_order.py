"""A large dataset's date order is computed a faster way: it must be the same order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.dates import PartialDate
from desktop.core.model import Dataset, Event, _date_order


@st.composite
def _dates(draw) -> PartialDate:
    # Every precision and the whole range of years: the fast order compares
    # epoch seconds, which must stay exact from year 1 to 9999.
    year = draw(st.sampled_from([1, 1969, 1970, 2024, 2025, 9999]))
    month = draw(st.one_of(st.none(), st.integers(1, 12)))
    day = draw(st.integers(1, 28)) if month and draw(st.booleans()) else None
    minute = draw(st.integers(0, 59)) if day and draw(st.booleans()) else None
    hour = draw(st.integers(0, 23)) if minute is not None else None
    return PartialDate(year, month, day, hour, minute)


DATES = _dates()
EVENTS = st.lists(
    st.builds(lambda i, d: Event(f"e{i}", "t", d), st.integers(0, 30), DATES), max_size=60
)


@settings(max_examples=200, deadline=None)
@given(EVENTS)
def test_same_order_as_sort_key(events):
    expected = sorted(events, key=Event.sort_key)
    assert [id(e) for e in _date_order(events)] == [id(e) for e in expected]


def test_large_dataset_uses_it():
    starts = [PartialDate(2025, 1 + i % 12, 1 + i % 28) for i in range(50)]
    events = [Event(f"e{(i * 7919) % 12_000:05d}", "t", starts[i % 50]) for i in range(12_000)]
    dataset = Dataset(events=events)
    assert dataset.sorted_events() == sorted(events, key=Event.sort_key)

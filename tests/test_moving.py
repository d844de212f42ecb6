"""Moving an event by whole steps of its precision (what a timeline drag does)."""

from __future__ import annotations

from desktop.core.dates import PartialDate, Precision
from desktop.core.editing import Edit
from desktop.core.model import Dataset, Event
from desktop.core.moving import move_event, moved, shift

DAY = 86_400.0
YEAR = 365.2425 * DAY


def test_a_month_event_moves_by_months_and_its_end_with_it() -> None:
    event = Event("e", "E", PartialDate(2024, 11), PartialDate(2025, 1), date_label="late 2024")
    later = moved(event, 62 * DAY)
    assert (later.start, later.end) == (PartialDate(2025, 1), PartialDate(2025, 3))
    assert later.start.precision is Precision.MONTH and later.date_label == ""
    # Less than half a month is no move at all.
    assert moved(event, 10 * DAY) is event
    assert moved(event, -20 * DAY).start == PartialDate(2024, 10)


def test_a_year_event_moves_by_years_across_bc_and_ad() -> None:
    event = Event("e", "E", PartialDate(-2), PartialDate(-1))
    later = moved(event, 3 * YEAR)
    # 2 BC, 1 BC, AD 1, AD 2: there is no year 0.
    assert (later.start, later.end) == (PartialDate(2), PartialDate(3))
    assert moved(later, -3 * YEAR).start == PartialDate(-2)


def test_days_and_minutes_move_exactly_and_a_missing_day_becomes_the_months_last() -> None:
    assert moved(Event("d", "D", PartialDate(2024, 1, 31)), 30 * DAY).start == PartialDate(
        2024, 3, 1
    )
    minute = Event("m", "M", PartialDate(2024, 1, 31, 23, 30))
    assert moved(minute, 45 * 60).start == PartialDate(2024, 2, 1, 0, 15)
    assert shift(PartialDate(2024, 1, 31), 1, Precision.MONTH) == PartialDate(2024, 2, 29)
    assert shift(PartialDate(2023, 1, 31), 1, Precision.MONTH) == PartialDate(2023, 2, 28)
    # A year-precision start with a month-precision end: the end moves by years too.
    mixed = Event("x", "X", PartialDate(1990), PartialDate(1992, 6))
    assert moved(mixed, 2 * YEAR).end == PartialDate(1994, 6)


def test_the_move_is_one_edit_named_for_where_it_goes_and_undone_whole() -> None:
    event = Event("e", "Talks", PartialDate(2024, 11, 3))
    data = Dataset(events=[Event("a", "A", PartialDate(2020)), event])
    edit = move_event(data, moved(event, 5 * DAY))
    assert isinstance(edit, Edit) and edit.name == "Move “Talks” to 8 Nov 2024"
    after = edit.apply(data)
    assert after.event("e").start == PartialDate(2024, 11, 8) and data.event("e") == event
    assert edit.inverse().apply(after).events == data.events

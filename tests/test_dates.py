import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.dates import DateError, PartialDate, Precision, parse_date


@pytest.mark.parametrize(
    ("text", "iso", "precision", "approximate"),
    [
        ("2001", "2001", Precision.YEAR, False),
        ("2024-11", "2024-11", Precision.MONTH, False),
        ("2025-01-17", "2025-01-17", Precision.DAY, False),
        ("2025-01-17 14:30", "2025-01-17T14:30", Precision.MINUTE, False),
        ("2025-01-17T14:30", "2025-01-17T14:30", Precision.MINUTE, False),
        ("circa 2013", "2013", Precision.YEAR, True),
        ("c. 2013", "2013", Precision.YEAR, True),
        ("~2013", "2013", Precision.YEAR, True),
        ("mid-November 2024", "2024-11", Precision.MONTH, True),
        ("early December 2024", "2024-12", Precision.MONTH, True),
        ("17 January 2025", "2025-01-17", Precision.DAY, False),
        ("January 2025", "2025-01", Precision.MONTH, False),
        ("Jan 17, 2025", "2025-01-17", Precision.DAY, False),
        ("17.01.2025", "2025-01-17", Precision.DAY, False),
    ],
)
def test_dates_keep_the_precision_they_were_written_with(text, iso, precision, approximate):
    parsed = parse_date(text)
    assert parsed.date.iso() == iso
    assert parsed.date.precision is precision
    assert parsed.approximate is approximate
    assert parsed.end is None


def test_a_year_is_a_whole_year_not_the_first_of_january():
    year = parse_date("2001").date
    assert year.lower() == datetime(2001, 1, 1, tzinfo=UTC)
    assert year.upper() == datetime(2002, 1, 1, tzinfo=UTC)
    assert year.iso() == "2001"


def test_month_span_crosses_the_year_end():
    december = parse_date("2024-12").date
    assert december.upper() == datetime(2025, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025–2045", "2025", "2045"),
        ("2025-2045", "2025", "2045"),
        ("2024-05-19/2025-01-17", "2024-05-19", "2025-01-17"),
        ("2024-05-19 to 2025-01-17", "2024-05-19", "2025-01-17"),
        ("2024-10-22 – 2024-10-24", "2024-10-22", "2024-10-24"),
    ],
)
def test_ranges(text, start, end):
    parsed = parse_date(text)
    assert parsed.date.iso() == start
    assert parsed.end is not None and parsed.end.iso() == end


def test_offsets_are_converted_to_utc_once():
    assert parse_date("2025-01-17T01:30+03:00").date.iso() == "2025-01-16T22:30"
    assert parse_date("2025-01-17T01:30Z").date.iso() == "2025-01-17T01:30"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("yesterday", "not a date"),
        ("2025-13", "month 13"),
        ("2025-02-30", "day 30"),
        ("2025-01-17 25:00", "time"),
        ("2045/2025", "before start"),
    ],
)
def test_bad_dates_say_what_to_write(text, words):
    with pytest.raises(DateError, match=words):
        parse_date(text)


def test_sorting_puts_a_year_before_the_days_inside_it():
    dates = [PartialDate(2025, 1, 17), PartialDate(2025), PartialDate(2024, 12)]
    assert [d.iso() for d in sorted(dates, key=PartialDate.sort_key)] == [
        "2024-12",
        "2025",
        "2025-01-17",
    ]


@given(st.text(max_size=40))
def test_any_text_parses_or_raises_date_error(text):
    with contextlib.suppress(DateError):
        parse_date(text)


@given(st.dates(min_value=datetime(1, 1, 1).date()))
def test_iso_round_trips(day):
    text = day.isoformat()
    assert parse_date(text).date.iso() == text

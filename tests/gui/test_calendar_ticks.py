"""Calendar ticks at every scale, BCE included (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.gui.calendar_ticks import (
    LEVELS,
    Level,
    context_starts,
    context_texts,
    historians_years,
    period_text,
)

DAY = 86_400


def at(text: str) -> float:
    """Epoch seconds of an ISO date; years are astronomical (-0499 is 500 BC)."""
    return float(np.datetime64(text, "s").astype(np.int64))


def test_years_count_as_historians_do() -> None:
    # No year 0: astronomical 0 is 1 BC, -499 is 500 BC.
    years = historians_years(np.array([at("0000-06-01"), at("-0499-01-01"), at("0001-01-01")]))
    assert years.tolist() == [-1, -500, 1]
    century = Level("Y", 100)
    ticks = century.ticks(at("-0350-01-01"), at("0250-01-01"))
    # The tick after 100 BC is AD 1: there is no year 0.
    assert century.texts(ticks) == ["300 BC", "200 BC", "100 BC", "AD 1", "100", "200"]
    assert ticks[0] == at("-0299-01-01")  # 300 BC starts where an event dated 300 BC does
    assert Level("Y", 1).texts(Level("Y", 1).ticks(at("-0002-06-01"), at("0003-06-01"))) == [
        "2 BC",
        "1 BC",
        "AD 1",
        "2",
        "3",
    ]


def test_day_ticks_never_crowd_the_next_month() -> None:
    lo, hi = at("2024-12-20"), at("2025-03-10")
    for step in (2, 5, 10):
        ticks = Level("D", step).ticks(lo, hi)
        assert (np.diff(ticks) >= step * DAY).all(), step
        days = Level("D", step).texts(ticks)
        assert "1" in days  # each month's first day is a tick
    assert Level("D", 10).texts(Level("D", 10).ticks(at("2025-01-01"), at("2025-02-01"))) == [
        "1",
        "11",
        "21",
        "1",
    ]


def test_months_hours_and_minutes_read_as_a_reader_writes_them() -> None:
    quarters = Level("M", 3)
    assert quarters.texts(quarters.ticks(at("2024-01-01"), at("2024-12-31"))) == [
        "Jan",
        "Apr",
        "Jul",
        "Oct",
    ]
    hours = Level("h", 6)
    assert hours.texts(hours.ticks(at("2025-01-17"), at("2025-01-18"))) == [
        "00:00",
        "06:00",
        "12:00",
        "18:00",
        "00:00",
    ]
    # BCE hours are counted from midnight too.
    assert Level("m", 15).texts(
        Level("m", 15).ticks(at("-0043-03-15T11:50"), at("-0043-03-15T12:20"))
    ) == [
        "12:00",
        "12:15",
    ]


def test_the_context_row_names_the_day_month_or_year_of_each_tick() -> None:
    lo, hi = at("2024-11-20"), at("2025-02-10")
    assert context_texts("Y", context_starts("Y", lo, hi)) == ["2024", "2025"]
    assert context_texts("M", context_starts("M", lo, hi)) == [
        "November 2024",
        "December 2024",
        "January 2025",
        "February 2025",
    ]
    # The first period is the one holding the left edge, even if it started before it.
    assert context_starts("M", lo, hi)[0] == at("2024-11-01")
    assert context_texts(
        "D", context_starts("D", at("-0043-03-14T20:00"), at("-0043-03-15T04:00"))
    ) == [
        "14 Mar 44 BC",
        "15 Mar 44 BC",
    ]


def test_a_single_row_says_the_context_where_it_changes() -> None:
    days = Level("D", 5)
    ticks = days.ticks(at("2014-02-19"), at("2014-03-12"))
    # (26 February is left out: too close to 1 March.)
    assert days.texts_in_context(ticks) == ["21 Feb 2014", "1 Mar", "6", "11"]


def test_a_short_stretch_is_named_as_a_whole() -> None:
    assert period_text(at("2001-03-08"), at("2001-03-16")) == "Mar 2001"
    assert period_text(at("2013-05-01"), at("2013-09-01")) == "2013"
    assert period_text(at("1990-11-01"), at("1991-03-01")) == "1990–1991"
    assert period_text(at("-0500-02-01"), at("-0500-02-20")) == "Feb 501 BC"


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_ticks_in_order_within_its_stretch(level: Level) -> None:
    lo = at("-1200-01-01") if level.unit == "Y" else at("2024-06-01")
    hi = lo + level.spacing * 8.5
    ticks = level.ticks(lo, hi)
    assert len(ticks) >= 4
    assert (np.diff(ticks) > 0).all()
    assert ticks[0] >= lo and ticks[-1] <= hi
    assert len(level.texts(ticks)) == len(ticks)


@pytest.mark.parametrize("level", LEVELS)
def test_the_plain_calendar_ticks_and_reads_as_the_numpy_one(level: Level) -> None:
    from desktop.gui.calendar_levels import DAYS, MONTHS_UNIT, YEARS, PlainCalendar
    from desktop.gui.calendar_ticks import NumpyCalendar

    plain, arrays = PlainCalendar(), NumpyCalendar()
    rng = np.random.default_rng(7)
    starts = [at("0001-03-01"), at("1969-12-31T23:59"), at("2000-02-28"), at("2024-12-30")]
    starts += (rng.uniform(at("0100-01-01"), at("9000-01-01"), 8)).tolist()
    for lo in starts:
        for reach in (7.3, 40.0):
            hi = lo + level.spacing * reach
            if not plain.holds(lo, hi):
                continue  # past AD 9999: datetime's last year
            ticks = plain.ticks(level, lo, hi)
            assert ticks == pytest.approx(arrays.ticks(level, lo, hi).tolist(), abs=1e-6)
            assert plain.texts(level, ticks) == arrays.texts(level, np.array(ticks))
            assert plain.texts_in_context(level, ticks) == arrays.texts_in_context(
                level, np.array(ticks)
            )
            assert plain.period_text(lo, hi) == arrays.period_text(lo, hi)
            for unit in (DAYS, MONTHS_UNIT, YEARS):
                starts_of = plain.context_starts(unit, lo, hi)
                assert starts_of == arrays.context_starts(unit, lo, hi).tolist()
                assert plain.context_texts(unit, starts_of) == arrays.context_texts(
                    unit, np.array(starts_of)
                )


def test_the_plain_calendar_holds_no_bce_year() -> None:
    from desktop.gui.calendar_levels import PlainCalendar

    assert not PlainCalendar.holds(at("-0043-03-15"), at("0014-08-19"))
    assert PlainCalendar.holds(at("0014-08-19"), at("2025-01-01"))

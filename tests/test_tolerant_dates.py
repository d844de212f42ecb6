"""The tolerant date parser: every style a date is written in reads back to the same date
and precision, BCE years count as historians count them, and columns decide their order."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.date_columns import Numbers, sniff_dates
from desktop.core.dates import DateError, DateOrder, PartialDate, Precision, parse_date

MONTHS = {
    "en": calendar.month_name[1:],
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
}
MONTHS = {k: v.split() if isinstance(v, str) else list(v) for k, v in MONTHS.items()}


@st.composite
def dates(draw, bce: bool = True, precisions=tuple(Precision)) -> PartialDate:
    low = -9999 if bce else 1
    year = draw(st.integers(low, 9999).filter(lambda y: y != 0))
    precision = draw(st.sampled_from(precisions))
    if precision is Precision.YEAR:
        return PartialDate(year)
    month = draw(st.integers(1, 12))
    if precision is Precision.MONTH:
        return PartialDate(year, month)
    day = draw(st.integers(1, 28))
    if precision is Precision.DAY:
        return PartialDate(year, month, day)
    return PartialDate(year, month, day, draw(st.integers(0, 23)), draw(st.integers(0, 59)))


def era_year(year: int) -> str:
    # "May 44" or "1 May 44" could be another year (or day): a short year takes its era.
    if 0 < year < 100:
        return f"AD {year}"
    return f"{-year} BC" if year < 0 else str(year)


def styles(d: PartialDate) -> list[tuple[str, DateOrder | None]]:
    """The ways people write ``d`` that keep all of it, and only it."""
    out: list[tuple[str, DateOrder | None]] = [(d.iso(), None)]
    y = d.year
    if d.precision is Precision.YEAR:
        out += [(str(y), None), (era_year(y), None)]
        out.append((f"{-y} BCE" if y < 0 else f"AD {y}", None))
    if d.month is not None and d.day is None:
        for names in MONTHS.values():
            out.append((f"{names[d.month - 1]} {era_year(y)}", None))
    if d.day is not None and d.minute is None:
        assert d.month is not None
        en = calendar.month_name[d.month]
        out += [
            (f"{d.day} {en} {era_year(y)}", None),
            (f"{en} {d.day}, {era_year(y)}", None),
            (f"{d.day}. {MONTHS['de'][d.month - 1]} {era_year(y)}", None),
            (f"{d.day} de {MONTHS['es'][d.month - 1]} de {era_year(y)}", None),
            (f"{d.day} {MONTHS['ru'][d.month - 1]} {era_year(y)}", None),
        ]
        if y >= 1000:
            out += [
                (f"{d.day:02d}.{d.month:02d}.{y}", None),
                (f"{d.day:02d}/{d.month:02d}/{y}", DateOrder.DAY_FIRST),
                (f"{d.month:02d}/{d.day:02d}/{y}", DateOrder.MONTH_FIRST),
                (f"{y}{d.month:02d}{d.day:02d}", None),
                (f"{d.day:02d}-{en[:3]}-{y}", None),
            ]
        if 1950 <= y <= 2049:
            out.append((f"{d.day}-{en[:3]}-{y % 100:02d}", None))
    if d.minute is not None and y >= 1000:
        assert d.month is not None and d.day is not None and d.hour is not None
        out += [
            (f"{d.iso()}:07.123Z", None),
            (f"{d.iso().replace('T', ' ')}:59", None),
            (f"{d.day} {calendar.month_name[d.month]} {y} {d.hour:02d}:{d.minute:02d}", None),
        ]
    return out


@settings(max_examples=300, deadline=None)
@given(dates())
def test_every_style_reads_back_to_the_same_date_and_precision(date):
    for text, order in styles(date):
        parsed = parse_date(text, order)
        assert (parsed.date, parsed.date.precision, parsed.end) == (date, date.precision, None), (
            text
        )


@settings(max_examples=200, deadline=None)
@given(
    # Seconds below 1e10 (until 2286), milliseconds above it (from April 1970).
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2285, 12, 31)).map(
        lambda m: PartialDate(m.year, m.month, m.day, m.hour, m.minute)
    )
)
def test_epoch_numbers_read_back_to_the_minute(date):
    seconds = date.lower_epoch() + 37  # seconds are read, and dropped
    for numbers, value in (
        (Numbers.EPOCH_SECONDS, seconds),
        (Numbers.EPOCH_MILLISECONDS, seconds * 1000 + 5),
    ):
        column = sniff_dates([value, value])
        assert column.numbers is numbers
        assert column.reader()(value).date == date


@settings(max_examples=200, deadline=None)
@given(st.lists(dates(), min_size=2, max_size=30))
def test_bce_order_is_the_order_of_time(values):
    ordered = sorted(values, key=PartialDate.sort_key)

    # In time: years (1 BC, then AD 1), then months, days, minutes; coarser first.
    def timeline(d):
        return (d.year, d.month or 1, d.day or 1, d.hour or 0, d.minute or 0, d.precision)

    assert [timeline(d) for d in ordered] == sorted(timeline(d) for d in values)
    lows = [d.lower_epoch() for d in ordered]
    assert lows == sorted(lows)
    for d in values:
        assert d.upper_epoch() > d.lower_epoch()


def test_there_is_no_year_zero():
    one_bc, ad_one = parse_date("1 BC").date, parse_date("AD 1").date
    assert one_bc.upper_epoch() == ad_one.lower_epoch()
    assert (
        ad_one.lower_epoch()
        == (datetime(1, 1, 1, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
    )
    with pytest.raises(DateError, match="no year 0"):
        parse_date("0")
    # 1 BC is a leap year in the proleptic calendar (astronomical year 0).
    assert parse_date("29 February 1 BC").date == PartialDate(-1, 2, 29)


def test_epochs_agree_with_datetime_where_it_reaches():
    for d in (
        PartialDate(1),
        PartialDate(1969, 12, 31, 23, 59),
        PartialDate(2024, 2),
        PartialDate(9999),
    ):
        assert d.lower_epoch() == (d.lower() - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
        assert (
            d.upper_epoch() == (d.upper() - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
            or d.year == 9999
        )


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "approximate"),
    [
        ("2014-02-19T15:32:11.123Z", "2014-02-19T15:32", None, Precision.MINUTE, False),
        ("2014-02-19T15:32:11+03:00", "2014-02-19T12:32", None, Precision.MINUTE, False),
        ("9-May-20", "2020-05-09", None, Precision.DAY, False),
        ("01-January-2015", "2015-01-01", None, Precision.DAY, False),
        ("December 7, 1941", "1941-12-07", None, Precision.DAY, False),
        ("17.01.2025", "2025-01-17", None, Precision.DAY, False),
        ("-509", "-0509", None, Precision.YEAR, False),
        ("509 BC", "-0509", None, Precision.YEAR, False),
        ("753 BCE", "-0753", None, Precision.YEAR, False),
        ("AD 14", "0014", None, Precision.YEAR, False),
        ("911", "0911", None, Precision.YEAR, False),
        ("c. 1200 BC", "-1200", None, Precision.YEAR, True),
        ("circa 800", "0800", None, Precision.YEAR, True),
        ("1850s", "1850", "1859", Precision.YEAR, True),
        ("1st century", "0001", "0100", Precision.YEAR, True),
        ("5th century BC", "-0500", "-0401", Precision.YEAR, True),
        ("1914-1918", "1914", "1918", Precision.YEAR, False),
        ("April-May 1945", "1945-04", "1945-05", Precision.MONTH, True),
        ("509–480 BC", "-0509", "-0480", Precision.YEAR, False),
        ("15 March 44 BC", "-0044-03-15", None, Precision.DAY, False),
    ],
)
def test_forms_from_real_files(text, start, end, precision, approximate):
    parsed = parse_date(text)
    assert parsed.date.iso() == start
    assert (parsed.end.iso() if parsed.end else None) == end
    assert parsed.date.precision is precision
    assert parsed.approximate is approximate


def test_a_column_decides_its_order_from_a_day_over_12():
    day_first = sniff_dates(["03/04/2025", "17/04/2025"])
    assert day_first.order is DateOrder.DAY_FIRST and "17/04/2025" in day_first.note
    assert day_first.reader()("03/04/2025").date == PartialDate(2025, 4, 3)
    month_first = sniff_dates(["03/04/2025", "04/17/2025"])
    assert month_first.order is DateOrder.MONTH_FIRST
    assert month_first.reader()("03/04/2025").date == PartialDate(2025, 3, 4)
    unsettled = sniff_dates(["03/04/2025"])
    assert unsettled.order is DateOrder.DAY_FIRST and "assumed" in unsettled.note
    chosen = sniff_dates(["03/04/2025", "17/04/2025"], DateOrder.MONTH_FIRST)
    assert chosen.order is DateOrder.MONTH_FIRST


def test_numbers_in_a_date_column_by_their_size():
    assert sniff_dates([20200509, "20200510"]).numbers is Numbers.YYYYMMDD
    # 1972-01-01 02:18:37 in epoch seconds looks like 6308-03-17 written compactly.
    assert sniff_dates([63080317, 63080400]).numbers is Numbers.EPOCH_SECONDS
    assert sniff_dates([43960, 43961.5]).numbers is Numbers.EXCEL
    assert sniff_dates([43960]).reader()(43960).date == PartialDate(2020, 5, 9)
    years = sniff_dates([-509, 14, 1453])
    assert years.numbers is Numbers.YEARS
    assert years.reader()(-509).date == PartialDate(-509)


@settings(max_examples=300, deadline=None)
@given(dates(precisions=(Precision.DAY,)))
def test_the_day_at_an_epoch_second_is_the_day_it_came_from(date):
    from desktop.core.dates import day_at, day_before

    assert day_at(date.lower_epoch()) == date
    assert day_at(date.upper_epoch() - 1) == date
    assert day_before(date.upper_epoch()) == date  # the last instant of an exclusive end

"""A column of dates read as one: its order and its kind of numbers decided from its values.

"03/04/2025" alone could be 3 April or March 4; a column that also holds
"17/04/2025" is day-first, one that holds "04/17/2025" month-first, and the
choice is named in one note. Numbers in a date column are read by their
size: epoch milliseconds or seconds (UTC), YYYYMMDD integers (GDELT's
SQLDATE), Excel serial days, or years (signed, historians' count). Cells that
a workbook or JSON already typed (dates, numbers) are read as such.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from .dates import DateError, DateOrder, ParsedDate, PartialDate, parse_date

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_FLOAT_SPACES = " \t\n\v\f\r"
_DMY = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})\b")
_EXCEL_ZERO = datetime(1899, 12, 30)
_SAMPLE = 2000


class Numbers(StrEnum):
    """How the numbers of a date column are read."""

    YEARS = "years"
    YYYYMMDD = "yyyymmdd"
    EPOCH_SECONDS = "epoch seconds"
    EPOCH_MILLISECONDS = "epoch milliseconds"
    EXCEL = "Excel serial days"


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    # Only the spaces float() itself skips: "0\x1f" is text, not the number 0.
    return isinstance(value, str) and bool(_NUMBER.match(value.strip(_FLOAT_SPACES)))


def _valid_compact(number: float) -> bool:
    # Years 1000 to 2199 only: beyond that, eight digits are far likelier epoch
    # seconds (1972 is 63,0xx,xxx, which would otherwise read as the year 6308).
    if number != int(number) or not 10000101 <= number <= 21991231:
        return False
    month, day = int(number) // 100 % 100, int(number) % 100
    return 1 <= month <= 12 and 1 <= day <= 31


def sniff_numbers(values: list[Any]) -> Numbers | None:
    """How a column's numbers are dates, or None when most of its values are not numbers."""
    numbers = [float(v) for v in values if _is_number(v)]
    if not numbers or len(numbers) < 0.9 * len(values):
        return None
    if all(_valid_compact(n) for n in numbers):
        return Numbers.YYYYMMDD
    biggest = max(abs(n) for n in numbers)
    # Epoch seconds reach 1e10 only in 2286; milliseconds passed it in April 1970.
    if biggest >= 1e10:
        return Numbers.EPOCH_MILLISECONDS
    if all(n == int(n) and abs(n) <= 9999 for n in numbers):
        return Numbers.YEARS
    # Excel counts days from 1899-12-30: 10,000 to 100,000 is 1927 to 2173.
    if all(10_000 <= n < 100_000 for n in numbers):
        return Numbers.EXCEL
    if biggest >= 1e6:
        return Numbers.EPOCH_SECONDS
    return None


def sniff_order(values: Iterable[Any]) -> tuple[DateOrder | None, str]:
    """Day-first or month-first, from numeric dates whose parts say so, and why.

    None when the column has no numeric day/month dates at all.
    """
    seen = False
    for value in values:
        if not isinstance(value, str):
            continue
        match = _DMY.match(value)
        if not match:
            continue
        seen = True
        first, second = int(match[1]), int(match[2])
        if first > 12 >= second:
            return DateOrder.DAY_FIRST, f"{value.strip()!r} has a day over 12 first"
        if second > 12 >= first:
            return DateOrder.MONTH_FIRST, f"{value.strip()!r} has a day over 12 second"
    if not seen:
        return None, ""
    return DateOrder.DAY_FIRST, "no day over 12 says which comes first: day-first assumed"


def _from_moment(moment: datetime, timed: bool = True) -> PartialDate:
    if timed:
        return PartialDate(moment.year, moment.month, moment.day, moment.hour, moment.minute)
    return PartialDate(moment.year, moment.month, moment.day)


def read_number(number: float, kind: Numbers) -> PartialDate:
    """A number in a date column, read as ``kind``."""
    try:
        if kind is Numbers.YYYYMMDD:
            whole = int(number)
            return parse_date(str(whole)).date
        if kind is Numbers.EPOCH_MILLISECONDS:
            return _from_moment(datetime.fromtimestamp(number / 1000, UTC))
        if kind is Numbers.EPOCH_SECONDS:
            return _from_moment(datetime.fromtimestamp(number, UTC))
        if kind is Numbers.EXCEL:
            moment = _EXCEL_ZERO + timedelta(days=number)
            return _from_moment(moment, timed=number != int(number))
    except (OverflowError, OSError, ValueError):
        raise DateError(f"{number:g} is out of range for {kind.value}") from None
    if number != int(number):
        raise DateError(f"{number:g} is not a whole year")
    return parse_date(str(int(number))).date


@dataclass(frozen=True)
class ColumnDates:
    """How one column's dates are read: the order of numeric dates and the kind of numbers."""

    order: DateOrder | None = None
    numbers: Numbers | None = None
    note: str = ""

    def reader(self) -> Callable[[Any], ParsedDate]:
        """A reader of this column's cells; each distinct text is read once."""
        cache: dict[Any, ParsedDate | DateError] = {}
        order, numbers = self.order, self.numbers

        def read(value: Any) -> ParsedDate:
            if isinstance(value, datetime):
                return ParsedDate(_from_moment(value, timed=bool(value.hour or value.minute)))
            if isinstance(value, date):
                return ParsedDate(PartialDate(value.year, value.month, value.day))
            key = value if isinstance(value, str | int | float) else repr(value)
            found = cache.get(key)
            if found is None:
                try:
                    if numbers is not None and _is_number(value):
                        found = ParsedDate(read_number(float(value), numbers))
                    elif isinstance(value, int | float) and not isinstance(value, bool):
                        found = ParsedDate(read_number(float(value), Numbers.YEARS))
                    elif isinstance(value, str):
                        found = parse_date(value, order)
                    else:
                        raise DateError(f"{value!r} is not a date")
                except DateError as exc:
                    found = exc
                if len(cache) < 1 << 16:
                    cache[key] = found
            if isinstance(found, DateError):
                raise found
            return found

        return read


def sniff_dates(values: Iterable[Any], order: DateOrder | None = None) -> ColumnDates:
    """How to read a column of dates, from (a sample of) its non-empty values.

    ``order`` is the user's choice, if any: it wins over what the values suggest.
    """
    sample = [v for v in values if v not in (None, "")][:_SAMPLE]
    numbers = sniff_numbers(sample)
    if numbers not in (None, Numbers.YEARS):
        assert numbers is not None
        note = f"numbers read as {numbers.value}" + (
            " (UTC)" if numbers in (Numbers.EPOCH_SECONDS, Numbers.EPOCH_MILLISECONDS) else ""
        )
        return ColumnDates(order, numbers, note)
    found, why = sniff_order(sample)
    if order is not None:
        return ColumnDates(order, numbers, f"dates read {order.value}, as chosen")
    if found is None:
        return ColumnDates(None, numbers, "")
    return ColumnDates(found, numbers, f"dates read {found.value}: {why}")


def date_share(values: list[Any]) -> float:
    """The share of ``values`` (non-empty) that read as dates or date numbers."""
    sample = [v for v in values if v not in (None, "")][:200]
    if not sample:
        return 0.0
    column = sniff_dates(sample)
    read = column.reader()
    good = 0
    for value in sample:
        try:
            read(value)
            good += 1
        except DateError:
            pass
    return good / len(sample)


def read_clock(value: Any) -> tuple[int, int]:
    """A time-of-day cell ("22:26", "4:11 PM", a workbook time) as (hour, minute)."""
    if isinstance(value, datetime | time):
        return value.hour, value.minute
    text = str(value).strip()
    match = re.fullmatch(
        r"(\d{1,2})[:.h](\d{2})(?::\d{2}(?:[.,]\d+)?)?\s*(?P<ampm>[ap]\.?\s?m\.?)?(?:\s*(?:Z|UTC))?",
        text,
        re.I,
    )
    if not match:
        raise DateError(f"time {text!r} is not a time of day: write it as HH:MM")
    hour, minute = int(match[1]), int(match[2])
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise DateError(f"time {text!r}: a 12-hour time runs from 1 to 12")
        hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise DateError(f"time {text!r} does not exist (00:00 to 23:59)")
    return hour, minute

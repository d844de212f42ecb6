"""The distinct texts of a date column read at once, as parse_date() reads each.

A column of a million dates holds tens of thousands of distinct texts, almost
all in the canonical form programs write ("2025", "2025-01", "2025-01-17",
"2025-01-17T14:30", a BCE year signed "-0509"). Those are read by numpy over
their characters (digits at fixed places), checked by the same rules as
dates._from_parts, and placed on the epoch axis by the same civil-day formula;
their PartialDate objects are built only when an event holding one is built.
Every other text (a word, a range, a stray space, a day that does not exist)
goes through parse_date() itself, which stays the reference and raises what
it raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

from .dates import _DAY, _EPOCH_DAYS, PartialDate, Precision, parse_date

# Where each part of the canonical form lies once a sign is taken off, and the
# lengths that form can have: year, month, day, minute precision.
_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15)
_MARKS = ((4, "-"), (7, "-"), (10, "T"), (13, ":"))
_LENGTHS = {4: Precision.YEAR, 7: Precision.MONTH, 10: Precision.DAY, 16: Precision.MINUTE}
_WIDTH = 17  # a sign and the longest form
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], np.int64)


@dataclass(frozen=True)
class DistinctDates:
    """Per distinct text: its date (None for an empty cell), the end of a range it
    writes (None for most), whether it is approximate, its precision, and the
    epoch seconds its date starts at and ends before (0 where there is none);
    ``covered_upper`` is the end of the whole span written (a range's end's)."""

    dates: Sequence[PartialDate | None]
    range_ends: Sequence[PartialDate | None]
    approximate: np.ndarray
    precision: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    covered_upper: np.ndarray
    ranged: np.ndarray

    @property
    def present(self) -> np.ndarray:
        return self.precision > 0


class _Built(Sequence[PartialDate | None]):
    """Dates from their parts (-1: a part not written), each built when first read."""

    def __init__(self, parts: np.ndarray, known: dict[int, PartialDate | None]) -> None:
        self._parts = parts  # rows of (year, month, day, hour, minute)
        self._built: list[object] = [_UNSET] * len(parts)
        for i, date in known.items():
            self._built[i] = date

    def __len__(self) -> int:
        return len(self._parts)

    @overload
    def __getitem__(self, i: int) -> PartialDate | None: ...
    @overload
    def __getitem__(self, i: slice) -> list[PartialDate | None]: ...
    def __getitem__(self, i: int | slice) -> PartialDate | None | list[PartialDate | None]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        found = self._built[i]  # read for every event built: kept short
        if found is _UNSET:
            year, *rest = self._parts[i].tolist()
            month, day, hour, minute = (None if v < 0 else v for v in rest)
            found = self._built[i] = PartialDate(year, month, day, hour, minute)
        return found  # type: ignore[return-value]


_UNSET = object()


def days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """dates._days_from_civil over arrays (astronomical years), floor division as Python's."""
    year = year - (month <= 2)
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - _EPOCH_DAYS  # type: ignore[no-any-return]


def read_distinct(texts: Sequence[str | None]) -> DistinctDates:
    """Each text read as parse_date() reads it (stripped; empty or None: no date).

    Raises DateError for a text parse_date() rejects, as parse_date() does.
    """
    m = len(texts)
    parts = np.full((m, 5), -1, np.int64)
    fast = _canonical(texts, parts)
    known: dict[int, PartialDate | None] = {}
    range_ends: dict[int, PartialDate] = {}
    approximate = np.zeros(m, bool)
    missing = np.zeros(m, bool)
    for i in np.flatnonzero(~fast).tolist():
        text = (texts[i] or "").strip()
        if not text:
            known[i] = None
            missing[i] = True
            continue
        parsed = parse_date(text)
        date = known[i] = parsed.date
        parts[i] = [date.year, *(-1 if v is None else v for v in _rest(date))]
        approximate[i] = parsed.approximate
        if parsed.end is not None:
            range_ends[i] = parsed.end
    lower, upper, precision = _spans(parts)
    covered = upper.copy()
    if range_ends:
        ends = np.full((len(range_ends), 5), -1, np.int64)
        for row, end in enumerate(range_ends.values()):
            ends[row] = [end.year, *(-1 if v is None else v for v in _rest(end))]
        covered[list(range_ends)] = _spans(ends)[1]
    for array in (lower, upper, covered):
        array[missing] = 0.0
    precision[missing] = 0
    ends_seq: list[PartialDate | None] = [None] * m
    ranged = np.zeros(m, bool)
    for i, end in range_ends.items():
        ends_seq[i] = end
        ranged[i] = True
    return DistinctDates(
        _Built(parts, known), ends_seq, approximate, precision, lower, upper, covered, ranged
    )


def _rest(date: PartialDate) -> tuple[int | None, ...]:
    return (date.month, date.day, date.hour, date.minute)


def _canonical(texts: Sequence[str | None], parts: np.ndarray) -> np.ndarray:
    """Which texts are in the canonical form and valid, their parts written into
    ``parts``; the others are left to parse_date()."""
    m = len(texts)
    lengths = np.fromiter((len(t) if t is not None else 0 for t in texts), np.int64, m)
    candidate = (lengths >= 4) & (lengths <= _WIDTH)
    if not candidate.any():
        return candidate
    which = np.flatnonzero(candidate)
    chars = np.array([texts[i] for i in which.tolist()], f"U{_WIDTH}")
    codes = chars.view(np.uint32).reshape(len(which), _WIDTH).astype(np.int64)
    signed = codes[:, 0] == ord("-")
    body = np.where(signed[:, None], np.roll(codes, -1, axis=1), codes)[:, :16]
    size = lengths[which] - signed
    ok = np.isin(size, list(_LENGTHS))
    digit = body - ord("0")
    for place in _DIGITS:
        written = size > place
        ok &= ~written | ((digit[:, place] >= 0) & (digit[:, place] <= 9))
    for place, mark in _MARKS:
        written = size > place
        ok &= ~written | (body[:, place] == ord(mark))

    def number(first: int, count: int, written: np.ndarray) -> np.ndarray:
        value = np.zeros(len(which), np.int64)
        for place in range(first, first + count):
            value = value * 10 + np.where(written, digit[:, place], 0)
        return np.where(written, value, -1)

    year = number(0, 4, ok)
    year = np.where(signed, -year, year)
    month = number(5, 2, ok & (size >= 7))
    day = number(8, 2, ok & (size >= 10))
    hour = number(11, 2, ok & (size == 16))
    minute = number(14, 2, ok & (size == 16))
    # The checks of dates._from_parts: anything they reject is parse_date()'s to report.
    ok &= year != 0
    ok &= (month < 0) | ((month >= 1) & (month <= 12))
    astro = np.where(year < 0, year + 1, year)
    leap = (astro % 4 == 0) & ((astro % 100 != 0) | (astro % 400 == 0))
    last = _MONTH_DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
    ok &= (day < 0) | ((day >= 1) & (day <= last))
    ok &= (hour < 0) | ((hour <= 23) & (minute <= 59))
    found = np.zeros(m, bool)
    found[which[ok]] = True
    parts[which[ok]] = np.stack([year, month, day, hour, minute], axis=1)[ok]
    return found


def _spans(parts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PartialDate.lower_epoch, upper_epoch and precision of each row of parts."""
    year, month, day, hour, minute = (parts[:, k] for k in range(5))
    astro = np.where(year < 0, year + 1, year)
    has_month, has_day, has_minute = month >= 0, day >= 0, minute >= 0
    month1 = np.where(has_month, month, 1)
    day1 = np.where(has_day, day, 1)
    seconds = np.where(hour >= 0, hour * 3600, 0) + np.where(has_minute, minute * 60, 0)
    lower = (days_from_civil(astro, month1, day1) * _DAY + seconds).astype(float)
    precision = np.select(
        [has_minute, has_day, has_month],
        [int(Precision.MINUTE), int(Precision.DAY), int(Precision.MONTH)],
        int(Precision.YEAR),
    ).astype(np.int8)
    next_month = month1 + 1
    year_of_next = np.where(next_month == 13, astro + 1, astro)
    next_month = np.where(next_month == 13, 1, next_month)
    upper = np.select(
        [has_minute, has_day, has_month],
        [
            lower + 60,
            lower + _DAY,
            (days_from_civil(year_of_next, next_month, np.ones_like(day1)) * _DAY).astype(float),
        ],
        (days_from_civil(astro + 1, np.ones_like(month1), np.ones_like(day1)) * _DAY).astype(float),
    )
    return lower, upper.astype(float), precision

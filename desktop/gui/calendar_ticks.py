"""Calendar ticks for a time axis at any scale: minutes to millennia, BCE included.

Numpy, no Qt: which dates get a tick, for a stretch of UTC epoch seconds;
the levels and the words of each tick are ``calendar_levels``'. The axis
(``axis_labels``) measures the texts and keeps the finest level whose labels
do not collide.

Dates are proleptic Gregorian on one UTC axis, as numpy's ``datetime64``
counts them (astronomical years: 0 is 1 BC), so a tick in 500 BC is where an
event dated "500 BC" is drawn. Years are labelled as historians count them:
no year 0, the year after 1 BC is AD 1 (and its tick says so), and round
BCE years ("500 BC") are the ticks of a BCE axis.

Each level has a second, coarser row of context: the day above the hours,
the month above the days, the year above the months; a year axis needs none.
"""

from __future__ import annotations

import numpy as np

from . import calendar_levels as plain
from .calendar_levels import DAY, DAYS, MONTH_S, MONTHS_UNIT, MOST_TICKS, YEAR_S, Parts


class Level(plain.Level):
    """A level of ``calendar_levels``, its ticks found over ``datetime64``: any year."""

    def ticks(self, lo: float, hi: float) -> np.ndarray:
        """Epoch seconds of this level's ticks in [lo, hi]."""
        if self.too_many(lo, hi):
            return np.zeros(0)
        if self.even_spacing():
            size = self.spacing
            first = np.ceil(lo / size) * size
            return np.arange(first, hi + size / 2, size)[: MOST_TICKS + 1]
        if self.unit == "D":
            return _days(lo, hi, self.step)
        if self.unit == "M":
            return _months(lo, hi, self.step)
        return _years(lo, hi, self.step)

    def texts(self, ticks: np.ndarray) -> list[str]:
        """How each tick reads in the first row: "15:30", "17", "Jan", "2025", "500 BC"."""
        return plain.tick_texts(self.unit, parts(ticks))

    def texts_in_context(self, ticks: np.ndarray) -> list[str]:
        """Texts for an axis of one row: the first tick, and each that starts a new day,
        month or year, also say which ("1 Mar", "Jan 2025", "18 Jan 00:00")."""
        return plain.texts_in_context(self, parts(ticks))


LEVELS: tuple[Level, ...] = tuple(Level(level.unit, level.step) for level in plain.LEVELS)


def parts(seconds: np.ndarray) -> list[Parts]:
    """(historians' year, month 0-11, day of month, minute of day) of each time."""
    if not len(seconds):
        return []
    days = _as_days(seconds)
    months = days.astype("datetime64[M]")
    month = (months.astype(np.int64) % 12).tolist()
    day = ((days - months.astype("datetime64[D]")).astype(np.int64) + 1).tolist()
    minute = ((np.floor(np.asarray(seconds)).astype(np.int64) // 60) % (24 * 60)).tolist()
    years = historians_years(seconds).tolist()
    return list(zip(years, month, day, minute, strict=True))


def _as_days(seconds: np.ndarray) -> np.ndarray:
    return np.floor(np.asarray(seconds) / DAY).astype(np.int64).astype("datetime64[D]")


def _epoch(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[s]").astype(np.int64).astype(float)


def historians_years(seconds: np.ndarray) -> np.ndarray:
    """The year holding each epoch second, as historians count: -1 is 1 BC, no year 0."""
    astronomical = _as_days(seconds).astype("datetime64[Y]").astype(np.int64) + 1970
    return np.where(astronomical <= 0, astronomical - 1, astronomical)


def _year_starts(historians: np.ndarray) -> np.ndarray:
    astronomical = np.where(historians < 0, historians + 1, historians)
    return _epoch((astronomical - 1970).astype("datetime64[Y]"))


def _days(lo: float, hi: float, step: int) -> np.ndarray:
    # Day 1 of each month, then every ``step`` days, leaving out a day closer
    # than ``step`` to the next month's first (31 then 1 would collide).
    first, last = _as_days(np.array([lo, hi]))
    days = np.arange(first, last + np.timedelta64(1, "D"))
    start = days.astype("datetime64[M]")
    day = (days - start.astype("datetime64[D]")).astype(np.int64) + 1
    length = ((start + np.timedelta64(1, "M")).astype("datetime64[D]") - start).astype(np.int64)
    keep = ((day - 1) % step == 0) & (length - day + 1 >= step)
    ticks = _epoch(days[keep])
    return ticks[(ticks >= lo) & (ticks <= hi)]


def _months(lo: float, hi: float, step: int) -> np.ndarray:
    first, last = _as_days(np.array([lo, hi])).astype("datetime64[M]")
    months = np.arange(first, last + np.timedelta64(1, "M"))
    months = months[months.astype(np.int64) % 12 % step == 0]
    ticks = _epoch(months)
    return ticks[(ticks >= lo) & (ticks <= hi)]


def _years(lo: float, hi: float, step: int) -> np.ndarray:
    first, last = historians_years(np.array([lo, hi])).tolist()
    years = np.arange(first // step * step, last + 1, step, dtype=np.int64)
    # There is no year 0: its tick is AD 1, the year after 1 BC. The years stay in
    # order, so a repeat is next to its twin (np.unique would import numpy.ma,
    # a twentieth of a second, on the window's first frame).
    years = np.where(years == 0, 1, years)
    years = years[np.concatenate(([True], years[1:] != years[:-1]))]
    years = years[(years >= first) & (years <= last)]
    if not len(years):
        return np.zeros(0)
    ticks = _year_starts(years)
    return ticks[(ticks >= lo) & (ticks <= hi)]


def context_starts(unit: str, lo: float, hi: float) -> np.ndarray:
    """The start of every day, month or year that overlaps [lo, hi], the first one
    (holding ``lo``) included even when it starts before ``lo``."""
    first, last = _as_days(np.array([lo, hi]))
    if unit == DAYS:
        if (hi - lo) / DAY > MOST_TICKS:
            return np.zeros(0)
        return _epoch(np.arange(first, last + np.timedelta64(1, "D")))
    if unit == MONTHS_UNIT:
        if (hi - lo) / MONTH_S > MOST_TICKS:
            return np.zeros(0)
        a, b = first.astype("datetime64[M]"), last.astype("datetime64[M]")
        return _epoch(np.arange(a, b + np.timedelta64(1, "M")))
    if (hi - lo) / YEAR_S > MOST_TICKS:
        return np.zeros(0)
    a, b = historians_years(np.array([lo, hi])).tolist()
    years = np.arange(a, b + 1, dtype=np.int64)
    return _year_starts(years[years != 0])


def context_texts(unit: str, starts: np.ndarray) -> list[str]:
    """How each period reads in the second row: "17 Jan 2025", "January 2025", "44 BC"."""
    return plain.context_texts(unit, parts(starts))


def period_text(lo: float, hi: float) -> str:
    """A short stretch of time named as a whole: "Mar 2001", "2013", "1990–1991"."""
    a, b = parts(np.array([lo, hi]))
    return plain.period_text(a, b)


class NumpyCalendar:
    """The calendar ``axis_labels`` reads, over these arrays: any year."""

    def ticks(self, level: plain.Level, lo: float, hi: float) -> np.ndarray:
        return Level(level.unit, level.step).ticks(lo, hi)

    def texts(self, level: plain.Level, ticks: np.ndarray) -> list[str]:
        return plain.tick_texts(level.unit, parts(ticks))

    def texts_in_context(self, level: plain.Level, ticks: np.ndarray) -> list[str]:
        return plain.texts_in_context(level, parts(ticks))

    def context_starts(self, unit: str, lo: float, hi: float) -> np.ndarray:
        return context_starts(unit, lo, hi)

    def context_texts(self, unit: str, starts: np.ndarray) -> list[str]:
        return context_texts(unit, starts)

    def period_text(self, lo: float, hi: float) -> str:
        return period_text(lo, hi)

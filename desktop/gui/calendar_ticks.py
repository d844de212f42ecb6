"""Calendar ticks for a time axis at any scale: minutes to millennia, BCE included.

Pure numpy, no Qt: which dates get a tick and how each reads, for a stretch
of UTC epoch seconds. The axis (``timeline_axis``) measures the texts and
keeps the finest level whose labels do not collide.

Dates are proleptic Gregorian on one UTC axis, as numpy's ``datetime64``
counts them (astronomical years: 0 is 1 BC), so a tick in 500 BC is where an
event dated "500 BC" is drawn. Years are labelled as historians count them:
no year 0, the year after 1 BC is AD 1 (and its tick says so), and round
BCE years ("500 BC") are the ticks of a BCE axis.

Each level has a second, coarser row of context: the day above the hours,
the month above the days, the year above the months; a year axis needs none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.core.display import MONTHS, MONTHS_SHORT, year_words

MINUTE = 60
HOUR = 3600
DAY = 86_400
_MONTH = 30.44 * DAY
_YEAR = 365.2425 * DAY
# More ticks than this in one stretch is a level far too fine to consider.
MOST_TICKS = 2_000

# Context rows.
DAYS = "D"
MONTHS_UNIT = "M"
YEARS = "Y"


@dataclass(frozen=True)
class Level:
    """One spacing of ticks: every ``step`` of ``unit`` ('m', 'h', 'D', 'M' or 'Y')."""

    unit: str
    step: int

    @property
    def spacing(self) -> float:
        """The shortest distance between two ticks of this level, in seconds."""
        return {
            "m": MINUTE,
            "h": HOUR,
            "D": DAY,
            "M": 28 * DAY,
            "Y": 365 * DAY,
        }[self.unit] * self.step

    @property
    def context(self) -> str | None:
        """The unit of the second row: the day, month or year each tick belongs to."""
        return {"m": DAYS, "h": DAYS, "D": MONTHS_UNIT, "M": YEARS, "Y": None}[self.unit]

    def ticks(self, lo: float, hi: float) -> np.ndarray:
        """Epoch seconds of this level's ticks in [lo, hi]."""
        if hi < lo or (hi - lo) / self.spacing > MOST_TICKS:
            return np.zeros(0)
        if self.unit in ("m", "h") or (self.unit == "D" and self.step == 1):
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
        if not len(ticks):
            return []
        if self.unit in ("m", "h"):
            minutes = (np.floor(ticks).astype(np.int64) // MINUTE) % (24 * 60)
            return [f"{m // 60:02d}:{m % 60:02d}" for m in minutes.tolist()]
        if self.unit == "D":
            days = _as_days(ticks)
            months = days.astype("datetime64[M]")
            first = months.astype("datetime64[D]")
            return [str(d + 1) for d in (days - first).astype(np.int64).tolist()]
        if self.unit == "M":
            month = _as_days(ticks).astype("datetime64[M]").astype(np.int64) % 12
            return [MONTHS_SHORT[m] for m in month.tolist()]
        return [_year_tick(y) for y in historians_years(ticks).tolist()]

    def texts_in_context(self, ticks: np.ndarray) -> list[str]:
        """Texts for an axis of one row: the first tick, and each that starts a new day,
        month or year, also say which ("1 Mar", "Jan 2025", "18 Jan 00:00")."""
        texts = self.texts(ticks)
        if self.context is None or not len(ticks):
            return texts
        days = _as_days(ticks)
        months = days.astype("datetime64[M]")
        years = historians_years(ticks)
        month_of = (months.astype(np.int64) % 12).tolist()
        day_of = ((days - months.astype("datetime64[D]")).astype(np.int64) + 1).tolist()
        key = {DAYS: days, MONTHS_UNIT: months, YEARS: years}[self.context].astype(np.int64)
        out = []
        for i, text in enumerate(texts):
            if i and key[i] == key[i - 1]:
                out.append(text)
                continue
            new_year = not i or years[i] != years[i - 1]
            year = f" {year_words(int(years[i]))}" if new_year else ""
            if self.unit == "M":
                out.append(f"{text}{year}")
            elif self.unit == "D":
                out.append(f"{text} {MONTHS_SHORT[month_of[i]]}{year}")
            else:
                out.append(f"{day_of[i]} {MONTHS_SHORT[month_of[i]]}{year} {text}")
        return out


# Finest first. Day steps count within the month (1, 11, 21); year steps are
# round historians' years.
LEVELS: tuple[Level, ...] = (
    *(Level("m", s) for s in (1, 2, 5, 10, 15, 30)),
    *(Level("h", s) for s in (1, 2, 3, 6, 12)),
    *(Level("D", s) for s in (1, 2, 5, 10)),
    *(Level("M", s) for s in (1, 2, 3, 6)),
    *(
        Level("Y", s)
        for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000)
    ),
)


def _year_tick(year: int) -> str:
    """A year on the axis: "500 BC", "AD 1" (the year after 1 BC says its era), "2025"."""
    return "AD 1" if year == 1 else year_words(year)


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
        if (hi - lo) / _MONTH > MOST_TICKS:
            return np.zeros(0)
        a, b = first.astype("datetime64[M]"), last.astype("datetime64[M]")
        return _epoch(np.arange(a, b + np.timedelta64(1, "M")))
    if (hi - lo) / _YEAR > MOST_TICKS:
        return np.zeros(0)
    a, b = historians_years(np.array([lo, hi])).tolist()
    years = np.arange(a, b + 1, dtype=np.int64)
    return _year_starts(years[years != 0])


def context_texts(unit: str, starts: np.ndarray) -> list[str]:
    """How each period reads in the second row: "17 Jan 2025", "January 2025", "44 BC"."""
    if not len(starts):
        return []
    years = [year_words(y) for y in historians_years(starts).tolist()]
    if unit == YEARS:
        return years
    days = _as_days(starts)
    months = (days.astype("datetime64[M]").astype(np.int64) % 12).tolist()
    if unit == MONTHS_UNIT:
        return [f"{MONTHS[m]} {y}" for m, y in zip(months, years, strict=True)]
    day = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    return [
        f"{d} {MONTHS_SHORT[m]} {y}" for d, m, y in zip(day.tolist(), months, years, strict=True)
    ]


def period_text(lo: float, hi: float) -> str:
    """A short stretch of time named as a whole: "Mar 2001", "2013", "1990–1991"."""
    years = historians_years(np.array([lo, hi])).tolist()
    if years[0] != years[1]:
        return f"{year_words(years[0])}–{year_words(years[1])}"
    first, last = (
        _as_days(np.array([lo, hi])).astype("datetime64[M]").astype(np.int64) % 12
    ).tolist()
    year = year_words(years[0])
    return f"{MONTHS_SHORT[first]} {year}" if first == last else year

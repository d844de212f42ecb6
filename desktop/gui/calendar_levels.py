"""The calendar axis's levels and how their ticks read, without numpy.

``calendar_ticks`` finds the ticks over numpy's ``datetime64`` (any year, BCE
included). The table of levels and the words of each tick are here, with a
plain-Python calendar over ``datetime`` for the years it holds (AD 1 to 9999):
the timeline's first frame, painted before numpy is imported, labels its axis
with it, by the same rules.

A tick's words come from its parts: the historians' year (-1 is 1 BC, no
year 0), the month (0 for January), the day of the month and the minute of the
day. Both calendars give the parts; the words are made here, once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from desktop.core.display import MONTHS, MONTHS_SHORT, year_words

MINUTE = 60
HOUR = 3600
DAY = 86_400
MONTH_S = 30.44 * DAY
YEAR_S = 365.2425 * DAY
# More ticks than this in one stretch is a level far too fine to consider.
MOST_TICKS = 2_000

# Context rows.
DAYS = "D"
MONTHS_UNIT = "M"
YEARS = "Y"

# (historians' year, month 0-11, day of month, minute of day)
Parts = tuple[int, int, int, int]


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

    def too_many(self, lo: float, hi: float) -> bool:
        """No ticks for [lo, hi]: an empty stretch, or far too many."""
        return hi < lo or (hi - lo) / self.spacing > MOST_TICKS

    def even_spacing(self) -> bool:
        """Ticks every ``spacing`` seconds from the epoch (minutes, hours, days)."""
        return self.unit in ("m", "h") or (self.unit == "D" and self.step == 1)


# Finest first. Day steps count within the month (1, 11, 21); year steps are
# round historians' years.
STEPS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("m", (1, 2, 5, 10, 15, 30)),
    ("h", (1, 2, 3, 6, 12)),
    ("D", (1, 2, 5, 10)),
    ("M", (1, 2, 3, 6)),
    ("Y", (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000)),
)
LEVELS: tuple[Level, ...] = tuple(Level(unit, s) for unit, steps in STEPS for s in steps)


def year_tick(year: int) -> str:
    """A year on the axis: "500 BC", "AD 1" (the year after 1 BC says its era), "2025"."""
    return "AD 1" if year == 1 else year_words(year)


def even_ticks(size: float, lo: float, hi: float) -> list[float]:
    """Every ``size`` seconds from the epoch in [lo, hi] (as numpy's arange counts them)."""
    first = math.ceil(lo / size) * size
    count = max(math.ceil((hi + size / 2 - first) / size), 0)
    return [first + i * size for i in range(min(count, MOST_TICKS + 1))]


def tick_texts(unit: str, parts: Sequence[Parts]) -> list[str]:
    """How each tick reads in the first row: "15:30", "17", "Jan", "2025", "500 BC"."""
    if unit in ("m", "h"):
        return [f"{m // 60:02d}:{m % 60:02d}" for _, _, _, m in parts]
    if unit == "D":
        return [str(d) for _, _, d, _ in parts]
    if unit == "M":
        return [MONTHS_SHORT[m] for _, m, _, _ in parts]
    return [year_tick(y) for y, _, _, _ in parts]


def texts_in_context(level: Level, parts: Sequence[Parts]) -> list[str]:
    """Texts for an axis of one row: the first tick, and each that starts a new day,
    month or year, also say which ("1 Mar", "Jan 2025", "18 Jan 00:00")."""
    texts = tick_texts(level.unit, parts)
    if level.context is None or not parts:
        return texts
    width = {DAYS: 3, MONTHS_UNIT: 2, YEARS: 1}[level.context]
    out = []
    for i, text in enumerate(texts):
        if i and parts[i][:width] == parts[i - 1][:width]:
            out.append(text)
            continue
        year_of, month_of, day_of, _ = parts[i]
        new_year = not i or year_of != parts[i - 1][0]
        year = f" {year_words(year_of)}" if new_year else ""
        if level.unit == "M":
            out.append(f"{text}{year}")
        elif level.unit == "D":
            out.append(f"{text} {MONTHS_SHORT[month_of]}{year}")
        else:
            out.append(f"{day_of} {MONTHS_SHORT[month_of]}{year} {text}")
    return out


def context_texts(unit: str, parts: Sequence[Parts]) -> list[str]:
    """How each period reads in the second row: "17 Jan 2025", "January 2025", "44 BC"."""
    if unit == YEARS:
        return [year_words(y) for y, _, _, _ in parts]
    if unit == MONTHS_UNIT:
        return [f"{MONTHS[m]} {year_words(y)}" for y, m, _, _ in parts]
    return [f"{d} {MONTHS_SHORT[m]} {year_words(y)}" for y, m, d, _ in parts]


def period_text(lo: Parts, hi: Parts) -> str:
    """A short stretch of time named as a whole: "Mar 2001", "2013", "1990–1991"."""
    if lo[0] != hi[0]:
        return f"{year_words(lo[0])}–{year_words(hi[0])}"
    year = year_words(lo[0])
    return f"{MONTHS_SHORT[lo[1]]} {year}" if lo[1] == hi[1] else year


# -- the plain calendar: AD 1 to 9999, over datetime ------------------------

_EPOCH = date(1970, 1, 1)
_FIRST = (datetime(1, 1, 2, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
_LAST = (datetime(9999, 12, 1, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()


class PlainCalendar:
    """``calendar_ticks``' ticks and texts, worked out with ``datetime``: for the
    years it holds (``holds``), without numpy."""

    @staticmethod
    def holds(lo: float, hi: float) -> bool:
        return lo >= _FIRST and hi <= _LAST

    @staticmethod
    def parts(ticks: Sequence[float]) -> list[Parts]:
        out = []
        for t in ticks:
            d = _day(t)
            out.append((d.year, d.month - 1, d.day, (math.floor(t) // MINUTE) % (24 * 60)))
        return out

    def ticks(self, level: Level, lo: float, hi: float) -> list[float]:
        if level.too_many(lo, hi):
            return []
        if level.even_spacing():
            return even_ticks(level.spacing, lo, hi)
        if level.unit == "D":
            return self._days(lo, hi, level.step)
        if level.unit == "M":
            months = _months(_day(lo), _day(hi))
            ticks = [_start(d) for d in months if (d.month - 1) % level.step == 0]
            return [t for t in ticks if lo <= t <= hi]
        return self._years(lo, hi, level.step)

    def texts(self, level: Level, ticks: Sequence[float]) -> list[str]:
        return tick_texts(level.unit, self.parts(ticks))

    def texts_in_context(self, level: Level, ticks: Sequence[float]) -> list[str]:
        return texts_in_context(level, self.parts(ticks))

    def context_starts(self, unit: str, lo: float, hi: float) -> list[float]:
        first, last = _day(lo), _day(hi)
        if unit == DAYS:
            if (hi - lo) / DAY > MOST_TICKS:
                return []
            return [_start(first + timedelta(days=i)) for i in range((last - first).days + 1)]
        if unit == MONTHS_UNIT:
            if (hi - lo) / MONTH_S > MOST_TICKS:
                return []
            return [_start(d) for d in _months(first, last)]
        if (hi - lo) / YEAR_S > MOST_TICKS:
            return []
        return [_start(date(y, 1, 1)) for y in range(first.year, last.year + 1)]

    def context_texts(self, unit: str, starts: Sequence[float]) -> list[str]:
        return context_texts(unit, self.parts(starts))

    def period_text(self, lo: float, hi: float) -> str:
        a, b = self.parts([lo, hi])
        return period_text(a, b)

    @staticmethod
    def _days(lo: float, hi: float, step: int) -> list[float]:
        # Day 1 of each month, then every ``step`` days, leaving out a day closer
        # than ``step`` to the next month's first (as calendar_ticks' _days).
        first, last = _day(lo), _day(hi)
        out = []
        for i in range((last - first).days + 1):
            d = first + timedelta(days=i)
            length = (_next_month(d) - d.replace(day=1)).days
            if (d.day - 1) % step == 0 and length - d.day + 1 >= step:
                t = _start(d)
                if lo <= t <= hi:
                    out.append(t)
        return out

    @staticmethod
    def _years(lo: float, hi: float, step: int) -> list[float]:
        first, last = _day(lo).year, _day(hi).year
        years: list[int] = []
        for y in range(first // step * step, last + 1, step):
            y = y or 1  # no year 0: its tick is AD 1
            if (not years or years[-1] != y) and first <= y <= last:
                years.append(y)
        ticks = [_start(date(y, 1, 1)) for y in years]
        return [t for t in ticks if lo <= t <= hi]


def _day(t: float) -> date:
    return _EPOCH + timedelta(days=math.floor(t / DAY))


def _start(d: date) -> float:
    return float((d - _EPOCH).days * DAY)


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _months(first: date, last: date) -> list[date]:
    out = [first.replace(day=1)]
    while out[-1] < last.replace(day=1):
        out.append(_next_month(out[-1]))
    return out

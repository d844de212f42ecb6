"""Year ticks for a time axis that reaches before year 1.

Python's datetime (and so pyqtgraph's date axis) stops at year 1; a timeline
of Roman battles needs "500 BC ... 100 BC, AD 1, 100". These ticks are laid
on the same UTC epoch seconds as every other date (``PartialDate.lower_epoch``),
at round historians' years: there is no year 0, so the tick after 100 BC is AD 1.
"""

from __future__ import annotations

import math

from .dates import PartialDate, year_label

FIRST_DATETIME_EPOCH = PartialDate(1).lower_epoch()
_YEAR_SECONDS = 365.2425 * 86_400
_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000)


def reaches_before_year_one(low: float) -> bool:
    return low < FIRST_DATETIME_EPOCH


def year_at(seconds: float) -> int:
    """The historians' year holding an epoch second (approximate within a day)."""
    astronomical = math.floor(1970 + seconds / _YEAR_SECONDS)
    return astronomical if astronomical > 0 else astronomical - 1


def year_ticks(low: float, high: float, most: int) -> tuple[int, list[tuple[float, str]]]:
    """Ticks at round years between two epoch seconds, at most ``most`` of them:
    (the step in years, [(epoch seconds, label)])."""
    most = max(most, 2)
    span_years = max((high - low) / _YEAR_SECONDS, 1.0)
    step = next((s for s in _STEPS if span_years / s <= most), _STEPS[-1])
    while span_years / step > most:
        step *= 10
    first, last = year_at(low), year_at(high)
    ticks = []
    start = math.floor(first / step) * step
    for n in range(start, last + step, step):
        year = 1 if n == 0 else n
        seconds = PartialDate(year).lower_epoch()
        if low <= seconds <= high:
            ticks.append((seconds, "AD 1" if year == 1 else year_label(year)))
    return step, ticks

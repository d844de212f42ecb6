"""Moving an event along time by whole steps of its own precision (a timeline drag).

A month-precision event moves by whole months, a year one by years, a day one
by days: a drag never invents a day the data does not hold. Its end moves by
the same steps; years count as historians do (1 BC is followed by AD 1), and
a day that does not exist in the new month (31 April, 29 February) becomes
the month's last.
"""

from __future__ import annotations

from dataclasses import replace

from .dates import (
    _DAY,
    PartialDate,
    Precision,
    astronomical,
    day_at,
    days_in_month,
    historians,
)
from .display import date_words
from .editing import Edit, Put, _index_of
from .model import Dataset, Event


def _cut(seconds: float, precision: Precision) -> PartialDate:
    """The date holding an epoch second, written to ``precision``."""
    day = day_at(seconds)
    match precision:
        case Precision.YEAR:
            return PartialDate(day.year)
        case Precision.MONTH:
            return PartialDate(day.year, day.month)
        case Precision.DAY:
            return day
        case _:
            within = int(seconds - (seconds // _DAY) * _DAY)
            return PartialDate(day.year, day.month, day.day, within // 3600, within % 3600 // 60)


def steps_between(old: PartialDate, new: PartialDate, precision: Precision) -> int:
    """Whole steps of ``precision`` from ``old`` to ``new`` (both written to it)."""
    match precision:
        case Precision.YEAR:
            return astronomical(new.year) - astronomical(old.year)
        case Precision.MONTH:
            return (astronomical(new.year) * 12 + (new.month or 1)) - (
                astronomical(old.year) * 12 + (old.month or 1)
            )
        case Precision.DAY:
            return int((new.lower_epoch() - old.lower_epoch()) // _DAY)
        case _:
            return int((new.lower_epoch() - old.lower_epoch()) // 60)


def shift(date: PartialDate, steps: int, unit: Precision) -> PartialDate:
    """``date`` moved by ``steps`` of ``unit``, keeping its own precision."""
    if steps == 0:
        return date
    if unit is Precision.YEAR or (unit is Precision.MONTH and date.month is None):
        years = steps if unit is Precision.YEAR else round(steps / 12)
        return _clamped(replace(date, year=historians(astronomical(date.year) + years)))
    if unit is Precision.MONTH:
        assert date.month is not None
        total = astronomical(date.year) * 12 + (date.month - 1) + steps
        return _clamped(replace(date, year=historians(total // 12), month=total % 12 + 1))
    seconds = steps * (_DAY if unit is Precision.DAY else 60)
    return _cut(date.lower_epoch() + seconds, date.precision)


def _clamped(date: PartialDate) -> PartialDate:
    if date.day is None or date.month is None:
        return date
    return replace(date, day=min(date.day, days_in_month(date.year, date.month)))


def moved(event: Event, seconds: float) -> Event:
    """The event moved by about ``seconds``, rounded to whole steps of its precision.

    The source's own wording of the date (``date_label``) no longer says where it
    is, so it goes; Undo brings it back with the old date.
    """
    precision = event.start.precision
    middle = (event.start.lower_epoch() + event.start.upper_epoch()) / 2
    start = _cut(middle + seconds, precision)
    steps = steps_between(event.start, start, precision)
    if steps == 0:
        return event
    start = shift(event.start, steps, precision)
    end = shift(event.end, steps, precision) if event.end is not None else None
    return replace(event, start=start, end=end, date_label="")


def move_event(dataset: Dataset, event: Event) -> Edit:
    """Replace the event with its moved self, named for where it goes."""
    old = dataset.event(event.id)
    index = _index_of(dataset, "events", event.id)
    assert index is not None
    name = f"Move “{event.title}” to {date_words(event.start)}"
    return Edit(name, (Put("events", old, event, index),))


__all__ = ["move_event", "moved", "shift", "steps_between"]

"""Events as arrays of epoch seconds, for filtering and drawing many at once.

The window, the timeline and the map all ask "which events overlap this
time?" of up to a million events: that is answered with numpy over these
arrays, computed once per dataset, never event by event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Protocol

import numpy as np

from .dates import PartialDate, per_distinct_date


class Dated(Protocol):
    """What a span is read from (an Event): the model's date order uses this module."""

    @property
    def start(self) -> PartialDate: ...

    @property
    def end(self) -> PartialDate | None: ...


def epochs(dates: Sequence[PartialDate], bound: Callable[[PartialDate], float]) -> np.ndarray:
    """``bound(d)`` (``PartialDate.lower_epoch`` or ``upper_epoch``: seconds, exact for
    BCE years too) for each date, computed once per distinct date object (100k
    events hold about 14k)."""
    return np.array(per_distinct_date(dates, bound), dtype=float)


def precisions(dates: Sequence[PartialDate]) -> np.ndarray:
    """Each date's precision (1 year ... 4 minute), computed once per distinct date object."""
    return np.array(per_distinct_date(dates, lambda d: int(d.precision)), dtype=np.int8)


def event_spans(events: Sequence[Dated]) -> tuple[np.ndarray, np.ndarray]:
    """Each event's earliest and latest possible time (upper exclusive), epoch seconds."""
    lower = epochs(list(map(_START, events)), PartialDate.lower_epoch)
    upper = epochs([e.end or e.start for e in events], PartialDate.upper_epoch)
    return lower, upper


_START = attrgetter("start")

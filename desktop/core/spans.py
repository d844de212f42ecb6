"""Events as arrays of epoch seconds, for filtering and drawing many at once.

The window, the timeline and the map all ask "which events overlap this
time?" of up to a million events: that is answered with numpy over these
arrays, computed once per dataset, never event by event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from operator import attrgetter

import numpy as np

from .dates import PartialDate, to_epoch
from .model import Event


def epochs(dates: Sequence[PartialDate], bound: Callable[[PartialDate], datetime]) -> np.ndarray:
    """``to_epoch(bound(d))`` for each date, computed once per distinct date object.

    A large dataset shares its date objects (100k events hold about 14k), so
    this keys by identity, cheaper than a dataclass hash; ``dates`` keeps them
    alive while the keys are in use. The per-event passes run in C (map), the
    Python work is per distinct date.
    """
    distinct = dict(zip(map(id, dates), dates, strict=True))
    seconds = {key: to_epoch(bound(d)) for key, d in distinct.items()}
    return np.fromiter(map(seconds.__getitem__, map(id, dates)), float, len(dates))


def precisions(dates: Sequence[PartialDate]) -> np.ndarray:
    """Each date's precision (1 year ... 4 minute), computed once per distinct date object."""
    distinct = dict(zip(map(id, dates), dates, strict=True))
    levels = {key: int(d.precision) for key, d in distinct.items()}
    return np.fromiter(map(levels.__getitem__, map(id, dates)), np.int8, len(dates))


def event_spans(events: Sequence[Event]) -> tuple[np.ndarray, np.ndarray]:
    """Each event's earliest and latest possible time (upper exclusive), epoch seconds."""
    lower = epochs(list(map(_START, events)), PartialDate.lower)
    upper = epochs([e.end or e.start for e in events], PartialDate.upper)
    return lower, upper


_START = attrgetter("start")

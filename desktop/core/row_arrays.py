"""Per-event arrays that views read instead of walking a million Event objects.

The timeline's lanes and kinds, the map's per-place counts and colours all
need the same few facts of every event: its category, whether it has an end,
whether it is approximate, whether its day is known, and which places it
names. Each is read once per dataset, in the events' own order (a pass in
memory order costs a tenth of one in date order), and kept with the event
list (Dataset.derived): an edit that replaces the list builds them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .model import Dataset, Event


@dataclass(frozen=True)
class RowArrays:
    """What views need of each event, by its index in ``Dataset.events``."""

    # Index of each event's category in ``categories`` (the distinct ones, first seen first).
    category: np.ndarray
    categories: list[str]
    has_end: np.ndarray
    approximate: np.ndarray
    # The start is known to the month or coarser (no day): drawn as uncertain.
    no_day: np.ndarray
    # The places each event names, as written (unknown ones too, repeats kept):
    # event i's are place_keys[place_code[place_start[i]:place_start[i + 1]]].
    place_start: np.ndarray
    place_code: np.ndarray
    place_keys: list[str]

    def __len__(self) -> int:
        return len(self.category)

    def place_rows(self) -> np.ndarray:
        """The event index of each entry of ``place_code``."""
        lengths = np.diff(self.place_start)
        return np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)


def row_arrays(dataset: Dataset) -> RowArrays:
    """The dataset's arrays, built once for its event list."""
    events = dataset.events
    return dataset.derived("row-arrays", lambda: arrays_of(events))


def _codes(values: list[object]) -> tuple[np.ndarray, list[object]]:
    """Each value's index among the distinct values (first seen first), and those."""
    distinct = list(dict.fromkeys(values))  # in C: no Python step per value
    index = {value: i for i, value in enumerate(distinct)}
    codes = np.fromiter(map(index.__getitem__, values), np.int64, len(values))
    return codes, distinct


def arrays_of(events: Sequence[Event]) -> RowArrays:
    from .dates import per_distinct_date

    n = len(events)
    category, categories = _codes(list(map(attrgetter("category"), events)))
    ends = list(map(attrgetter("end"), events))
    has_end = np.fromiter((end is not None for end in ends), bool, n)
    approximate = np.fromiter(map(attrgetter("approximate"), events), bool, n)
    starts = list(map(attrgetter("start"), events))
    no_day = np.array(per_distinct_date(starts, _no_day), bool) if n else np.zeros(0, bool)
    held = list(map(attrgetter("places"), events))
    lengths = np.fromiter(map(len, held), np.int64, n)
    place_start = np.zeros(n + 1, np.int64)
    np.cumsum(lengths, out=place_start[1:])
    place_code, place_keys = _codes(list(chain.from_iterable(held)))
    return RowArrays(
        category=category,
        categories=[str(c) for c in categories],
        has_end=has_end,
        approximate=approximate,
        no_day=no_day,
        place_start=place_start,
        place_code=place_code,
        place_keys=[str(k) for k in place_keys],
    )


def _no_day(date: object) -> bool:
    return getattr(date, "day", None) is None

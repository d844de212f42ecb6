"""Answers worked out from the events themselves, once the few that match are fetched.

A search is answered by the engine, which reads every event's text: at 10M
events each such query is a full scan. When few events match, they are
fetched anyway (for the list); the counts per place, and the timeline's bins
when no time window narrows them, then come from those events with the same
rules, instead of more scans.
"""

from __future__ import annotations

from collections import Counter

from ..model import Dataset
from .query import Bins, Overview


def place_counts_of(fetched: Dataset) -> dict[str, int]:
    """Events per known place (an event at a place twice counts there once)."""
    counted: Counter[str] = Counter()
    for event in fetched.events:
        for pid in set(event.places):
            if pid in fetched.places:
                counted[pid] += 1
    return dict(counted)


def overview_of(fetched: Dataset, bins: Bins) -> Overview:
    """The events overlapping the bins' span, per bin (by start; earlier starts in the
    first) and category: the engine's overview of the same events."""
    from ..spans import event_spans

    events = fetched.events
    lower, upper = event_spans(events)
    inside = (upper > bins.start) & (lower < bins.end)
    index = bins.index(lower)
    cells: Counter[tuple[int, str]] = Counter()
    for i in inside.nonzero()[0].tolist():
        cells[(int(index[i]), events[i].category)] += 1
    names = sorted({category for _, category in cells})
    column = {name: i for i, name in enumerate(names)}
    counts = [[0] * len(names) for _ in range(bins.count)]
    for (b, category), n in cells.items():
        counts[b][column[category]] = n
    return Overview(bins, names, counts)

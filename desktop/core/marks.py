"""What a place's marker shows besides its count: a colour and a size (Qt-free).

- colour: the category most of the place's events have (the first in the
  dataset's sorted categories on a tie), so the map agrees with the timeline;
- size: the largest value of the dataset's first numeric measure among the
  place's events (the strongest quake there, the deadliest day), when the
  dataset has a measure (``Dataset.measures``: columns such as ``mag`` or
  ``fatalities`` kept in each event's ``extra``).

Worked out once per dataset (``Dataset.derived``) from all its events, so a
marker keeps its colour and size while filters change its count.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from .model import Dataset


@dataclass(frozen=True)
class PlaceMarks:
    # The place's most frequent category, for places with at least one event.
    categories: dict[str, str] = field(default_factory=dict)
    # The measure's name ("" when the dataset has none) and its largest value per place.
    measure: str = ""
    values: dict[str, float] = field(default_factory=dict)
    # Whether the measure counts things (whole numbers, none below zero: fatalities),
    # so sizes start from nothing; else (magnitudes) from the smallest value.
    counts_things: bool = False


def measure_name(dataset: Dataset) -> str:
    """The measure markers are sized by: the dataset's first, "" when it has none."""
    return dataset.measures[0] if dataset.measures else ""


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(str(text).strip().replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def place_marks(dataset: Dataset) -> PlaceMarks:
    """The colour and size of every place with an event (kept with the dataset's events)."""
    return dataset.derived("place-marks", lambda: _place_marks(dataset))


def _place_marks(dataset: Dataset) -> PlaceMarks:
    name = measure_name(dataset)
    if not name:
        return PlaceMarks(_top_categories(dataset))
    tallies: dict[str, Counter[str]] = {}
    values: dict[str, float] = {}
    whole = True
    for event in dataset.events:
        value = _number(dict(event.extra).get(name)) if name and event.extra else None
        if value is not None and (value < 0 or not value.is_integer()):
            whole = False
        for pid in event.places:
            tally = tallies.get(pid)
            if tally is None:
                tally = tallies[pid] = Counter()
            tally[event.category] += 1
            if value is not None and value > values.get(pid, -math.inf):
                values[pid] = value
    order = {c: i for i, c in enumerate(dataset.categories())}
    categories = {
        pid: min(tally, key=lambda c: (-tally[c], order.get(c, 0)))
        for pid, tally in tallies.items()
    }
    return PlaceMarks(
        categories, name if values else "", values, counts_things=bool(values) and whole
    )


def _top_categories(dataset: Dataset) -> dict[str, str]:
    """Each named place's most frequent category among its events (ties: the first
    in the dataset's order), places first named first: counted over arrays, since
    a million events walked one by one take seconds."""
    import numpy as np

    from .row_arrays import row_arrays

    rows = row_arrays(dataset)
    if not len(rows.place_code):
        return {}
    width = len(rows.categories)
    counts = np.bincount(
        rows.place_code * width + rows.category[rows.place_rows()],
        minlength=len(rows.place_keys) * width,
    ).reshape(len(rows.place_keys), width)
    rank = {c: i for i, c in enumerate(dataset.categories())}
    # Columns in the dataset's category order: argmax takes the first of equal counts.
    by_rank = np.argsort([rank.get(c, 0) for c in rows.categories], kind="stable")
    top = by_rank[np.argmax(counts[:, by_rank], axis=1)]
    return {key: rows.categories[c] for key, c in zip(rows.place_keys, top.tolist(), strict=True)}

"""The data the map page's script gets: plain JSON-able dicts built from a Dataset.

Only text that passed through desktop.mapview.safety is HTML; everything else
is plain text the page sets with textContent.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import chain
from typing import Any

from desktop.core.dates import per_distinct_date
from desktop.core.display import date_words
from desktop.core.marks import PlaceMarks, place_marks
from desktop.core.model import Dataset, Event, Place, PlaceKind, Source

from .palette import category_colors
from .safety import safe_html, safe_url


def event_record(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "t0": event.start.lower_epoch(),
        "t1": (event.end or event.start).upper_epoch(),
        "category": event.category,
        "places": list(event.places),
        "date": event.display_date(),
        "precision": event.precision.label,
        "approximate": event.approximate,
        "summary": safe_html(event.summary),
        "sources": list(event.sources),
    }


# A route is drawn dashed when it does not exist yet: a status column saying so,
# or a name that says "proposed" / "planned".
_PLANNED = re.compile(r"\b(proposed|planned|projected|under construction)\b", re.IGNORECASE)


def is_planned(place: Place) -> bool:
    status = dict(place.extra).get("status", "")
    return bool(_PLANNED.search(status) or _PLANNED.search(place.name))


def place_record(place: Place, count: int, marks: PlaceMarks | None = None) -> dict[str, Any]:
    """A place for the page; ``marks`` give its marker's category (colour) and measure (size)."""
    return {
        "id": place.id,
        "name": place.name,
        "kind": str(place.kind),
        "lat": place.lat,
        "lon": place.lon,
        "points": [[lat, lon] for lat, lon in place.points],
        "iso3": place.iso3.upper(),
        "count": count,
        "planned": place.kind == PlaceKind.ROUTE and is_planned(place),
        "category": marks.categories.get(place.id, "") if marks else "",
        "measure": marks.values.get(place.id) if marks else None,
    }


def place_records(dataset: Dataset, counts: dict[str, int]) -> list[dict[str, Any]]:
    """Every place, with its events' count and its marker's colour and size."""
    marks = place_marks(dataset)
    return [place_record(p, counts.get(p.id, 0), marks) for p in dataset.places.values()]


def measure_record(dataset: Dataset) -> dict[str, Any] | None:
    """The measure markers are sized by, for the page and its legend; None without one."""
    marks = place_marks(dataset)
    if not marks.measure:
        return None
    return {"name": marks.measure, "zero": marks.counts_things}


def source_record(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "publisher": source.publisher,
        "title": source.title,
        "date": date_words(source.date) if source.date else "",
        "url": safe_url(source.url),
    }


def map_payload(
    dataset: Dataset, slim: bool = False, place_counts: dict[str, int] | None = None
) -> dict[str, Any]:
    """{events, places, sources, colors} for chronomap_map.js; events sorted by start.

    slim: the page gets places and their event counts, no events and no
    sources (``perPlace``): the desktop window tells it what is selected and
    how many events each place shows, so the page is the same size for a
    million events as for twenty. The exported page's timeline strip and
    details need the full records.
    place_counts: events per place, if the caller has counted them already.
    """
    if slim:
        counts = place_counts if place_counts is not None else _place_counts(dataset.events)
        return {
            "perPlace": True,
            "events": [],
            "places": place_records(dataset, counts),
            "sources": [],
            "colors": category_colors(dataset.categories()),
            "measure": measure_record(dataset),
        }
    events = dataset.sorted_events()
    counts = place_counts if place_counts is not None else _place_counts(events)
    records = [event_record(e) for e in events]
    used_sources = {sid for e in events for sid in e.sources}
    sources = [source_record(s) for sid, s in dataset.sources.items() if sid in used_sources]
    return {
        "events": records,
        "places": place_records(dataset, counts),
        "sources": sources,
        "colors": category_colors({e.category for e in events}),
        "measure": measure_record(dataset),
    }


def _place_counts(events: list[Event]) -> Counter[str]:
    return Counter(pid for e in events for pid in set(e.places))


def _shared(values: Iterable[str]) -> tuple[list[str], list[int]]:
    """The distinct values in order of first use, and each value as its number there."""
    values = list(values)
    numbers = {value: i for i, value in enumerate(dict.fromkeys(values))}
    return list(numbers), [numbers[value] for value in values]


def _shared_lists(lists: list[tuple[str, ...]]) -> tuple[list[str], list[list[int]]]:
    """_shared for tuples of ids: one table for all of them; equal tuples share one list."""
    numbers = {value: i for i, value in enumerate(dict.fromkeys(chain.from_iterable(lists)))}
    done = {ids: [numbers[value] for value in ids] for ids in dict.fromkeys(lists)}
    return list(numbers), [done[ids] for ids in lists]


def packed_payload(dataset: Dataset, colors: dict[str, str] | None = None) -> dict[str, Any]:
    """map_payload's full records for the exported page, packed: what a reader sees, smaller.

    Events come as one list per field instead of one object each (no key
    repeated a hundred thousand times). Categories, date texts, precisions,
    summaries, place and source ids are numbers into shared tables; starts
    are steps from the previous event's start (events are in start order) and
    ends are lengths. chronomap_packed.js unpacks this into the records
    event_record makes, before the map or the strip read them.
    colors: the categories' colours, when the caller has fixed them (an export
    keeps the window's colours for whatever categories it left).
    """
    events = dataset.sorted_events()
    starts = [e.start for e in events]
    # Dates carry no seconds, so epoch seconds are whole numbers.
    lows = per_distinct_date(starts, lambda d: round(d.lower_epoch()))
    highs = per_distinct_date([e.end or e.start for e in events], lambda d: round(d.upper_epoch()))
    # An event's date text follows from its dates unless the source worded it.
    worded = {(id(e.start), id(e.end), e.approximate): e for e in events if not e.date_label}
    texts = {key: e.display_date() for key, e in worded.items()}
    clean = {text: safe_html(text) for text in dict.fromkeys(e.summary for e in events)}

    categories, category = _shared(e.category for e in events)
    dates, date = _shared(
        e.date_label or texts[(id(e.start), id(e.end), e.approximate)] for e in events
    )
    precisions, precision = _shared(per_distinct_date(starts, lambda d: d.precision.label))
    summaries, summary = _shared(clean[e.summary] for e in events)
    place_ids, places = _shared_lists([e.places for e in events])
    source_ids, sources = _shared_lists([e.sources for e in events])
    used_sources = set(source_ids)
    counts = _place_counts(events)
    return {
        "packed": {
            "id": [e.id for e in events],
            "title": [e.title for e in events],
            "t0": [low - before for low, before in zip(lows, [0, *lows], strict=False)],
            "length": [high - low for high, low in zip(highs, lows, strict=True)],
            "category": category,
            "places": places,
            "date": date,
            "precision": precision,
            "summary": summary,
            "sources": sources,
            "approximate": [i for i, e in enumerate(events) if e.approximate],
            "tables": {
                "category": categories,
                "date": dates,
                "precision": precisions,
                "summary": summaries,
                "places": place_ids,
                "sources": source_ids,
            },
        },
        "places": place_records(dataset, counts),
        "sources": [source_record(s) for sid, s in dataset.sources.items() if sid in used_sources],
        "colors": colors if colors is not None else category_colors(categories),
        "measure": measure_record(dataset),
    }

"""The data the map page's script gets: plain JSON-able dicts built from a Dataset.

Only text that passed through desktop.mapview.safety is HTML; everything else
is plain text the page sets with textContent.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from desktop.core.dates import to_epoch
from desktop.core.model import Dataset, Event, Place, PlaceKind, Source

from .palette import category_colors
from .safety import safe_html, safe_url


def event_record(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "t0": to_epoch(event.lower()),
        "t1": to_epoch(event.upper()),
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


def place_record(place: Place, count: int) -> dict[str, Any]:
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
    }


def source_record(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "publisher": source.publisher,
        "title": source.title,
        "date": source.date.iso() if source.date else "",
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
            "places": [place_record(p, counts.get(p.id, 0)) for p in dataset.places.values()],
            "sources": [],
            "colors": category_colors(dataset.categories()),
        }
    events = dataset.sorted_events()
    counts = place_counts if place_counts is not None else _place_counts(events)
    records = [event_record(e) for e in events]
    used_sources = {sid for e in events for sid in e.sources}
    sources = [source_record(s) for sid, s in dataset.sources.items() if sid in used_sources]
    return {
        "events": records,
        "places": [place_record(p, counts.get(p.id, 0)) for p in dataset.places.values()],
        "sources": sources,
        "colors": category_colors({e.category for e in events}),
    }


def _place_counts(events: list[Event]) -> Counter[str]:
    return Counter(pid for e in events for pid in set(e.places))

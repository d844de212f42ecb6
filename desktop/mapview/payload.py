"""The data the map page's script gets: plain JSON-able dicts built from a Dataset.

Only text that passed through desktop.mapview.safety is HTML; everything else
is plain text the page sets with textContent.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import chain
from typing import Any

from desktop.core import flags
from desktop.core.dates import per_distinct_date
from desktop.core.display import date_words
from desktop.core.marks import place_marks
from desktop.core.model import Dataset, Event, Place, PlaceKind, Source
from desktop.core.schema import CITATIONS, EVENTS, FLAG, IDS, PLACES, SOURCES, Sheet

from .palette import category_colors
from .safety import safe_html, safe_url


def _page_records(sheet: Sheet, items: Sequence[Any]) -> list[dict[str, Any]]:
    """The page's records of ``items``: the sheet's columns marked for the page
    (schema), as JSON values, HTML sanitised and links checked."""
    columns = sheet.page_columns()
    values = []
    for column in columns:
        cells = column.values(items)
        if column.page == "html":
            cells = list(map(safe_html, cells))
        elif column.page == "url":
            cells = list(map(safe_url, cells))
        elif column.kind.json is not None:
            cells = column.kind.json(cells)
        values.append(cells)
    names = [c.name for c in columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def event_records(events: Sequence[Event], dataset: Dataset) -> list[dict[str, Any]]:
    """The page's events: their page columns, and what is worked out from them
    (span in epoch seconds, the date as shown, precision, flags)."""
    records = _page_records(EVENTS, events)
    flag_keys = flags.keys_of(events, dataset)
    cues = flags.cue_texts(events, dataset)
    for record, event, keys, cue in zip(records, events, flag_keys, cues, strict=True):
        record["t0"] = event.start.lower_epoch()
        record["t1"] = (event.end or event.start).upper_epoch()
        record["date"] = event.display_date()
        record["precision"] = event.precision.label
        record["flags"] = list(keys)
        record["cue"] = cue
    return records


# A route is drawn dashed when it does not exist yet: a status column saying so,
# or a name that says "proposed" / "planned".
_PLANNED = re.compile(r"\b(proposed|planned|projected|under construction)\b", re.IGNORECASE)


def is_planned(place: Place) -> bool:
    status = dict(place.extra).get("status", "")
    return bool(_PLANNED.search(status) or _PLANNED.search(place.name))


def place_records(dataset: Dataset, counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """Every place: its page columns (schema), its events' count, and its marker's
    category (colour) and measure (size)."""
    places = list(dataset.places.values())
    marks = place_marks(dataset)
    records = _page_records(PLACES, places)
    for record, place in zip(records, places, strict=True):
        record["count"] = counts.get(place.id, 0)
        record["planned"] = place.kind == PlaceKind.ROUTE and is_planned(place)
        record["category"] = marks.categories.get(place.id, "")
        record["measure"] = marks.values.get(place.id)
    return records


def measure_record(dataset: Dataset) -> dict[str, Any] | None:
    """The measure markers are sized by, for the page and its legend; None without one."""
    marks = place_marks(dataset)
    if not marks.measure:
        return None
    return {"name": marks.measure, "zero": marks.counts_things}


def source_records(sources: Iterable[Source]) -> list[dict[str, Any]]:
    """The page's sources, each with its title as a reference shows it (a
    headline in quotation marks, a description in brackets), its date in words
    and what to say of it."""
    sources = list(sources)
    records = _page_records(SOURCES, sources)
    for record, source in zip(records, sources, strict=True):
        record["heading"] = flags.source_title(source)
        record["remark"] = flags.SECONDARY_SOURCE if source.secondary else ""
        record["date"] = date_words(source.date) if source.date else ""
    return records


def citation_records(dataset: Dataset, event_ids: Collection[str]) -> list[dict[str, Any]]:
    return _page_records(CITATIONS, [c for c in dataset.citations if c.event in event_ids])


def flag_words() -> dict[str, dict[str, str]]:
    """What each flag is called and means, for the page's legend and details."""
    return {f.key: {"label": f.label, "meaning": f.meaning} for f in flags.ALL}


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
            "colors": category_colors(dataset.categories(), dataset.palette),
            "measure": measure_record(dataset),
        }
    events = dataset.sorted_events()
    counts = place_counts if place_counts is not None else _place_counts(events)
    used_sources = {sid for e in events for sid in e.sources}
    return {
        "events": event_records(events, dataset),
        "places": place_records(dataset, counts),
        "sources": source_records(s for sid, s in dataset.sources.items() if sid in used_sources),
        "citations": citation_records(dataset, {e.id for e in events}),
        "flagWords": flag_words(),
        "colors": category_colors({e.category for e in events}, dataset.palette),
        "measure": measure_record(dataset),
    }


def _place_counts(events: Sequence[Event]) -> Counter[str]:
    return Counter(pid for e in events for pid in set(e.places))


def _shared(values: Iterable[str]) -> tuple[list[str], list[int] | None]:
    """The distinct values in order of first use, and each value as its number
    there; None when every event has the same value (a column a dataset leaves
    empty costs nothing)."""
    values = list(values)
    numbers = {value: i for i, value in enumerate(dict.fromkeys(values))}
    if len(numbers) <= 1:
        return list(numbers), None
    return list(numbers), [numbers[value] for value in values]


def _shared_lists(lists: list[tuple[str, ...]]) -> tuple[list[str], list[list[int]] | None]:
    """_shared for tuples of ids: one table for all of them; equal tuples share one
    list; None when every list is empty."""
    numbers = {value: i for i, value in enumerate(dict.fromkeys(chain.from_iterable(lists)))}
    if not numbers:
        return [], None
    done = {ids: [numbers[value] for value in ids] for ids in dict.fromkeys(lists)}
    return list(numbers), [done[ids] for ids in lists]


def packed_payload(dataset: Dataset, colors: dict[str, str] | None = None) -> dict[str, Any]:
    """map_payload's full records for the exported page, packed: what a reader sees, smaller.

    Events come as one list per field instead of one object each (no key
    repeated a hundred thousand times). Categories, date texts, precisions,
    summaries, place and source ids are numbers into shared tables; starts
    are steps from the previous event's start (events are in start order) and
    ends are lengths. chronomap_packed.js unpacks this into the records
    event_records makes, before the map or the strip read them.
    colors: the categories' colours, when the caller has fixed them (an export
    keeps the window's colours for whatever categories it left).
    """
    events = dataset.sorted_events()
    starts = [e.start for e in events]
    # Dates carry no seconds, so epoch seconds are whole numbers.
    lows = per_distinct_date(starts, lambda d: round(d.lower_epoch()))
    highs = per_distinct_date([e.end or e.start for e in events], lambda d: round(d.upper_epoch()))
    # The page's columns (schema), each packed as its kind allows: one value per
    # event (ids, titles), numbers into a table of the distinct values, lists of
    # such numbers (ids), or the events for which a flag is set.
    plain: dict[str, list[Any]] = {}
    shared: dict[str, tuple[list[Any], list[int] | None]] = {}
    lists: dict[str, tuple[list[str], list[list[int]] | None]] = {}
    marked: dict[str, list[int]] = {}
    for column in EVENTS.page_columns():
        cells = column.values(events)
        if column.kind is IDS:
            lists[column.name] = _shared_lists(cells)
        elif column.kind is FLAG:
            marked[column.name] = [i for i, flag in enumerate(cells) if flag]
        elif column.required:
            plain[column.name] = cells
        elif column.page == "html":
            clean = {text: safe_html(text) for text in dict.fromkeys(cells)}
            shared[column.name] = _shared(map(clean.__getitem__, cells))
        else:
            shared[column.name] = _shared(cells)
    # An event's date text follows from its dates unless the source worded it.
    worded = {(id(e.start), id(e.end), e.approximate): e for e in events if not e.date_label}
    texts = {key: e.display_date() for key, e in worded.items()}
    shared["date"] = _shared(
        e.date_label or texts[(id(e.start), id(e.end), e.approximate)] for e in events
    )
    shared["precision"] = _shared(per_distinct_date(starts, lambda d: d.precision.label))
    lists["flags"] = _shared_lists(flags.keys_of(events, dataset))
    shared["cue"] = _shared(flags.cue_texts(events, dataset))
    used_sources = set(lists["sources"][0])
    counts = _place_counts(events)
    return {
        "packed": {
            "t0": [low - before for low, before in zip(lows, [0, *lows], strict=False)],
            "length": [high - low for high, low in zip(highs, lows, strict=True)],
            "plain": plain,
            "shared": shared,
            "lists": lists,
            "marked": marked,
        },
        "places": place_records(dataset, counts),
        "sources": source_records(s for sid, s in dataset.sources.items() if sid in used_sources),
        "citations": citation_records(dataset, set(plain["id"])),
        "flagWords": flag_words(),
        "colors": colors if colors is not None else category_colors(shared["category"][0]),
        "measure": measure_record(dataset),
    }

"""Edits to an open dataset, each with its inverse: what Undo and Redo run.

An edit never changes the dataset it is applied to: it returns a new Dataset
whose changed sheets are new lists and dicts. A Dataset keeps its id index and
date order with the events list they were built from (``Dataset.derived``); a
list changed in place, at the same length, would leave them stale, and the
views holding the old dataset would see the change without being told.

An edit is a name ("Edit event “Kyiv talks”") and a few ``Put``s, each the
item of a sheet as it was and as it becomes (None: not there), with where it
stands. Undo applies the inverse: the same puts, reversed, before and after
swapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .model import Citation, Dataset, Event, Place, PlaceKind

# The sheets an edit can change, by the Dataset field holding them.
EDITABLE = ("events", "places", "sources", "citations")
KEYED = ("places", "sources")  # held in a dict by id; the others in a list


def item_key(sheet: str, item: Any) -> Any:
    """What identifies an item within its sheet: its id, or a citation's (event, source)."""
    if sheet == "citations":
        return (item.event, item.source)
    return item.id


def sheet_items(dataset: Dataset, sheet: str) -> list[Any]:
    items = getattr(dataset, sheet)
    return list(items.values()) if isinstance(items, dict) else list(items)


@dataclass(frozen=True)
class Put:
    """One item of one sheet: ``before`` becomes ``after`` (None for either: absent).

    ``index`` is where the item stands in its sheet: where an added item goes, and
    where a deleted one comes back on Undo, so row order survives both.
    """

    sheet: str
    before: Any | None
    after: Any | None
    index: int

    def inverse(self) -> Put:
        return Put(self.sheet, self.after, self.before, self.index)


class EditError(ValueError):
    """The dataset is not as the edit expects (it was built for another one)."""


@dataclass(frozen=True)
class Edit:
    name: str
    puts: tuple[Put, ...]

    def apply(self, dataset: Dataset) -> Dataset:
        """A new dataset with the puts made; ``dataset`` itself is left as it was."""
        changed: dict[str, list[Any]] = {}
        for put in self.puts:
            if put.sheet not in changed:
                changed[put.sheet] = sheet_items(dataset, put.sheet)
            _put(changed[put.sheet], put)
        fields: dict[str, Any] = {}
        for sheet, items in changed.items():
            if sheet in KEYED:
                fields[sheet] = {item.id: item for item in items}
            else:
                fields[sheet] = items
        # replace() builds a new Dataset: its caches start empty, but for those
        # worked out from the events alone when the events were not edited.
        edited = replace(dataset, **fields)
        edited.keep_caches(dataset)
        return edited

    def inverse(self) -> Edit:
        return Edit(self.name, tuple(p.inverse() for p in reversed(self.puts)))

    @property
    def empty(self) -> bool:
        return all(p.before == p.after for p in self.puts)


def _put(items: list[Any], put: Put) -> None:
    if put.before is None:
        if put.after is not None:
            items.insert(min(put.index, len(items)), put.after)
        return
    key = item_key(put.sheet, put.before)
    at = _find(items, put.sheet, key, put.index)
    if at is None or items[at] != put.before:
        raise EditError(f"{put.sheet}: {key!r} is not as the edit expects")
    if put.after is None:
        del items[at]
    else:
        items[at] = put.after


def _find(items: Sequence[Any], sheet: str, key: Any, hint: int) -> int | None:
    # The item is usually where the edit saw it: look there first.
    if 0 <= hint < len(items) and item_key(sheet, items[hint]) == key:
        return hint
    for at, item in enumerate(items):
        if item_key(sheet, item) == key:
            return at
    return None


def _index_of(dataset: Dataset, sheet: str, key: Any) -> int | None:
    return _find(sheet_items(dataset, sheet), sheet, key, -1)


# -- building edits ----------------------------------------------------------


def citations_of(dataset: Dataset, event_id: str) -> list[Citation]:
    return [c for c in dataset.citations if c.event == event_id]


def _citation_puts(dataset: Dataset, event_id: str, citations: Iterable[Citation]) -> list[Put]:
    """Puts turning the event's citations into ``citations`` (new ones after the event's last)."""
    old = {item_key("citations", c): c for c in citations_of(dataset, event_id)}
    new = {item_key("citations", c): c for c in citations}
    all_citations = dataset.citations
    positions = {item_key("citations", c): i for i, c in enumerate(all_citations)}
    # Removals last row first: each index is exact when its put is applied, and
    # again when the inverse puts the rows back, first row first.
    gone = sorted((k for k in old if k not in new), key=positions.__getitem__, reverse=True)
    puts = [Put("citations", old[k], None, positions[k]) for k in gone]
    for key, citation in old.items():
        if key in new and new[key] != citation:
            puts.append(Put("citations", citation, new[key], positions[key]))
    after = max((positions[k] for k in old), default=len(all_citations) - 1) + 1
    removed = len(gone)
    for key, citation in new.items():
        if key not in old:
            puts.append(Put("citations", None, citation, after - removed))
            after += 1
    return puts


def add_event(
    dataset: Dataset, event: Event, citations: Iterable[Citation] = (), after: str | None = None
) -> Edit:
    """Add ``event`` (after the event ``after``, else last) with its citations."""
    if dataset.has_event(event.id):
        raise EditError(f"an event with id {event.id!r} already exists")
    index = len(dataset.events)
    if after is not None:
        found = _index_of(dataset, "events", after)
        index = index if found is None else found + 1
    puts = [Put("events", None, event, index), *_citation_puts(dataset, event.id, citations)]
    return Edit(f"Add event “{event.title}”", tuple(puts))


def change_event(
    dataset: Dataset, event: Event, citations: Iterable[Citation] | None = None, name: str = ""
) -> Edit:
    """Replace the event with ``event``'s id by ``event`` (and its citations, if given)."""
    old = dataset.event(event.id)
    index = _index_of(dataset, "events", event.id)
    assert index is not None
    puts = [Put("events", old, event, index)]
    if citations is not None:
        puts += _citation_puts(dataset, event.id, citations)
    return Edit(name or f"Edit event “{event.title}”", tuple(puts))


def delete_events(dataset: Dataset, event_ids: Sequence[str]) -> Edit:
    """Delete events and their citations (the rows keep their places on Undo)."""
    puts: list[Put] = []
    doomed = set(event_ids)
    # Backwards: each put's index stays right while the ones after it are applied.
    citations = dataset.citations
    for at in range(len(citations) - 1, -1, -1):
        if citations[at].event in doomed:
            puts.append(Put("citations", citations[at], None, at))
    for at in range(len(dataset.events) - 1, -1, -1):
        if dataset.events[at].id in doomed:
            puts.append(Put("events", dataset.events[at], None, at))
    if len(event_ids) == 1:
        name = f"Delete event “{dataset.event(event_ids[0]).title}”"
    else:
        name = f"Delete {len(event_ids)} events"
    return Edit(name, tuple(puts))


def unused_id(taken: Iterable[str], stem: str) -> str:
    """``stem``, or ``stem-2``, ``stem-3``…: the first that is not taken."""
    known = set(taken)
    if stem not in known:
        return stem
    n = 2
    while f"{stem}-{n}" in known:
        n += 1
    return f"{stem}-{n}"


def duplicate_event(dataset: Dataset, event_id: str) -> Edit:
    """A copy of the event, with a new id and its citations, right after it."""
    original = dataset.event(event_id)
    copy = replace(original, id=unused_id(dataset.events_by_id(), f"{event_id}-copy"))
    cited = [replace(c, event=copy.id) for c in citations_of(dataset, event_id)]
    edit = add_event(dataset, copy, cited, after=event_id)
    return replace(edit, name=f"Duplicate event “{original.title}”")


def put_item(dataset: Dataset, sheet: str, item: Any, old_key: Any = None) -> Edit:
    """Add or replace a place or source (``old_key``: the one it replaces, if any)."""
    items = sheet_items(dataset, sheet)
    key = item_key(sheet, item) if old_key is None else old_key
    index = _find(items, sheet, key, -1)
    what = sheet.rstrip("s")
    label = getattr(item, "name", "") or getattr(item, "title", "") or item_key(sheet, item)
    if index is None:
        return Edit(f"Add {what} “{label}”", (Put(sheet, None, item, len(items)),))
    return Edit(f"Edit {what} “{label}”", (Put(sheet, items[index], item, index),))


# -- places --------------------------------------------------------------------


def events_using(dataset: Dataset, place_id: str) -> list[Event]:
    """The events that name the place, in the dataset's order."""
    return [e for e in dataset.events if place_id in e.places]


def add_place(dataset: Dataset, place: Place) -> Edit:
    if place.id in dataset.places:
        raise EditError(f"a place with id {place.id!r} already exists")
    return put_item(dataset, "places", place)


def change_place(dataset: Dataset, place: Place) -> Edit:
    """Replace the place with ``place``'s id. Whatever the form did not show (an area's
    country code, a route's points, aliases, unknown columns) is the caller's to keep,
    by building ``place`` with ``dataclasses.replace`` from the old one."""
    if place.id not in dataset.places:
        raise EditError(f"no place with id {place.id!r}")
    return put_item(dataset, "places", place)


def move_places(dataset: Dataset, place_ids: Sequence[str], lat: float, lon: float) -> Edit:
    """Move points to (lat, lon): what dragging their marker does (places at one spot
    share a marker, so they move together)."""
    keys = list(dataset.places)
    puts = []
    names = []
    for pid in dict.fromkeys(place_ids):
        old = dataset.places[pid]
        if old.kind is not PlaceKind.POINT:
            raise EditError(f"place {pid!r} is a {old.kind.value}: only points are moved")
        new = replace(old, lat=round(lat, 6), lon=round(lon, 6))
        puts.append(Put("places", old, new, keys.index(pid)))
        names.append(old.name)
    name = f"Move place “{names[0]}”" if len(puts) == 1 else f"Move {len(puts)} places"
    return Edit(name, tuple(puts))


def set_route(dataset: Dataset, place_id: str, points: Sequence[tuple[float, float]]) -> Edit:
    """Give a route new vertices (its marker follows: it sits half-way along)."""
    old = dataset.places[place_id]
    if old.kind is not PlaceKind.ROUTE:
        raise EditError(f"place {place_id!r} is a {old.kind.value}, not a route")
    if len(points) < 2:
        raise EditError("a route needs two points or more")
    vertices = tuple((round(lat, 6), round(lon, 6)) for lat, lon in points)
    index = list(dataset.places).index(place_id)
    new = replace(old, points=vertices)
    return Edit(f"Edit route “{old.name}”", (Put("places", old, new, index),))


def delete_place(dataset: Dataset, place_id: str) -> Edit:
    """Delete a place no event names; one that events name is refused, naming them."""
    place = dataset.places[place_id]
    users = events_using(dataset, place_id)
    if users:
        titles = ", ".join(f"“{e.title}”" for e in users[:3])
        more = f" and {len(users) - 3} more" if len(users) > 3 else ""
        count = "1 event" if len(users) == 1 else f"{len(users)} events"
        raise EditError(
            f"“{place.name}” is a place of {count} ({titles}{more}): "
            "take it out of their places first"
        )
    index = list(dataset.places).index(place_id)
    return Edit(f"Delete place “{place.name}”", (Put("places", place, None, index),))


def citing_events(dataset: Dataset, source_id: str) -> list[Event]:
    """The events that cite the source, in the dataset's order."""
    return [e for e in dataset.events if source_id in e.sources]


def delete_source(dataset: Dataset, source_id: str) -> Edit:
    """Delete a source: the events citing it stop citing it, and its citations go.

    Leaving the events naming it would make them fail to load (an unknown source
    id); Undo puts the source, the events' lists and the quotes back.
    """
    source = dataset.sources[source_id]
    puts: list[Put] = []
    citations = dataset.citations
    for at in range(len(citations) - 1, -1, -1):
        if citations[at].source == source_id:
            puts.append(Put("citations", citations[at], None, at))
    for at, event in enumerate(dataset.events):
        if source_id in event.sources:
            kept = tuple(s for s in event.sources if s != source_id)
            puts.append(Put("events", event, replace(event, sources=kept), at))
    index = _index_of(dataset, "sources", source_id)
    assert index is not None
    puts.append(Put("sources", source, None, index))
    return Edit(f"Delete source “{source.title or source_id}”", tuple(puts))


__all__ = [
    "EDITABLE",
    "Edit",
    "EditError",
    "Put",
    "add_event",
    "add_place",
    "change_place",
    "delete_place",
    "events_using",
    "move_places",
    "set_route",
    "change_event",
    "citations_of",
    "citing_events",
    "delete_events",
    "delete_source",
    "duplicate_event",
    "item_key",
    "put_item",
    "sheet_items",
    "unused_id",
]

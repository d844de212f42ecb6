"""The dataset model: events, places, sources and story steps.

Plain frozen dataclasses, so any view or export can hold them without fear of
another part of the program changing them underneath it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, make_dataclass
from datetime import datetime
from enum import StrEnum
from operator import attrgetter
from typing import Any, TypeVar

from .dates import PartialDate, Precision

T = TypeVar("T")


class PlaceKind(StrEnum):
    POINT = "point"
    ROUTE = "route"
    AREA = "area"


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    kind: PlaceKind = PlaceKind.POINT
    lat: float | None = None
    lon: float | None = None
    # A route's ordered (lat, lon) vertices: a corridor, a pipeline.
    points: tuple[tuple[float, float], ...] = ()
    # An area is a country drawn from the basemap, named by ISO 3166 alpha-3.
    iso3: str = ""
    aliases: tuple[str, ...] = ()
    note: str = ""
    extra: tuple[tuple[str, str], ...] = ()

    def anchor(self) -> tuple[float, float] | None:
        """Where a marker for this place goes: its point, else the middle of its route."""
        if self.lat is not None and self.lon is not None:
            return (self.lat, self.lon)
        if self.points:
            return self.points[len(self.points) // 2]
        return None


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    publisher: str
    title: str
    date: PartialDate | None = None
    url: str = ""
    # The title is the article's own headline (shown in quotation marks); else
    # it describes an article whose text carries none.
    headline: bool = False
    # A rewrite of other outlets' reporting (wire copy): not independent
    # corroboration of what it repeats.
    secondary: bool = False
    note: str = ""
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Citation:
    """What one source says for one event: its own words, and where they stand.

    A source cited by several events says something different for each, so
    the quote belongs to the (event, source) pair, not to the source.
    """

    event: str
    source: str
    quote: str = ""
    # Where the quote stands in the source ("paragraph 4", "p. 12").
    locator: str = ""
    note: str = ""
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    title: str
    start: PartialDate
    end: PartialDate | None = None
    approximate: bool = False
    # The date as the source words it ("mid-November 2024"); shown instead of
    # the ISO date when present, never used for placing the event.
    date_label: str = ""
    category: str = ""
    summary: str = ""
    places: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    confidence: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def precision(self) -> Precision:
        return self.start.precision

    def lower(self) -> datetime:
        return self.start.lower()

    def upper(self) -> datetime:
        """End of the time this event may cover (exclusive): its end's span, else its start's."""
        return (self.end or self.start).upper()

    def sort_key(self) -> tuple[float, int, str]:
        return (*self.start.sort_key(), self.id)

    def display_date(self) -> str:
        """The date as readers see it (display.event_date): "mid-November 2024", "509 BC"."""
        from .display import event_date

        return event_date(self)


# A frozen dataclass's __init__ sets each field through object.__setattr__:
# five times slower than a plain one, seconds for a million events. Loaders
# build events as drafts of a mutable class with the same slots (so the same
# memory layout) and then give each the Event class: from then on it is an
# Event like any other, frozen. Where the layouts were not compatible the
# drafts would not be used (events are then built the ordinary way).
EVENT_FIELDS = tuple(f.name for f in fields(Event))
_EventDraft = make_dataclass(
    "_EventDraft", [(f.name, f.type) for f in fields(Event)], slots=True, repr=False, eq=False
)


def _drafts_become_events() -> bool:
    try:
        draft = _EventDraft(*(getattr(_PROBE, f.name) for f in fields(Event)))
        draft.__class__ = Event  # type: ignore[assignment]
    except TypeError:
        return False
    return draft == _PROBE


_PROBE = Event("e", "t", PartialDate(2000), tags=("x",))
_DRAFTS = _drafts_become_events()


def events_from_columns(columns: Iterable[Iterable[object]]) -> list[Event]:
    """Events from one iterable per field, in Event's field order, all of the same length."""
    if not _DRAFTS:
        return list(map(Event, *columns))
    events: list[Event] = list(map(_EventDraft, *columns))
    for event in events:
        event.__class__ = Event  # type: ignore[assignment]
    return events


@dataclass(frozen=True, slots=True)
class MapView:
    lat: float
    lon: float
    zoom: float


@dataclass(frozen=True, slots=True)
class StoryStep:
    order: int
    title: str
    caption: str = ""
    notes: str = ""
    events: tuple[str, ...] = ()
    start: PartialDate | None = None
    end: PartialDate | None = None
    # None means "fit the map to the step's places".
    view: MapView | None = None
    extra: tuple[tuple[str, str], ...] = ()


# The keys of Dataset.derived() worked out from the events alone (not their places'
# coordinates, nor the story): keep_caches carries them over. A key not listed is
# built again: never stale.
EVENT_ONLY_CACHES = (
    "date-order",
    "date-ordered",
    "date-order-ids",
    "date-order-rows",
    "spans",
    "spans-in-date-order",
    "rank",
    "row-arrays",
)


@dataclass
class Dataset:
    title: str = ""
    description: str = ""
    # A list, or for a table read as columns a read-only sequence over the columns
    # (lazy_events) that builds each event when it is read: edits replace it.
    events: Sequence[Event] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    story: list[StoryStep] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    # Extra event columns that hold numbers to size or colour markers by
    # (fatalities, magnitude ...), by their names in Event.extra.
    measures: tuple[str, ...] = ()
    # Colours the window has given categories, kept while the dataset is edited:
    # a new category takes a colour of its own and recolours no other.
    palette: tuple[tuple[str, str], ...] = ()

    # The id index, kept with the list and length it was built from: datasets are
    # built and then read, and a lookup per event must not re-index a million
    # events. A list replaced, grown or shrunk re-indexes; so does a miss.
    _index: tuple[int, int, dict[str, Event]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    # What is computed from all the events (see derived()), kept the same way.
    _derived: dict[str, tuple[int, int, Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def event(self, event_id: str) -> Event:
        found = self._events_by_id().get(event_id)
        if found is None or found.id != event_id:
            found = self._events_by_id(fresh=True)[event_id]
        return found

    def has_event(self, event_id: str) -> bool:
        return event_id in self._events_by_id() or event_id in self._events_by_id(fresh=True)

    def events_by_id(self) -> Mapping[str, Event]:
        """Every event by id: the index event() uses (read it, do not change it)."""
        return self._events_by_id()

    def _events_by_id(self, fresh: bool = False) -> Mapping[str, Event]:
        lazy = getattr(self.events, "index_by_id", None)
        if lazy is not None:  # events read as columns find their own, without building
            return lazy()  # type: ignore[no-any-return]
        index = self._index
        if fresh or index is None or index[0] != id(self.events) or index[1] != len(self.events):
            index = (id(self.events), len(self.events), {e.id: e for e in self.events})
            self._index = index
        return index[2]

    def keep_index(self, by_id: dict[str, Event]) -> None:
        """Keep ``by_id`` (every event by id) as the id index of the current event list:
        for a reader that built it with the events."""
        self._index = (id(self.events), len(self.events), by_id)

    def sorted_events(self) -> list[Event]:
        events = self.events
        if hasattr(events, "index_by_id"):  # read as columns: built as they are read
            from .lazy_events import InOrder

            return self.derived("date-order", lambda: InOrder(events, self._rows_in_order()))  # type: ignore[arg-type, return-value]
        if len(events) < 10_000:  # cheap: sort afresh, never stale
            return sorted(events, key=Event.sort_key)
        # The window, the map and the list all ask for a large dataset's order.
        return list(self.derived("date-order", lambda: _date_order(events, self._rows_in_order())))

    def date_order_rows(self) -> Any:
        """The events' indices in ``sorted_events()`` order (a numpy array), kept with
        the event list: views that hold arrays by event index read them in date order."""
        return self._rows_in_order()

    def _rows_in_order(self) -> Any:
        events = self.events
        return self.derived("date-order-rows", lambda: _date_order_rows(events))

    def derived(self, key: str, build: Callable[[], T]) -> T:
        """``build()``'s result, kept with the event list it was built from.

        For what views compute from all the events (their date order as
        arrays, which places each holds): two views of one dataset share it,
        and a million events are not walked again for the second.
        """
        return self._kept(key, self.events, build)

    def keep(self, key: str, value: Any) -> None:
        """Keep ``value`` as ``derived(key, ...)``'s result for the current event list:
        for a reader that computed it while building the events, more cheaply."""
        self._derived[key] = (id(self.events), len(self.events), value)

    def _kept(self, key: str, items: Sequence[Any], build: Callable[[], T]) -> T:
        found = self._derived.get(key)
        if found is None or found[0] != id(items) or found[1] != len(items):
            found = (id(items), len(items), build())
            self._derived[key] = found
        return found[2]

    def keep_caches(self, other: Dataset) -> None:
        """Take ``other``'s id index and what derived() worked out from the events alone,
        when both hold the same events list (a copy with another story, an edit of
        places or sources): still right, and a million events are not sorted again."""
        if other.events is not self.events:
            return
        self._index = other._index
        for key in EVENT_ONLY_CACHES:
            if key in other._derived:
                self._derived[key] = other._derived[key]

    def citation(self, event_id: str, source_id: str) -> Citation | None:
        """What ``source_id`` says for ``event_id``, if the dataset records it."""
        citations = self.citations
        index = self._kept(
            "citation-index", citations, lambda: {(c.event, c.source): c for c in citations}
        )
        return index.get((event_id, source_id))

    def categories(self) -> list[str]:
        # Asked by several views as a dataset opens: a million events are walked once.
        events = self.events
        found = self.derived("categories", lambda: sorted(set(map(attrgetter("category"), events))))
        return list(found)

    def places_of(self, events: Iterable[Event]) -> list[Place]:
        seen: dict[str, Place] = {}
        for event in events:
            for pid in event.places:
                if pid in self.places:
                    seen.setdefault(pid, self.places[pid])
        return list(seen.values())


def _date_order_rows(events: Sequence[Event]) -> Any:
    """The indices that sort ``events`` by Event.sort_key, faster for many events.

    A stable sort by id, then a stable sort by start time and precision: the
    same order. The second runs in numpy over each start's epoch seconds
    (exact for every year a date can have), worked out once per distinct date.
    """
    import numpy as np

    from .spans import epochs, precisions

    ids = list(map(attrgetter("id"), events))
    by_id = sorted(range(len(events)), key=ids.__getitem__)
    starts = [events[i].start for i in by_id]
    order = np.lexsort((precisions(starts), epochs(starts, PartialDate.lower_epoch)))
    return np.asarray(by_id, dtype=np.int64)[order]


def _date_order(events: Sequence[Event], rows: Any = None) -> list[Event]:
    """``sorted(events, key=Event.sort_key)``, faster for many events."""
    if rows is None:
        rows = _date_order_rows(events)
    return [events[i] for i in rows.tolist()]

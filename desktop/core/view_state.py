"""What the analyst is looking at: one state object every view subscribes to.

Selection (event ids), the brushed time window, the category filter and the
search text live here and nowhere else. Views never talk to each other: the
timeline, the map, the list and the detail panel each change this object and
redraw when it notifies them, so linking is the same code path whichever view
the analyst touched.

Plain Python, no Qt: the rules for what is visible are tested without a
window, and exports can reuse them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from typing import Any

from .dates import day_at, to_epoch
from .model import Dataset, Event

# What changed, so a subscriber can skip work it does not need to redo.
SELECTION = "selection"
WINDOW = "window"
CATEGORIES = "categories"
SEARCH = "search"
DATASET = "dataset"

Listener = Callable[[frozenset[str]], None]


class _Index(dict):
    """Place id -> index; -1 for an id that names no place."""

    def __missing__(self, key: str) -> int:
        return -1


# Datasets smaller than this are counted in plain Python, without numpy's
# import on the way to the first window.
_FEW = 5_000
# visible_rows() when nothing is filtered out.
_ALL: Any = object()


@dataclass(frozen=True)
class TimeWindow:
    """A half-open span [start, end) of UTC time; events overlapping it are shown.

    datetime stops at year 1: a window reaching into BCE years gives its exact
    bounds as epoch seconds too (``low``/``high``), and ``start``/``end`` are
    those clamped to year 1. Whatever compares events uses ``epochs()``.
    """

    start: datetime
    end: datetime
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def from_epochs(cls, low: float, high: float) -> TimeWindow:
        """A window between two epoch seconds, BCE ones included.

        The exact bounds are kept only where datetime cannot hold them, so a
        window within years 1 to 9999 is the same as one made from datetimes.
        """
        if low >= _FIRST_SECOND and high <= _LAST_SECOND:
            return cls(_moment(low), _moment(high))
        return cls(_moment(low), _moment(high), low, high)

    def label(self) -> str:
        """The window for reading: "2024-06-01 – 2025-01-31", or "300 BC – 100 BC"."""
        low, high = self.epochs()
        if self.low is None and self.high is None:
            return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"
        return f"{day_at(low).label()} – {day_at(max(low, high - 1e-6)).label()}"

    def epochs(self) -> tuple[float, float]:
        """(start, end) in epoch seconds, exact for BCE windows too."""
        low = to_epoch(self.start) if self.low is None else self.low
        high = to_epoch(self.end) if self.high is None else self.high
        return low, high

    def overlaps(self, event: Event) -> bool:
        low, high = self.epochs()
        return event.start.lower_epoch() < high and (event.end or event.start).upper_epoch() > low


_FIRST_SECOND = to_epoch(datetime(1, 1, 1, tzinfo=UTC))
_LAST_SECOND = to_epoch(datetime(9999, 12, 31, tzinfo=UTC))


def _moment(seconds: float) -> datetime:
    """Epoch seconds as a datetime, held within the years datetime has (1 to 9999)."""
    return datetime.fromtimestamp(min(max(seconds, _FIRST_SECOND), _LAST_SECOND), tz=UTC)


def event_text(dataset: Dataset, event: Event) -> str:
    """Everything a search may match for one event, lower-cased."""
    parts = [event.id, event.title, event.summary, event.category, event.date_label, *event.tags]
    for pid in event.places:
        place = dataset.places.get(pid)
        parts.append(pid)
        if place is not None:
            parts.extend((place.name, *place.aliases))
    for sid in event.sources:
        source = dataset.sources.get(sid)
        if source is not None:
            parts.extend((source.publisher, source.title))
    return "\n".join(parts).casefold()


class ViewState:
    """Selection, time window, category filter and search, with change notification.

    Setters only notify when the value really changes, so a view that echoes
    a change back (the map confirming a selection) cannot start a loop.
    """

    def __init__(self, dataset: Dataset | None = None) -> None:
        self._listeners: list[Listener] = []
        self._dataset = dataset or Dataset()
        self._selection: tuple[str, ...] = ()
        self._window: TimeWindow | None = None
        self._hidden_categories: frozenset[str] = frozenset()
        self._search = ""
        self._texts: dict[str, str] = {}
        self._visible: tuple[str, ...] | None = None
        self._rows: Any = None
        self._reindex()

    # -- subscription -------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(changed)`` after every change; returns an unsubscribe function."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, *changed: str) -> None:
        what = frozenset(changed)
        if what - {SELECTION}:  # a new selection leaves what is visible as it was
            self._visible = None
            self._rows = None
        for listener in list(self._listeners):
            listener(what)

    # -- the dataset --------------------------------------------------------

    @property
    def dataset(self) -> Dataset:
        return self._dataset

    def set_dataset(self, dataset: Dataset) -> None:
        """Show another dataset: selection, window, filters and search start afresh."""
        self._dataset = dataset
        self._selection = ()
        self._window = None
        self._hidden_categories = frozenset()
        self._search = ""
        self._reindex()
        self._notify(DATASET, SELECTION, WINDOW, CATEGORIES, SEARCH)

    def _reindex(self) -> None:
        # Search texts and time spans are built on first use: most sessions never
        # search, and a million events take seconds to index.
        self._texts = {}
        dataset = self._dataset
        self._ordered, self._order = dataset.derived(
            "date-order-and-ids", lambda: _date_order(dataset)
        )
        self._by_id = dataset.events_by_id()
        self._rows = None

    # -- selection ----------------------------------------------------------

    @property
    def selection(self) -> tuple[str, ...]:
        return self._selection

    def select(self, event_ids: Iterable[str]) -> None:
        """Select these events (unknown ids are dropped; order kept, duplicates removed)."""
        ids = tuple(dict.fromkeys(i for i in event_ids if i in self._by_id))
        if ids != self._selection:
            self._selection = ids
            self._notify(SELECTION)

    def clear_selection(self) -> None:
        self.select(())

    def select_place(self, place_id: str) -> None:
        """Select the visible events held by one place (all its events if none is visible)."""
        import numpy as np

        rows, places, names = self._place_incidence()
        if place_id not in self._dataset.places:
            self.select(())
            return
        holding = rows[places == names.index(place_id)]
        visible = self.visible_rows()
        shown = holding if visible is None else holding[np.isin(holding, visible)]
        order = self._order
        self.select(order[i] for i in (shown if shown.size else holding).tolist())

    def selected_events(self) -> list[Event]:
        return [self._by_id[i] for i in self._selection]

    # -- time window --------------------------------------------------------

    @property
    def window(self) -> TimeWindow | None:
        return self._window

    def set_window(self, window: TimeWindow | None) -> None:
        if window != self._window:
            self._window = window
            self._notify(WINDOW)

    # -- category filter ----------------------------------------------------

    @property
    def hidden_categories(self) -> frozenset[str]:
        return self._hidden_categories

    def set_category_shown(self, category: str, shown: bool) -> None:
        hidden = set(self._hidden_categories)
        if shown:
            hidden.discard(category)
        else:
            hidden.add(category)
        self.set_hidden_categories(hidden)

    def set_hidden_categories(self, categories: Iterable[str]) -> None:
        hidden = frozenset(categories)
        if hidden != self._hidden_categories:
            self._hidden_categories = hidden
            self._notify(CATEGORIES)

    # -- search -------------------------------------------------------------

    @property
    def search(self) -> str:
        return self._search

    def set_search(self, text: str) -> None:
        text = text or ""
        if text != self._search:
            self._search = text
            self._notify(SEARCH)

    # -- what is visible ----------------------------------------------------

    def is_visible(self, event: Event) -> bool:
        if event.category in self._hidden_categories:
            return False
        if self._window is not None and not self._window.overlaps(event):
            return False
        terms = self._search.casefold().split()
        if terms:
            return self._matches(event, terms)
        return True

    def _matches(self, event: Event, terms: list[str]) -> bool:
        text = self._texts.get(event.id)
        if text is None:
            text = self._texts[event.id] = event_text(self._dataset, event)
        return all(term in text for term in terms)

    def visible_ids(self) -> tuple[str, ...]:
        """Ids of the events every view shows now, in date order."""
        if self._visible is None:
            rows = self.visible_rows()
            if rows is None:
                self._visible = tuple(self._order)
            else:
                order = self._order
                self._visible = tuple([order[i] for i in rows.tolist()])
        return self._visible

    def visible_rows(self) -> Any:
        """The visible events' positions in date order (a sorted numpy array), or
        None when every event is visible."""
        if self._rows is None:
            self._rows = self._compute_rows()
        return None if self._rows is _ALL else self._rows

    def _compute_rows(self) -> Any:
        # The same rules as is_visible(), over arrays: a brush on a million
        # events must answer in milliseconds.
        terms = self._search.casefold().split()
        if not self._hidden_categories and self._window is None and not terms:
            return _ALL
        import numpy as np  # not before: start-up shows everything, without numpy

        events = self._ordered
        mask = np.ones(len(events), dtype=bool)
        if self._hidden_categories:
            hidden = self._hidden_categories
            mask &= np.fromiter((e.category not in hidden for e in events), bool, len(events))
        if self._window is not None:
            lower, upper = self._time_spans()
            low, high = self._window.epochs()
            mask &= (lower < high) & (upper > low)
        rows = np.flatnonzero(mask)
        if terms:
            rows = rows[[self._matches(events[i], terms) for i in rows.tolist()]]
        return rows

    def rank(self, event_id: str) -> int | None:
        """The event's position in date order (None for an unknown id)."""
        order = self._order
        ranks = self._dataset.derived("rank", lambda: {eid: i for i, eid in enumerate(order)})
        return ranks.get(event_id)

    def _time_spans(self) -> tuple[Any, Any]:
        """Each event's earliest and latest possible time, epoch seconds, in date order."""
        from .spans import event_spans

        ordered = self._ordered
        return self._dataset.derived("spans-in-date-order", lambda: event_spans(ordered))

    def place_counts(self, visible_only: bool = True) -> dict[str, int]:
        """Visible events (or all events) per place, for places with at least one,
        in the dataset's order.

        What the map draws (a marker per place, its count) without being sent
        every event: the same answer for a million events as for twenty.
        """
        if len(self._order) < _FEW:  # no numpy yet: it would delay the first map
            events = self.visible_events() if visible_only else self._ordered
            known = self._dataset.places
            counted = Counter(pid for e in events for pid in set(e.places) if pid in known)
            return {pid: counted[pid] for pid in known if counted[pid]}
        import numpy as np

        rows, places, names = self._place_incidence()
        visible = self.visible_rows() if visible_only else None
        if visible is not None:
            shown = np.zeros(len(self._order), dtype=bool)
            shown[visible] = True
            places = places[shown[rows]]
        counts = np.bincount(places, minlength=len(names))
        return {names[i]: int(counts[i]) for i in np.flatnonzero(counts).tolist()}

    def _place_incidence(self) -> tuple[Any, Any, list[str]]:
        """(event row, place index) pairs, one per distinct known place of each event."""
        return self._dataset.derived("place-incidence", self._build_incidence)

    def _build_incidence(self) -> tuple[Any, Any, list[str]]:
        import numpy as np

        names = list(self._dataset.places)
        index = _Index((pid, i) for i, pid in enumerate(names))
        # Flat lists over all events at once: a loop per event costs seconds at 1M.
        held = [e.places for e in self._ordered]
        lengths = np.fromiter(map(len, held), np.int64, len(held))
        places = np.fromiter(map(index.__getitem__, chain.from_iterable(held)), np.int64)
        rows = np.repeat(np.arange(len(held), dtype=np.int64), lengths)
        known = places >= 0
        rows, places = rows[known], places[known]
        if any(len(set(p)) < len(p) for p in held if len(p) > 1):
            # An event naming a place twice is counted there once.
            width = max(len(names), 1)
            pairs = np.unique(rows * width + places)
            rows, places = pairs // width, pairs % width
        return rows, places, names

    def event(self, event_id: str) -> Event:
        return self._by_id[event_id]

    def visible_events(self) -> list[Event]:
        return [self._by_id[i] for i in self.visible_ids()]

    def visible_place_ids(self) -> list[str]:
        """Places holding at least one visible event, first mention first."""
        return [p.id for p in self._dataset.places_of(self.visible_events())]

    def selected_place_ids(self) -> list[str]:
        """The selected events' known places, first mention first."""
        return [p.id for p in self._dataset.places_of(self.selected_events())]


def _date_order(dataset: Dataset) -> tuple[list[Event], list[str]]:
    ordered = dataset.sorted_events()
    return ordered, [e.id for e in ordered]

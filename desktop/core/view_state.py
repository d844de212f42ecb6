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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .dates import to_epoch
from .model import Dataset, Event

# What changed, so a subscriber can skip work it does not need to redo.
SELECTION = "selection"
WINDOW = "window"
CATEGORIES = "categories"
SEARCH = "search"
DATASET = "dataset"

Listener = Callable[[frozenset[str]], None]


@dataclass(frozen=True)
class TimeWindow:
    """A half-open span [start, end) of UTC time; events overlapping it are shown."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")

    def overlaps(self, event: Event) -> bool:
        return event.lower() < self.end and event.upper() > self.start


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
        self._spans: tuple[Any, Any] | None = None
        self._order = [e.id for e in self._dataset.sorted_events()]
        self._by_id = {e.id: e for e in self._dataset.events}

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
        holding = [eid for eid in self._order if place_id in self._by_id[eid].places]
        visible = set(self.visible_ids())
        shown = [eid for eid in holding if eid in visible]
        self.select(shown or holding)

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
            self._visible = self._compute_visible()
        return self._visible

    def _compute_visible(self) -> tuple[str, ...]:
        # The same rules as is_visible(), over arrays: a brush on a million
        # events must answer in milliseconds.
        terms = self._search.casefold().split()
        if not self._hidden_categories and self._window is None and not terms:
            return tuple(self._order)
        import numpy as np  # not before: start-up shows everything, without numpy

        events = [self._by_id[eid] for eid in self._order]
        mask = np.ones(len(events), dtype=bool)
        if self._hidden_categories:
            hidden = self._hidden_categories
            mask &= np.fromiter((e.category not in hidden for e in events), bool, len(events))
        if self._window is not None:
            lower, upper = self._time_spans()
            mask &= (lower < to_epoch(self._window.end)) & (upper > to_epoch(self._window.start))
        rows = np.flatnonzero(mask)
        if terms:
            return tuple(self._order[i] for i in rows if self._matches(events[i], terms))
        return tuple(self._order[i] for i in rows)

    def _time_spans(self) -> tuple[Any, Any]:
        """Each event's earliest and latest possible time, epoch seconds, in date order."""
        if self._spans is None:
            import numpy as np

            events = [self._by_id[eid] for eid in self._order]
            lower = np.fromiter((to_epoch(e.lower()) for e in events), float, len(events))
            upper = np.fromiter((to_epoch(e.upper()) for e in events), float, len(events))
            self._spans = (lower, upper)
        return self._spans

    def visible_events(self) -> list[Event]:
        return [self._by_id[i] for i in self.visible_ids()]

    def visible_place_ids(self) -> list[str]:
        """Places holding at least one visible event, first mention first."""
        return [p.id for p in self._dataset.places_of(self.visible_events())]

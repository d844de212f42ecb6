"""What the analyst is looking at: one state object every view subscribes to.

Selection (event ids), the brushed time window, the category filter, the
search text, the story step on screen and the frame (where the map and the
timeline should look) live here and nowhere else. Views never talk to each
other: the timeline, the map, the list and the detail panel each change this
object and redraw when it notifies them, so linking is the same code path
whichever view the analyst touched.

- ``batch()`` groups changes: listeners hear once, with everything that
  changed (notify everyone, then each view draws once).
- A frame is a request (``set_frame``): the map flies and the timeline pans
  once per frame, and never set one in reply.
- The map's camera and the timeline's span are *reported* by those views
  (``report_camera``, ``report_span``) and read on demand (capturing a story
  step, restoring the analyst's view after a briefing); a report notifies
  nobody, so a view can never be moved by its own echo.
- ``frozen()`` is a copy of all of it that exports render and the presenter
  restores (``restore``), serialisable for a child process.

Plain Python, no Qt: the rules for what is visible are tested without a
window, and exports can reuse them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .dates import PartialDate, day_at, day_before, parse_date, to_epoch
from .model import Dataset, Event, StoryStep
from .model import MapView as Camera

# What changed, so a subscriber can skip work it does not need to redo.
SELECTION = "selection"
WINDOW = "window"
CATEGORIES = "categories"
SEARCH = "search"
DATASET = "dataset"
STEP = "step"  # the story step on screen
FRAME = "frame"  # where the map and the timeline are asked to look
# Changes to which events are visible (a new selection, step or frame leaves them as they were).
SHOWN = frozenset({DATASET, WINDOW, CATEGORIES, SEARCH})
# A step stays on screen until one of these changes without it.
_STEP_ENDS = frozenset({DATASET, WINDOW, SELECTION})

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
        if self.low is None and self.high is None:
            return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"
        first, last = self.days()
        return f"{first.label()} – {last.label()}"

    def days(self) -> tuple[PartialDate, PartialDate]:
        """The day the window starts and the day holding its last instant, in any year."""
        low, high = self.epochs()
        first = day_at(low)
        return first, day_before(high) if high > low else first

    def epochs(self) -> tuple[float, float]:
        """(start, end) in epoch seconds, exact for BCE windows too."""
        low = to_epoch(self.start) if self.low is None else self.low
        high = to_epoch(self.end) if self.high is None else self.high
        return low, high


_FIRST_SECOND = to_epoch(datetime(1, 1, 1, tzinfo=UTC))
_LAST_SECOND = to_epoch(datetime(9999, 12, 31, tzinfo=UTC))


def _moment(seconds: float) -> datetime:
    """Epoch seconds as a datetime, held within the years datetime has (1 to 9999)."""
    return datetime.fromtimestamp(min(max(seconds, _FIRST_SECOND), _LAST_SECOND), tz=UTC)


Span = tuple[float, float]  # a stretch of the time axis, UTC epoch seconds
Bounds = tuple[float, float, float, float]  # a box on the map: south, west, north, east (degrees)


@dataclass(frozen=True)
class Frame:
    """Where the map and the timeline are asked to look: a request, carried out once.

    ``span``: the timeline's stretch of time (margins included); None, its home
    view. ``camera``: the map's centre and zoom; else ``bounds``, the box it
    fits (framing.fit_bounds); else ``places``, the place ids it fits; with
    none of them the map stays where it is. ``animate``: fly and pan there (a
    story step), or jump (a restored view, a snapshot).
    """

    span: Span | None = None
    places: tuple[str, ...] = ()
    camera: Camera | None = None
    animate: bool = False
    bounds: Bounds | None = None


@dataclass(frozen=True)
class FrozenView:
    """What a view state shows, frozen: exports render it, the presenter puts it back.

    ``dates``: the window as written, when it was (a command line's --from and
    --to), for captions; None when it is read from the window itself. ``camera``
    and ``span``: where the map and the timeline were, as they reported it.
    """

    selection: tuple[str, ...] = ()
    window: TimeWindow | None = None
    hidden: tuple[str, ...] = ()
    search: str = ""
    step: StoryStep | None = None
    camera: Camera | None = None
    span: Span | None = None
    dates: tuple[PartialDate | None, PartialDate | None] | None = None

    def own_frame(self) -> Frame:
        """The frame that puts the map and the timeline back where they were, at once."""
        return Frame(span=self.span, camera=self.camera)

    def to_json(self, story: Sequence[StoryStep]) -> dict[str, Any]:
        """Plain JSON; the step goes by its number in ``story`` (the child gets the same story)."""
        window = self.window
        number = next((i for i, s in enumerate(story, start=1) if s == self.step), None)
        camera = self.camera
        return {
            "selection": list(self.selection),
            # Epoch seconds, not datetimes: exact for windows before year 1 too.
            "window": list(window.epochs()) if window else None,
            "hidden": list(self.hidden),
            "search": self.search,
            "step": number,
            "camera": [camera.lat, camera.lon, camera.zoom] if camera else None,
            "span": list(self.span) if self.span else None,
            "dates": [d.iso() if d else None for d in self.dates] if self.dates else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], story: Sequence[StoryStep]) -> FrozenView:
        """The view ``to_json`` wrote; ValueError (or KeyError, TypeError) if it is not one."""
        window = data["window"]
        number = data["step"]
        if number is not None and not 1 <= int(number) <= len(story):
            raise ValueError(f"step {number}: the story has {len(story)} steps")
        camera = data["camera"]
        span = data["span"]
        dates = data["dates"]
        return cls(
            selection=tuple(str(i) for i in data["selection"]),
            window=TimeWindow.from_epochs(float(window[0]), float(window[1])) if window else None,
            hidden=tuple(str(c) for c in data["hidden"]),
            search=str(data["search"]),
            step=story[int(number) - 1] if number is not None else None,
            camera=Camera(*(float(v) for v in camera)) if camera else None,
            span=(float(span[0]), float(span[1])) if span else None,
            dates=(
                (
                    parse_date(dates[0]).date if dates[0] else None,
                    parse_date(dates[1]).date if dates[1] else None,
                )
                if dates
                else None
            ),
        )


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
    """Selection, time window, category filter, search, story step and frame, with
    change notification.

    Setters only notify when the value really changes, so a view that echoes
    a change back (the map confirming a selection) cannot start a loop. The
    exception is ``set_frame``: a frame is a request, and asking again (after
    the map was resized, say) moves the views again.
    """

    def __init__(self, dataset: Dataset | None = None) -> None:
        self._listeners: list[Listener] = []
        self._dataset = dataset or Dataset()
        self._selection: tuple[str, ...] = ()
        self._window: TimeWindow | None = None
        self._hidden_categories: frozenset[str] = frozenset()
        self._search = ""
        self._step: StoryStep | None = None
        self._frame: Frame | None = None
        self._camera: Camera | None = None
        self._span: Span | None = None
        self._texts: dict[str, str] = {}
        self._visible: tuple[str, ...] | None = None
        self._rows: Any = None
        self._batching = 0
        self._changed: set[str] = set()
        self._reindex()

    # -- subscription -------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(changed)`` after every change; returns an unsubscribe function."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    @contextmanager
    def batch(self) -> Iterator[ViewState]:
        """Change several things; listeners hear once, at the end, about all of them.

        Batches nest: only the outermost one notifies. Reads inside a batch see
        every change already made.
        """
        self._batching += 1
        try:
            yield self
        finally:
            self._batching -= 1
            if not self._batching and self._changed:
                changed, self._changed = self._changed, set()
                self._dispatch(changed)

    def _notify(self, *changed: str) -> None:
        if SHOWN.intersection(changed):
            self._visible = None
            self._rows = None
        self._changed.update(changed)
        if not self._batching:
            changed_now, self._changed = self._changed, set()
            self._dispatch(changed_now)

    def _dispatch(self, changed: set[str]) -> None:
        # A step is on screen while its window and selection are: any other
        # change to them (a brush, a click) leaves the story.
        if self._step is not None and STEP not in changed and changed & _STEP_ENDS:
            self._step = None
            changed.add(STEP)
        what = frozenset(changed)
        for listener in list(self._listeners):
            listener(what)

    # -- the dataset --------------------------------------------------------

    @property
    def dataset(self) -> Dataset:
        return self._dataset

    def set_dataset(self, dataset: Dataset) -> None:
        """Show another dataset: selection, window, filters, search, step and frame start afresh.

        (framing.open_dataset also frames the new dataset's first view, in the same change.)
        """
        self._dataset = dataset
        self._selection = ()
        self._window = None
        self._hidden_categories = frozenset()
        self._search = ""
        self._step = None
        self._frame = None
        self._camera = None
        self._span = None
        self._reindex()
        self._notify(DATASET, SELECTION, WINDOW, CATEGORIES, SEARCH, STEP)

    def update_dataset(self, dataset: Dataset, keep: tuple[str, ...] | None = None) -> None:
        """The same dataset, edited or reloaded: the analyst's view stays.

        Selection (``keep``, else the current one, less ids that are gone), window,
        filters and story step stay; the frame asked for is where the map and the
        timeline are now, so the rebuilt views open where they were.
        """
        selection = self._selection if keep is None else keep
        self._dataset = dataset
        self._reindex()
        self._selection = tuple(dict.fromkeys(i for i in selection if i in self._by_id))
        self._frame = Frame(span=self._span, camera=self._camera)
        # STEP said: the step on screen stays on screen (a new dataset would end it).
        self._notify(DATASET, SELECTION, FRAME, STEP)

    def _reindex(self) -> None:
        # Search texts and time spans are built on first use: most sessions never
        # search, and a million events take seconds to index.
        self._texts = {}
        dataset = self._dataset
        self._ordered = dataset.derived("date-ordered", dataset.sorted_events)
        self._by_id = dataset.events_by_id()
        self._rows = None

    @property
    def _order(self) -> list[str]:
        """Every event's id in date order: built when first asked for (a selection, a
        filter's list), not on opening: a million of them take a quarter of a second."""
        from .lazy_events import event_ids

        ordered = self._ordered
        return self._dataset.derived("date-order-ids", lambda: event_ids(ordered))

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
        self.select_places([place_id])

    def select_places(self, place_ids: Iterable[str]) -> None:
        """Select the visible events held by these places (one marker on the map for
        places at the same spot); all their events if none is visible."""
        import numpy as np

        rows, places, names = self._place_incidence()
        wanted = [
            names.index(pid) for pid in dict.fromkeys(place_ids) if pid in self._dataset.places
        ]
        if not wanted:
            self.select(())
            return
        holding = np.unique(rows[np.isin(places, wanted)])
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

    # -- the story step on screen -------------------------------------------

    @property
    def step(self) -> StoryStep | None:
        """The story step on screen (briefing.show_step puts one there), or None.

        Cleared by any change to the window, the selection or the dataset
        that does not come with a step.
        """
        return self._step

    def set_step(self, step: StoryStep | None) -> None:
        if step != self._step:
            self._step = step
            self._notify(STEP)

    # -- where the views look -----------------------------------------------

    @property
    def frame(self) -> Frame | None:
        """The last frame asked for (None: none since the dataset was opened)."""
        return self._frame

    def set_frame(self, frame: Frame) -> None:
        """Ask the map and the timeline to look here (always notifies: a request)."""
        self._frame = frame
        self._notify(FRAME)

    @property
    def camera(self) -> Camera | None:
        """The map's centre and zoom as the map last reported them (None: not yet)."""
        return self._camera

    def report_camera(self, camera: Camera) -> None:
        """The map says where it is now (after every move). Nobody is notified."""
        self._camera = camera

    @property
    def span(self) -> Span | None:
        """The timeline's stretch of time as it last reported it (None: not yet)."""
        return self._span

    def report_span(self, lo: float, hi: float) -> None:
        """The timeline says what it shows now (after every pan or zoom). Nobody is notified."""
        self._span = (lo, hi)

    # -- frozen copies ------------------------------------------------------

    def frozen(self) -> FrozenView:
        """All of what this state shows, as a value (for an export, or to put back later)."""
        known = self._dataset.categories()
        return FrozenView(
            selection=self._selection,
            window=self._window,
            # In the dataset's order: the same filter always reads the same.
            hidden=tuple(c for c in known if c in self._hidden_categories),
            search=self._search,
            step=self._step,
            camera=self._camera,
            span=self._span,
        )

    def restore(self, view: FrozenView, frame: Frame | None = None) -> None:
        """Show ``view`` again (selection, window, filters, step), and ``frame`` if given:
        one notification."""
        with self.batch():
            self.set_window(view.window)
            self.set_hidden_categories(view.hidden)
            self.set_search(view.search)
            self.select(view.selection)
            # Said even when unchanged: the restored window and selection are the step's.
            self._step = view.step
            self._notify(STEP)
            if frame is not None:
                self.set_frame(frame)

    # -- what is visible ----------------------------------------------------

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

    def event_in_date_order(self, rank: int) -> Event:
        """The event at ``rank`` in date order (what visible_rows() holds)."""
        return self._ordered[rank]

    def visible_count(self) -> int:
        """How many events every view shows now (without listing their ids)."""
        rows = self.visible_rows()
        return len(self._ordered) if rows is None else len(rows)

    def visible_rows(self) -> Any:
        """The visible events' positions in date order (a sorted numpy array), or
        None when every event is visible."""
        if self._rows is None:
            self._rows = self._compute_rows()
        return None if self._rows is _ALL else self._rows

    def _compute_rows(self) -> Any:
        # Visible: not in a hidden category, overlapping the window, holding every
        # search word. Over arrays: a brush on a million events must answer in milliseconds.
        terms = self._search.casefold().split()
        if not self._hidden_categories and self._window is None and not terms:
            return _ALL
        import numpy as np  # not before: start-up shows everything, without numpy

        events = self._ordered
        mask = np.ones(len(events), dtype=bool)
        if self._hidden_categories:
            mask &= ~self._in_categories(self._hidden_categories)
        if self._window is not None:
            lower, upper = self._time_spans()
            low, high = self._window.epochs()
            mask &= (lower < high) & (upper > low)
        rows = np.flatnonzero(mask)
        if terms:
            rows = rows[[self._matches(events[i], terms) for i in rows.tolist()]]
        return rows

    def _in_categories(self, categories: frozenset[str]) -> Any:
        """Whether each event, in date order, is in one of ``categories``."""
        import numpy as np

        from .row_arrays import row_arrays

        # By category code, over the arrays kept with the events: no event is built.
        held = row_arrays(self._dataset)
        named = np.array([c in categories for c in held.categories], bool)
        return named[held.category[self._dataset.date_order_rows()]]

    def rank(self, event_id: str) -> int | None:
        """The event's position in date order (None for an unknown id)."""
        order = self._order
        ranks = self._dataset.derived("rank", lambda: {eid: i for i, eid in enumerate(order)})
        return ranks.get(event_id)

    def _time_spans(self) -> tuple[Any, Any]:
        """Each event's earliest and latest possible time, epoch seconds, in date order."""
        from .spans import event_spans

        dataset = self._dataset

        def in_date_order() -> tuple[Any, Any]:
            # From the spans by event index (kept by a reader that read them as
            # columns): no event is read for them.
            lower, upper = dataset.derived("spans", lambda: event_spans(dataset.events))
            rows = dataset.date_order_rows()
            return lower[rows], upper[rows]

        return dataset.derived("spans-in-date-order", in_date_order)

    def place_counts(self, visible_only: bool = True) -> dict[str, int]:
        """Visible events (or all events) per place, for places with at least one,
        in the dataset's order.

        What the map draws (a marker per place, its count) without being sent
        every event: the same answer for a million events as for twenty.
        """
        # Few events: no numpy yet, it would delay the first map (events read as
        # columns have imported it, and are counted by their arrays).
        if len(self._ordered) < _FEW and not hasattr(self._ordered, "ids"):
            events = self.visible_events() if visible_only else self._ordered
            known = self._dataset.places
            counted = Counter(pid for e in events for pid in set(e.places) if pid in known)
            return {pid: counted[pid] for pid in known if counted[pid]}
        import numpy as np

        rows, places, names = self._place_incidence()
        visible = self.visible_rows() if visible_only else None
        if visible is not None:
            shown = np.zeros(len(self._ordered), dtype=bool)
            shown[visible] = True
            places = places[shown[rows]]
        counts = np.bincount(places, minlength=len(names))
        return {names[i]: int(counts[i]) for i in np.flatnonzero(counts).tolist()}

    def _place_incidence(self) -> tuple[Any, Any, list[str]]:
        """(event row, place index) pairs, one per distinct known place of each event."""
        return self._dataset.derived("place-incidence", self._build_incidence)

    def _build_incidence(self) -> tuple[Any, Any, list[str]]:
        import numpy as np

        from .row_arrays import row_arrays

        dataset = self._dataset
        names = list(dataset.places)
        index = _Index((pid, i) for i, pid in enumerate(names))
        # Over the arrays kept with the events (by event index), turned into rows in
        # date order: a loop per event costs seconds at 1M.
        held = row_arrays(dataset)
        known_of_key = np.fromiter(map(index.__getitem__, held.place_keys), np.int64)
        row_of_event = np.empty(len(held), np.int64)
        row_of_event[dataset.date_order_rows()] = np.arange(len(held), dtype=np.int64)
        places = known_of_key[held.place_code] if len(held.place_code) else held.place_code
        events = held.place_rows()
        known = places >= 0
        events, places = events[known], places[known]
        width = max(len(names), 1)
        pairs = events * width + places
        # Grouped by event already; an event naming a place twice is counted there once
        # (sorting a million pairs costs less than np.unique's hashing of them).
        pairs.sort()
        distinct = pairs[1:] != pairs[:-1]
        if not distinct.all():
            pairs = pairs[np.concatenate(([True], distinct))]
        return row_of_event[pairs // width], pairs % width, names

    def event(self, event_id: str) -> Event:
        return self._by_id[event_id]

    def visible_events(self) -> list[Event]:
        return [self._by_id[i] for i in self.visible_ids()]

    def selected_place_ids(self) -> list[str]:
        """The selected events' known places, first mention first."""
        return [p.id for p in self._dataset.places_of(self.selected_events())]

"""Where the map and the timeline look: the framing rules, the same for every view.

The window, the presenter, the snapshot (PNG, decks) and the HTML export all
frame the map and the timeline through these rules, so a story step, a PNG
and the opened dataset look the same wherever they are shown:

- a view (a story step, a snapshot): the timeline on its window with a
  margin (its home view without one); the map on the step's saved camera,
  else on the box (``fit_bounds``) of the selection's places, else of the
  visible events' places;
- a dataset just opened: the timeline at home, the map on ``fit_bounds`` of
  every place with an event.

``fit_bounds`` frames where the events are, robust to outliers: it holds at
least 95 % of the places and of the events, and leaves the rest out only when
that lets the map zoom in at least one level (the page then points to them:
"+3 elsewhere"). One quake off Africa does not shrink a map of Nepal; a world
of quakes stays a world map.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Dataset, Event, Place
from .view_state import Bounds, Camera, Frame, Span, TimeWindow, ViewState

# Room either side of a window, so its first and last events are not on the edge.
SPAN_MARGIN = 0.08


def window_span(window: TimeWindow | None) -> Span | None:
    """The timeline's span for a window: the window and a margin either side (None: home)."""
    if window is None:
        return None
    lo, hi = window.epochs()  # exact for BCE windows too
    margin = (hi - lo) * SPAN_MARGIN
    return lo - margin, hi + margin


def view_frame(state: ViewState, camera: Camera | None = None, animate: bool = False) -> Frame:
    """Frame what ``state`` shows: its window; ``camera`` if given, else the box of its
    selection's places, else of its visible events' places."""
    span = window_span(state.window)
    if camera is not None:
        return Frame(span, camera=camera, animate=animate)
    counts = place_counts_of(state.selected_events()) if state.selection else state.place_counts()
    return Frame(span, bounds=fit_bounds(state.dataset, counts), animate=animate)


def open_dataset(state: ViewState, dataset: Dataset, counts: dict[str, int] | None = None) -> None:
    """Show a dataset afresh, its first view framed on where its events are: one change.

    counts: events per place when the dataset does not hold its events (a source
    queried, not loaded); else they are counted from the events.
    """
    with state.batch():
        state.set_dataset(dataset)
        weights = counts if counts is not None else state.place_counts()
        state.set_frame(Frame(None, bounds=fit_bounds(dataset, weights)))


# Share of the places, and of the events, every fitted box holds.
KEEP = 0.95
# Leaving places out must let the map zoom in by at least this many levels.
MIN_ZOOM_GAIN = 1.0
# The shape of the map the box is judged for (width over height): a window's map.
ASPECT = 1.6
# Web Mercator stops short of the poles.
MAX_LAT = 85.0


@dataclass(frozen=True, slots=True)
class _Extent:
    """One place's part of the box: its point, or its route's vertices."""

    south: float
    west: float
    north: float
    east: float
    weight: int


def _extent(place: Place, weight: int) -> _Extent | None:
    points = list(place.points)
    anchor = place.anchor()
    if anchor is not None:
        points.append(anchor)
    points = [(lat, lon) for lat, lon in points if math.isfinite(lat) and math.isfinite(lon)]
    if not points:
        return None
    lats = [min(MAX_LAT, max(-MAX_LAT, lat)) for lat, _ in points]
    lons = [lon for _, lon in points]
    return _Extent(min(lats), min(lons), max(lats), max(lons), weight)


def _mercator(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _zoom_size(box: Bounds) -> float:
    """How far out the map must zoom to show ``box`` (log2 of the span it must fit)."""
    south, west, north, east = box
    width = max(east - west, 1e-6) / 360.0
    height = max(_mercator(north) - _mercator(south), 1e-6) / (2 * math.pi)
    return math.log2(max(width, height * ASPECT))


def fit_bounds(dataset: Dataset, counts: dict[str, int]) -> Bounds | None:
    """The box the map fits for these places (south, west, north, east), or None if
    none of them has coordinates.

    counts: events per place id (ViewState.place_counts(): the shown events);
    places with none are left out. Outliers go, a place at a time from the
    edge that shrinks the box most, while the box still holds ``KEEP`` of the
    places and of the events; they stay unless leaving them out lets the map
    zoom in ``MIN_ZOOM_GAIN`` levels.
    """
    extents = [
        extent
        for pid, n in counts.items()
        if n > 0 and pid in dataset.places
        for extent in [_extent(dataset.places[pid], n)]
        if extent is not None
    ]
    if not extents:
        return None
    full = _box(extents)
    budget_places = int(len(extents) * (1 - KEEP) + 1e-9)
    budget_events = sum(e.weight for e in extents) * (1 - KEEP)
    if budget_places == 0:
        return full
    trimmed = _trim(extents, budget_places, budget_events)
    if not trimmed:
        return full
    # The fewest left out for (about) the most zoom: outliers beyond the first few
    # rarely matter, and every place left out is one more a reader must look for.
    sizes = [_zoom_size(box) for box in trimmed]
    best = min(sizes)
    if _zoom_size(full) - best < MIN_ZOOM_GAIN:
        return full
    return next(box for box, size in zip(trimmed, sizes, strict=True) if size <= best + 0.25)


def _box(extents: list[_Extent]) -> Bounds:
    return (
        min(e.south for e in extents),
        min(e.west for e in extents),
        max(e.north for e in extents),
        max(e.east for e in extents),
    )


def _trim(extents: list[_Extent], places: int, events: float) -> list[Bounds]:
    """The boxes left as outliers go one by one (greedy, from whichever side shrinks
    the box most), while no more than ``places`` places and ``events`` events are out."""
    sides = {
        "south": sorted(range(len(extents)), key=lambda i: extents[i].south),
        "west": sorted(range(len(extents)), key=lambda i: extents[i].west),
        "north": sorted(range(len(extents)), key=lambda i: -extents[i].north),
        "east": sorted(range(len(extents)), key=lambda i: -extents[i].east),
    }
    position = dict.fromkeys(sides, 0)
    out: set[int] = set()
    boxes: list[Bounds] = []
    events_out = 0.0

    def edge(side: str, skip: int = -1) -> int:
        """The outermost place still in on ``side`` (other than ``skip``)."""
        order, at = sides[side], position[side]
        while order[at] in out:
            at += 1
        position[side] = at
        while order[at] == skip:
            at += 1
            while order[at] in out:
                at += 1
        return order[at]

    def box_without(skip: int) -> Bounds:
        return (
            extents[edge("south", skip)].south,
            extents[edge("west", skip)].west,
            extents[edge("north", skip)].north,
            extents[edge("east", skip)].east,
        )

    while len(out) < places and len(out) < len(extents) - 1:
        candidates = {edge(side) for side in sides}
        candidates = {i for i in candidates if events_out + extents[i].weight <= events}
        if not candidates:
            break
        drop = min(candidates, key=lambda i: (_zoom_size(box_without(i)), extents[i].weight))
        boxes.append(box_without(drop))
        out.add(drop)
        events_out += extents[drop].weight
    return boxes


def place_counts_of(events: Iterable[Event]) -> dict[str, int]:
    """Events per place id (an event naming a place twice counts there once)."""
    counted: dict[str, int] = {}
    for event in events:
        for pid in dict.fromkeys(event.places):
            counted[pid] = counted.get(pid, 0) + 1
    return counted


def events_frame_bounds(dataset: Dataset, selected: Sequence[str]) -> Bounds | None:
    """The box a view of ``dataset`` (already cut to what it shows) fits: its selection's
    places, else all its places; the HTML export's first view."""
    events = [dataset.event(i) for i in selected if dataset.has_event(i)]
    return fit_bounds(dataset, place_counts_of(events or dataset.events))

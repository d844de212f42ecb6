"""Where the map and the timeline look: the framing rules, the same for every view.

The window, the presenter and the snapshot all frame the map and the
timeline through these rules (as a ``Frame`` set on the view state), so a
story step, a PNG and the opened dataset look the same wherever they are shown:

- a view (a story step, a snapshot): the timeline on its window with a
  margin (its home view without one); the map on the step's saved camera,
  else on the selection's places, else on the visible events' places;
- a dataset just opened: the timeline at home, the map on the places near
  the heart of the story (``core_places``).
"""

from __future__ import annotations

import math

from .model import Dataset
from .view_state import Camera, Frame, Span, TimeWindow, ViewState

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
    """Frame what ``state`` shows: its window; ``camera`` if given, else the places of its
    selection, else those of its visible events."""
    span = window_span(state.window)
    if camera is not None:
        return Frame(span, camera=camera, animate=animate)
    ids = state.selection or state.visible_ids()
    dataset = state.dataset
    places = tuple(p.id for p in dataset.places_of(dataset.event(i) for i in ids))
    return Frame(span, places=places, animate=animate)


def open_dataset(state: ViewState, dataset: Dataset) -> None:
    """Show a dataset afresh, its first view framed on the heart of the story: one change."""
    with state.batch():
        state.set_dataset(dataset)
        places = core_places(dataset, state.place_counts())
        state.set_frame(Frame(None, places=tuple(places)))


# Places further than this from the heart of the story are left out of the
# first view (one event in Washington should not turn it into a world map).
CORE_RADIUS_KM = 2500.0


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def core_places(dataset: Dataset, counts: dict[str, int]) -> list[str]:
    """The places the first map view fits: those near the event-weighted median place.

    counts: the shown events per place (ViewState.place_counts()).
    """
    counts = {pid: n for pid, n in counts.items() if n > 0 and pid in dataset.places}
    anchors = {pid: dataset.places[pid].anchor() for pid in counts}
    located = {pid: a for pid, a in anchors.items() if a is not None}
    if len(located) < 3:
        return list(located)
    weights = [counts[pid] for pid in located]
    middle = (
        _weighted_median([a[0] for a in located.values()], weights),
        _weighted_median([a[1] for a in located.values()], weights),
    )
    near = [pid for pid, a in located.items() if _distance_km(a, middle) <= CORE_RADIUS_KM]
    return near if len(near) >= 2 else list(located)


def _weighted_median(values: list[float], weights: list[int]) -> float:
    """The median of ``values`` each repeated ``weight`` times, without repeating them."""
    pairs = sorted(zip(values, weights, strict=True))
    middle = sum(weights) // 2  # the index the repeated list's median would have
    seen = 0
    for value, weight in pairs:
        seen += weight
        if seen > middle:
            return value
    return pairs[-1][0]

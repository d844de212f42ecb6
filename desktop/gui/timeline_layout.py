"""Where each event goes on the timeline: lane, span and how certain its date is.

Pure numpy, no Qt, so the rules (what is an era, what is drawn as uncertain)
can be read and tested apart from the drawing. Times are UTC epoch seconds,
as pyqtgraph's DateAxisItem expects.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

from desktop.core.dates import Precision
from desktop.core.model import Dataset, Event
from desktop.core.spans import event_spans

ERA_CATEGORY = "era"
# An interval this long is background context (a treaty's 20-year term), not
# an event to pick out; it is shaded behind the lanes instead of taking one.
ERA_MIN_YEARS = 10
_YEAR = 365.25 * 86400
# The share of events the first view must show.
HOME_SHARE = 0.6

# Marker kinds.
EXACT = 0  # a day or a minute: a solid dot
UNCERTAIN = 1  # a year, a month or "circa": a hollow dot over a faint bar
INTERVAL = 2  # a known start and end: a solid bar


def is_era(event: Event) -> bool:
    if event.category.casefold() == ERA_CATEGORY:
        return True
    return event.end is not None and (
        (event.end or event.start).upper_epoch() - event.start.lower_epoch()
        >= ERA_MIN_YEARS * _YEAR
    )


def kind_of(event: Event) -> int:
    if event.end is not None:
        return UNCERTAIN if event.approximate else INTERVAL
    if event.approximate or event.precision < Precision.DAY:
        return UNCERTAIN
    return EXACT


@dataclass
class TimelineLayout:
    """Arrays over the events drawn in lanes (eras kept apart), sorted by centre time."""

    ids: list[str]
    titles: list[str]
    lane: np.ndarray  # int lane index
    lower: np.ndarray  # epoch seconds
    upper: np.ndarray
    center: np.ndarray
    kind: np.ndarray
    categories: list[str]  # lane names, top to bottom
    eras: list[Event]
    row_of: dict[str, int]

    @classmethod
    def build(cls, dataset: Dataset) -> TimelineLayout:
        # Over arrays, not event by event: opening a million events must not
        # spend seconds here. The rules are is_era() and kind_of().
        events = dataset.events
        lower, upper = dataset.derived("spans", lambda: event_spans(events))
        categories_of = [e.category for e in events]
        era_names = {c for c in set(categories_of) if c.casefold() == ERA_CATEGORY}
        has_end = np.fromiter((e.end is not None for e in events), bool, len(events))
        era = np.fromiter((c in era_names for c in categories_of), bool, len(events))
        era |= has_end & (upper - lower >= ERA_MIN_YEARS * _YEAR)
        eras = sorted((events[i] for i in np.flatnonzero(era).tolist()), key=Event.sort_key)
        keep = np.flatnonzero(~era)
        center = (lower[keep] + upper[keep]) / 2
        order = keep[np.argsort(center, kind="stable")]
        rows = order.tolist()
        drawn = [events[i] for i in rows]
        categories = sorted({categories_of[i] for i in rows})
        lane_of = {c: i for i, c in enumerate(categories)}
        approximate = np.fromiter((e.approximate for e in drawn), bool, len(drawn))
        coarse = np.fromiter((e.start.day is None for e in drawn), bool, len(drawn))
        ended = has_end[order]
        kind = np.where(
            ended,
            np.where(approximate, UNCERTAIN, INTERVAL),
            np.where(approximate | coarse, UNCERTAIN, EXACT),
        )
        ids = [e.id for e in drawn]
        return cls(
            ids=ids,
            titles=[e.title for e in drawn],
            lane=np.fromiter((lane_of[categories_of[i]] for i in rows), int, len(rows)),
            lower=lower[order],
            upper=upper[order],
            center=(lower[order] + upper[order]) / 2,
            kind=kind.astype(int),
            categories=categories,
            eras=eras,
            row_of={eid: i for i, eid in enumerate(ids)},
        )

    def __len__(self) -> int:
        return len(self.ids)

    def extent(self) -> tuple[float, float] | None:
        """The span the events (not the eras) cover, or None for an empty timeline."""
        if not len(self):
            if not self.eras:
                return None
            return (
                min(e.start.lower_epoch() for e in self.eras),
                max((e.end or e.start).upper_epoch() for e in self.eras),
            )
        return float(self.lower.min()), float(self.upper.max())

    def home_range(self) -> tuple[float, float] | None:
        """A first view that shows the story, not its background.

        Events cited as background (a treaty decades earlier) would squeeze
        the story into a sliver. The first view is the shortest stretch of
        time holding most of the events, with a margin; the rest is a
        zoom-out (or the - key) away.
        """
        full = self.extent()
        if full is None or len(self) < 8:
            return _padded(full) if full else None
        times = self.center  # sorted
        k = max(int(np.ceil(len(times) * HOME_SHARE)), 2)
        widths = times[k - 1 :] - times[: len(times) - k + 1]
        start = int(np.argmin(widths))
        lo, hi = float(times[start]), float(times[start + k - 1])
        if (hi - lo) * 2 >= full[1] - full[0]:
            return _padded(full)
        # Widen to whole events at the edges, then leave room for labels.
        covered = (self.center >= lo) & (self.center <= hi)
        lo = min(lo, float(self.lower[covered].min()))
        hi = max(hi, float(self.upper[covered].max()))
        pad = (hi - lo) * 0.12
        return lo - pad, hi + pad * 1.8

    def hit(self, x: float, lane: int, tolerance: float) -> str | None:
        """The event under time ``x`` in ``lane``: the nearest dot within ``tolerance``
        seconds, else the narrowest bar covering ``x``."""
        if not len(self):
            return None
        in_lane = self.lane == lane
        i = int(np.searchsorted(self.center, x))
        best, best_d = None, tolerance
        # Walk outwards from the insertion point while still within tolerance.
        for step in (-1, 1):
            j = i if step == 1 else i - 1
            while 0 <= j < len(self) and abs(self.center[j] - x) <= tolerance:
                if in_lane[j] and abs(self.center[j] - x) <= best_d:
                    best, best_d = j, abs(self.center[j] - x)
                j += step
        if best is not None:
            return self.ids[best]
        covering = np.flatnonzero(in_lane & (self.lower <= x) & (self.upper > x))
        if covering.size:
            widths = self.upper[covering] - self.lower[covering]
            return self.ids[int(covering[np.argmin(widths)])]
        return None

    def label_candidates(
        self, lo: float, hi: float, px_per_s: float, shown: np.ndarray, bucket_px: float, most: int
    ) -> np.ndarray:
        """Rows that may be labelled in the view [lo, hi], in date order.

        With more than ``most`` shown events in view, only the first event of
        each lane in each ``bucket_px``-wide column is offered, so the labels
        spread over the view instead of piling up at its left edge.
        """
        rows = np.flatnonzero((self.upper >= lo) & (self.lower <= hi) & shown)
        if len(rows) <= most:
            return rows
        column = ((np.clip(self.center[rows], lo, hi) - lo) * (px_per_s / bucket_px)).astype(
            np.int64
        )
        lane = self.lane[rows]
        # Rows are in date order, so columns never decrease along them; a
        # stable sort by lane (a radix sort on small integers) keeps that
        # order within each lane, and a lane's first event in a column is
        # where the (lane, column) pair changes.
        by_lane = np.argsort(lane.astype(np.int16), kind="stable")
        lane, column = lane[by_lane], column[by_lane]
        starts = np.ones(len(rows), dtype=bool)
        starts[1:] = (lane[1:] != lane[:-1]) | (column[1:] != column[:-1])
        return np.sort(rows[by_lane[starts]])


def place_labels(
    lanes: list[int],
    starts: list[float],
    widths: list[float],
    width_px: float,
    limit: int,
    gap: float,
) -> list[tuple[int, int, bool]]:
    """Put labels, in the order given, in the first free row: above or below their lane.

    A label ``k`` is ``widths[k]`` pixels wide and starts at ``starts[k]``
    (its event's position in the view); it ends there instead (it is
    flipped) when it would run past ``width_px``. The row below lane k and
    the row above lane k + 1 share the gap between the lanes, so they are
    one row here: labels in it cannot collide however tightly the lanes are
    packed. Labels in a row keep ``gap`` pixels apart. Returns (k, 0 above
    or 1 below, flipped) for at most ``limit`` labels.
    """
    rows: dict[int, tuple[list[float], list[float]]] = {}  # row: sorted starts, their ends
    placed: list[tuple[int, int, bool]] = []
    for k, (lane, x, w) in enumerate(zip(lanes, starts, widths, strict=True)):
        if len(placed) >= limit:
            break
        flip = x + w > width_px
        a, b = (x - w, x) if flip else (x, x + w)
        for row in (0, 1):
            begins, ends = rows.setdefault(lane + row, ([], []))
            # Labels in a row never overlap, so sorted by start they are
            # sorted by end too: only the neighbours on each side can collide.
            at = bisect_left(begins, a)
            if (at == 0 or ends[at - 1] + gap <= a) and (
                at == len(begins) or b + gap <= begins[at]
            ):
                begins.insert(at, a)
                ends.insert(at, b)
                placed.append((k, row, flip))
                break
    return placed


def _padded(span: tuple[float, float]) -> tuple[float, float]:
    lo, hi = span
    pad = max((hi - lo) * 0.06, 86400.0 * 3)
    return lo - pad, hi + pad

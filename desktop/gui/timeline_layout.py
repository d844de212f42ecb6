"""Where each event goes on the timeline: lane, span and how certain its date is.

Pure numpy, no Qt, so the rules (what is an era, what is drawn as uncertain)
can be read and tested apart from the drawing. Times are UTC epoch seconds,
as pyqtgraph's DateAxisItem expects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import overload

import numpy as np

from desktop.core import flags
from desktop.core.eras import era_mask
from desktop.core.lazy_events import event_ids
from desktop.core.model import Dataset, Event
from desktop.core.row_arrays import row_arrays
from desktop.core.spans import event_spans

from .first_frame_layout import (
    BREAKS_SHARE,
    CORE_SHARE,
    EXACT,
    GAP_MIN_SHARE,
    GAP_OF_CORE,
    INTERVAL,
    UNCERTAIN,
    padded_home,
)
from .label_placement import UNCITED

_YEAR = 365.25 * 86400


@dataclass(frozen=True)
class TimeScale:
    """Where each time goes along the timeline: time itself, with long empty
    stretches drawn shorter.

    A briefing's background (a treaty signed decades before the story) would
    squeeze the story into a sliver, or fall out of view. Instead the empty
    decades between are shortened, and the axis shows each stretch it
    shortened (``breaks``). Between knots the scale is linear; before the
    first and after the last it runs at one second per unit, so ``x`` is
    plain epoch seconds when nothing is shortened.
    """

    knots_t: np.ndarray = field(default_factory=lambda: np.zeros(0))
    knots_x: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def linear(self) -> bool:
        return not len(self.knots_t)

    def x(self, t):  # noqa: ANN001, ANN201 (a float or an array, the same back)
        """Axis position of time ``t`` (epoch seconds): a float or an array."""
        return _through(t, self.knots_t, self.knots_x)

    def t(self, x):  # noqa: ANN001, ANN201
        """The time at axis position ``x``: the inverse of ``x()``."""
        return _through(x, self.knots_x, self.knots_t)

    def breaks(self) -> list[tuple[float, float]]:
        """The stretches of time drawn shorter, (start, end) in epoch seconds."""
        kt, kx = self.knots_t, self.knots_x
        return [
            (float(kt[i]), float(kt[i + 1]))
            for i in range(len(kt) - 1)
            if kx[i + 1] - kx[i] < (kt[i + 1] - kt[i]) * 0.999
        ]

    def pieces(self, x0: float, x1: float) -> list[tuple[float, float]]:
        """[x0, x1] cut where the scale changes: stretches where it is linear, in x."""
        inner = [float(k) for k in self.knots_x if x0 < k < x1]
        edges = [x0, *inner, x1]
        return list(zip(edges[:-1], edges[1:], strict=True))

    @classmethod
    def for_layout(
        cls, center: np.ndarray, lower: np.ndarray, upper: np.ndarray, kind: np.ndarray
    ) -> TimeScale:
        """Shorten the long empty stretches between events (``center`` sorted).

        Empty: no event's time is there (a bar covers its whole interval; a
        dot, or a date known only to its year, its centre). Long: longer than
        a quarter of the heart of the story (the shortest stretch holding
        60 % of the events) and a hundredth of the whole. Together the
        shortened stretches take at most a third of the axis, each by the log
        of its length, so a century still reads longer than a decade.
        """
        n = len(center)
        if n < 3:
            return cls()
        whole = float(center[-1] - center[0])
        if whole <= 0:
            return cls()
        k = max(int(np.ceil(n * CORE_SHARE)), 2)
        core = float(np.min(center[k - 1 :] - center[: n - k + 1]))
        longest = max(core * GAP_OF_CORE, whole * GAP_MIN_SHARE)
        bar = kind == INTERVAL
        starts = np.where(bar, lower, center)
        ends = np.where(bar, upper, center)
        order = stable_order(starts)
        starts, ends = starts[order], np.maximum.accumulate(ends[order])
        gap = starts[1:] - ends[:-1]
        at = np.flatnonzero(gap > longest)
        if not len(at):
            return cls()
        g0, g1 = ends[:-1][at], starts[1:][at]
        length = g1 - g0
        weight = 1 + 0.5 * np.log10(length / longest)
        kept = whole - float(length.sum())
        budget = max(kept, core) * BREAKS_SHARE / (1 - BREAKS_SHARE)
        width = np.minimum(length, budget * weight / weight.sum())
        # Each break keeps a little plain time at both ends, so the events
        # beside it are not drawn on its edge.
        margin = width * 0.2
        knots_t = np.column_stack([g0 + margin, g1 - margin]).ravel()
        shrink = np.column_stack([np.zeros(len(at)), length - width]).ravel()
        knots_x = knots_t - np.cumsum(shrink)
        return cls(knots_t, knots_x)


def stable_order(times: np.ndarray) -> np.ndarray:
    """``np.argsort(times, kind="stable")``, five times faster for a million times in
    whole or half seconds (a date's span, its middle): each one's rank and index
    packed in one integer, sorted by numpy's vectorised sort, the index read back."""
    n = len(times)
    doubled = times * 2
    if n > 1 and np.isfinite(doubled).all():
        lo, hi = float(doubled.min()), float(doubled.max())
        if (hi - lo + 1) * n < 2**62 and np.array_equal(doubled, np.round(doubled)):
            key = (doubled - lo).astype(np.int64) * n + np.arange(n, dtype=np.int64)
            key.sort()
            return key % n  # type: ignore[no-any-return]
    return np.argsort(times, kind="stable")


def _through(value, src: np.ndarray, dst: np.ndarray):  # noqa: ANN001, ANN202
    if not len(src):
        return value
    v = np.asarray(value, dtype=float)
    inside = np.interp(v, src, dst)
    out = np.where(
        v < src[0], dst[0] + (v - src[0]), np.where(v > src[-1], dst[-1] + (v - src[-1]), inside)
    )
    return float(out) if np.ndim(out) == 0 else out


class _PerRow(Sequence[str]):
    """A text of each drawn event (in the layout's order), worked out when asked for:
    ``read`` takes an event's index."""

    def __init__(self, order: np.ndarray, read: Callable[[int], str]):
        self._order = order
        self._read = read

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._read(int(self._order[i]))


def _of_event(events: Sequence[Event], text: Callable[[Event], str]) -> Callable[[int], str]:
    return lambda i: text(events[i])


def _id_of(events: Sequence[Event]) -> Callable[[int], str]:
    """Each event's id by index, from the events' ids listed when first asked for:
    opening a million events lists none of them (a quarter of a second); a click,
    a label or the selection reads a few."""
    listed: list[list[str]] = []

    def read(i: int) -> str:
        if not listed:
            listed.append(event_ids(events))
        return listed[0][i]

    return read


def _rows_by_event(order: np.ndarray, count: int) -> np.ndarray:
    """Each event's row, by event index, given the event index of each row; -1 for none."""
    rows = np.full(count, -1, dtype=np.int64)
    rows[order] = np.arange(len(order), dtype=np.int64)
    return rows


class _RowOf(Mapping[str, int]):
    """Each drawn event's row in the layout, by id: found by the dataset's id index
    (events read as columns search theirs, with no dict of a million ids), then
    by index in an array."""

    def __init__(self, index_of: Callable[[str], int | None], rows: np.ndarray) -> None:
        self._index_of = index_of
        self.rows = rows  # by event index: its row, or -1 (an era, not in the lanes)

    def __getitem__(self, event_id: str) -> int:
        at = self._index_of(event_id)
        row = -1 if at is None else int(self.rows[at])
        if row < 0:
            raise KeyError(event_id)
        return row

    def __contains__(self, event_id: object) -> bool:
        at = self._index_of(event_id) if isinstance(event_id, str) else None
        return at is not None and self.rows[at] >= 0

    def __len__(self) -> int:
        return int((self.rows >= 0).sum())

    def __iter__(self) -> Iterator[str]:
        raise TypeError("the layout's rows are looked up by id, not listed")


def _index_of(events: Sequence[Event]) -> Callable[[str], int | None]:
    row_of = getattr(events, "row_of", None)
    if row_of is not None:
        return row_of  # type: ignore[no-any-return]
    return {eid: i for i, eid in enumerate(event_ids(events))}.get


@dataclass
class TimelineLayout:
    """Arrays over the events drawn in lanes (eras kept apart), sorted by centre time.

    ``lower``, ``upper`` and ``center`` are times (epoch seconds); ``xl``,
    ``xu`` and ``xc`` the same on the drawing axis (``scale``).
    """

    ids: Sequence[str]
    titles: Sequence[str]
    cues: Sequence[str]  # what a label says ahead of its title ("contested"), or ""
    lane: np.ndarray  # int lane index
    lower: np.ndarray  # epoch seconds
    upper: np.ndarray
    center: np.ndarray
    kind: np.ndarray
    categories: list[str]  # lane names, top to bottom
    eras: list[Event]
    row_of: _RowOf
    era_lower: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per era, epoch seconds
    era_upper: np.ndarray = field(default_factory=lambda: np.zeros(0))
    scale: TimeScale = field(default_factory=TimeScale)
    xl: np.ndarray = field(default_factory=lambda: np.zeros(0))
    xu: np.ndarray = field(default_factory=lambda: np.zeros(0))
    xc: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # How early the dataset's story names each event: 0 for the first event a
    # step names (its subject), 1 for the second ...; UNCITED for the others.
    # Labels go to the story's subjects first.
    cited: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    any_cited: bool = False
    # Where a label is anchored: a bar's start, a dot's middle (axis units).
    xa: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @classmethod
    def build(cls, dataset: Dataset) -> TimelineLayout:
        """The dataset's layout, built once for it: the timeline asks again when the
        window opens it, and a million events take seconds. Kept with the event list,
        the story and the sources it was built from (labels name the story's events
        first, cues say which sources are secondary)."""
        story, sources = dataset.story, dataset.sources
        kept = dataset.derived("timeline-layout", lambda: (story, sources, cls._build(dataset)))
        if kept[0] is not story or kept[1] is not sources:
            kept = (story, sources, cls._build(dataset))
            dataset.keep("timeline-layout", kept)
        return kept[2]

    @classmethod
    def _build(cls, dataset: Dataset) -> TimelineLayout:
        # Over arrays, not event by event: opening a million events must not
        # spend seconds here. The rules are is_era() (desktop.core.eras) and
        # first_frame_layout.kind_of().
        events = dataset.events
        lower, upper = dataset.derived("spans", lambda: event_spans(events))
        rows_of = row_arrays(dataset)
        era = era_mask(events)
        era_rows = sorted(np.flatnonzero(era).tolist(), key=lambda i: events[i].sort_key())
        keep = np.flatnonzero(~era)
        center = (lower[keep] + upper[keep]) / 2
        order = keep[stable_order(center)]
        codes = rows_of.category[order]
        named_categories = rows_of.categories
        used = np.flatnonzero(np.bincount(codes, minlength=len(named_categories)))
        categories = sorted(named_categories[i] for i in used.tolist())
        lane_of_code = np.zeros(max(len(named_categories), 1), int)
        for code in used.tolist():
            lane_of_code[code] = categories.index(named_categories[code])
        approximate = rows_of.approximate[order]
        coarse = rows_of.no_day[order]
        ended = rows_of.has_end[order]
        kind = np.where(
            ended,
            np.where(approximate, UNCERTAIN, INTERVAL),
            np.where(approximate | coarse, UNCERTAIN, EXACT),
        ).astype(int)
        ids = _PerRow(order, _id_of(events))
        lo, hi = lower[order], upper[order]
        mid = (lo + hi) / 2
        scale = TimeScale.for_layout(mid, lo, hi, kind)
        # What a cue reads of the dataset (its sources), held without the dataset:
        # the layout is kept in the dataset, and must not keep it alive in a cycle.
        cited = Dataset(sources=dataset.sources)
        named: dict[str, int] = {}
        for step in dataset.story:
            for rank, eid in enumerate(step.events):
                named[eid] = min(rank, named.get(eid, UNCITED))
        row_of = _RowOf(_index_of(events), _rows_by_event(order, len(events)))
        # By the named events' rows: the ids of every row are not listed for it.
        cited_rank = np.full(len(order), UNCITED, dtype=np.int64)
        for eid, rank in named.items():
            if eid in row_of:
                cited_rank[row_of[eid]] = rank
        return cls(
            ids=ids,
            # Read when a label is drawn: a few hundred of a million events at a time.
            titles=_PerRow(order, _of_event(events, attrgetter("title"))),
            # Contested, reported or background: said ahead of the title (core.flags).
            cues=_PerRow(order, _of_event(events, lambda event: flags.cue_text(event, cited))),
            lane=lane_of_code[codes],
            lower=lo,
            upper=hi,
            center=mid,
            kind=kind,
            categories=categories,
            eras=[events[i] for i in era_rows],
            row_of=row_of,
            era_lower=lower[era_rows] if era_rows else np.zeros(0),
            era_upper=upper[era_rows] if era_rows else np.zeros(0),
            scale=scale,
            xl=scale.x(lo),
            xu=scale.x(hi),
            xc=scale.x(mid),
            cited=cited_rank,
            any_cited=bool(named),
            xa=np.where(kind == INTERVAL, scale.x(lo), scale.x(mid)),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def extent(self) -> tuple[float, float] | None:
        """The time the events (not the eras) cover, or None for an empty timeline."""
        if not len(self):
            if not len(self.eras):
                return None
            return float(self.era_lower.min()), float(self.era_upper.max())
        return float(self.lower.min()), float(self.upper.max())

    def full_extent(self) -> tuple[float, float] | None:
        """The time every event, eras included, covers (what the overview shows)."""
        spans = [s for s in (self.extent(),) if s is not None]
        if len(self.eras):
            spans.append((float(self.era_lower.min()), float(self.era_upper.max())))
        if not spans:
            return None
        return min(s[0] for s in spans), max(s[1] for s in spans)

    def home_range(self) -> tuple[float, float] | None:
        """The first view, on the drawing axis: every event, with a margin.

        The long empty stretches are already shortened (``scale``), so the
        whole story fits and the background keeps its place in it.
        """
        if not len(self):
            full = self.extent()
            return padded_home(self.scale.x(full[0]), self.scale.x(full[1])) if full else None
        # A bar from its start to its end; a date known only to its year, its
        # middle (the faint bar of its year may reach past the edge).
        bar = self.kind == INTERVAL
        return padded_home(
            float(np.where(bar, self.xl, self.xc).min()),
            float(np.where(bar, self.xu, self.xc).max()),
        )

    def hit(self, x: float, lane: int, tolerance: float) -> str | None:
        """The event under axis position ``x`` in ``lane``: the nearest dot within
        ``tolerance`` (axis units), else the narrowest bar covering ``x``."""
        if not len(self):
            return None
        in_lane = self.lane == lane
        xc = self.xc
        i = int(np.searchsorted(xc, x))
        best, best_d = None, tolerance
        # Walk outwards from the insertion point while still within tolerance.
        for step in (-1, 1):
            j = i if step == 1 else i - 1
            while 0 <= j < len(self) and abs(xc[j] - x) <= tolerance:
                if in_lane[j] and abs(xc[j] - x) <= best_d:
                    best, best_d = j, abs(xc[j] - x)
                j += step
        if best is not None:
            return self.ids[best]
        covering = np.flatnonzero(in_lane & (self.xl <= x) & (self.xu > x))
        if covering.size:
            widths = self.xu[covering] - self.xl[covering]
            return self.ids[int(covering[np.argmin(widths)])]
        return None

    def label_candidates(
        self, lo: float, hi: float, px_per_x: float, shown: np.ndarray, bucket_px: float, most: int
    ) -> np.ndarray:
        """Rows that may be labelled in the view [lo, hi] (axis units), in date order.

        With more than ``most`` shown events in view, only the first event of
        each lane in each ``bucket_px``-wide column is offered, so the labels
        spread over the view instead of piling up at its left edge.
        """
        rows = np.flatnonzero((self.xu >= lo) & (self.xl <= hi) & shown)
        if len(rows) <= most:
            return rows
        column = ((np.clip(self.xc[rows], lo, hi) - lo) * (px_per_x / bucket_px)).astype(np.int64)
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

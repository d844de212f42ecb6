"""The timeline's layout of a small dataset in plain Python, for its first frame.

``TimelineLayout`` computes the same over numpy arrays, for a million events;
numpy's import alone is a tenth of a second of start-up, more than this takes
for the few thousand events a first frame is painted for. The rules are the
layout's (lanes, marker kinds, long empty stretches drawn shorter, the home
view), and a test holds the two to the same numbers.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from desktop.core.dates import Precision
from desktop.core.eras import is_era
from desktop.core.model import Dataset, Event

# The layout's rules, here (numpy-free) for both: ``TimelineLayout`` imports them.
# The share of events that make the heart of the story (see TimeScale.for_layout).
CORE_SHARE = 0.6
# An empty stretch is shortened when it is longer than this share of the heart
# of the story (and than GAP_MIN_SHARE of the whole span).
GAP_OF_CORE = 0.25
GAP_MIN_SHARE = 0.01
# All shortened stretches together take at most this share of the whole axis.
BREAKS_SHARE = 0.35
HOME_PAD = 0.03  # before the first event, as a share of the events' span
HOME_PAD_RIGHT = 6  # times as much after the last: labels run to the right

# Marker kinds.
EXACT = 0  # a day or a minute: a solid dot
UNCERTAIN = 1  # a year, a month or "circa": a hollow dot over a faint bar
INTERVAL = 2  # a known start and end: a solid bar


def kind_of(event: Event) -> int:
    if event.end is not None:
        return UNCERTAIN if event.approximate else INTERVAL
    if event.approximate or event.precision < Precision.DAY:
        return UNCERTAIN
    return EXACT


def padded_home(lo: float, hi: float) -> tuple[float, float]:
    """The home view around [lo, hi]: a little before, more after (labels run right)."""
    pad = max((hi - lo) * HOME_PAD, 3600.0)
    return lo - pad, hi + pad * HOME_PAD_RIGHT


@dataclass(frozen=True)
class Mark:
    event_id: str
    lane: int
    kind: int
    xl: float  # on the drawing axis, as TimelineLayout's xl, xu, xc
    xu: float
    xc: float
    lower: float  # epoch seconds
    upper: float


@dataclass(frozen=True)
class Era:
    event: Event
    x0: float
    x1: float
    lower: float  # epoch seconds
    upper: float


@dataclass(frozen=True)
class FirstLayout:
    categories: list[str]
    marks: list[Mark]
    eras: list[Era]
    knots_t: list[float]
    knots_x: list[float]

    def x(self, t: float) -> float:
        """Axis position of time ``t``, as ``TimeScale.x``."""
        return _through(t, self.knots_t, self.knots_x)

    def t(self, x: float) -> float:
        """The time at axis position ``x``, as ``TimeScale.t``."""
        return _through(x, self.knots_x, self.knots_t)

    def pieces(self, x0: float, x1: float) -> list[tuple[float, float]]:
        """[x0, x1] cut where the scale changes, as ``TimeScale.pieces``."""
        edges = [x0, *(k for k in self.knots_x if x0 < k < x1), x1]
        return list(zip(edges[:-1], edges[1:], strict=True))

    def full_extent(self) -> tuple[float, float] | None:
        """The time every event, eras included, covers (what the overview shows)."""
        spans = [(m.lower, m.upper) for m in self.marks] + [(e.lower, e.upper) for e in self.eras]
        if not spans:
            return None
        return min(s[0] for s in spans), max(s[1] for s in spans)

    def breaks(self) -> list[tuple[float, float]]:
        """The stretches drawn shorter, (start, end) in epoch seconds."""
        kt, kx = self.knots_t, self.knots_x
        return [
            (kt[i], kt[i + 1])
            for i in range(len(kt) - 1)
            if kx[i + 1] - kx[i] < (kt[i + 1] - kt[i]) * 0.999
        ]

    def home_range(self) -> tuple[float, float] | None:
        if self.marks:
            lo = min(m.xl if m.kind == INTERVAL else m.xc for m in self.marks)
            hi = max(m.xu if m.kind == INTERVAL else m.xc for m in self.marks)
        elif self.eras:
            lo = min(e.x0 for e in self.eras)
            hi = max(e.x1 for e in self.eras)
        else:
            return None
        return padded_home(lo, hi)


def first_layout(dataset: Dataset) -> FirstLayout:
    """Where each of ``dataset``'s events goes, as ``TimelineLayout.build`` puts it."""
    lanes_of: list[tuple[float, float, float, Event]] = []
    eras: list[tuple[float, float, Event]] = []
    for event in dataset.events:
        lo = event.start.lower_epoch()
        hi = (event.end or event.start).upper_epoch()
        if is_era(event):
            eras.append((lo, hi, event))
        else:
            lanes_of.append(((lo + hi) / 2, lo, hi, event))
    lanes_of.sort(key=lambda row: row[0])  # stable, as the layout's argsort
    eras.sort(key=lambda row: row[2].sort_key())
    categories = sorted({row[3].category for row in lanes_of})
    lane = {c: i for i, c in enumerate(categories)}
    kinds = [kind_of(row[3]) for row in lanes_of]
    knots_t, knots_x = _knots(
        [r[0] for r in lanes_of], [r[1] for r in lanes_of], [r[2] for r in lanes_of], kinds
    )
    layout = FirstLayout(categories, [], [], knots_t, knots_x)
    x = layout.x
    layout.marks.extend(
        Mark(event.id, lane[event.category], kind, x(lo), x(hi), x(mid), lo, hi)
        for (mid, lo, hi, event), kind in zip(lanes_of, kinds, strict=True)
    )
    layout.eras.extend(Era(event, x(lo), x(hi), lo, hi) for lo, hi, event in eras)
    return layout


def _through(value: float, src: list[float], dst: list[float]) -> float:
    """Piecewise linear from ``src`` to ``dst``, one to one beyond the ends."""
    if not src:
        return value
    if value <= src[0]:
        return dst[0] + (value - src[0])
    if value >= src[-1]:
        return dst[-1] + (value - src[-1])
    i = bisect_right(src, value) - 1
    span = src[i + 1] - src[i]
    share = (value - src[i]) / span if span else 0.0
    return dst[i] + share * (dst[i + 1] - dst[i])


def _knots(
    center: list[float], lower: list[float], upper: list[float], kind: list[int]
) -> tuple[list[float], list[float]]:
    """``TimeScale.for_layout``'s knots: the long empty stretches shortened."""
    n = len(center)
    if n < 3:
        return [], []
    whole = center[-1] - center[0]
    if whole <= 0:
        return [], []
    k = max(math.ceil(n * CORE_SHARE), 2)
    core = min(center[i + k - 1] - center[i] for i in range(n - k + 1))
    longest = max(core * GAP_OF_CORE, whole * GAP_MIN_SHARE)
    spans = sorted(
        ((lower[i], upper[i]) if kind[i] == INTERVAL else (center[i], center[i]) for i in range(n)),
        key=lambda s: s[0],
    )
    starts = [s[0] for s in spans]
    ends = []
    reach = -math.inf
    for _start, end in spans:
        reach = max(reach, end)
        ends.append(reach)
    gaps = [(ends[i], starts[i + 1]) for i in range(n - 1) if starts[i + 1] - ends[i] > longest]
    if not gaps:
        return [], []
    lengths = [g1 - g0 for g0, g1 in gaps]
    weights = [1 + 0.5 * math.log10(length / longest) for length in lengths]
    kept = whole - sum(lengths)
    budget = max(kept, core) * BREAKS_SHARE / (1 - BREAKS_SHARE)
    total = sum(weights)
    knots_t: list[float] = []
    knots_x: list[float] = []
    shrunk = 0.0
    for (g0, g1), length, weight in zip(gaps, lengths, weights, strict=True):
        width = min(length, budget * weight / total)
        margin = width * 0.2
        knots_t += [g0 + margin, g1 - margin]
        knots_x += [g0 + margin - shrunk, g1 - margin - shrunk - (length - width)]
        shrunk += length - width
    return knots_t, knots_x

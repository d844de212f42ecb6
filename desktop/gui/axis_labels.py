"""Which date labels the timeline's axis shows, and where, in plain Python.

The axis (``timeline_axis``) asks this over numpy's calendar
(``calendar_ticks``, any year); the timeline's first frame, painted before
numpy is imported, over the plain one (``calendar_levels.PlainCalendar``).
One set of rules, so the axis reads the same when one replaces the other.

The first row labels the finest ticks that fit ("Jan", "17", "15:30",
"500 BC"); the second gives their context (the year under the months, the
month under the days), its label held at the left edge while its period is in
view. Labels are measured before they are placed: the level chosen is the
finest whose labels keep ``gap`` apart, and a label that would run past the
axis or into another is left out, never drawn over. Where long empty
stretches are drawn shorter, each stretch of the axis gets the ticks its own
scale allows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .calendar_levels import LEVELS, Level

# Times as a calendar gives them: a list of epoch seconds, or a numpy array.
Times = Any

if TYPE_CHECKING:  # (a Protocol class costs a millisecond of start-up to build)
    from typing import Protocol

    class Calendar(Protocol):
        def ticks(self, level: Level, lo: float, hi: float) -> Times: ...
        def texts(self, level: Level, ticks: Times) -> list[str]: ...
        def texts_in_context(self, level: Level, ticks: Times) -> list[str]: ...
        def context_starts(self, unit: str, lo: float, hi: float) -> Times: ...
        def context_texts(self, unit: str, starts: Times) -> list[str]: ...
        def period_text(self, lo: float, hi: float) -> str: ...

    class Scale(Protocol):
        def t(self, x: float) -> float: ...
        def pieces(self, x0: float, x1: float) -> list[tuple[float, float]]: ...


LABEL_GAP_PX = 12  # between two labels in a row
MIN_TICK_PX = 56  # ticks closer than this crowd the eye even when their labels fit
WIDE_PX = 120
YEAR_LEVEL = Level("Y", 1)  # a stretch of the axis narrower than this is named as a whole
CONTEXT_PAD_PX = 3  # a context label starts this far right of its period's start


class Linear:
    """A scale where the axis is time itself (the overview's)."""

    def t(self, x: float) -> float:
        return x

    def pieces(self, x0: float, x1: float) -> list[tuple[float, float]]:
        return [(x0, x1)]


# Plain classes, not dataclasses: building a dataclass costs a millisecond or
# two of the window's start-up, which imports this for its first frame.
class AxisPlan:
    """What the axis draws, in pixels along it."""

    def __init__(self) -> None:
        self.labels: list[tuple[int, str, float, float]] = []  # row, text, x, width
        self.times: list[float] = []  # the first row's labelled ticks
        self.ticks: list[float] = []  # every tick of the first row
        self.boundaries: list[float] = []  # where each context period starts


class AxisSpan:
    """The axis's stretch: view [x0, x1] (axis units) over pixels [left, right];
    ``row_left``/``row_right``: the first row's room (counts may take its ends)."""

    def __init__(
        self, x0: float, x1: float, left: float, right: float, row_left: float, row_right: float
    ) -> None:
        self.x0, self.x1, self.left, self.right = x0, x1, left, right
        self.row_left, self.row_right = row_left, row_right


def plan_axis(
    calendar: Calendar,
    scale: Scale,
    x_of: Callable[[Times], list[float]],
    span: AxisSpan,
    width: Callable[[str], float],
    rows: int = 2,
    gap: float = LABEL_GAP_PX,
) -> AxisPlan:
    """The axis's labels over ``span``; ``x_of`` puts times on the axis (``scale.x``)."""
    plan = AxisPlan()
    x0, x1, left = span.x0, span.x1, span.left
    px_per_x = (span.right - left) / (x1 - x0)

    def px(values: Sequence[float]) -> list[float]:
        return [left + (x - x0) * px_per_x for x in values]

    fine: list[tuple[float, str, float]] = []  # x pixel, text, time
    context: list[tuple[float, float, str]] = []  # period start pixel, piece start pixel, text
    named = ""
    for xa, xb in scale.pieces(x0, x1):
        ta, tb = float(scale.t(xa)), float(scale.t(xb))
        if tb <= ta:
            continue
        if (xb - xa) * px_per_x < WIDE_PX:
            if (xb - xa) < (tb - ta) * 0.999:
                continue  # a narrow shortened stretch is left to its hatching
            # A narrow stretch of plain time (the weeks around a background
            # event) is named by the year starting in it, else as a whole, once.
            years = calendar.ticks(YEAR_LEVEL, ta, tb)
            if len(years):
                where = px(x_of(years))
                plan.ticks.extend(where)
                texts = calendar.texts(YEAR_LEVEL, years)
                fine.extend(zip(where, texts, [float(y) for y in years], strict=True))
                named = texts[-1]
            else:
                text = calendar.period_text(ta, tb - 1)
                if text != named:
                    # Not a tick: it may move to stay whole at the axis's ends.
                    at = px([(xa + xb) / 2])[0]
                    half = width(text) / 2
                    at = min(max(at, left + half), span.right - half)
                    fine.append((at, text, (ta + tb) / 2))
                named = text
            continue
        named = ""
        px_per_s = (xb - xa) * px_per_x / (tb - ta)
        chosen = _level(calendar, ta, tb, px_per_s, x_of, px, width, rows, gap)
        if chosen is None:
            continue
        level, times, where, texts = chosen
        plan.ticks.extend(where)
        fine.extend(zip(where, texts, [float(t) for t in times], strict=True))
        if rows > 1 and level.context is not None:
            starts = calendar.context_starts(level.context, ta, tb)
            names = calendar.context_texts(level.context, starts)
            begins = px(x_of(starts)) if len(starts) else []
            start_px = px([xa])[0]
            context.extend((a, start_px, n) for a, n in zip(begins, names, strict=True))
    placed: list[tuple[float, float]] = []
    for x, text, time in sorted(fine):
        w = width(text)
        a, b = x - w / 2, x + w / 2
        if a < span.row_left or b > span.row_right or (placed and a < placed[-1][1] + LABEL_GAP_PX):
            continue
        placed.append((a, b))
        plan.labels.append((0, text, a, w))
        plan.times.append(time)
    plan.boundaries = [c[0] for c in context]
    if context:
        _context_row(plan, context, left, span.right, width)
    return plan


def _level(calendar, ta, tb, px_per_s, x_of, px, width, rows, gap):  # noqa: ANN001, ANN202
    """The finest level whose labels keep apart over [ta, tb], with its ticks."""
    smallest = max(width("00") + gap, MIN_TICK_PX)
    for level in LEVELS:
        if level.spacing * px_per_s < smallest:
            continue
        times = calendar.ticks(level, ta, tb)
        if not len(times):
            if level.unit == "Y":
                return None  # no round year in this stretch at any coarser level either
            continue
        texts = (
            calendar.texts(level, times) if rows > 1 else calendar.texts_in_context(level, times)
        )
        where = px(x_of(times))
        half = [width(t) / 2 for t in texts]
        if all(
            where[i + 1] - where[i] - half[i] - half[i + 1] >= gap for i in range(len(where) - 1)
        ):
            return level, times, where, texts
    return None


def _context_row(
    plan: AxisPlan,
    context: list[tuple[float, float, str]],
    left: float,
    right: float,
    width: Callable[[str], float],
) -> None:
    """The second row: each period's name at its start, the current one held at the
    left edge until the next pushes it out."""
    items: list[tuple[float, str]] = []
    for start, piece_left, text in sorted(context):
        x = max(start, piece_left, left) + CONTEXT_PAD_PX
        if items and items[-1][1] == text:
            continue  # the same period, seen again across a break
        items.append((x, text))
    kept_right = -math.inf
    for k, (x, text) in enumerate(items):
        w = width(text)
        nxt = items[k + 1][0] if k + 1 < len(items) else right + LABEL_GAP_PX
        x = min(x, nxt - LABEL_GAP_PX - w)  # pushed out by the next period's name
        if x < left or x < kept_right + LABEL_GAP_PX or x + w > right:
            continue
        kept_right = x + w
        plan.labels.append((1, text, x, w))

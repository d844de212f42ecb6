"""Where event labels go, and how they read: plain Python, no numpy.

The timeline lays its labels out with these rules after every move of its
view, and its first frame (``timeline_first_frame``), painted before numpy is
imported, with the same, so the labels do not move when one replaces the other.
"""

from __future__ import annotations

from bisect import bisect_left

from desktop.core import flags
from desktop.core.display import plain_text, shorten

LABEL_CHARS = 42
SHORT_CHARS = 22  # a label that fits nowhere whole is tried this short
LABEL_GAP_PX = 10
MAX_LABELS = 160
LABEL_BUCKET_PX = 24  # a crowded view offers one label per lane per this many pixels
UNCITED = 1 << 30  # the rank of an event no story step names

__all__ = ["place_labels", "label_text"]


def label_text(title: str, cue: str, most: int) -> str:
    """A label's text: plain, cut on a word to ``most`` characters, a flag kept whole
    ahead of the title."""
    # The flag counts against a full label's length: a flagged label takes
    # no more room on a crowded axis than any other (up to a third of it).
    # The short form, tried when the full one fits nowhere, keeps its words.
    room = most - min(len(cue) + 3, most // 3) if cue and most > SHORT_CHARS else most
    return flags.with_cue(shorten(plain_text(title, paragraphs=False), room), cue)


def place_labels(
    lanes: list[int],
    starts: list[float],
    widths: list[float],
    width_px: float,
    limit: int,
    gap: float,
    short_widths: list[float] | None = None,
    flip_to_fit: bool = True,
) -> list[tuple[int, int, bool, bool]]:
    """Put labels, in the order given, in the first free place: above or below their
    lane, running right from their event, else ending at it (flipped).

    A label ``k`` is ``widths[k]`` pixels wide and starts at ``starts[k]``
    (its event's position in the view); it is flipped when the right side is
    taken (``flip_to_fit``) or it would run past ``width_px``. When it fits nowhere whole, its
    shorter form (``short_widths[k]``) is tried the same way, then it is left
    out. The row below lane k and the row above lane k + 1 share the gap
    between the lanes, so they are one row here: labels in it cannot collide
    however tightly the lanes are packed. Labels in a row keep ``gap`` pixels
    apart. Returns (k, 0 above or 1 below, flipped, short) for at most
    ``limit`` labels.
    """
    rows: dict[int, tuple[list[float], list[float]]] = {}  # row: sorted starts, their ends
    placed: list[tuple[int, int, bool, bool]] = []
    shorts = short_widths if short_widths is not None else widths
    for k, (lane, x) in enumerate(zip(lanes, starts, strict=True)):
        if len(placed) >= limit:
            break
        forms = [(widths[k], False)] + ([(shorts[k], True)] if shorts[k] < widths[k] else [])
        spot = next(
            (
                (row, flip, w, short)
                for w, short in forms
                for flip in _sides(x + w > width_px, flip_to_fit)
                for row in (0, 1)
                if (x - w if flip else x) >= 0 and _free(rows, lane + row, x, w, flip, gap)
            ),
            None,
        )
        if spot is None:
            continue
        row, flip, w, short = spot
        begins, ends = rows.setdefault(lane + row, ([], []))
        a, b = (x - w, x) if flip else (x, x + w)
        at = bisect_left(begins, a)
        begins.insert(at, a)
        ends.insert(at, b)
        placed.append((k, row, flip, short))
    return placed


def _sides(past_the_edge: bool, flip_to_fit: bool) -> tuple[bool, ...]:
    """Whether a label may run right from its event (False) or end at it (True)."""
    if past_the_edge:
        return (True,)
    return (False, True) if flip_to_fit else (False,)


def _free(
    rows: dict[int, tuple[list[float], list[float]]],
    row: int,
    x: float,
    w: float,
    flip: bool,
    gap: float,
) -> bool:
    begins, ends = rows.get(row, ([], []))
    a, b = (x - w, x) if flip else (x, x + w)
    # Labels in a row never overlap, so sorted by start they are sorted by
    # end too: only the neighbours on each side can collide.
    at = bisect_left(begins, a)
    return (at == 0 or ends[at - 1] + gap <= a) and (at == len(begins) or b + gap <= begins[at])

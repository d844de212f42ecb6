"""Counts for a window, categories and map bounds in milliseconds, from sorted spans.

An event overlaps the window [a, b) when it starts before b and ends after a.
Every event that ends at or before a also starts before b, so the events
overlapping the window are those starting before b less those ending at or
before a: two binary searches in each group's sorted starts and sorted ends.
The index holds, once per source, the events' starts and ends sorted within
each category, and the (event, place) pairs' sorted within each place and
category; a count for any window is then two vectorised searches over all
groups at once, whatever the number of events. Map bounds only choose which
places are counted (an event is in the box when one of its places is), and an
event at several places inside the box is taken off the total once per place
beyond the first.

A search reads the events' text, which the index does not hold: those queries
go to the engine (``Indexed``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .query import BBox, Bins, Overview, Query

if TYPE_CHECKING:
    import numpy as np

    from .base import Engine

# Where each place of the source is (None: nowhere on the map), by id.
Anchors = dict[str, tuple[float, float] | None]
# Rows read from the engine at a time while building: bounds the memory of the build.
BATCH_ROWS = 1_000_000


class Ranks:
    """Span ends as integers that keep their order, so that sorted keys can combine a
    group and a moment in one int64. Whole seconds (every native source, and any
    date) are their own ranks; other values are ranked among the distinct values."""

    def __init__(self, *arrays: np.ndarray) -> None:
        import numpy as np

        self.distinct: np.ndarray | None = None
        self.base = 0
        present = [a for a in arrays if a.size]
        if not present:
            self.size = 2
        elif all(np.array_equal(np.floor(a), a) for a in present):
            self.base = int(min(a.min() for a in present))
            self.size = int(max(a.max() for a in present)) - self.base + 2
        else:
            self.distinct = np.unique(np.concatenate(present))
            self.size = int(self.distinct.size) + 1

    def of(self, values: np.ndarray) -> np.ndarray:
        import numpy as np

        if self.distinct is None:
            return values.astype(np.int64) - self.base
        return np.searchsorted(self.distinct, values).astype(np.int64)

    def value(self, ranks: np.ndarray) -> np.ndarray:
        """The values of these ranks."""
        import numpy as np

        if self.distinct is None:
            return ranks.astype(np.float64) + self.base
        return self.distinct[ranks]

    def below(self, bound: float) -> int:
        """The rank bound r: a value is < ``bound`` exactly when its rank is < r."""
        import numpy as np

        if self.distinct is None:
            return min(max(math.ceil(bound) - self.base, 0), self.size - 1)
        return int(np.searchsorted(self.distinct, bound, side="left"))

    def at_most(self, bound: float) -> int:
        """The rank bound r: a value is <= ``bound`` exactly when its rank is < r."""
        import numpy as np

        if self.distinct is None:
            return min(max(math.floor(bound) + 1 - self.base, 0), self.size - 1)
        return int(np.searchsorted(self.distinct, bound, side="right"))


@dataclass
class Groups:
    """Starts and ends sorted within groups, as int64 keys ``group * size + rank``."""

    starts: np.ndarray
    ends: np.ndarray
    first: np.ndarray  # where each group begins in both key arrays (groups + 1)
    size: int

    @classmethod
    def of(cls, group: np.ndarray, lo: np.ndarray, hi: np.ndarray, n: int, ranks: Ranks):
        import numpy as np

        size = ranks.size
        g = group.astype(np.int64) * size
        starts = np.sort(g + ranks.of(lo))
        ends = np.sort(g + ranks.of(hi))
        first = np.searchsorted(starts, np.arange(n + 1, dtype=np.int64) * size)
        return cls(starts, ends, first, size)

    def group_starts(self, group: int) -> np.ndarray:
        """The ranks of one group's starts, in order."""
        return self.starts[self.first[group] : self.first[group + 1]] - group * self.size

    def overlapping(self, low: int | None, high: int | None) -> np.ndarray:
        """Per group: events starting before rank ``high`` less those ending before
        rank ``low`` (None: that side open)."""
        import numpy as np

        groups = np.arange(self.first.size - 1, dtype=np.int64) * self.size
        counts = np.diff(self.first)
        if high is not None:
            counts = np.searchsorted(self.starts, groups + high) - self.first[:-1]
        if low is not None:
            ended = np.searchsorted(self.ends, groups + low) - self.first[:-1]
            counts = counts - ended
        return counts


class SpanIndex:
    """Sorted spans of every event of a source, by category and by place and category."""

    def __init__(
        self,
        categories: list[str],
        places: list[str],
        lo: np.ndarray,
        hi: np.ndarray,
        cat: np.ndarray,
        pair_event: np.ndarray,
        pair_place: np.ndarray,
        undated: np.ndarray,
        undated_places: np.ndarray,
    ) -> None:
        import numpy as np

        self.categories = categories
        self.places = places
        self.events = int(lo.size + undated.sum())
        self.ranks = Ranks(lo, hi)
        n_cat = len(categories)
        self.by_category = Groups.of(cat, lo, hi, n_cat, self.ranks)
        self.by_place = Groups.of(
            pair_place.astype(np.int64) * n_cat + cat[pair_event],
            lo[pair_event],
            hi[pair_event],
            len(places) * n_cat,
            self.ranks,
        )
        # Events at two places or more: the box's total counts them once.
        held = np.bincount(pair_event, minlength=lo.size)
        several = np.flatnonzero(held > 1)
        keep = held[pair_event] > 1
        self.multi_lo, self.multi_hi, self.multi_cat = lo[several], hi[several], cat[several]
        self.multi_pair_event = np.searchsorted(several, pair_event[keep])
        self.multi_pair_place = pair_place[keep]
        # Events whose span the source cannot say: counted with no window only.
        self.undated = undated
        self.undated_places = undated_places

    @property
    def nbytes(self) -> int:
        arrays = [
            self.by_category.starts,
            self.by_category.ends,
            self.by_place.starts,
            self.by_place.ends,
            self.multi_lo,
            self.multi_hi,
            self.multi_pair_event,
            self.multi_pair_place,
        ]
        return sum(a.nbytes for a in arrays)

    # -- answers ------------------------------------------------------------

    def answers(self, query: Query) -> bool:
        """Whether the index can answer the query: anything but a search."""
        return not query.terms

    def _bounds(self, query: Query) -> tuple[int | None, int | None]:
        low, high = query.bounds
        return (
            None if low is None else self.ranks.at_most(low),
            None if high is None else self.ranks.below(high),
        )

    def _shown(self, query: Query) -> np.ndarray:
        import numpy as np

        return np.array([c not in query.hidden_categories for c in self.categories], bool)

    def _in_box(self, box: BBox | None, anchors: Anchors) -> np.ndarray:
        """The places counted: every known place, or those whose anchor is in the box."""
        import numpy as np

        inside = np.zeros(len(self.places), bool)
        for i, key in enumerate(self.places):
            if key not in anchors:
                continue
            anchor = anchors[key]
            inside[i] = box is None or (anchor is not None and box.contains(*anchor))
        return inside

    def _place_matrix(self, query: Query) -> np.ndarray:
        """Matching events per place (rows) and category (columns)."""
        low, high = self._bounds(query)
        counts = self.by_place.overlapping(low, high)
        matrix = counts.reshape(len(self.places), len(self.categories))
        if query.start is None and query.end is None:
            matrix = matrix + self.undated_places
        return matrix * self._shown(query)

    def place_counts(self, query: Query, anchors: Anchors) -> dict[str, int]:
        """Matching events per place with an anchor (inside the box, when there is one)."""
        import numpy as np

        per_place = self._place_matrix(query).sum(axis=1)
        keep = self._in_box(query.bbox, anchors) & (per_place > 0)
        return {self.places[i]: int(per_place[i]) for i in np.flatnonzero(keep)}

    def total(self, query: Query, anchors: Anchors) -> int:
        import numpy as np

        if query.bbox is None:
            low, high = self._bounds(query)
            counts = self.by_category.overlapping(low, high)
            if query.start is None and query.end is None:
                counts = counts + self.undated
            return int((counts * self._shown(query)).sum())
        inside = self._in_box(query.bbox, anchors)
        at_places = int(self._place_matrix(query).sum(axis=1)[inside].sum())
        # An event at k places inside the box was counted k times: once is right.
        start, end = query.bounds
        match = self._shown(query)[self.multi_cat]
        if start is not None:
            match &= self.multi_hi > start
        if end is not None:
            match &= self.multi_lo < end
        inside_pairs = inside[self.multi_pair_place]
        k = np.bincount(self.multi_pair_event[inside_pairs], minlength=self.multi_lo.size)
        return at_places - int(((k - 1).clip(0) * match).sum())

    def overview(self, query: Query, bins: Bins) -> Overview:
        """Matching events per bin (by start; earlier starts in the first) and category."""
        import numpy as np

        low, high = query.bounds
        shown = self._shown(query)
        names: list[str] = []
        columns = []
        for c, name in enumerate(self.categories):
            if not shown[c]:
                continue
            part = self.ranks.value(self.by_category.group_starts(c))
            begin = 0 if low is None else int(np.searchsorted(part, low, side="left"))
            end = part.size if high is None else int(np.searchsorted(part, high, side="left"))
            column = np.bincount(bins.index(part[begin:end]), minlength=bins.count)
            if low is not None:
                # Started before the window and still running in it: the first bin.
                earlier = self.by_category.overlapping(
                    self.ranks.at_most(low), self.ranks.below(low)
                )
                column[0] += int(earlier[c])
            if column.any():
                names.append(name)
                columns.append(column)
        counts = np.stack(columns, axis=1).tolist() if columns else [[] for _ in range(bins.count)]
        return Overview(bins, names, counts)


def build_index(engine: Engine, cancel: list[Any] | None = None) -> SpanIndex | None:
    """The index of a native source read by DuckDB (None for any other: a table of
    another shape places events by its rows' own coordinates, which the index does
    not hold): one scan of the spans, categories and places, in batches.

    It reads through a connection of its own, so the engine answers queries while
    it builds; ``cancel`` receives that connection's ``interrupt``.
    """
    import numpy as np
    import pyarrow.compute as pc

    from .duck import DuckEngine

    if not isinstance(engine, DuckEngine) or not engine.layout.native:
        return None
    con = engine.con.cursor()
    if cancel is not None:
        cancel.append(con.interrupt)
    categories: dict[str, int] = {}
    places: dict[str, int] = {}
    parts: dict[str, list[Any]] = {k: [] for k in ("lo", "hi", "cat", "pe", "pp")}
    seen = 0
    try:
        con.execute(engine.view_sql())
        reader = con.sql("SELECT __lo, __hi, __cat, __places FROM ev").to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            for k, column in (("lo", batch.column(0)), ("hi", batch.column(1))):
                parts[k].append(np.asarray(column.to_numpy(zero_copy_only=False), np.float64))
            parts["cat"].append(_codes(pc, np, batch.column(2), categories, np.int16))
            held = batch.column(3)
            lengths = pc.list_value_length(held).fill_null(0).to_numpy(zero_copy_only=False)
            flat = pc.list_flatten(held)
            parts["pp"].append(_codes(pc, np, flat, places, np.int32))
            rows = np.arange(seen, seen + batch.num_rows, dtype=np.int32)
            parts["pe"].append(np.repeat(rows, lengths))
            seen += batch.num_rows
            del batch, held, flat
    finally:
        con.close()
    # Joined one at a time, each batch let go as it is copied: the build's peak memory.
    joined = {}
    for k in list(parts):
        pieces = parts.pop(k)
        joined[k] = np.concatenate(pieces) if pieces else np.zeros(0, np.int32)
        del pieces
    lo, hi, cat, pe, pp = (joined[k] for k in ("lo", "hi", "cat", "pe", "pp"))
    dated = ~(np.isnan(lo) | np.isnan(hi))
    n_cat, n_place = len(categories), len(places)
    undated = np.bincount(cat[~dated], minlength=n_cat)
    undated_pairs = ~dated[pe]
    undated_places = np.bincount(
        pp[undated_pairs] * n_cat + cat[pe[undated_pairs]], minlength=n_place * n_cat
    ).reshape(n_place, n_cat)
    if not dated.all():
        renumber = np.cumsum(dated) - 1
        keep = dated[pe]
        pe, pp = renumber[pe[keep]], pp[keep]
        lo, hi, cat = lo[dated], hi[dated], cat[dated]
    return SpanIndex(list(categories), list(places), lo, hi, cat, pe, pp, undated, undated_places)


def _codes(pc: Any, np: Any, column: Any, known: dict[str, int], dtype: Any) -> np.ndarray:
    """Each value's number in ``known`` (new values are added): dictionary-encoded."""
    encoded = pc.dictionary_encode(column)
    if hasattr(encoded, "combine_chunks"):
        encoded = encoded.combine_chunks()
    names = encoded.dictionary.to_pylist()
    table = np.array([known.setdefault(str(n), len(known)) for n in names] or [0], dtype)
    indices = encoded.indices.fill_null(0).to_numpy(zero_copy_only=False)
    return table[indices] if names else np.zeros(len(indices), dtype)

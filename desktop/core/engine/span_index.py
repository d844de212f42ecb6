"""Counts for a window, categories and map bounds in milliseconds, from sorted spans.

An event overlaps the window [a, b) when it starts before b and ends after a.
Every event that ends at or before a also starts before b, so the events
overlapping the window are those starting before b less those ending at or
before a: two binary searches in each group's sorted starts and sorted ends.
The index holds, once per source, the events' starts and ends sorted within
each category, and the (event, place) pairs' sorted within each place and
category; a count for any window is then one bisection over all groups at
once, whatever the number of events. Map bounds only choose which places are
counted (an event is in the box when one of its places is), and an event at
several places inside the box is taken off the total once per place beyond
the first.

It is built in two steps. Reading gives each event's span (as uint32 offsets
from the earliest second: half the memory of int64 keys), category and places
in source order; these answer any query directly, a few hundred milliseconds
at 10M events, and are kept in files in the temp folder, memory-mapped, since
after sorting only a search reads them (``rows``: the events a search found,
counted with any window, box and categories). Sorting then gives the groups.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..memory import release_memory
from .query import BBox, Bins, Overview, Query

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    import numpy as np

    from .base import Engine
    from .layout import Layout

# Where each place of the source is (None: nowhere on the map), by id.
Anchors = dict[str, tuple[float, float] | None]
# Rows read from the engine at a time while building: bounds the memory of the build.
BATCH_ROWS = 1_000_000


class Ranks:
    """Span ends as small unsigned integers that keep their order (uint32: half the
    memory of the seconds as int64). Whole seconds within 136 years of each other
    (every native source, and any date) are offsets from the earliest; other values
    are ranked among the distinct values."""

    def __init__(self, *arrays: np.ndarray) -> None:
        """Ranks for the values of these arrays (NaN, an unknown end, is left out)."""
        import numpy as np

        self.distinct: np.ndarray | None = None
        self.base = 0
        present = [a[~np.isnan(a)] if np.isnan(a).any() else a for a in arrays]
        present = [a for a in present if a.size]
        if not present:
            self.size = 2
            return
        low = int(min(a.min() for a in present))
        high = int(max(a.max() for a in present))
        if high - low + 2 < 2**32 and all(np.array_equal(np.floor(a), a) for a in present):
            self.base = low
            self.size = high - low + 2
        else:
            self.distinct = np.unique(np.concatenate(present))
            self.size = int(self.distinct.size) + 1

    def of(self, values: np.ndarray) -> np.ndarray:
        import numpy as np

        if np.isnan(values).any():  # unknown: any rank will do, the event is undated
            values = np.nan_to_num(values, nan=self.value(np.zeros(1, np.uint32))[0])
        if self.distinct is None:
            return (values - self.base).astype(np.uint32)
        return np.searchsorted(self.distinct, values).astype(np.uint32)

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
    """Start and end ranks sorted within each group, the groups one after another."""

    starts: np.ndarray  # uint32
    ends: np.ndarray  # uint32
    first: np.ndarray  # where each group begins in both arrays (groups + 1)

    @classmethod
    def of(cls, group: np.ndarray, lo: np.ndarray, hi: np.ndarray, n: int, size: int):
        """``lo`` and ``hi`` are ranks below ``size``."""
        import numpy as np

        counts = np.bincount(group, minlength=n)
        first = np.zeros(n + 1, np.int64)
        np.cumsum(counts, out=first[1:])
        # Sorted as one int64 key (numpy's sort is fastest on one array), then kept as
        # each group's ranks alone.
        key = group.astype(np.int64)
        key *= size
        packed = []
        for ranks in (lo, hi):
            both = key + ranks
            both.sort()
            for g in np.flatnonzero(counts):
                both[first[g] : first[g + 1]] -= int(g) * size
            packed.append(both.astype(np.uint32))
            del both
        return cls(packed[0], packed[1], first)

    def group_starts(self, group: int) -> np.ndarray:
        """The ranks of one group's starts, in order."""
        return self.starts[self.first[group] : self.first[group + 1]]

    def overlapping(self, low: int | None, high: int | None) -> np.ndarray:
        """Per group: events starting before rank ``high`` less those ending before
        rank ``low`` (None: that side open)."""
        import numpy as np

        counts = np.diff(self.first)
        if high is not None:
            counts = _below(self.starts, self.first, high) - self.first[:-1]
        if low is not None:
            counts = counts - (_below(self.ends, self.first, low) - self.first[:-1])
        return counts


def _below(values: np.ndarray, first: np.ndarray, bound: int) -> np.ndarray:
    """Per group (``values[first[g]:first[g + 1]]``, each sorted): where the first
    value not below ``bound`` is. One bisection over all groups at once: a numpy
    step per halving instead of a search per group."""
    import numpy as np

    low = first[:-1].copy()
    high = first[1:].copy()
    if not values.size:
        return low
    top = values.size - 1
    while True:
        open_ = low < high
        if not open_.any():
            return low
        middle = (low + high) >> 1
        below = (values[np.minimum(middle, top)] < bound) & open_
        low = np.where(below, middle + 1, low)
        high = np.where(below | ~open_, high, middle)


class SpanIndex:
    """Each event's span, category and places in source order (counted directly: a
    few hundred milliseconds at 10M events); once ``sort()`` has run, the spans
    sorted by category and by place and category too (milliseconds)."""

    ARRAYS = ("row_lo", "row_hi", "row_cat", "row_first", "pair_place")

    def __init__(
        self,
        categories: list[str],
        places: list[str],
        ranks: Ranks,
        spans: dict[str, np.ndarray],
        folder: Path | None = None,
    ) -> None:
        """``spans``, taken apart as it is read: one entry per event in source order
        (``lo``/``hi``: ranks, ``dated``: whether the source says the span, ``cat``),
        ``held``: its number of places), and one per (event, place) pair in event order
        (``pp``: the place). ``folder``:
        where the per-event arrays are kept on disk, memory-mapped."""
        import numpy as np

        self.categories = categories
        self.places = places
        self.ranks = ranks
        self.folder = folder
        n_cat, n_place = len(categories), len(places)
        dated = spans.pop("dated")
        cat = spans.pop("cat").astype(np.int16 if n_cat < 2**15 else np.int32)
        held = spans.pop("held")
        pair_place = spans.pop("pp").astype(np.int16 if n_place < 2**15 else np.int32)
        rows = dated.size
        self.events = int(rows)
        self.undated_rows = np.flatnonzero(~dated)
        self.undated = np.bincount(cat[~dated], minlength=n_cat)
        pair_cat = np.repeat(cat, held)
        self.undated_places = np.zeros((n_place, n_cat), np.int64)
        if self.undated_rows.size:
            undated_pairs = np.repeat(~dated, held)
            self.undated_places += np.bincount(
                pair_place[undated_pairs].astype(np.int64) * n_cat + pair_cat[undated_pairs],
                minlength=n_place * n_cat,
            ).reshape(n_place, n_cat)
            del undated_pairs
        # Events per place and category, all of time: the counts with no window or box.
        self.place_totals = np.bincount(
            pair_place.astype(np.int64) * n_cat + pair_cat, minlength=n_place * n_cat
        ).reshape(n_place, n_cat)
        del pair_cat
        first = np.zeros(rows + 1, np.int64)
        np.cumsum(held, out=first[1:])
        # Events at two places or more: the box's total counts them once.
        self.several = np.flatnonzero(held > 1).astype(np.uint32)
        del held
        # Held in memory until sorted (the first answers read them all), then in files.
        self.row_lo = spans.pop("lo")
        self.row_hi = spans.pop("hi")
        self.row_cat = cat
        self.row_first = first
        self.pair_place = pair_place
        self.by_category: Groups | None = None
        self.by_place: Groups | None = None

    def _spill(self) -> None:
        """Move the per-event arrays to files in the index's folder, memory-mapped: once
        sorted, only a search reads them, and the pages it reads stay in the system's
        file cache rather than in this process."""
        import numpy as np

        if self.folder is None:
            return
        for attribute, name in zip(self.ARRAYS, ("lo", "hi", "cat", "first", "pairs"), strict=True):
            path = self.folder / f"{name}.npy"
            np.save(path, np.asarray(getattr(self, attribute)))
            setattr(self, attribute, np.load(path, mmap_mode="r"))

    def sort(self, cancel: list[Any] | None = None) -> None:
        """Sort the spans within each category and each place and category: from then
        on a count for any window is two binary searches per group."""
        import numpy as np

        n_cat = len(self.categories)
        size = self.ranks.size
        dated = np.ones(self.events, bool)
        dated[self.undated_rows] = False
        everything = not self.undated_rows.size
        cat = np.asarray(self.row_cat)
        lo, hi = np.asarray(self.row_lo), np.asarray(self.row_hi)
        if everything:
            by_category = Groups.of(cat, lo, hi, n_cat, size)
        else:
            by_category = Groups.of(cat[dated], lo[dated], hi[dated], n_cat, size)
        _stopped(cancel)
        first = np.asarray(self.row_first)
        pe = np.repeat(np.arange(self.events, dtype=np.int32), np.diff(first))
        pairs = np.asarray(self.pair_place)
        if everything:
            group = pairs.astype(np.int64)
        else:
            keep = dated[pe]
            pe = pe[keep]
            group = pairs[keep].astype(np.int64)
            del keep
        group *= n_cat
        group += cat[pe]
        by_place = Groups.of(group, lo[pe], hi[pe], len(self.places) * n_cat, size)
        del pe, group, cat, lo, hi, first, pairs
        # by_place first: a count on another thread that sees by_category uses both.
        self.by_place = by_place
        self.by_category = by_category
        self._spill()
        release_memory()

    def extent(self) -> tuple[float, float] | None:
        """The earliest start and the latest end of the dated events (epoch seconds)."""
        import numpy as np

        dated = self.events - self.undated_rows.size
        if not dated:
            return None
        lo, hi = np.asarray(self.row_lo), np.asarray(self.row_hi)
        if self.undated_rows.size:
            keep = np.ones(self.events, bool)
            keep[self.undated_rows] = False
            lo, hi = lo[keep], hi[keep]
        low, high = self.ranks.value(np.array([lo.min(), hi.max()]))
        return float(low), float(high)

    def category_counts(self) -> dict[str, int]:
        """Every category with its number of events ("" for none)."""
        import numpy as np

        counts = np.bincount(np.asarray(self.row_cat), minlength=len(self.categories))
        return dict(sorted((c, int(n)) for c, n in zip(self.categories, counts, strict=True) if n))

    @property
    def sorted(self) -> bool:
        return self.by_place is not None

    @property
    def nbytes(self) -> int:
        """Bytes held in memory (the per-event arrays, once in files, are not)."""
        arrays = [self.several]
        for groups in (self.by_category, self.by_place):
            if groups is not None:
                arrays += [groups.starts, groups.ends]
        if self.folder is None or not self.sorted:
            arrays += [getattr(self, name) for name in self.ARRAYS]
        return sum(a.nbytes for a in arrays)

    def close(self) -> None:
        """Let go of the files the per-event arrays are mapped from."""
        import shutil

        if self.folder is not None:
            for name in self.ARRAYS:
                setattr(self, name, None)
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- answers ------------------------------------------------------------

    def answers(self, query: Query) -> bool:
        """Whether the index can answer the query alone: anything but a search
        (a search's matching rows are found in the text, then counted by ``rows``)."""
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
        assert self.by_place is not None
        low, high = self._bounds(query)
        counts = self.by_place.overlapping(low, high)
        matrix = counts.reshape(len(self.places), len(self.categories))
        if query.start is None and query.end is None:
            matrix = matrix + self.undated_places
        return matrix * self._shown(query)

    def place_counts(self, query: Query, anchors: Anchors) -> dict[str, int]:
        """Matching events per place with an anchor (inside the box, when there is one)."""
        import numpy as np

        if query.start is None and query.end is None:
            per_place = (self.place_totals * self._shown(query)).sum(axis=1)
        elif not self.sorted:
            return self.rows(None, query, anchors).places
        else:
            per_place = self._place_matrix(query).sum(axis=1)
        keep = self._in_box(query.bbox, anchors) & (per_place > 0)
        return {self.places[i]: int(per_place[i]) for i in np.flatnonzero(keep)}

    def total(self, query: Query, anchors: Anchors) -> int:
        import numpy as np

        if query.bbox is None and query.start is None and query.end is None:
            counts = np.bincount(np.asarray(self.row_cat), minlength=len(self.categories))
            return int((counts * self._shown(query)).sum())
        if self.by_category is None:
            return self.rows(None, query, anchors).total
        if query.bbox is None:
            low, high = self._bounds(query)
            counts = self.by_category.overlapping(low, high)
            if query.start is None and query.end is None:
                counts = counts + self.undated
            return int((counts * self._shown(query)).sum())
        inside = self._in_box(query.bbox, anchors)
        at_places = int(self._place_matrix(query).sum(axis=1)[inside].sum())
        # An event at k places inside the box was counted k times: once is right.
        several = self.several.astype(np.int64)
        match = self._matching(several, query)
        first = np.asarray(self.row_first)
        lengths = first[several + 1] - first[several]
        pairs = np.asarray(self.pair_place)[_spread(first[several], lengths)]
        if not pairs.size:
            return at_places
        k = np.add.reduceat(inside[pairs].astype(np.int64), _starts(lengths))
        return at_places - int(((k - 1).clip(0) * match).sum())

    def _matching(self, rows: np.ndarray | None, query: Query) -> np.ndarray:
        """Which of these rows (source order; None: all) are in the query's window and
        categories."""
        import numpy as np

        match = self._shown(query)[_take(self.row_cat, rows)]
        low, high = self._bounds(query)
        if low is None and high is None:
            return match
        if self.undated_rows.size:
            every = np.arange(self.events) if rows is None else rows
            match &= ~np.isin(every, self.undated_rows)
        if low is not None:
            match &= _take(self.row_hi, rows) >= low
        if high is not None:
            match &= _take(self.row_lo, rows) < high
        return match

    def rows(self, rows: np.ndarray | None, query: Query, anchors: Anchors) -> Found:
        """Counts over these rows alone (the events a search found, in source order;
        None: every event): the total and the events per place, with the query's
        window, box and categories."""
        import numpy as np

        first = np.asarray(self.row_first)
        if rows is None:
            lengths = np.diff(first)
            pairs = np.asarray(self.pair_place).astype(np.int64)
            count = self.events
        else:
            rows = np.asarray(rows, np.int64)
            lengths = first[rows + 1] - first[rows]
            pairs = np.asarray(self.pair_place)[_spread(first[rows], lengths)].astype(np.int64)
            count = rows.size
        owner = np.repeat(np.arange(count, dtype=np.int32), lengths)
        match = self._matching(rows, query)
        inside = self._in_box(query.bbox, anchors)
        pair_in = inside[pairs]
        if query.bbox is not None:
            boxed = np.zeros(count, bool)
            boxed[owner[pair_in]] = True
            match &= boxed
        counted = match[owner] & pair_in
        per_place = np.bincount(pairs[counted], minlength=len(self.places))
        counts = {self.places[i]: int(per_place[i]) for i in np.flatnonzero(per_place)}
        matched = np.flatnonzero(match) if rows is None else rows[match]
        return Found(int(match.sum()), counts, matched)

    def rows_overview(self, rows: np.ndarray | None, query: Query, bins: Bins) -> Overview:
        """These rows (None: every event) in the query's window and categories, per bin
        (by start; earlier starts in the first) and category."""
        import numpy as np

        keep = self._matching(rows, query)
        if self.undated_rows.size:
            every = np.arange(self.events) if rows is None else rows
            keep &= ~np.isin(every, self.undated_rows)
        picked = None  # every event (the first view): no copies
        if rows is not None or not keep.all():
            picked = np.flatnonzero(keep) if rows is None else np.asarray(rows, np.int64)[keep]
        del keep
        lo = self.ranks.value(_take(self.row_lo, picked))
        inside = self.ranks.value(_take(self.row_hi, picked)) > bins.start
        inside &= lo < bins.end
        cat = _take(self.row_cat, picked)
        cells = np.bincount(
            bins.index(lo[inside]) * len(self.categories) + cat[inside].astype(np.int64),
            minlength=bins.count * len(self.categories),
        ).reshape(bins.count, len(self.categories))
        used = [int(c) for c in np.flatnonzero(cells.any(axis=0))]
        used.sort(key=lambda c: self.categories[c])
        return Overview(bins, [self.categories[c] for c in used], cells[:, used].tolist())

    def overview(self, query: Query, bins: Bins) -> Overview:
        """Matching events per bin (by start; earlier starts in the first) and category."""
        import numpy as np

        if self.by_category is None:
            return self.rows_overview(None, query, bins)
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


def _take(array: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    import numpy as np

    return np.asarray(array) if rows is None else np.asarray(array)[rows]


@dataclass
class Found:
    """Counts over the events a search found."""

    total: int
    places: dict[str, int]
    rows: np.ndarray  # the rows matching, in source order


def _spread(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions starts[i] .. starts[i] + lengths[i] - 1 of every i, in order."""
    import numpy as np

    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - _starts(lengths), lengths)
    return offsets + np.arange(total, dtype=np.int64)


def _starts(lengths: np.ndarray) -> np.ndarray:
    """Where each run of these lengths starts when they are laid end to end."""
    import numpy as np

    out = np.zeros(lengths.size, np.int64)
    np.cumsum(lengths[:-1], out=out[1:])
    return out


def fast_index(engine: Engine) -> bool:
    """Whether the source is a native Parquet file with its spans, which Arrow reads
    into the index in seconds."""
    from .duck import DuckEngine

    return (
        isinstance(engine, DuckEngine)
        and engine.layout.native
        and engine.path is not None
        and engine.layout.spans is not None
    )


def build_index(
    engine: Engine,
    cancel: list[Any] | None = None,
    folder: Path | None = None,
    sort: bool = True,
) -> SpanIndex | None:
    """The index of a native source read by DuckDB (None for any other: a table of
    another shape places events by its rows' own coordinates, which the index does
    not hold): one scan of the spans, categories and places, in batches.

    A Parquet file with its spans is read by Arrow, the four columns alone with
    categories and places as dictionaries: a few seconds at 10M events. Otherwise
    it reads through a DuckDB connection of its own, so the engine answers queries
    while it builds; ``cancel`` receives that connection's ``interrupt`` (and is
    looked at between batches). ``folder``: where to keep the per-event arrays.
    """
    import numpy as np

    from .duck import DuckEngine

    if not isinstance(engine, DuckEngine) or not engine.layout.native:
        return None
    categories: dict[str, int] = {}
    places: dict[str, int] = {}
    parts: dict[str, list[Any]] = {k: [] for k in ("lo", "hi", "cat", "held", "pp")}
    seen = 0
    if fast_index(engine):
        batches = _arrow_batches(engine, cancel)
    else:
        batches = _duck_batches(engine, cancel)
    for lo, hi, cat, flat, lengths in batches:
        parts["lo"].append(lo)
        parts["hi"].append(hi)
        parts["cat"].append(_codes(cat, categories, np.int16))
        held, pp = _distinct_pairs(_codes(flat, places, np.int32), lengths)
        parts["held"].append(held)
        parts["pp"].append(pp)
        seen += lo.size
    ranks = Ranks(*parts["lo"], *parts["hi"])
    # Joined one at a time, each batch let go as it is copied: the build's peak memory.
    spans = {}
    for k in ("lo", "hi", "cat", "held", "pp"):
        pieces = parts.pop(k)
        if k == "lo":
            spans["dated"] = _join(
                [~(np.isnan(a) | np.isnan(b)) for a, b in zip(pieces, parts["hi"], strict=True)],
                np.bool_,
            )
        if k in ("lo", "hi"):
            pieces = [ranks.of(p) for p in pieces]
        spans[k] = _join(pieces, np.int32)
        del pieces
    index = SpanIndex(list(categories), list(places), ranks, spans, folder)
    release_memory()
    if sort:
        index.sort(cancel)
    return index


def _join(pieces: list[np.ndarray], dtype: Any) -> np.ndarray:
    import numpy as np

    return np.concatenate(pieces) if pieces else np.zeros(0, dtype)


def _stopped(cancel: list[Any] | None) -> None:
    """Stop building once something other than an interrupt was put in ``cancel``."""
    if cancel is not None and any(not callable(c) for c in cancel):
        raise InterruptedError("the index was no longer wanted")


def _arrow_batches(engine: Any, cancel: list[Any] | None) -> Iterator[tuple[Any, ...]]:
    """(starts, ends, categories, places flattened, places per event) of a native Parquet
    file, a row group at a time."""
    import pyarrow.parquet as pq

    layout = engine.layout
    low, high = layout.spans
    columns = [low, high]
    dictionaries = []
    for name in (layout.category, layout.places):
        if name is not None:
            columns.append(name)
    if layout.category is not None:
        dictionaries.append(layout.category)
    if layout.places is not None:
        dictionaries.append(f"{layout.places}.list.element")
    source = pq.ParquetFile(engine.path, read_dictionary=dictionaries)
    for group in range(source.num_row_groups):
        _stopped(cancel)
        # A row group at a time: Arrow cannot read a list of dictionaries in batches.
        for batch in source.read_row_group(group, columns=columns).to_batches():
            yield _arrow_batch(batch, layout)


def _arrow_batch(batch: Any, layout: Layout) -> tuple[Any, ...]:
    """One batch's columns as ``build_index`` takes them."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = batch.num_rows
    lo = np.asarray(batch.column(0).to_numpy(zero_copy_only=False), np.float64)
    hi = np.asarray(batch.column(1).to_numpy(zero_copy_only=False), np.float64)
    if layout.category is not None:
        cat = batch.column(layout.category)
        if pa.types.is_dictionary(cat.type):  # trimmed as the engine trims it
            cat = pa.DictionaryArray.from_arrays(
                cat.indices, pc.utf8_trim(cat.dictionary.cast(pa.string()), " ")
            )
        else:
            cat = pc.utf8_trim(cat.cast(pa.string()), " ")
    else:
        cat = pa.nulls(n, pa.string())
    if layout.places is not None:
        held = batch.column(layout.places)
        lengths = pc.list_value_length(held).fill_null(0).to_numpy(zero_copy_only=False)
        flat = pc.list_flatten(held)
    else:
        lengths, flat = np.zeros(n, np.int64), pa.array([], pa.string())
    return lo, hi, cat, flat, lengths


def _duck_batches(engine: Any, cancel: list[Any] | None) -> Iterator[tuple[Any, ...]]:
    """The same, from the engine's derived columns, through a connection of its own."""
    import numpy as np
    import pyarrow.compute as pc

    con = engine.con.cursor()
    if cancel is not None:
        cancel.append(con.interrupt)
    try:
        con.execute(engine.view_sql())
        reader = con.sql("SELECT __lo, __hi, __cat, __places FROM ev").to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            _stopped(cancel)
            lo, hi = (
                np.asarray(batch.column(i).to_numpy(zero_copy_only=False), np.float64)
                for i in (0, 1)
            )
            held = batch.column(3)
            lengths = pc.list_value_length(held).fill_null(0).to_numpy(zero_copy_only=False)
            yield lo, hi, batch.column(2), pc.list_flatten(held), lengths
    finally:
        con.close()


def _distinct_pairs(codes: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each event's number of places and the places, an event naming a place twice
    keeping it once."""
    import numpy as np

    held = np.array(lengths, np.int32)  # its own copy: Arrow's buffers are read-only
    if codes.size == 0 or held.max(initial=0) < 2:
        return held, codes
    keep = np.ones(codes.size, bool)
    begins = _starts(held)
    two = np.flatnonzero(held == 2)
    same = codes[begins[two]] == codes[begins[two] + 1]
    keep[begins[two[same]] + 1] = False
    held[two[same]] = 1
    for row in np.flatnonzero(held > 2).tolist():
        b, n = int(begins[row]), int(held[row])
        seen: set[int] = set()
        for i in range(b, b + n):
            keep[i] = int(codes[i]) not in seen
            seen.add(int(codes[i]))
        held[row] = len(seen)
    return held, codes[keep]


def _codes(column: Any, known: dict[str, int], dtype: Any) -> np.ndarray:
    """Each value's number in ``known`` (new values are added; none is ""), read
    through the column's dictionary: each distinct value is looked at once."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    names = column.dictionary.to_pylist()
    codes = [known.setdefault("" if n is None else str(n), len(known)) for n in names]
    indices = column.indices
    if column.null_count:
        codes.append(known.setdefault("", len(known)))
        indices = indices.fill_null(len(names))
    return np.array(codes, dtype)[indices.to_numpy(zero_copy_only=False)]

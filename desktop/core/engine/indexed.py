"""An engine with its span index: counts from the index, everything else from the engine.

The window asks for counts on every brush, category toggle and map move;
the index answers those in milliseconds. A search of a Parquet file reads the
events' text once (the engine finds the numbers of the rows that match, kept
while the search stays the same), and the index counts those rows for every
window, box and category after it; the few that match are then fetched by
their row numbers. A search of any other source, a table of another shape, or
an engine reached by URL goes to the engine itself, as do the events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import Engine
from .query import FETCH_LIMIT, Bins, Overview, PlaceCount, Query
from .span_index import Anchors, SpanIndex, build_index

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


class Indexed:
    """Answers like ``Engine``, from the index where it can."""

    def __init__(self, engine: Engine, index: SpanIndex | None) -> None:
        self.engine = engine
        self.index = index
        # Asked on every overview: read once (a scan of the whole source).
        self._extent: tuple[float, float] | None = None
        self._categories: dict[str, int] | None = None
        # The last search's rows: (its words, the rows' numbers).
        self._found: tuple[tuple[str, ...], np.ndarray] | None = None
        # Its events' own columns, when few enough to fetch them all at once: a brush
        # with the search on then picks from them instead of reading the file again.
        self._fetched: tuple[tuple[str, ...], pa.Table] | None = None
        self.anchors: Anchors = {
            a.id: (a.lat, a.lon) if a.lat is not None and a.lon is not None else None
            for a in engine.side.places.values()
        }

    @classmethod
    def build(cls, engine: Engine, sort: bool = True) -> Indexed:
        return cls(engine, build_index(engine, sort=sort))

    @property
    def label(self) -> str:
        return self.engine.label

    @property
    def title(self) -> str:
        return self.engine.title

    @property
    def searches(self) -> bool:
        """Whether a search is answered by rows found in the text and counted by the index."""
        return self.index is not None and getattr(self.engine, "path", None) is not None

    def _indexed(self, query: Query) -> SpanIndex | None:
        if self.index is not None and (self.index.answers(query) or self.searches):
            return self.index
        return None

    def found(self, query: Query) -> np.ndarray | None:
        """The rows the query's search finds (None: no search), read once per search."""
        if not query.terms:
            return None
        key = tuple(query.terms)
        if self._found is None or self._found[0] != key:
            engine: Any = self.engine
            rows = engine.search_rows(engine.filter(Query(search=query.search)))
            self._found = (key, rows)
        return self._found[1]

    def total(self, query: Query) -> int:
        index = self._indexed(query)
        if index is None:
            return self.engine.total(query)
        if query.terms:
            return index.rows(self.found(query), query, self.anchors).total
        return index.total(query, self.anchors)

    def place_counts(self, query: Query) -> list[PlaceCount]:
        index = self._indexed(query)
        if index is None:
            return self.engine.place_counts(query)
        side = self.engine.side.places
        if query.terms:
            counts = index.rows(self.found(query), query, self.anchors).places
        else:
            counts = index.place_counts(query, self.anchors)
        found = [
            PlaceCount(key, side[key].name, side[key].lat, side[key].lon, count)
            for key, count in counts.items()
            if key in side
        ]
        return sorted(found, key=lambda p: (-p.count, p.key, p.lat or 0, p.lon or 0))

    def indexed(self, query: Query) -> bool:
        """Whether the index answers the query (else the engine reads the source)."""
        return self._indexed(query) is not None

    def bins(self, query: Query, count: int) -> Bins:
        """The bins an overview of the query has: over its window, or all events."""
        extent = self.extent()
        low, high = query.bounds
        start = low if low is not None else (extent[0] if extent else 0.0)
        end = high if high is not None else (extent[1] if extent else start + 1)
        if not end > start:
            end = start + 1
        return Bins(start, end, count)

    def overview(self, query: Query, bins: int = 200) -> Overview:
        index = self._indexed(query)
        if index is None or query.bbox is not None:
            return self.engine.overview(query, bins)
        if query.terms:
            return index.rows_overview(self.found(query), query, self.bins(query, bins))
        return index.overview(query, self.bins(query, bins))

    def fetch(self, query: Query, limit: int = FETCH_LIMIT):  # -> Dataset | None
        index = self._indexed(query)
        if index is None or not query.terms:
            return self.engine.fetch(query, limit)
        import pyarrow as pa
        import pyarrow.compute as pc

        found = self.found(query)
        rows = index.rows(found, query, self.anchors).rows
        if rows.size > limit or found is None:
            return None
        engine: Any = self.engine
        key = tuple(query.terms)
        if found.size > limit:
            return engine.dataset_of(engine.rows_at(rows).drop_columns(["__row"]))
        if self._fetched is None or self._fetched[0] != key:
            self._fetched = (key, engine.rows_at(found))
        table = self._fetched[1]
        picked = table.filter(pc.is_in(table.column("__row"), pa.array(rows, pa.int64())))
        return engine.dataset_of(picked.drop_columns(["__row"]))

    def extent(self) -> tuple[float, float] | None:
        if self._extent is None:
            if self.index is not None:
                self._extent = self.index.extent()
            else:
                self._extent = self.engine.extent()
        return self._extent

    def categories(self) -> dict[str, int]:
        if self._categories is None:
            if self.index is not None:
                self._categories = self.index.category_counts()
            else:
                self._categories = self.engine.categories()
        return dict(self._categories)

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
        self.engine.close()

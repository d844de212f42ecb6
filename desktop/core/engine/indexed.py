"""An engine with its span index: counts from the index, everything else from the engine.

The window asks for counts on every brush, category toggle and map move;
the index answers those in milliseconds. A search, a table of another shape,
or an engine reached by URL goes to the engine itself, as do the events.
"""

from __future__ import annotations

from .base import Engine
from .query import FETCH_LIMIT, Bins, Overview, PlaceCount, Query
from .span_index import Anchors, SpanIndex, build_index


class Indexed:
    """Answers like ``Engine``, from the index where it can."""

    def __init__(self, engine: Engine, index: SpanIndex | None) -> None:
        self.engine = engine
        self.index = index
        # Asked on every overview: read once (a scan of the whole source).
        self._extent: tuple[float, float] | None = None
        self._categories: dict[str, int] | None = None
        self.anchors: Anchors = {
            a.id: (a.lat, a.lon) if a.lat is not None and a.lon is not None else None
            for a in engine.side.places.values()
        }

    @classmethod
    def build(cls, engine: Engine) -> Indexed:
        return cls(engine, build_index(engine))

    @property
    def label(self) -> str:
        return self.engine.label

    @property
    def title(self) -> str:
        return self.engine.title

    def _indexed(self, query: Query) -> SpanIndex | None:
        if self.index is not None and self.index.answers(query):
            return self.index
        return None

    def total(self, query: Query) -> int:
        index = self._indexed(query)
        if index is None:
            return self.engine.total(query)
        return index.total(query, self.anchors)

    def place_counts(self, query: Query) -> list[PlaceCount]:
        index = self._indexed(query)
        if index is None:
            return self.engine.place_counts(query)
        side = self.engine.side.places
        found = [
            PlaceCount(key, side[key].name, side[key].lat, side[key].lon, count)
            for key, count in index.place_counts(query, self.anchors).items()
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
        return index.overview(query, self.bins(query, bins))

    def fetch(self, query: Query, limit: int = FETCH_LIMIT):  # -> Dataset | None
        return self.engine.fetch(query, limit)

    def extent(self) -> tuple[float, float] | None:
        if self._extent is None:
            self._extent = self.engine.extent()
        return self._extent

    def categories(self) -> dict[str, int]:
        if self._categories is None:
            self._categories = self.engine.categories()
        return dict(self._categories)

    def close(self) -> None:
        self.engine.close()

"""What the window asks of a source too large to load, and what it gets back.

One ``Query`` (time window, bounding box, hidden categories, search) is
answered by every engine the same way, with the rules the in-memory view
state uses: an event is in the window when its span overlaps it (the window
end exclusive), in the box when one of its places lies inside it, hidden when
its category is, and found when its text holds every word of the search in
any case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..dates import to_epoch

# At most this many events are fetched one by one; beyond it only counts are.
FETCH_LIMIT = 5_000
# Seconds a query may run before it is stopped.
DEFAULT_TIMEOUT = 60.0


class EngineError(Exception):
    """A source that cannot be opened or a query that cannot be answered: one line to show."""


@dataclass(frozen=True)
class BBox:
    """A map's bounds in degrees; ``west > east`` when the box crosses the antimeridian."""

    south: float
    west: float
    north: float
    east: float

    def __post_init__(self) -> None:
        if not (-90 <= self.south <= self.north <= 90):
            raise ValueError(f"latitudes {self.south}, {self.north}: south must be ≤ north")
        if not (-180 <= self.west <= 180 and -180 <= self.east <= 180):
            raise ValueError(f"longitudes {self.west}, {self.east} must be within ±180")

    def contains(self, lat: float, lon: float) -> bool:
        if not self.south <= lat <= self.north:
            return False
        if self.west <= self.east:
            return self.west <= lon <= self.east
        return lon >= self.west or lon <= self.east


@dataclass(frozen=True)
class Query:
    """The current view as an engine needs it. ``start``/``end`` are UTC instants
    (a naive datetime is taken as UTC); ``None`` leaves that side open."""

    start: datetime | None = None
    end: datetime | None = None
    bbox: BBox | None = None
    hidden_categories: frozenset[str] = frozenset()
    search: str = ""

    @classmethod
    def of_view(cls, view: Any, bbox: BBox | None = None) -> Query:
        """The query for a view state (anything with ``window``, ``hidden_categories``
        and ``search``), and the map's bounds."""
        window = getattr(view, "window", None)
        return cls(
            start=window.start if window is not None else None,
            end=window.end if window is not None else None,
            bbox=bbox,
            hidden_categories=frozenset(getattr(view, "hidden_categories", ())),
            search=getattr(view, "search", "") or "",
        )

    @property
    def terms(self) -> list[str]:
        return self.search.casefold().split()

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """The window as epoch seconds."""
        return _epoch(self.start), _epoch(self.end)


def _epoch(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return to_epoch(moment)


@dataclass(frozen=True)
class Bins:
    """Equal time bins from ``start`` to ``end`` (epoch seconds)."""

    start: float
    end: float
    count: int

    @property
    def width(self) -> float:
        return (self.end - self.start) / self.count

    def edges(self) -> list[float]:
        return [self.start + i * self.width for i in range(self.count + 1)]

    def index(self, moments: Any) -> Any:
        """Each moment's bin (numpy): the engines' formula, so counts agree exactly.
        Moments before the first bin fall in it, after the last in the last."""
        import numpy as np

        raw = np.floor((np.asarray(moments, dtype=float) - self.start) / self.width)
        return np.clip(raw, 0, self.count - 1).astype(np.int64)


@dataclass
class Overview:
    """Events per time bin and category: the timeline's overview and density."""

    bins: Bins
    categories: list[str]
    # counts[bin][category index]
    counts: list[list[int]] = field(default_factory=list)

    def total(self) -> int:
        return sum(map(sum, self.counts))

    def per_category(self) -> dict[str, int]:
        return {name: sum(row[i] for row in self.counts) for i, name in enumerate(self.categories)}


@dataclass(frozen=True)
class PlaceCount:
    """Events at one place: its key (a place id, or a place name for a table of
    events), its name, where its marker goes (None when the source does not say)."""

    key: str
    name: str
    lat: float | None
    lon: float | None
    count: int

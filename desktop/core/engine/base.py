"""What every engine shares: the query turned into filters, the small side tables, the answers.

An engine answers from its source without loading it: counts per time bin
and category, per place, the total, and the events themselves only when few
match. The parts that differ (SQL for embedded DuckDB, ibis expressions for
any other engine) are the few methods a subclass provides; the rest, the
meaning of a query, is here once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..formats.parquet_file import first_line, sibling
from ..model import Dataset
from ..problems import Problems
from .layout import Layout
from .query import FETCH_LIMIT, BBox, Bins, EngineError, Overview, PlaceCount, Query

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class Term:
    """One search word, and the places and sources whose text holds it (a native
    source's events are found by their places' names and sources' titles too)."""

    text: str
    places: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filter:
    """A query as conditions on the source's rows."""

    low: float | None = None
    high: float | None = None
    hidden: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()
    box: BBox | None = None
    # A native source: the places inside the box (an event is in it when it has one).
    box_places: tuple[str, ...] | None = None


@dataclass
class Anchor:
    """A place of a native source: where its marker goes and what a search finds it by."""

    id: str
    name: str
    lat: float | None
    lon: float | None
    text: str


@dataclass
class SideTables:
    """A native source's places and sources, small enough to hold: read once on opening."""

    places: dict[str, Anchor] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    # The tables as read, for building the events a fetch returns.
    arrow: dict[str, tuple[pa.Table, str]] = field(default_factory=dict)


def side_tables(
    places: pa.Table | None, sources: pa.Table | None, labels: dict[str, str]
) -> SideTables:
    """Anchors and search texts of a native source's places and sources, built with the
    model's own rules (Place.anchor, and the texts the view state searches)."""
    from ..formats.parquet_file import native_dataset

    side = SideTables()
    tables = {}
    if places is not None:
        tables["places"] = (places, labels["places"])
    if sources is not None:
        tables["sources"] = (sources, labels["sources"])
    if not tables:
        return side
    read = native_dataset(tables, Problems(), "")
    for place in read.places.values():
        anchor = place.anchor()
        text = "\n".join((place.name, *place.aliases)).casefold()
        lat, lon = anchor if anchor is not None else (None, None)
        side.places[place.id] = Anchor(place.id, place.name, lat, lon, text)
    for source in read.sources.values():
        side.sources[source.id] = f"{source.publisher}\n{source.title}".casefold()
    side.arrow = tables
    return side


class Engine:
    """Answers queries about one source. Subclasses provide the backend's part."""

    def __init__(self, layout: Layout, label: str, side: SideTables, title: str) -> None:
        self.layout = layout
        self.label = label
        self.side = side
        self.title = title

    # -- the backend's part -------------------------------------------------

    def _count(self, where: Filter) -> int:
        raise NotImplementedError

    def _bins(self, where: Filter, bins: Bins) -> list[tuple[int, str, int]]:
        """(bin, category, count) rows."""
        raise NotImplementedError

    def _place_rows(self, where: Filter) -> list[tuple[str, Any, Any, int]]:
        """(place key, lat, lon, count) rows: for a native source the key is a place id
        (lat/lon None: the anchors say), for a table of events a place name."""
        raise NotImplementedError

    def _rows(self, where: Filter, limit: int) -> pa.Table:
        """The source's own columns for at most ``limit`` matching rows, in date order."""
        raise NotImplementedError

    def _extent(self) -> tuple[float | None, float | None]:
        raise NotImplementedError

    def _categories(self) -> list[tuple[str, int]]:
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the source (a connection, a session)."""

    # -- answers ------------------------------------------------------------

    def filter(self, query: Query) -> Filter:
        low, high = query.bounds
        terms = tuple(self._term(t) for t in query.terms)
        box_places = None
        if query.bbox is not None:
            if not self.layout.has_coordinates:
                raise EngineError(
                    f"{self.label}: the source has no coordinates, so a map's bounds cannot "
                    "be applied"
                )
            if self.layout.native:
                box = query.bbox
                box_places = tuple(
                    a.id
                    for a in self.side.places.values()
                    if a.lat is not None and a.lon is not None and box.contains(a.lat, a.lon)
                )
        return Filter(
            low, high, tuple(sorted(query.hidden_categories)), terms, query.bbox, box_places
        )

    def _term(self, text: str) -> Term:
        if not self.layout.native:
            return Term(text)
        places = tuple(a.id for a in self.side.places.values() if text in a.text)
        sources = tuple(i for i, s in self.side.sources.items() if text in s)
        return Term(text, places, sources)

    def total(self, query: Query) -> int:
        """How many events match."""
        return self._count(self.filter(query))

    def extent(self) -> tuple[float, float] | None:
        """The earliest start and the latest end of all events (epoch seconds)."""
        low, high = self._extent()
        if low is None or high is None:
            return None
        return float(low), float(high)

    def categories(self) -> dict[str, int]:
        """Every category with its number of events ("" for none)."""
        return dict(sorted(self._categories()))

    def overview(self, query: Query, bins: int = 200) -> Overview:
        """Matching events per time bin (by start) and category, over the query's window,
        or over all events when it has none (an open side is the events' own)."""
        if bins < 1:
            raise ValueError("bins must be at least 1")
        where = self.filter(query)
        extent = self.extent()
        low = where.low if where.low is not None else (extent[0] if extent else 0.0)
        high = where.high if where.high is not None else (extent[1] if extent else low + 1)
        if not high > low:
            high = low + 1
        spans = Bins(low, high, bins)
        rows = self._bins(where, spans)
        names = sorted({category for _, category, _ in rows})
        column = {name: i for i, name in enumerate(names)}
        counts = [[0] * len(names) for _ in range(bins)]
        for index, category, count in rows:
            counts[int(index)][column[category]] += int(count)
        return Overview(spans, names, counts)

    def place_counts(self, query: Query) -> list[PlaceCount]:
        """Matching events per place (within the query's box, when it has one), most first.
        An event at two places counts at each, once."""
        where = self.filter(query)
        found = []
        for key, lat, lon, count in self._place_rows(where):
            if self.layout.native:
                anchor = self.side.places.get(key)
                if anchor is None:
                    continue
                found.append(PlaceCount(key, anchor.name, anchor.lat, anchor.lon, int(count)))
            else:
                found.append(PlaceCount(key, key, _number(lat), _number(lon), int(count)))
        return sorted(found, key=lambda p: (-p.count, p.key, p.lat or 0, p.lon or 0))

    def fetch(self, query: Query, limit: int = FETCH_LIMIT) -> Dataset | None:
        """The matching events as a dataset (with the places and sources they name), in
        date order; None when more than ``limit`` match."""
        rows = self._rows(self.filter(query), limit + 1)
        if rows.num_rows > limit:
            return None
        return self.dataset_of(rows)

    def dataset_of(self, rows: pa.Table) -> Dataset:
        """Rows of the source's own columns as a dataset, with the places and sources
        they name."""
        from ..formats.parquet_file import foreign_dataset, native_dataset

        problems = Problems()
        if self.layout.native:
            tables = {"events": (rows, self.label), **self.side.arrow}
            return native_dataset(tables, problems, self.title)
        return foreign_dataset(rows, self.label, self.title, problems)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def parquet_sides(path: Path) -> SideTables:
    """A native Parquet source's places and sources, from the files beside it."""
    import pyarrow.parquet as pq

    found: dict[str, Any] = {}
    labels = {}
    for sheet in ("places", "sources"):
        other = sibling(path, sheet)
        labels[sheet] = str(other)
        if other.is_file():
            try:
                found[sheet] = pq.read_table(other)
            except Exception as exc:  # noqa: BLE001  (any reader failure is one line)
                raise EngineError(
                    f"{other}: not a readable Parquet file: {first_line(exc)}"
                ) from None
    return side_tables(found.get("places"), found.get("sources"), labels)

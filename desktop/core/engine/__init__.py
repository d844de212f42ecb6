"""Query, don't load: answers about event sources too large to hold in memory.

    engine = open_source("acled.parquet")          # or a .duckdb file, or an engine URL
    engine.overview(Query(start, end), bins=300)    # time bins x category counts
    engine.place_counts(Query(bbox=BBox(...)))     # events per place, for the map
    engine.total(query); engine.fetch(query)       # the events themselves, when few match

A Parquet file or a DuckDB database is read by DuckDB, embedded: no server.
A connection URL (``pyspark://``, ``trino://``, ``bigquery://``, ``clickhouse://``,
``duckdb://``) names another engine, reached through ibis with the same queries;
the table goes after ``#`` (a Parquet path there is read by that engine).
Everything that can go wrong comes out as one EngineError line.
"""

from __future__ import annotations

from pathlib import Path

from .base import Engine
from .query import (
    DEFAULT_TIMEOUT,
    FETCH_LIMIT,
    BBox,
    Bins,
    EngineError,
    Overview,
    PlaceCount,
    Query,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "FETCH_LIMIT",
    "BBox",
    "Bins",
    "Engine",
    "EngineError",
    "Overview",
    "PlaceCount",
    "Query",
    "open_source",
]


def open_source(source: str | Path, timeout: float | None = DEFAULT_TIMEOUT) -> Engine:
    """An engine for a Parquet file, a DuckDB database (``FILE.duckdb#TABLE`` names a
    table or view), or an engine URL (``SCHEME://...#TABLE``)."""
    text = str(source)
    if "://" in text and not Path(text).exists():
        from .portable import open_url

        return open_url(text, timeout=timeout)
    table = None
    path = Path(text)
    if not path.exists() and "#" in text:
        name, _, table = text.rpartition("#")
        path = Path(name)
    if not path.is_file():
        raise EngineError(f"{path}: no such file")
    from ..formats.magic import sniff_duckdb, sniff_parquet

    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise EngineError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    try:
        import duckdb  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as exc:
        from ..formats.columnar import missing

        raise EngineError(f"{path}: {missing('it with the engine', exc)}") from None
    from .duck import open_duckdb, open_parquet

    if sniff_duckdb(path, head):
        return open_duckdb(path, table, timeout)
    if sniff_parquet(path, head):
        return open_parquet(path, timeout)
    raise EngineError(f"{path}: neither a Parquet file nor a DuckDB database")

"""How many events a Parquet file or DuckDB database holds, without reading them."""

from __future__ import annotations

from pathlib import Path


def source_rows(path: Path) -> int | None:
    """The events in a Parquet file (from its footer) or a DuckDB database's events
    table; None for any other file, or one that cannot be read (its reader says why)."""
    from ..formats.magic import sniff_duckdb, sniff_parquet
    from . import EngineError, Query, open_source

    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
        if sniff_parquet(path, head):
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if sniff_duckdb(path, head):
            engine = open_source(path)
            try:
                return engine.total(Query())
            finally:
                engine.close()
    except (ImportError, OSError, ValueError, EngineError):
        return None
    return None

"""Which sources the window queries instead of loading: engine URLs and Parquet or
DuckDB files above a row count.

Kept apart from ``engine_mode`` so that opening a file can ask without importing
the query engine (numpy, the span index, the engine timeline): most files are
loaded, and the window starts without it.
"""

from __future__ import annotations

import os
from pathlib import Path

# Sources with more events than this are queried, not loaded.
DEFAULT_ENGINE_ROWS = 2_000_000


def engine_rows() -> int:
    """The size above which a source is queried ($CHRONOMAP_ENGINE_ROWS overrides)."""
    try:
        return int(os.environ.get("CHRONOMAP_ENGINE_ROWS", DEFAULT_ENGINE_ROWS))
    except ValueError:
        return DEFAULT_ENGINE_ROWS


def is_engine_url(text: str) -> bool:
    return "://" in text and not Path(text).exists()


def too_large(path: Path) -> bool:
    """A Parquet file or DuckDB database with more events than ``engine_rows()``."""
    from desktop.core.engine.size import source_rows

    rows = source_rows(path)
    return rows is not None and rows > engine_rows()

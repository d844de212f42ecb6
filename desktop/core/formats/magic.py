"""Parquet files and DuckDB databases told by their magic bytes.

Apart from their readers so that every open can ask without importing them.
"""

from __future__ import annotations

from pathlib import Path

PARQUET_MAGIC = b"PAR1"
# Every DuckDB database file starts with a checksum, then these four bytes.
DUCKDB_MAGIC_OFFSET, DUCKDB_MAGIC = 8, b"DUCK"


def sniff_parquet(path: Path, head: bytes) -> bool:
    return head.startswith(PARQUET_MAGIC)


def sniff_duckdb(path: Path, head: bytes) -> bool:
    return head[DUCKDB_MAGIC_OFFSET : DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC)] == DUCKDB_MAGIC

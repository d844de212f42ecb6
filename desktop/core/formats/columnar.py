"""Columnar files as datasets: Parquet (and GeoParquet) and DuckDB databases.

Registered ahead of every other format: both are recognised by their magic
bytes, which no text format has. Their readers import pyarrow and duckdb only
when such a file is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import Dataset
from ..problems import Problems
from .magic import sniff_duckdb, sniff_parquet


def missing(what: str, exc: ImportError) -> str:
    """Why a columnar file cannot be opened by a copy of Chronomap built without its reader."""
    package = (exc.name or "pyarrow").split(".")[0]
    return (
        f"opening {what} needs the {package} package, which this copy of Chronomap "
        "does not include: run it from source (make run), or pip install it"
    )


def _load_parquet(path: Path, problems: Problems) -> Dataset:
    try:
        import pyarrow.parquet  # noqa: F401

        from .parquet_file import load_parquet
    except ImportError as exc:
        problems.error(str(path), 0, "-", missing("Parquet files", exc))
        return Dataset(title=path.stem)
    return load_parquet(path, problems)


def _load_duckdb(path: Path, problems: Problems) -> Dataset:
    try:
        import duckdb  # noqa: F401
        import pyarrow  # noqa: F401

        from .duckdb_file import load_duckdb
    except ImportError as exc:
        problems.error(str(path), 0, "-", missing("DuckDB databases", exc))
        return Dataset(title=path.stem)
    return load_duckdb(path, problems)


def register_columnar_formats(register_format: Callable[..., None], before: str) -> None:
    """Hand both formats to ``register_format(fmt, before=NAME)`` (desktop.core.load's),
    ahead of the format named ``before``: the first one, so nothing else claims them."""
    from .registry import Format

    for fmt in (
        Format(
            "parquet", "Parquet / GeoParquet", (".parquet",), _file(sniff_parquet), _load_parquet
        ),
        Format("duckdb", "DuckDB database", (".duckdb", ".ddb"), _file(sniff_duckdb), _load_duckdb),
    ):
        register_format(fmt, before=before)


def _file(sniff: Callable[[Path, bytes], bool]) -> Callable[[Path, bytes], bool]:
    return lambda path, head: path.is_file() and sniff(path, head)

"""A DuckDB database file as a dataset: its canonical tables, or one table or saved view.

A database with an ``events`` table (or view) of native columns is read like
the canonical Parquet tables: ``places``, ``sources``, ``citations``, ``story`` and a
``meta`` table of keys and values are used when they are there. A table or
view named ``events`` of another shape, or the database's only table or
view, is a table of events whose columns' roles are found as for a CSV file:
so a saved query (``CREATE VIEW events AS SELECT ...``) opens as a dataset.
The file is opened read-only and never changed.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Dataset
from ..problems import Problems
from ..records import SHEET_ORDER
from .parquet_file import first_line, foreign_dataset, is_native_events, native_dataset


def relations(con: object) -> dict[str, str]:
    """The database's tables and views by name (lower case) with their names as written."""
    rows = con.execute(  # type: ignore[attr-defined]
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema = 'main' ORDER BY table_name"
    ).fetchall()
    return {str(name).lower(): str(name) for (name,) in rows}


def events_relation(names: dict[str, str], path: Path) -> str:
    """The table or view holding the events; ValueError saying how to name one."""
    if "events" in names:
        return names["events"]
    if len(names) == 1:
        return next(iter(names.values()))
    listed = ", ".join(names.values()) or "none"
    raise ValueError(
        f"the database has {len(names)} tables and views ({listed}): name the one that "
        "holds the events 'events' (CREATE VIEW events AS SELECT ... FROM ...)"
    )


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_duckdb(path: Path, problems: Problems) -> Dataset:
    import duckdb

    label = str(path)
    try:
        con = duckdb.connect(label, read_only=True)
    except duckdb.Error as exc:
        problems.error(label, 0, "-", f"cannot open the DuckDB database: {first_line(exc)}")
        return Dataset(title=path.stem)
    try:
        names = relations(con)
        try:
            events_name = events_relation(names, path)
        except ValueError as exc:
            problems.error(label, 0, "-", str(exc))
            return Dataset(title=path.stem)
        events = con.sql(f"SELECT * FROM {quoted(events_name)}").to_arrow_table()
        where = f"{label}#{events_name}"
        if not is_native_events(events.column_names):
            return foreign_dataset(events, where, path.stem, problems)
        tables = {"events": (events, where)}
        for sheet in SHEET_ORDER:
            if sheet != "events" and sheet in names:
                table = con.sql(f"SELECT * FROM {quoted(names[sheet])}").to_arrow_table()
                tables[sheet] = (table, f"{label}#{names[sheet]}")
        return native_dataset(tables, problems, path.stem)
    except duckdb.Error as exc:
        problems.error(label, 0, "-", f"cannot read the DuckDB database: {first_line(exc)}")
        return Dataset(title=path.stem)
    finally:
        con.close()

"""Parquet files (and GeoParquet) as datasets; the canonical tables written as Parquet.

A Parquet file whose columns are a native events sheet (``id``, ``start``,
``places`` ...) is the canonical events table: the other tables lie beside it
as ``NAME.places.parquet``, ``NAME.sources.parquet``, ``NAME.citations.parquet``
and ``NAME.story.parquet`` (the schema's sheets, typed from its columns), and
the dataset's title, description and measures travel in the events file's
key-value metadata. Every column holds
what the canonical JSON holds (ISO dates cut to their precision as text, lists
of ids as lists), so the two forms carry the same dataset; the events file
also has ``span_start`` and ``span_end``, each event's span in epoch seconds
(UTC, end exclusive), so a query engine can filter by time without reading
dates from text. They are derived: ignored on reading, rewritten on writing.

Any other Parquet file is a table of events like a CSV file, its columns'
roles found the same way; dates may also be typed (DATE, TIMESTAMP). A
GeoParquet file's point geometries become its events' coordinates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import atomic_write_all
from ..model import Dataset
from ..problems import Problems
from ..records import SHEET_ORDER, Table, build_dataset, normalise_header
from ..schema import ITEM_SHEETS

if TYPE_CHECKING:
    import pyarrow as pa

# Columns computed from the events on writing, for engines; never read back.
DERIVED = ("span_start", "span_end")
META_KEY = b"chronomap"
# Columns of the native sheets and the Arrow types they are written with: the
# schema's, so a column added there is written and read here too.
LIST = "list<string>"
_TYPES: dict[str, dict[str, str]] = {
    sheet.name: {column.name: column.kind.arrow for column in sheet.fields} for sheet in ITEM_SHEETS
}


def is_native_events(columns: Iterable[str]) -> bool:
    """Columns of a native events sheet (what a canonical writer writes), as opposed to
    a table of events of another shape whose columns' roles must be found."""
    keys = {normalise_header(c) for c in columns}
    return "places" in keys or {"id", "start"} <= keys


def stem(path: Path) -> str:
    name = path.name
    return name[: -len(".parquet")] if name.lower().endswith(".parquet") else path.stem


def sibling(path: Path, sheet: str) -> Path:
    """Where a canonical table other than the events lies: ``NAME.SHEET.parquet``."""
    return path.with_name(f"{stem(path)}.{sheet}.parquet")


def first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


# Native events columns read as Parquet stores them, dictionary-encoded: a million
# dates hold tens of thousands of distinct texts, each decoded and hashed again otherwise.
_AS_STORED = ("start", "end")


def read_arrow(path: Path, problems: Problems) -> pa.Table | None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import pyarrow.types as t

    try:
        # One file, not a dataset of them: read_table would import pyarrow.dataset
        # (a second of start-up) to read it.
        with pq.ParquetFile(path) as handle:
            schema = handle.schema_arrow
            names = schema.names
            if len(set(names)) < len(names) or not is_native_events(names):
                return handle.read()
        # The derived spans are not read; the dates come as their dictionaries.
        stored = [f.name for f in schema if f.name in _AS_STORED and t.is_string(f.type)]
        with pq.ParquetFile(path, read_dictionary=stored) as handle:
            return handle.read(columns=[n for n in names if n not in DERIVED])
    except (OSError, pa.ArrowException, ValueError) as exc:
        problems.error(str(path), 0, "-", f"not a readable Parquet file: {first_line(exc)}")
        return None


def load_parquet(path: Path, problems: Problems) -> Dataset:
    table = read_arrow(path, problems)
    if table is None:
        return Dataset(title=stem(path))
    if not is_native_events(table.column_names):
        return foreign_dataset(table, str(path), stem(path), problems)
    tables = {"events": (table, str(path))}
    for sheet in SHEET_ORDER:
        other = sibling(path, sheet)
        if sheet in ("events", "meta") or not other.is_file():
            continue
        found = read_arrow(other, problems)
        if found is not None:
            tables[sheet] = (found, str(other))
    meta = _meta(table)
    return native_dataset(tables, problems, meta.get("title") or stem(path), meta)


def _meta(table: pa.Table) -> dict[str, Any]:
    raw = (table.schema.metadata or {}).get(META_KEY)
    try:
        meta = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(meta, dict):
        return {}
    found: dict[str, Any] = {k: v for k, v in meta.items() if isinstance(v, str)}
    measures = meta.get("measures")
    if isinstance(measures, list):  # which extra columns are numbers to size markers by
        found["measures"] = tuple(m for m in measures if isinstance(m, str))
    return found


# --- reading ---------------------------------------------------------------


def column_kind(dtype: pa.DataType) -> str:
    """What a column's Arrow type can hold, as the type checks below speak of it."""
    import pyarrow.types as t

    if t.is_dictionary(dtype):
        dtype = dtype.value_type
    if t.is_string(dtype) or t.is_large_string(dtype) or t.is_null(dtype):
        return "text"
    if t.is_boolean(dtype):
        return "bool"
    if t.is_integer(dtype):
        return "integer"
    if t.is_floating(dtype) or t.is_decimal(dtype):
        return "number"
    if t.is_date(dtype) or t.is_timestamp(dtype):
        return "date"
    if t.is_list(dtype) or t.is_large_list(dtype):
        return "list"
    if t.is_struct(dtype):
        return "struct"
    return str(dtype)


# Which kinds of column each native column may be; anything else is a wrong type.
_ACCEPTS = {
    "string": {"text"},
    "bool": {"bool", "text"},
    "double": {"number", "integer", "text"},
    "int64": {"integer", "number", "text"},
    "date": {"text", "date", "integer"},
    LIST: {"list", "text"},
    "list<list<double>>": {"list", "text"},
    "view": {"struct", "text"},
}
_WORDS = {
    "text": "text",
    "bool": "yes/no values",
    "number": "numbers",
    "integer": "whole numbers",
    "list": "lists",
    "struct": "records",
}


def wrong_type(sheet: str, column: str, dtype: pa.DataType) -> str | None:
    """Why a native column cannot hold what it must, or None when its type fits."""
    wanted = _TYPES.get(sheet, {}).get(normalise_header(column))
    if wanted is None:
        return None
    kind = column_kind(dtype)
    if kind in _ACCEPTS[wanted]:
        return None
    holds = _WORDS.get(kind, f"{kind} values")
    if wanted == "date":
        need = "dates (text such as 2025-01-17, a DATE or a TIMESTAMP)"
    else:
        need = _WORDS.get(sorted(_ACCEPTS[wanted])[0], wanted)
        need = {"string": "text", LIST: "lists of ids (or text 'a; b')"}.get(wanted, need)
    return f"column {column!r} holds {holds} where {sheet} need {need}: the file is not read"


def native_dataset(
    tables: dict[str, tuple[pa.Table, str]],
    problems: Problems,
    title: str,
    meta: dict[str, Any] | None = None,
) -> Dataset:
    """A dataset from canonical tables read as Arrow tables, each with the path it came from."""
    meta = meta or {}
    fast = _columnar(tables, title, meta)
    if fast is not None:
        dataset, found = fast
        problems.extend(found)
        dataset.measures = meta.get("measures", ())
        return dataset
    read: dict[str, Table] = {}
    for sheet, (table, label) in tables.items():
        bad = [
            (name, why)
            for name, field in zip(table.column_names, table.schema, strict=True)
            if (why := wrong_type(sheet, name, field.type)) is not None
        ]
        for name, why in bad:
            problems.error(label, 0, name, why)
        if bad:
            if sheet == "events":
                return Dataset(title=title)
            continue
        read[sheet] = arrow_table(table, label, known=_TYPES.get(sheet, {}))
    dataset = build_dataset(read, problems, title, meta.get("description", ""))
    dataset.measures = meta.get("measures", ())
    return dataset


def _columnar(
    tables: dict[str, tuple[pa.Table, str]], title: str, meta: dict[str, Any]
) -> tuple[Dataset, Problems] | None:
    """The dataset with its events read as columns (event_columns), or None when any
    table needs the long way, which then reads them all and reports what it finds."""
    from ..event_columns import columnar_dataset

    if "events" not in tables or any(
        wrong_type(sheet, name, field.type) is not None
        for sheet, (table, _) in tables.items()
        for name, field in zip(table.column_names, table.schema, strict=True)
    ):
        return None
    events, label = tables["events"]
    events = events.drop_columns([c for c in DERIVED if c in events.column_names])
    others = {
        sheet: arrow_table(table, label, known=_TYPES.get(sheet, {}))
        for sheet, (table, label) in tables.items()
        if sheet != "events"
    }
    return columnar_dataset(
        events, others, title, meta.get("description", ""), label=label, header_row=0
    )


def arrow_table(table: pa.Table, label: str, known: Iterable[str] = ()) -> Table:
    """An Arrow table as the rows the builders read (row numbers 1-based, no header row).

    Columns other than ``known`` are the user's own: a row without a value in
    one (null) simply does not have it, as a JSON item without the key.
    """
    table = table.drop_columns([c for c in DERIVED if c in table.column_names])
    names = table.column_names
    keys = [normalise_header(n) for n in names]
    known = set(known)
    own = [i for i, key in enumerate(keys) if key not in known]
    items = table.to_pylist()
    if keys == names and not any(table.column(i).null_count for i in own):
        rows = list(enumerate(items, start=1))  # the items as they are: no copy
    else:
        pairs = list(zip(names, keys, strict=True))
        own_keys = {keys[i] for i in own}
        rows = [
            (
                number,
                {
                    key: item[name]
                    for name, key in pairs
                    if not (key in own_keys and item[name] is None)
                },
            )
            for number, item in enumerate(items, start=1)
        ]
    return Table(label, list(names), rows, header_row=0)


def foreign_dataset(table: pa.Table, label: str, title: str, problems: Problems) -> Dataset:
    """A table of events of any shape: its columns' roles found as for a CSV file."""
    from .plain_csv import table_dataset

    return table_dataset(arrow_table(plain_table(table, problems, label), label), problems, title)


def plain_table(table: pa.Table, problems: Problems, label: str) -> pa.Table:
    """The table with its point geometries as coordinates and without columns no cell
    can show (binary data)."""
    table = points_as_coordinates(table, problems, label)
    binary = [f.name for f in table.schema if column_kind(f.type) not in _PLAIN_KINDS]
    return table.drop_columns(binary) if binary else table


_PLAIN_KINDS = {"text", "bool", "integer", "number", "date", "list", "struct"}


# --- GeoParquet ------------------------------------------------------------


def geo_column(table: pa.Table) -> tuple[str, str] | None:
    """The primary geometry column of a GeoParquet table and its encoding, if any."""
    raw = (table.schema.metadata or {}).get(b"geo")
    try:
        geo = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(geo, dict):
        return None
    name = geo.get("primary_column")
    columns = geo.get("columns") or {}
    if not isinstance(name, str) or name not in table.column_names:
        return None
    info = columns.get(name) if isinstance(columns, dict) else None
    encoding = str((info or {}).get("encoding", "WKB")).lower()
    return name, encoding


def points_as_coordinates(table: pa.Table, problems: Problems, label: str) -> pa.Table:
    """A GeoParquet table with its point geometries as ``latitude``/``longitude`` columns."""
    found = geo_column(table)
    if found is None:
        return table
    import pyarrow as pa

    name, encoding = found
    column = table.column(name)
    if encoding == "point":  # GeoArrow's native points: a struct of x and y
        flat = column.combine_chunks()
        lon, lat = flat.field("x").to_pylist(), flat.field("y").to_pylist()
    else:
        lon, lat = wkb_points(column.to_pylist())
    missing = sum(1 for value in lat if value is None)
    if missing:
        problems.warning(
            label,
            0,
            name,
            f"{missing} of {len(lat)} geometries are not points (or are empty): "
            "those events are on the timeline only",
        )
    table = table.drop_columns([name])
    for column_name, values in (("latitude", lat), ("longitude", lon)):
        if column_name not in table.column_names:
            table = table.append_column(column_name, pa.array(values, pa.float64()))
    return table


def wkb_points(values: list[Any]) -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes of WKB points (2D, Z, M or ZM, either byte order); None
    for anything that is not one point."""
    import struct

    lons: list[float | None] = []
    lats: list[float | None] = []
    for value in values:
        x = y = None
        if isinstance(value, bytes) and len(value) >= 21:
            order = "<" if value[0] == 1 else ">"
            (kind,) = struct.unpack_from(f"{order}I", value, 1)
            # A point is type 1; ISO WKB adds 1000/2000/3000 for Z/M/ZM, EWKB sets
            # high bits for them and for an SRID, which then precedes the coordinates.
            offset = 9 if kind & 0x20000000 else 5
            if (kind & 0x0FFFFFFF) % 1000 == 1 and len(value) >= offset + 16:
                x, y = struct.unpack_from(f"{order}dd", value, offset)
                if x != x or y != y:  # NaN: an empty point
                    x = y = None
        lons.append(x)
        lats.append(y)
    return lons, lats


# --- writing ---------------------------------------------------------------


def _arrow_type(name: str) -> pa.DataType:
    import pyarrow as pa

    return {
        "string": pa.string(),
        "date": pa.string(),  # ISO text cut to its precision, as JSON writes it
        "bool": pa.bool_(),
        "double": pa.float64(),
        "int64": pa.int64(),
        LIST: pa.list_(pa.string()),
        "list<list<double>>": pa.list_(pa.list_(pa.float64())),
        "view": pa.struct([("lat", pa.float64()), ("lon", pa.float64()), ("zoom", pa.float64())]),
    }[name]


def sheet_table(sheet: str, items: list[dict[str, Any]]) -> pa.Table:
    """One canonical sheet's JSON items as an Arrow table: known columns typed, the
    user's own columns (an item's ``extra``) as text columns after them."""
    import pyarrow as pa

    types = _TYPES.get(sheet)
    own: dict[str, None] = {}
    for item in items:
        own.update(dict.fromkeys(item.get("extra") or {}))
    if types is None:  # a sheet this writer does not know yet: its values as they are
        return pa.Table.from_pylist([_flat(item) for item in items])
    columns = {name: [item.get(name) for item in items] for name in types}
    fields = [pa.field(name, _arrow_type(kind)) for name, kind in types.items()]
    for name in own:
        if name in columns:
            continue
        columns[name] = [(item.get("extra") or {}).get(name) for item in items]
        fields.append(pa.field(name, pa.string()))
    schema = pa.schema(fields)
    return pa.table([pa.array(columns[f.name], f.type) for f in schema], schema=schema)


def _flat(item: dict[str, Any]) -> dict[str, Any]:
    extra = item.get("extra") or {}
    return {**{k: v for k, v in item.items() if k != "extra"}, **extra}


def dataset_tables(dataset: Dataset) -> dict[str, pa.Table]:
    """The dataset's canonical tables, as written: the events with their derived spans."""
    import pyarrow as pa

    from ..spans import event_spans
    from .json_file import dataset_json

    doc = dataset_json(dataset)
    tables = {sheet: sheet_table(sheet, doc[sheet]) for sheet in _TYPES}
    lower, upper = event_spans(dataset.events)
    events = tables["events"]
    events = events.append_column("span_start", pa.array(lower, pa.float64()))
    events = events.append_column("span_end", pa.array(upper, pa.float64()))
    meta: dict[str, Any] = {"title": dataset.title, "description": dataset.description}
    if dataset.measures:
        meta["measures"] = list(dataset.measures)
    tables["events"] = events.replace_schema_metadata(
        {META_KEY: json.dumps(meta, ensure_ascii=False).encode()}
    )
    return tables


def write_parquet_dataset(dataset: Dataset, path: Path) -> list[Path]:
    """Write the canonical tables: the events at ``path``, the others beside it.
    The files are replaced together, or none is; the paths written are returned."""
    import pyarrow.parquet as pq

    if path.is_dir():
        raise IsADirectoryError(21, "is a folder: name a file such as events.parquet", str(path))
    writes: dict[Path, Callable[[Path], None]] = {}
    for sheet, table in dataset_tables(dataset).items():
        target = path if sheet == "events" else sibling(path, sheet)

        def write(tmp: Path, table: pa.Table = table) -> None:
            pq.write_table(table, tmp, compression="zstd")

        writes[target] = write
    # All the tables or none: a full disk must not leave new events with old places.
    atomic_write_all(writes)
    return list(writes)

"""Which columns of a source play which part: worked out once, used by every engine.

A source is either *native* (the canonical events table: dates as ISO text
or the derived ``span_start``/``span_end``, places as lists of ids into a
places table) or a *table of events* of any other shape (ACLED, a warehouse
table), whose columns' roles are found as the CSV reader finds them: from the
header names. Dates there may be text, DATE, TIMESTAMP or whole years.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..formats.parquet_file import column_kind, is_native_events, wrong_type
from ..records import normalise_header
from .query import EngineError

if TYPE_CHECKING:
    import pyarrow as pa

# How a date column is read: ISO text cut to its precision, a DATE, a TIMESTAMP
# (minute precision, or a day at midnight, as the CSV reader takes it), a year.
ISO, DATE, TIMESTAMP, YEAR = "iso", "date", "timestamp", "year"
_DATE_KINDS = {"text": ISO, "date": DATE, "integer": YEAR}


@dataclass(frozen=True)
class DateColumn:
    name: str
    how: str


@dataclass(frozen=True)
class Layout:
    native: bool
    start: DateColumn
    end: DateColumn | None
    # The derived span columns of a canonical table, used instead of the dates when there.
    spans: tuple[str, str] | None
    category: str | None
    id: str | None
    title: str | None
    # A table of events: where each row is (a place name and/or coordinates).
    place: str | None = None
    lat: str | None = None
    lon: str | None = None
    # Text columns a search looks in; lists of text (tags) are searched too.
    texts: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    # A native source: its lists of place ids and of source ids.
    places: str | None = None
    sources: str | None = None

    @property
    def has_coordinates(self) -> bool:
        return self.native or (self.lat is not None and self.lon is not None)


def _date_column(name: str, dtype: pa.DataType, label: str) -> DateColumn:
    import pyarrow.types as t

    if t.is_timestamp(dtype):
        return DateColumn(name, TIMESTAMP)
    how = _DATE_KINDS.get(column_kind(dtype))
    if how is None:
        raise EngineError(
            f"{label}: column {name!r} holds {dtype} values, not dates: "
            "the engine reads dates as ISO text (2025-01-17), DATE, TIMESTAMP or whole years"
        )
    return DateColumn(name, how)


def layout_of(schema: pa.Schema, label: str) -> Layout:
    """The layout of a source with this schema; EngineError (one line) when its
    columns cannot be read as events."""
    names = list(schema.names)
    by_key = {normalise_header(n): n for n in names}
    types = {n: schema.field(n).type for n in names}
    if is_native_events(names):
        for name in names:
            why = wrong_type("events", name, types[name])
            if why is not None:
                raise EngineError(f"{label}: {why}")
        if "start" not in by_key:
            raise EngineError(f"{label}: the events have no 'start' column")
        spans = ("span_start", "span_end") if {"span_start", "span_end"} <= set(names) else None
        end = by_key.get("end")
        texts = tuple(
            by_key[k] for k in ("id", "title", "summary", "category", "date_label") if k in by_key
        )
        lists = tuple(by_key[k] for k in ("tags", "places") if k in by_key)
        return Layout(
            native=True,
            start=_date_column(by_key["start"], types[by_key["start"]], label),
            end=_date_column(end, types[end], label) if end else None,
            spans=spans,
            category=by_key.get("category"),
            id=by_key.get("id"),
            title=by_key.get("title"),
            texts=texts,
            lists=lists,
            places=by_key.get("places"),
            sources=by_key.get("sources"),
        )
    roles = table_roles(list(by_key))
    column = {role: by_key[key] for role, key in roles.items() if key is not None}
    if "date" not in column:
        listed = ", ".join(names) or "none"
        raise EngineError(f"{label}: no column holds dates (columns: {listed}): name one Date")
    text_roles = ("id", "title", "summary", "category", "place", "country", "source")
    texts = tuple(dict.fromkeys(column[r] for r in text_roles if r in column))
    for role in ("lat", "lon"):
        if role in column and column_kind(types[column[role]]) not in ("number", "integer", "text"):
            raise EngineError(
                f"{label}: column {column[role]!r} holds {types[column[role]]} values, "
                "not coordinates"
            )
    return Layout(
        native=False,
        start=_date_column(column["date"], types[column["date"]], label),
        end=_date_column(column["end"], types[column["end"]], label) if "end" in column else None,
        spans=None,
        category=column.get("category"),
        id=column.get("id"),
        title=column.get("title"),
        place=column.get("place"),
        lat=column.get("lat"),
        lon=column.get("lon"),
        texts=texts,
    )


def table_roles(keys: list[str]) -> dict[str, Any]:
    """The role of each column of a table of events, as the CSV reader finds them
    (keys are normalised header names)."""
    from ..formats.plain_csv import plain_columns

    return plain_columns(keys)

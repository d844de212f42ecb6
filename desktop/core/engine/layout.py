"""Which columns of a source play which part: worked out once, used by every engine.

A source is either *native* (the canonical events table: dates as ISO text
or the derived ``span_start``/``span_end``, places as lists of ids into a
places table) or a *table of events* of any other shape (ACLED, a warehouse
table), whose columns' roles are found as the CSV reader finds them: from the
header names. Dates there may be text, DATE, TIMESTAMP or whole years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..formats.parquet_file import column_kind, is_native_events, wrong_type
from ..records import normalise_header
from .query import EngineError

if TYPE_CHECKING:
    import pyarrow as pa

# How a date column is read: ISO text cut to its precision, a DATE, a TIMESTAMP
# (minute precision, or a day at midnight, as the CSV reader takes it), a year.
ISO, DATE, TIMESTAMP, YEAR = "iso", "date", "timestamp", "year"
# Text dates of one fixed form that is not ISO ("31 May 2020", ACLED's), read as days
# with this strptime pattern (the same in Python and DuckDB).
PATTERN = "pattern"
DAY_PATTERNS = (
    "%d %B %Y",
    "%B %d, %Y",
    "%d %b %Y",
    "%b %d, %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d.%m.%Y",
    "%Y%m%d",
)
_ISO_TEXT = re.compile(r"\d{4}(-\d\d(-\d\d([T ]\d\d:\d\d(:\d\d)?)?)?)?")
_DATE_KINDS = {"text": ISO, "date": DATE, "integer": YEAR}


@dataclass(frozen=True)
class DateColumn:
    name: str
    how: str
    pattern: str = ""


def text_dates(column: DateColumn, values: list[object], label: str) -> DateColumn:
    """A text date column as the engine reads it: ISO, or one fixed form of day found in
    the first rows; EngineError (one line) for text it cannot read consistently."""
    texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if all(_ISO_TEXT.fullmatch(t) for t in texts):
        return column
    for pattern in DAY_PATTERNS:
        try:
            for text in texts:
                datetime.strptime(text, pattern)
        except ValueError:
            continue
        return DateColumn(column.name, PATTERN, pattern)
    odd = next(t for t in texts if not _ISO_TEXT.fullmatch(t))
    raise EngineError(
        f"{label}: column {column.name!r} holds dates written as {odd!r}, which the engine "
        "does not read: store dates as ISO text (2020-05-31), DATE or TIMESTAMP"
    )


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


def layout_of(schema: pa.Schema, label: str, sample: pa.Table | None = None) -> Layout:
    """The layout of a source with this schema (``sample``: its first rows, for finding
    the roles of a table of another shape by their values); EngineError (one line)
    when its columns cannot be read as events."""
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
    roles = table_roles(sample if sample is not None else schema.empty_table(), label)
    column = {role: by_key[key] for role, key in roles.items() if key in by_key}
    if "start" not in column and "year" in column and not {"month", "day"} & set(column):
        column["start"] = column["year"]
    if "start" not in column:
        from ..formats.roles import HEADER_NAMES, fold_header

        named = [n for n in names if fold_header(n) in HEADER_NAMES["start"]]
        if named:  # a column named for dates that does not hold them: say what it holds
            _date_column(named[0], types[named[0]], label)
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
    start = _date_column(column["start"], types[column["start"]], label)
    end = _date_column(column["end"], types[column["end"]], label) if "end" in column else None
    if sample is not None:
        if start.how == ISO:
            start = text_dates(start, sample.column(start.name).to_pylist(), label)
        if end is not None and end.how == ISO:
            end = text_dates(end, sample.column(end.name).to_pylist(), label)
    return Layout(
        native=False,
        start=start,
        end=end,
        spans=None,
        category=column.get("category"),
        id=column.get("id"),
        title=column.get("title"),
        place=column.get("place"),
        lat=column.get("lat"),
        lon=column.get("lon"),
        texts=texts,
    )


def table_roles(sample: pa.Table, label: str) -> dict[str, str]:
    """The column (normalised name) of each role of a table of events, found as the
    table reader finds them: by header names and by the values of the first rows."""
    from ..formats.parquet_file import arrow_table, plain_table
    from ..formats.roles import guess_mapping
    from ..problems import Problems

    mapping = guess_mapping(arrow_table(plain_table(sample, Problems(), label), label))
    return dict(mapping.roles)

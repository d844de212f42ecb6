"""The dataset's sheets, each declared once as a table of columns.

A column says its name in files, whether a row needs it, how a cell is read,
how the value is written back (as text for CSV files and workbooks, and as
JSON), which model field holds it, and whether the map page gets it. The
readers (``records.build_dataset`` and its short way, ``typed_rows``), the
writers (CSV folder, workbook, JSON) and the map page's records all work from
these tables: a column is added, renamed or retired here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from .cells import (
    CellError,
    cell_text,
    parse_bool,
    parse_float,
    parse_points,
    parse_view,
    split_list,
)
from .dates import parse_date
from .model import Citation, Dataset, Event, MapView, Place, PlaceKind, Source, StoryStep

# A whole column at once, value by value: writers convert a million cells per column.
Convert = Callable[[list[Any]], list[Any]]


def each(function: Callable[[Any], Any]) -> Convert:
    return lambda values: list(map(function, values))


def _isos(none: str | None) -> Convert:
    """Dates as ISO text (``none`` for no date), each distinct date object written once."""

    def convert(values: list[Any]) -> list[Any]:
        done: dict[int, str] = {}
        out: list[Any] = []
        for value in values:
            if value is None:
                out.append(none)
                continue
            text = done.get(id(value))
            if text is None:
                text = done[id(value)] = value.iso()
            out.append(text)
        return out

    return convert


def float_text(value: float | None) -> str:
    """The shortest text that reads back as the same number ("55.7558", "40")."""
    if value is None:
        return ""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def view_text(view: MapView | None) -> str:
    if view is None:
        return "fit"
    return ", ".join(float_text(v) for v in (view.lat, view.lon, view.zoom))


def _view_json(view: MapView | None) -> dict[str, float] | None:
    return None if view is None else {"lat": view.lat, "lon": view.lon, "zoom": view.zoom}


def _points_text(points: tuple[tuple[float, float], ...]) -> str:
    return "; ".join(f"{float_text(lat)}, {float_text(lon)}" for lat, lon in points)


def _place_kind(value: Any) -> PlaceKind:
    text = cell_text(value).lower() or PlaceKind.POINT.value
    try:
        return PlaceKind(text)
    except ValueError:
        raise CellError(f"kind {text!r} is not point, route or area") from None


@dataclass(frozen=True)
class Kind:
    """How a column's cells are read, and written back as text and as JSON.

    ``parse`` takes one cell as any reader gives it (text, a workbook's typed
    value, JSON) and raises CellError or DateError with what to fix. ``text``
    and ``json`` convert a whole column of values; None: the values are
    written as they are. ``arrow`` names the column's type in a Parquet file
    (formats.parquet_file), where values are stored as their JSON forms.
    """

    parse: Callable[[Any], Any]
    text: Convert | None = None
    json: Convert | None = None
    empty: Any = ""  # the value of an empty cell
    arrow: str = "string"


TEXT = Kind(cell_text)
CODE = Kind(lambda v: cell_text(v).upper())  # an ISO country code: upper case, however written
IDS = Kind(split_list, each("; ".join), each(list), (), "list<string>")
FLAG = Kind(parse_bool, each(lambda flag: "yes" if flag else ""), None, False, "bool")
DATE = Kind(lambda v: parse_date(cell_text(v)).date, _isos(""), _isos(None), None, "date")
LATITUDE = Kind(
    lambda v: parse_float(v, -90, 90, "latitude"), each(float_text), None, None, "double"
)
LONGITUDE = Kind(
    lambda v: parse_float(v, -180, 180, "longitude"), each(float_text), None, None, "double"
)
POINTS = Kind(
    parse_points,
    each(_points_text),
    each(lambda ps: [list(p) for p in ps]),
    (),
    "list<list<double>>",
)
VIEW = Kind(parse_view, each(view_text), each(_view_json), None, "view")
ORDER = Kind(lambda v: int(parse_float(v, 0, 1e6, "order")), each(str), None, 0, "int64")
PLACE_KIND = Kind(_place_kind, each(str), each(str), PlaceKind.POINT)


@dataclass(frozen=True)
class Column:
    name: str  # as in files, normalised (lower case, "_" between words)
    kind: Kind = TEXT
    # What a message calls the value when a row leaves it empty ("place name");
    # empty: the column is optional.
    required: str = ""
    # The sheet whose ids the column holds ("places"): each must exist there.
    refers: str = ""
    # The model field holding the value: "" is the column's own name; None,
    # none (a column worked out from others, written for readers' sake).
    model: str | None = ""
    # For a column with no model field: the value to write, from the item.
    derive: Callable[[Any], Any] | None = None
    # Written into CSV files and workbooks (False: JSON only).
    in_files: bool = True
    # Sent to the map page: "value" as JSON, "html" sanitised, "url" checked.
    page: str = ""

    @property
    def field(self) -> str | None:
        return self.name if self.model == "" else self.model

    def values(self, items: Sequence[Any]) -> list[Any]:
        """This column's value for each item."""
        if self.derive is not None:
            return list(map(self.derive, items))
        return list(map(attrgetter(str(self.field)), items))


@dataclass(frozen=True)
class Sheet:
    name: str
    item: str  # one row, as messages say it ("event")
    model: type | None
    fields: tuple[Column, ...]
    # Columns an older dataset may have that are no longer used, and why: they
    # are kept (and saved back) like any unknown column, with this warning.
    retired: tuple[tuple[str, str], ...] = ()
    columns: tuple[str, ...] = field(init=False)  # every column's name, in file order
    required: tuple[str, ...] = field(init=False)
    optional: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # derived once; the sheet stays frozen
        set_(self, "columns", tuple(c.name for c in self.fields))
        set_(self, "required", tuple(c.name for c in self.fields if c.required))
        set_(self, "optional", tuple(c.name for c in self.fields if not c.required))

    def column(self, name: str) -> Column:
        return next(c for c in self.fields if c.name == name)

    def page_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.fields if c.page)


_QUOTE_RETIRED = (
    "a source's one quote is kept but not shown: it cannot say which event it supports. "
    "Give each event its own quote in citations (event, source, quote, locator)"
)

# One table per sheet, a column a line in file order, laid out by hand.
# fmt: off
EVENTS = Sheet("events", "event", Event, (
    Column("id", required="event id", page="value"),
    Column("title", required="title", page="value"),
    # start, end, approximate and precision are read together (a range
    # in start, a stated precision that must match): records.build_events.
    Column("start", DATE, required="start date"),
    Column("end", DATE),
    # JSON states it for its readers; in a file it is only checked against start.
    Column("precision", model=None, derive=lambda e: e.precision.label, in_files=False),
    Column("date_label"),
    Column("approximate", FLAG, page="value"),
    Column("category", page="value"),
    Column("summary", page="html"),
    Column("places", IDS, refers="places", page="value"),
    Column("sources", IDS, refers="sources", page="value"),
    Column("confidence"),
    Column("tags", IDS),
    # Shown with the event: it says where background facts come from.
    Column("note", page="value"),
))

PLACES = Sheet("places", "place", Place, (
    Column("id", required="place id", page="value"),
    Column("name", required="place name", page="value"),
    Column("kind", PLACE_KIND, page="value"),
    Column("lat", LATITUDE, page="value"),
    Column("lon", LONGITUDE, page="value"),
    Column("points", POINTS, page="value"),
    Column("iso3", CODE, page="value"),
    Column("aliases", IDS),
    Column("note"),
))

SOURCES = Sheet("sources", "source", Source, (
    Column("id", required="source id", page="value"),
    Column("publisher", required="publisher", page="value"),
    # The page shows it as a reference does (payload.source_records: "heading").
    Column("title", required="source title"),
    Column("date", DATE, page="value"),
    Column("url", page="url"),
    Column("headline", FLAG, page="value"),
    Column("secondary", FLAG, page="value"),
    Column("note"),
), retired=(("quote", _QUOTE_RETIRED),))

CITATIONS = Sheet("citations", "citation", Citation, (
    Column("event", required="event id", refers="events", page="value"),
    Column("source", required="source id", refers="sources", page="value"),
    Column("quote", page="value"),
    Column("locator", page="value"),
    Column("note"),
))

STORY = Sheet("story", "step", StoryStep, (
    Column("order", ORDER, required="order"),
    Column("title", required="step title"),
    Column("caption"),
    Column("notes"),
    Column("events", IDS, refers="events"),
    Column("start", DATE),
    Column("end", DATE),
    Column("view", VIEW),
))

# fmt: on

# Rows of key and value: the dataset's own title and description.
META = Sheet(
    "meta", "key", None, (Column("key", required="key"), Column("value", required="value"))
)
META_KEYS = ("title", "description")

SHEETS: dict[str, Sheet] = {s.name: s for s in (EVENTS, PLACES, SOURCES, CITATIONS, STORY, META)}
# The order sheets are written in (and JSON's keys).
SHEET_ORDER = tuple(SHEETS)


# The sheets that hold the dataset's items (meta holds its title and description).
ITEM_SHEETS = (EVENTS, PLACES, SOURCES, CITATIONS, STORY)


def items_of(dataset: Dataset, sheet: Sheet) -> list[Any]:
    """The dataset's items of a sheet: each is the dataset's field of the sheet's name."""
    items = getattr(dataset, sheet.name)
    return list(items.values()) if isinstance(items, dict) else items


def text_rows(sheet: Sheet, items: Sequence[Any]) -> list[dict[str, str]]:
    """Each item as a row of text for a CSV file or a workbook, extra columns last."""
    columns = [c for c in sheet.fields if c.in_files]
    return _rows(items, columns, [c.kind.text for c in columns], _text_extra)


def json_rows(sheet: Sheet, items: Sequence[Any]) -> list[dict[str, Any]]:
    """Each item as a JSON object; extra columns in an ``extra`` object."""
    return _rows(items, sheet.fields, [c.kind.json for c in sheet.fields], _json_extra)


def _text_extra(row: dict[str, Any], pairs: tuple[tuple[str, str], ...]) -> None:
    row.update(pairs)


def _json_extra(row: dict[str, Any], pairs: tuple[tuple[str, str], ...]) -> None:
    row["extra"] = dict(pairs)


def _rows(
    items: Sequence[Any],
    columns: Iterable[Column],
    converters: list[Convert | None],
    add_extra: Callable[[dict[str, Any], tuple[tuple[str, str], ...]], None],
) -> list[dict[str, Any]]:
    # A column at a time: each converter runs over a whole column, not a cell.
    names = [c.name for c in columns]
    values = [
        c.values(items) if convert is None else convert(c.values(items))
        for c, convert in zip(columns, converters, strict=True)
    ]
    rows = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
    for row, item in zip(rows, items, strict=True):
        if item.extra:
            add_extra(row, item.extra)
    return rows


def header_for(sheet: str, rows: list[dict[str, str]]) -> list[str]:
    """A text sheet's header: its columns, then any extra ones the rows carry."""
    columns = [c.name for c in SHEETS[sheet].fields if c.in_files]
    known = set(columns)
    for row in rows:
        for key in row:
            if key not in known:
                known.add(key)
                columns.append(key)
    return columns


__all__ = [
    "CITATIONS",
    "EVENTS",
    "ITEM_SHEETS",
    "META",
    "META_KEYS",
    "PLACES",
    "SHEETS",
    "SHEET_ORDER",
    "SOURCES",
    "STORY",
    "Column",
    "Kind",
    "Sheet",
    "header_for",
    "items_of",
    "json_rows",
    "text_rows",
]

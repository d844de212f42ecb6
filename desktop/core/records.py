"""Turn sheets of rows (from CSV, a workbook or JSON) into the dataset model.

Every on-disk form is first read into ``Table``s: a header and rows of cell
values keyed by column name. One builder then checks and converts them, so
the three forms cannot drift apart in what they accept or how they report it.
Which columns a sheet has, and how each is read, is the sheet's table in
``schema``; the rules that tie columns together (a route needs points, a
citation's source must be one its event cites) are here. A row with an
error is left out of the model (the rest still opens); the problem names the
file, row and column to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from . import flags
from .cells import CellError, cell_text, parse_bool, parse_float, split_list
from .dates import DateError, Precision, check_order
from .model import Citation, Dataset, Event, Place, PlaceKind, Source, StoryStep
from .problems import Problems
from .schema import (
    CITATIONS,
    EVENTS,
    IDS,
    ITEM_SHEETS,
    META_KEYS,
    PLACES,
    SHEET_ORDER,
    SHEETS,
    SOURCES,
    STORY,
    TEXT,
    Column,
    Sheet,
    header_for,
    items_of,
    text_rows,
)
from .typed_rows import date_reader, typed_events

_SEPARATORS = re.compile(r"[\s\-]+")
# Every JSON item repeats its keys: normalise each distinct name once.
_NORMALISED: dict[Any, str] = {}


def normalise_header(name: Any) -> str:
    try:
        return _NORMALISED[name]
    except (KeyError, TypeError):
        pass
    result = _SEPARATORS.sub("_", str(name if name is not None else "").strip().lower())
    if isinstance(name, str) and len(_NORMALISED) < 10_000:
        _NORMALISED[name] = result
    return result


@dataclass
class Table:
    """One sheet as read: where it came from, its header as written, and its rows.

    ``rows`` holds (row number, {normalised column: value}) pairs; values are
    whatever the reader produced (text from CSV, typed cells from a workbook
    or JSON) and are converted by the builder.
    """

    path: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    header_row: int = 1
    # Written names of columns that are not in the header (JSON's "extra" objects).
    extra_names: dict[str, str] = field(default_factory=dict)

    def written(self, column: str) -> str:
        """The column's name as the user wrote it, for messages."""
        for name in self.header:
            if normalise_header(name) == column:
                return str(name)
        return self.extra_names.get(column, column)


class _RowReader:
    """Reads one row's cells, collecting problems instead of raising."""

    def __init__(self, table: Table, row: int, values: dict[str, Any], problems: Problems):
        self.table, self.row, self.values, self.problems = table, row, values, problems
        self.ok = True

    def error(self, column: str, message: str) -> None:
        self.ok = False
        self.problems.error(self.table.path, self.row, self.table.written(column), message)

    def warning(self, column: str, message: str) -> None:
        self.problems.warning(self.table.path, self.row, self.table.written(column), message)

    def text(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else cell_text(value)

    def required(self, column: str, what: str) -> str:
        value = self.text(column)
        if not value:
            self.error(column, f"{what} is empty: every row needs one")
        return value

    def convert[T](self, column: str, parse: Callable[[Any], T], default: T) -> T:
        if self.values.get(column) in (None, "", []):
            return default
        try:
            return parse(self.values[column])
        except (CellError, DateError) as exc:
            self.error(column, str(exc))
            return default

    def extra(self, sheet: Sheet) -> tuple[tuple[str, str], ...]:
        known = sheet.columns
        if all(k in known for k in self.values):  # the usual case, without building a tuple
            return ()
        return tuple(
            (self.table.written(k), cell_text(v)) for k, v in self.values.items() if k not in known
        )


def check_header(table: Table, sheet: Sheet, problems: Problems) -> bool:
    """Report missing and unknown columns; False when the sheet cannot be read at all."""
    present = [normalise_header(h) for h in table.header]
    seen: set[str] = set()
    for name, written in zip(present, table.header, strict=True):
        if not name:
            continue
        if name in seen:
            problems.error(
                table.path, table.header_row, str(written), f"column {written!r} appears twice"
            )
        seen.add(name)
        retired = dict(sheet.retired)
        if name in retired:
            problems.warning(table.path, table.header_row, str(written), retired[name])
        elif name not in sheet.columns:
            problems.warning(
                table.path,
                table.header_row,
                str(written),
                f"unknown column {written!r} is kept but not used; "
                f"known columns: {', '.join(sheet.columns)}",
            )
    missing = [c for c in sheet.required if c not in seen]
    for column in missing:
        problems.error(
            table.path,
            table.header_row,
            column,
            f"required column {column!r} is missing; add it to the header row "
            f"(required: {', '.join(sheet.required)})",
        )
    return not missing


def _unique(reader: _RowReader, seen: dict[str, int], what: str) -> str:
    ident = reader.required("id", f"{what} id")
    if ident and ident in seen:
        reader.error("id", f"duplicate {what} id {ident!r} (first used in row {seen[ident]})")
    elif ident:
        seen[ident] = reader.row
    return ident


def _references(r: _RowReader, column: Column, known: Collection[str]) -> Any:
    """The ids a cell names that exist in ``known`` (a tuple, or one id for a
    single-id column); each missing one is an error."""
    target = SHEETS[column.refers]
    if column.kind is IDS:
        ids = split_list(r.values.get(column.name))
    else:
        ident = r.required(column.name, column.required) if column.required else r.text(column.name)
        ids = (ident,) if ident else ()
    for ident in ids:
        if ident not in known:
            r.error(
                column.name,
                f"{target.item} id {ident!r} does not exist: add it to {target.name} or fix the id",
            )
    kept = tuple(i for i in ids if i in known)
    if column.kind is IDS:
        return kept
    return kept[0] if kept else ""


def _read(
    r: _RowReader,
    sheet: Sheet,
    known: Mapping[str, Collection[str]],
    seen: dict[str, int],
    skip: Collection[str] = (),
) -> dict[str, Any]:
    """A row's model fields, each column read as the sheet's table declares it."""
    values: dict[str, Any] = {}
    for column in sheet.fields:
        name = column.name
        if column.field is None or name in skip:
            continue
        if name == "id":
            value: Any = _unique(r, seen, sheet.item)
        elif column.refers:
            value = _references(r, column, known[column.refers])
        elif column.required:
            value = r.required(name, column.required)
            if column.kind is not TEXT:
                value = r.convert(name, column.kind.parse, column.kind.empty)
        else:
            value = r.convert(name, column.kind.parse, column.kind.empty)
        values[column.field] = value
    return values


Rule = Callable[[_RowReader, dict[str, Any]], None]


def _build(
    sheet: Sheet,
    table: Table,
    problems: Problems,
    known: Mapping[str, Collection[str]] | None = None,
    rule: Rule | None = None,
) -> list[Any]:
    """The sheet's rows as model items; ``rule`` checks what ties a row's columns together."""
    items = []
    seen: dict[str, int] = {}
    model = cast(Callable[..., Any], sheet.model)
    for row, values in table.rows:
        r = _RowReader(table, row, values, problems)
        fields = _read(r, sheet, known or {}, seen)
        if rule is not None:
            rule(r, fields)
        if r.ok:
            items.append(model(**fields, extra=r.extra(sheet)))
    return items


def _place_rule(r: _RowReader, v: dict[str, Any]) -> None:
    if not r.ok:
        return
    kind, lat, lon = v["kind"], v["lat"], v["lon"]
    if kind is PlaceKind.POINT and (lat is None or lon is None):
        r.error("lat" if lat is None else "lon", "a point place needs both lat and lon")
    if kind is PlaceKind.ROUTE and len(v["points"]) < 2:
        r.error("points", "a route needs at least two points: 'lat, lon; lat, lon'")
    if kind is PlaceKind.AREA and not re.fullmatch(r"[A-Z]{3}", v["iso3"]):
        r.error("iso3", "an area needs a three-letter ISO 3166 country code (e.g. AZE)")
    if (lat is None) != (lon is None):
        r.error("lat" if lat is None else "lon", "give both lat and lon, or neither")


def build_places(table: Table, problems: Problems) -> dict[str, Place]:
    return {p.id: p for p in _build(PLACES, table, problems, rule=_place_rule)}


def build_sources(table: Table, problems: Problems) -> dict[str, Source]:
    return {s.id: s for s in _build(SOURCES, table, problems)}


# Read together by build_events, not column by column.
_DATES = ("start", "end", "approximate", "precision")


def build_events(
    table: Table, places: dict[str, Place], sources: dict[str, Source], problems: Problems
) -> list[Event]:
    events: list[Event] = []
    seen: dict[str, int] = {}
    typed, complete = typed_events(
        [values for _, values in table.rows], EVENTS.columns, places, sources
    )
    if complete:
        return cast(list[Event], typed)  # complete: no None in it
    parse_once = date_reader()
    known: dict[str, Collection[str]] = {"places": places, "sources": sources}
    for (row, values), event in zip(table.rows, typed, strict=True):
        if event is not None and event.id not in seen:
            seen[event.id] = row
            events.append(event)
            continue
        r = _RowReader(table, row, values, problems)
        fields = _read(r, EVENTS, known, seen, skip=_DATES)
        start_text = r.required("start", "start date")
        parsed = r.convert("start", lambda v: parse_once(cell_text(v)), None)
        end = r.convert("end", lambda v: parse_once(cell_text(v)).date, None)
        approximate = r.convert("approximate", parse_bool, False)
        if parsed is not None:
            approximate = approximate or parsed.approximate
            if parsed.end is not None:
                if end is not None:
                    r.error("end", f"start {start_text!r} is already a range; leave end empty")
                end = parsed.end
            elif end is not None:
                try:
                    check_order(parsed.date, end)
                except DateError as exc:
                    r.error("end", str(exc))
            stated = r.text("precision").lower()
            if stated and stated != parsed.date.precision.label:
                r.warning(
                    "precision",
                    f"precision {stated!r} does not match start {parsed.date.iso()!r} "
                    f"({parsed.date.precision.label}); the start decides",
                )
        if r.ok and parsed is not None:
            events.append(
                Event(
                    **fields,
                    start=parsed.date,
                    end=end,
                    approximate=approximate,
                    extra=r.extra(EVENTS),
                )
            )
    return events


def build_citations(
    table: Table, events: Mapping[str, Event], sources: dict[str, Source], problems: Problems
) -> list[Citation]:
    first: dict[tuple[str, str], int] = {}

    def rule(r: _RowReader, v: dict[str, Any]) -> None:
        if not r.ok:
            return
        event, source = v["event"], v["source"]
        if source not in events[event].sources:
            r.error(
                "source",
                f"event {event!r} does not cite source {source!r}: "
                "add it to the event's sources, or fix the row",
            )
        elif (event, source) in first:
            r.error(
                "source",
                f"event {event!r} cites source {source!r} twice "
                f"(first in row {first[event, source]}): one quote for each pair",
            )
        else:
            first[event, source] = r.row

    return _build(CITATIONS, table, problems, {"events": events, "sources": sources}, rule)


def build_story(table: Table, event_ids: Collection[str], problems: Problems) -> list[StoryStep]:
    first: dict[int, int] = {}

    def rule(r: _RowReader, v: dict[str, Any]) -> None:
        order, start, end = v["order"], v["start"], v["end"]
        if r.text("order") and order in first:
            r.error("order", f"step {order} appears twice (first in row {first[order]})")
        elif r.text("order"):
            first[order] = r.row
        if start is not None and end is not None:
            try:
                check_order(start, end)
            except DateError as exc:
                r.error("end", str(exc))

    steps = _build(STORY, table, problems, {"events": event_ids}, rule)
    return sorted(steps, key=lambda s: s.order)


def read_meta(table: Table, problems: Problems) -> dict[str, str]:
    meta = {}
    for row, values in table.rows:
        key = cell_text(values.get("key")).lower()
        if key in ("title", "description"):
            meta[key] = cell_text(values.get("value"))
        elif key:
            problems.warning(table.path, row, table.written("key"), f"unknown meta key {key!r}")
    return meta


def check_evidence(table: Table, events: list[Event], problems: Problems) -> None:
    """Warn about what the audience would be shown wrongly: a confidence that is
    not one of the three words, a background event that does not say where its
    facts come from. The events load all the same."""
    rows: dict[str, int] | None = None
    for event, column, message in flags.evidence_problems(events):
        if rows is None:  # only once there is something to report
            rows = {cell_text(values.get("id")): row for row, values in table.rows}
        problems.warning(table.path, rows.get(event.id, 0), table.written(column), message)


# Builds the events from the places and sources, when they were read another way.
ReadEvents = Callable[[dict[str, Place], dict[str, Source]], Sequence[Event]]


def build_dataset(
    tables: dict[str, Table],
    problems: Problems,
    title: str = "",
    description: str = "",
    read_events: ReadEvents | None = None,
) -> Dataset:
    """Check and convert the sheets that were found; missing optional sheets are empty.

    ``read_events``, if given, builds the events instead of an events table
    (event_columns: the events read as columns)."""
    usable = {
        name: table
        for name, table in tables.items()
        if name in SHEETS and check_header(table, SHEETS[name], problems)
    }
    empty = Table("", [])
    meta = read_meta(usable["meta"], problems) if "meta" in usable else {}
    places = build_places(usable.get("places", empty), problems)
    sources = build_sources(usable.get("sources", empty), problems)
    if read_events is not None:
        events = read_events(places, sources)
    else:
        events_table = usable.get("events", empty)
        events = build_events(events_table, places, sources, problems)
        check_evidence(events_table, events, problems)
    # Events read as columns find an id without building the others.
    lazy_index = getattr(events, "index_by_id", None)
    by_id: Mapping[str, Event] = (
        lazy_index() if lazy_index is not None else {e.id: e for e in events}
    )
    citations = build_citations(usable.get("citations", empty), by_id, sources, problems)
    story = build_story(usable.get("story", empty), by_id.keys(), problems)
    return Dataset(
        title=meta.get("title", title),
        description=meta.get("description", description),
        events=events,
        places=places,
        sources=sources,
        story=story,
        citations=citations,
    )


# --- writing: the model back to rows of text -------------------------------


def dataset_rows(dataset: Dataset) -> dict[str, list[dict[str, str]]]:
    """Every sheet of the dataset as rows of text, in file order."""
    rows = {sheet.name: text_rows(sheet, items_of(dataset, sheet)) for sheet in ITEM_SHEETS}
    rows["meta"] = [{"key": key, "value": getattr(dataset, key)} for key in META_KEYS]
    return rows


__all__ = [
    "SHEETS",
    "SHEET_ORDER",
    "CellError",
    "Precision",
    "Table",
    "build_dataset",
    "cell_text",
    "dataset_rows",
    "header_for",
    "normalise_header",
    "parse_float",
]

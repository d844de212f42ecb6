"""Turn sheets of rows (from CSV, a workbook or JSON) into the dataset model.

Every on-disk form is first read into ``Table``s: a header and rows of cell
values keyed by column name. One builder then checks and converts them, so
the three forms cannot drift apart in what they accept or how they report it.
A row with an error is left out of the model (the rest still opens); the
problem names the file, row and column to fix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from .dates import DateError, PartialDate, Precision, check_order, parse_date
from .model import Dataset, Event, MapView, Place, PlaceKind, Source, StoryStep
from .problems import Problems
from .typed_rows import date_reader, typed_events


@dataclass(frozen=True)
class Sheet:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


SHEETS: dict[str, Sheet] = {
    s.name: s
    for s in (
        Sheet(
            "events",
            ("id", "title", "start"),
            (
                "end",
                "date_label",
                "approximate",
                "category",
                "summary",
                "places",
                "sources",
                "confidence",
                "tags",
                "note",
                "precision",
            ),
        ),
        Sheet(
            "places",
            ("id", "name"),
            ("kind", "lat", "lon", "points", "iso3", "aliases", "note"),
        ),
        Sheet("sources", ("id", "publisher", "title"), ("date", "url", "quote", "note")),
        Sheet(
            "story",
            ("order", "title"),
            ("caption", "notes", "events", "start", "end", "view"),
        ),
        Sheet("meta", ("key", "value"), ()),
    )
}
# The order sheets are written in, and the order references must be resolved in.
SHEET_ORDER = ("events", "places", "sources", "story", "meta")


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


def cell_text(value: Any) -> str:
    """A cell as text, undoing what spreadsheets do to numbers and dates."""
    if type(value) is str:  # by far the most common cell: checked first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.hour or value.minute:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def split_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        items = [cell_text(v) for v in value]
    else:
        items = re.split(r"[;,]", cell_text(value))
    return tuple(i.strip() for i in items if i.strip())


_TRUE = {"yes", "y", "true", "1", "x", "approximate", "approx"}
_FALSE = {"", "no", "n", "false", "0"}


class CellError(ValueError):
    pass


def parse_bool(value: Any) -> bool:
    text = cell_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"{cell_text(value)!r} is not yes or no")


def parse_float(value: Any, low: float, high: float, what: str) -> float:
    text = cell_text(value)
    try:
        number = float(text.replace("\u2212", "-"))
    except ValueError:
        raise CellError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise CellError(f"{what} {text} is out of range ({low:g} to {high:g})")
    return number


def parse_points(value: Any) -> tuple[tuple[float, float], ...]:
    if isinstance(value, list | tuple):
        pairs: list[Any] = list(value)
    else:
        pairs = [p for p in re.split(r";", cell_text(value)) if p.strip()]
    points = []
    for pair in pairs:
        parts = pair if isinstance(pair, list | tuple) else re.split(r"[,\s]+", pair.strip())
        if len(parts) != 2:
            raise CellError(
                f"route point {cell_text(pair)!r} is not 'lat, lon': "
                "write points as 'lat, lon; lat, lon; ...'"
            )
        points.append(
            (
                parse_float(parts[0], -90, 90, "latitude"),
                parse_float(parts[1], -180, 180, "longitude"),
            )
        )
    return tuple(points)


def parse_view(value: Any) -> MapView | None:
    if isinstance(value, dict):
        parts = [value.get("lat"), value.get("lon"), value.get("zoom")]
    else:
        text = cell_text(value)
        if text.lower() in ("", "fit"):
            return None
        parts = [p for p in re.split(r"[,\s]+", text) if p]
    if len(parts) != 3:
        raise CellError("view must be 'fit' or 'lat, lon, zoom' (e.g. 40.4, 49.9, 5)")
    return MapView(
        parse_float(parts[0], -90, 90, "latitude"),
        parse_float(parts[1], -180, 180, "longitude"),
        parse_float(parts[2], 0, 20, "zoom"),
    )


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
        if name not in sheet.columns:
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


def build_places(table: Table, problems: Problems) -> dict[str, Place]:
    sheet = SHEETS["places"]
    places: dict[str, Place] = {}
    seen: dict[str, int] = {}
    for row, values in table.rows:
        r = _RowReader(table, row, values, problems)
        ident = _unique(r, seen, "place")
        name = r.required("name", "place name")
        kind_text = r.text("kind").lower() or PlaceKind.POINT.value
        try:
            kind = PlaceKind(kind_text)
        except ValueError:
            r.error("kind", f"kind {kind_text!r} is not point, route or area")
            kind = PlaceKind.POINT
        lat = r.convert("lat", lambda v: parse_float(v, -90, 90, "latitude"), None)
        lon = r.convert("lon", lambda v: parse_float(v, -180, 180, "longitude"), None)
        points: tuple[tuple[float, float], ...] = r.convert("points", parse_points, ())
        iso3 = r.text("iso3").upper()
        if r.ok:
            if kind is PlaceKind.POINT and (lat is None or lon is None):
                r.error("lat" if lat is None else "lon", "a point place needs both lat and lon")
            if kind is PlaceKind.ROUTE and len(points) < 2:
                r.error("points", "a route needs at least two points: 'lat, lon; lat, lon'")
            if kind is PlaceKind.AREA and not re.fullmatch(r"[A-Z]{3}", iso3):
                r.error("iso3", "an area needs a three-letter ISO 3166 country code (e.g. AZE)")
            if (lat is None) != (lon is None):
                r.error("lat" if lat is None else "lon", "give both lat and lon, or neither")
        if r.ok:
            places[ident] = Place(
                ident,
                name,
                kind,
                lat,
                lon,
                points,
                iso3,
                split_list(values.get("aliases")),
                r.text("note"),
                r.extra(sheet),
            )
    return places


def build_sources(table: Table, problems: Problems) -> dict[str, Source]:
    sheet = SHEETS["sources"]
    sources: dict[str, Source] = {}
    seen: dict[str, int] = {}
    for row, values in table.rows:
        r = _RowReader(table, row, values, problems)
        ident = _unique(r, seen, "source")
        publisher = r.required("publisher", "publisher")
        title = r.required("title", "source title")
        when = r.convert("date", lambda v: parse_date(cell_text(v)).date, None)
        if r.ok:
            sources[ident] = Source(
                ident,
                publisher,
                title,
                when,
                r.text("url"),
                r.text("quote"),
                r.text("note"),
                r.extra(sheet),
            )
    return sources


def _references(
    r: _RowReader, column: str, known: Iterable[str], what: str, sheet_name: str
) -> tuple[str, ...]:
    ids = split_list(r.values.get(column))
    # Callers pass the dict of places or sources, or a set: look up in it directly.
    known_set = known if isinstance(known, dict | set | frozenset) else set(known)
    for ident in ids:
        if ident not in known_set:
            r.error(
                column,
                f"{what} id {ident!r} does not exist: add it to {sheet_name} or fix the id",
            )
    return tuple(i for i in ids if i in known_set)


_EVENT_COLUMNS = frozenset(SHEETS["events"].columns)


def build_events(
    table: Table, places: dict[str, Place], sources: dict[str, Source], problems: Problems
) -> list[Event]:
    sheet = SHEETS["events"]
    events: list[Event] = []
    seen: dict[str, int] = {}
    typed, complete = typed_events(
        [values for _, values in table.rows], _EVENT_COLUMNS, places, sources
    )
    if complete:
        return cast(list[Event], typed)  # complete: no None in it
    parse_once = date_reader()
    for (row, values), event in zip(table.rows, typed, strict=True):
        if event is not None and event.id not in seen:
            seen[event.id] = row
            events.append(event)
            continue
        r = _RowReader(table, row, values, problems)
        ident = _unique(r, seen, "event")
        title = r.required("title", "title")
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
        place_ids = _references(r, "places", places, "place", "places")
        source_ids = _references(r, "sources", sources, "source", "sources")
        if r.ok and parsed is not None:
            events.append(
                Event(
                    ident,
                    title,
                    parsed.date,
                    end,
                    approximate,
                    r.text("date_label"),
                    r.text("category"),
                    r.text("summary"),
                    place_ids,
                    source_ids,
                    r.text("confidence"),
                    split_list(values.get("tags")),
                    r.text("note"),
                    r.extra(sheet),
                )
            )
    return events


def build_story(table: Table, event_ids: set[str], problems: Problems) -> list[StoryStep]:
    sheet = SHEETS["story"]
    steps: list[StoryStep] = []
    seen: dict[int, int] = {}
    for row, values in table.rows:
        r = _RowReader(table, row, values, problems)
        order = r.convert("order", lambda v: int(parse_float(v, 0, 1e6, "order")), 0)
        if not r.text("order"):
            r.error("order", "order is empty: number the steps 1, 2, 3 ...")
        elif order in seen:
            r.error("order", f"step {order} appears twice (first in row {seen[order]})")
        else:
            seen[order] = row
        title = r.required("title", "step title")
        ids = _references(r, "events", event_ids, "event", "events")
        start = r.convert("start", lambda v: parse_date(cell_text(v)).date, None)
        end = r.convert("end", lambda v: parse_date(cell_text(v)).date, None)
        if start is not None and end is not None:
            try:
                check_order(start, end)
            except DateError as exc:
                r.error("end", str(exc))
        view = r.convert("view", parse_view, None)
        if r.ok:
            steps.append(
                StoryStep(
                    order,
                    title,
                    r.text("caption"),
                    r.text("notes"),
                    ids,
                    start,
                    end,
                    view,
                    r.extra(sheet),
                )
            )
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


def build_dataset(
    tables: dict[str, Table], problems: Problems, title: str = "", description: str = ""
) -> Dataset:
    """Check and convert the sheets that were found; missing optional sheets are empty."""
    usable = {
        name: table
        for name, table in tables.items()
        if name in SHEETS and check_header(table, SHEETS[name], problems)
    }
    empty = Table("", [])
    meta = read_meta(usable["meta"], problems) if "meta" in usable else {}
    places = build_places(usable.get("places", empty), problems)
    sources = build_sources(usable.get("sources", empty), problems)
    events = build_events(usable.get("events", empty), places, sources, problems)
    story = build_story(usable.get("story", empty), {e.id for e in events}, problems)
    return Dataset(
        title=meta.get("title", title),
        description=meta.get("description", description),
        events=events,
        places=places,
        sources=sources,
        story=story,
    )


# --- writing: the model back to rows of text -------------------------------


def _date_text(value: PartialDate | None) -> str:
    return value.iso() if value is not None else ""


def _fmt_float(value: float | None) -> str:
    return "" if value is None else f"{value:g}" if abs(value) >= 1e-4 else repr(value)


def event_row(e: Event) -> dict[str, str]:
    row = {
        "id": e.id,
        "title": e.title,
        "start": e.start.iso(),
        "end": _date_text(e.end),
        "date_label": e.date_label,
        "approximate": "yes" if e.approximate else "",
        "category": e.category,
        "summary": e.summary,
        "places": "; ".join(e.places),
        "sources": "; ".join(e.sources),
        "confidence": e.confidence,
        "tags": "; ".join(e.tags),
        "note": e.note,
    }
    row.update(dict(e.extra))
    return row


def place_row(p: Place) -> dict[str, str]:
    row = {
        "id": p.id,
        "name": p.name,
        "kind": p.kind.value,
        "lat": _fmt_float(p.lat),
        "lon": _fmt_float(p.lon),
        "points": "; ".join(f"{lat:g}, {lon:g}" for lat, lon in p.points),
        "iso3": p.iso3,
        "aliases": "; ".join(p.aliases),
        "note": p.note,
    }
    row.update(dict(p.extra))
    return row


def source_row(s: Source) -> dict[str, str]:
    row = {
        "id": s.id,
        "publisher": s.publisher,
        "title": s.title,
        "date": _date_text(s.date),
        "url": s.url,
        "quote": s.quote,
        "note": s.note,
    }
    row.update(dict(s.extra))
    return row


def view_text(view: MapView | None) -> str:
    return "fit" if view is None else f"{view.lat:g}, {view.lon:g}, {view.zoom:g}"


def story_row(s: StoryStep) -> dict[str, str]:
    row = {
        "order": str(s.order),
        "title": s.title,
        "caption": s.caption,
        "notes": s.notes,
        "events": "; ".join(s.events),
        "start": _date_text(s.start),
        "end": _date_text(s.end),
        "view": view_text(s.view),
    }
    row.update(dict(s.extra))
    return row


def dataset_rows(dataset: Dataset) -> dict[str, list[dict[str, str]]]:
    """Every sheet of the dataset as rows of text, in file order."""
    return {
        "events": [event_row(e) for e in dataset.events],
        "places": [place_row(p) for p in dataset.places.values()],
        "sources": [source_row(s) for s in dataset.sources.values()],
        "story": [story_row(s) for s in dataset.story],
        "meta": [
            {"key": "title", "value": dataset.title},
            {"key": "description", "value": dataset.description},
        ],
    }


def header_for(sheet: str, rows: list[dict[str, str]]) -> list[str]:
    columns = list(SHEETS[sheet].columns)
    if sheet == "events":
        columns.remove("precision")
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    return columns


__all__ = [
    "SHEETS",
    "SHEET_ORDER",
    "Precision",
    "Table",
    "build_dataset",
    "cell_text",
    "dataset_rows",
    "header_for",
    "normalise_header",
]

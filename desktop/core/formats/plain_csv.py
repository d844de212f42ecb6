"""A table of events of any shape: CSV/TSV text, or a workbook's sheet.

Each column's role (date, title, place, coordinates, category, measures ...)
is sniffed from its header and its values (``roles.py``); dates are read by
the tolerant parser, a column at a time (``date_columns.py``). A place is
optional: coordinates place an event, else a place name is looked up offline
in the gazetteer (only when the table has no coordinate columns), else the
event is on the timeline only. A name shared by several cities takes the most
populous and says so. Several places in one cell are separated by ";".
Numeric measures (fatalities, magnitude ...) are kept as extra columns under
their own names, and listed in ``Dataset.measures``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..date_columns import read_clock, sniff_dates
from ..dates import DateError, ParsedDate, PartialDate, Precision, check_order, parse_date
from ..model import Dataset, Event, StoryStep
from ..problems import Problem, Problems, Severity
from ..records import (
    CellError,
    Table,
    build_dataset,
    cell_text,
    normalise_header,
    parse_float,
    split_list,
)
from .gazetteer import Gazetteer, gazetteer
from .interop import (
    MappedTable,
    canonical_table,
    host_of,
    html_text,
    is_url,
    sanitise_html,
    short_title,
    slug,
    unique,
)
from .roles import ImportOptions, Mapping, fold_header, guess_mapping, read_sidecar, sidecar_path
from .sniff_text import detect_encoding, encoding_note, read_text_table, sniff_delimiter


class _Places:
    """Place names resolved once each, as rows of the places table."""

    def __init__(self, table: Table, problems: Problems, names: Callable[[], Gazetteer]):
        # The gazetteer is loaded on the first name looked up (half a second).
        self.source, self.problems, self._names = table, problems, names
        self.table = canonical_table(table.path, ("id", "name", "kind", "lat", "lon", "iso3"))
        self.resolved: dict[tuple[str, str], str | None] = {}
        self.used: set[str] = set()

    def _add(self, row: int, values: dict[str, Any]) -> str:
        ident = unique(slug(values["name"], f"place-{row}"), self.used)
        values["id"] = ident
        self.table.rows.append((row, values))
        return ident

    def at(self, row: int, name: str, lat: float, lon: float) -> str:
        key = (f"{name}@{lat},{lon}", "")
        if key not in self.resolved:
            self.resolved[key] = self._add(
                row, {"name": name or f"{lat}, {lon}", "lat": lat, "lon": lon}
            )
        return self.resolved[key] or ""

    def named(self, row: int, column: str, name: str, country: str) -> str | None:
        key = (name.casefold(), country.casefold())
        if key in self.resolved:
            return self.resolved[key]
        found = self._names().lookup(name, country)
        written = self.source.written(column)
        ident = None
        if found.unknown_country:
            self.problems.warning(
                self.source.path,
                row,
                written,
                f"country {found.unknown_country!r} is not known, so {name!r} was not looked up: "
                "the event is on the timeline only",
            )
        elif found.match is None:
            self.problems.warning(
                self.source.path,
                row,
                written,
                f"place {name!r} was not found in the gazetteer (countries, and cities of "
                "more than 15,000 people): the event is on the timeline only; add Lat and Lon "
                "columns, or check the spelling",
            )
        else:
            match = found.match
            if found.ambiguous:
                others = "; ".join(m.describe() for m in found.candidates[1:4])
                more = len(found.candidates) - 4
                self.problems.warning(
                    self.source.path,
                    row,
                    written,
                    f"{name!r} names {len(found.candidates)} places: chose the most populous, "
                    f"{match.describe()}; others: {others}{f' and {more} more' if more > 0 else ''}"
                    f". Write e.g. '{match.name}, {match.country}' to choose explicitly",
                )
            values: dict[str, Any] = {"name": match.name, "lat": match.lat, "lon": match.lon}
            if match.is_country:
                values.update(kind="area", iso3=match.iso3)
            ident = self._add(row, values)
        self.resolved[key] = ident
        return ident


_HEAD_BYTES = 4 * 1024 * 1024
_POINT = re.compile(r"^\s*POINT\s*(?:Z\s*)?\(\s*(\S+)\s+(\S+)(?:\s+\S+)?\s*\)\s*$", re.I)
_PAIR = re.compile(r"^\s*\(?\s*(-?[\d.]+)\s*[,;\s]\s*(-?[\d.]+)\s*\)?\s*$")
_DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+\s*$")


def number(value: Any, low: float, high: float, what: str) -> float:
    """A number from a cell, a decimal comma ("41,9") read as a point."""
    if isinstance(value, str) and _DECIMAL_COMMA.match(value):
        value = value.replace(",", ".")
    return parse_float(value, low, high, what)


def _coordinates(
    table: Table, row: int, values: dict[str, Any], mapping: Mapping, problems: Problems
) -> tuple[float, float] | None:
    """The row's (lat, lon) from whichever columns hold them; None (reported) when bad."""
    lat_col, lon_col = mapping.column("lat"), mapping.column("lon")
    pair_col, wkt_col = mapping.column("latlon"), mapping.column("wkt")
    try:
        if lat_col and lon_col:
            lat_text, lon_text = cell_text(values.get(lat_col)), cell_text(values.get(lon_col))
            if not lat_text and not lon_text:
                return None
            bad = lat_col
            lat = number(lat_text, -90, 90, "latitude")
            bad = lon_col
            return lat, number(lon_text, -180, 180, "longitude")
        if pair_col:
            bad = pair_col
            text = cell_text(values.get(pair_col))
            if not text:
                return None
            match = _PAIR.match(text)
            if not match:
                raise CellError(f"{text!r} is not 'lat, lon'")
            return number(match[1], -90, 90, "latitude"), number(match[2], -180, 180, "longitude")
        if wkt_col:
            bad = wkt_col
            text = cell_text(values.get(wkt_col))
            if not text:
                return None
            match = _POINT.match(text)
            if not match:
                raise CellError(f"{short_title(text, 40)!r} is not a WKT POINT (lon lat)")
            # WKT writes x (longitude) first.
            return number(match[2], -90, 90, "latitude"), number(match[1], -180, 180, "longitude")
    except CellError as exc:
        problems.warning(
            table.path,
            row,
            table.written(bad),
            f"{exc}: the event is on the timeline only",
        )
    return None


def _template(text: str, values: dict[str, str]) -> str:
    """A title from a preset's pattern, leaving out the parts a row has no value for."""
    parts = re.split(r"(\{[^}]+\})", text)
    out = []
    for part in parts:
        if part.startswith("{"):
            value = values.get(part[1:-1], "")
            out.append(value)
        else:
            out.append(part)
    joined = "".join(out)
    # A missing value leaves its separator dangling: drop it.
    joined = re.sub(r"^\s*(?:in|–|-)\s+|\s+(?:in|–|-)\s*$", "", joined)
    return re.sub(r"\s+–\s+–\s+", " – ", joined).strip()


class _Dates:
    """The row's start and end from the mapped columns."""

    def __init__(self, table: Table, mapping: Mapping, problems: Problems):
        self.table, self.mapping = table, mapping
        self.readers: dict[str, Any] = {}
        for role in ("start", "end"):
            key = mapping.column(role)
            if key:
                values = [row.get(key) for _, row in table.rows[:2000]]
                column = sniff_dates(values, mapping.order)
                self.readers[role] = column.reader()
                if column.note:
                    problems.append(
                        Problem(
                            table.path,
                            0,
                            table.written(key),
                            column.note,
                            Severity.NOTE,
                        )
                    )

    def start(self, values: dict[str, Any]) -> tuple[ParsedDate, str, str]:
        """(date, its words if rough, the column to blame) for one row; DateError if none."""
        mapping = self.mapping
        key = mapping.column("start")
        if key:
            raw = values.get(key)
            text = cell_text(raw)
            if not text:
                raise _Missing(key)
            try:
                parsed = self.readers["start"](raw)
            except DateError as exc:
                raise _Bad(key, str(exc)) from None
            time_key = mapping.column("time")
            if time_key and cell_text(values.get(time_key)) and parsed.end is None:
                parsed = self._with_time(parsed, values.get(time_key), time_key)
            return parsed, _words_of(text, parsed), key
        return self._from_parts(values)

    def _with_time(self, parsed: ParsedDate, value: Any, key: str) -> ParsedDate:
        day = parsed.date
        if day.precision is not Precision.DAY:
            return parsed
        try:
            hour, minute = read_clock(value)
        except DateError as exc:
            raise _Bad(key, str(exc)) from None
        return ParsedDate(
            PartialDate(day.year, day.month, day.day, hour, minute), parsed.approximate
        )

    def _from_parts(self, values: dict[str, Any]) -> tuple[ParsedDate, str, str]:
        mapping = self.mapping
        year_key = mapping.column("year") or ""
        year_text = cell_text(values.get(year_key))
        if not year_text:
            raise _Missing(year_key)
        parts = [year_text]
        for role in ("month", "day"):
            key = mapping.column(role)
            text = cell_text(values.get(key)) if key else ""
            if not text:
                break
            if role == "month" and not text.isdigit():
                parts.append(text)
                continue
            parts.append(text.zfill(2) if text.isdigit() else text)
        try:
            if len(parts) > 1 and not parts[1].isdigit():
                parsed = parse_date(" ".join(reversed(parts[1:])) + " " + parts[0])
            elif year_text.lstrip("+-−").isdigit() and len(parts) > 1:
                year = int(year_text.replace("−", "-"))
                sign = "-" if year < 0 else ""
                parsed = parse_date(f"{sign}{abs(year):04d}-" + "-".join(parts[1:]))
            else:
                parsed = parse_date(year_text)
        except DateError as exc:
            raise _Bad(year_key, str(exc)) from None
        time_key = mapping.column("time")
        if time_key and cell_text(values.get(time_key)):
            parsed = self._with_time(parsed, values.get(time_key), time_key)
        return parsed, "", year_key

    def end(self, values: dict[str, Any]) -> PartialDate | None:
        key = self.mapping.column("end")
        if not key or not cell_text(values.get(key)):
            return None
        try:
            parsed = self.readers["end"](values.get(key))
        except DateError as exc:
            raise _Bad(key, str(exc)) from None
        return parsed.end or parsed.date


class _Missing(Exception):
    def __init__(self, column: str):
        super().__init__(column)
        self.column = column


class _Bad(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def _words_of(text: str, parsed: ParsedDate) -> str:
    """The date as written, kept as the label when it says more than the dates do."""
    if parsed.approximate or (parsed.end is not None and re.search(r"[^\W\d]", text)):
        return text
    return ""


def table_dataset(
    table: Table, problems: Problems, title: str, options: ImportOptions | None = None
) -> Dataset:
    """A table of events of any shape: roles guessed (or chosen), rows read tolerantly."""
    mapping = guess_mapping(table, options)
    return mapped_dataset(table, mapping, problems, title)


def mapped_dataset(table: Table, mapping: Mapping, problems: Problems, title: str) -> Dataset:
    """Events from a table whose columns' roles are known.

    Events are built here directly (the values are checked on the way: dates,
    coordinates, ids made unique, references to places and sources made here),
    places and sources through the usual builder.
    """
    for note in mapping.notes:
        problems.append(Problem(table.path, 0, "-", note, Severity.NOTE))
    if not mapping.column("start") and not mapping.column("year"):
        listed = ", ".join(h for h in table.header if h) or "none"
        problems.error(
            table.path,
            table.header_row,
            "-",
            f"no column holds dates (columns: {short_title(listed, 200)}): name one Date, "
            "or choose it with --map start=COLUMN (or File > Import Table…)",
        )
        return Dataset(title=title)
    rows = _Rows(table, mapping, problems)
    events = [event for row, values in table.rows if (event := rows.event(row, values))]
    if rows.names is not None:
        rows.points.rows.extend(rows.names.table.rows)
    dataset = build_dataset({"places": rows.points, "sources": rows.sources}, problems, title)
    dataset.events = events
    dataset.measures = tuple(table.written(k) for k in mapping.measures)
    if mapping.preset is not None and mapping.preset.name == "story-map":
        dataset.story = _story_map_steps(table, events, rows.row_of, problems)
    return dataset


def _story_map_steps(
    table: Table, events: list[Event], rows_of: dict[str, int], problems: Problems
) -> list[StoryStep]:
    """A story map's stops as a briefing: one step per dated stop, in its position order,
    the map at the stop's own centre and zoom."""
    from ..records import build_story

    values_at = dict(table.rows)
    steps = canonical_table(table.path, ("order", "title", "events", "view"))
    steps.labels = {"order": table.written("position"), "view": table.written("zoom")}
    for event in events:
        row = rows_of[event.id]
        values = values_at[row]
        lat, lon, zoom = (cell_text(values.get(k)) for k in ("lat", "long", "zoom"))
        steps.rows.append(
            (
                row,
                {
                    "order": cell_text(values.get("position")) or str(row),
                    "title": event.title,
                    "events": [event.id],
                    "view": f"{lat}, {lon}, {zoom}" if lat and lon and zoom else "fit",
                },
            )
        )
    return build_story(steps, set(rows_of), problems)


# Native event columns a table may also have, kept in their own fields.
_NATIVE_TEXTS = ("confidence", "note")


class _Rows:
    """Turns a table's rows into events, collecting places and sources on the way."""

    def __init__(self, table: Table, mapping: Mapping, problems: Problems):
        self.table, self.mapping, self.problems = table, mapping, problems
        self.dates = _Dates(table, mapping, problems)
        column = mapping.column
        self.title_key, self.summary_key = column("title"), column("summary")
        self.place_key, self.country_key = column("place"), column("country")
        self.category_key, self.id_key, self.source_key = (
            column("category"),
            column("id"),
            column("source"),
        )
        self.has_point = bool(
            (column("lat") and column("lon")) or column("latlon") or column("wkt")
        )
        self.end_label = table.written(column("end") or "end")
        self.sources = canonical_table(table.path, ("id", "publisher", "title", "url"))
        self.sources.labels = {"url": table.written(self.source_key or "source")}
        self.names = (
            _Places(table, problems, gazetteer) if self.place_key and not self.has_point else None
        )
        self.points = canonical_table(table.path, ("id", "name", "kind", "lat", "lon", "iso3"))
        self.point_ids: dict[tuple[str, float, float], str] = {}
        self.coordinates: dict[tuple[Any, ...], tuple[float, float] | None] = {}
        self.used_places: set[str] = set()
        self.used_ids: set[str] = set()
        self.source_ids: dict[str, str] = {}
        self.used_sources: set[str] = set()
        self.measures = set(mapping.measures)
        used = set(mapping.roles.values())
        self.kept = {}  # column key -> its name as written, for the columns kept as extras
        for key in dict.fromkeys(normalise_header(h) for h in table.header):
            if key and key not in used and key not in _NATIVE_TEXTS and key != "tags":
                self.kept[key] = table.written(key)
        self.natives = [k for k in (*_NATIVE_TEXTS, "tags") if k not in used]
        folded = {fold_header(table.written(k)): k for k in self.kept | {k: k for k in used}}
        # The columns a preset's title is made of ("{sub_event_type} in {location}").
        wanted = re.findall(r"\{([^}]+)\}", mapping.preset.title) if mapping.preset else []
        self.template_keys = {name: folded[name] for name in wanted if name in folded}
        self.texts: dict[str, str] = {}
        self.row_of: dict[str, int] = {}  # each event's row, for what refers back to it

    def event(self, row: int, values: dict[str, Any]) -> Event | None:
        table, mapping, problems = self.table, self.mapping, self.problems
        try:
            parsed, words, _ = self.dates.start(values)
            end = self.dates.end(values)
        except _Missing as missing:
            problems.warning(
                table.path, row, table.written(missing.column), "no date: the row is left out"
            )
            return None
        except _Bad as bad:
            problems.error(table.path, row, table.written(bad.column), bad.message)
            return None
        start = parsed.date
        if end is not None and parsed.end is None:
            try:
                check_order(start, end)
            except DateError as exc:
                problems.error(table.path, row, self.end_label, str(exc))
                return None
        else:
            end = parsed.end
        summary = sanitise_html(cell_text(values.get(self.summary_key))) if self.summary_key else ""
        preset = mapping.preset
        if preset is not None and preset.title:
            texts = {f: cell_text(values.get(k)) for f, k in self.template_keys.items()}
            title = _template(preset.title, texts)
        else:
            title = html_text(cell_text(values.get(self.title_key))) if self.title_key else ""
        place_text = cell_text(values.get(self.place_key)) if self.place_key else ""
        if not title:
            title = short_title(html_text(summary)) or place_text or start.label()
        category = cell_text(values.get(self.category_key)) if self.category_key else ""
        if preset is not None and category in preset.categories:
            category = preset.categories[category]
        ident = cell_text(values.get(self.id_key)) if self.id_key else ""
        ident = unique(ident or slug(title, f"row-{row}"), self.used_ids)
        self.row_of[ident] = row
        source_text = cell_text(values.get(self.source_key)) if self.source_key else ""
        sources = (
            (_source(source_text, row, self.source_ids, self.used_sources, self.sources),)
            if source_text
            else ()
        )
        extras = []
        for key, name in self.kept.items():
            text = cell_text(values.get(key))
            if key in self.measures and text:
                try:
                    number(text, -1e300, 1e300, "measure")
                except CellError:
                    problems.warning(
                        table.path, row, name, "not a number: the measure is left empty"
                    )
                    text = ""
            if text or key in self.measures:
                extras.append((name, self._shared(text)))
        natives = {k: cell_text(values.get(k)) for k in self.natives}
        return Event(
            ident,
            title,
            start,
            end,
            parsed.approximate,
            words,
            self._shared(category),
            summary if summary != title else "",
            self._places(row, values, place_text, title),
            sources,
            natives.get("confidence", ""),
            split_list(natives.get("tags")),
            natives.get("note", ""),
            tuple(extras),
        )

    def _shared(self, text: str) -> str:
        """One string object per distinct short text (categories, measures): less memory."""
        return self.texts.setdefault(text, text) if len(text) < 40 else text

    def _places(self, row: int, values: dict[str, Any], place_text: str, title: str) -> tuple:
        table, mapping = self.table, self.mapping
        if self.has_point:
            cells = tuple(
                values.get(mapping.column(r) or "") for r in ("lat", "lon", "latlon", "wkt")
            )
            if cells in self.coordinates:
                point = self.coordinates[cells]
            else:
                point = _coordinates(table, row, values, mapping, self.problems)
                if len(self.coordinates) < 1 << 16:
                    self.coordinates[cells] = point
            if point is None:
                if any(cell_text(c) for c in cells):
                    return ()  # reported by _coordinates
                self.problems.warning(
                    table.path,
                    row,
                    table.written(mapping.column("lat") or mapping.column("latlon") or "-"),
                    "no coordinates: the event is on the timeline only",
                )
                return ()
            name = place_text or title
            key = (name, *point)
            ident = self.point_ids.get(key)
            if ident is None:
                ident = unique(slug(name, f"place-{row}"), self.used_places)
                self.point_ids[key] = ident
                self.points.rows.append(
                    (row, {"id": ident, "name": name, "lat": point[0], "lon": point[1]})
                )
            return (ident,)
        if self.names is None:
            return ()
        country = cell_text(values.get(self.country_key)) if self.country_key else ""
        found = []
        for name in (n.strip() for n in re.split(r"[;|]", place_text)):
            if name:
                ident = self.names.named(row, self.place_key or "place", name, country)
                if ident:
                    found.append(ident)
        return tuple(dict.fromkeys(found))


def _source(
    text: str, row: int, known: dict[str, str], used: set[str], sources: MappedTable
) -> str:
    if text not in known:
        ident = unique(slug(host_of(text) or text, "source"), used)
        known[text] = ident
        url = text if is_url(text) else ""
        name = host_of(text) if url else text
        sources.rows.append((row, {"id": ident, "publisher": name, "title": name, "url": url}))
    return known[text]


def load_plain_csv(path: Path, problems: Problems, options: ImportOptions | None = None) -> Dataset:
    """Any delimited text table of events; the choices remembered next to it are used."""
    options = file_options(path, problems, options)
    # The first rows tell whether any column holds dates: a large file of something
    # else is said to be so without reading all of it.
    head_problems = Problems()
    head = read_text_table(path, head_problems, head_only=True)
    if head is None:  # not text, or no header: the first rows say so
        problems.extend(head_problems)
        return Dataset(title=path.stem)
    if path.stat().st_size > _HEAD_BYTES:
        mapping = guess_mapping(head.table, options)
        if not mapping.column("start") and not mapping.column("year"):
            mapped_dataset(head.table, mapping, problems, path.stem)
            problems.extend(p for p in head_problems if p.is_error)
            return Dataset(title=path.stem)
    text = read_text_table(path, problems)
    if text is None:
        return Dataset(title=path.stem)
    note = encoding_note(text.encoding)
    if note:
        problems.append(Problem(str(path), 0, "-", note, Severity.NOTE))
    return table_dataset(text.table, problems, path.stem, options)


def file_options(
    path: Path, problems: Problems, options: ImportOptions | None
) -> ImportOptions | None:
    """The choices for a file: those remembered next to it, with ``options`` on top."""
    remembered, trouble = read_sidecar(path)
    if trouble:
        problems.warning(str(path), 0, "-", trouble)
    if remembered is None:
        return options
    return remembered if options is None else remembered.merged(options)


def sniff_plain_csv(path: Path, head: bytes) -> bool:
    """A text table that is not a native events sheet (those have ids, titles and starts)."""
    if sidecar_path(path).is_file():
        return True
    encoding = detect_encoding(head)
    if encoding is None:
        return False
    text = head.decode(encoding, errors="replace")
    if text.lstrip("\ufeff \t\r\n").startswith(("<", "{", "[")):
        return False  # XML or JSON: another format's, or nobody's
    line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(text)
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return False
    keys = {normalise_header(c) for c in cells if c.strip()}
    native = "places" in keys or {"id", "start"} <= keys or {"title", "start"} <= keys
    # Any other text is read here, so that what is not a table is said so in one line.
    return not native

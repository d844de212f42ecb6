"""Forensic Architecture timemap workbooks (the datasheet-server layout).

Sheets: Events (Description, Date, Time, Location, Association 1..n, Source,
Comments), Sites (Location, Lat, Long), Sources (ID, Title, Description,
Path 1..n, Type), Associations (ID, Description, Mode, Filter Path ...) and
Categories. Sites become places and events are placed by site name;
associations are sorted by their Mode: NARRATIVE ones become story steps,
FILTER ones tags (their filter path's last part), CATEGORY ones the category.

These workbooks are hand-kept, so what a timemap would skip is a warning here,
not a failure: a malformed time keeps the event on its day, an unknown site
keeps it on the timeline only, an undefined association or source is dropped.
Each warning names the cell (PATH#Sheet:ROW:COLUMN).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ..dates import DateError, PartialDate, parse_date
from ..model import Dataset
from ..problems import Problems
from ..records import CellError, Table, build_dataset, cell_text, normalise_header, parse_float
from .interop import canonical_table, host_of, is_url, short_title, slug, unique


def sniff_timemap(path: Path, head: bytes) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    from .workbook import workbook_sheet_names

    names = {normalise_header(n) for n in workbook_sheet_names(path)}
    # The current layout has Sites and Associations; the mid-2020 one Locations,
    # Narratives and Filters.
    return "events" in names and bool(names & {"sites", "associations", "locations", "narratives"})


@dataclass
class Association:
    ident: str
    mode: str
    title: str
    filter_path: tuple[str, ...]
    row: int


@dataclass
class Narrative:
    association: Association
    events: list[str] = field(default_factory=list)


def _column(table: Table, *names: str, prefix: str = "") -> str | None:
    """The first normalised column present among ``names`` (or starting with ``prefix``)."""
    keys = [normalise_header(h) for h in table.header]
    for name in names:
        if name in keys:
            return name
    if prefix:
        return next((k for k in keys if k.startswith(prefix)), None)
    return None


def _columns_starting(table: Table, prefix: str) -> list[str]:
    return [k for k in (normalise_header(h) for h in table.header) if k.startswith(prefix)]


# --- dates and times -------------------------------------------------------------

_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$")


def read_day(value: Any) -> PartialDate:
    """A timemap Date cell: a spreadsheet date, US "MM/DD/YYYY" text, or any date we read."""
    if isinstance(value, datetime | date):
        return PartialDate(value.year, value.month, value.day)
    text = cell_text(value)
    match = _US_DATE.match(text)
    if match:
        # timemap itself reads slashed dates month first.
        text = f"{match[3]}-{int(match[1]):02d}-{int(match[2]):02d}"
    parsed = parse_date(text)
    if parsed.end is not None:
        raise DateError(f"{text!r} is a range: a timemap event has one date (and a time)")
    return parsed.date


def read_time(value: Any) -> tuple[int, int]:
    """A Time cell as (hour, minute); CellError with advice when it is not a clock time."""
    if isinstance(value, datetime):
        return value.hour, value.minute
    if isinstance(value, time):
        return value.hour, value.minute
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 <= value < 1:
        # A time cell whose format was lost: Excel stores a time as a fraction of a day.
        minutes = round(value * 24 * 60)
        return divmod(minutes, 60) if minutes < 24 * 60 else (23, 59)
    text = cell_text(value)
    match = _CLOCK.match(text)
    if match and int(match[1]) <= 23 and int(match[2]) <= 59:
        return int(match[1]), int(match[2])
    hint = ""
    guess = re.fullmatch(r"(\d{1,2})[.,](\d{2})", text)
    if guess and int(guess[1]) <= 23 and int(guess[2]) <= 59:
        hint = f" (did you mean {int(guess[1]):02d}:{guess[2]}?)"
    raise CellError(
        f"time {text!r} is not a time{hint}: write it as HH:MM; the event is placed on its day only"
    )


# --- the sheets -------------------------------------------------------------------


def _raw_rows(sheet: Any, label: str, problems: Problems) -> list[tuple[int, list[Any]]]:
    """Every row of a sheet as a list, header included; unnamed columns are kept."""
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(v is not None and cell_text(v) for v in values):
                rows.append((number, list(values)))
    except Exception as exc:  # a damaged sheet must not take the app down
        problems.error(label, 0, "-", f"cannot read the sheet ({type(exc).__name__}: {exc})")
    return rows


def _sheet_rows(
    sheet: Any, path: Path, problems: Problems
) -> tuple[str, list[tuple[int, list[Any]]], list[str]]:
    """A sheet's label, its rows (header first) and its header's normalised names."""
    label = f"{path}#{sheet.title}"
    rows = _raw_rows(sheet, label, problems)
    return label, rows, [normalise_header(h) for h in rows[0][1]] if rows else []


def read_associations(sheet: Any, path: Path, problems: Problems) -> dict[str, Association]:
    label, rows, keys = _sheet_rows(sheet, path, problems)
    if not rows:
        return {}
    header_row, header = rows[0]
    written = {k: cell_text(h) for k, h in zip(keys, header, strict=True)}
    # The filter path runs on from its "Filter Path" column into the unnamed ones after it
    # (datasheet-server), or sits in numbered columns filter_path0, filter_path1 ... (exports).
    path_columns = [i for i, k in enumerate(keys) if k.startswith("filter_path")]
    if path_columns and len(path_columns) == 1:
        first = path_columns[0]
        path_columns = [first] + [
            i for i in range(first + 1, len(keys)) if not keys[i] or keys[i] == keys[first]
        ]
    id_at = keys.index("id") if "id" in keys else None
    if id_at is None:
        problems.error(label, header_row, "ID", "the Associations sheet has no 'ID' column")
        return {}
    mode_at = keys.index("mode") if "mode" in keys else None
    desc_at = next((keys.index(k) for k in ("description", "desc", "title") if k in keys), None)
    found: dict[str, Association] = {}
    for row, values in rows[1:]:
        cells = values + [None] * (len(keys) - len(values))
        ident = cell_text(cells[id_at])
        if not ident:
            continue
        mode = cell_text(cells[mode_at]).upper() if mode_at is not None else ""
        if mode not in ("FILTER", "NARRATIVE", "CATEGORY"):
            problems.warning(
                label,
                row,
                written.get("mode", "Mode"),
                f"mode {mode!r} of {ident!r} is not FILTER, NARRATIVE or CATEGORY: "
                "it is read as a FILTER (a tag)",
            )
            mode = "FILTER"
        if ident in found:
            problems.warning(
                label, row, written["id"], f"{ident!r} is defined twice; the first one is used"
            )
            continue
        filter_path = tuple(cell_text(cells[i]) for i in path_columns if cell_text(cells[i]))
        title = cell_text(cells[desc_at]) if desc_at is not None else ""
        found[ident] = Association(ident, mode, title.strip() or ident, filter_path, row)
    return found


def read_narratives(sheet: Any, path: Path, problems: Problems) -> dict[str, Association]:
    """The mid-2020 layout's Narratives sheet (ID, Label, Description) as NARRATIVE associations."""
    label, rows, keys = _sheet_rows(sheet, path, problems)
    if not rows:
        return {}
    header_row = rows[0][0]
    if "id" not in keys:
        problems.error(label, header_row, "ID", "the Narratives sheet has no 'ID' column")
        return {}
    id_at = keys.index("id")
    title_at = next((keys.index(k) for k in ("label", "title", "description") if k in keys), None)
    found: dict[str, Association] = {}
    for row, values in rows[1:]:
        cells = values + [None] * (len(keys) - len(values))
        ident = cell_text(cells[id_at])
        if not ident or ident in found:
            continue
        title = cell_text(cells[title_at]) if title_at is not None else ""
        found[ident] = Association(ident, "NARRATIVE", title or ident, (), row)
    return found


def read_sites(table: Table, problems: Problems) -> tuple[dict[str, str], Table]:
    """Site names (lower-cased) to place ids, and the places table to build."""
    places = canonical_table(table.path, ("id", "name", "kind", "lat", "lon", "note"))
    name_col = _column(table, "location", "site", "name", "title", "id")
    lat_col = _column(table, "lat", "latitude")
    lon_col = _column(table, "long", "lon", "lng", "longitude")
    note_col = _column(table, "comments", "description", "note")
    if name_col is None or lat_col is None or lon_col is None:
        problems.error(
            table.path,
            table.header_row,
            "-",
            "the Sites sheet needs 'Location', 'Lat' and 'Long' columns",
        )
        return {}, places
    places.labels = {
        "id": table.written(name_col),
        "name": table.written(name_col),
        "lat": table.written(lat_col),
        "lon": table.written(lon_col),
    }
    by_name: dict[str, str] = {}
    used: set[str] = set()
    for row, values in table.rows:
        name = cell_text(values.get(name_col))
        if not name:
            continue
        if name.lower() in by_name:
            problems.warning(
                table.path, row, table.written(name_col), f"site {name!r} is listed twice"
            )
            continue
        try:
            lat = parse_float(values.get(lat_col), -90, 90, "latitude")
            lon = parse_float(values.get(lon_col), -180, 180, "longitude")
        except CellError as exc:
            bad = lat_col if "latitude" in str(exc) else lon_col
            problems.warning(
                table.path,
                row,
                table.written(bad),
                f"{exc}: site {name!r} is left off the map, its events stay on the timeline",
            )
            continue
        ident = unique(slug(name, f"site-{row}"), used)
        by_name[name.lower()] = ident
        note = cell_text(values.get(note_col)) if note_col else ""
        places.rows.append((row, {"id": ident, "name": name, "lat": lat, "lon": lon, "note": note}))
    return by_name, places


def read_sources(table: Table, problems: Problems) -> tuple[set[str], Table]:
    sources = canonical_table(table.path, ("id", "publisher", "title", "url", "note"))
    id_col = _column(table, "id")
    if id_col is None:
        problems.error(table.path, table.header_row, "ID", "the Sources sheet has no 'ID' column")
        return set(), sources
    title_col = _column(table, "title", "name")
    type_col = _column(table, "type")
    note_col = _column(table, "description", "desc")
    path_cols = _columns_starting(table, "path")
    sources.labels = {"id": table.written(id_col)}
    if title_col:
        sources.labels["title"] = table.written(title_col)
    known: set[str] = set()
    for row, values in table.rows:
        ident = cell_text(values.get(id_col))
        if not ident or ident in known:
            continue
        paths = [cell_text(values.get(c)) for c in path_cols if cell_text(values.get(c))]
        url = next((p for p in paths if is_url(p)), "")
        kind = cell_text(values.get(type_col)) if type_col else ""
        title = cell_text(values.get(title_col)) if title_col else ""
        record: dict[str, Any] = {
            "id": ident,
            # timemap names no publisher: the site serving the material is the closest thing.
            "publisher": host_of(url) or kind or "not stated",
            "title": title or ident,
            "url": url,
            "note": cell_text(values.get(note_col)) if note_col else "",
        }
        if kind:
            record["Type"] = kind
        others = [p for p in paths if p != url]
        if others:
            record["Other paths"] = "; ".join(others)
        thumb = cell_text(values.get("thumbnail"))
        if thumb:
            record["Thumbnail"] = thumb
        sources.rows.append((row, record))
        known.add(ident)
    return known, sources


@dataclass
class _EventsContext:
    table: Table
    sites: dict[str, str]
    sources: set[str]
    associations: dict[str, Association]
    narratives: dict[str, Narrative]
    problems: Problems

    def warn(self, row: int, column: str, message: str) -> None:
        self.problems.warning(self.table.path, row, self.table.written(column), message)


def read_events(context: _EventsContext) -> Table:
    table, problems = context.table, context.problems
    columns = ("id", "title", "start", "category", "summary", "places", "sources", "tags", "note")
    events = canonical_table(table.path, columns)
    date_col = _column(table, "date", "start", "start_date")
    desc_col = _column(table, "description", "desc", "summary")
    if date_col is None:
        problems.error(
            table.path, table.header_row, "Date", "the Events sheet has no 'Date' column"
        )
        return events
    time_col = _column(table, "time")
    title_col = _column(table, "title", "headline")
    id_col = _column(table, "id")
    location_col = _column(table, "location", "site")
    category_col = _column(table, "category")
    comment_col = _column(table, "comments", "comment", "note", "notes")
    assoc_cols = _columns_starting(table, "association") + _columns_starting(table, "tag")
    # The mid-2020 layout: "Narrative 1..n" name narratives, "Filter 1..n" hold tags.
    assoc_cols += _columns_starting(table, "narrative") + _columns_starting(table, "filter")
    filter_cols = set(_columns_starting(table, "filter"))
    source_cols = _columns_starting(table, "source")
    events.labels = {
        "id": table.written(id_col or desc_col or date_col),
        "title": table.written(title_col or desc_col or date_col),
        "start": table.written(date_col),
        "places": table.written(location_col) if location_col else "Location",
        "sources": table.written(source_cols[0]) if source_cols else "Source",
    }
    used: set[str] = set()
    for row, values in table.rows:
        try:
            day = read_day(values.get(date_col))
        except DateError as exc:
            problems.error(table.path, row, table.written(date_col), str(exc))
            continue
        start = day
        if time_col and cell_text(values.get(time_col)):
            try:
                hour, minute = read_time(values.get(time_col))
                start = PartialDate(day.year, day.month, day.day, hour, minute)
            except CellError as exc:
                context.warn(row, time_col, str(exc))
        description = cell_text(values.get(desc_col)) if desc_col else ""
        title = cell_text(values.get(title_col)) if title_col else short_title(description)
        ident = cell_text(values.get(id_col)) if id_col else ""
        ident = unique(ident or f"event-{row - 1}", used)
        place = ""
        site = cell_text(values.get(location_col)) if location_col else ""
        if site:
            place = context.sites.get(site.lower(), "")
            if not place:
                context.warn(
                    row,
                    location_col or "location",
                    f"site {site!r} is not in the Sites sheet (or has no coordinates): "
                    "the event is on the timeline only",
                )
        source_ids = []
        for column in source_cols:
            for ident_text in re.split(r"[,;]", cell_text(values.get(column))):
                source = ident_text.strip()
                if not source:
                    continue
                if source in context.sources:
                    source_ids.append(source)
                else:
                    context.warn(
                        row, column, f"source {source!r} is not in the Sources sheet: left out"
                    )
        tags, category = [], cell_text(values.get(category_col)) if category_col else ""
        for column in assoc_cols:
            for name in re.split(r"[,;]", cell_text(values.get(column))):
                name = name.strip()
                if not name:
                    continue
                association = context.associations.get(name)
                if association is None and column in filter_cols:
                    tags.append(name)
                elif association is None:
                    context.warn(
                        row,
                        column,
                        f"association {name!r} is not defined in the Associations sheet: "
                        "left out (add it there with a Mode of FILTER, NARRATIVE or CATEGORY)",
                    )
                elif association.mode == "NARRATIVE":
                    narrative = context.narratives.setdefault(name, Narrative(association))
                    narrative.events.append(ident)
                elif association.mode == "CATEGORY":
                    category = category or association.ident
                else:
                    tags.append(association.filter_path[-1] if association.filter_path else name)
        summary = description if title != description else ""
        record = {
            "id": ident,
            "title": title or start.iso(),
            "start": start.iso(),
            "category": category,
            "summary": summary,
            "places": place,
            "sources": source_ids,
            "tags": list(dict.fromkeys(tags)),
            "note": cell_text(values.get(comment_col)) if comment_col else "",
        }
        events.rows.append((row, record))
    return events


def story_table(
    label: str, narratives: list[Narrative], starts: dict[str, str], problems: Problems
) -> Table:
    """One step per narrative, in the Associations sheet's order, its events in time order."""
    story = canonical_table(label, ("order", "title", "caption", "events", "start", "end"))
    story.labels = {"title": "Description", "events": "ID"}
    for order, narrative in enumerate(narratives, start=1):
        ids = sorted(narrative.events, key=lambda i: parse_date(starts[i]).date.sort_key())
        dates = [parse_date(starts[i]).date for i in ids]
        first = min(dates, key=PartialDate.lower_epoch)
        last = max(dates, key=PartialDate.upper_epoch)
        story.rows.append(
            (
                narrative.association.row,
                {
                    "order": order,
                    "title": narrative.association.title,
                    "caption": f"{len(ids)} event{'s' * (len(ids) != 1)}",
                    "events": ids,
                    "start": first.iso(),
                    "end": last.iso(),
                    "narrative": narrative.association.ident,
                },
            )
        )
    return story


def load_timemap(path: Path, problems: Problems) -> Dataset:
    from .workbook import open_workbook, sheet_table

    book = open_workbook(path, problems)
    if book is None:
        return Dataset(title=path.stem)
    try:
        by_name = {normalise_header(n): n for n in book.sheetnames}
        if "events" not in by_name:
            problems.error(str(path), 0, "-", "the workbook has no 'Events' sheet")
            return Dataset(title=path.stem)
        if "sites" not in by_name and "locations" in by_name:
            by_name["sites"] = by_name["locations"]
        tables = {
            name: sheet_table(path, book[by_name[name]], problems)
            for name in ("events", "sites", "sources")
            if name in by_name
        }
        if "associations" in by_name:
            associations = read_associations(book[by_name["associations"]], path, problems)
        elif "narratives" in by_name:
            associations = read_narratives(book[by_name["narratives"]], path, problems)
        else:
            associations = {}
    finally:
        book.close()
    empty = Table(str(path), [])
    sites, places = read_sites(tables["sites"], problems) if "sites" in tables else ({}, empty)
    known, sources = set[str](), empty
    if "sources" in tables:
        known, sources = read_sources(tables["sources"], problems)
    # Narratives are stepped through in the order the Associations sheet defines them.
    narratives = {a.ident: Narrative(a) for a in associations.values() if a.mode == "NARRATIVE"}
    context = _EventsContext(tables["events"], sites, known, associations, narratives, problems)
    events = read_events(context)
    starts = {values["id"]: values["start"] for _, values in events.rows}
    for narrative in narratives.values():
        if not narrative.events:
            problems.warning(
                f"{path}#Associations",
                narrative.association.row,
                "ID",
                f"narrative {narrative.association.ident!r} has no events: no story step made",
            )
    story = story_table(
        f"{path}#Associations",
        [n for n in narratives.values() if n.events],
        starts,
        problems,
    )
    sheets = {"places": places, "sources": sources, "events": events, "story": story}
    return build_dataset({k: v for k, v in sheets.items() if v.header}, problems, path.stem)

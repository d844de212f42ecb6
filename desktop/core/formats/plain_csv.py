"""A plain CSV of events with a date, a title and a place *name*: no ids, no coordinates.

The columns are recognised by their usual names (Date/When/Start, Title/Event/
Headline, Place/Location/City/Country, optional End, Description, Category,
Source/URL, Lat/Lon, ID). Place names are looked up offline in the gazetteer;
a row with Lat and Lon uses them instead. A name shared by several cities
takes the most populous and says so; a name not found is reported and the
event stays on the timeline. Several places in one cell are separated by ";".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..model import Dataset
from ..problems import Problems
from ..records import (
    SHEETS,
    CellError,
    Table,
    build_dataset,
    cell_text,
    normalise_header,
    parse_float,
)
from .gazetteer import Gazetteer, gazetteer
from .interop import MappedTable, canonical_table, host_of, is_url, slug, unique

DATE_NAMES = ("date", "start", "start_date", "when", "day", "datetime")
END_NAMES = ("end", "end_date", "until")
TITLE_NAMES = ("title", "event", "headline", "what", "name", "label")
PLACE_NAMES = ("place", "place_name", "placename", "location", "city", "where", "site", "town")
COUNTRY_NAMES = ("country",)
LAT_NAMES = ("lat", "latitude")
LON_NAMES = ("lon", "lng", "long", "longitude")
SUMMARY_NAMES = ("description", "summary", "text", "details")
CATEGORY_NAMES = ("category", "type", "group")
SOURCE_NAMES = ("source", "url", "link")


def _find(keys: list[str], names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in keys), None)


def plain_columns(keys: list[str]) -> dict[str, str | None]:
    """The role each recognised column plays; a Country column alone is the place."""
    roles = {
        "date": _find(keys, DATE_NAMES),
        "end": _find(keys, END_NAMES),
        "title": _find(keys, TITLE_NAMES),
        "place": _find(keys, PLACE_NAMES),
        "country": _find(keys, COUNTRY_NAMES),
        "lat": _find(keys, LAT_NAMES),
        "lon": _find(keys, LON_NAMES),
        "summary": _find(keys, SUMMARY_NAMES),
        "category": _find(keys, CATEGORY_NAMES),
        "source": _find(keys, SOURCE_NAMES),
        "id": "id" if "id" in keys else None,
    }
    if roles["place"] is None and roles["country"] is not None:
        roles["place"], roles["country"] = roles["country"], None
    return roles


def sniff_plain_csv(path: Path, head: bytes) -> bool:
    from .timelinejs import header_names

    keys = sorted(header_names(head))
    roles = plain_columns(keys)
    # A native events sheet has ids and a start, and names its places by id in "places".
    native = "places" in keys or {"id", "start"} <= set(keys)
    return all(roles[r] for r in ("date", "title", "place")) and not native


class _Places:
    """Place names resolved once each, as rows of the places table."""

    def __init__(self, table: Table, problems: Problems, names: Gazetteer):
        self.source, self.problems, self.names = table, problems, names
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
        found = self.names.lookup(name, country)
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


def _coordinates(
    table: Table, row: int, values: dict[str, Any], roles: dict[str, str | None], problems: Problems
) -> tuple[float, float] | None:
    lat_col, lon_col = roles["lat"], roles["lon"]
    if not lat_col or not lon_col:
        return None
    lat_text, lon_text = cell_text(values.get(lat_col)), cell_text(values.get(lon_col))
    if not lat_text and not lon_text:
        return None
    try:
        return (
            parse_float(lat_text, -90, 90, "latitude"),
            parse_float(lon_text, -180, 180, "longitude"),
        )
    except CellError as exc:
        bad = lat_col if "latitude" in str(exc) else lon_col
        problems.warning(table.path, row, table.written(bad), f"{exc}: the place name is used")
        return None


def plain_dataset(table: Table, problems: Problems, title: str) -> Dataset:
    keys = [normalise_header(h) for h in table.header]
    roles = plain_columns(keys)
    missing = [r for r in ("date", "title") if roles[r] is None]
    if missing:
        problems.error(
            table.path,
            table.header_row,
            "-",
            f"no {' or '.join(missing)} column: name them Date and Title",
        )
        return Dataset(title=title)
    mapping = {
        "start": roles["date"],
        "end": roles["end"],
        "title": roles["title"],
        "places": roles["place"],
        "summary": roles["summary"],
        "category": roles["category"],
        "sources": roles["source"],
        "id": roles["id"] or roles["title"],
    }
    labels = {k: table.written(v) for k, v in mapping.items() if v}
    events: MappedTable = canonical_table(table.path, tuple(labels), labels)
    sources = canonical_table(table.path, ("id", "publisher", "title", "url"))
    sources.labels = {"url": labels.get("sources", "source")}
    places = _Places(table, problems, gazetteer())
    known = {c for c in roles.values() if c}
    used_ids: set[str] = set()
    source_ids: dict[str, str] = {}
    for row, values in table.rows:
        record: dict[str, Any] = {
            canonical: values.get(column) for canonical, column in mapping.items() if column
        }
        title_text = cell_text(values.get(roles["title"] or ""))
        record["id"] = unique(
            cell_text(values.get(roles["id"] or "")) or slug(title_text, f"row-{row}"), used_ids
        )
        place_ids: list[str] = []
        place_text = cell_text(values.get(roles["place"] or ""))
        country = cell_text(values.get(roles["country"] or "")) if roles["country"] else ""
        point = _coordinates(table, row, values, roles, problems)
        if point is not None:
            place_ids.append(places.at(row, place_text, *point))
        else:
            for name in (n.strip() for n in re.split(r"[;|]", place_text)):
                if name:
                    ident = places.named(row, roles["place"] or "place", name, country)
                    if ident:
                        place_ids.append(ident)
        record["places"] = list(dict.fromkeys(place_ids))
        source_text = cell_text(values.get(roles["source"] or ""))
        if source_text:
            if source_text not in source_ids:
                ident = unique(
                    slug(host_of(source_text) or source_text, "source"), set(source_ids.values())
                )
                source_ids[source_text] = ident
                url = source_text if is_url(source_text) else ""
                name = host_of(source_text) if url else source_text
                sources.rows.append(
                    (row, {"id": ident, "publisher": name, "title": name, "url": url})
                )
            record["sources"] = source_ids[source_text]
        for key, value in values.items():
            if key in known:
                continue
            if key in SHEETS["events"].columns and key not in record:
                # A column the native sheet knows (confidence, tags, note ...) keeps its meaning.
                record[key] = value
                events.labels[key] = table.written(key)
            else:
                record[table.written(key)] = value
        events.rows.append((row, record))
    return build_dataset(
        {"places": places.table, "sources": sources, "events": events}, problems, title
    )


def load_plain_csv(path: Path, problems: Problems) -> Dataset:
    from .csv_folder import read_csv_table

    table = read_csv_table(path, problems)
    if table is None:
        return Dataset(title=path.stem)
    return plain_dataset(table, problems, path.stem)

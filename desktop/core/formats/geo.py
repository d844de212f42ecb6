"""GeoJSON FeatureCollections and KML (Google Earth) files with times.

Each feature or placemark becomes a place (a point, or a route for a line)
and, when it has a time, an event at that place. Times come from the
properties ``start``/``end`` (also ``begin``, ``date``, ``time``,
``timestamp``, ``when``; epoch numbers are read as UTC) or from KML's
``TimeStamp``/``TimeSpan``. A polygon is kept as its centre point (the map
draws areas only for countries), with a warning. A feature without a time is
kept as a place and reported.

``to_geojson`` and ``to_kml`` write a dataset back, one feature or placemark
per event, with what the geometry cannot hold (ids, precision-cut dates,
sources) in properties or ExtendedData, so a file written here reads back to
the same events.

KML is parsed with defusedxml: entity expansion and external references are
refused, and a malformed file is an error naming its line and column.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from ..atomic import atomic_write_bytes
from ..date_columns import read_clock
from ..dates import DateError, PartialDate, Precision, check_order, parse_date
from ..model import Dataset, Event, Place, PlaceKind
from ..problems import Problems
from ..records import CellError, parse_float
from .interop import canonical_table, html_text, sanitise_html, slug, text_of, unique

KML_NS = "http://www.opengis.net/kml/2.2"

START_KEYS = ("start", "begin", "start_date", "date", "time", "timestamp", "when", "datetime")
END_KEYS = ("end", "end_date", "until", "finish")
TITLE_KEYS = ("title", "name", "headline", "label")
SUMMARY_KEYS = ("description", "summary", "text", "desc")
PLACE_KEYS = ("place", "place_name", "location", "site")
# Properties read into fields; anything else is kept as an extra column.
_USED = set(START_KEYS + END_KEYS + TITLE_KEYS + SUMMARY_KEYS + PLACE_KEYS) | {
    "id",
    "category",
    "group",
    "tags",
    "date_label",
    "approximate",
    "confidence",
    "note",
    "places",
    "sources",
}


# --- sniffing ----------------------------------------------------------------------

_GEOJSON = re.compile(rb'"type"\s*:\s*"(FeatureCollection|Feature)"')


def sniff_geojson(path: Path, head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped.startswith(b"{") and _GEOJSON.search(head) is not None


def sniff_kml(path: Path, head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped.startswith(b"<") and (b"<kml" in head[:4096] or b"opengis.net/kml" in head)


# --- geometry ----------------------------------------------------------------------


@dataclass
class Shape:
    """One place drawn by a geometry: a point or a route, as (lat, lon)."""

    kind: PlaceKind
    lat: float | None = None
    lon: float | None = None
    points: tuple[tuple[float, float], ...] = ()
    from_polygon: bool = False


def _position(pair: Any) -> tuple[float, float]:
    """A GeoJSON/KML position [lon, lat, (alt)] as (lat, lon), checked."""
    if not isinstance(pair, list | tuple) or len(pair) < 2:
        raise CellError(f"position {pair!r} is not [longitude, latitude]")
    lon = parse_float(pair[0], -180, 180, "longitude")
    lat = parse_float(pair[1], -90, 90, "latitude")
    return lat, lon


def _centre(ring: list[tuple[float, float]]) -> Shape:
    if not ring:
        raise CellError("a polygon has no coordinates")
    lats = [p[0] for p in ring]
    lons = [p[1] for p in ring]
    lat = (min(lats) + max(lats)) / 2
    lon = (min(lons) + max(lons)) / 2
    return Shape(PlaceKind.POINT, round(lat, 6), round(lon, 6), from_polygon=True)


def geojson_shapes(geometry: Any, depth: int = 0) -> list[Shape]:
    """The places a GeoJSON geometry draws; CellError when a coordinate is bad."""
    if geometry is None:
        return []
    if not isinstance(geometry, dict) or depth > 8:
        raise CellError("geometry is not a GeoJSON geometry object")
    kind = geometry.get("type")
    coords: Any = geometry.get("coordinates")
    try:
        if kind == "Point":
            lat, lon = _position(coords)
            return [Shape(PlaceKind.POINT, lat, lon)]
        if kind == "MultiPoint":
            return [Shape(PlaceKind.POINT, *_position(c)) for c in coords]
        if kind == "LineString":
            return [_route([_position(c) for c in coords])]
        if kind == "MultiLineString":
            return [_route([_position(c) for c in line]) for line in coords]
        if kind == "Polygon":
            return [_centre([_position(c) for c in coords[0]])]
        if kind == "MultiPolygon":
            return [_centre([_position(c) for c in poly[0]]) for poly in coords]
        if kind == "GeometryCollection":
            parts = geometry.get("geometries")
            if not isinstance(parts, list):
                raise CellError("a GeometryCollection needs a 'geometries' list")
            return [s for part in parts for s in geojson_shapes(part, depth + 1)]
    except (TypeError, IndexError, KeyError):
        raise CellError(
            f"the {kind} geometry's coordinates are not nested as GeoJSON says"
        ) from None
    raise CellError(f"geometry type {kind!r} is not a GeoJSON geometry")


def _route(points: list[tuple[float, float]]) -> Shape:
    if len(points) == 1:
        return Shape(PlaceKind.POINT, points[0][0], points[0][1])
    if not points:
        raise CellError("a line has no coordinates")
    return Shape(PlaceKind.ROUTE, points=tuple(points))


# --- one feature, from either format -----------------------------------------------


@dataclass
class Feature:
    """A feature or placemark: where it is in the file, its properties and its shapes."""

    row: int
    props: dict[str, Any]
    shapes: list[Shape] = field(default_factory=list)
    # The property (or KML element) each field came from, for messages.
    start_key: str = "start"
    end_key: str = "end"


def _pick(props: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any]:
    for key in keys:
        value = props.get(key)
        if value not in (None, "", []):
            return key, value
    return "", None


def read_time(value: Any) -> PartialDate:
    """A time property: ISO or written date text, or epoch seconds or milliseconds (UTC)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            moment = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise DateError(f"timestamp {value!r} is out of range") from None
        return PartialDate(moment.year, moment.month, moment.day, moment.hour, moment.minute)
    parsed = parse_date(text_of(value))
    if parsed.end is not None:
        raise DateError(f"{text_of(value)!r} is a range: give start and end separately")
    return parsed.date


@dataclass
class _Builder:
    """Collects places, sources and events from features into canonical tables."""

    label: str
    problems: Problems
    events: Any = None
    places: Any = None
    sources: Any = None
    place_keys: dict[tuple[Any, ...], str] = field(default_factory=dict)
    used_events: set[str] = field(default_factory=set)
    used_places: set[str] = field(default_factory=set)
    # Properties found to hold the date, its time of day, the place name and
    # measures, when the file does not use the usual names (see guess_properties).
    date_key: str = ""
    clock_key: str = ""
    place_key: str = ""
    measures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.events = canonical_table(
            self.label,
            ("id", "title", "start", "end", "date_label", "approximate", "category", "summary"),
            {"start": "start", "end": "end"},
        )
        self.places = canonical_table(self.label, ("id", "name", "kind", "lat", "lon", "points"))
        self.sources = canonical_table(self.label, ("id", "publisher", "title", "url", "date"))

    def place_ids(self, feature: Feature, default_name: str) -> list[str]:
        described = next((v for k, v in feature.props.items() if k.lower() == "places"), None)
        described = described if isinstance(described, list) else []
        # Places written by to_geojson/to_kml describe themselves; the mapped ones, in order,
        # match the geometries. A foreign file has only the geometry and maybe a name.
        mapped = [d for d in described if isinstance(d, dict) and d.get("mapped", True)]
        unmapped = [d for d in described if isinstance(d, dict) and not d.get("mapped", True)]
        ids = []
        for index, shape in enumerate(feature.shapes):
            info = mapped[index] if index < len(mapped) else {}
            ids.append(self._place(feature.row, shape, info, default_name, len(feature.shapes)))
        for info in unmapped:
            ids.append(self._place(feature.row, None, info, default_name, 1))
        return list(dict.fromkeys(ids))

    def _place(
        self, row: int, shape: Shape | None, info: dict[str, Any], name: str, count: int
    ) -> str:
        name = text_of(info.get("name")) or name
        kind = text_of(info.get("kind")) or (shape.kind.value if shape else "area")
        iso3 = text_of(info.get("iso3"))
        if shape is not None and shape.from_polygon:
            self.problems.warning(
                self.label,
                row,
                "geometry",
                f"polygon {name!r} is kept as its centre point: the map draws areas "
                "only for countries (give iso3 and kind 'area' in the places sheet for that)",
            )
        if shape is not None and shape.kind is PlaceKind.ROUTE:
            kind = "route"
        elif kind == "route":
            kind = "point"
        key: tuple[Any, ...] = (name, kind, iso3)
        key += (shape.lat, shape.lon, shape.points) if shape else (None, None, ())
        if key in self.place_keys:
            return self.place_keys[key]
        wanted = text_of(info.get("id")) or slug(name, f"place-{row}")
        ident = unique(wanted, self.used_places)
        self.place_keys[key] = ident
        values: dict[str, Any] = {"id": ident, "name": name, "kind": kind}
        if shape is not None and shape.kind is PlaceKind.POINT:
            values.update(lat=shape.lat, lon=shape.lon)
        elif shape is not None:
            values["points"] = [list(p) for p in shape.points]
        if iso3:
            values["iso3"] = iso3
        aliases = info.get("aliases")
        if isinstance(aliases, list):
            values["aliases"] = [text_of(a) for a in aliases]
        values["note"] = text_of(info.get("note"))
        self.places.rows.append((row, values))
        return ident

    def source_ids(self, feature: Feature) -> list[str]:
        items = next((v for k, v in feature.props.items() if k.lower() == "sources"), None)
        if not isinstance(items, list):
            return []
        ids = []
        known = {values["id"] for _, values in self.sources.rows}
        for item in items:
            if not isinstance(item, dict) or not text_of(item.get("id")):
                continue
            ident = text_of(item.get("id"))
            if ident not in known:
                known.add(ident)
                self.sources.rows.append(
                    (
                        feature.row,
                        {
                            "id": ident,
                            "publisher": text_of(item.get("publisher")) or "not stated",
                            "title": text_of(item.get("title")) or ident,
                            "url": text_of(item.get("url")),
                            "date": text_of(item.get("date")),
                        },
                    )
                )
            ids.append(ident)
        return ids

    def add(self, feature: Feature) -> None:
        # Known properties are matched whatever their case; extra ones keep theirs.
        props = {str(k).lower(): v for k, v in feature.props.items()}
        _, title_value = _pick(props, TITLE_KEYS)
        _, place_value = _pick(
            props, (self.place_key, *PLACE_KEYS) if self.place_key else PLACE_KEYS
        )
        title = html_text(text_of(title_value))
        place_name = text_of(place_value) or title or f"feature {feature.row}"
        places = self.place_ids(feature, place_name)
        start_key, start_value = _pick(props, (self.date_key,) if self.date_key else START_KEYS)
        end_key, end_value = _pick(props, END_KEYS)
        start_key, end_key = start_key or feature.start_key, end_key or feature.end_key
        if start_value is None:
            if end_value is None:
                self.problems.warning(
                    self.label,
                    feature.row,
                    feature.start_key,
                    f"{place_name!r} has no time (start, time, timestamp or TimeStamp): "
                    "it is kept as a place, not an event",
                )
                return
            start_key, start_value = end_key, end_value
        try:
            start = read_time(start_value)
        except DateError as exc:
            self.problems.error(self.label, feature.row, start_key, str(exc))
            return
        clock = props.get(self.clock_key) if self.clock_key else None
        if clock not in (None, "") and start.precision is Precision.DAY:
            try:
                hour, minute = read_clock(clock)
                start = PartialDate(start.year, start.month, start.day, hour, minute)
            except DateError as exc:
                self.problems.warning(
                    self.label, feature.row, self.clock_key, f"{exc}; the event is on its day"
                )
        end = None
        if end_value is not None and end_value is not start_value:
            try:
                end = read_time(end_value)
                check_order(start, end)
            except DateError as exc:
                self.problems.error(self.label, feature.row, end_key, str(exc))
                return
        ident = unique(text_of(props.get("id")) or f"feature-{feature.row}", self.used_events)
        _, summary = _pick(props, SUMMARY_KEYS)
        values: dict[str, Any] = {
            "id": ident,
            "title": title or place_name,
            "start": start.iso(),
            "end": end.iso() if end else "",
            "date_label": text_of(props.get("date_label")),
            "approximate": text_of(props.get("approximate")),
            "category": text_of(props.get("category")) or text_of(props.get("group")),
            "summary": sanitise_html(text_of(summary)),
            "places": places,
            "sources": self.source_ids(feature),
            "confidence": text_of(props.get("confidence")),
            "note": text_of(props.get("note")),
        }
        tags = props.get("tags")
        values["tags"] = [text_of(t) for t in tags] if isinstance(tags, list) else text_of(tags)
        for key, value in feature.props.items():
            if key.lower() not in _USED and value is not None and not isinstance(value, dict):
                values[key] = json.dumps(value) if isinstance(value, list) else text_of(value)
        self.events.rows.append((feature.row, values))

    def guess_properties(self, rows: list[dict[str, Any]]) -> None:
        """Find the date (and time of day) and the place among properties with other names:
        "date_ad" + "utc_time", "epicenter"; and the numeric measures ("mag")."""
        from ..records import Table
        from .roles import guess_mapping

        lowered = [{str(k).lower(): v for k, v in r.items()} for r in rows[:500]]
        names = list(dict.fromkeys(k for r in lowered for k in r))
        table = Table(self.label, names, [(n, r) for n, r in enumerate(lowered, start=1)])
        mapping = guess_mapping(table)
        known = any(k in START_KEYS for k in names)
        if not known and mapping.column("start"):
            self.date_key = mapping.column("start") or ""
            self.clock_key = mapping.column("time") or ""
        if not any(k in PLACE_KEYS for k in names) and mapping.column("place"):
            self.place_key = mapping.column("place") or ""
        self.measures = [
            next(str(k) for r in rows for k in r if str(k).lower() == key)
            for key in mapping.measures
        ]

    def dataset(self, title: str, description: str = "") -> Dataset:
        from ..records import build_dataset

        tables = {"places": self.places, "sources": self.sources, "events": self.events}
        dataset = build_dataset(tables, self.problems, title, description)
        dataset.measures = tuple(self.measures)
        return dataset


# --- GeoJSON ------------------------------------------------------------------------


def load_geojson(path: Path, problems: Problems) -> Dataset:
    from .json_file import read_json

    doc = read_json(path, problems)
    if doc is None:
        return Dataset(title=path.stem)
    label = f"{path}#features"
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        features: Any = [doc]
    elif isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        features = doc.get("features")
    else:
        problems.error(str(path), 0, "type", "not a GeoJSON Feature or FeatureCollection")
        return Dataset(title=path.stem)
    if not isinstance(features, list):
        problems.error(str(path), 0, "features", "'features' must be a list of Feature objects")
        return Dataset(title=path.stem)
    builder = _Builder(label, problems)
    builder.guess_properties(
        [
            item["properties"]
            for item in features[:500]
            if isinstance(item, dict) and isinstance(item.get("properties"), dict)
        ]
    )
    for number, item in enumerate(features, start=1):
        if not isinstance(item, dict) or item.get("type") != "Feature":
            problems.error(label, number, "-", f"item {number} is not a GeoJSON Feature")
            continue
        props = item.get("properties")
        props = {str(k): v for k, v in props.items()} if isinstance(props, dict) else {}
        if "id" not in (k.lower() for k in props) and item.get("id") is not None:
            props["id"] = item["id"]
        try:
            shapes = geojson_shapes(item.get("geometry"))
        except CellError as exc:
            problems.warning(label, number, "geometry", f"{exc}: the feature is not placed")
            shapes = []
        builder.add(Feature(number, props, shapes, "properties.start", "properties.end"))
    meta = doc if isinstance(doc.get("name"), str) else {}
    title = text_of(doc.get("title")) or text_of(meta.get("name")) or path.stem
    return builder.dataset(title, text_of(doc.get("description")))


def _place_info(place: Place, mapped: bool) -> dict[str, Any]:
    info: dict[str, Any] = {"id": place.id, "name": place.name, "kind": place.kind.value}
    if place.iso3:
        info["iso3"] = place.iso3
    if place.aliases:
        info["aliases"] = list(place.aliases)
    if place.note:
        info["note"] = place.note
    if not mapped:
        info["mapped"] = False
    return info


def _event_props(dataset: Dataset, event: Event) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": event.id,
        "title": event.title,
        "start": event.start.iso(),
        "end": event.end.iso() if event.end else None,
        "precision": event.precision.label,
        "date_label": event.date_label or None,
        "approximate": event.approximate or None,
        "category": event.category or None,
        "summary": event.summary or None,
        "tags": list(event.tags) or None,
        "confidence": event.confidence or None,
        "note": event.note or None,
        "sources": [
            {
                "id": s.id,
                "publisher": s.publisher,
                "title": s.title,
                "url": s.url or None,
                "date": s.date.iso() if s.date else None,
            }
            for s in (dataset.sources[i] for i in event.sources if i in dataset.sources)
        ]
        or None,
    }
    props.update(dict(event.extra))
    return {k: v for k, v in props.items() if v is not None}


def _geometry(place: Place) -> dict[str, Any] | None:
    if place.kind is PlaceKind.ROUTE and place.points:
        return {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in place.points]}
    if place.lat is not None and place.lon is not None:
        return {"type": "Point", "coordinates": [place.lon, place.lat]}
    return None


def geojson_document(dataset: Dataset) -> dict[str, Any]:
    features = []
    for event in dataset.events:
        places = [dataset.places[i] for i in event.places if i in dataset.places]
        geometries = [(p, _geometry(p)) for p in places]
        drawn = [g for _, g in geometries if g is not None]
        geometry = (
            None
            if not drawn
            else drawn[0]
            if len(drawn) == 1
            else {"type": "GeometryCollection", "geometries": drawn}
        )
        props = _event_props(dataset, event)
        if places:
            props["places"] = [_place_info(p, g is not None) for p, g in geometries]
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {
        "type": "FeatureCollection",
        "name": dataset.title,
        "description": dataset.description,
        "features": features,
    }


def to_geojson(dataset: Dataset, path: str | Path) -> None:
    """Write the dataset's events as a GeoJSON FeatureCollection (atomically)."""
    text = json.dumps(geojson_document(dataset), ensure_ascii=False, indent=1) + "\n"
    atomic_write_bytes(Path(path), text.encode())


# --- KML ----------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _child_text(element: ET.Element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def _kml_coordinates(text: str) -> list[tuple[float, float]]:
    points = []
    for chunk in text.split():
        parts = chunk.split(",")
        points.append(_position(parts))
    return points


def kml_shapes(element: ET.Element) -> list[Shape]:
    shapes: list[Shape] = []
    for child in element:
        name = _local(child.tag)
        if name == "Point":
            coords = _kml_coordinates(_child_text(child, "coordinates"))
            if len(coords) != 1:
                raise CellError("a Point needs exactly one 'lon,lat' coordinate")
            shapes.append(Shape(PlaceKind.POINT, coords[0][0], coords[0][1]))
        elif name == "LineString":
            shapes.append(_route(_kml_coordinates(_child_text(child, "coordinates"))))
        elif name == "Polygon":
            ring = next((e for e in child.iter() if _local(e.tag) == "LinearRing"), None)
            coords = _kml_coordinates(_child_text(ring, "coordinates")) if ring is not None else []
            if not coords:
                raise CellError("a Polygon has no outer boundary coordinates")
            shapes.append(_centre(coords))
        elif name == "MultiGeometry":
            shapes.extend(kml_shapes(child))
    return shapes


def kml_track(placemark: ET.Element) -> tuple[Shape, str, str] | None:
    """A placemark's ``gx:Track`` (or KML 2.3 ``Track``, inside a MultiTrack too) as one
    route, with its first and last ``when``; None when it has none."""
    whens: list[str] = []
    points: list[tuple[float, float]] = []
    for element in placemark.iter():
        if _local(element.tag) != "Track":
            continue
        for child in element:
            local = _local(child.tag)
            if local == "when" and child.text and child.text.strip():
                whens.append(child.text.strip())
            elif local == "coord" and child.text and child.text.strip():
                point = _position(child.text.split())
                if not points or points[-1] != point:
                    points.append(point)
    if not whens or not points:
        return None
    ordered = sorted(whens, key=lambda w: parse_date(w).date.sort_key())
    return _route(points), ordered[0], ordered[-1]


def _extended_data(placemark: ET.Element) -> dict[str, Any]:
    data: dict[str, Any] = {}
    extended = _child(placemark, "ExtendedData")
    if extended is None:
        return data
    for element in extended.iter():
        local = _local(element.tag)
        if local == "Data" and element.get("name"):
            data[str(element.get("name"))] = _child_text(element, "value")
        elif local == "SimpleData" and element.get("name"):
            data[str(element.get("name"))] = (element.text or "").strip()
    for key in ("places", "sources", "tags"):
        # Lists travel as JSON text in ExtendedData (written by to_kml).
        if isinstance(data.get(key), str) and data[key].startswith("["):
            with contextlib.suppress(ValueError, RecursionError):
                data[key] = json.loads(data[key])
    return data


def _placemarks(element: ET.Element, folder: str = "") -> list[tuple[ET.Element, str]]:
    found = []
    for child in element:
        local = _local(child.tag)
        if local == "Placemark":
            found.append((child, folder))
        elif local in ("Document", "Folder", "kml"):
            name = _child_text(child, "name") if local == "Folder" else folder
            found.extend(_placemarks(child, name or folder))
    return found


def parse_kml(data: bytes, label: str, problems: Problems) -> ET.Element | None:
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        return SafeET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        problems.error(label, line, str(column + 1), f"malformed XML: {exc.msg}")
    except DefusedXmlException as exc:
        problems.error(label, 0, "-", f"refused: {exc} (entities and DTDs are not read)")
    except (ValueError, RecursionError) as exc:
        problems.error(label, 0, "-", f"not a readable XML file ({type(exc).__name__}: {exc})")
    return None


def load_kml(path: Path, problems: Problems) -> Dataset:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(str(path), 0, "-", f"cannot read the file: {exc.strerror or exc}")
        return Dataset(title=path.stem)
    root = parse_kml(data, str(path), problems)
    if root is None:
        return Dataset(title=path.stem)
    if _local(root.tag) != "kml":
        problems.error(str(path), 0, "-", f"the root element is <{_local(root.tag)}>, not <kml>")
        return Dataset(title=path.stem)
    label = f"{path}#Placemark"
    builder = _Builder(label, problems)
    features: list[Feature] = []
    for number, (placemark, folder) in enumerate(_placemarks(root), start=1):
        props = _extended_data(placemark)
        props.setdefault("name", _child_text(placemark, "name"))
        if not props.get("summary"):
            props.setdefault("description", _child_text(placemark, "description"))
        if folder:
            props.setdefault("category", folder)
        stamp, span = _child(placemark, "TimeStamp"), _child(placemark, "TimeSpan")
        if stamp is not None:
            props["when"] = _child_text(stamp, "when")
        if span is not None:
            props["begin"] = _child_text(span, "begin")
            props["end"] = _child_text(span, "end")
        try:
            shapes = kml_shapes(placemark)
            track = kml_track(placemark)
        except CellError as exc:
            problems.warning(label, number, "coordinates", f"{exc}: the placemark is not placed")
            shapes, track = [], None
        if track is not None:
            # A GPS track is one dated route: its span runs from its first to its last when.
            shape, first, last = track
            shapes.append(shape)
            if not (props.get("when") or props.get("begin")):
                props["begin"], props["end"] = first, last
        features.append(Feature(number, props, shapes, "TimeStamp", "TimeSpan"))
    builder.guess_properties([f.props for f in features])
    for feature in features:
        builder.add(feature)
    document = _child(root, "Document")
    title = _child_text(document, "name") if document is not None else ""
    description = _child_text(document, "description") if document is not None else ""
    return builder.dataset(title or path.stem, description)


def _kml_when(date: PartialDate) -> str:
    # KML's dateTime needs seconds and a zone; coarser dates are written as they are.
    if date.minute is not None:
        return date.iso() + ":00Z"
    return date.iso()


def _kml_geometry(parent: ET.Element, place: Place) -> bool:
    if place.kind is PlaceKind.ROUTE and place.points:
        line = ET.SubElement(parent, "LineString")
        text = " ".join(f"{lon!r},{lat!r}" for lat, lon in place.points)
        ET.SubElement(line, "coordinates").text = text
        return True
    if place.lat is not None and place.lon is not None:
        point = ET.SubElement(parent, "Point")
        ET.SubElement(point, "coordinates").text = f"{place.lon!r},{place.lat!r}"
        return True
    return False


def kml_document(dataset: Dataset) -> ET.Element:
    root = ET.Element("kml", xmlns=KML_NS)
    document = ET.SubElement(root, "Document")
    ET.SubElement(document, "name").text = dataset.title
    if dataset.description:
        ET.SubElement(document, "description").text = dataset.description
    for event in dataset.events:
        placemark = ET.SubElement(document, "Placemark")
        ET.SubElement(placemark, "name").text = event.title
        if event.summary:
            ET.SubElement(placemark, "description").text = event.summary
        if event.end is None:
            stamp = ET.SubElement(placemark, "TimeStamp")
            ET.SubElement(stamp, "when").text = _kml_when(event.start)
        else:
            span = ET.SubElement(placemark, "TimeSpan")
            ET.SubElement(span, "begin").text = _kml_when(event.start)
            ET.SubElement(span, "end").text = _kml_when(event.end)
        props = _event_props(dataset, event)
        for key in ("title", "start", "end", "summary", "precision"):
            props.pop(key, None)
        places = [dataset.places[i] for i in event.places if i in dataset.places]
        holder = placemark
        if len([p for p in places if _geometry(p) is not None]) > 1:
            holder = ET.Element("MultiGeometry")
        infos = [_place_info(p, _kml_geometry(holder, p)) for p in places]
        if infos:
            props["places"] = infos
        extended = ET.Element("ExtendedData")
        for key, value in props.items():
            data = ET.SubElement(extended, "Data", name=key)
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            ET.SubElement(data, "value").text = text
        # KML's schema orders a placemark's children: ExtendedData before the geometry.
        placemark.insert(len(placemark) - len(list(_geometries(placemark))), extended)
        if holder is not placemark:
            placemark.append(holder)
    return root


def _geometries(placemark: ET.Element) -> list[ET.Element]:
    names = {"Point", "LineString", "Polygon", "MultiGeometry"}
    return [c for c in placemark if _local(c.tag) in names]


def to_kml(dataset: Dataset, path: str | Path) -> None:
    """Write the dataset's events as KML placemarks (atomically)."""
    root = kml_document(dataset)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    atomic_write_bytes(Path(path), ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode())

"""What each column of a table of events is: sniffed from its header and its values.

A role is what a column gives an event: its ``start`` date (or ``year``,
``month``, ``day`` parts, and a ``time`` of day), ``end``, ``title``,
``summary``, ``place`` name, ``country``, ``lat``/``lon`` (or one ``latlon``
column, or ``wkt`` POINTs), ``category``, ``source``, ``id``, and numeric
``measure`` columns (fatalities, magnitude ...) kept for sizing markers.

Header names are recognised in English, German, French, Spanish and Russian;
columns whose names say nothing are judged by their values (dates,
coordinates, WKT, links). Files from known tools are recognised by their
headers (presets: ACLED, UCDP GED, GDELT, story maps) and mapped the way
their users expect. A user's own mapping (``--map ROLE=COLUMN``, or the
import dialog, remembered in ``NAME.chronomap.json`` next to the file) wins
over all of this.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import atomic_write_bytes
from ..dates import DateOrder
from ..records import Table, cell_text

ROLES = (
    "start",
    "end",
    "year",
    "month",
    "day",
    "time",
    "title",
    "summary",
    "place",
    "country",
    "lat",
    "lon",
    "latlon",
    "wkt",
    "category",
    "source",
    "id",
    "measure",
)
# What the import dialog and `--map` call each role.
ROLE_LABELS = {
    "start": "date (start)",
    "end": "end date",
    "year": "year",
    "month": "month",
    "day": "day",
    "time": "time of day",
    "title": "title",
    "summary": "description",
    "place": "place name",
    "country": "country",
    "lat": "latitude",
    "lon": "longitude",
    "latlon": "lat, lon in one",
    "wkt": "WKT POINT",
    "category": "category",
    "source": "source / link",
    "id": "id",
    "measure": "measure (number)",
}
# Roles a column can have only once; "measure" may be several columns.
SINGLE_ROLES = tuple(r for r in ROLES if r != "measure")


def _words(text: str) -> set[str]:
    return set(text.split())


# Header names, folded (see fold_header), for each role: exact names first.
HEADER_NAMES: dict[str, set[str]] = {
    "start": _words(
        "date start start_date startdate date_start begin begin_date when datetime date_time "
        "event_date eventdate timestamp date_ad sqldate from first_date "
        "datum startdatum beginn anfang von date_debut debut fecha fecha_inicio inicio desde "
        "дата начало дата_начала"
    ),
    "end": _words(
        "end end_date enddate date_end until finish to last_date "
        "ende enddatum bis date_fin fin fecha_fin hasta конец дата_окончания окончание"
    ),
    "year": _words("year yr jahr annee ano год"),
    "month": _words("month monat mois mes месяц"),
    "day": _words("day tag jour dia день"),
    "time": _words("time utc_time time_utc clock hour uhrzeit zeit heure hora время time_of_day"),
    "title": _words(
        "title headline event name label what subject heading event_name incident "
        "titel ereignis uberschrift titre evenement titulo evento "
        "название событие заголовок"
    ),
    "summary": _words(
        "description desc summary notes text details body content comment comments "
        "beschreibung notizen texte resume descripcion notas resumen описание текст примечание"
    ),
    "place": _words(
        "place place_name placename location location_name location_label city where site "
        "town village epicenter locality address ort stadt lieu ville lugar ciudad "
        "localidad место город адрес"
    ),
    "country": _words("country country_name land staat pays pais страна"),
    "lat": _words("lat latitude breite breitengrad latitud широта"),
    "lon": _words("lon lng long longitude lange laengengrad langengrad longitud долгота"),
    "latlon": _words(
        "coordinates coords coordinate latlon lat_lon latlng lat_lng lat_long geo "
        "koordinaten coordonnees coordenadas координаты"
    ),
    "wkt": _words("wkt geometry geom the_geom shape"),
    "category": _words(
        "category type event_type group kind class theme categories "
        "kategorie typ art categorie categoria tipo категория тип"
    ),
    "source": _words(
        "source sources url link reference source_url sourceurl quelle fuente источник ссылка"
    ),
    "id": _words("id event_id uid identifier"),
    "measure": _words(
        "fatalities deaths killed casualties injured wounded dead magnitude mag best "
        "victims deaths_best tote opfer morts victimes muertos victimas погибшие жертвы"
    ),
}
# A word inside a longer header that still says the role ("event_date", "ActionGeo_Lat").
HEADER_WORDS: dict[str, set[str]] = {
    "start": {"date", "datum", "fecha", "дата"},
    "lat": {"lat", "latitude"},
    "lon": {"lon", "lng", "long", "longitude"},
    "place": {"location", "place", "city"},
    "measure": {"fatalities", "deaths", "magnitude", "killed"},
}


def fold_header(name: Any) -> str:
    """A header for matching: lower case, no accents, camelCase and spaces as "_"."""
    text = str(name if name is not None else "").strip()
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z][a-z])|(?<=[a-z])(?=[A-Z])", "_", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", "_", text).strip("_")


@dataclass(frozen=True)
class Preset:
    """A tool's table layout, recognised by headers it always has."""

    name: str
    label: str
    needs: frozenset[str]  # folded headers that must all be there
    roles: dict[str, str]  # role -> folded header
    measures: tuple[str, ...] = ()
    # A title made from other columns, e.g. "{sub_event_type} in {location}".
    title: str = ""
    # Category codes as their users name them.
    categories: dict[str, str] = field(default_factory=dict)


PRESETS = (
    Preset(
        "acled",
        "ACLED export",
        frozenset({"event_date", "event_type", "actor1", "fatalities", "latitude", "longitude"}),
        {
            "start": "event_date",
            "category": "event_type",
            "summary": "notes",
            "place": "location",
            "lat": "latitude",
            "lon": "longitude",
            "source": "source",
            "id": "event_id_cnty",
        },
        ("fatalities",),
        title="{sub_event_type} in {location}",
    ),
    Preset(
        "ucdp-ged",
        "UCDP GED",
        frozenset({"type_of_violence", "date_start", "date_end", "latitude", "longitude", "best"}),
        {
            "start": "date_start",
            "end": "date_end",
            "title": "dyad_name",
            "summary": "source_headline",
            "place": "where_coordinates",
            "lat": "latitude",
            "lon": "longitude",
            "category": "type_of_violence",
            "source": "source_article",
            "id": "id",
        },
        ("best", "low", "high", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"),
        categories={
            "1": "state-based conflict",
            "2": "non-state conflict",
            "3": "one-sided violence",
        },
    ),
    Preset(
        "gdelt",
        "GDELT events",
        frozenset({"globaleventid", "sqldate", "event_code", "action_geo_lat"}),
        {
            "start": "sqldate",
            "place": "action_geo_full_name",
            "lat": "action_geo_lat",
            "lon": "action_geo_long",
            "category": "quad_class",
            "source": "sourceurl",
            "id": "globaleventid",
        },
        ("num_mentions", "goldstein_scale", "avg_tone"),
        title="{actor1_name} – {event_code} – {actor2_name}",
        categories={
            "1": "verbal cooperation",
            "2": "material cooperation",
            "3": "verbal conflict",
            "4": "material conflict",
        },
    ),
    Preset(
        "story-map",
        "story map",
        frozenset({"position", "title", "date", "lat", "long"}),
        {"start": "date", "title": "title", "summary": "desc", "lat": "lat", "lon": "long"},
    ),
)


@dataclass
class Mapping:
    """Which column plays which role: folded role -> normalised column key (the Table's key).

    ``measures`` are the measure columns' keys; ``order`` the date order when
    one was chosen; ``notes`` what was decided and why, for the user.
    """

    roles: dict[str, str] = field(default_factory=dict)
    measures: list[str] = field(default_factory=list)
    order: DateOrder | None = None
    preset: Preset | None = None
    notes: list[str] = field(default_factory=list)
    # True when the headers said it all (a preset, or names for date and title).
    confident: bool = False

    def column(self, role: str) -> str | None:
        return self.roles.get(role)

    def role_of(self, key: str) -> str:
        if key in self.measures:
            return "measure"
        return next((r for r, k in self.roles.items() if k == key), "")


@dataclass
class ImportOptions:
    """A user's choices for one file: roles by the column names as written, and the date order.

    ``roles`` maps a role to a column name as written in the header ("" takes
    the role away from whatever column was guessed); ``measures`` lists measure
    columns by name.
    """

    roles: dict[str, str] = field(default_factory=dict)
    measures: list[str] | None = None
    order: DateOrder | None = None

    def is_empty(self) -> bool:
        return not self.roles and self.measures is None and self.order is None

    def merged(self, other: ImportOptions) -> ImportOptions:
        """These choices, with ``other``'s on top."""
        return ImportOptions(
            {**self.roles, **other.roles},
            other.measures if other.measures is not None else self.measures,
            other.order or self.order,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"roles": dict(self.roles)}
        if self.measures is not None:
            data["measures"] = list(self.measures)
        if self.order is not None:
            data["date_order"] = self.order.value
        return data

    @classmethod
    def from_json(cls, data: Any) -> ImportOptions:
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        roles = data.get("roles") or {}
        if not isinstance(roles, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in roles.items()
        ):
            raise ValueError("'roles' must map role names to column names")
        unknown = [r for r in roles if r not in SINGLE_ROLES]
        if unknown:
            raise ValueError(f"unknown role {unknown[0]!r} (roles: {', '.join(SINGLE_ROLES)})")
        measures = data.get("measures")
        if measures is not None and not (
            isinstance(measures, list) and all(isinstance(m, str) for m in measures)
        ):
            raise ValueError("'measures' must be a list of column names")
        order = data.get("date_order")
        return cls(dict(roles), measures, DateOrder(order) if order else None)


def parse_map_option(text: str) -> tuple[str, str]:
    """``ROLE=COLUMN`` from the command line, checked; ValueError says what to write."""
    role, sep, column = text.partition("=")
    role = role.strip().lower()
    if not sep:
        raise ValueError(f"--map {text}: write it as ROLE=COLUMN, e.g. --map start=event_date")
    if role not in ROLES:
        raise ValueError(f"--map {text}: unknown role {role!r} (roles: {', '.join(ROLES)})")
    return role, column.strip()


def options_from_cli(maps: list[str], order: DateOrder | None) -> ImportOptions:
    roles: dict[str, str] = {}
    measures: list[str] | None = None
    for text in maps:
        role, column = parse_map_option(text)
        if role == "measure":
            measures = [*(measures or []), *(c.strip() for c in column.split(",") if c.strip())]
        else:
            roles[role] = column
    return ImportOptions(roles, measures, order)


# --- the sidecar file ------------------------------------------------------------


def sidecar_path(path: Path) -> Path:
    """``NAME.chronomap.json`` next to ``NAME.csv``: where the choices for a file are kept."""
    return path.with_name(f"{path.stem}.chronomap.json")


def read_sidecar(path: Path) -> tuple[ImportOptions | None, str]:
    """The choices remembered for ``path`` (None when there are none), and a problem, or ""."""
    side = sidecar_path(path)
    if not side.is_file():
        return None, ""
    try:
        data = json.loads(side.read_text(encoding="utf-8-sig"))
        return ImportOptions.from_json(data), ""
    except (OSError, ValueError) as exc:
        return None, f"{side}: the remembered import choices cannot be read ({exc}): ignored"


def write_sidecar(path: Path, options: ImportOptions) -> Path:
    """Remember ``options`` for ``path`` (atomically); the data file itself is never touched."""
    side = sidecar_path(path)
    # The file's own name is kept too, so that opening the sidecar (a double-click
    # on NAME.chronomap.json, which file managers take for a dataset) opens the table.
    head = {"chronomap-import": 1, "file": path.name}
    text = json.dumps({**head, **options.to_json()}, ensure_ascii=False, indent=1)
    atomic_write_bytes(side, (text + "\n").encode("utf-8"))
    return side


# Tables a sidecar may describe, most likely first, for sidecars that do not name theirs.
_TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".tab")


def is_sidecar(path: Path) -> bool:
    """Whether ``path`` holds import choices rather than a dataset saved as JSON.

    Both end in ``.chronomap.json``, so only the first bytes are read: a sidecar
    starts with its ``chronomap-import`` key.
    """
    if not path.name.endswith(".chronomap.json") or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            return b'"chronomap-import"' in handle.read(256)
    except OSError:
        return False


def sidecar_table(side: Path) -> Path | None:
    """The table that ``side`` holds import choices for, when ``side`` is such a sidecar."""
    if not is_sidecar(side):
        return None
    stem = side.name[: -len(".chronomap.json")]
    named = ""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        named = str(json.loads(side.read_text(encoding="utf-8-sig")).get("file") or "")
    candidates = [side.with_name(Path(named).name)] if named else []
    candidates += [side.with_name(stem + suffix) for suffix in _TABLE_SUFFIXES]
    return next((c for c in candidates if c.is_file() and c != side), None)


# --- guessing --------------------------------------------------------------------

_LATLON = re.compile(r"^\s*\(?\s*(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*\)?\s*$")
_WKT = re.compile(r"^\s*POINT\s*(?:Z\s*)?\(\s*-?\d", re.I)
_CLOCK = re.compile(r"^\s*\d{1,2}[:.]\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*([ap]\.?m\.?)?\s*$", re.I)
_URL = re.compile(r"^\s*https?://\S+\s*$", re.I)
_NUMBER = re.compile(r"^\s*[+-]?\d+(?:[.,]\d+)?\s*$")
_WORDS = re.compile(r"^\s*\D.{1,300}$", re.S)


def column_values(table: Table, key: str, limit: int = 200) -> list[Any]:
    values = []
    for _, row in table.rows:
        value = row.get(key)
        if value is not None and cell_text(value):
            values.append(value)
            if len(values) >= limit:
                break
    return values


def _share(values: list[Any], pattern: re.Pattern[str]) -> float:
    if not values:
        return 0.0
    return sum(1 for v in values if pattern.match(cell_text(v))) / len(values)


def _numeric(values: list[Any]) -> bool:
    return bool(values) and all(
        isinstance(v, int | float) or _NUMBER.match(cell_text(v)) for v in values
    )


def _long_text(values: list[Any]) -> bool:
    return bool(values) and sum(len(cell_text(v)) for v in values) / len(values) > 90


def guess_mapping(table: Table, options: ImportOptions | None = None) -> Mapping:
    """The role of each column: a preset, else header names, else values; ``options`` win."""
    from ..date_columns import date_share

    keys = [k for k in dict.fromkeys(_keys(table)) if k]
    folded = {k: fold_header(table.written(k)) for k in keys}
    by_fold = {f: k for k, f in folded.items()}
    mapping = Mapping()
    preset = next((p for p in PRESETS if p.needs <= set(folded.values())), None)
    if preset is not None:
        mapping.preset = preset
        mapping.confident = True
        for role, name in preset.roles.items():
            if name in by_fold:
                mapping.roles[role] = by_fold[name]
        mapping.measures = [by_fold[m] for m in preset.measures if m in by_fold]
        mapping.notes.append(f"recognised as {preset.label}")
    else:
        _guess_by_headers(table, keys, folded, mapping)
        _guess_by_values(table, keys, mapping, date_share)
        mapping.confident = bool(mapping.column("title") or mapping.column("summary")) and bool(
            mapping.column("start") or mapping.column("year")
        )
    if options is not None:
        _apply(table, keys, mapping, options)
    return mapping


def _keys(table: Table) -> list[str]:
    from ..records import normalise_header

    return [normalise_header(h) for h in table.header]


def _guess_by_headers(
    table: Table, keys: list[str], folded: dict[str, str], mapping: Mapping
) -> None:
    taken: set[str] = set()

    def assign(role: str, key: str) -> None:
        if role == "measure":
            mapping.measures.append(key)
        else:
            mapping.roles[role] = key
        taken.add(key)

    # Exact names first, in role order, then names that hold a role's word.
    for role in ROLES:
        for key in keys:
            if key in taken or (role != "measure" and role in mapping.roles):
                continue
            if folded[key] in HEADER_NAMES[role] and _fits(table, key, role):
                assign(role, key)
    for role, words in HEADER_WORDS.items():
        for key in keys:
            if key in taken or (role != "measure" and role in mapping.roles):
                continue
            if set(folded[key].split("_")) & words and _fits(table, key, role):
                assign(role, key)
    # A "time" of clock times is the time of day (joined to the date); one of dates
    # or epoch numbers (USGS, many loggers) did not fit, and its values make it the date.
    # A long "title" with no description is the description, and titles come from it.
    title = mapping.column("title")
    if title and not mapping.column("summary") and _long_text(column_values(table, title)):
        mapping.roles["summary"] = mapping.roles.pop("title")


def _fits(table: Table, key: str, role: str) -> bool:
    """Whether the column's values could play ``role`` (names can mislead)."""
    values = column_values(table, key, 50)
    if not values:
        return role not in ("start", "lat", "lon", "latlon", "wkt")
    if role in ("lat", "lon", "measure"):
        return _numeric(values)
    if role == "latlon":
        return _share(values, _LATLON) >= 0.8
    if role == "wkt":
        return _share(values, _WKT) >= 0.8
    if role == "time":
        return _share(values, _CLOCK) >= 0.8
    if role in ("start", "end"):
        from ..date_columns import date_share

        return date_share(values) >= 0.5
    if role in ("year", "month", "day"):
        return _numeric(values) or role == "month"
    return True


def _guess_by_values(table: Table, keys: list[str], mapping: Mapping, date_share: Any) -> None:
    taken = set(mapping.roles.values()) | set(mapping.measures)
    free = [k for k in keys if k not in taken]
    has_point = mapping.column("lat") and mapping.column("lon")
    for key in free:
        values = column_values(table, key)
        if not values:
            continue
        undated = "start" not in mapping.roles and not mapping.column("year")
        if undated and not _numeric(values) and date_share(values) >= 0.8:
            mapping.roles["start"] = key
            mapping.notes.append(f"column {table.written(key)!r} holds dates")
            continue
        if not has_point and "latlon" not in mapping.roles and _share(values, _LATLON) >= 0.9:
            mapping.roles["latlon"] = key
            continue
        if not has_point and "wkt" not in mapping.roles and _share(values, _WKT) >= 0.9:
            mapping.roles["wkt"] = key
            continue
        if "source" not in mapping.roles and _share(values, _URL) >= 0.9:
            mapping.roles["source"] = key
            continue
        # No column is named for the title: the first one of words is taken.
        untitled = not mapping.column("title") and not mapping.column("summary")
        if untitled and not _numeric(values) and _share(values, _WORDS) >= 0.8:
            mapping.roles["title"] = key
            mapping.notes.append(f"column {table.written(key)!r} taken for the titles")


def _apply(table: Table, keys: list[str], mapping: Mapping, options: ImportOptions) -> None:
    """The user's choices on top of the guess; a column named that does not exist is a note."""
    by_written = {table.written(k): k for k in keys}
    by_written.update({table.written(k).casefold(): k for k in keys})

    def find(name: str) -> str | None:
        return by_written.get(name) or by_written.get(name.casefold())

    for role, name in options.roles.items():
        if not name:
            mapping.roles.pop(role, None)
            continue
        key = find(name)
        if key is None:
            mapping.notes.append(f"no column {name!r} for {role}: the guess is kept")
            continue
        for other, taken in list(mapping.roles.items()):
            if taken == key and other != role:
                del mapping.roles[other]
        if key in mapping.measures:
            mapping.measures.remove(key)
        mapping.roles[role] = key
    if options.measures is not None:
        found = [find(m) for m in options.measures]
        mapping.measures = [k for k in found if k is not None]
    if options.order is not None:
        mapping.order = options.order
    mapping.confident = True

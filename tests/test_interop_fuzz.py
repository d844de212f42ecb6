"""Whatever bytes an imported file holds, opening it reports problems and never raises."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop.core.load import load_dataset

PROBLEM = re.compile(r"^.+:\d+:.+: (error|warning|note): .+", re.S)

# Each prefix makes the content sniff as one of the imported formats; the bytes after it
# are random, so every reader meets broken rows, bad encodings and truncated structure.
PREFIXES = {
    "timelinejs-csv": (".csv", b"Year,Month,Day,Time,End Year,Display Date,Headline,Text,Media\n"),
    "plain-csv": (".csv", b"Date,Title,Place,Lat,Lon\n"),
    "timelinejs-json": (".json", b'{"title": {}, "events": [{"start_date": {"year": '),
    "geojson": (".geojson", b'{"type": "FeatureCollection", "features": [{"type": "Feature", '),
    "kml": (".kml", b'<?xml version="1.0"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'),
}

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _open(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        result = load_dataset(path)
    # Events were read, or a problem says why not.
    assert result.dataset.events or result.problems
    for problem in result.problems:
        assert PROBLEM.match(str(problem)), str(problem)
    return result


@SETTINGS
@given(
    fmt=st.sampled_from(sorted(PREFIXES)),
    tail=st.one_of(
        st.binary(max_size=400),
        st.text(
            alphabet=st.sampled_from(list(',;"\n{}[]<>/:=-. 0123456789abTZ')), max_size=300
        ).map(str.encode),
    ),
)
def test_random_bytes_after_a_format_header(fmt, tail):
    suffix, prefix = PREFIXES[fmt]
    result = _open(prefix + tail, suffix)
    assert result.format == fmt


@SETTINGS
@given(suffix=st.sampled_from([".csv", ".json", ".geojson", ".kml", ".xlsx"]), data=st.binary())
def test_random_bytes_under_any_name(suffix, data):
    _open(data, suffix)


CELL = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(),
    st.times(),
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20),
    st.sampled_from(["13.45", "narrative_1", "tear_gas", "Site A", "src1", "10/21/2015"]),
)


@SETTINGS
@given(
    events=st.lists(st.lists(CELL, min_size=8, max_size=8), max_size=6),
    sites=st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=4),
    associations=st.lists(st.lists(CELL, min_size=5, max_size=5), max_size=4),
)
def test_random_timemap_cells(events, sites, associations):
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {
        "Events": (
            [
                "Description",
                "Date",
                "Time",
                "Location",
                "Association 1",
                "Association 2",
                "Source",
                "Comments",
            ],
            events,
        ),
        "Sites": (["Location", "Lat", "Long"], sites),
        "Associations": (["ID", "Description", "Mode", "Filter Path", None], associations),
        "Sources": (["ID", "Title", "Path 1"], [["src1", "A source", "https://example.org"]]),
    }
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "timemap.xlsx"
        book.save(path)
        result = load_dataset(path)
    assert result.format == "timemap"
    for problem in result.problems:
        assert PROBLEM.match(str(problem)), str(problem)


JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["2024", "2024-02-30", "1951", "-500", "13:61", "https://x.org/a", "<b>x"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=16,
)
NUMBERS = st.lists(st.floats(-400, 400) | st.integers(-400, 400), min_size=0, max_size=3)
GEOMETRY = st.one_of(
    JSON_VALUE,
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                [
                    "Point",
                    "MultiPoint",
                    "LineString",
                    "MultiLineString",
                    "Polygon",
                    "MultiPolygon",
                    "GeometryCollection",
                    "Circle",
                ]
            ),
            "coordinates": st.one_of(
                NUMBERS,
                st.lists(NUMBERS, max_size=4),
                st.lists(st.lists(NUMBERS, max_size=4), max_size=2),
            ),
            "geometries": st.lists(JSON_VALUE, max_size=2),
        }
    ),
)
PROPERTIES = st.dictionaries(
    st.sampled_from(
        [
            "start",
            "End",
            "time",
            "timestamp",
            "name",
            "title",
            "places",
            "sources",
            "tags",
            "id",
            "category",
            "description",
            "date_label",
            "approximate",
        ]
    ),
    JSON_VALUE,
    max_size=8,
)
DATE_PARTS = st.dictionaries(
    st.sampled_from(["year", "month", "day", "hour", "minute", "display_date"]),
    JSON_VALUE | st.integers(-3, 13).map(str),
    max_size=6,
)
SLIDE = st.fixed_dictionaries(
    {},
    optional={
        "start_date": DATE_PARTS,
        "end_date": DATE_PARTS,
        "text": JSON_VALUE,
        "media": JSON_VALUE,
        "group": JSON_VALUE,
        "unique_id": JSON_VALUE,
        "display_date": JSON_VALUE,
    },
)


@SETTINGS
@given(
    features=st.lists(
        st.fixed_dictionaries(
            {"type": st.just("Feature"), "geometry": GEOMETRY, "properties": PROPERTIES},
            optional={"id": JSON_VALUE},
        ),
        max_size=5,
    )
)
@example(
    features=[
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[]]}, "properties": {}}
    ]
)
def test_structured_geojson(features):
    import json

    doc = {"type": "FeatureCollection", "features": features}
    result = _open(json.dumps(doc).encode(), ".geojson")
    assert result.format == "geojson"


@SETTINGS
@given(title=JSON_VALUE, events=st.lists(SLIDE, max_size=5), eras=st.lists(SLIDE, max_size=2))
def test_structured_timelinejs_json(title, events, eras):
    import json

    doc = {"title": title, "events": events, "eras": eras}
    result = _open(json.dumps(doc).encode(), ".json")
    assert result.format == "timelinejs-json"


KML_TEXT = st.text(alphabet=st.sampled_from(list("0123456789-:.,TZ+ abc\n")), max_size=30)


@SETTINGS
@given(
    marks=st.lists(
        st.tuples(
            KML_TEXT,
            KML_TEXT,
            KML_TEXT,
            KML_TEXT,
            st.sampled_from(["Point", "LineString", "Polygon", "MultiGeometry", "Model"]),
        ),
        max_size=4,
    )
)
def test_structured_kml(marks):
    from xml.sax.saxutils import escape

    body = []
    for when, begin, end, coords, shape in marks:
        geometry = f"<coordinates>{escape(coords)}</coordinates>"
        if shape == "Polygon":
            geometry = f"<outerBoundaryIs><LinearRing>{geometry}</LinearRing></outerBoundaryIs>"
        body.append(
            f"<Placemark><name>{escape(when)}</name><TimeStamp><when>{escape(when)}</when>"
            f"</TimeStamp><TimeSpan><begin>{escape(begin)}</begin><end>{escape(end)}</end>"
            f"</TimeSpan><ExtendedData><Data name='places'><value>{escape(coords)}</value></Data>"
            f"</ExtendedData><{shape}>{geometry}</{shape}></Placemark>"
        )
    text = f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{"".join(body)}</Document></kml>'
    result = _open(text.encode(), ".kml")
    assert result.format == "kml"


@SETTINGS
@given(
    rows=st.lists(
        st.lists(
            st.text(max_size=15)
            | st.sampled_from(
                ["Moscow", "Tehran", "Baku", "Moscow, US", "Paris, Narnia", "2024", "91", "-181"]
            ),
            min_size=5,
            max_size=5,
        ),
        max_size=6,
    )
)
# A control character str.strip() drops but float() does not: a cell of text, not 0.
@example(rows=[[""] * 5] * 5 + [["0\x1f", "", "", "", ""]])
def test_structured_plain_csv(rows):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Date", "Title", "Place", "Lat", "Lon"])
    writer.writerows(rows)
    result = _open(out.getvalue().encode(), ".csv")
    assert result.format == "plain-csv"

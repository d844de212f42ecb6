"""GeoJSON and KML: placemarks become places and events; what we write reads back the same."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from desktop.core.dates import PartialDate, Precision
from desktop.core.formats.geo import to_geojson, to_kml
from desktop.core.load import load_dataset
from desktop.core.model import Dataset, Event, Place, PlaceKind, Source


def _dataset() -> Dataset:
    places = {
        "moscow": Place("moscow", "Moscow", lat=55.7558, lon=37.6173, aliases=("Moskva",)),
        "tehran": Place("tehran", "Tehran", lat=35.6892, lon=51.389, note="Capital"),
        "corridor": Place(
            "corridor",
            "Caspian route",
            PlaceKind.ROUTE,
            points=((46.3497, 48.0408), (37.2808, 49.5832), (27.1832, 56.2666)),
        ),
        "azerbaijan": Place("azerbaijan", "Azerbaijan", PlaceKind.AREA, 40.3, 47.7, iso3="AZE"),
        "iran": Place("iran", "Iran", PlaceKind.AREA, iso3="IRN"),
    }
    sources = {"tass": Source("tass", "TASS", "Treaty text", PartialDate(2025, 1, 17), "https://t")}
    events = [
        Event(
            "signing",
            "Treaty signed in Moscow",
            PartialDate(2025, 1, 17, 14, 30),
            category="diplomacy",
            summary="Putin and Pezeshkian sign <em>the</em> treaty",
            places=("moscow", "tehran"),
            sources=("tass",),
            tags=("treaty", "visit"),
            date_label="17 January 2025",
            confidence="reported",
        ),
        Event(
            "talks",
            "Talks",
            PartialDate(2024, 11),
            approximate=True,
            summary="Oil & gas: plain text, kept exactly (a < b)",
            places=("tehran",),
        ),
        Event(
            "corridor",
            "Corridor agreed",
            PartialDate(2023),
            PartialDate(2025, 6),
            places=("corridor", "azerbaijan"),
            note="Rail link",
        ),
        Event("area-only", "Sanctions", PartialDate(2024, 2, 3), places=("iran",)),
        Event("unplaced", "Statement", PartialDate(2001, 3, 12), extra=(("Analyst", "K"),)),
    ]
    return Dataset("Round trip", "Written by the tests", events, places, sources)


EVENT_FIELDS = (
    "id", "title", "start", "end", "approximate", "date_label", "category", "summary",
    "places", "sources", "confidence", "tags", "note", "extra",
)  # fmt: skip


@pytest.mark.parametrize(
    ("writer", "name", "fmt"), [(to_geojson, "out.json", "geojson"), (to_kml, "out.kml", "kml")]
)
def test_round_trip_gives_the_same_events(tmp_path, writer, name, fmt):
    original = _dataset()
    path = tmp_path / name
    writer(original, path)
    result = load_dataset(path)
    assert result.format == fmt
    assert result.problems == []
    again = result.dataset
    assert (again.title, again.description) == (original.title, original.description)
    for before, after in zip(original.events, again.events, strict=True):
        for field in EVENT_FIELDS:
            assert getattr(after, field) == getattr(before, field), (before.id, field)
        assert after.precision == before.precision
    assert again.places == original.places
    assert again.sources == original.sources


def test_written_files_are_standard(tmp_path):
    to_geojson(_dataset(), tmp_path / "a.geojson")
    doc = json.loads((tmp_path / "a.geojson").read_text())
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 5
    signing = doc["features"][0]
    assert signing["geometry"]["type"] == "GeometryCollection"
    assert signing["geometry"]["geometries"][0] == {
        "type": "Point",
        "coordinates": [37.6173, 55.7558],
    }
    assert signing["properties"]["start"] == "2025-01-17T14:30"
    assert doc["features"][4]["geometry"] is None
    to_kml(_dataset(), tmp_path / "a.kml")
    root = ET.parse(tmp_path / "a.kml").getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    marks = root.findall(".//k:Placemark", ns)
    assert len(marks) == 5
    assert marks[0].find("k:TimeStamp/k:when", ns).text == "2025-01-17T14:30:00Z"
    assert marks[2].find("k:TimeSpan/k:begin", ns).text == "2023"
    assert marks[2].find("k:MultiGeometry/k:LineString", ns) is not None


def test_foreign_geojson_time_properties(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": 7,
                "geometry": {"type": "Point", "coordinates": [49.87, 40.41]},
                "properties": {"name": "Baku", "timestamp": 1737124200000, "Population": 2300000},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [51.39, 35.69]},
                "properties": {"Name": "Tehran", "Start": "2024-11", "End": "2025"},
            },
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[44, 38], [48, 38], [48, 42], [44, 42], [44, 38]]],
                },
                "properties": {"title": "Region", "time": "2020-05-06T10:15:00+03:00"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [37.6, 55.7]},
                "properties": {"name": "Moscow"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [200, 55.7]},
                "properties": {"name": "Off the globe", "date": "2021"},
            },
        ],
    }
    path = tmp_path / "foreign.geojson"
    path.write_text(json.dumps(doc))
    result = load_dataset(path)
    assert result.errors == []
    baku, tehran, region, off = result.dataset.events
    assert (baku.id, baku.start.iso()) == ("7", "2025-01-17T14:30")
    assert dict(baku.extra) == {"Population": "2300000"}
    assert tehran.precision is Precision.MONTH and tehran.end == PartialDate(2025)
    assert region.start.iso() == "2020-05-06T07:15"  # offsets are read into UTC
    centre = result.dataset.places[region.places[0]]
    assert (centre.lat, centre.lon) == (40.0, 46.0)
    assert off.places == ()
    assert "moscow" in result.dataset.places  # a feature without time is still a place
    where = {(w.row, w.column): w.message for w in result.warnings}
    assert "centre point" in where[(3, "geometry")]
    assert "no time" in where[(4, "properties.start")]
    assert "longitude 200" in where[(5, "geometry")]


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document><name>Trips</name>
 <Folder><name>Visits</name>
  <Placemark><name>Visit to Baku</name>
   <description><![CDATA[<p>Met <b>officials</b><script>x()</script></p>]]></description>
   <TimeSpan><begin>2024-08-18</begin><end>2024-08-19</end></TimeSpan>
   <Point><coordinates>49.8671,40.4093,0</coordinates></Point>
  </Placemark>
  <Placemark><name>Caspian</name><TimeStamp><when>2023</when></TimeStamp>
   <Polygon><outerBoundaryIs><LinearRing><coordinates>
    47,37 53,37 53,47 47,47 47,37</coordinates></LinearRing></outerBoundaryIs></Polygon>
  </Placemark>
 </Folder>
 <Placemark><name>Bad time</name><TimeStamp><when>soon</when></TimeStamp>
  <Point><coordinates>1,2</coordinates></Point></Placemark>
</Document></kml>
"""


def test_foreign_kml(tmp_path):
    path = tmp_path / "trips.kml"
    path.write_text(KML, encoding="utf-8")
    result = load_dataset(path)
    assert result.format == "kml"
    data = result.dataset
    assert data.title == "Trips"
    visit, caspian = data.events
    assert visit.category == "Visits" and visit.end == PartialDate(2024, 8, 19)
    assert visit.summary == "<p>Met <b>officials</b></p>"
    assert data.places[visit.places[0]].lat == 40.4093
    assert caspian.precision is Precision.YEAR
    assert data.places[caspian.places[0]].lon == 50.0
    (error,) = result.errors
    assert (error.row, error.column) == (3, "when")
    assert "'soon' is not a date" in error.message


@pytest.mark.parametrize(
    "text",
    [
        "<kml><Document><Placemark><name>x</Placemark></kml>",
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<kml><Document><name>&b;</name></Document></kml>",
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<kml><Document><name>&x;</name></Document></kml>",
    ],
    ids=["malformed", "entity-expansion", "external-entity"],
)
def test_bad_or_hostile_kml_is_an_error_not_a_traceback(tmp_path, text):
    path = tmp_path / "bad.kml"
    path.write_text(text, encoding="utf-8")
    result = load_dataset(path)
    assert result.format == "kml"
    assert result.dataset.events == [] and len(result.errors) == 1
    assert "root" not in result.dataset.title
    assert str(result.errors[0]).startswith(f"{path}:")


def test_malformed_kml_names_line_and_column(tmp_path):
    path = tmp_path / "bad.kml"
    path.write_text("<kml>\n<Document>\n<Placemark></Document>\n</kml>\n", encoding="utf-8")
    (error,) = load_dataset(path).errors
    assert (error.row, error.column) == (3, "14") and "malformed XML" in error.message


def test_geojson_is_recognised_even_with_timelinejs_like_keys(tmp_path):
    """A feature may carry any keys; "eras" inside one does not make the file TimelineJS."""
    import json

    from desktop.core.load import load_dataset

    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": {"eras": []}, "properties": {}}],
    }
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(doc))
    assert load_dataset(path).format == "geojson"

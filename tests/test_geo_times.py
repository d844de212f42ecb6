"""GeoJSON times under any property name, found by their values; KML tracks and stamps."""

from __future__ import annotations

import json

from desktop.core.dates import PartialDate, Precision
from desktop.core.load import load_dataset
from desktop.core.model import PlaceKind


def _feature(props, lon=12.5, lat=41.9):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    }


def test_a_time_found_by_its_values(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "features": [
            _feature({"quando": "2020-05-09T14:30:00Z", "nome": "A", "deaths": 3}),
            _feature({"quando": "2020-05-10T08:00:00+02:00", "nome": "B", "deaths": 0}),
        ],
    }
    path = tmp_path / "found.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = load_dataset(path)
    assert result.errors == [] and result.warnings == []
    first, second = result.dataset.events
    assert first.start == PartialDate(2020, 5, 9, 14, 30)
    assert second.start == PartialDate(2020, 5, 10, 6, 0)  # converted to UTC once
    assert result.dataset.measures == ("deaths",)


def test_epoch_seconds_and_a_date_with_its_clock(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "features": [
            _feature({"day": "2025-03-10", "utc_time": "22:26", "mag": 4.3}),
            _feature({"day": "2025-03-08", "utc_time": "N/A", "mag": 4.1}),
            *(_feature({"day": f"2025-02-0{d}", "utc_time": "01:00", "mag": 4}) for d in (1, 2, 3)),
        ],
    }
    path = tmp_path / "split.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = load_dataset(path)
    assert result.errors == []
    first, second = result.dataset.events[:2]
    assert (first.start.iso(), first.precision) == ("2025-03-10T22:26", Precision.MINUTE)
    assert (second.start.iso(), second.precision) == ("2025-03-08", Precision.DAY)
    (warning,) = result.warnings
    assert warning.column == "utc_time" and "on its day" in warning.message


def test_kml_track_inside_a_multitrack(tmp_path):
    kml = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document><Folder><name>Trips</name><Folder><name>Walks</name>
<Placemark><name>Morning walk</name><gx:MultiTrack><gx:Track>
<when>2020-05-09T06:00:00.250+01:00</when><gx:coord>12.5 41.9 0</gx:coord>
<when>2020-05-09T06:30:00Z</when><gx:coord>12.6 41.95 0</gx:coord>
</gx:Track><gx:Track>
<when>2020-05-09T07:10:00Z</when><gx:coord>12.7 42.0 0</gx:coord>
</gx:Track></gx:MultiTrack></Placemark>
</Folder></Folder></Document></kml>"""
    path = tmp_path / "walk.kml"
    path.write_text(kml, encoding="utf-8")
    result = load_dataset(path)
    assert result.errors == []
    (walk,) = result.dataset.events
    assert walk.start.iso() == "2020-05-09T05:00" and walk.end is not None
    assert walk.end.iso() == "2020-05-09T07:10"
    assert walk.category == "Walks"  # the innermost folder
    (route,) = (result.dataset.places[p] for p in walk.places)
    assert route.kind is PlaceKind.ROUTE
    assert route.points == ((41.9, 12.5), (41.95, 12.6), (42.0, 12.7))

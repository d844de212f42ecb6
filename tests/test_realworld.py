"""Files people published, opened as a user would: what each README line says they expect."""

from __future__ import annotations

import hashlib

import pytest

from desktop.core.dates import PartialDate, Precision
from desktop.core.load import load_dataset
from desktop.core.model import PlaceKind

from .realworld import realworld_copy


def _load(name, tmp_path):
    path = realworld_copy(name, tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = load_dataset(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # input never changed
    return result


def _near(place, lat, lon):
    return abs(place.lat - lat) < 0.1 and abs(place.lon - lon) < 0.1


def _by_title(dataset):
    return {e.title: e for e in dataset.events}


def test_timelinejs_sheet_with_markdown(tmp_path):
    result = _load("timelinejs_cdil_demo-timeline.csv", tmp_path)
    data = result.dataset
    assert result.errors == [] and len(data.events) == 4
    assert data.places == {}  # TimelineJS has no places: no map noise
    assert data.title == "TimelineJS Template Example"
    dates = sorted((e.start.iso(), e.precision) for e in data.events)
    assert dates == [
        ("1910", Precision.YEAR),
        ("1912-09-08", Precision.DAY),
        ("1925-10-30T14:30", Precision.MINUTE),
        ("1947", Precision.YEAR),
    ]
    texts = [e.summary for e in data.events] + [
        f"{s.publisher} {s.title}" for s in data.sources.values()
    ]
    assert not any("](" in t or "demo_00" in t for t in texts)
    (source,) = data.sources.values()
    assert source.publisher.startswith("Vandal Video Collection")


def test_timelinejs_json_hundred_years_war(tmp_path):
    result = _load("timelinejs3_hundred_years_war.json", tmp_path)
    data = result.dataset
    assert result.errors == []
    eras = [e for e in data.events if "era" in e.tags]
    events = [e for e in data.events if "era" not in e.tags]
    assert len(events) == 42 and len(eras) == 1
    assert min(e.start.year for e in events) == 900
    assert max(e.start.year for e in events) <= 1453
    assert {"Kings of England", "Kings of France", "Notable of England"} <= set(data.categories())
    # The group headers' display date "." is no date to show.
    header = _by_title(data)["Kings of England"]
    assert header.display_date() == "900"


def test_newsroom_csv_without_places(tmp_path):
    result = _load("publici_iraq_war_timeline.csv", tmp_path)
    data = result.dataset
    assert result.errors == [] and result.warnings == []
    assert len(data.events) == 67 and data.places == {}
    first = min(data.events, key=lambda e: e.sort_key())
    assert (first.start.iso(), first.precision) == ("2001-09-11", Precision.DAY)
    assert first.title.startswith("On the morning of September 11, 2001")
    assert "2,974 dead" in first.summary
    assert data.sources[first.sources[0]].publisher == "Spreadsheet"
    assert sum(1 for e in data.events if e.sources) == 64  # three rows name no source


def test_story_map_csv(tmp_path):
    result = _load("abc7_defining_courage.csv", tmp_path)
    data = result.dataset
    assert result.errors == []
    assert len(data.events) == 14 and all(e.places for e in data.events)
    events = _by_title(data)
    pearl = events["Pearl Harbor, Hawaii"]
    assert (pearl.start.iso(), pearl.precision) == ("1941-12-07", Precision.DAY)
    assert _near(data.places[pearl.places[0]], 21.3529822, -158.0333761)
    dachau = events["Dachau, Germany"]
    assert (dachau.start.iso(), dachau.end and dachau.end.iso()) == ("1945-04", "1945-05")
    assert dachau.precision is Precision.MONTH and dachau.approximate
    assert dachau.display_date() == "April-May 1945"
    summaries = " ".join(e.summary for e in data.events)
    assert "<p>" in summaries and "<img" not in summaries and "<script" not in summaries
    # The stops are a briefing: one step each, in position order, at the stop's own zoom.
    assert [s.order for s in data.story] == list(range(1, 15))
    first = data.story[0]
    assert first.events == (pearl.id,) and first.view is not None and first.view.zoom == 12
    # The intro slide has no date: one line says it was left out.
    (skipped,) = result.warnings
    assert (skipped.row, skipped.column) == (2, "date")


def test_roman_battles_bce(tmp_path):
    result = _load("roman_battles.csv", tmp_path)
    data = result.dataset
    assert result.errors == []
    assert len(data.events) == 247
    unplaced = [e for e in data.events if not e.places]
    assert len(unplaced) == 22
    events = _by_title(data)
    silva = events["Battle of Silva Arsia"]
    assert silva.start == PartialDate(-509) and silva.precision is Precision.YEAR
    assert silva.display_date() == "509 BC"
    assert _near(data.places[silva.places[0]], 41.9, 12.5)
    ordered = data.sorted_events()
    assert ordered[0].title == "Battle of Silva Arsia"
    years = [e.start.year for e in ordered]
    assert years == sorted(years) and years[0] == -509 and years[-1] > 0
    # BCE years sort before CE ones and draw in that order too.
    lows = [e.start.lower_epoch() for e in ordered]
    assert lows == sorted(lows)
    # The 22 rows without coordinates are one kind of warning.
    assert {w.message for w in result.warnings} == {
        "no coordinates: the event is on the timeline only"
    }


def test_acled_export(tmp_path):
    result = _load("acled_2020-05.csv", tmp_path)
    data = result.dataset
    assert result.errors == []
    assert len(data.events) == 5071
    assert set(data.categories()) == {
        "Battles",
        "Explosions/Remote violence",
        "Protests",
        "Riots",
        "Strategic developments",
        "Violence against civilians",
    }
    assert data.measures == ("fatalities",)
    haifa = data.event("ISR1786")
    assert (haifa.start.iso(), haifa.precision) == ("2020-05-09", Precision.DAY)
    assert haifa.category == "Protests" and haifa.title == "Peaceful protest in Haifa"
    assert haifa.summary.startswith("On 9 May 2020, medical interns protested")
    assert _near(data.places[haifa.places[0]], 32.8184, 34.9885)
    assert data.sources[haifa.sources[0]].publisher == "Jerusalem Post"
    yemen = data.event("YEM52360")
    assert dict(yemen.extra)["fatalities"] == "7"
    # Usable to size markers by: a number on every event that has one.
    values = [dict(e.extra)["fatalities"] for e in data.events]
    assert sum(float(v) for v in values if v) > 1000 and values.count("") <= 1


def test_usgs_feed_geojson(tmp_path):
    result = _load("usgs_4.5_month_2014-03.geojson", tmp_path)
    data = result.dataset
    assert result.errors == [] and result.warnings == []
    assert len(data.events) == 409
    first = data.events[0]
    # time 1395413151830 ms is 2014-03-21 14:45:51 UTC.
    assert (first.start.iso(), first.precision) == ("2014-03-21T14:45", Precision.MINUTE)
    assert _near(data.places[first.places[0]], 7.5645, 94.251)
    assert "mag" in data.measures and dict(first.extra)["mag"] == "5"
    lons = [p.lon for p in data.places.values()]
    assert min(lons) < -150 and max(lons) > 150  # the whole world's points


def test_nepal_earthquakes_date_and_time_split(tmp_path):
    result = _load("nepal_earthquakes.geojson", tmp_path)
    data = result.dataset
    assert result.errors == []
    assert len(data.events) == 4382
    assert len(result.warnings) <= 3  # three "N/A" times, not 4,382 warnings
    first = data.event("1")
    assert (first.start.iso(), first.precision) == ("2025-03-10T22:26", Precision.MINUTE)
    assert data.places[first.places[0]].name == "Kaski"
    assert _near(data.places[first.places[0]], 28.28, 84.13)
    assert data.measures == ("magnitude",)


def test_geonet_kml_milliseconds(tmp_path):
    result = _load("geonet_darfield_earthquakes.kml", tmp_path)
    data = result.dataset
    assert result.errors == []
    assert len(data.events) == 1006
    main = _by_title(data)["M7.1 - 2010-09-03T16:35:41.291Z"]
    assert (main.start.iso(), main.precision) == ("2010-09-03T16:35", Precision.MINUTE)
    assert main.category == "Mag 7+ earthquakes by date"
    assert _near(data.places[main.places[0]], -43.5506, 172.1745)
    assert len(data.categories()) == 5 and data.measures == ("mag",)


def test_google_location_history_track(tmp_path):
    result = _load("google_latitude_history.kml", tmp_path)
    data = result.dataset
    assert result.errors == []
    (track,) = data.events
    # -07:00 times, converted to UTC once.
    assert track.start.iso() == "2013-05-24T07:01"
    assert track.end is not None and track.end.iso() == "2013-06-07T06:58"
    (route,) = (data.places[p] for p in track.places)
    assert route.kind is PlaceKind.ROUTE and len(route.points) > 1000
    assert _near_point(route.points[0], 36.1008052, -79.5151342)
    assert _near_point(route.points[-1], 37.398261, -122.1669441)


def _near_point(point, lat, lon):
    return abs(point[0] - lat) < 0.1 and abs(point[1] - lon) < 0.1


def test_timemap_mid_2020_layout(tmp_path):
    result = _load("fa_timemap_datasheet_2020-07.xlsx", tmp_path)
    data = result.dataset
    assert result.format == "timemap" and result.errors == []
    assert len(data.events) == 11
    first = data.event("event-1")
    assert first.title == "Person A appears on the scene."
    assert (first.start.iso(), first.precision) == ("2015-10-10T16:20", Precision.MINUTE)
    assert first.category == "alpha" and first.tags == ("Person A",)
    assert _near(data.places[first.places[0]], 31.3484783, 34.7874169)
    assert [s.title for s in data.story] == ["Narrative 1", "Narrative 2", "Narrative 3"]
    assert set(data.categories()) == {"alpha", "beta"}


@pytest.mark.parametrize(
    "name",
    [
        "timelinejs_cdil_demo-timeline.csv",
        "timelinejs3_hundred_years_war.json",
        "publici_iraq_war_timeline.csv",
        "abc7_defining_courage.csv",
        "roman_battles.csv",
        "acled_2020-05.csv",
        "usgs_4.5_month_2014-03.geojson",
        "nepal_earthquakes.geojson",
        "geonet_darfield_earthquakes.kml",
        "google_latitude_history.kml",
        "fa_timemap_datasheet_2020-07.xlsx",
    ],
)
def test_json_export_reloads_the_same_events(tmp_path, name):
    from desktop.core.formats.json_file import write_json_dataset

    data = _load(name, tmp_path).dataset
    out = tmp_path / "out.json"
    write_json_dataset(data, out)
    again = load_dataset(out)
    assert again.errors == []
    assert [(e.id, e.start, e.end) for e in again.dataset.events] == [
        (e.id, e.start, e.end) for e in data.events
    ]
    # The measures and their values come back too.
    assert again.dataset.measures == data.measures
    for measure in data.measures:
        assert [dict(e.extra).get(measure) for e in again.dataset.events] == [
            dict(e.extra).get(measure) for e in data.events
        ]


def test_an_export_window_in_bce_years(tmp_path):
    import json

    from desktop.cli import main

    path = realworld_copy("roman_battles.csv", tmp_path)
    out = tmp_path / "window.json"
    assert (
        main(["export", str(path), "--json", str(out), "--from", "300 BC", "--to", "100 BC"]) == 0
    )
    events = json.loads(out.read_text(encoding="utf-8"))["events"]
    years = sorted(int(e["start"]) for e in events)
    assert len(events) == 83 and years[0] >= -300 and years[-1] <= -100
    assert all(e["start"].startswith("-0") for e in events)  # signed, historians' count

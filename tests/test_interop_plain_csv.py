"""A plain CSV with a date, a title and a place name opens on the map with no coordinates."""

from __future__ import annotations

from pathlib import Path

from desktop.core.dates import Precision
from desktop.core.load import load_dataset


def _csv(tmp_path: Path, text: str, name: str = "events.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_moscow_tehran_baku_resolve(tmp_path):
    path = _csv(
        tmp_path,
        "Date,Title,Place\n"
        "2025-01-17,Treaty signed,Moscow\n"
        "2024-10,Talks in Tehran,Tehran\n"
        "2024,Trilateral meeting,Baku\n",
    )
    result = load_dataset(path)
    assert result.format == "plain-csv"
    assert result.errors == []
    data = result.dataset
    coords = {p.name: (p.lat, p.lon) for p in data.places.values()}
    expected = {"Moscow": (55.75, 37.62), "Tehran": (35.69, 51.42), "Baku": (40.38, 49.89)}
    assert coords.keys() == expected.keys()
    for name, (lat, lon) in expected.items():
        assert abs(coords[name][0] - lat) < 0.05 and abs(coords[name][1] - lon) < 0.05, name
    assert [data.places[e.places[0]].name for e in data.events] == ["Moscow", "Tehran", "Baku"]
    assert [e.precision for e in data.events] == [Precision.DAY, Precision.MONTH, Precision.YEAR]
    # Moscow, Idaho has more than 15,000 people too: the choice is reported on the cell.
    (warning,) = result.warnings
    assert (warning.row, warning.column) == (2, "Place")
    assert "chose the most populous, Moscow, Russia" in warning.message
    assert "Moscow, United States" in warning.message


def test_unresolved_and_qualified_names(tmp_path):
    path = _csv(
        tmp_path,
        "When,Event,Location,Country,Notes\n"
        "2020-01-01,Lost,Qwzxville,,kept\n"
        "2020-02-01,Idaho,Moscow,US,\n"
        '2020-03-01,Comma form,"Paris, France",,\n'
        "2020-04-01,Alternate spelling,Teheran,,\n"
        "2020-05-01,Country,Azerbaijan,,\n"
        "2020-06-01,Two places,Moscow; Baku,Russia,\n",
    )
    result = load_dataset(path)
    assert result.format == "plain-csv" and result.errors == []
    events = {e.title: e for e in result.dataset.events}
    places = result.dataset.places
    # A Notes column is the description.
    assert events["Lost"].places == () and events["Lost"].summary == "kept"
    lost = [w for w in result.warnings if "Qwzxville" in w.message]
    assert [(w.row, w.column) for w in lost] == [(2, "Location")]
    idaho = places[events["Idaho"].places[0]]
    assert idaho.name == "Moscow" and idaho.lon < -100
    assert places[events["Comma form"].places[0]].lat > 48
    assert places[events["Alternate spelling"].places[0]].name == "Tehran"
    country = places[events["Country"].places[0]]
    assert (country.kind.value, country.iso3) == ("area", "AZE")
    # "Baku" is not in Russia: the Country column narrows the search, so it is reported.
    assert len(events["Two places"].places) == 1
    assert any(w.row == 7 and "'Baku'" in w.message for w in result.warnings)


def test_coordinates_given_win(tmp_path):
    path = _csv(tmp_path, "date,title,place,lat,lon\n2021-05-05,Pinned,Moscow,10.5,20.25\n")
    result = load_dataset(path)
    assert result.problems == []
    (place,) = result.dataset.places.values()
    assert (place.name, place.lat, place.lon) == ("Moscow", 10.5, 20.25)


def test_bad_dates_are_errors_on_their_cell(tmp_path):
    path = _csv(tmp_path, "Date,Title,Place\nsoon,Bad,Baku\n2021,Good,Baku\n")
    result = load_dataset(path)
    assert [e.title for e in result.dataset.events] == ["Good"]
    (error,) = result.errors
    assert (error.row, error.column) == (2, "Date")


def test_native_events_csv_is_still_native(tmp_path):
    path = _csv(tmp_path, "id,title,start,places\na,A,2020,\n", name="mine.csv")
    assert load_dataset(path).format == "csv"

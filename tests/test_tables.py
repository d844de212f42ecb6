"""Tables of any shape: delimiters, encodings, decimal commas, headers in several languages,
coordinates in one column or as WKT, presets, and the user's own mapping."""

from __future__ import annotations

import json
import random

import pytest

from desktop.cli import main
from desktop.core.dates import PartialDate, Precision
from desktop.core.formats.roles import ImportOptions, write_sidecar
from desktop.core.import_preview import needs_review
from desktop.core.load import load_dataset


def _write(tmp_path, text, name="table.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_any_delimiter_and_encoding(tmp_path, delimiter, encoding):
    rows = [
        ["Datum", "Ereignis", "Ort", "Breite", "Länge"],
        ["17.01.2025", "Vertrag unterzeichnet", "Moskau", "55,75", "37,62"],
        ["März 2024", "Gespräche in Baku", "Baku", "40,38", "49,89"],
    ]
    if delimiter == ",":  # a decimal comma needs quoting in a comma-separated file
        rows = [[f'"{c}"' if "," in c else c for c in r] for r in rows]
    text = "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"
    result = load_dataset(_write(tmp_path, text, encoding=encoding))
    assert result.format == "plain-csv" and result.errors == []
    first, second = result.dataset.events
    assert (first.title, first.start) == ("Vertrag unterzeichnet", PartialDate(2025, 1, 17))
    assert (second.start, second.precision) == (PartialDate(2024, 3), Precision.MONTH)
    place = result.dataset.places[first.places[0]]
    assert (place.name, place.lat, place.lon) == ("Moskau", 55.75, 37.62)
    if encoding == "cp1252":
        assert any("cp1252" in n.message for n in result.notes)


@pytest.mark.parametrize(
    ("header", "row"),
    [
        ("date,titre,lieu,coordonnées", '2020-05-09,Manifestation,Paris,"48.85, 2.35"'),
        ("fecha;evento;lugar;geometry", "9 de mayo de 2020;Protesta;Madrid;POINT (2.35 48.85)"),
        ("дата,событие,место,широта,долгота", "9 мая 2020,Митинг,Москва,48.85,2.35"),
    ],
)
def test_headers_in_other_languages_and_one_column_coordinates(tmp_path, header, row):
    result = load_dataset(_write(tmp_path, f"{header}\n{row}\n"))
    assert result.errors == []
    (event,) = result.dataset.events
    assert event.start == PartialDate(2020, 5, 9)
    place = result.dataset.places[event.places[0]]
    assert (place.lat, place.lon) == (48.85, 2.35)


def test_year_month_day_columns_and_no_place(tmp_path):
    text = "Year,Month,Day,Event\n-44,3,15,Caesar killed\n1066,,,Hastings\n1969,July,20,Moon\n"
    result = load_dataset(_write(tmp_path, text))
    assert result.errors == [] and result.warnings == []
    events = {e.title: e for e in result.dataset.events}
    assert events["Caesar killed"].start == PartialDate(-44, 3, 15)
    assert events["Hastings"].start == PartialDate(1066)
    assert events["Moon"].start == PartialDate(1969, 7, 20)
    assert result.dataset.places == {}  # no place is fine: the timeline only
    # TimelineJS sheets write BCE years signed too.
    sheet = _write(tmp_path, "Year,Month,Day,Headline,Text\n-44,3,15,Caesar killed,Ides\n", "t.csv")
    result = load_dataset(sheet)
    assert result.format == "timelinejs-csv" and result.errors == []
    assert result.dataset.events[0].start == PartialDate(-44, 3, 15)


def test_ucdp_and_gdelt_presets(tmp_path):
    ucdp = _write(
        tmp_path,
        "id,year,type_of_violence,conflict_name,dyad_name,where_coordinates,latitude,longitude,"
        "date_start,date_end,best,low,high,source_headline\n"
        "1,2019,1,Ukraine: Donbas,Government of Ukraine - DPR,Horlivka,48.33,38.05,"
        "2019-01-02,2019-01-03,2,1,3,Shelling\n",
        "ged.csv",
    )
    result = load_dataset(ucdp)
    assert result.errors == []
    (event,) = result.dataset.events
    assert event.title == "Government of Ukraine - DPR" and event.category == "state-based conflict"
    assert (event.start.iso(), event.end and event.end.iso()) == ("2019-01-02", "2019-01-03")
    assert result.dataset.measures == ("best", "low", "high")
    gdelt = _write(
        tmp_path,
        "GLOBALEVENTID\tSQLDATE\tActor1Name\tActor2Name\tEventCode\tQuadClass\tNumMentions\t"
        "ActionGeo_FullName\tActionGeo_Lat\tActionGeo_Long\tSOURCEURL\n"
        "1\t20200509\tPOLICE\tPROTESTER\t145\t4\t10\tParis, France\t48.85\t2.35\t"
        "https://example.org/a\n",
        "gdelt.tsv",
    )
    result = load_dataset(gdelt)
    assert result.errors == []
    (event,) = result.dataset.events
    assert (event.start, event.category) == (PartialDate(2020, 5, 9), "material conflict")
    assert event.title == "POLICE – 145 – PROTESTER"
    assert result.dataset.sources[event.sources[0]].url == "https://example.org/a"
    assert result.dataset.measures == ("NumMentions",)


def test_map_and_day_order_on_the_command_line_and_in_the_sidecar(tmp_path, capsys):
    path = _write(tmp_path, "a,b,c\n03/04/2025,x,Signing\n05/06/2025,y,Visit\n")
    out = tmp_path / "out.json"
    args = ["--map", "title=c", "--map", "category=b", "--monthfirst"]
    assert main(["export", str(path), "--json", str(out), *args]) == 0
    events = json.loads(out.read_text())["events"]
    assert [(e["title"], e["start"], e["category"]) for e in events] == [
        ("Signing", "2025-03-04", "x"),
        ("Visit", "2025-05-06", "y"),
    ]
    # The same choice remembered next to the file is read by every command.
    write_sidecar(path, ImportOptions({"title": "c"}, None, None))
    assert main(["export", str(path), "--json", str(out), "--dayfirst"]) == 0
    assert [e["start"] for e in json.loads(out.read_text())["events"]] == [
        "2025-04-03",
        "2025-06-05",
    ]
    assert [e["title"] for e in json.loads(out.read_text())["events"]] == ["Signing", "Visit"]
    assert main(["validate", str(path), "--map", "nonsense=c"]) == 2
    assert "unknown role 'nonsense'" in capsys.readouterr().err


def test_export_of_nothing_fails_in_one_line(tmp_path, capsys):
    path = _write(tmp_path, "name,colour\nApple,red\nPear,green\n")
    assert main(["export", str(path), "--json", str(tmp_path / "out.json")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("chronomap export: ") and "no events to export" in err[-1]
    assert "no column holds dates" in err[0]
    assert not (tmp_path / "out.json").exists()
    assert main(["validate", str(path)]) == 1


def test_a_large_file_of_garbage_is_said_to_be_so_from_its_first_rows(tmp_path):
    rng = random.Random(4)
    alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789,;" \n'
    chunk = "".join(rng.choice(alphabet) for _ in range(500_000))
    path = tmp_path / "garbage.csv"
    path.write_text("name,colour\n" + chunk * 12, encoding="utf-8")  # 6 MB
    result = load_dataset(path)
    assert result.dataset.events == []
    assert "no column holds dates" in result.errors[0].message
    # Only the first rows were read: a few hundred problems, not one per row of the file.
    assert len(result.problems) < 2000
    assert not needs_review(result)  # nothing to choose in the import dialog either


def test_identical_problems_are_grouped(tmp_path, capsys):
    rows = "".join(f"2020-01-{d:02d},Event {d},,\n" for d in range(1, 29))
    path = _write(tmp_path, "date,title,lat,lon\n2020-01-01,Placed,41.9,12.5\n" + rows)
    assert main(["validate", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{path}:3:lat: warning: rows 3–30 (28): no coordinates: the event is on the timeline only"
    ]


def test_a_workbook_first_sheet_of_dated_rows(tmp_path):
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Read me"
    notes.append(["This sheet explains the data"])
    sheet = book.create_sheet("Incidents")
    sheet.append(["Reported", "Incident", "Location", "Deaths"])
    sheet.append([datetime.datetime(2020, 5, 9), "Clash", "Haifa", 3])
    sheet.append([datetime.datetime(2020, 5, 10, 14, 30), "Protest", "Baku", 0])
    path = tmp_path / "incidents.xlsx"
    book.save(path)
    result = load_dataset(path)
    assert result.format == "table-xlsx" and result.errors == []
    first, second = result.dataset.events
    assert (first.title, first.start, first.precision) == (
        "Clash",
        PartialDate(2020, 5, 9),
        Precision.DAY,
    )
    assert second.start == PartialDate(2020, 5, 10, 14, 30)
    assert result.dataset.measures == ("Deaths",)
    assert dict(first.extra)["Deaths"] == "3"


def test_a_time_column_of_dates_is_the_date(tmp_path):
    # USGS's CSV feed: "time" holds the whole moment, "place" a description.
    path = _write(
        tmp_path,
        "time,latitude,longitude,depth,mag,place\n"
        "2014-03-21T14:45:51.830Z,7.5645,94.251,10,5,112km ESE of Mohean\n"
        "2014-03-21T09:15:00.000Z,-20.1,-70.2,20,4.6,Iquique\n",
    )
    result = load_dataset(path)
    assert result.errors == []
    first, second = result.dataset.events
    assert first.start == PartialDate(2014, 3, 21, 14, 45) and first.title == "112km ESE of Mohean"
    assert result.dataset.measures == ("mag",)


def test_choices_given_for_the_window_hold_for_the_session(tmp_path):
    from desktop.core.dates import DateOrder
    from desktop.core.load import use_options

    path = _write(tmp_path, "a;b\n03/04/2025;Signing\n")
    assert load_dataset(path).dataset.events[0].start == PartialDate(2025, 4, 3)
    use_options(path, ImportOptions({}, None, DateOrder.MONTH_FIRST))
    try:
        assert load_dataset(path).dataset.events[0].start == PartialDate(2025, 3, 4)
    finally:
        use_options(path, None)
    assert load_dataset(path).dataset.events[0].start == PartialDate(2025, 4, 3)
    assert not (tmp_path / "table.chronomap.json").exists()  # nothing written for it


def test_opening_a_sidecar_opens_the_table_it_describes(tmp_path, capsys):
    # File managers hand every *.chronomap.json to Chronomap, the sidecar of a CSV too.
    path = _write(tmp_path, "a,b,c\n03/04/2025,x,Signing\n05/06/2025,y,Visit\n")
    side = write_sidecar(path, ImportOptions({"title": "c"}, None, None))
    result = load_dataset(side)
    assert result.path == path
    assert [e.title for e in result.dataset.events] == ["Signing", "Visit"]
    # A sidecar written before it named its table finds the table by its name.
    side.write_text('{"chronomap-import": 1, "roles": {"title": "c"}}\n')
    assert [e.title for e in load_dataset(side).dataset.events] == ["Signing", "Visit"]
    # Without its table, one line says what to open instead.
    path.unlink()
    assert main(["validate", str(side)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "open the table itself" in err[0]

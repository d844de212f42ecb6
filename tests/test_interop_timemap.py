"""Forensic Architecture timemap workbooks: sites, narratives, filters, and warnings by cell."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import openpyxl

from desktop.core.dates import Precision
from desktop.core.load import load_dataset

FIXTURES = Path(__file__).parent / "fixtures" / "interop"
TIMEMAP = FIXTURES / "timemap_data.xlsx"


def test_fixture_gives_eleven_events_and_six_places():
    result = load_dataset(TIMEMAP)
    assert result.format == "timemap"
    assert result.errors == []
    data = result.dataset
    assert len(data.events) == 11
    assert len(data.places) == 6
    placed = [e for e in data.events if e.places]
    assert len(placed) == 10
    (unplaced,) = [e for e in data.events if not e.places]
    assert unplaced.title.startswith("Somthing happened (out of space)")
    assert "no location" in unplaced.note
    araqib = data.places["al-araqib"]
    assert (araqib.name, araqib.lat, araqib.lon) == ("Al Araqib", 31.3484783, 34.7874169)
    first = data.events[0]
    assert first.start.iso() == "2015-10-10T16:20" and first.places == ("al-araqib",)
    assert first.sources == ("src1",) and data.sources["src1"].title == "Gaza"


def test_narratives_become_story_steps_in_time_order():
    data = load_dataset(TIMEMAP).dataset
    assert [s.title for s in data.story] == ["first narrative", "second narrative"]
    by_id = {e.id: e for e in data.events}
    first = data.story[0]
    titles = [by_id[i].title for i in first.events]
    assert len(titles) == 4 and titles[0].startswith("8th thing happened")
    starts = [by_id[i].lower() for i in first.events]
    assert starts == sorted(starts)
    assert first.start is not None and first.start.iso() == "2014-12-09T11:00"
    assert len(data.story[1].events) == 4


def test_filters_become_tags():
    data = load_dataset(TIMEMAP).dataset
    tags = {e.title.split(".")[0]: e.tags for e in data.events}
    assert tags["Person A appears on the scene and sprays tear gas"] == ("Tear Gas",)
    assert tags["Fourth thing happened with a baton"] == ("Baton",)
    assert tags["9th thing happened"] == ()


def test_malformed_time_and_undefined_narrative_are_warnings_naming_the_cell():
    result = load_dataset(TIMEMAP)
    warnings = [str(w) for w in result.warnings]
    time_warnings = [w for w in warnings if "13.45" in w]
    assert time_warnings == [
        f"{TIMEMAP}#Events:11:Time: warning: time '13.45' is not a time "
        "(did you mean 13:45?): write it as HH:MM; the event is placed on its day only"
    ]
    tenth = next(e for e in result.dataset.events if e.title == "10th thing happened")
    assert tenth.precision is Precision.DAY and tenth.start.iso() == "2014-11-09"
    narrative_3 = [w for w in result.warnings if "narrative_3" in w.message]
    assert [(w.row, w.column) for w in narrative_3] == [
        (2, "Association 3"),
        (3, "Association 3"),
        (4, "Association 3"),
        (8, "Association 2"),
        (12, "Association 2"),
    ]
    assert all(w.path == f"{TIMEMAP}#Events" for w in narrative_3)
    assert "not defined" in narrative_3[0].message


def _workbook(path: Path, events: list[list], sites: list[list], associations: list[list]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("Events")
    sheet.append(["Description", "Date", "Time", "Location", "Association 1", "Source"])
    for row in events:
        sheet.append(row)
    sheet = book.create_sheet("Sites")
    sheet.append(["Location", "Lat", "Long"])
    for row in sites:
        sheet.append(row)
    sheet = book.create_sheet("Associations")
    sheet.append(["ID", "Description", "Mode", "Filter Path"])
    for row in associations:
        sheet.append(row)
    book.create_sheet("Sources").append(["ID", "Title", "Path 1", "Type"])
    book.save(path)


def test_categories_unknown_sites_and_text_dates(tmp_path):
    path = tmp_path / "mine.xlsx"
    _workbook(
        path,
        [
            ["Shelling reported", datetime(2024, 3, 1), time(6, 5), "Town", "alpha", "src9"],
            ["Convoy seen", "03/02/2024", "7:45", "Nowhere", "", None],
            ["No date", None, None, "Town", None, None],
        ],
        [["Town", 48.5, 35.1], ["Broken", "north", 35.0]],
        [["alpha", "first kind", "CATEGORY", None]],
    )
    result = load_dataset(path)
    assert result.format == "timemap"
    data = result.dataset
    shelling, convoy = data.events
    assert shelling.category == "alpha" and shelling.start.iso() == "2024-03-01T06:05"
    # timemap writes slashed dates month first.
    assert convoy.start.iso() == "2024-03-02T07:45" and convoy.places == ()
    assert list(data.places) == ["town"]
    messages = {
        (p.path.rsplit("#", 1)[-1], p.row, p.column, p.severity): p for p in result.problems
    }
    assert ("Events", 3, "Location", "warning") in messages
    assert ("Events", 2, "Source", "warning") in messages
    assert ("Sites", 3, "Lat", "warning") in messages
    assert ("Events", 4, "Date", "error") in messages
    assert "Nowhere" in messages[("Events", 3, "Location", "warning")].message


def test_native_workbook_is_not_mistaken_for_timemap(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "events"
    book.active.append(["id", "title", "start"])
    book.active.append(["a", "A", "2024"])
    path = tmp_path / "native.xlsx"
    book.save(path)
    assert load_dataset(path).format == "xlsx"

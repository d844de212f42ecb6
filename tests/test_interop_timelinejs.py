"""TimelineJS spreadsheets (CSV) and JSON open as timeline-only datasets."""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop.core.dates import Precision
from desktop.core.load import load_dataset

FIXTURES = Path(__file__).parent / "fixtures" / "interop"
CSV = FIXTURES / "women_in_computing.csv"
JSON = FIXTURES / "women_in_computing.json"

HEADER = (
    "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,"
    "Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n"
)


def _summary(result):
    return [
        (
            e.id,
            e.title,
            e.start.iso(),
            e.end.iso() if e.end else None,
            e.precision,
            e.category,
            e.date_label,
            e.summary,
            tuple(result.dataset.sources[s].url for s in e.sources),
        )
        for e in result.dataset.events
    ]


def test_csv_and_json_give_the_same_ten_events():
    from_csv, from_json = load_dataset(CSV), load_dataset(JSON)
    assert (from_csv.format, from_json.format) == ("timelinejs-csv", "timelinejs-json")
    assert from_csv.problems == [] and from_json.problems == []
    assert len(from_csv.dataset.events) == 10
    assert _summary(from_csv) == _summary(from_json)
    assert from_csv.dataset.title == from_json.dataset.title == "Women in Computing"
    assert from_csv.dataset.description.startswith("In this sample timeline")


def test_precision_is_kept_as_written():
    events = {e.title: e for e in load_dataset(CSV).dataset.events}
    peter = events["Rózsa Péter writes recursion"]
    assert peter.precision is Precision.YEAR and peter.start.iso() == "1951"
    eniac = events["...And the women who made it work"]
    assert eniac.start.iso() == "1943-07" and eniac.precision is Precision.MONTH
    assert eniac.end is not None and eniac.end.iso() == "1946"
    ada = events["Ada Lovelace"]
    assert (ada.start.iso(), ada.end and ada.end.iso()) == ("1815-12-10", "1852-11-27")
    # A year-only event covers its whole year on the timeline.
    assert peter.lower().month == 1 and peter.upper().year == 1952


def test_timeline_only_and_media_links_become_sources():
    data = load_dataset(JSON).dataset
    assert data.places == {} and all(e.places == () for e in data.events)
    events = {e.title: e for e in data.events}
    (source_id,) = events["Ada Lovelace"].sources
    source = data.sources[source_id]
    assert source.publisher == "Wikimedia Commons"
    assert source.title == "Portrait by Alfred Edward Chalon"
    assert source.url.endswith("Ada_Lovelace_portrait.jpg")
    # The credit was a link in HTML: the publisher is its text.
    eniac = data.sources[events["...And the women who made it work"].sources[0]]
    assert eniac.publisher == "Computer History Museum"
    # A quotation is not a link: it is shown with the event, not listed as a source.
    clarke = events["Edith Clarke: Bucking the Trend"]
    assert clarke.sources == () and "There is no demand for women engineers" in clarke.summary


def test_text_html_is_sanitised_but_links_and_emphasis_stay():
    ada = load_dataset(CSV).dataset.events[0]
    assert '<a href="https://en.wikipedia.org/wiki/Ada_Lovelace"' in ada.summary
    assert "class=" not in ada.summary and "<span" not in ada.summary
    assert "This slide demonstrates" in ada.summary


def test_hostile_html_is_removed(tmp_path):
    text = (
        '"<p onclick=""x()"">Hi <em>there</em><script>alert(1)</script>'
        '<img src=x onerror=alert(2)> <a href=""javascript:alert(3)"">bad</a> '
        '<a href=""https://example.org"">good</a></p>"'
    )
    path = tmp_path / "t.csv"
    path.write_text(HEADER + f"2020,1,2,,,,,,,Hostile,{text},,,,,,,\n", encoding="utf-8")
    result = load_dataset(path)
    (event,) = result.dataset.events
    assert "<em>there</em>" in event.summary
    assert '<a href="https://example.org"' in event.summary
    for banned in ("script", "alert", "onerror", "onclick", "<img", "javascript:"):
        assert banned not in event.summary


def test_group_display_date_time_and_eras(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(
        HEADER
        + ",,,,,,,,,My title,<p>About</p>,,,,,title,,\n"
        + "2025,1,17,14:30,,,,,mid-January,Signed,,,,,,,Treaties,\n"
        + "2024,11,,,,,,,,Talks,,,,,,,Diplomacy,\n"
        + "2020,,,,2024,,,,,An era,,,,,,era,,\n",
        encoding="utf-8",
    )
    result = load_dataset(path)
    assert result.problems == []
    data = result.dataset
    assert data.title == "My title" and data.description == "About"
    signed, talks, era = data.events
    assert signed.start.iso() == "2025-01-17T14:30" and signed.precision is Precision.MINUTE
    assert (signed.category, signed.date_label) == ("Treaties", "mid-January")
    assert talks.precision is Precision.MONTH and talks.category == "Diplomacy"
    assert era.tags == ("era",) and era.end is not None and era.end.iso() == "2024"


def test_an_era_lands_in_the_timelines_era_band(tmp_path):
    """Not an ordinary four-year bar in a "(none)" lane: shaded behind the lanes."""
    from desktop.gui.timeline_layout import TimelineLayout

    path = tmp_path / "timeline.csv"
    path.write_text(
        HEADER + "2024,11,,,,,,,,Talks,,,,,,,Diplomacy,\n" + "2020,,,,2024,,,,,An era,,,,,,era,,\n",
        encoding="utf-8",
    )
    data = load_dataset(path).dataset
    era = next(e for e in data.events if e.title == "An era")
    assert era.category == "era"
    layout = TimelineLayout.build(data)
    assert [e.id for e in layout.eras] == [era.id]
    assert era.id not in layout.ids and layout.categories == ["Diplomacy"]


def test_bad_parts_name_their_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "2020,13,1,,,,,,,Bad month,,,,,,,,\n" + "2021,2,30,,,,,,,Bad day,,,,,,,,\n"
        "2021,2,3,25:00,,,,,,Bad time,,,,,,,,\n"
        "2022,,,,2020,,,,,Backwards,,,,,,,,\n" + "2022,,,,,,,,,Good,,,,,,,,\n",
        encoding="utf-8",
    )
    result = load_dataset(path)
    assert [e.title for e in result.dataset.events] == ["Good"]
    where = [(p.row, p.column) for p in result.errors]
    assert where == [(2, "Month"), (3, "Day"), (4, "Time"), (5, "End Year")]
    assert "month 13" in result.errors[0].message


def test_recognised_by_content_not_name(tmp_path):
    renamed = tmp_path / "export.txt"
    shutil.copy(CSV, renamed)
    assert load_dataset(renamed).format == "timelinejs-csv"
    data_json = tmp_path / "timeline.data"
    shutil.copy(JSON, data_json)
    result = load_dataset(data_json)
    assert result.format == "timelinejs-json" and len(result.dataset.events) == 10

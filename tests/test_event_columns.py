"""The events read as columns (Parquet, CSV through Arrow) give exactly the dataset the
row-by-row builder gives: events, problems, spans and date order alike."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core import event_columns, records
from desktop.core.event_columns import events_from_arrow
from desktop.core.formats import csv_folder
from desktop.core.formats.csv_folder import write_csv_folder
from desktop.core.formats.json_file import write_json_dataset
from desktop.core.formats.parquet_file import write_parquet_dataset
from desktop.core.load import load_dataset
from desktop.core.model import Dataset, Event, Place, PlaceKind, Source
from desktop.core.problems import Problems
from desktop.core.records import Table, build_events
from desktop.core.row_arrays import RowArrays, arrays_of
from desktop.core.spans import event_spans
from desktop.core.synthetic import make_dataset
from desktop.resources import builtin_dataset

from .realworld import realworld_copy

PLACES = {p: Place(p, p.title(), PlaceKind.POINT, 1.0, 2.0) for p in ("msk", "thr")}
SOURCES = {s: Source(s, "Pub", "Title") for s in ("s1", "s2")}
DATES = st.sampled_from(
    ["2025", "2025-01", "2025-01-17", "2025-01-17T14:30", "c. 2024", "2024/2025", "2025-02-30"]
    + ["1999-12", "", "  2025-03 ", "soon", "2026", "circa 2025-03", "2025 to 2026", "-0509"]
    + ["2024-12-31T23:59", "44 BC", "2025-01-17 09:05", "1 March 2025"]
)
TEXT = st.one_of(st.text(max_size=6), st.sampled_from(["", " a ", "x", "\xa0b", "c\u2003"]))
IDS = st.sampled_from(["msk", "msk; thr", " thr , msk", "nowhere; msk", "", ";", "s1", "s2;s1"])
FLAGS = st.sampled_from(["yes", "", " No ", "x", "maybe", "1", "true"])


@pytest.fixture(autouse=True)
def _csv_through_arrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """These small files stand for large ones: read them as columns too."""
    monkeypatch.setattr(csv_folder, "ROW_BY_ROW_BYTES", 0)


# Rows of text, as a CSV file holds them: every column of the events sheet, a cell each.
ROW = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["e1", "e2", "e3", " e1 ", "", "e4"]),
        "title": st.sampled_from(["Signed", "Met", "  ", " Talks "]),
        "start": DATES,
        "end": st.one_of(st.just(""), DATES),
        "precision": st.sampled_from(["", "", "year", "month", "day", "Day ", "week"]),
        "approximate": FLAGS,
        "places": IDS,
        "sources": IDS,
        "tags": st.sampled_from(["", "a", "a; b", "background"]),
        "category": TEXT,
        "summary": TEXT,
        "date_label": TEXT,
        "confidence": st.sampled_from(["", "confirmed", "reported", "Contested", "rumour"]),
        "note": TEXT,
    }
)


def long_way(rows: list[dict[str, str]]) -> tuple[list[Event], list[str]]:
    table = Table("events.csv", list(rows[0]), header_row=1)
    table.rows = [(n, dict(values)) for n, values in enumerate(rows, start=2)]
    problems = Problems()
    events = build_events(table, PLACES, SOURCES, problems)
    records.check_evidence(table, events, problems)
    return events, [str(p) for p in problems]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(ROW, min_size=1, max_size=8))
def test_columns_give_what_rows_give_or_leave_it_to_them(rows):
    table = pa.table({name: pa.array([r[name] for r in rows], pa.string()) for name in rows[0]})
    assert_same_as_rows(table, rows)


# Lists of ids as Parquet holds them: ids with spaces around, empty ones, a null list,
# a null id in a list (which the long way reads), now and then an unknown one.
def id_lists(*ids: str) -> st.SearchStrategy:
    each = st.sampled_from([*ids, *(f" {i}" for i in ids), "", "  ", "\u3000" + ids[0]])
    rare = st.sampled_from(["nowhere", None])
    return st.one_of(st.none(), st.lists(st.one_of(each, each, each, rare), max_size=3))


LIST_ROW = st.fixed_dictionaries(
    {
        "id": st.uuids().map(str),
        "title": st.just("Met"),
        "start": st.sampled_from(["2025", "2024-03-01", "-0509", "2025-01-17T14:30"]),
        "places": id_lists("msk", "thr"),
        "sources": id_lists("s1", "s2"),
        "tags": st.one_of(st.none(), st.lists(st.sampled_from(["a", " b", "", "era"]), max_size=2)),
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(LIST_ROW, min_size=1, max_size=8))
def test_list_columns_give_what_rows_give_or_leave_it_to_them(rows):
    types = {"places": pa.list_(pa.string()), "sources": pa.list_(pa.string())}
    types["tags"] = pa.list_(pa.string())
    table = pa.table(
        {name: pa.array([r[name] for r in rows], types.get(name, pa.string())) for name in rows[0]}
    )
    read = assert_same_as_rows(table, rows)
    odd = {None, "nowhere"}
    if not any(odd & set(r[name] or ()) for r in rows for name in ("places", "sources")):
        assert read  # nothing to report: read as columns


def assert_same_as_rows(table: pa.Table, rows: list[dict]) -> bool:
    """Whether the table was read as columns (it then gives what the rows give)."""
    found = events_from_arrow(table, PLACES, SOURCES)
    events, problems = long_way(rows)
    if found is None:
        # Left to the long way: fine whenever there is something to say or convert.
        return False
    fast, arrays = found
    assert problems == []
    assert fast == events
    lower, upper = event_spans(events)
    assert np.array_equal(arrays.lower, lower) and np.array_equal(arrays.upper, upper)
    assert [fast[i] for i in arrays.order] == sorted(events, key=Event.sort_key)
    assert_same_rows(arrays.rows, arrays_of(events))
    return True


def assert_same_rows(kept: RowArrays, built: RowArrays) -> None:
    """The arrays the column reader keeps say what the events themselves say."""
    for name in ("has_end", "approximate", "no_day", "place_start"):
        assert np.array_equal(getattr(kept, name), getattr(built, name)), name
    assert [kept.categories[i] for i in kept.category.tolist()] == [
        built.categories[i] for i in built.category.tolist()
    ]
    assert len(set(kept.categories)) == len(kept.categories)
    assert [kept.place_keys[i] for i in kept.place_code.tolist()] == [
        built.place_keys[i] for i in built.place_code.tolist()
    ]


def test_typed_columns_as_parquet_holds_them():
    """Lists of ids as lists, yes/no as booleans, empty cells as nulls."""
    table = pa.table(
        {
            "id": ["e1", "e2", "e3"],
            "title": ["Signed", "Met", "Talks"],
            "start": ["2025-01-17", "2024", "-0044-03-15"],
            "end": [None, "2026-06", None],
            "approximate": [False, True, None],
            "places": [["msk", "thr"], [], None],
            "sources": [["s1"], [" s2 ", ""], None],
            "tags": [["a"], None, []],
            "category": ["treaty", None, "treaty"],
            "note": [None, "why", ""],
        }
    )
    events, arrays = events_from_arrow(table, PLACES, SOURCES) or ((), None)
    assert [e.places for e in events] == [("msk", "thr"), (), ()]
    assert [e.sources for e in events] == [("s1",), ("s2",), ()]
    assert [e.approximate for e in events] == [False, True, False]
    assert events[1].end is not None and events[1].end.iso() == "2026-06"
    assert events[2].start.year == -44 and events[2].start.day == 15
    assert [e.note for e in events] == ["", "why", ""]
    # Repeated values are held once: a million events share a few categories.
    assert events[0].category is events[2].category
    assert arrays is not None and [events[i].id for i in arrays.order] == ["e3", "e2", "e1"]


@pytest.mark.parametrize(
    "change",
    [
        {"start": "soon"},  # not a date
        {"places": "nowhere"},  # an unknown place
        {"id": "e0"},  # a duplicate id
        {"end": "2020"},  # an end before its start
        {"confidence": "rumour"},  # a confidence the legend does not know
    ],
)
def test_a_table_with_something_to_report_reads_the_long_way(tmp_path: Path, change) -> None:
    rows = [
        {"id": f"e{n}", "title": "Met", "start": "2025-01-17", "end": ""}
        | {"places": "msk", "confidence": ""}
        for n in range(3)
    ]
    rows[2].update(change)
    folder = tmp_path / "set"
    folder.mkdir()
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(r[h] for h in header) for r in rows]
    (folder / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "places.csv").write_text("id,name,lat,lon\nmsk,Moscow,55.75,37.62\n")
    result = load_dataset(folder)
    assert len(result.problems) >= 1
    first = result.problems[0]
    assert first.path.endswith("events.csv") and first.row == 4  # the third data row
    assert [e.id for e in result.dataset.events] == [
        e.id for e in result.dataset.events if e.id in {"e0", "e1", "e2"}
    ]


def _no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(event_columns, "events_from_arrow", lambda *args: None)


def _same(path: Path, monkeypatch: pytest.MonkeyPatch) -> Dataset:
    """The dataset at ``path`` read with its events as columns, checked against the rows."""
    fast = load_dataset(path)
    assert "spans" in fast.dataset._derived, "the events were not read as columns"
    with monkeypatch.context() as m:
        _no_columns(m)
        slow = load_dataset(path)
    assert "spans" not in slow.dataset._derived
    assert fast.dataset == slow.dataset
    assert [str(p) for p in fast.problems] == [str(p) for p in slow.problems]
    assert fast.dataset.sorted_events() == sorted(slow.dataset.events, key=Event.sort_key)
    lower, upper = event_spans(slow.dataset.events)
    kept_lower, kept_upper = fast.dataset.derived("spans", lambda: (None, None))
    assert np.array_equal(kept_lower, lower) and np.array_equal(kept_upper, upper)
    assert_same_rows(
        fast.dataset.derived("row-arrays", lambda: None), arrays_of(slow.dataset.events)
    )
    assert np.array_equal(fast.dataset.date_order_rows(), slow.dataset.date_order_rows()), (
        "the kept date order differs from the events' own"
    )
    assert fast.dataset.categories() == slow.dataset.categories()
    return fast.dataset


def _written(dataset: Dataset, tmp_path: Path) -> tuple[Path, Path, Path]:
    folder, parquet, json = tmp_path / "csv", tmp_path / "set.parquet", tmp_path / "set.json"
    write_csv_folder(dataset, folder)
    write_parquet_dataset(dataset, parquet)
    write_json_dataset(dataset, json)
    return folder, parquet, json


def test_builtin_dataset_loses_nothing(tmp_path: Path, monkeypatch) -> None:
    canonical = load_dataset(builtin_dataset()).dataset
    folder, parquet, _ = _written(canonical, tmp_path)
    for path in (folder, parquet):
        dataset = _same(path, monkeypatch)
        assert dataset.events == canonical.events
        assert dataset.citations == canonical.citations
        assert dataset.story == canonical.story


def test_a_single_events_file(tmp_path: Path, monkeypatch) -> None:
    """One CSV file of events, as a program writes it (no places or sources to refer to)."""
    canonical = load_dataset(builtin_dataset()).dataset
    alone = Dataset(events=[replace(e, places=(), sources=()) for e in canonical.events])
    write_csv_folder(alone, tmp_path / "csv")
    single = tmp_path / "timeline.csv"
    shutil.copy(tmp_path / "csv" / "events.csv", single)
    assert _same(single, monkeypatch).events == alone.events


def test_every_precision_and_era(tmp_path: Path, monkeypatch) -> None:
    canonical = make_dataset(3000, seed=7)
    _, _, json = _written(canonical, tmp_path)
    expected = load_dataset(json).dataset
    assert {e.start.precision for e in expected.events} == set(range(1, 5))
    for path in (tmp_path / "csv", tmp_path / "set.parquet"):
        assert _same(path, monkeypatch).events == expected.events


def test_parquet_in_many_row_groups(tmp_path: Path, monkeypatch) -> None:
    """Dates read as the file stores them (a dictionary per row group, nulls in ends)."""
    import pyarrow.parquet as pq

    canonical = make_dataset(3000, seed=11)
    _, parquet, json = _written(canonical, tmp_path)
    table = pq.read_table(parquet)
    pq.write_table(table, parquet, row_group_size=256)
    assert pq.ParquetFile(parquet).metadata.num_row_groups > 5
    read = pq.read_table(parquet, read_dictionary=["start", "end"]).column("start")
    assert read.num_chunks > 5 and read.null_count == 0
    assert _same(parquet, monkeypatch).events == load_dataset(json).dataset.events


REALWORLD = [
    "abc7_defining_courage.csv",
    "acled_2020-05.csv",
    "fa_timemap_datasheet_2020-07.xlsx",
    "geonet_darfield_earthquakes.kml",
    "google_latitude_history.kml",
    "nepal_earthquakes.geojson",
    "publici_iraq_war_timeline.csv",
    "roman_battles.csv",
    "timelinejs3_hundred_years_war.json",
    "timelinejs_cdil_demo-timeline.csv",
    "usgs_4.5_month_2014-03.geojson",
]


@pytest.mark.parametrize("name", REALWORLD)
def test_realworld_files_written_and_read_as_columns(name: str, tmp_path: Path, monkeypatch):
    source = realworld_copy(name, tmp_path)
    canonical = load_dataset(source).dataset
    if not canonical.events:
        pytest.skip("no events to write")
    folder, parquet, json = _written(canonical, tmp_path)
    expected = load_dataset(json).dataset
    for path in (folder, parquet):
        # A CSV file has every column in every row: a user's column left empty in a row
        # is an empty cell there, where JSON and Parquet leave it out; and its columns
        # come in one order for all rows.
        assert _filled(_same(path, monkeypatch).events) == _filled(expected.events)


def _filled(events: list[Event]) -> list[Event]:
    return [replace(e, extra=tuple(sorted((k, v) for k, v in e.extra if v))) for e in events]


def test_a_users_own_columns_are_kept_as_written(tmp_path: Path, monkeypatch) -> None:
    """Columns the events sheet does not know are kept in each event's extra, named as
    the header writes them, with the same warning as the long way gives."""
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "events.csv").write_text(
        "id, Title ,start, Fatalities ,colour\n"
        'e1,Met,2025-01-17,3,"red, dark"\n'
        "e2,Talks,2025-02,,blue\n",
        encoding="utf-8",
    )
    dataset = _same(folder, monkeypatch)
    assert dataset.events[0].title == "Met"
    assert dataset.events[0].extra == (("Fatalities", "3"), ("colour", "red, dark"))
    assert dataset.events[1].extra == (("Fatalities", ""), ("colour", "blue"))


def test_a_small_csv_folder_is_read_row_by_row_without_arrow(tmp_path: Path) -> None:
    """The built-in dataset is read at every start: not through Arrow, whose imports
    (pandas among them) take longer than reading a small file row by row."""
    import subprocess
    import sys

    code = (
        "import sys; from desktop.core.load import load_dataset; "
        "from desktop.resources import builtin_dataset; "
        "result = load_dataset(builtin_dataset()); "
        "print(len(result.dataset.events), 'spans' in result.dataset._derived, "
        "'pyarrow' in sys.modules, 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, *imported = out.stdout.split()
    assert int(count) == len(load_dataset(builtin_dataset()).dataset.events) > 0
    assert imported == ["False", "False", "False"]


def test_the_edge_bytes_looked_at_hold_every_space_python_strips() -> None:
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    for space in spaces:
        encoded = space.encode()
        assert event_columns._SPACE_FIRST[encoded[0]], hex(ord(space))
        assert event_columns._SPACE_LAST[encoded[-1]], hex(ord(space))
    texts = ["a", " a", "a\u3000", "\u2003b", "é", "", "\x1fx", "Ё", "x\xa0", "ok"]
    column = pa.chunked_array([pa.array(texts[:4]), pa.array(texts[4:])])
    assert event_columns._stripped(column).to_pylist() == [t.strip() for t in texts]
    found = set(event_columns._may_need_strip(column.combine_chunks()).tolist())
    assert {i for i, t in enumerate(texts) if t.strip() != t} <= found


def test_a_column_encoded_by_its_reader_gives_each_rows_value() -> None:
    """Blocks read in parallel (CSV) or row groups (Parquet) each bring a dictionary."""
    string = pa.dictionary(pa.int32(), pa.string())
    blocks = [["a; b", "c", None, "a; b"], ["c", "d", "a; b"], [None, None]]
    column = pa.chunked_array([pa.array(b, pa.string()).cast(string) for b in blocks])
    distinct, at = event_columns._stored(column)
    assert [distinct[i] for i in at.tolist()] == [v for b in blocks for v in b]
    lists = event_columns._id_lists(column, len(at), None)
    plain = event_columns._id_lists(column.cast(pa.string()), len(at), None)
    assert lists.distinct()[0] and [lists.distinct()[0][i] for i in lists.distinct()[1]] == [
        plain.distinct()[0][i] for i in plain.distinct()[1]
    ]
    assert [lists.ids[c] for c in lists.code] == [plain.ids[c] for c in plain.code]
    assert np.array_equal(lists.start, plain.start)

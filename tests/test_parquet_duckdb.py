"""Parquet and DuckDB files as datasets: the canonical tables round-trip, other tables are
read by their columns' roles, and bad files say so in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from desktop.core.dates import PartialDate, Precision
from desktop.core.formats.json_file import dataset_json, json_bytes
from desktop.core.formats.parquet_file import dataset_tables, sibling, write_parquet_dataset
from desktop.core.load import load_dataset
from desktop.resources import builtin_dataset


@pytest.fixture(scope="module")
def builtin():
    result = load_dataset(builtin_dataset())
    assert not result.errors
    return result.dataset


def with_extras(dataset):
    """The dataset with the user's own columns on some events only, and an empty one."""
    events = list(dataset.events)
    events[0] = replace(events[0], extra=(("Analyst", "KM"), ("Checked", "")))
    events[3] = replace(events[3], extra=(("Fatalities", "12"),))
    return replace(dataset, events=events, measures=("Fatalities",))


def test_parquet_round_trip_equals_canonical_json(builtin, tmp_path):
    dataset = with_extras(builtin)
    target = tmp_path / "brief.parquet"
    write_parquet_dataset(dataset, target)
    for sheet in ("places", "sources", "citations", "story"):
        assert sibling(target, sheet).is_file()
    result = load_dataset(target)
    assert result.format == "parquet"
    assert result.errors == []
    # the user's own columns are kept, and said to be, as in a CSV folder
    assert {p.column for p in result.warnings} == {"Analyst", "Checked", "Fatalities"}
    assert dataset_json(result.dataset) == dataset_json(dataset)
    # each (event, source) pair keeps its own quote; secondary sources stay marked
    assert result.dataset.citations == dataset.citations and dataset.citations
    assert [s.secondary for s in result.dataset.sources.values()] == [
        s.secondary for s in dataset.sources.values()
    ]
    assert result.dataset.measures == ("Fatalities",)
    # and Parquet -> model -> Parquet gives the same tables, derived spans included
    again = tmp_path / "again.parquet"
    write_parquet_dataset(result.dataset, again)
    for sheet, table in dataset_tables(dataset).items():
        written = pq.read_table(again if sheet == "events" else sibling(again, sheet))
        assert written.equals(table), sheet
    assert pq.read_table(target).schema.metadata[b"chronomap"]


def test_parquet_keeps_every_precision_and_the_spans(builtin, tmp_path):
    target = tmp_path / "brief.parquet"
    write_parquet_dataset(builtin, target)
    events = pq.read_table(target).to_pylist()
    by_id = {e.id: e for e in builtin.events}
    precisions = {row["precision"] for row in events}
    assert {"year", "month", "day"} <= precisions
    for row in events:
        event = by_id[row["id"]]
        assert row["start"] == event.start.iso()
        assert row["span_start"] == event.lower().timestamp()
        assert row["span_end"] == event.upper().timestamp()


def test_duckdb_database_round_trip_equals_canonical_json(builtin, tmp_path):
    parquet = tmp_path / "brief.parquet"
    write_parquet_dataset(builtin, parquet)
    db = tmp_path / "brief.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"CREATE TABLE events AS SELECT * FROM read_parquet('{parquet}')")
    for sheet in ("places", "sources", "citations", "story"):
        con.execute(
            f"CREATE TABLE {sheet} AS SELECT * FROM read_parquet('{sibling(parquet, sheet)}')"
        )
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
    con.execute(
        "INSERT INTO meta VALUES ('title', ?), ('description', ?)",
        [builtin.title, builtin.description],
    )
    con.close()
    before = db.read_bytes()
    result = load_dataset(db)
    assert result.format == "duckdb"
    assert result.problems == []
    assert dataset_json(result.dataset) == dataset_json(builtin)
    assert db.read_bytes() == before  # opened read-only


def acled_like(rows: int = 6) -> pa.Table:
    """A table of events of another shape: a DATE column, coordinates, a fatality count."""
    import datetime as dt

    return pa.table(
        {
            "date": pa.array([dt.date(2024, 1, 1 + i) for i in range(rows)], pa.date32()),
            "title": [f"Clash number {i}" for i in range(rows)],
            "category": ["Battles", "Protests"] * (rows // 2),
            "location": [f"Town {i}" for i in range(rows)],
            "latitude": [10.0 + i for i in range(rows)],
            "longitude": [20.0 + i for i in range(rows)],
            "fatalities": list(range(rows)),
        }
    )


def test_a_table_of_another_shape_opens_by_its_column_roles(tmp_path):
    target = tmp_path / "acled.parquet"
    pq.write_table(acled_like(), target)
    result = load_dataset(target)
    assert result.errors == []
    events = result.dataset.events
    assert len(events) == 6
    assert events[2].start == PartialDate(2024, 1, 3)
    assert events[2].precision is Precision.DAY
    assert {e.category for e in events} == {"Battles", "Protests"}
    place = result.dataset.places[events[2].places[0]]
    assert (place.lat, place.lon) == (12.0, 22.0)


def test_a_saved_view_in_a_duckdb_file_opens_as_a_dataset(tmp_path):
    db = tmp_path / "acled.duckdb"
    con = duckdb.connect(str(db))
    con.register("raw_arrow", acled_like(10))
    con.execute("CREATE TABLE raw AS SELECT * FROM raw_arrow")
    con.execute("CREATE VIEW events AS SELECT * FROM raw WHERE category = 'Battles'")
    con.close()
    result = load_dataset(db)
    assert result.errors == []
    assert len(result.dataset.events) == 5
    assert {e.category for e in result.dataset.events} == {"Battles"}


def wkb_point(lon: float, lat: float) -> bytes:
    import struct

    return struct.pack("<BIdd", 1, 1, lon, lat)


def test_geoparquet_points_become_coordinates(tmp_path):
    table = pa.table(
        {
            "date": ["2025-01-17", "2024-11"],
            "title": ["Signing", "Text ready"],
            "geometry": pa.array([wkb_point(37.62, 55.75), wkb_point(51.39, 35.69)], pa.binary()),
        }
    )
    geo = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}},
    }
    table = table.replace_schema_metadata({b"geo": json.dumps(geo).encode()})
    target = tmp_path / "points.parquet"
    pq.write_table(table, target)
    result = load_dataset(target)
    assert result.errors == []
    by_title = {e.title: e for e in result.dataset.events}
    moscow = result.dataset.places[by_title["Signing"].places[0]]
    assert (moscow.lat, moscow.lon) == (55.75, 37.62)
    assert by_title["Text ready"].precision is Precision.MONTH


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args], capture_output=True, text=True, timeout=120
    )


def test_export_parquet_from_the_command_line_and_back_to_json(tmp_path):
    target = tmp_path / "out.parquet"
    run = run_cli("export", "--parquet", str(target), "--from", "2024-01", "--to", "2025-01")
    assert run.returncode == 0, run.stderr
    back = run_cli("export", str(target), "--json", str(tmp_path / "back.json"))
    assert back.returncode == 0, back.stderr
    direct = run_cli(
        "export", "--json", str(tmp_path / "direct.json"), "--from", "2024-01", "--to", "2025-01"
    )
    assert direct.returncode == 0, direct.stderr
    assert (tmp_path / "back.json").read_bytes() == (tmp_path / "direct.json").read_bytes()
    doc = json.loads((tmp_path / "back.json").read_text())
    assert 0 < len(doc["events"]) < len(load_dataset(builtin_dataset()).dataset.events)


def test_canonical_json_and_parquet_are_the_same_dataset(builtin, tmp_path):
    target = tmp_path / "brief.parquet"
    write_parquet_dataset(builtin, target)
    assert json_bytes(load_dataset(target).dataset) == json_bytes(builtin)


# --- bad input: one line each ----------------------------------------------


def one_line(run: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in run.stderr + run.stdout
    lines = [line for line in run.stdout.splitlines() if ": error: " in line]
    assert len(lines) == 1, run.stdout
    return lines[0]


def test_a_parquet_file_with_wrong_types_says_which_column(tmp_path):
    target = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "title": ["A", "B"], "start": [2.5, 3.5]}), target)
    run = run_cli("validate", str(target))
    assert run.returncode == 1
    line = one_line(run)
    assert line.startswith(f"{target}:0:start: error: ")
    assert "numbers" in line and "dates" in line


def test_a_damaged_parquet_file_is_one_line(tmp_path):
    good = tmp_path / "good.parquet"
    pq.write_table(acled_like(), good)
    bad = tmp_path / "cut.parquet"
    bad.write_bytes(good.read_bytes()[:200])
    run = run_cli("validate", str(bad))
    assert run.returncode == 1
    assert "not a readable Parquet file" in one_line(run)


def test_a_duckdb_file_with_several_tables_and_no_events_is_one_line(tmp_path):
    db = tmp_path / "two.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER)")
    con.close()
    run = run_cli("validate", str(db))
    assert run.returncode == 1
    line = one_line(run)
    assert "(a, b)" in line and "CREATE VIEW events" in line


def test_a_build_without_pyarrow_says_so_in_one_line(tmp_path):
    target = tmp_path / "acled.parquet"
    pq.write_table(acled_like(), target)
    blocked = (
        "import sys; sys.modules['pyarrow'] = None; sys.modules['pyarrow.parquet'] = None; "
        "from desktop.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", blocked, "validate", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    line = one_line(run)
    assert line.startswith(f"{target}:0:-: error: opening Parquet files needs the pyarrow package")

"""`chronomap validate` and `chronomap export --json` take every imported format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.dates import PartialDate
from desktop.core.formats.geo import to_geojson, to_kml
from desktop.core.model import Dataset, Event, Place

FIXTURES = Path(__file__).parent / "fixtures" / "interop"


def _geo_dataset() -> Dataset:
    places = {"baku": Place("baku", "Baku", lat=40.4093, lon=49.8671)}
    events = [
        Event("a", "Summit", PartialDate(2024, 8, 18), places=("baku",)),
        Event("b", "Follow-up", PartialDate(2024, 9)),
    ]
    return Dataset("Geo", "", events, places)


@pytest.fixture
def files(tmp_path) -> dict[str, tuple[Path, int, int]]:
    """Each imported form: its path, and the events and places it must give."""
    plain = tmp_path / "plain.csv"
    plain.write_text("Date,Title,Place\n2025-01-17,Signed,Tehran\n2024,Visit,Baku\n")
    to_geojson(_geo_dataset(), tmp_path / "geo.geojson")
    to_kml(_geo_dataset(), tmp_path / "geo.kml")
    return {
        "timelinejs-csv": (FIXTURES / "women_in_computing.csv", 10, 0),
        "timelinejs-json": (FIXTURES / "women_in_computing.json", 10, 0),
        "timemap": (FIXTURES / "timemap_data.xlsx", 11, 6),
        "plain-csv": (plain, 2, 2),
        "geojson": (tmp_path / "geo.geojson", 2, 1),
        "kml": (tmp_path / "geo.kml", 2, 1),
    }


@pytest.mark.parametrize(
    "fmt", ["timelinejs-csv", "timelinejs-json", "timemap", "plain-csv", "geojson", "kml"]
)
def test_validate_and_export_json(fmt, files, tmp_path, capsys):
    path, events, places = files[fmt]
    assert main(["validate", str(path)]) == 0
    summary = capsys.readouterr().err
    assert f": {fmt}: {events} events, {places} places" in summary
    out = tmp_path / "out.json"
    assert main(["export", str(path), "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert len(doc["events"]) == events and len(doc["places"]) == places
    assert all({"id", "title", "start", "precision"} <= e.keys() for e in doc["events"])


def test_timemap_warnings_are_printed_one_per_line(capsys):
    assert main(["validate", str(FIXTURES / "timemap_data.xlsx")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.endswith(
            "timemap_data.xlsx#Events:11:Time: warning: time '13.45' is not "
            "a time (did you mean 13:45?): write it as HH:MM; the event is "
            "placed on its day only"
        )
        for line in lines
    )
    # The same warning in one column is one line with its rows (five rows, two columns).
    grouped = [line for line in lines if "narrative_3" in line]
    assert len(grouped) == 2
    assert ":2:Association 3: warning: rows 2–4 (3): association 'narrative_3'" in grouped[0]
    assert ":8:Association 2: warning: rows 8, 12 (2): association 'narrative_3'" in grouped[1]
    # --strict makes warnings count.
    assert main(["validate", "--strict", str(FIXTURES / "timemap_data.xlsx")]) == 1


def test_exported_json_keeps_precision(tmp_path):
    out = tmp_path / "wic.json"
    assert main(["export", str(FIXTURES / "women_in_computing.csv"), "--json", str(out)]) == 0
    events = {e["title"]: e for e in json.loads(out.read_text())["events"]}
    assert (
        events["Rózsa Péter writes recursion"]["start"],
        events["Rózsa Péter writes recursion"]["precision"],
    ) == ("1951", "year")


def test_console_script(tmp_path):
    script = Path(sys.executable).parent / "chronomap"
    if not script.exists():
        pytest.skip("the chronomap console script is not installed in this environment")
    out = tmp_path / "timemap.json"
    fixture = str(FIXTURES / "timemap_data.xlsx")
    done = subprocess.run(
        [str(script), "validate", fixture], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert ": timemap: 11 events, 6 places, 8 sources, 2 story steps; 0 errors" in done.stderr
    done = subprocess.run(
        [str(script), "export", fixture, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text())
    assert [s["title"] for s in doc["story"]] == ["first narrative", "second narrative"]

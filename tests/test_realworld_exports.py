"""`chronomap validate` and the PNG, HTML and JSON exports on each real-world file."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys

import pytest

from .realworld import realworld_copy

pytestmark = pytest.mark.gui

# file, events, a title the exports must show
FILES = [
    ("timelinejs_cdil_demo-timeline.csv", 4, "Good News - Power"),
    ("timelinejs3_hundred_years_war.json", 43, "Kings of England"),
    ("publici_iraq_war_timeline.csv", 67, "Bush asks a group of national security advisers"),
    ("abc7_defining_courage.csv", 14, "Pearl Harbor, Hawaii"),
    ("roman_battles.csv", 247, "Battle of Silva Arsia"),
    ("acled_2020-05.csv", 5071, "Peaceful protest in Haifa"),
    ("usgs_4.5_month_2014-03.geojson", 409, "M 5.0 - 112km ESE of Mohean, India"),
    ("nepal_earthquakes.geojson", 4382, "Kaski"),
    ("geonet_darfield_earthquakes.kml", 1006, "M7.1 - 2010-09-03T16:35:41.291Z"),
    ("google_latitude_history.kml", 1, "Latitude User"),
    ("fa_timemap_datasheet_2020-07.xlsx", 11, "Person A appears on the scene."),
]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize(("name", "count", "title"), FILES, ids=[f[0] for f in FILES])
def test_validate_and_exports(tmp_path, name, count, title):
    path = realworld_copy(name, tmp_path)
    checked = _run("validate", str(path))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{count} events" in checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    png, page, data = tmp_path / "out.png", tmp_path / "out.html", tmp_path / "out.json"
    done = _run(
        "export",
        str(path),
        "--png",
        str(png),
        "--html",
        str(page),
        "--json",
        str(data),
        "--size",
        "800x450",
    )
    assert done.returncode == 0, done.stderr
    assert _png_size(png.read_bytes()) == (800, 450)
    assert json.loads(data.read_text(encoding="utf-8"))["events"].__len__() == count
    html = page.read_text(encoding="utf-8")
    assert json.dumps(title)[1:-1] in html or title in html

"""`chronomap validate`: one line per problem, pointing at the cell, never a traceback."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main

from .helpers import EVENTS_HEADER, minimal_folder, write_csv

LINE = re.compile(
    r"^(?P<path>.+?):(?P<row>\d+):(?P<column>[^:]+): (?P<severity>error|warning): .+$"
)


def digest(folder: Path) -> dict[str, str]:
    if folder.is_file():
        return {folder.name: hashlib.sha256(folder.read_bytes()).hexdigest()}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def validate(target: Path, capsys) -> tuple[int, list[re.Match[str]]]:
    before = digest(target)
    code = main(["validate", str(target)])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert digest(target) == before, "validate must never change the input"
    lines = [line for line in out.out.splitlines() if line]
    matches = [LINE.match(line) for line in lines]
    assert all(matches), f"not PATH:ROW:COLUMN lines: {lines}"
    return code, [m for m in matches if m]


def only(matches, severity="error"):
    found = [m for m in matches if m["severity"] == severity]
    assert len(found) == 1, [m.string for m in matches]
    return found[0]


def test_minimal_dataset_is_valid(tmp_path, capsys):
    code, lines = validate(minimal_folder(tmp_path), capsys)
    assert (code, lines) == (0, [])


def test_missing_path_is_a_usage_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert ":0:-: error: no such file" in capsys.readouterr().err


def test_empty_file(tmp_path, capsys):
    folder = minimal_folder(tmp_path)
    (folder / "events.csv").write_bytes(b"")
    code, lines = validate(folder, capsys)
    problem = only(lines)
    assert code == 1
    assert problem["path"].endswith("events.csv") and problem["row"] == "0"
    assert "empty" in problem.string


def test_wrong_encoding_names_the_line(tmp_path, capsys):
    folder = minimal_folder(tmp_path)
    text = "id,title,start,places,sources\ne1,Caf\xe9 talks,2025-01-17,moscow,s1\n"
    (folder / "events.csv").write_bytes(text.encode("cp1252"))
    code, lines = validate(folder, capsys)
    problem = only(lines)
    assert code == 1 and problem["row"] == "2" and "UTF-8" in problem.string


def test_missing_required_column(tmp_path, capsys):
    folder = minimal_folder(tmp_path)
    write_csv(folder / "events.csv", ["id", "title"], [["e1", "Signing"]])
    code, lines = validate(folder, capsys)
    problem = only(lines)
    assert code == 1 and problem["row"] == "1" and problem["column"] == "start"
    assert "required column 'start' is missing" in problem.string


def test_unknown_column_is_a_warning_and_the_dataset_still_opens(tmp_path, capsys):
    folder = minimal_folder(tmp_path)
    write_csv(
        folder / "events.csv",
        [*EVENTS_HEADER, "Analyst"],
        [["e1", "Signing", "2025-01-17", "", "treaty", "moscow", "s1", "KM"]],
    )
    code, lines = validate(folder, capsys)
    problem = only(lines, "warning")
    assert code == 0 and problem["column"] == "Analyst" and problem["row"] == "1"
    assert main(["validate", "--strict", str(folder)]) == 1


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["e1", "Signing", "17th of Jan", "", "treaty", "moscow", "s1"], "start", "is not a date"),
        (["e1", "Signing", "2025-02-30", "", "treaty", "moscow", "s1"], "start", "day 30"),
        (
            ["e1", "Signing", "2025-01-17", "2024-01", "treaty", "moscow", "s1"],
            "end",
            "before start",
        ),
        (
            ["e1", "Signing", "2025-01-17", "", "treaty", "paris", "s1"],
            "places",
            "'paris' does not exist",
        ),
        (
            ["e1", "Signing", "2025-01-17", "", "treaty", "moscow", "s9"],
            "sources",
            "'s9' does not exist",
        ),
        (["e1", "", "2025-01-17", "", "treaty", "moscow", "s1"], "title", "title is empty"),
    ],
)
def test_bad_event_cells_name_row_and_column(tmp_path, capsys, row, column, message):
    folder = minimal_folder(tmp_path)
    good = ["e0", "Fine", "2001", "", "treaty", "moscow", "s1"]
    write_csv(folder / "events.csv", EVENTS_HEADER, [good, row])
    code, lines = validate(folder, capsys)
    problem = only(lines)
    assert code == 1
    assert (problem["row"], problem["column"]) == ("3", column)
    assert message in problem.string


def test_duplicate_ids(tmp_path, capsys):
    folder = minimal_folder(tmp_path)
    rows = [["e1", "A", "2001", "", "", "", ""], ["e1", "B", "2002", "", "", "", ""]]
    write_csv(folder / "events.csv", EVENTS_HEADER, rows)
    code, lines = validate(folder, capsys)
    problem = only(lines)
    assert code == 1 and problem["row"] == "3" and problem["column"] == "id"
    assert "duplicate event id 'e1' (first used in row 2)" in problem.string


@pytest.mark.parametrize(("lat", "lon", "column"), [("91", "37", "lat"), ("55", "-181", "lon")])
def test_coordinates_out_of_range(tmp_path, capsys, lat, lon, column):
    folder = minimal_folder(tmp_path)
    write_csv(
        folder / "places.csv",
        ["id", "name", "kind", "lat", "lon"],
        [["moscow", "Moscow", "point", "55.75", "37.62"], ["tehran", "Tehran", "point", lat, lon]],
    )
    write_csv(folder / "events.csv", EVENTS_HEADER, [["e1", "A", "2001", "", "", "moscow", "s1"]])
    code, lines = validate(folder, capsys)
    problem = only(lines)
    assert code == 1 and problem["path"].endswith("places.csv")
    assert (problem["row"], problem["column"]) == ("3", column)
    assert "out of range" in problem.string


def test_malformed_workbook(tmp_path, capsys):
    book = tmp_path / "broken.xlsx"
    book.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    code, lines = validate(book, capsys)
    problem = only(lines)
    assert code == 1 and problem["row"] == "0" and "not a readable .xlsx workbook" in problem.string


def test_malformed_json_points_at_line_and_column(tmp_path, capsys):
    doc = tmp_path / "broken.json"
    doc.write_text('{"events": [\n  {"id": "e1",, "title": "x"}\n]}\n')
    code, lines = validate(doc, capsys)
    problem = only(lines)
    assert code == 1 and (problem["row"], problem["column"]) == ("2", "15")
    assert "invalid JSON" in problem.string


def test_json_rows_are_item_numbers(tmp_path, capsys):
    doc = tmp_path / "d.json"
    doc.write_text(
        '{"events": [{"id": "a", "title": "A", "start": "2001"},'
        ' {"id": "b", "title": "B", "start": "someday"}]}'
    )
    code, lines = validate(doc, capsys)
    problem = only(lines)
    assert code == 1 and problem["path"].endswith("d.json#events")
    assert (problem["row"], problem["column"]) == ("2", "start")


def test_workbook_rows_are_excel_rows(tmp_path, capsys):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "events"
    sheet.append(["id", "title", "start"])
    sheet.append(["a", "A", "2001"])
    sheet.append(["b", "B", "2025-13"])
    path = tmp_path / "d.xlsx"
    book.save(path)
    code, lines = validate(path, capsys)
    problem = only(lines)
    assert code == 1 and problem["path"].endswith("d.xlsx#events")
    assert (problem["row"], problem["column"]) == ("3", "start")


def test_problems_leave_the_rest_usable(tmp_path):
    from desktop.core.load import load_dataset

    folder = minimal_folder(tmp_path)
    rows = [["e1", "Good", "2001", "", "", "moscow", "s1"], ["e2", "Bad", "nope", "", "", "", ""]]
    write_csv(folder / "events.csv", EVENTS_HEADER, rows)
    result = load_dataset(folder)
    assert [e.id for e in result.dataset.events] == ["e1"]
    assert len(result.errors) == 1


def test_command_line_never_prints_a_traceback(tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe\x00garbage{[")
    run = subprocess.run(
        [sys.executable, "-m", "desktop", "validate", str(junk)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert LINE.match(run.stdout.splitlines()[0])

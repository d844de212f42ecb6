"""Problems checked again after edits: the same words as `chronomap validate` gives the
saved files, at the rows they are in."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from desktop.core.editing import add_event, change_event, delete_events, delete_source
from desktop.core.live_problems import LiveProblems
from desktop.core.load import load_dataset
from desktop.core.save import save_dataset
from desktop.core.save_back import save_back

from .helpers import EVENTS_HEADER, minimal_folder, write_csv


def lines(problems) -> list[str]:
    return sorted(str(p) for p in problems if p.severity != "note")


def check_like_validate(path: Path, form: str, edits) -> None:  # noqa: ANN001
    """Apply ``edits`` one by one; after each, the live problems are what validate says
    of the dataset saved at that point."""
    result = load_dataset(path)
    live = LiveProblems(result.path, form, result.dataset, result.problems)
    saved = data = result.dataset
    for make in edits:
        data = make(data).apply(data)
        live.update(data)
        save_back(path, form, saved, data)
        saved = data
        # Once saved, at the saved files' rows: a fresh read says the same.
        live = live.saved(path, form, data)
        assert lines(live.current) == lines(load_dataset(path).problems), make


def folder_with_gaps(tmp_path: Path) -> Path:
    folder = minimal_folder(tmp_path)
    write_csv(
        folder / "events.csv",
        [*EVENTS_HEADER, "confidence"],
        [
            ["e1", "Signing", "2025-01-17", "", "treaty", "moscow", "s1", ""],
            ["", "", "", "", "", "", "", ""],  # an empty row: no row at all
            ["bad", "Broken", "31 Febtember", "", "treaty", "", "", ""],  # dropped
            ["e2", "Old treaty", "2001", "", "treaty", "moscow; tehran", "s1", "maybe"],
            ["e3", "Talks", "2024-11", "", "diplomacy", "tehran", "s1", ""],
        ],
    )
    return folder


def test_rows_are_the_files_rows_through_gaps_and_broken_rows(tmp_path) -> None:
    folder = folder_with_gaps(tmp_path)
    result = load_dataset(folder)
    live = LiveProblems(result.path, "csv-folder", result.dataset, result.problems)
    data = result.dataset
    assert [p.row for p in result.problems if p.severity != "note"] == [4, 5]
    # e3 (row 6) gets a confidence nobody knows; e2's "maybe" (row 5) is fixed.
    data = change_event(data, replace(data.event("e3"), confidence="sure")).apply(data)
    data = change_event(data, replace(data.event("e2"), confidence="reported")).apply(data)
    found = live.update(data)
    assert [(p.row, p.column, p.severity) for p in found if p.severity != "note"] == [
        (4, "start", "error"),  # the broken row stays broken on disk
        (6, "confidence", "warning"),
    ]
    assert "'sure'" in found[-1].message


def test_edits_of_every_kind_read_as_validate_reads_the_saved_files(tmp_path) -> None:
    folder = folder_with_gaps(tmp_path)

    def new_event(data):  # noqa: ANN001, ANN202
        return add_event(data, replace(data.event("e1"), id="e4", confidence="likely"))

    def background_without_note(data):  # noqa: ANN001, ANN202
        return change_event(data, replace(data.event("e1"), tags=("background",)))

    check_like_validate(
        folder,
        "csv-folder",
        [
            new_event,
            background_without_note,
            lambda d: delete_events(d, ["e2"]),
            lambda d: delete_source(d, "s1"),
        ],
    )


def test_json_items_are_numbered_as_validate_numbers_them(tmp_path) -> None:
    folder = folder_with_gaps(tmp_path)
    path = tmp_path / "data.json"
    save_dataset(load_dataset(folder).dataset, path)

    def odd(data):  # noqa: ANN001, ANN202
        return change_event(data, replace(data.event("e3"), confidence="sure"))

    check_like_validate(path, "json", [odd, lambda d: delete_events(d, ["e1"])])

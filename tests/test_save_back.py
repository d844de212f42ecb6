"""Saving edits into the files a dataset came from: only the edited rows change."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.core.dates import parse_date
from desktop.core.editing import add_event, change_event, delete_events
from desktop.core.load import load_dataset
from desktop.core.model import Dataset, Event
from desktop.core.save import save_dataset
from desktop.core.save_back import SaveError, save_back
from tests.helpers import changed_lines, copy_builtin


def _unused(data: Dataset) -> list[Event]:
    """Events no story step shows (deleting one leaves the story valid)."""
    shown = {i for step in data.story for i in step.events}
    return [e for e in data.events if e.id not in shown]


def _edits(data: Dataset) -> Dataset:
    """Move one event's date, delete another, add a third."""
    first, second = _unused(data)[:2]
    moved = replace(first, start=parse_date("mid-November 2024").date, title="Moved, “quoted”")
    data = change_event(data, moved).apply(data)
    data = delete_events(data, [second.id]).apply(data)
    added = Event("added-1", "Added; with a semicolon", parse_date("2024-12-03").date)
    return add_event(data, added).apply(data)


def test_a_csv_folder_changes_only_the_edited_rows(tmp_path: Path) -> None:
    folder = copy_builtin(tmp_path)
    events = folder / "events.csv"
    # An unknown column the reader does not use must survive the save.
    lines = events.read_bytes().decode("utf-8-sig").splitlines(keepends=True)
    lines[0] = lines[0].rstrip("\r\n") + ",analyst" + lines[0][len(lines[0].rstrip("\r\n")) :]
    lines[3] = lines[3].rstrip("\r\n") + ",kept by hand" + lines[3][len(lines[3].rstrip("\r\n")) :]
    events.write_bytes("".join(lines).encode("utf-8"))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    loaded = load_dataset(folder)
    assert not loaded.errors
    first, second = _unused(loaded.dataset)[:2]

    edited = _edits(loaded.dataset)
    written = save_back(folder, loaded.format, loaded.dataset, edited)

    # The deleted event's citations go with it; nothing else is touched.
    assert [p.name for p in written] == ["events.csv", "citations.csv"]
    for name, data in before.items():
        if name not in ("events.csv", "citations.csv"):
            assert (folder / name).read_bytes() == data, name
    cited = changed_lines(before["citations.csv"], (folder / "citations.csv").read_bytes())
    assert cited and all(line.startswith(f"-{second.id},") for line in cited)
    assert (folder / "events.csv.bak").read_bytes() == before["events.csv"]
    changes = changed_lines(before["events.csv"], events.read_bytes())
    removed = [c for c in changes if c.startswith("-")]
    added = [c for c in changes if c.startswith("+")]
    assert len(removed) == 2 and removed[0].startswith(f"-{first.id},")
    assert removed[1].startswith(f"-{second.id},")
    assert len(added) == 2 and added[0].startswith(f'+{first.id},"Moved, “quoted”",2024-11')
    assert added[1].startswith("+added-1,Added; with a semicolon,2024-12-03")

    again = load_dataset(folder)
    assert not again.errors
    assert again.dataset.events == edited.events
    assert dict(again.dataset.event(loaded.dataset.events[2].id).extra) == {
        "analyst": "kept by hand"
    }


def test_a_semicolon_csv_keeps_its_separator_and_endings(tmp_path: Path) -> None:
    folder = tmp_path / "semi"
    folder.mkdir()
    text = "id;title;start\na;Alpha;2024-01-02\nb;Beta, with comma;2024-02\nc;Gamma;2024\n"
    (folder / "events.csv").write_bytes(text.encode())
    loaded = load_dataset(folder)
    data = loaded.dataset
    edited = change_event(data, replace(data.event("b"), title="Beta; changed")).apply(data)
    save_back(folder, loaded.format, data, edited)
    assert (folder / "events.csv").read_bytes() == (
        b'id;title;start\na;Alpha;2024-01-02\nb;"Beta; changed";2024-02\nc;Gamma;2024\n'
    )


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_json_and_workbooks_keep_untouched_rows(tmp_path: Path, suffix: str) -> None:
    source = load_dataset(copy_builtin(tmp_path)).dataset
    path = tmp_path / f"briefing{suffix}"
    save_dataset(source, path)
    loaded = load_dataset(path)
    assert not loaded.errors
    edited = _edits(loaded.dataset)
    save_back(path, loaded.format, loaded.dataset, edited)
    assert path.with_name(path.name + ".bak").is_file()
    again = load_dataset(path)
    assert not again.errors
    assert again.dataset.events == edited.events
    assert again.dataset.places == loaded.dataset.places
    assert again.dataset.story == loaded.dataset.story
    if suffix == ".json":
        old = json.loads(path.with_name(path.name + ".bak").read_text(encoding="utf-8"))
        new = json.loads(path.read_text(encoding="utf-8"))
        edited_ids = {"added-1", *(e.id for e in _unused(loaded.dataset)[:2])}
        assert [e for e in old["events"] if e["id"] not in edited_ids] == [
            e for e in new["events"] if e["id"] not in edited_ids
        ]
        edited_sheets = ("events", "citations")  # a deleted event's citations go too
        assert {k: v for k, v in old.items() if k not in edited_sheets} == {
            k: v for k, v in new.items() if k not in edited_sheets
        }
        assert [c for c in old["citations"] if c["event"] not in edited_ids] == [
            c for c in new["citations"] if c["event"] not in edited_ids
        ]


def test_a_foreign_format_is_not_written_over(tmp_path: Path) -> None:
    data = Dataset(events=[Event("a", "A", parse_date("2024").date)])
    with pytest.raises(SaveError, match="Save As"):
        save_back(tmp_path / "x.kml", "kml", data, data)


def test_a_failed_save_says_why_in_one_line_and_changes_nothing(tmp_path: Path) -> None:
    folder = copy_builtin(tmp_path)
    # A folder where the backup must go: the save cannot keep one, so it must not save.
    (folder / "events.csv.bak").mkdir()
    (folder / "events.csv.bak" / "x").write_text("x")
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    loaded = load_dataset(folder)
    with pytest.raises(SaveError) as error:
        save_back(folder, loaded.format, loaded.dataset, _edits(loaded.dataset))
    assert "\n" not in str(error.value) and str(error.value).startswith(f"cannot write {folder}:")
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before

"""A full disk or a read-only folder during a write: the old files stay as they were, no
temporary file is left beside them, and one line says why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.atomic import write_error
from desktop.core.load import load_dataset
from desktop.core.model import StoryStep
from desktop.core.save import save_dataset
from desktop.core.story import save_story
from desktop.resources import builtin_dataset

from .disks import full_disk, read_only, snapshot, untouched

FULL = "the disk is full; what was there is unchanged"


@pytest.fixture(params=["tmpfs", "patched"])
def full(request, tmp_path, monkeypatch):
    """(folder, make_full): put the old files in the folder, then fill its disk."""
    folder = tmp_path / "disk"
    with full_disk(request.param, folder, monkeypatch) as make_full:
        yield folder, make_full


@pytest.fixture(params=["tmpfs", "permissions"])
def locked(request, tmp_path):
    """(folder, lock): put the old files in the folder, then make it read-only."""
    folder = tmp_path / "disk"
    with read_only(request.param, folder) as lock:
        yield folder, lock


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Traceback" not in text
    return lines[0]


def a_story() -> list[StoryStep]:
    return [StoryStep(1, "Only the signing", events=("treaty-signed",))]


# -- exports -------------------------------------------------------------------------


def old_brief(folder: Path) -> tuple[Path, dict[str, bytes]]:
    target = folder / "brief.html"
    target.write_bytes(b"last week's brief")
    return target, snapshot(folder)


def test_html_export_into_a_full_disk(full, capsys) -> None:
    folder, make_full = full
    target, before = old_brief(folder)
    make_full()
    assert main(["export", "--html", str(target)]) == 1
    line = one_line(capsys.readouterr().err)
    assert line == f"chronomap export: cannot write {target}: {FULL}"
    untouched(folder, before)


def test_html_export_into_a_read_only_folder(locked, capsys) -> None:
    folder, lock = locked
    target, before = old_brief(folder)
    lock()
    assert main(["export", "--html", str(target)]) == 1
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"chronomap export: cannot write {target}: ")
    assert line.endswith("; what was there is unchanged")
    assert "read-only" in line or "no permission" in line
    untouched(folder, before)


@pytest.mark.gui
@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_rendered_export_into_a_full_disk(tmp_path, kind) -> None:
    """In the export's own process, as File > Export runs it: the image or the deck is
    drawn in full, then refused by the disk (a PDF writer alone would cut it off)."""
    folder = tmp_path / "disk"
    with full_disk("tmpfs", folder, None) as make_full:
        target = folder / f"brief.{kind}"
        target.write_bytes(b"last week's brief")
        before = snapshot(folder)
        make_full()
        env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
        run = subprocess.run(
            [sys.executable, "-m", "desktop", "export", f"--{kind}", str(target)],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert run.returncode == 1
        lines = [ln for ln in run.stderr.splitlines() if ln.startswith("chronomap export:")]
        assert lines == [f"chronomap export: cannot write {target}: {FULL}"], run.stderr
        assert "Traceback" not in run.stderr
        untouched(folder, before)


# -- saving a story and a dataset -----------------------------------------------------


def test_story_save_into_a_full_disk(full) -> None:
    folder, make_full = full
    dataset = folder / "treaty"
    shutil.copytree(builtin_dataset(), dataset)
    before = snapshot(folder)
    make_full()
    with pytest.raises(OSError) as failed:
        save_story(dataset, a_story())
    assert write_error(dataset, failed.value) == f"cannot write {dataset}: {FULL}"
    untouched(folder, before)
    builtin_story = load_dataset(builtin_dataset()).dataset.story
    assert len(load_dataset(dataset).dataset.story) == len(builtin_story)


def test_story_save_into_a_read_only_folder(locked) -> None:
    folder, lock = locked
    dataset = folder / "treaty.json"
    main(["export", str(builtin_dataset()), "--json", str(dataset)])
    before = snapshot(folder)
    lock()
    with pytest.raises(OSError) as failed:
        save_story(dataset, a_story())
    line = write_error(dataset, failed.value)
    assert line.startswith(f"cannot write {dataset}: ") and "\n" not in line
    untouched(folder, before)


@pytest.mark.parametrize("form", ["treaty", "treaty.json", "treaty.xlsx"])
def test_dataset_save_into_a_full_disk(full, form) -> None:
    folder, make_full = full
    target = folder / form
    original = load_dataset(builtin_dataset()).dataset
    save_dataset(original, target)
    before = snapshot(folder)
    make_full()
    changed = load_dataset(builtin_dataset()).dataset
    changed.story = []
    with pytest.raises(OSError) as failed:
        save_dataset(changed, target)
    assert write_error(target, failed.value) == f"cannot write {target}: {FULL}"
    # A CSV folder too: all of its tables as they were, none half-new.
    untouched(folder, before)
    assert len(load_dataset(target).dataset.story) == len(original.story)


def test_parquet_export_into_a_full_disk(full, capsys) -> None:
    """Events, places, sources, citations and story in five files: replaced together or
    not at all."""
    folder, make_full = full
    target = folder / "events.parquet"
    assert main(["export", "--parquet", str(target)]) == 0
    before = snapshot(folder)
    assert len(before) == 5
    capsys.readouterr()
    make_full()
    assert main(["export", "--parquet", str(target), "--select", "treaty-signed"]) == 1
    line = one_line(capsys.readouterr().err)
    assert line.startswith("chronomap export: cannot write ") and line.endswith(FULL)
    untouched(folder, before)


def test_several_files_are_replaced_all_or_none(tmp_path) -> None:
    """The disk fills up on the second table: the first, already written in full, is not
    moved into place either."""
    import errno

    from desktop.core.atomic import atomic_write_all

    first, second = tmp_path / "events.csv", tmp_path / "places.csv"
    first.write_bytes(b"old events")
    second.write_bytes(b"old places")

    def new_events(tmp: Path) -> None:
        tmp.write_bytes(b"new events")

    def disk_full(_tmp: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OSError):
        atomic_write_all({first: new_events, second: disk_full})
    untouched(tmp_path, {"events.csv": b"old events", "places.csv": b"old places"})


def test_write_error_names_the_target_not_the_temporary_file(tmp_path) -> None:
    import errno

    exc = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".x.png.abc.part"))
    assert write_error(tmp_path / "x.png", exc) == (
        f"cannot write {tmp_path / 'x.png'}: no permission to write in that folder"
    )
    odd = OSError(errno.EIO, "Input/output error")
    (tmp_path / "x.png").write_bytes(b"old")
    assert write_error(Path(tmp_path / "x.png"), odd) == (
        f"cannot write {tmp_path / 'x.png'}: Input/output error; what was there is unchanged"
    )

"""A save killed part-way leaves the old dataset or the new one, never a broken one.

A child process saves the same dataset back and forth between two versions
as fast as it can; it is killed at a random moment (so most kills land in the
middle of a write), and what is on disk must load as one version or the other,
its backup too.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.core.load import load_dataset
from desktop.core.save import save_dataset
from tests.helpers import copy_builtin

# Kills per form: 21 over the three forms (each run starts a Python process: ~1 s).
RUNS = 7

CHILD = r"""
import sys
from dataclasses import replace
from desktop.core.editing import change_event
from desktop.core.load import load_dataset
from desktop.core.save_back import save_back

path = sys.argv[1]
loaded = load_dataset(path)
old = loaded.dataset
first = old.events[0]
new = change_event(old, replace(first, title="Saved by the child, " + "x" * 30_000)).apply(old)
# One round before "ready": the backup exists from then on, so every kill lands
# in a save that has one to keep (on a busy machine the first save can be slow).
save_back(path, loaded.format, old, new)
save_back(path, loaded.format, new, old)
print("ready", flush=True)
while True:
    save_back(path, loaded.format, old, new)
    save_back(path, loaded.format, new, old)
"""


def _versions(path: Path) -> tuple[str, str]:
    first = load_dataset(path).dataset.events[0]
    return first.title, "Saved by the child, " + "x" * 30_000


@pytest.mark.parametrize("form", ["csv-folder", ".json", ".xlsx"])
def test_a_killed_save_leaves_the_old_or_the_new_dataset(tmp_path: Path, form: str) -> None:
    folder = copy_builtin(tmp_path)
    if form == "csv-folder":
        path = folder
    else:
        path = tmp_path / f"briefing{form}"
        save_dataset(load_dataset(folder).dataset, path)
    old_title, new_title = _versions(path)
    reference = load_dataset(path).dataset
    chance = random.Random(form)
    cut = 0
    for run in range(RUNS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(chance.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        # A write cut short leaves its temporary file (the dataset is not it).
        parts = list((path if path.is_dir() else path.parent).glob(".*.part"))
        cut += bool(parts)
        for part in parts:
            part.unlink()
        backups = sorted(path.glob("*.bak")) if path.is_dir() else [Path(f"{path}.bak")]
        for candidate in (path, *([] if path.is_dir() else backups)):
            result = load_dataset(candidate)
            assert not result.errors, (run, candidate, result.errors[:1])
            events = result.dataset.events
            assert events[0].title in (old_title, new_title), (run, candidate)
            # Nothing else differs from either version.
            assert events[1:] == reference.events[1:], (run, candidate)
            assert result.dataset.citations == reference.citations
        if path.is_dir():
            for backup in backups:
                assert backup.stat().st_size > 0 and backup.read_bytes().startswith(b"\xef\xbb\xbf")
    assert replace(load_dataset(path).dataset.events[0], title=old_title) == reference.events[0]
    print(f"{form}: {RUNS} kills, {cut} in the middle of writing a file")

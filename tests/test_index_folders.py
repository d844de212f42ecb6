"""Index folders left by a killed app are removed by the next opening; others are kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.core.engine.index_folders import PREFIX, index_folder, sweep_stale


def _folder_of_a_killed_process(base: Path) -> Path:
    # The child makes its folder and dies without cleaning up, as a crashed app would.
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from desktop.core.engine.index_folders import index_folder\n"
        "folder = index_folder(Path(sys.argv[1]))\n"
        "(folder / 'starts.npy').write_bytes(b'x' * 1000)\n"
        "print(folder, flush=True)\n"
        "os._exit(9)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(base)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 9, done.stderr
    return Path(done.stdout.strip())


def test_a_killed_apps_index_folder_is_removed_by_the_next_opening(tmp_path: Path) -> None:
    stale = _folder_of_a_killed_process(tmp_path)
    assert (stale / "starts.npy").exists()
    mine = index_folder(tmp_path)
    assert not stale.exists()
    assert mine.exists()
    assert (mine / "owner.pid").read_text() == str(os.getpid())


def test_folders_of_running_processes_and_unmarked_folders_are_kept(tmp_path: Path) -> None:
    mine = index_folder(tmp_path)
    parent = tmp_path / f"{PREFIX}parent"
    parent.mkdir()
    (parent / "owner.pid").write_text(str(os.getppid()))
    unmarked = tmp_path / f"{PREFIX}unmarked"
    unmarked.mkdir()
    garbled = tmp_path / f"{PREFIX}garbled"
    garbled.mkdir()
    (garbled / "owner.pid").write_text("not a pid")
    other = tmp_path / "somebody-else"
    other.mkdir()
    (other / "owner.pid").write_text("999999999")
    assert sweep_stale(tmp_path) == []
    for folder in (mine, parent, unmarked, garbled, other):
        assert folder.exists()

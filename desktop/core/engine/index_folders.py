"""Temp folders for a large source's index files, and sweeping up after a crash.

An index at 10M events is a few hundred MB of memory-mapped arrays in the temp
folder. The window removes its folder when the source closes; a process that is
killed cannot, so each folder names its owner and the next opening removes the
folders whose owner is gone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

PREFIX = "chronomap-index-"
OWNER = "owner.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        # Another user's process, or a platform that cannot tell: keep the folder.
        return True
    return True


def sweep_stale(base: Path | None = None) -> list[Path]:
    """Remove index folders whose owning process is no longer running; return them.

    A folder without a readable owner file is left alone: it may be one being
    made at this moment, or not ours.
    """
    base = Path(base or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        candidates = list(base.glob(PREFIX + "*"))
    except OSError:
        return removed
    for folder in candidates:
        try:
            pid = int((folder / OWNER).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                removed.append(folder)
    return removed


def index_folder(base: Path | None = None) -> Path:
    """A folder of its own in the temp folder, marked with this process as its owner."""
    sweep_stale(base)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=base))
    (folder / OWNER).write_text(str(os.getpid()), encoding="ascii")
    return folder

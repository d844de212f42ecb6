"""Watch the open dataset's files, and say when another program changed them.

Excel and most editors save by writing a new file and renaming it over the
old one: a watch on the file itself then ends with the old file, so the
folder is watched too, and the files are watched again after every change.
A change is reported once the files have been quiet for a moment (a save
that writes several files, or writes one in pieces, is one change), and only
when what is on disk differs from what the window last read or wrote.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from desktop.core.save_back import SAVED_SHEETS

# Quiet time before a change is reported: a save's files have all landed by then,
# and the window still shows the change well within a second.
SETTLE_MS = 150

Signature = tuple[tuple[str, int, int] | None, ...]


def dataset_files(path: Path, form: str) -> list[Path]:
    """The files a dataset is read from: a CSV folder's sheets, else the file itself."""
    if form == "csv-folder" or path.is_dir():
        names = [f"{sheet}.csv" for sheet in (*SAVED_SHEETS, "meta")]
        return [path / name for name in names]
    return [path]


def signature(files: list[Path]) -> Signature:
    """What changes when a file is written: its inode (a rename), size and time."""
    out: list[tuple[str, int, int] | None] = []
    for file in files:
        try:
            stat = os.stat(file)
        except OSError:
            out.append(None)
            continue
        out.append((f"{stat.st_ino}", stat.st_size, stat.st_mtime_ns))
    return tuple(out)


class DatasetWatcher(QObject):
    """Emits ``sigChanged`` when the watched dataset's files change on disk."""

    sigChanged = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._check)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(lambda _p: self._settle.start())
        self._watcher.directoryChanged.connect(lambda _p: self._settle.start())
        self._files: list[Path] = []
        self._known: Signature = ()

    def watch(self, path: Path | None, form: str = "") -> None:
        """Watch the dataset at ``path`` (None: nothing), as it is on disk now."""
        self._settle.stop()
        old = self._watcher.files() + self._watcher.directories()
        if old:
            self._watcher.removePaths(old)
        self._files = [] if path is None else dataset_files(Path(path), form)
        self._known = signature(self._files)
        self._rewatch()

    def remember(self) -> None:
        """The window wrote the files itself (a save): this is not news."""
        self._known = signature(self._files)
        self._rewatch()

    def _rewatch(self) -> None:
        if not self._files:
            return
        folders = {str(f.parent) for f in self._files}
        existing = [str(f) for f in self._files if f.exists()]
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        wanted = [p for p in [*folders, *existing] if p not in watched]
        if wanted:
            self._watcher.addPaths(wanted)

    def _check(self) -> None:
        self._rewatch()  # a file replaced by a rename is a new file to watch
        now = signature(self._files)
        if now and now[0] is None:
            return  # mid-save (deleted before the new one is renamed in): wait for it
        if now != self._known:
            self._known = now
            self.sigChanged.emit()

"""Folders where writing fails as it does on a user's machine: a full disk, a read-only one.

Where the tests may mount file systems (root, as in CI's containers), the folder
is a small tmpfs that really fills up or is really remounted read-only. Where
they may not, a full disk is a patched ``os.fsync`` that fails as a full disk
does (the data written, the flush refused), and a read-only folder is one
without write permission (which binds everyone but root).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Room for a copy of the built-in dataset and a little more, and no more.
TMPFS_KB = 512


def can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


@contextlib.contextmanager
def small_tmpfs(path: Path) -> Iterator[None]:
    """A small tmpfs mounted at ``path``; the test is skipped where it cannot be mounted."""
    path.mkdir(parents=True, exist_ok=True)
    if not (can_mount() and _run("mount", "-t", "tmpfs", "-o", f"size={TMPFS_KB}k", "tmpfs", path)):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield
    finally:
        _run("umount", "-l", path)


def _run(*args: object) -> bool:
    done = subprocess.run([str(a) for a in args], capture_output=True, check=False)
    return done.returncode == 0


def fill(folder: Path) -> None:
    """Write one filler file until the disk says it is full."""
    chunk = b"\0" * 4096
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, chunk)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC, exc
    finally:
        os.close(fd)
    # A new file's first page is refused too (tmpfs allocates whole pages).
    with pytest.raises(OSError):
        (folder / "probe").write_bytes(chunk)
    (folder / "probe").unlink(missing_ok=True)


@contextlib.contextmanager
def full_disk(kind: str, folder: Path, monkeypatch) -> Iterator[Callable[[], None]]:
    """Yield a function that fills the disk under ``folder`` (put the old files in first)."""
    if kind == "tmpfs":
        with small_tmpfs(folder):
            yield lambda: fill(folder)
            return

    def refuse(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    folder.mkdir(parents=True, exist_ok=True)
    yield lambda: monkeypatch.setattr(os, "fsync", refuse)


@contextlib.contextmanager
def read_only(kind: str, folder: Path) -> Iterator[Callable[[], None]]:
    """Yield a function that makes ``folder`` read-only (put the old files in first)."""
    if kind == "tmpfs":
        with small_tmpfs(folder):
            yield lambda: _remount_read_only(folder)
            return
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root writes into folders without write permission")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield lambda: _lock(folder)
    finally:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)


def _remount_read_only(folder: Path) -> None:
    assert _run("mount", "-o", "remount,ro", folder)


def _lock(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        if path.is_dir():
            path.chmod(0o555)


def untouched(folder: Path, before: dict[str, bytes]) -> None:
    """The files are as they were, and nothing was left beside them."""
    now = {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "filler"
    }
    assert now == before


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

"""Atomic file writes: a reader sees the old file or the new one, never half of one.

A write that fails (a full disk, a read-only folder) leaves what was there
untouched, and ``write_error`` says why in one line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    If the body raises, the temporary file is removed and ``target`` is left
    exactly as it was. The temporary file lives in the same folder so the
    final rename cannot cross file systems.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if target.exists():
            shutil.copymode(target, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_all(writes: dict[Path, Callable[[Path], None]]) -> None:
    """Write several files so that either all of them are replaced or none is.

    Each function fills its file's temporary path beside the target; only once
    every one is written in full are they moved into place. A disk that fills
    up fails while writing, before any target has changed (a dataset's tables
    stay one consistent set).
    """
    with contextlib.ExitStack() as stack:
        for target, write in writes.items():
            tmp = stack.enter_context(atomic_path(target))
            write(tmp)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())  # a full disk says so here, not between two moves


def atomic_write_files(files: dict[Path, bytes]) -> None:
    """Write several files' bytes, all or none (``atomic_write_all``)."""
    atomic_write_all({target: _writer(data) for target, data in files.items()})


def _writer(data: bytes) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def atomic_write_with(target: str | os.PathLike[str], write: Callable[[Path], None]) -> None:
    """Let ``write`` fill a temporary path, then move it into place."""
    with atomic_path(target) as tmp:
        write(tmp)


# Why a write failed, in the words a user needs (the rest: the system's own).
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "no permission to write in that folder",
    errno.EPERM: "no permission to write in that folder",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "the folder does not exist",
    errno.ENAMETOOLONG: "the name is too long",
}


def write_error(target: str | os.PathLike[str], exc: OSError) -> str:
    """One line saying why ``target`` was not written.

    It names the file the user chose, not the temporary one beside it that
    the system complained about, and says that what was there is unchanged
    (the writes here are atomic).
    """
    reason = _REASONS.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__
    kept = "; what was there is unchanged" if Path(target).exists() else ""
    return f"cannot write {os.fspath(target)}: {reason}{kept}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def keep_backup(target: str | os.PathLike[str]) -> Path | None:
    """Copy an existing file to ``NAME.bak`` before it is overwritten."""
    target = Path(target)
    if not target.is_file():
        return None
    backup = target.with_name(target.name + ".bak")
    atomic_write_bytes(backup, target.read_bytes())
    return backup

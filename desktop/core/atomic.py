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
from collections.abc import Iterator
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


def atomic_write_files(files: dict[Path, bytes]) -> None:
    """Write several files so that either all of them are replaced or none is.

    Every new file is written in full beside its target first; only then are
    they moved into place. A disk that fills up fails while writing, before
    any target has changed (a dataset's CSV files stay one consistent set).
    """
    with contextlib.ExitStack() as stack:
        temporaries = [(stack.enter_context(atomic_path(t)), data) for t, data in files.items()]
        for tmp, data in temporaries:
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())  # a disk that is full says so here, not mid-replace


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


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

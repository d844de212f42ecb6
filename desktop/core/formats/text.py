"""Decoding text files the way analysts' tools save them."""

from __future__ import annotations

from pathlib import Path

from ..problems import Problems


def read_data(path: Path, name: str, problems: Problems, limit: int | None = None) -> bytes | None:
    """The file's bytes (its first ``limit`` only, if given), or None with one error saying
    why: it cannot be read, or it is empty."""
    try:
        if limit is None:
            data = path.read_bytes()
        else:
            with open(path, "rb") as handle:
                data = handle.read(limit)
    except OSError as exc:
        problems.error(name, 0, "-", f"cannot read the file: {exc.strerror or exc}")
        return None
    if not data.strip():
        problems.error(name, 0, "-", "the file is empty: it needs a header row and data rows")
        return None
    return data


def decode(data: bytes, path: str, problems: Problems) -> str:
    """UTF-8 (with or without Excel's byte-order mark); anything else is reported.

    A file in another encoding (Excel on Windows saves "CSV" as cp1252) is
    still read as cp1252 so the rest of the dataset opens, but it is an error:
    accented names would be wrong until the file is saved as UTF-8.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(
            path,
            line,
            "-",
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); "
            "save it as 'CSV UTF-8' (Excel) or UTF-8 (other editors)",
        )
        return data.decode("cp1252", errors="replace")

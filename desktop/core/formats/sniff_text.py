"""Reading a table of text whatever saved it: the encoding and the delimiter are found.

UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode text"),
and single-byte encodings (cp1252 / Latin-1, what Excel on Windows saves as
"CSV") are recognised; charset-normalizer decides among the latter. The
delimiter is whichever of ``, ; tab |`` splits the first lines into the same
number of cells. A file that is not text at all (NUL bytes, no line that
splits) is said to be so quickly, without reading every row.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problems
from ..records import Table, normalise_header
from .text import read_data

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE = 256 * 1024
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


@dataclass(frozen=True)
class TextTable:
    """A table read from text, with what was found out about how it was written."""

    table: Table
    encoding: str
    delimiter: str


def detect_encoding(data: bytes) -> str | None:
    """The encoding of ``data``, or None when it is not text."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:_SAMPLE]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a mark: every other byte of ASCII text is NUL.
        if sample[1::2].count(0) > len(sample) // 3:
            return "utf-16-le"
        if sample[0::2].count(0) > len(sample) // 3:
            return "utf-16-be"
        return None
    if sample.count(b"\x00") > max(16, len(sample) // 100):
        return None  # a stray NUL is dropped; many mean binary data
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and len(data) > _SAMPLE:
            return "utf-8"  # cut mid-character at the end of a sample
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["cp1252", "latin_1", "cp1251", "iso8859_15"]).best()
    return best.encoding if best is not None else "cp1252"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into one steady number of cells."""
    lines = text[:_SAMPLE].splitlines()[:30]
    best, best_score = ",", (-1, 0)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        rows = [r for r in rows if r]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        steady = sum(1 for r in rows if len(r) == width)
        score = (steady, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_text_table(path: Path, problems: Problems, head_only: bool = False) -> TextTable | None:
    """A delimited text file as a Table (header row 1), or None with one error saying why."""
    name = str(path)
    data = read_data(path, name, problems, _SAMPLE if head_only else None)
    if data is None:
        return None
    encoding = detect_encoding(data)
    if encoding is None:
        problems.error(name, 0, "-", "the file is not text (it holds NUL bytes): not a table")
        return None
    text = data.decode(encoding, errors="replace").replace("\x00", "")
    del data
    if head_only:
        text = text.rsplit("\n", 1)[0] if "\n" in text else text
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        problems.error(name, 1, "-", f"malformed header row: {exc}")
        return None
    if len([h for h in header if h]) < 2:
        problems.error(
            name,
            1,
            "-",
            "the first line is not a header of named columns separated by commas, "
            "semicolons, tabs or bars: this is not a table",
        )
        return None
    keys = [normalise_header(h) for h in header]
    table = Table(name, header)
    width = len(header)
    try:
        # Rows are numbered as a spreadsheet shows them, not by line: a quoted
        # cell may hold line breaks.
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > width and any(c.strip() for c in record[width:]):
                problems.error(
                    name,
                    number,
                    "-",
                    f"row has {len(record)} cells but the header has {width} columns: "
                    f"quote cells that contain the separator ({_NAMES[delimiter]})",
                )
                continue
            table.rows.append((number, {k: v for k, v in zip(keys, record, strict=False) if k}))
    except csv.Error as exc:
        problems.error(name, reader.line_num, "-", f"malformed CSV: {exc}")
    return TextTable(table, encoding, delimiter)


def encoding_note(encoding: str) -> str:
    """What the user is told about an encoding other than UTF-8, or ""."""
    if encoding in ("utf-8", "utf-8-sig", "ascii"):
        return ""
    return f"the file was read as {encoding} text (not UTF-8)"

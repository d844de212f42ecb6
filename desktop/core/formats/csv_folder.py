"""A folder of CSV files, one per sheet: events.csv, places.csv, sources.csv, story.csv.

This is the form an analyst edits in Excel, so rows are numbered as Excel
shows them (the header is row 1) and both comma- and semicolon-separated
files are read (Excel writes the latter in many European locales).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import atomic_write_files
from ..model import Dataset
from ..problems import Problems
from ..records import SHEET_ORDER, Table, build_dataset, dataset_rows, header_for, normalise_header
from .text import decode, read_data

if TYPE_CHECKING:
    import pyarrow as pa

# Below this size an events file is read row by row: Arrow's reader first pays about
# a second of imports (pyarrow, and pandas, which its conversion to numpy loads),
# longer than the row reader takes for some 20,000 events, and the built-in dataset
# is read at every start.
ROW_BY_ROW_BYTES = 1_000_000


def read_csv_table(path: Path, problems: Problems, label: str | None = None) -> Table | None:
    """One CSV file as a Table, or None (with a problem) when it cannot be read."""
    name = label or str(path)
    data = read_data(path, name, problems)
    if data is None:
        return None
    text = decode(data, name, problems)
    if "\x00" in text:
        problems.error(name, 0, "-", "the file contains NUL bytes: it is not a text CSV file")
        return None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        problems.error(name, reader.line_num, "-", f"malformed CSV: {exc}")
        return None
    header = [h.strip() for h in records[0]] if records else []
    keys = [normalise_header(h) for h in header]
    table = Table(name, header)
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            problems.error(
                name,
                number,
                "-",
                f"row has {len(record)} cells but the header has {len(header)} columns: "
                "quote cells that contain the separator",
            )
            continue
        table.rows.append((number, {k: v for k, v in zip(keys, record, strict=False) if k}))
    return table


def read_csv_arrow(path: Path, encoded: tuple[str, ...] = ()) -> pa.Table | None:
    """A UTF-8 CSV file as an Arrow table of text columns, read by Arrow's parser; None
    whenever it is anything else (another encoding, a row of another length, NUL
    bytes ...), for read_csv_table to read it and say what it finds. The columns
    named in ``encoded`` (as normalise_header() names them) are dictionary-encoded
    by the parser as it reads them, in parallel."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip() or b"\x00" in data:
        return None
    first = data.split(b"\n", 1)[0]
    delimiter = ";" if first.count(b";") > first.count(b",") else ","
    try:
        header = next(csv.reader([first.decode("utf-8").rstrip("\r")], delimiter=delimiter))
        # Only a quoted cell can hold a line break; without quotes Arrow splits the
        # file at any line break and parses the blocks in parallel.
        quoted = b'"' in data
        table = pacsv.read_csv(
            pa.py_buffer(data),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted),
            convert_options=pacsv.ConvertOptions(
                column_types={
                    name: (
                        pa.dictionary(pa.int32(), pa.string())
                        if normalise_header(name) in encoded
                        else pa.string()
                    )
                    for name in header
                },
                strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (UnicodeDecodeError, csv.Error, StopIteration, pa.ArrowException, ValueError):
        return None
    if table.column_names != header:
        return None
    return table.rename_columns([name.strip() for name in header])  # as read_csv_table does


def columnar_csv_dataset(
    events: Path, others: dict[str, Path], problems: Problems, title: str
) -> Dataset | None:
    """The dataset with its events file read as columns (event_columns), or None (and
    nothing reported) when it needs reading row by row, or is small enough to."""
    if _size(events) < ROW_BY_ROW_BYTES:
        return None
    from ..event_columns import columnar_dataset

    # Dates and lists of ids repeat (a million events hold tens of thousands of
    # dates, a hundred thousand lists of places): encoded as read.
    table = read_csv_arrow(events, encoded=("start", "end", "places", "sources", "tags"))
    if table is None:
        return None
    found = Problems()
    tables = {}
    for sheet, file in others.items():
        read = read_csv_table(file, found)
        if read is not None:
            tables[sheet] = read
    built = columnar_dataset(table, tables, title, label=str(events))
    if built is None:
        return None
    dataset, more = built
    problems.extend(found)
    problems.extend(more)
    return dataset


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the row reader reports what is wrong with it


def is_csv_folder(path: Path) -> bool:
    return path.is_dir() and (path / "events.csv").is_file()


def load_csv_folder(path: Path, problems: Problems) -> Dataset:
    if not (path / "events.csv").is_file():
        problems.error(
            str(path / "events.csv"), 0, "-", "the folder has no events.csv: a dataset needs one"
        )
        return Dataset()
    others = {
        sheet: path / f"{sheet}.csv"
        for sheet in SHEET_ORDER
        if sheet != "events" and (path / f"{sheet}.csv").is_file()
    }
    fast = columnar_csv_dataset(path / "events.csv", others, problems, path.name)
    if fast is not None:
        return fast
    tables = {}
    for sheet in SHEET_ORDER:
        file = path / f"{sheet}.csv"
        if file.is_file():
            table = read_csv_table(file, problems)
            if table is not None:
                tables[sheet] = table
    return build_dataset(tables, problems, title=path.name)


def csv_bytes(header: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    # The byte-order mark tells Excel the file is UTF-8 (it guesses cp1252 otherwise).
    return out.getvalue().encode("utf-8-sig")


def write_csv_folder(dataset: Dataset, path: Path, sheets: tuple[str, ...] = SHEET_ORDER) -> None:
    path.mkdir(parents=True, exist_ok=True)
    rows = dataset_rows(dataset)
    # All the tables or none: a full disk must not leave new events with old places.
    atomic_write_files(
        {
            path / f"{sheet}.csv": csv_bytes(header_for(sheet, rows[sheet]), rows[sheet])
            for sheet in sheets
            if sheet != "meta" or dataset.title or dataset.description
        }
    )

"""Open any supported dataset: the form is recognised from the content, not the name.

Formats register themselves in ``FORMATS`` as (name, label, extensions, sniff,
load). ``sniff`` looks at the path and its first bytes and says whether the
format can read it; the first format that says yes reads it. More specific
formats (a TimelineJS sheet is also a CSV) are registered before general ones.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .formats.columnar import register_columnar_formats
from .formats.csv_folder import (
    columnar_csv_dataset,
    is_csv_folder,
    load_csv_folder,
    read_csv_table,
)
from .formats.json_file import load_json_dataset
from .formats.registry import Format, register_interop_formats
from .formats.workbook import load_workbook_dataset
from .model import Dataset
from .problems import Problem, Problems, Severity
from .records import build_dataset

if TYPE_CHECKING:
    from .formats.roles import ImportOptions

SNIFF_BYTES = 64 * 1024


@dataclass
class LoadResult:
    path: Path
    dataset: Dataset
    problems: list[Problem] = field(default_factory=list)
    format: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def notes(self) -> list[Problem]:
        """What the reader decided and why (date order, encoding, preset): nothing to fix."""
        return [p for p in self.problems if p.severity is Severity.NOTE]


class UnreadableError(Exception):
    """The path itself cannot be opened (missing, a permission problem): nothing to validate."""


def _is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _looks_json(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"["))


def _load_single_csv(path: Path, problems: Problems) -> Dataset:
    if path.name.lower() == "events.csv" and is_csv_folder(path.parent):
        return load_csv_folder(path.parent, problems)
    fast = columnar_csv_dataset(path, {}, problems, path.stem)
    if fast is not None:
        return fast
    table = read_csv_table(path, problems)
    return build_dataset({"events": table} if table else {}, problems, title=path.stem)


FORMATS: list[Format] = [
    Format("csv-folder", "Chronomap CSV folder", (), lambda p, h: p.is_dir(), load_csv_folder),
    Format(
        "xlsx", "Chronomap workbook", (".xlsx",), lambda p, h: _is_zip(h), load_workbook_dataset
    ),
    Format("json", "Chronomap JSON", (".json",), lambda p, h: _looks_json(h), load_json_dataset),
    Format("csv", "Chronomap events CSV", (".csv", ".txt"), lambda p, h: True, _load_single_csv),
]


def register_format(fmt: Format, before: str | None = None) -> None:
    """Add a format; ``before`` names the general format it must be tried ahead of."""
    if any(f.name == fmt.name for f in FORMATS):
        return
    index = next((i for i, f in enumerate(FORMATS) if f.name == before), len(FORMATS))
    FORMATS.insert(index, fmt)


def detect_format(path: Path) -> Format:
    head = b""
    if path.is_file():
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    for fmt in FORMATS:
        if fmt.sniff(path, head):
            return fmt
    return FORMATS[-1]


# Import choices given for a file in this session (the command line's --map,
# --dayfirst), used whenever it is opened without choices of its own.
_SESSION_OPTIONS: dict[Path, ImportOptions] = {}
# Formats that read a table of any shape, and so take import choices.
TABLE_FORMATS = ("plain-csv", "table-xlsx")


def use_options(path: str | os.PathLike[str], options: ImportOptions | None) -> None:
    """Open ``path`` with ``options`` from now on in this session (None forgets them)."""
    key = Path(path).resolve()
    if options is None or options.is_empty():
        _SESSION_OPTIONS.pop(key, None)
    else:
        _SESSION_OPTIONS[key] = options


def load_dataset(path: str | os.PathLike[str], options: ImportOptions | None = None) -> LoadResult:
    """Read a dataset in any supported form; problems are collected, never raised.

    ``options`` are a user's choices of column roles and date order for a table
    (on top of those remembered in its ``NAME.chronomap.json``); a CSV given
    them is read as a table even when it looks like a native events sheet.
    Raises UnreadableError only when the path cannot be opened at all.
    """
    path = Path(path)
    if not path.exists():
        raise UnreadableError(f"{path}:0:-: error: no such file or folder")
    path = _table_of_sidecar(path)
    if not os.access(path, os.R_OK):
        raise UnreadableError(f"{path}:0:-: error: permission denied: cannot read it")
    try:
        fmt = detect_format(path)
    except OSError as exc:
        raise UnreadableError(f"{path}:0:-: error: cannot read it: {exc.strerror or exc}") from exc
    if options is None:
        with contextlib.suppress(OSError):
            options = _SESSION_OPTIONS.get(path.resolve())
    problems = Problems()
    with _no_cycle_collection():
        if options is not None and not options.is_empty() and path.is_file():
            fmt = _table_format(fmt, path)
            if fmt.name in TABLE_FORMATS:
                dataset = _load_table(fmt, path, problems, options)
            else:
                problems.warning(
                    str(path),
                    0,
                    "-",
                    f"column choices apply to tables only: a {fmt.label} is read as it is",
                )
                dataset = fmt.load(path, problems)
        else:
            dataset = fmt.load(path, problems)
    if not dataset.events and not (problems.errors or problems.warnings):
        # Opened, but empty: say so, rather than show a blank window without a word
        # (notes alone, such as the date order chosen, do not explain an empty file).
        problems.warning(str(path), 0, "-", "no events found: the timeline and the map stay empty")
    return LoadResult(path, dataset, list(problems), fmt.name)


def _table_of_sidecar(path: Path) -> Path:
    """The table a ``NAME.chronomap.json`` of import choices describes, else ``path``.

    File managers open every ``*.chronomap.json`` with Chronomap; the sidecar of a
    CSV is one of them, and opening it means opening the table it remembers.
    """
    from .formats.roles import is_sidecar, sidecar_table

    if not is_sidecar(path):
        return path
    table = sidecar_table(path)
    if table is None:
        raise UnreadableError(
            f"{path}:0:-: error: these are import choices for a table that is not beside"
            " them: open the table itself (CSV or workbook)"
        )
    return table


def _table_format(fmt: Format, path: Path) -> Format:
    """The table reader for a file that was given column choices: a CSV that looks native
    is read as a table too (the user said which column is which)."""
    wanted = {"csv": "plain-csv", "timelinejs-csv": "plain-csv", "xlsx": "table-xlsx"}
    name = wanted.get(fmt.name, fmt.name)
    return next((f for f in FORMATS if f.name == name), fmt)


def _load_table(fmt: Format, path: Path, problems: Problems, options: ImportOptions) -> Dataset:
    if fmt.name == "plain-csv":
        from .formats.plain_csv import load_plain_csv

        return load_plain_csv(path, problems, options)
    from .formats.table_workbook import load_table_workbook

    return load_table_workbook(path, problems, options)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while a dataset is built.

    Building a large dataset allocates millions of objects and no cycles; each
    allocation burst would otherwise start a collection that walks everything
    built so far (a third of a 100k-event load). Reference counting still
    frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


register_interop_formats(register_format)
register_columnar_formats(register_format, before=FORMATS[0].name)

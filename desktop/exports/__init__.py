"""Exporters, registered once so the menus and the command line list the same set.

Each exporter is (key, label, extension, function). The function takes the
dataset, the target path and an ExportOptions, and writes atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.dates import PartialDate
from desktop.core.model import Dataset


@dataclass(frozen=True)
class ExportOptions:
    start: PartialDate | None = None
    end: PartialDate | None = None
    select: tuple[str, ...] = ()
    step: int | None = None
    size: tuple[int, int] | None = None
    # The window's filter bar: categories left out, and its search text (every
    # whitespace-separated term must occur in the event's text, as in the window).
    hidden: tuple[str, ...] = ()
    search: str = ""


class ExportError(Exception):
    """A problem the user can fix (bad id, nothing left to show, unwritable path); no traceback."""


ExportFunction = Callable[[Dataset, "str | os.PathLike[str]", ExportOptions], None]


@dataclass(frozen=True)
class Exporter:
    key: str
    label: str
    extension: str
    function: ExportFunction
    needs_qt: bool = False


EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> None:
    EXPORTERS[exporter.key] = exporter


def _json(dataset: Dataset, path: str | os.PathLike[str], options: ExportOptions) -> None:
    from .json_export import export_json

    export_json(dataset, path, options)


register(Exporter("json", "Canonical JSON", ".json", _json))

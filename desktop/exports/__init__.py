"""Exporters, registered once so the menus and the command line list the same set.

Each exporter is (key, label, extension, function). The function takes the
dataset, the target path, the view to show (a FrozenView: the window's own,
frozen, or one built from the command line's options by ``view.view_from_flags``)
and an image size (None: the exporter's default), and writes atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from desktop.core.model import Dataset
from desktop.core.view_state import FrozenView

Size = tuple[int, int]


class ExportError(Exception):
    """A problem the user can fix (bad id, nothing left to show, unwritable path); no traceback."""


ExportFunction = Callable[[Dataset, "str | os.PathLike[str]", FrozenView, Size | None], None]


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


# What the exports of one run (one command line) share: see ``one_run``.
_RUN: ContextVar[dict[Hashable, Any] | None] = ContextVar("export_run", default=None)


@contextmanager
def one_run() -> Iterator[None]:
    """Exports made together (a PDF and a PPTX of one command line) share what they
    render, through ``shared``; it is all let go at the end."""
    token = _RUN.set({})
    try:
        yield
    finally:
        _RUN.reset(token)


def shared[T](key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, made once per ``one_run`` for ``key`` (every time outside one)."""
    memo = _RUN.get()
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    return memo[key]


def _json(
    dataset: Dataset, path: str | os.PathLike[str], view: FrozenView, size: Size | None
) -> None:
    from .json_export import export_json

    export_json(dataset, path, view, size)


register(Exporter("json", "Canonical JSON", ".json", _json))


def _parquet(
    dataset: Dataset, path: str | os.PathLike[str], view: FrozenView, size: Size | None
) -> None:
    from .parquet_export import export_parquet

    export_parquet(dataset, path, view, size)


register(
    Exporter(
        "parquet",
        "Parquet tables (events; places, sources and story beside them)",
        ".parquet",
        _parquet,
    )
)

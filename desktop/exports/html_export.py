"""The HTML export: one self-contained page (map, timeline strip, details) that opens offline."""

from __future__ import annotations

import os
from datetime import date

from desktop.core.atomic import atomic_write_bytes, write_error
from desktop.core.model import Dataset
from desktop.core.view_state import FrozenView

from . import Exporter, ExportError, Size, register
from .selection import keeping
from .view import resolve_view


def export_html(
    dataset: Dataset,
    path: str | os.PathLike[str],
    frozen: FrozenView,
    size: Size | None = None,
) -> None:
    """The page, opened on ``frozen``: its window, selection and (a story step's) map view."""
    from desktop.mapview.standalone import build_standalone_page

    # The same view the PNG and the deck show: a story step sets title, window,
    # selection and map position.
    view = resolve_view(dataset, frozen)
    # The events the view worked out, not worked out again (a search reads every event).
    shown = keeping(dataset, view.events)
    label = view.window_text()
    if view.step is not None and view.caption:
        label = f"{view.caption} · {label}"
    mv = view.map_view
    window = frozen.window
    # Epoch seconds: exact for BCE windows too.
    low, high = window.epochs() if window else (None, None)
    page = build_standalone_page(
        shown,
        title=view.title,
        window_label=label,
        select=view.selected,
        view=(mv.lat, mv.lon, mv.zoom) if mv else None,
        note=f"Exported {date.today().isoformat()}",
        palette_of=dataset,
        # The exact window; a side left open (--from alone) stays open in the page.
        window=(
            low if view.start else None,
            high if view.end else None,
        ),
    )
    try:
        atomic_write_bytes(path, page.encode("utf-8"))
    except OSError as err:
        raise ExportError(write_error(path, err)) from None


register(Exporter("html", "Interactive HTML page", ".html", export_html))

"""The HTML export: one self-contained page (map, timeline strip, details) that opens offline."""

from __future__ import annotations

import os
from datetime import date

from desktop.core.atomic import atomic_write_bytes
from desktop.core.dates import to_epoch
from desktop.core.model import Dataset

from . import Exporter, ExportError, ExportOptions, register
from .selection import subset


def window_label(dataset: Dataset, options: ExportOptions) -> str:
    """The date window as the reader should see it: the one asked for, else the events' span."""
    if options.start is None and options.end is None:
        events = dataset.sorted_events()
        if not events:
            return ""
        first = events[0].start.iso()
        last = max((e.end or e.start for e in events), key=lambda d: d.upper()).iso()
        return first if first == last else f"{first} – {last}"
    start = options.start.iso() if options.start else "…"
    end = options.end.iso() if options.end else "…"
    return f"{start} – {end}"


def export_html(dataset: Dataset, path: str | os.PathLike[str], options: ExportOptions) -> None:
    from desktop.mapview.standalone import build_standalone_page

    shown = subset(dataset, options)
    if not shown.events:
        raise ExportError("the dataset has no events to export")
    page = build_standalone_page(
        shown,
        title=dataset.title,
        window_label=window_label(shown, options),
        select=options.select,
        note=f"Exported {date.today().isoformat()}",
        window=(
            to_epoch(options.start.lower()) if options.start else None,
            to_epoch(options.end.upper()) if options.end else None,
        ),
    )
    try:
        atomic_write_bytes(path, page.encode("utf-8"))
    except OSError as err:
        raise ExportError(f"{os.fspath(path)}: cannot write: {err.strerror or err}") from None


register(Exporter("html", "Interactive HTML page", ".html", export_html))

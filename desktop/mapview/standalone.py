"""The standalone page: the map plus a timeline strip, detail panel, legend and footer.

Used by the HTML export. Everything is inlined, so the one file opens offline
in any browser. Text from the dataset goes into the markup only escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from desktop.core import flags
from desktop.core.framing import events_frame_bounds
from desktop.core.model import Dataset

from . import assets
from .page import ATTRIBUTION, build_map_page
from .palette import UNCATEGORISED, category_colors
from .payload import packed_payload
from .safety import script_json


def build_standalone_page(
    dataset: Dataset,
    *,
    title: str = "",
    window_label: str = "",
    select: Sequence[str] = (),
    note: str = "",
    window: tuple[float | None, float | None] | None = None,
    view: tuple[float, float, float] | None = None,
    palette_of: Dataset | None = None,
) -> str:
    """The standalone HTML page of ``dataset``'s events (all of them: cut the window first).

    window_label: the date window shown under the title ("2024-06 – 2025-01").
    select: event ids selected when the page opens.
    note: an extra line for the footer (e.g. when the file was exported).
    view: (lat, lon, zoom) the map opens at; default: the box of the selection's places,
        else of all the places, by the window's framing rule (framing.fit_bounds).
    window: (start, end) in epoch seconds (either may be None) the strip spans;
        default: the events' own span.
    palette_of: the whole dataset ``dataset`` was cut from: categories keep the
        colours the window gives them, whichever of them the cut left.
    """
    shown = {e.category for e in dataset.events}
    colors = {
        c: color
        for c, color in category_colors(
            (palette_of or dataset).categories(), (palette_of or dataset).palette
        ).items()
        if c in shown
    }
    title = title or dataset.title or "Chronomap"
    return build_map_page(
        dataset,
        inline=True,
        basemap="110m",
        select=select,
        view=view,
        fit=None if view else events_frame_bounds(dataset, select),
        # The header lists the categories; the map's legend says what sizes mean.
        legend="size",
        title=title,
        extra_css=[assets.read_text(assets.page_file("chronomap_standalone.css"))],
        # The events go packed (under a third of the size at 100k events): the page
        # unpacks them into the records the map and the strip read.
        payload=packed_payload(dataset, colors),
        unpack="chronomapUnpack",
        extra_js=[
            assets.read_text(assets.page_file("chronomap_packed.js")),
            f"window.chronomapWindow = {script_json(list(window) if window else None)};",
            assets.read_text(assets.page_file("chronomap_strip.js")),
        ],
        body_html=_body(dataset, title, window_label, note, colors),
    )


def _legend(colors: dict[str, str]) -> str:
    items = []
    for category, color in colors.items():
        name = category or "uncategorised"
        items.append(
            f'<li><span class="cm-swatch" style="background:{color}"></span>{escape(name)}</li>'
        )
    if not items:
        items.append(
            f'<li><span class="cm-swatch" style="background:{UNCATEGORISED}"></span>events</li>'
        )
    return '<ul class="cm-legend" aria-label="Categories">' + "".join(items) + "</ul>"


def _flags_legend(dataset: Dataset) -> str:
    """What the flags on these events mean (confidence, background), when any carry one."""
    shown = flags.legend(dataset.events, dataset)
    if not shown:
        return ""
    items = "".join(
        f'<li class="cm-flag-{f.key}"><b>{escape(f.label)}</b>: {escape(f.meaning)}</li>'
        for f in shown
    )
    return f'<ul class="cm-flags-legend" aria-label="Flags">{items}</ul>'


def _body(
    dataset: Dataset, title: str, window_label: str, note: str, colors: dict[str, str]
) -> str:
    count = len(dataset.events)
    window = f"{escape(window_label)} · " if window_label else ""
    extra = f" · {escape(note)}" if note else ""
    # Folium's map div sits between these parts; the grid in
    # chronomap_standalone.css places each part by its class.
    return f"""
<script>document.body.className = "cm-standalone";</script>
<header class="cm-head">
  <h1>{escape(title)}</h1>
  <span class="cm-window">{window}{count} event{"s" if count != 1 else ""}</span>
  {_legend(colors)}
  {_flags_legend(dataset)}
</header>
<aside class="cm-detail" id="cm-detail" aria-live="polite">
  <p class="cm-hint">Click an event on the timeline or a place on the map.</p>
</aside>
<section class="cm-strip" aria-label="Timeline">
  <div class="cm-strip-tools">
    <button type="button" id="cm-zoom-out" title="Zoom out">&minus;</button>
    <button type="button" id="cm-zoom-in" title="Zoom in">+</button>
    <button type="button" id="cm-zoom-fit" title="Show the whole window">Fit</button>
    <span>Ctrl + wheel zooms; click an event to see it on the map.</span>
  </div>
  <div class="cm-strip-scroll" id="cm-strip-scroll"></div>
</section>
<footer class="cm-foot">
  Basemap: {ATTRIBUTION} (public domain). Map drawn with Leaflet.{extra}
</footer>
"""

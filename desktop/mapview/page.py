"""Build the map page: a folium map over the offline basemap, driven by chronomap_map.js.

folium lays out the Leaflet map and the basemap layer; the dataset's markers,
routes and areas are drawn by chronomap_map.js from JSON, so the page's API
(select, setVisible, fitPlaces, ...) owns every layer it changes.

Nothing is fetched from the network: folium's CDN links are replaced by the
files of the installed XStatic packages, inlined (``inline=True``) or linked
as file:// URLs (``inline=False``).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from desktop.core.atomic import atomic_write_bytes
from desktop.core.model import Dataset

from . import assets
from .payload import map_payload
from .safety import script_json

# The quiet basemap: pale land on a pale blue sea, thin grey borders.
LAND_COLOR = "#F2EFE9"
SEA_COLOR = "#DDE8EF"
BORDER_COLOR = "#B4ADA0"
ATTRIBUTION = "Natural Earth"

# What build_map_page accepts as the name of a page function (it is written into a script).
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$.]*")

# Where the map looks before it knows better: the Caspian region.
DEFAULT_VIEW = (38.0, 50.0, 4)


def online_tiles(name: str) -> dict[str, Any]:
    """A tile server from xyzservices ("OpenStreetMap.Mapnik"), for the optional online basemap.

    The page draws these tiles over the offline basemap; if none loads (no
    network), it removes them and tells the host, so the offline map shows.
    """
    import xyzservices.providers as providers

    try:
        provider = providers.query_name(name)
    except ValueError:
        raise PageError(f"unknown tile provider {name!r}") from None
    return {
        "name": name,
        "url": provider.build_url(),
        "attribution": provider.html_attribution,
        "maxZoom": int(provider.get("max_zoom", 19)),
    }


class PageError(ValueError):
    """The page cannot be built as asked (unknown basemap, a network URL, bad script)."""


def build_map_page(
    dataset: Dataset,
    *,
    inline: bool = True,
    basemap: str = "110m",
    select: Sequence[str] = (),
    visible: Sequence[str] | None = None,
    view: tuple[float, float, float] | None = None,
    title: str = "",
    tiles: str | None = None,
    head_scripts: Sequence[str] = (),
    head_code: Sequence[str] = (),
    extra_css: Sequence[str] = (),
    extra_js: Sequence[str] = (),
    body_html: str = "",
    slim: bool = False,
    place_counts: dict[str, int] | None = None,
    select_places: Sequence[str] | None = None,
    visible_counts: dict[str, int] | None = None,
    visible_total: int | None = None,
    payload: dict[str, Any] | None = None,
    unpack: str = "",
    fit: tuple[float, float, float, float] | None = None,
    legend: str = "full",
    editable: bool = False,
) -> str:
    """The complete HTML of the map page for ``dataset``.

    select: event ids selected when the page opens (their places highlighted).
    visible: event ids whose places are shown (None: all events).
    view: (lat, lon, zoom) to open at; else ``fit``, a box (south, west, north,
        east: framing.fit_bounds) to fit; default: fit the shown places.
    editable: the desktop window's page: markers of points drag, and setMode takes
        clicks for new places and routes (chronomap_map.js tells the host).
    legend: what the map's own legend shows: "full" (categories and the
        measure's sizes), "size" (the sizes only: the page shows categories
        elsewhere) or "none".
    title: the page's <title>; default: the dataset's title.
    head_scripts: script URLs (qrc:, file:) loaded before the page's own script,
        e.g. "qrc:///qtwebchannel/qwebchannel.js" for the desktop window.
    head_code: JavaScript run before the page's own script.
    extra_css / extra_js / body_html: more styles, scripts (run after the map API
        exists) and body markup, for pages built around the map (the HTML export).
    slim: the page holds places and their counts, no events (see
        payload.map_payload), for the desktop window, which sends the
        selection's places and the visible counts itself; place_counts are
        the events per place if already counted.
    select_places, visible_counts, visible_total: a slim page's first
        selection's places and (when a filter hides events) the visible events
        per place and in all.
    payload: the data for chronomap_map.js instead of map_payload's, e.g. packed
        (payload.packed_payload) with ``unpack`` naming the page function
        (defined in extra_js) that turns it back into map_payload's form.
    """
    import folium  # costs ~1 s: imported only when a page is built

    for url in head_scripts:
        if url.lower().startswith(("http:", "https:", "//")):
            raise PageError(f"head script {url!r}: the map page loads nothing from the network")
    if unpack and not _IDENTIFIER.fullmatch(unpack):
        raise PageError(f"unpack {unpack!r}: give the name of a page function")
    geojson = assets.basemap_geojson(basemap)

    lat, lon, zoom = view or DEFAULT_VIEW
    fmap = folium.Map(
        location=[lat, lon],
        zoom_start=round(zoom),  # the exact view, if any, is set by the script
        tiles=None,
        world_copy_jump=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    figure: Any = fmap.get_root()  # a branca Figure
    title = title or dataset.title
    if title:
        figure.title = html.escape(title)  # branca writes the title unescaped

    # folium's own CDN links go; the installed packages' files come instead.
    fmap.default_js = []
    fmap.default_css = []
    head: list[str] = []
    cluster_js, cluster_css = assets.markercluster_files()
    if inline:
        head.append(_style(assets.read_text(assets.leaflet_css())))
        head.append(_style(assets.read_text(cluster_css)))
        head.append(_script(assets.read_text(assets.leaflet_js())))
        head.append(_script(assets.read_text(cluster_js)))
    else:
        head.append(f'<link rel="stylesheet" href="{assets.leaflet_css().as_uri()}"/>')
        head.append(f'<link rel="stylesheet" href="{cluster_css.as_uri()}"/>')
        head.append(f'<script src="{assets.leaflet_js().as_uri()}"></script>')
        head.append(f'<script src="{cluster_js.as_uri()}"></script>')
    head.extend(f'<script src="{html.escape(url)}"></script>' for url in head_scripts)
    head.extend(_script(code) for code in head_code)
    if inline:
        head.append(_style(assets.read_text(assets.page_file("chronomap_map.css"))))
        head.append(_script(assets.read_text(assets.page_file("chronomap_map.js"))))
    else:
        head.append(
            f'<link rel="stylesheet" href="{assets.page_file("chronomap_map.css").as_uri()}"/>'
        )
        head.append(f'<script src="{assets.page_file("chronomap_map.js").as_uri()}"></script>')
    head.extend(_style(css) for css in extra_css)
    head.extend(_script(code) for code in extra_js)
    figure.header.add_child(_Raw("\n".join(head)), name="chronomap_head")
    if body_html:
        figure.html.add_child(_Raw(body_html), name="chronomap_body")

    basemap_layer = folium.GeoJson(
        geojson,
        name="basemap",
        style_function=_basemap_style,
        control=False,
        interactive=False,
        smooth_factor=0.5,
        show=False,  # chronomap.init adds it once the first view is set
    )
    basemap_layer.add_to(fmap)

    payload = {
        **(
            map_payload(dataset, slim=slim, place_counts=place_counts)
            if payload is None
            else payload
        ),
        "attribution": ATTRIBUTION,
    }
    initial: dict[str, Any] = {
        "select": list(select),
        "selectPlaces": None if select_places is None else list(select_places),
        "visible": None if visible is None else list(visible),
        "counts": visible_counts,
        "total": visible_total,
        "view": list(view) if view else None,
        "fit": list(fit) if fit else None,
        "legend": legend,
        "editable": editable,
        "tiles": online_tiles(tiles) if tiles else None,
    }
    data = script_json(payload)
    if unpack:
        data = f"{unpack}({data})"
    _Init(basemap_layer.get_name(), data, script_json(initial)).add_to(fmap)

    page = figure.render()
    check_offline(page)
    return page


def write_map_page(dataset: Dataset, path: str | os.PathLike[str], **options: Any) -> Path:
    """Build the page and write it atomically (QWebEngine's setHtml fails above 2 MB)."""
    target = Path(path)
    atomic_write_bytes(target, build_map_page(dataset, **options).encode("utf-8"))
    return target


def _basemap_style(_feature: Any) -> dict[str, Any]:
    return {
        "fillColor": LAND_COLOR,
        "fillOpacity": 1.0,
        "color": BORDER_COLOR,
        "weight": 0.6,
        "opacity": 1.0,
    }


def _script(code: str) -> str:
    if "</script" in code.lower():
        raise PageError("an inlined script may not contain '</script'")
    return f"<script>\n{code}\n</script>"


def _style(css: str) -> str:
    if "</style" in css.lower():
        raise PageError("an inlined style sheet may not contain '</style'")
    return f"<style>\n{css}\n</style>"


def _element_classes() -> tuple[type, type]:
    """folium element classes, defined on first use so importing this module stays cheap."""
    global _RawClass, _InitClass
    if _RawClass is None:
        from branca.element import Element, MacroElement
        from folium.template import Template

        class Raw(Element):  # type: ignore[misc]
            """Markup written as is (folium would otherwise parse it as a template)."""

            _template = Template("{{ this.markup }}")

            def __init__(self, markup: str) -> None:
                super().__init__()
                self.markup = markup

        class Init(MacroElement):  # type: ignore[misc]
            """Hands the folium-made map and basemap layer to chronomap_map.js."""

            def __init__(self, basemap: str, payload: str, initial: str) -> None:
                super().__init__()
                self._name = "ChronomapInit"
                self.basemap = basemap
                self.payload = payload
                self.initial = initial

            def render(self, **kwargs: Any) -> Any:
                # MacroElement.render would compile this script as a Jinja
                # template: seconds for a large payload, and event text such as
                # "{{ 7*7 }}" would be evaluated. Written as is instead.
                figure: Any = self.get_root()
                parent: Any = self._parent
                name = parent.get_name()
                code = (
                    f'{name}.getContainer().classList.add("cm-map");\n'
                    f"chronomap.init({name}, {self.basemap},\n"
                    f"    {self.payload}, {self.initial});\n"
                )
                figure.script.add_child(Raw(code), name=self.get_name())

        _RawClass, _InitClass = Raw, Init
    assert _InitClass is not None
    return _RawClass, _InitClass


_RawClass: type | None = None
_InitClass: type | None = None


def _Raw(markup: str) -> Any:
    return _element_classes()[0](markup)


def _Init(basemap: str, payload: str, initial: str) -> Any:
    return _element_classes()[1](basemap, payload, initial)


class _Links(HTMLParser):
    """Collects src and href attributes of the page's tags (script bodies are not tags)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append((tag, name, value.strip()))


def network_urls(page: str) -> list[str]:
    """Every src/href in the page's markup that points at the network."""
    parser = _Links()
    parser.feed(page)
    return [
        f"<{tag} {name}={value!r}>"
        for tag, name, value in parser.urls
        if value.lower().startswith(("http:", "https:", "//"))
    ]


def check_offline(page: str) -> None:
    found = network_urls(page)
    if found:
        raise PageError("the map page would fetch from the network: " + ", ".join(found))

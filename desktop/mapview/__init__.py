"""The map page (Qt-free): a folium/Leaflet map over the bundled Natural Earth
basemap, plus the small JavaScript API the desktop window and the HTML export
drive. Built as a string, so it can be tested without Qt.

Python API
----------
build_map_page(dataset, *, inline=True, basemap="110m", select=(), visible=None,
               view=None, title="", head_scripts=(), head_code=(), extra_css=(),
               extra_js=(), body_html="", slim=False, place_counts=None,
               select_places=None, visible_counts=None, visible_total=None,
               payload=None, unpack="") -> str
               (slim: the window's page, places and counts only, see below)
write_map_page(dataset, path, **same options) -> Path        (atomic; load() the file:
               QWebEngineView.setHtml fails above 2 MB)
build_standalone_page(dataset, *, title="", window_label="", select=(), note="") -> str
category_colors(categories) -> dict[str, str]                 (Okabe–Ito, shared with the timeline)
LAND_COLOR, SEA_COLOR                                          (for pixel checks)

JavaScript API (window.chronomap)
---------------------------------
select(eventIds[, {fly, animate, places}])
                                     highlight the events' places (class "selected" on
                                     .cm-marker[data-place-id]); fly to them; [] clears.
                                     A slim ("perPlace") page holds no events: its host
                                     passes the places too
setVisible(eventIds | null)          only places with a visible event keep markers/lines/areas;
                                     counts show visible events; null shows all
setCounts({placeId: n} | null, total)
                                     the same for a slim page: visible events per place
fitPlaces(placeIds[, animate])       fit the map to places
setView(lat, lon, zoom, animate)
setPresenting(on)                    big markers and labels for a room (class cm-presenting)
setControls(on)                      show or hide the zoom buttons (a snapshot hides them)
whenDrawn(token)                     host.drawn(token) once the calls before it are on screen
state() -> {ready, selectedEvents, selectedPlaces, visiblePlaces, visibleEvents,
            visibleCount, perPlace, lastClickedPlace, hostAttached, basemap,
            center:[lat, lon], zoom, pending}
onPlaceClicked(placeId)              called by a marker/route/area click; forwards to the
                                     QWebChannel object "host" (slot placeClicked(str))
The host also hears cameraChanged(lat, lon, zoom) once ready and after every move.
attachHost()                         connect to qt.webChannelTransport's "host" now (the page
                                     tries at start; call again if qwebchannel.js came later)
on(name, fn)                         listen to "placeClicked", "select", "visible", "ready"
eventsAt(placeId), data()
Calls to select/setVisible/setCounts/fitPlaces/setView/whenDrawn made before the page is
ready are queued (the desktop's MapView queues every call, reads included, on its side too).
Ready: Leaflet loaded + two animation frames -> state().ready, host.pageReady(),
document.documentElement.dataset.ready == "1".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .palette import category_colors

if TYPE_CHECKING:
    from .page import build_map_page, write_map_page
    from .standalone import build_standalone_page

__all__ = [
    "LAND_COLOR",
    "SEA_COLOR",
    "build_map_page",
    "build_standalone_page",
    "category_colors",
    "write_map_page",
]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing the palette (the timeline does) stays cheap.
    if name in ("build_map_page", "write_map_page", "LAND_COLOR", "SEA_COLOR"):
        from . import page

        return getattr(page, name)
    if name == "build_standalone_page":
        from .standalone import build_standalone_page

        return build_standalone_page
    raise AttributeError(name)

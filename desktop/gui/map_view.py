"""The map: the offline folium page from desktop.mapview in a QWebEngineView.

One bridge object, ``host``, is shared with the page over QWebChannel: the
page calls ``host.placeClicked(id)`` when a marker is clicked,
``host.pageReady()`` once Leaflet has drawn, and ``host.cameraChanged(lat,
lon, zoom)`` after every move (the view state keeps the camera). Every call
from here to the page's ``window.chronomap`` API, reads (``evaluate``)
included, goes through one queue that waits until the page is ready, so
nothing asked while the page is still loading is lost or runs out of order.
This module is the only one that runs JavaScript in the page.

If Chromium's render process for the page dies (killed, crashed, out of
memory), the page is loaded again and shown as the state says: selection,
window and filters (built into the page), the camera it last reported, and
the presenter's styling; ``sigPageLost`` and ``sigRecovered`` say so.

The page is written to a cache file and loaded from there: ``setHtml``
silently fails above 2 MB. The file is named for a hash of everything that
goes into it, so reopening a dataset reuses its page without importing
folium or building the page again (start-up time is a feature).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFile, QIODevice, QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView

import desktop
from desktop.core.model import Dataset
from desktop.core.view_state import DATASET, FRAME, SELECTION, SHOWN, Camera, Frame, ViewState

from .application import prepare_environment

WEBCHANNEL_JS = ":/qtwebchannel/qwebchannel.js"
# Cached pages kept (the newest); each is one dataset's map as first shown.
CACHED_PAGES = 12


def default_cache_dir() -> Path:
    """Where map pages are cached: $CHRONOMAP_CACHE_DIR, else the platform's cache folder."""
    override = os.environ.get("CHRONOMAP_CACHE_DIR")
    if override:
        return Path(override)
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    if not base:
        import tempfile

        base = tempfile.gettempdir()
    return Path(base) / "map-pages"


def page_key(dataset: Dataset, options: dict[str, Any]) -> str:
    """A hash of what the page shows, its options, and the code and assets that draw it.

    The window's page is slim: it holds places, their event counts (in the
    options) and the categories' colours, no events; so those, the title and
    the options are what is hashed.
    """
    from desktop.mapview.assets import page_file

    if not options.get("slim"):
        raise ValueError("only slim pages are cached")
    digest = hashlib.sha256()
    digest.update(repr((dataset.title, dataset.places, dataset.categories())).encode("utf-8"))
    digest.update(json.dumps(options, sort_keys=True, default=str).encode("utf-8"))
    code_files = [page_file("chronomap_map.js"), page_file("chronomap_map.css")]
    if getattr(sys, "frozen", False):
        # A frozen app has no .py files to stat; its version names its code.
        digest.update(f"chronomap {desktop.__version__}".encode())
    else:
        from desktop.mapview import page as page_module
        from desktop.mapview import payload as payload_module

        code_files += [Path(str(page_module.__file__)), Path(str(payload_module.__file__))]
    for path in code_files:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:24]


def _prune(folder: Path, keep: int) -> None:
    pages = sorted(folder.glob("map-*.html"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in pages[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


class MapBridge(QObject):
    """What the map tells the window, as Qt signals."""

    placeClicked = Signal(str)  # noqa: N815 (named as the page names them)
    placesClicked = Signal(list)  # noqa: N815 (places at one spot: one marker)
    pageReady = Signal()  # noqa: N815
    basemapFailed = Signal(str)  # noqa: N815
    cameraChanged = Signal(float, float, float)  # noqa: N815 (lat, lon, zoom)
    drawn = Signal(str)  # token
    # Editing places (an editable page only):
    mapClicked = Signal(float, float)  # noqa: N815 (lat, lon): a click in "add" mode
    placesMoved = Signal(list, float, float)  # noqa: N815 (place ids, lat, lon): a dropped marker
    routeDrawn = Signal(list)  # noqa: N815 ([(lat, lon), ...]): a route finished
    modeLeft = Signal(str)  # noqa: N815 (the mode): Esc pressed in the page


class _HostObject(QObject):
    """The page's ``host``: exactly the slots the page calls, and nothing else.

    QWebChannel also publishes signals and properties, so the bridge's
    signals live on another object to keep the page's view of ``host`` small.
    """

    def __init__(self, bridge: MapBridge) -> None:
        super().__init__(bridge)
        self._bridge = bridge

    @Slot(str)
    def placeClicked(self, place_id: str) -> None:  # noqa: N802
        self._bridge.placeClicked.emit(str(place_id))

    @Slot(str)
    def placesClicked(self, place_ids: str) -> None:  # noqa: N802
        # The page sends the ids as a JSON list: one string crosses the channel intact.
        try:
            ids = json.loads(place_ids)
        except ValueError:
            return
        if isinstance(ids, list):
            self._bridge.placesClicked.emit([str(i) for i in ids])

    @Slot()
    def pageReady(self) -> None:  # noqa: N802
        self._bridge.pageReady.emit()

    @Slot(str)
    def basemapFailed(self, name: str) -> None:  # noqa: N802
        self._bridge.basemapFailed.emit(str(name))

    @Slot(float, float, float)
    def cameraChanged(self, lat: float, lon: float, zoom: float) -> None:  # noqa: N802
        self._bridge.cameraChanged.emit(float(lat), float(lon), float(zoom))

    @Slot(str)
    def drawn(self, token: str) -> None:
        self._bridge.drawn.emit(str(token))

    @Slot(float, float)
    def mapClicked(self, lat: float, lon: float) -> None:  # noqa: N802
        self._bridge.mapClicked.emit(float(lat), float(lon))

    @Slot(str)
    def placesMoved(self, message: str) -> None:  # noqa: N802
        try:
            moved = json.loads(message)
            ids = [str(i) for i in moved["places"]]
            lat, lon = float(moved["lat"]), float(moved["lon"])
        except (ValueError, KeyError, TypeError):
            return
        self._bridge.placesMoved.emit(ids, lat, lon)

    @Slot(str)
    def routeDrawn(self, message: str) -> None:  # noqa: N802
        try:
            points = [(float(lat), float(lon)) for lat, lon in json.loads(message)]
        except (ValueError, TypeError):
            return
        self._bridge.routeDrawn.emit(points)

    @Slot(str)
    def modeLeft(self, mode: str) -> None:  # noqa: N802
        self._bridge.modeLeft.emit(str(mode))


class _Page(QWebEnginePage):
    """Keeps the page's console messages where a developer can find them."""

    messages: list[str]

    def javaScriptConsoleMessage(self, level, message, line, source):  # noqa: N802
        self.messages.append(f"{source}:{line}: {message}")


def _webchannel_source() -> str:
    file = QFile(WEBCHANNEL_JS)
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError(f"{WEBCHANNEL_JS} is missing from this Qt build")
    try:
        return bytes(file.readAll().data()).decode("utf-8")
    finally:
        file.close()


# Reloads of a page that dies again before it is ready: after these, it would only die again.
MAX_RELOADS = 3

_ENDINGS = {
    QWebEnginePage.RenderProcessTerminationStatus.KilledTerminationStatus: "was killed",
    QWebEnginePage.RenderProcessTerminationStatus.CrashedTerminationStatus: "crashed",
}


def termination_text(status: QWebEnginePage.RenderProcessTerminationStatus, code: int) -> str:
    """How the page's process ended, in a few words ("its process was killed")."""
    ending = _ENDINGS.get(status, f"stopped (exit code {code})")
    return f"its process {ending}"


# What waits for the page: a script, and the function its value goes to (or None).
_Call = tuple[str, Callable[[Any], None] | None]


def _spot(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    # As the page merges places into one marker: to five decimals (about a metre).
    return None if lat is None or lon is None else (round(lat, 5), round(lon, 5))


def moved_points(old: Dataset | None, new: Dataset) -> dict[str, tuple[float, float]] | None:
    """The points moved from ``old`` to ``new`` ({id: (lat, lon)}), when that is all
    that changed on the map; None when the page must be built again (places added,
    removed or otherwise changed; events changed; a point that shared its marker with
    another place, or lands on one: the page's markers would no longer be as built)."""
    if old is None or old is new or new.events is not old.events or old.title != new.title:
        return None
    if old.places.keys() != new.places.keys():
        return None
    moves: dict[str, tuple[float, float]] = {}
    for pid, place in new.places.items():
        before = old.places[pid]
        if place == before:
            continue
        if replace(before, lat=place.lat, lon=place.lon) != place or place.lat is None:
            return None
        if before.kind.value != "point" or place.lon is None:
            return None
        moves[pid] = (place.lat, place.lon)
    if not moves:
        return None
    spots: dict[tuple[float, float], int] = {}
    for dataset in (old, new):
        for place in dataset.places.values():
            spot = _spot(place.lat, place.lon)
            if spot is not None and place.kind.value == "point":
                spots[spot] = spots.get(spot, 0) + 1
    for pid, (lat, lon) in moves.items():
        before = old.places[pid]
        # Each spot is counted in both datasets: alone, a place's old spot counts 1
        # (it left) and its new one 1 (it came).
        for spot in (_spot(before.lat, before.lon), _spot(lat, lon)):
            if spot is not None and spots.get(spot, 0) > 1:
                return None
    return moves


class MapView(QWebEngineView):
    """The map page, following the view state and feeding marker clicks and its camera
    back to it.

    On each change of the state it sends the visible counts, the selection and,
    when a frame comes with the change, one flight (a selection flies to its
    places by itself only when no frame comes with it).
    """

    sigReady = Signal()
    sigPageLost = Signal(str, bool)  # how it ended; True if it is being reloaded
    sigRecovered = Signal(str)  # how it had ended; the reloaded page is ready

    def __init__(
        self,
        state: ViewState,
        cache_dir: Path | None = None,
        parent=None,
        legend: str = "size",
        editable: bool = False,
    ):
        """``editable``: the window's map, whose places are edited on it (markers drag,
        set_mode takes clicks); a snapshot's is not."""
        # The first page made reads QtWebEngine's settings: a QApplication made
        # elsewhere (by a test runner) has not set them.
        prepare_environment()
        super().__init__(parent)
        self.setObjectName("mapView")
        self._state = state
        self._cache = cache_dir or default_cache_dir()
        self._ready = False
        self._pending: list[_Call] = []
        self._drawn: dict[str, Callable[[], None]] = {}
        self._tokens = itertools.count(1)
        self._page_path: Path | None = None
        # What the map's own legend shows: what sizes mean ("size"); the window's
        # filter bar and a snapshot's side panel give the categories' colours.
        self._legend = legend
        self._editable = editable
        # The dataset the page on screen shows: an edit that only moves points is
        # sent to it (movePlaces) instead of building the page again.
        self._shown: Dataset | None = None
        self.patched = 0  # edits sent to the page as moves (for tests and benches)
        # The editing mode sent last (setMode's arguments): a page built again gets it too.
        self._mode: tuple[str, list[list[float]], str] = ("browse", [], "")
        self.build_ms = 0.0
        # An xyzservices tile provider drawn over the offline basemap, or None:
        # offline by default, so nothing is requested unless the user asks.
        self.online_tiles: str | None = None
        self.page_cached = False
        # The page started by preload() (dataset, options, file), which the
        # window's first show_dataset keeps.
        self._preloaded: tuple[Dataset, dict[str, Any], Path] | None = None
        # What the page is styled with, sent again to a reloaded page.
        self._presenting = False
        self._controls = True
        # Why the page is being reloaded, and how many times in a row, if it died.
        self._lost: str | None = None
        self._reloads = 0
        self._closing = False
        # False while another owner sends the counts (a source queried, not loaded).
        self.counts_from_state = True
        # The places the page was built with (a page is rebuilt only for others).
        self._page_places: object = None

        page = _Page(self)
        page.messages = []
        self.setPage(page)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(
            QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False
        )
        self.bridge = MapBridge(self)
        self._channel = QWebChannel(page)
        self._channel.registerObject("host", _HostObject(self.bridge))
        page.setWebChannel(self._channel)
        self.bridge.pageReady.connect(self._page_ready)
        self.bridge.placeClicked.connect(lambda place_id: self._state.select_place(place_id))
        self.bridge.placesClicked.connect(lambda ids: self._state.select_places(ids))
        self.bridge.cameraChanged.connect(self._camera_changed)
        self.bridge.drawn.connect(self._page_drawn)
        # The page leaves a mode by itself (Esc, a route finished).
        self.bridge.modeLeft.connect(self._left_mode)
        self.bridge.routeDrawn.connect(self._left_mode)
        self.loadFinished.connect(self._load_finished)
        page.renderProcessTerminated.connect(self._page_died)
        self._unsubscribe = state.subscribe(self._on_state)

    # -- public -------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self._ready

    @property
    def console(self) -> list[str]:
        return list(self.page().messages)  # type: ignore[attr-defined]

    @property
    def page_path(self) -> Path | None:
        return self._page_path

    def follow(self, state: ViewState) -> None:
        """Follow another view state from now on (the window's, after a preload)."""
        self._unsubscribe()
        self._state = state
        self._unsubscribe = state.subscribe(self._on_state)

    def preload(self) -> None:
        """Start loading the state's page now, before the rest of the window is built.

        Chromium loads it in its own process while Python builds the other
        views; the next show_dataset for the same page keeps this load (also
        after follow(), when the window's state is given the same dataset).
        """
        options = self._options()
        self.show_dataset()
        if self._page_path is not None:
            self._preloaded = (self._state.dataset, options, self._page_path)

    def show_dataset(self) -> None:
        """(Re)build the page for the state's dataset, opened at the current selection."""
        started = time.perf_counter()
        preloaded, self._preloaded = self._preloaded, None
        options = self._options()
        # The page is a local file: it may reach the web only for the online
        # basemap the user switched on, never otherwise.
        self.page().settings().setAttribute(
            QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls,
            bool(self.online_tiles),
        )
        if preloaded and preloaded[0] is self._state.dataset and preloaded[1] == options:
            self._shown = self._state.dataset
            return  # already loading (or loaded) exactly this page
        self._cache.mkdir(parents=True, exist_ok=True)
        path = self._cache / f"map-{page_key(self._state.dataset, options)}.html"
        self._ready = False
        self._pending = []
        self.page_cached = path.exists()
        if self.page_cached:
            os.utime(path)  # the newest is kept longest
        else:
            from desktop.mapview.page import write_map_page

            write_map_page(self._state.dataset, path, **options)
            _prune(self._cache, CACHED_PAGES)
        self.build_ms = (time.perf_counter() - started) * 1000
        self._page_path = path
        self._shown = self._state.dataset
        frame = self._state.frame
        if frame is not None:
            # The page opens on what it was built with; the frame, once ready, moves it.
            self._send_frame(replace(frame, animate=False))
        if self._mode[0] != "browse":
            self.call("setMode", *self._mode)  # still waiting for clicks on the new page
        self.load(QUrl.fromLocalFile(str(path)))

    def _options(self) -> dict[str, Any]:
        """What the page for the state's dataset is built with."""
        state = self._state
        filtered = state.visible_rows() is not None
        options: dict[str, Any] = {
            "inline": False,
            "slim": True,
            "place_counts": state.place_counts(visible_only=False),
            "select": list(state.selection),
            "select_places": state.selected_place_ids(),
            "visible_counts": state.place_counts() if filtered else None,
            "visible_total": state.visible_count() if filtered else None,
            "title": state.dataset.title,
            "head_code": [_webchannel_source()],
            "legend": self._legend,
            "editable": self._editable,
        }
        if self.online_tiles:
            options["tiles"] = self.online_tiles
        return options

    def call(self, function: str, *args: Any) -> None:
        """Call ``chronomap.<function>(*args)`` now, or as soon as the page is ready."""
        self._queue(f"chronomap.{function}({', '.join(json.dumps(a) for a in args)});")

    def evaluate(self, expression: str, callback: Callable[[Any], None]) -> None:
        """Run JavaScript in the page, in turn with the calls, and hand its (JSON-able)
        value to ``callback``."""
        self._queue(expression, callback)

    def _queue(self, code: str, callback: Callable[[Any], None] | None = None) -> None:
        if self._ready:
            self._run(code, callback)
        else:
            self._pending.append((code, callback))

    def _run(self, code: str, callback: Callable[[Any], None] | None = None) -> None:
        # The one place a script reaches the page (QWebEnginePage runs them in order).
        if callback is None:
            self.page().runJavaScript(code)
        else:
            self.page().runJavaScript(code, 0, callback)

    def set_presenting(self, on: bool) -> None:
        """Markers and labels big enough for the back of a room, or back to normal."""
        self._presenting = on
        self.call("setPresenting", on)

    def set_controls(self, on: bool) -> None:
        """Show or hide the zoom buttons (a snapshot hides them)."""
        self._controls = on
        self.call("setControls", on)

    def when_drawn(self, callback: Callable[[], None]) -> None:
        """``callback()`` once what was sent to the page so far is on screen (two frames)."""
        token = str(next(self._tokens))
        self._drawn[token] = callback
        self.call("whenDrawn", token)

    def set_mode(
        self, mode: str, points: list[tuple[float, float]] | None = None, hint: str = ""
    ) -> None:
        """Take clicks on the map as "add" (the next one is a new place's spot), "route"
        (each a point of one, from ``points`` when a route is edited) or "browse"."""
        self._mode = (mode, [list(p) for p in points or ()], hint)
        self.call("setMode", *self._mode)

    def _left_mode(self, *_args: object) -> None:
        self._mode = ("browse", [], "")

    def finish_route(self) -> None:
        """End the route being drawn (as Enter in the page does): bridge.routeDrawn."""
        self.call("finishRoute")

    def _page_drawn(self, token: str) -> None:
        callback = self._drawn.pop(token, None)
        if callback is not None:
            callback()

    def check_link(self, callback: Callable[[bool], None]) -> None:
        """Send the state's selection and visibility and read them back from the page.

        ``callback(True)`` when the page shows exactly what the state holds: the
        proof that Python and the page are linked both ways.
        """
        selection = list(self._state.selection)
        self._push_visible()
        self.call("select", selection, {"fly": False, "places": self._state.selected_place_ids()})

        def done(value: Any) -> None:
            state = json.loads(value) if isinstance(value, str) else None
            callback(bool(state and state.get("ready") and state["selectedEvents"] == selection))

        # Queued behind the calls above, so the reply reflects them.
        self.evaluate("JSON.stringify(chronomap.state())", done)

    # -- page events --------------------------------------------------------

    def _load_finished(self, ok: bool) -> None:
        if not ok:
            return
        # The page connects to ``host`` on its own; this covers a transport
        # that appeared only after the page's script ran. Not queued: the host
        # is how the page says it is ready.
        self._run("window.chronomap && chronomap.attachHost && chronomap.attachHost();")

    def _page_ready(self) -> None:
        if self._ready:
            return
        self._ready = True
        pending, self._pending = self._pending, []
        # Calls run as one script; a read runs in its turn, with its callback.
        script: list[str] = []
        for code, callback in pending:
            if callback is None:
                script.append(code)
                continue
            if script:
                self._run("\n".join(script))
                script = []
            self._run(code, callback)
        if script:
            self._run("\n".join(script))
        self.sigReady.emit()
        if self._lost is not None:
            lost, self._lost = self._lost, None
            self._reloads = 0
            self.sigRecovered.emit(lost)

    def _page_died(self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int) -> None:
        """Load the page again, showing what the state shows, instead of a blank rectangle."""
        if self._closing:
            return
        how = termination_text(status, code)
        self._ready = False
        self._pending = []  # meant for the page that died: the new one is built from the state
        if self._reloads >= MAX_RELOADS:
            self._lost = None
            self.sigPageLost.emit(how, False)
            return
        self._reloads += 1
        self._lost = how
        self.sigPageLost.emit(how, True)
        self._preloaded = None
        self.show_dataset()  # selection, window and filters are built into the page
        camera = self._state.camera
        if camera is not None:  # where the map last was, not where it was last sent
            self.call("setView", camera.lat, camera.lon, camera.zoom, False)
        if self._presenting:
            self.call("setPresenting", True)
        if not self._controls:
            self.call("setControls", False)
        for token in list(self._drawn):  # still awaited: the new page draws them
            self.call("whenDrawn", token)

    # -- state --------------------------------------------------------------

    def _on_state(self, changed: frozenset[str]) -> None:
        state = self._state
        if DATASET in changed:
            if not self.counts_from_state and self._page_places is state.dataset.places:
                # The events fetched for a source queried, not loaded: same places, same
                # page; their owner sends the counts.
                changed = changed - {DATASET, FRAME}
            else:
                moves = moved_points(self._shown, state.dataset) if self._ready else None
                self._page_places = state.dataset.places
                if moves is None or not self.counts_from_state:
                    self.show_dataset()  # a new page, opened on the state's frame
                    return
                # Only points moved: the page moves their markers and stays where it is.
                self._shown = state.dataset
                self.patched += 1
                self.call("movePlaces", moves)
                if SELECTION in changed:
                    options = {"places": state.selected_place_ids(), "fly": False}
                    self.call("select", list(state.selection), options)
                return
        if changed & SHOWN:
            self._push_visible()
        framed = FRAME in changed and state.frame is not None
        if SELECTION in changed:
            # A frame says where to look: the selection does not fly somewhere else first.
            options = {"places": state.selected_place_ids(), "fly": not framed}
            self.call("select", list(state.selection), options)
        if framed:
            assert state.frame is not None
            self._send_frame(state.frame)

    def _send_frame(self, frame: Frame) -> None:
        """One call: to the frame's camera, else to fit its box or its places; none without."""
        camera = frame.camera
        if camera is not None:
            self.call("setView", camera.lat, camera.lon, camera.zoom, frame.animate)
        elif frame.bounds is not None:
            self.call("fitBounds", list(frame.bounds), frame.animate)
        elif frame.places:
            self.call("fitPlaces", list(frame.places), frame.animate)

    def _camera_changed(self, lat: float, lon: float, zoom: float) -> None:
        # Rounded as a saved story step keeps it (about 10 m, a hundredth of a zoom level).
        self._state.report_camera(Camera(round(lat, 4), round(lon, 4), round(zoom, 2)))

    def _push_visible(self) -> None:
        # Counts per place, not event ids: the page holds no events (see page_key).
        state = self._state
        if not self.counts_from_state:
            return
        if state.visible_rows() is None:
            self.call("setCounts", None, None)
        else:
            self.call("setCounts", state.place_counts(), state.visible_count())

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self._closing = True
        self._unsubscribe()
        super().closeEvent(event)

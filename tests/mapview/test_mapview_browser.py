"""The map page in a real browser engine (QtWebEngine offscreen): markers, routes, the JS API."""

from __future__ import annotations

import json

import pytest

from desktop.core.dates import PartialDate
from desktop.core.model import Dataset, Event, Place
from desktop.mapview.page import write_map_page
from tests.helpers import overlapping_labels

from .conftest import placed_places

pytestmark = pytest.mark.gui

MARKERS = ".leaflet-marker-pane .cm-marker[data-place-id]"


def marker_ids(browser) -> list[str]:
    return browser.js(f"[...document.querySelectorAll('{MARKERS}')].map(e => e.dataset.placeId)")


def shown(browser, place_ids) -> dict[str, str]:
    return {pid: browser.js(f"chronomap.placeShown({json.dumps(pid)})") for pid in place_ids}


def test_map_page_draws_places_and_answers_the_api(builtin, browser, tmp_path):
    page = write_map_page(
        builtin,
        tmp_path / "map.html",
        inline=False,
        # A call made before the page is ready waits in the queue.
        extra_js=["chronomap.select(['gas-via-azerbaijan'], {animate: false});"],
    )
    browser.open(page)
    assert browser.network == []
    state = browser.js("chronomap.state()")
    assert state["ready"] is True
    assert state["pending"] == 0
    assert state["selectedEvents"] == ["gas-via-azerbaijan"]
    assert set(state["selectedPlaces"]) == set(builtin.event("gas-via-azerbaijan").places)
    # Every place with an event is drawn: its own marker, or counted in a cluster.
    assert set(state["visiblePlaces"]) == placed_places(builtin)
    assert set(shown(browser, placed_places(builtin)).values()) <= {"marker", "cluster"}
    # The selection never hides in a cluster.
    assert set(shown(browser, state["selectedPlaces"]).values()) == {"marker"}

    assert browser.js("document.querySelectorAll('path.cm-route').length") == 3
    assert browser.js("document.querySelectorAll('path.cm-route.cm-planned').length") == 1
    assert browser.js("document.querySelectorAll('path.cm-area').length") >= 1

    # Close enough, every place is its own marker with its own count.
    browser.js("chronomap.select([])")
    browser.js("chronomap.setView(41, 47, 6, false)")
    browser.settle()
    near = {"baku", "varzaqan", "azerbaijan"}
    assert set(shown(browser, near).values()) == {"marker"}
    # A briefing's few places cluster only where markers would touch: Tehran and
    # Fordow, a hundred kilometres apart, are two markers here ...
    assert shown(browser, ["tehran", "fordow"]) == {"tehran": "marker", "fordow": "marker"}
    # Towns on the corridor with no event of their own are drawn, faintly.
    assert shown(browser, ["astara", "rasht"]) == {"astara": "faint", "rasht": "faint"}
    counts = browser.js(
        f"Object.fromEntries([...document.querySelectorAll('{MARKERS}')]"
        ".map(e => [e.dataset.placeId, +e.querySelector('.cm-count').textContent]))"
    )
    expected = {pid: sum(pid in e.places for e in builtin.events) for pid in placed_places(builtin)}
    assert counts and all(counts[pid] == expected[pid] for pid in counts)
    assert near <= set(counts)
    # ... and one cluster two zoom levels out.
    browser.js("chronomap.setView(35, 51, 4, false)")
    browser.settle()
    assert shown(browser, ["tehran", "fordow"]) == {"tehran": "cluster", "fordow": "cluster"}

    # select: classes follow, and the map moves to the selection when it is out of view.
    before = browser.js("chronomap.state().center")
    browser.js("chronomap.select(['kazan-summit'], {animate: false})")
    browser.settle()
    state = browser.js("chronomap.state()")
    assert state["selectedPlaces"] == ["kazan"]
    assert browser.js(
        "[...document.querySelectorAll('.cm-marker.selected')].map(e => e.dataset.placeId)"
    ) == ["kazan"]
    assert state["center"] != before
    assert abs(state["center"][0] - 55.8) < 1 and abs(state["center"][1] - 49.1) < 1
    # Already in view: the map stays where the analyst put it.
    browser.js("chronomap.select(['kazan-summit'], {animate: false})")
    assert browser.js("chronomap.state().center") == state["center"]
    browser.js("chronomap.select([])")
    assert browser.js("document.querySelectorAll('.cm-marker.selected').length") == 0

    # setVisible: places of hidden events are drawn faintly; counts follow.
    browser.js("chronomap.fitPlaces(['moscow', 'tehran', 'kazan'], false)")
    browser.js("chronomap.setVisible(['treaty-signed', 'kazan-summit'])")
    browser.settle()
    visible = {"moscow", "kazan"} | set(builtin.event("treaty-signed").places)
    assert set(browser.js("chronomap.state().visiblePlaces")) == visible
    assert shown(browser, ["baku", "bushehr"]) == {"baku": "faint", "bushehr": "faint"}
    assert browser.js("document.querySelectorAll('path.cm-route').length") == 0
    assert (
        browser.js(
            "document.querySelector('.cm-marker[data-place-id=kazan] .cm-count').textContent"
        )
        == "1"
    )
    browser.js("chronomap.setVisible(null)")
    assert set(browser.js("chronomap.state().visiblePlaces")) == placed_places(builtin)

    # setView and a dispatched marker click (no host attached: state records it).
    browser.js("chronomap.setView(35.7, 51.4, 7, false)")
    browser.settle()
    assert browser.js("chronomap.state().zoom") == 7
    browser.click(".cm-marker[data-place-id=tehran]")
    assert browser.js("chronomap.state().lastClickedPlace") == "tehran"
    assert overlapping_labels(browser.js("chronomap.labels()")) == []
    assert browser.alerts == []


def spots(n: int, seed: int = 1, same: int = 0, measure: bool = False) -> Dataset:
    """``n`` places scattered over Europe, each with an event; ``same`` more at the first's
    coordinates; with ``measure``, a magnitude per event."""
    import random

    rng = random.Random(seed)
    places = {}
    events = []
    for i in range(n + same):
        lat, lon = (48.0, 11.0) if i >= n or i == 0 else (rng.uniform(38, 58), rng.uniform(-8, 30))
        pid = f"p{i}"
        places[pid] = Place(pid, f"Place number {i}", lat=lat, lon=lon)
        extra = (("mag", f"{4 + (i % 40) / 10:.1f}"),) if measure else ()
        events.append(
            Event(f"e{i}", f"Event {i}", PartialDate(2020, 1 + i % 12), places=(pid,), extra=extra)
        )
    places["empty"] = Place("empty", "No events here", lat=45.0, lon=5.0)
    dataset = Dataset(title="Spots", events=events, places=places)
    if measure:
        dataset.measures = ("mag",)
    return dataset


# Counts how many times each outline is projected to the screen (before the page's own
# script runs, Leaflet already loaded).
COUNT_PROJECTIONS = """
(function () {
  var project = L.Polyline.prototype._project;
  L.Polyline.prototype._project = function () {
    this._projections = (this._projections || 0) + 1;
    return project.apply(this, arguments);
  };
})();
"""


def test_the_basemap_is_drawn_once_under_the_areas_routes_and_faint_marks(
    builtin, browser, tmp_path
):
    page = write_map_page(
        builtin, tmp_path / "map.html", inline=False, head_code=[COUNT_PROJECTIONS]
    )
    browser.open(page)
    basemap = (
        "Object.keys(window).map(k => window[k])"
        ".find(v => v instanceof L.GeoJSON && v.getLayers().length > 100)"
    )
    # Each country is projected once as the page opens, at the dataset's view: not
    # at a default view first and again when the page frames the dataset.
    times = browser.js(f"{basemap}.getLayers().map(l => l._projections)")
    assert len(times) > 100 and set(times) == {1}
    order = browser.js(
        f"(() => {{ const outlines = new Set({basemap}.getLayers().map(l => l._path));"
        " const paths = [...document.querySelectorAll('.leaflet-overlay-pane svg path')];"
        " return paths.map(p => outlines.has(p) ? 'country'"
        " : p.classList.contains('cm-area') ? 'area'"
        " : p.classList.contains('cm-route') ? 'route' : 'other'); })()"
    )
    # The countries come first in their drawing surface: the area and the routes over them.
    last_country = len(order) - 1 - order[::-1].index("country")
    first_place = min(order.index("area"), order.index("route"))
    assert order.count("country") == len(times) and last_country < first_place
    # The faint marks' canvas is drawn over that surface.
    layers = browser.js(
        "[...document.querySelector('.leaflet-overlay-pane').children]"
        ".map(e => e.tagName.toLowerCase() + (e.classList.contains('cm-faint') ? '.faint' : ''))"
    )
    assert layers.index("svg") < layers.index("canvas.faint")


def test_many_places_cluster_split_as_the_map_zooms_and_labels_never_overlap(browser, tmp_path):
    dataset = spots(600, same=3)
    browser.open(write_map_page(dataset, tmp_path / "map.html", inline=False, legend="full"))
    state = browser.js("chronomap.state()")
    # Three places at the first one's coordinates are one marker with their events.
    assert state["sites"] == 600 + 1  # and the place with no event
    clusters = browser.js("document.querySelectorAll('.cm-cluster').length")
    markers = len(marker_ids(browser))
    assert clusters > 0 and markers + clusters < 200
    # Every event is counted once, on a marker or in a cluster (the whole map is in view).
    counted = browser.js(
        "[...document.querySelectorAll('.leaflet-marker-pane .cm-count')]"
        ".reduce((n, e) => n + (+e.closest('[data-events]')?.dataset.events"
        " || +e.textContent), 0)"
    )
    assert counted + state["elsewhere"]["events"] == len(dataset.events)
    labels = browser.js("chronomap.labels()")
    assert labels and overlapping_labels(labels) == []
    # The place with no event is drawn faintly, not as a marker.
    assert browser.js("chronomap.placeShown('empty')") == "faint"

    # Zooming in splits the clusters: more places have markers of their own.
    browser.js("chronomap.setView(48, 11, 10, false)")
    browser.settle()
    assert browser.js("chronomap.placeShown('p0')") == "marker"
    merged = browser.js("document.querySelector('.cm-marker[data-places]')")
    assert merged is not None
    assert (
        browser.js("document.querySelector('.cm-marker[data-place-id=p0] .cm-count').textContent")
        == "4"
    )
    assert (
        browser.js("document.querySelector('.cm-marker[data-place-id=p0] .cm-label').textContent")
        == "Place number 0 +3"
    )
    # Events at the merged spot are those of all its places.
    assert sorted(browser.js("chronomap.eventsAt('p0')")) == ["e0", "e600", "e601", "e602"]
    assert overlapping_labels(browser.js("chronomap.labels()")) == []
    # Something is out of view now: the edges say how much.
    state = browser.js("chronomap.state()")
    assert state["elsewhere"]["events"] > 0
    assert sum(state["elsewhere"]["sides"].values()) == state["elsewhere"]["events"]
    badge = browser.js("document.querySelector('.cm-elsewhere').textContent")
    assert badge == f"+{state['elsewhere']['events']:,} elsewhere"
    # Its click shows everything again.
    browser.click(".cm-elsewhere")
    browser.qtbot.waitUntil(
        lambda: browser.js("chronomap.state().elsewhere.events") == 0, timeout=5000
    )

    # A selection in a cluster comes out of it, labelled.
    browser.js("chronomap.select(['e17'], {fly: false})")
    browser.settle()
    assert browser.js("chronomap.placeShown('p17')") == "marker"
    texts = [label["text"] for label in browser.js("chronomap.labels()")]
    assert "Place number 17" in texts
    assert overlapping_labels(browser.js("chronomap.labels()")) == []


def test_a_measure_sizes_the_markers_and_the_legend_says_so(browser, tmp_path):
    dataset = spots(40, measure=True)
    browser.open(write_map_page(dataset, tmp_path / "map.html", inline=False, legend="full"))
    browser.js("chronomap.setView(48, 11, 9, false)")
    browser.settle()
    assert browser.js("chronomap.state().measure") == "mag"
    assert browser.js("document.querySelector('.cm-map-legend-title').textContent") == "Size: mag"
    # Smallest, middle and largest magnitudes in the legend, growing.
    legend = browser.js(
        "[...document.querySelectorAll('.cm-map-legend-size')]"
        ".map(e => [e.textContent, e.querySelector('.cm-map-legend-circle').offsetWidth])"
    )
    assert [text for text, _ in legend] == ["4", "6", "7.9"]
    assert legend[0][1] < legend[1][1] < legend[2][1]
    browser.js("chronomap.setView(50, 10, 4, false)")
    browser.settle()
    sizes = browser.js(
        "Object.fromEntries([...document.querySelectorAll('.cm-marker[data-place-id]')]"
        ".map(e => [e.dataset.placeId, e.querySelector('.cm-count').offsetWidth]))"
    )
    mags = {pid: float(dict(dataset.events[int(pid[1:])].extra)["mag"]) for pid in sizes}
    ordered = sorted(sizes, key=mags.get)
    assert [sizes[p] for p in ordered] == sorted(sizes[p] for p in ordered)
    assert sizes[ordered[0]] < sizes[ordered[-1]]


def test_host_gets_clicks_and_ready_over_webchannel(builtin, browser, tmp_path, qtbot):
    from PySide6.QtCore import QObject, Slot
    from PySide6.QtWebChannel import QWebChannel

    class Host(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.clicked: list[str] = []
            self.ready = 0

        @Slot(str)
        def placeClicked(self, place_id: str) -> None:  # noqa: N802 (the JS name)
            self.clicked.append(place_id)

        @Slot()
        def pageReady(self) -> None:  # noqa: N802
            self.ready += 1

    host = Host()
    channel = QWebChannel(browser.page)
    channel.registerObject("host", host)
    browser.page.setWebChannel(channel)
    page = write_map_page(
        builtin, tmp_path / "map.html", head_scripts=["qrc:///qtwebchannel/qwebchannel.js"]
    )
    browser.open(page)
    qtbot.waitUntil(lambda: host.ready == 1, timeout=5000)
    browser.js("chronomap.setView(40.4, 49.9, 7, false)")  # Baku out of its cluster
    browser.settle()
    browser.click(".cm-marker[data-place-id=baku]")
    qtbot.waitUntil(lambda: host.clicked == ["baku"], timeout=5000)
    assert browser.js("chronomap.state().hostAttached") is True
    assert browser.network == []

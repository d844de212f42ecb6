"""Every real-world file with places, opened as a user would: the map frames its data and
its labels never overlap, in the window and in the HTML export."""

from __future__ import annotations

import pytest

from desktop.core.load import load_dataset
from desktop.core.view_state import ViewState
from desktop.exports.html_export import export_html
from desktop.exports.view import view_from_flags
from desktop.resources import builtin_dataset
from tests.helpers import overlapping_labels
from tests.mapview.conftest import _PROFILES, Browser
from tests.realworld import realworld_copy

pytestmark = pytest.mark.gui

# The files with located events (the others sit on the timeline only).
MAPPED = [
    "abc7_defining_courage.csv",
    "roman_battles.csv",
    "acled_2020-05.csv",
    "usgs_4.5_month_2014-03.geojson",
    "nepal_earthquakes.geojson",
    "geonet_darfield_earthquakes.kml",
    "google_latitude_history.kml",
    "fa_timemap_datasheet_2020-07.xlsx",
    "",  # the built-in dataset
]
IDS = [name or "builtin" for name in MAPPED]


def located_places(dataset) -> dict[str, tuple[float, float]]:
    """Places holding an event that the map can draw: their anchor points."""
    counts = ViewState(dataset).place_counts()
    anchors = {pid: dataset.places[pid].anchor() for pid in counts}
    return {pid: a for pid, a in anchors.items() if a is not None}


# Every label the browser draws on the map, read from its own box (not from the page's
# record of what it placed), and the place markers on screen: [labels, markers].
DRAWN_JS = """(() => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const seen = (r) => r.width > 0 && r.height > 0 && r.right > map.left && r.left < map.right
    && r.bottom > map.top && r.top < map.bottom;
  const labels = [];
  for (const el of document.querySelectorAll('.leaflet-marker-pane .cm-label')) {
    const r = el.getBoundingClientRect();
    if (seen(r) && getComputedStyle(el).visibility !== 'hidden')
      labels.push({text: el.textContent, rect: [r.left, r.top, r.right, r.bottom]});
  }
  const markers = Array.from(document.querySelectorAll('.leaflet-marker-pane .cm-marker'))
    .filter((el) => seen(el.getBoundingClientRect())).length;
  return [labels, markers];
})()"""


def share_inside(bounds, points) -> float:
    south, west, north, east = bounds
    inside = [south <= lat <= north and west <= lon <= east for lat, lon in points]
    return sum(inside) / len(inside)


def path_of(name, tmp_path):
    return realworld_copy(name, tmp_path) if name else builtin_dataset()


@pytest.mark.parametrize("name", MAPPED, ids=IDS)
def test_the_window_opens_framed_on_the_data_with_labels_apart(qtbot, window, page, tmp_path, name):
    path = path_of(name, tmp_path)
    if name:
        with qtbot.waitSignal(window.map.sigReady, timeout=60_000):
            assert window.open_path(path)
        linked: list[bool] = []
        window.map.check_link(linked.append)
        qtbot.waitUntil(lambda: linked == [True], timeout=30_000)
    drawn: list[bool] = []
    window.map.when_drawn(lambda: drawn.append(True))
    qtbot.waitUntil(lambda: drawn == [True], timeout=30_000)
    dataset = window.state.dataset
    places = located_places(dataset)
    assert places
    state = page("chronomap.state()")
    assert share_inside(state["bounds"], places.values()) >= 0.95
    # Every place of an event is drawn (its own marker, in a cluster or counted at an edge).
    assert set(state["visiblePlaces"]) >= set(places)
    labels, markers = page(DRAWN_JS)
    # A marker of its own on screen gets a label (a map of clusters only may have none).
    assert labels or not markers, "no place is labelled"
    assert overlapping_labels(labels) == []
    # The selection is always labelled, and still no two labels overlap.
    first = next(e for e in dataset.sorted_events() if any(p in places for p in e.places))
    window.state.select([first.id])
    qtbot.waitUntil(lambda: page("chronomap.state().selectedEvents") == [first.id])
    qtbot.waitUntil(lambda: page("chronomap.state().layout.runs") > state["layout"]["runs"])
    drawn.clear()
    window.map.when_drawn(lambda: drawn.append(True))
    qtbot.waitUntil(lambda: drawn == [True], timeout=30_000)
    labels, _ = page(DRAWN_JS)
    names = {dataset.places[p].name for p in first.places if p in places}
    assert any(label["text"].split(" +")[0] in names for label in labels), (names, labels)
    assert overlapping_labels(labels) == []


@pytest.fixture
def browser(qtbot):
    b = Browser(qtbot)
    _PROFILES.append(b.profile)  # a profile outlives its pages
    yield b
    b.view.close()
    b.page.deleteLater()


@pytest.mark.parametrize("name", MAPPED, ids=IDS)
def test_the_html_export_opens_framed_with_labels_apart(browser, tmp_path, name):
    dataset = load_dataset(path_of(name, tmp_path)).dataset
    assert dataset is not None
    out = tmp_path / "map.html"
    export_html(dataset, out, view_from_flags(dataset))
    browser.open(out, timeout=60_000)
    browser.settle()
    places = located_places(dataset)
    state = browser.js("chronomap.state()")
    assert share_inside(state["bounds"], places.values()) >= 0.95
    labels, markers = browser.js(DRAWN_JS)
    assert labels or not markers, "no place is labelled"
    assert overlapping_labels(labels) == []
    # Two steps closer, the clusters split and the labels still keep apart.
    browser.js(
        f"chronomap.setView({state['center'][0]}, {state['center'][1]}, {state['zoom'] + 2}, false)"
    )
    browser.settle()
    labels, markers = browser.js(DRAWN_JS)
    assert labels or not markers, "no place is labelled"
    assert overlapping_labels(labels) == []
    assert browser.network == []

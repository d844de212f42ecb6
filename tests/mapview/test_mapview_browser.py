"""The map page in a real browser engine (QtWebEngine offscreen): markers, routes, the JS API."""

from __future__ import annotations

import pytest

from desktop.mapview.page import write_map_page

from .conftest import placed_places

pytestmark = pytest.mark.gui

MARKERS = ".leaflet-marker-pane .cm-marker[data-place-id]"


def marker_ids(browser) -> list[str]:
    return browser.js(f"[...document.querySelectorAll('{MARKERS}')].map(e => e.dataset.placeId)")


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

    assert set(marker_ids(browser)) == placed_places(builtin)
    assert browser.js("document.querySelectorAll('path.cm-route').length") == 3
    assert browser.js("document.querySelectorAll('path.cm-route.cm-planned').length") == 1
    assert browser.js("document.querySelectorAll('path.cm-area').length") >= 1
    counts = browser.js(
        f"Object.fromEntries([...document.querySelectorAll('{MARKERS}')]"
        ".map(e => [e.dataset.placeId, +e.querySelector('.cm-count').textContent]))"
    )
    expected = {pid: sum(pid in e.places for e in builtin.events) for pid in placed_places(builtin)}
    assert counts == expected

    # select: classes follow, and the map moves to the selection.
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
    browser.js("chronomap.select([])")
    assert browser.js("document.querySelectorAll('.cm-marker.selected').length") == 0

    # setVisible: only places of visible events keep markers; counts follow.
    browser.js("chronomap.setVisible(['treaty-signed', 'kazan-summit'])")
    shown = set(marker_ids(browser))
    assert shown == {"moscow", "kazan"} | set(builtin.event("treaty-signed").places)
    assert browser.js("document.querySelectorAll('path.cm-route').length") == 0
    assert (
        browser.js(
            "document.querySelector('.cm-marker[data-place-id=kazan] .cm-count').textContent"
        )
        == "1"
    )
    browser.js("chronomap.setVisible(null)")
    assert set(marker_ids(browser)) == placed_places(builtin)

    # setView and a dispatched marker click (no host attached: state records it).
    browser.js("chronomap.setView(40, 50, 5, false)")
    assert browser.js("chronomap.state().zoom") == 5
    browser.click(".cm-marker[data-place-id=tehran]")
    assert browser.js("chronomap.state().lastClickedPlace") == "tehran"
    assert browser.alerts == []


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
    browser.click(".cm-marker[data-place-id=baku]")
    qtbot.waitUntil(lambda: host.clicked == ["baku"], timeout=5000)
    assert browser.js("chronomap.state().hostAttached") is True
    assert browser.network == []

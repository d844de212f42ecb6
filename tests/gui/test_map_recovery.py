"""The map page's process dies (killed, crashed, out of memory): the window loads the page
again, shows the same view, and says so in the status bar."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from desktop.core.view_state import Camera

pytestmark = pytest.mark.gui

SELECTION = ["treaty-signed", "raisi-death"]


def kill_page(qtbot, window) -> str:
    """SIGKILL the page's render process; the reason the window gives once it is back."""
    view = window.map
    pid = view.page().renderProcessPid()
    assert pid > 0
    with qtbot.waitSignal(view.sigRecovered, timeout=10_000) as recovered:
        os.kill(pid, signal.SIGKILL)
    assert view.page().renderProcessPid() not in (0, pid)
    return str(recovered.args[0])


def wait_for_camera(qtbot, window, page, lat: float, lon: float, zoom: float) -> None:
    """Until the map is at that camera: the same zoom, the centre within a pixel (Leaflet
    puts the map on whole pixels, so a camera read from a fitted view comes back rounded)."""
    pixel = 360 / (256 * 2**zoom)  # degrees of longitude per pixel; latitude has fewer

    def there() -> bool:
        state = page("chronomap.state()")
        (clat, clon), czoom = state["center"], state["zoom"]
        return abs(clat - lat) < pixel and abs(clon - lon) < pixel and czoom == zoom

    qtbot.waitUntil(there, timeout=10_000)


def test_the_map_comes_back_with_the_same_view(qtbot, window, page) -> None:
    state = window.state
    state.select(SELECTION)
    window.timeline.brush(datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 6, 1, tzinfo=UTC))
    state.set_category_shown("era", False)
    window.map.call("setView", 41.5, 47.25, 5.5, False)
    qtbot.waitUntil(lambda: state.camera == Camera(41.5, 47.25, 5.5), timeout=10_000)
    before = page("chronomap.state()")
    assert before["selectedEvents"] == SELECTION and before["visibleCount"] is not None

    how = kill_page(qtbot, window)

    assert how == "its process was killed"
    after = page("chronomap.state()")
    for key in ("selectedEvents", "selectedPlaces", "visiblePlaces", "visibleCount"):
        assert after[key] == before[key], key
    wait_for_camera(qtbot, window, page, 41.5, 47.25, 5.5)
    # The state itself was not touched: the page was rebuilt from it.
    assert state.selection == tuple(SELECTION)
    assert state.hidden_categories == {"era"} and state.window is not None
    message = window.statusBar().currentMessage()
    assert message == (
        "The map stopped (its process was killed) and was reloaded, showing the same view"
    )
    # And it is linked both ways again: a click on a marker selects in the window.
    page("chronomap.onPlaceClicked('tehran')")
    qtbot.waitUntil(lambda: "tehran" in state.selected_place_ids(), timeout=5000)


def test_a_story_step_being_presented_comes_back_presented(qtbot, window, page) -> None:
    window.activateWindow()
    assert window.present(2)
    step = window.story.steps[2]
    qtbot.waitUntil(lambda: page("chronomap.state().selectedEvents") == list(step.events))
    # The presenter frames the step once more when full screen has settled (no flight):
    # then the map stays where it is, and the state keeps that camera.
    qtbot.waitUntil(lambda: window.state.frame.animate is False, timeout=5000)

    def landed() -> bool:
        camera, state = window.state.camera, page("chronomap.state()")
        if camera is None:
            return False
        (lat, lon), zoom = state["center"], state["zoom"]
        return zoom == camera.zoom and abs(lat - camera.lat) + abs(lon - camera.lon) < 1e-3

    qtbot.waitUntil(landed, timeout=10_000)
    camera = window.state.camera
    assert page("document.documentElement.classList.contains('cm-presenting')")

    kill_page(qtbot, window)

    assert window.presenter.active and window.state.step == step
    assert page("chronomap.state().selectedEvents") == list(step.events)
    assert page("document.documentElement.classList.contains('cm-presenting')")
    wait_for_camera(qtbot, window, page, camera.lat, camera.lon, camera.zoom)
    # The clicker still works with the focus on the new page.
    proxy = window.map.focusProxy()
    assert proxy is not None
    qtbot.keyClick(proxy, Qt.Key.Key_Right)
    assert window.presenter.briefing.number == 4
    qtbot.keyClick(proxy, Qt.Key.Key_Escape)
    assert not window.presenter.active


def test_a_page_that_keeps_dying_while_loading_is_given_up(qtbot, window, monkeypatch) -> None:
    from PySide6.QtWebEngineCore import QWebEnginePage

    from desktop.gui import map_view

    view = window.map
    lost: list[tuple[str, bool]] = []
    view.sigPageLost.connect(lambda how, reloading: lost.append((how, reloading)))
    crashed = QWebEnginePage.RenderProcessTerminationStatus.CrashedTerminationStatus
    # Each death before the reloaded page is ready counts; then it stops trying.
    for _ in range(map_view.MAX_RELOADS + 1):
        view.page().renderProcessTerminated.emit(crashed, 11)
    assert lost == [("its process crashed", True)] * map_view.MAX_RELOADS + [
        ("its process crashed", False)
    ]
    assert window.statusBar().currentMessage() == (
        "The map stopped again while loading (its process crashed): reopen the dataset to try again"
    )

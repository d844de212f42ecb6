"""The presenter driven as a clicker drives it: keys in, step, highlight, window and map out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo

from desktop.core.briefing import step_window

pytestmark = pytest.mark.gui

# The folium map is a global of the page; find it to read its bounds.
LEAFLET_MAP = "Object.values(window).find(v => v instanceof L.Map)"


def start(qtbot, window, key=Qt.Key.Key_F5, modifier=Qt.KeyboardModifier.NoModifier):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window, key, modifier)
    assert window.presenter.active


def check_step(qtbot, window, page, number: int) -> None:
    """Everything the audience sees for step ``number`` (1-based)."""
    presenter = window.presenter
    dataset = window.state.dataset
    step = window.story.steps[number - 1]
    assert presenter.briefing.number == number
    assert presenter.header.title.text() == step.title
    assert presenter.header.counter.text() == f"{number} / {len(window.story.steps)}"
    # The time window and the highlighted events, in the state and as drawn.
    assert window.state.window == step_window(dataset, step)
    # Eras (the treaty's 20-year term) are shaded bands, not dots: drawn apart.
    eras = {era.id for era in window.timeline.layout_data.eras}
    assert set(window.timeline.selected_ids()) == set(step.events) - eras
    qtbot.waitUntil(
        lambda: set(page("chronomap.state().selectedEvents")) == set(step.events), timeout=5000
    )
    # The timeline has scrolled to the window.
    window_span = step_window(dataset, step)
    lo, hi = window_span.start.timestamp(), window_span.end.timestamp()

    def timeline_shows_window() -> bool:
        view_lo, view_hi = window.timeline.visible_x_range()
        return view_lo <= lo + 1 and view_hi >= hi - 1 and (view_hi - view_lo) < (hi - lo) * 1.5

    qtbot.waitUntil(timeline_shows_window, timeout=5000)
    # The map has flown to the step's view, or to its places.
    if step.view is not None:

        def at_view() -> bool:
            state = page("chronomap.state()")
            lat, lon = state["center"]
            return (
                abs(lat - step.view.lat) < 0.2
                and abs(lon - step.view.lon) < 0.2
                and state["zoom"] == step.view.zoom
            )

        qtbot.waitUntil(at_view, timeout=8000)
    else:
        shown = [dataset.event(i) for i in step.events if dataset.has_event(i)]
        places = [p.anchor() for p in dataset.places_of(shown)]
        points = json.dumps([list(p) for p in places if p])

        def places_in_view() -> bool:
            return all(
                page(
                    f"(() => {{ const b = {LEAFLET_MAP}.getBounds(); "
                    f"return {points}.map(p => b.contains(L.latLng(p[0], p[1]))); }})()"
                )
            )

        qtbot.waitUntil(places_in_view, timeout=8000)


def test_presenter_keys(qtbot, window, page) -> None:
    before = window.geometry()
    steps = window.story.steps
    assert len(steps) == 9
    start(qtbot, window)
    presenter = window.presenter
    assert window.isFullScreen()
    assert not window.menuBar().isVisible()
    assert not window.table.isVisible() and not window.story_dock.isVisible()
    assert window.map.isVisible() and window.timeline.isVisible()
    check_step(qtbot, window, page, 1)
    # Readable from the back of the room.
    assert QFontInfo(presenter.header.title.font()).pixelSize() >= 40
    assert QFontInfo(presenter.header.caption.font()).pixelSize() >= 26
    assert page("getComputedStyle(document.querySelector('.cm-label')).fontSize") == "21px"

    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    check_step(qtbot, window, page, 2)
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    check_step(qtbot, window, page, 1)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    check_step(qtbot, window, page, 2)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    check_step(qtbot, window, page, 3)
    qtbot.keyClick(window, Qt.Key.Key_Backspace)
    check_step(qtbot, window, page, 2)

    # B blacks the screen out, B brings it back; the step does not change.
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert presenter.black.isVisible() and presenter.briefing.number == 2
    image = window.grab().toImage()
    for x, y in ((10, 10), (image.width() // 2, image.height() // 2)):
        assert image.pixelColor(x, y).name() == "#000000"
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert not presenter.black.isVisible()
    # "." too, and any move lifts it.
    qtbot.keyClick(window, Qt.Key.Key_Period)
    assert presenter.black.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_End)
    assert not presenter.black.isVisible()
    check_step(qtbot, window, page, 9)
    qtbot.keyClick(window, Qt.Key.Key_Home)
    check_step(qtbot, window, page, 1)
    qtbot.keyClick(window, Qt.Key.Key_5)
    assert presenter.header.counter.text() == "Go to 5…"
    assert presenter.briefing.number == 1
    qtbot.keyClick(window, Qt.Key.Key_Return)
    check_step(qtbot, window, page, 5)  # an explicit centre and zoom
    qtbot.keyClick(window, Qt.Key.Key_3)
    qtbot.keyClick(window, Qt.Key.Key_Enter)
    check_step(qtbot, window, page, 3)

    # Keys reach the presenter with the focus in the map's web page too.
    target = window.map.focusProxy() or window.map
    qtbot.keyClick(target, Qt.Key.Key_PageDown)
    check_step(qtbot, window, page, 4)

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not presenter.active
    assert not window.isFullScreen()
    assert window.geometry() == before
    assert window.menuBar().isVisible() and window.table.isVisible()
    assert window.story_dock.isVisible()
    assert not presenter.header.isVisible()
    assert page("document.documentElement.classList.contains('cm-presenting')") is False
    # Keys are the window's own again.
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert presenter.briefing is None


def test_shift_f5_starts_at_the_current_step_and_n_shows_notes(qtbot, window, page) -> None:
    window.story.list.setCurrentRow(5)
    start(qtbot, window, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    presenter = window.presenter
    check_step(qtbot, window, page, 6)
    # One screen: N toggles the speaker notes over the picture.
    assert presenter.console is None
    assert not presenter.notes.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert presenter.notes.isVisible()
    step = window.story.steps[5]
    assert presenter.notes.notes.text() == step.notes
    assert presenter.notes.next.text() == f"Next: {window.story.steps[6].title}"
    assert "Elapsed 0:00:0" in presenter.notes.elapsed.text()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert presenter.notes.notes.text() == window.story.steps[6].notes
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert not presenter.notes.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not presenter.active


TWO_SCREENS = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from desktop.gui.app import make_application
    app = make_application()
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtCore import Qt
    from desktop.gui.main_window import MainWindow
    tmp = Path(sys.argv[1])
    win = MainWindow(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat), tmp / "cache")
    win.setGeometry(100, 100, 1200, 800)
    win.show()
    win.open_builtin()
    win.present(0)
    QTest.keyClick(win, Qt.Key.Key_PageDown)
    console = win.presenter.console
    print(json.dumps({
        "screens": [s.name() for s in app.screens()],
        "window_screen": win.screen().name(),
        "window_size": [win.width(), win.height()],
        "console_visible": console is not None and console.isVisible(),
        "console_screen": console.screen().name() if console else None,
        "step": console.panel.step.text() if console else None,
        "notes": console.panel.notes.text() if console else None,
        "next": console.panel.next.text() if console else None,
        "clock": console.panel.wall.text() if console else None,
        "overlay": win.presenter.notes.isVisible(),
    }))
    QTest.keyClick(win, Qt.Key.Key_Escape)
    print(json.dumps({"screen": win.screen().name(), "geometry": win.geometry().getRect(),
                      "console": win.presenter.console is None}))
    """
)


def test_second_screen_gets_the_presenter_console(tmp_path: Path) -> None:
    config = tmp_path / "screens.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {"name": "Laptop", "x": 0, "y": 0, "width": 1440, "height": 900},
                    {"name": "Projector", "x": 1440, "y": 0, "width": 1920, "height": 1080},
                ]
            }
        )
    )
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    run = subprocess.run(
        [sys.executable, "-c", TWO_SCREENS, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.strip().splitlines()[-2])
    after = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["screens"] == ["Laptop", "Projector"]
    # The room sees the projector; the laptop shows notes, the next step and the clock.
    assert report["window_screen"] == "Projector"
    assert report["window_size"] == [1920, 1080]
    assert report["console_visible"] and report["console_screen"] == "Laptop"
    assert report["step"] == "Step 2 of 9"
    assert report["notes"].startswith("The postponement bar starts roughly")
    assert report["next"] == "Next: Text ready; Moscow says no more delay"
    assert len(report["clock"]) == 5 and report["clock"][2] == ":"
    assert report["overlay"] is False
    # Esc: back on the laptop, where and as big as it was, the console gone.
    assert after == {"screen": "Laptop", "geometry": [100, 100, 1200, 800], "console": True}


def settled(qtbot, window, page) -> None:
    """Wait until the presenter has framed its first step again at full size, and the
    map has stopped."""
    qtbot.waitUntil(lambda: window.state.frame.animate is False, timeout=5000)
    qtbot.waitUntil(lambda: page("chronomap.state().pending") == 0, timeout=5000)
    page(f"({LEAFLET_MAP}.stop(), true)")


def test_one_key_press_is_one_change_one_flight_one_motion(qtbot, window, page, monkeypatch):
    start(qtbot, window)
    settled(qtbot, window, page)
    heard: list[frozenset[str]] = []
    window.state.subscribe(heard.append)
    ranges: list[tuple[float, float]] = []
    view_box = window.timeline.getPlotItem().getViewBox()
    view_box.sigXRangeChanged.connect(lambda _vb, r: ranges.append((float(r[0]), float(r[1]))))
    page(
        f"(() => {{ const m = {LEAFLET_MAP}; window.__moves = 0; window.__moved = 0;"
        " m.on('movestart', () => window.__moves++); m.on('moveend', () => window.__moved++);"
        " return true; })()"
    )
    for number in (2, 3):
        heard.clear()
        ranges.clear()
        # Along the axis (where long empty stretches are shortened) the pan is straight.
        timeline = window.timeline
        before = timeline.view_range()
        page("(window.__moves = 0, window.__moved = 0)")
        qtbot.keyClick(window, Qt.Key.Key_Right)
        check_step(qtbot, window, page, number)
        span = window.state.frame.span
        target = (timeline.x_of(span[0]), timeline.x_of(span[1]))
        qtbot.waitUntil(
            lambda t=target: window.timeline.view_range() == pytest.approx(t), timeout=5000
        )
        qtbot.waitUntil(lambda: page("window.__moved") >= 1, timeout=8000)
        # Everything the step changed, said once; the map flew once.
        assert len(heard) == 1, heard
        assert {"window", "selection", "step", "frame"} <= heard[0]
        assert page("window.__moves") == 1
        # The timeline moved once: every range on the way lies on one pan from where it
        # was to the step's span, each further along than the last.
        assert len(ranges) > 2
        along = [on_the_way(before, target, r) for r in ranges]
        assert all(a is not None for a in along), ranges
        assert along == sorted(along) and along[-1] == pytest.approx(1.0)
    qtbot.keyClick(window, Qt.Key.Key_Escape)


def on_the_way(start, end, seen) -> float | None:
    """How far along the straight pan from ``start`` to ``end`` the range ``seen`` is."""
    (a0, b0), (a1, b1) = start, end
    t = (seen[0] - a0) / (a1 - a0) if a1 != a0 else (seen[1] - b0) / (b1 - b0)
    expected = (a0 + (a1 - a0) * t, b0 + (b1 - b0) * t)
    width = abs(b1 - a1) + abs(b0 - a0)
    close = all(abs(x - y) <= width * 1e-6 for x, y in zip(seen, expected, strict=True))
    return t if close and -1e-9 <= t <= 1 + 1e-9 else None


def test_esc_puts_back_the_analysts_own_view(qtbot, window, page) -> None:
    from datetime import UTC, datetime

    from desktop.core.view_state import Camera, Frame

    state = window.state
    # The analyst's view: a selection, a brushed window, a filter, the map over the Caspian.
    state.select(["gas-via-azerbaijan"])
    window.timeline.brush(datetime(2024, 6, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC))
    state.set_hidden_categories({"era"})
    state.set_frame(Frame((1.70e9, 1.74e9), camera=Camera(41.5, 50.0, 5)))
    qtbot.waitUntil(lambda: state.camera == Camera(41.5, 50.0, 5), timeout=8000)
    qtbot.waitUntil(lambda: state.span == pytest.approx((1.70e9, 1.74e9)), timeout=5000)
    before = state.frozen()
    timeline_before = window.timeline.visible_x_range()

    start(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    check_step(qtbot, window, page, 3)
    assert state.selection != before.selection and state.window != before.window
    qtbot.keyClick(window, Qt.Key.Key_Escape)

    assert not window.presenter.active
    assert state.selection == before.selection
    assert state.window == before.window
    assert state.hidden_categories == {"era"} and state.search == ""
    assert state.step is None
    assert window.table.selected_ids() == ["gas-via-azerbaijan"]
    assert window.timeline.window_region() is not None  # the brush band is back
    # The map and the timeline where they were.
    qtbot.waitUntil(lambda: page("chronomap.state().zoom") == 5, timeout=8000)
    lat, lon = page("chronomap.state().center")
    # To the pixel (the map was resized back meanwhile; 0.05° is about a pixel at zoom 5).
    assert (lat, lon) == (pytest.approx(41.5, abs=0.05), pytest.approx(50.0, abs=0.05))
    qtbot.waitUntil(
        lambda: window.timeline.visible_x_range() == pytest.approx(timeline_before), timeout=5000
    )
    assert page("chronomap.state().selectedEvents") == ["gas-via-azerbaijan"]

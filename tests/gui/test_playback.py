"""Playing the timeline: the window moves with time and events appear on the map."""

from __future__ import annotations

import pytest

from desktop.core.briefing import PlayMode

pytestmark = pytest.mark.gui


def test_play_pause_and_rolling(qtbot, window, page) -> None:
    bar = window.playback
    assert bar.isVisible() and bar.isEnabled()
    all_places = len(page("chronomap.state().visiblePlaces"))
    bar.faster()
    bar.faster()  # a pass of the view in about 7 s
    bar.rewind()
    rewound = window.state.window
    assert (rewound.end - rewound.start).total_seconds() == 1  # nothing shown yet
    assert window.state.visible_ids() == ()
    qtbot.waitUntil(lambda: page("chronomap.state().visiblePlaces") == [], timeout=5000)
    bar.play()
    assert bar.playing and bar.play_action.text() == "Pause"
    qtbot.waitUntil(lambda: len(window.state.visible_ids()) >= 3, timeout=10_000)
    first = window.state.window
    qtbot.waitUntil(lambda: len(page("chronomap.state().visiblePlaces")) > 0, timeout=5000)
    qtbot.waitUntil(lambda: window.state.window.end > first.end, timeout=5000)
    bar.pause()
    assert not bar.playing
    paused = window.state.window
    qtbot.wait(300)  # time passes: a pause must hold
    assert window.state.window == paused  # paused means paused
    assert paused.start == first.start and paused.end > first.end  # cumulative: only grows

    bar.playback.width = (paused.end - paused.start) / 2
    bar.mode.setCurrentIndex(bar.mode.findData(PlayMode.ROLLING))
    rolling = window.state.window
    assert rolling.end == paused.end and rolling.start > paused.start
    assert abs((rolling.end - rolling.start) - bar.playback.width).total_seconds() < 2
    # Playing to the end stops by itself, with every event of the view shown.
    bar.faster()
    bar.faster()
    bar.mode.setCurrentIndex(bar.mode.findData(PlayMode.CUMULATIVE))
    bar.play()
    qtbot.waitUntil(lambda: not bar.playing, timeout=15_000)
    assert abs((window.state.window.end - bar.playback.end).total_seconds()) < 1
    qtbot.waitUntil(
        lambda: len(page("chronomap.state().visiblePlaces")) >= all_places // 2, timeout=5000
    )

"""The window, in process: ready, repaint while zooming, click-to-map select, brush, memory.

Usage: python -m bench.window_worker DATASET [ZOOM_STEPS] [SAMPLES]

Figures (medians over several tries):
- window_ready_ms: open_path() until the timeline is drawn and the map page
  confirms the selection (on a fresh page cache: the in-process part of
  ready_cold_ms, imports excluded);
- repaint_ms: one zoom step (setXRange, pending events, a synchronous
  repaint of the timeline), over ZOOM_STEPS steps from the whole span inwards;
  relabel_ms: the label layout that follows a zoom 25 ms later, plus its repaint;
- select_ms: a mouse click on an event's dot until chronomap.state() in the
  page lists the same selection;
- brush_ms: brushing a time window until the page reports the same number of
  visible events and the same visible places;
- rss_mb: the app and its QtWebEngine processes, after all of the above.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .common import dataset_arg, emit, fail, median_ms, qt_environment, spin_until, tree_rss_mb

READY_TIMEOUT_S = 300.0
POLL_TIMEOUT_S = 30.0
EVENTS_PER_WINDOW = 200

STATE_JS = """(function () {
  var s = chronomap.state();
  return JSON.stringify({ready: s.ready, selected: s.selectedEvents, places: s.visiblePlaces,
    visible: s.visibleCount === null ? -1 : s.visibleCount});
})()"""


class Page:
    """Reads the map page's state back, as often as asked, until it says what we expect."""

    def __init__(self, window) -> None:
        self.window = window

    def state(self, timeout_s: float = POLL_TIMEOUT_S) -> dict[str, Any] | None:
        box: list[Any] = []
        self.window.map.evaluate(STATE_JS, box.append)
        if not spin_until(lambda: bool(box), timeout_s):
            return None
        return json.loads(box[0]) if isinstance(box[0], str) else None

    def wait_for(self, predicate, timeout_s: float = POLL_TIMEOUT_S) -> bool:
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            state = self.state(deadline - time.perf_counter())
            if state is not None and predicate(state):
                return True
        return False


def open_window(path: Path):
    from desktop.gui.app import _scratch_settings, make_application

    app = make_application()
    from desktop.gui.main_window import MainWindow

    window = MainWindow(
        settings=_scratch_settings(),
        cache_dir=Path(tempfile.mkdtemp(prefix="chronomap-bench-map-")),
    )
    window.resize(1600, 1000)
    window.show()
    started = time.perf_counter()
    if not window.open_path(path, remember=False):
        fail(f"cannot open {path}")
    if not spin_until(lambda: window.timeline.drawn and window.map.ready, READY_TIMEOUT_S):
        fail(f"not ready after {READY_TIMEOUT_S:.0f} s (map console: {window.map.console[-3:]})")
    linked: list[bool] = []
    window.map.check_link(linked.append)
    if not spin_until(lambda: bool(linked), POLL_TIMEOUT_S) or linked != [True]:
        fail("the map did not confirm the selection")
    emit(
        window_ready_ms=round((time.perf_counter() - started) * 1000),
        map_build_ms=round(window.map.build_ms),
        rss_ready_mb=tree_rss_mb(),
    )
    return app, window


def measure_repaint(app, window, steps: int) -> None:
    timeline = window.timeline
    extent = timeline.layout_data.extent()
    if extent is None:
        emit(repaint_error="no events to draw")
        return
    lo, hi = extent
    middle = (lo + hi) / 2
    repaint, relabel = [], []
    for step in range(steps):
        half = (hi - lo) * 0.8**step / 2
        started = time.perf_counter()
        timeline.show_times(middle - half, middle + half)
        app.processEvents()
        timeline.viewport().repaint()
        repaint.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        timeline._layout_labels()  # what the 25 ms debounce timer runs after a zoom
        timeline.viewport().repaint()
        relabel.append((time.perf_counter() - started) * 1000)
    emit(
        repaint_ms=median_ms(repaint),
        repaint_max_ms=round(max(repaint), 1),
        relabel_ms=median_ms(relabel),
        zoom_steps=steps,
    )


def measure_select(app, window, page: Page, samples: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    timeline = window.timeline
    layout = timeline.layout_data
    order = sorted(range(len(layout.ids)), key=lambda i: layout.center[i])
    times = []
    for k in range(samples):
        row = order[(2 * k + 1) * len(order) // (2 * samples)]
        event_id = layout.ids[row]
        # Untimed: put the event in the middle of a one-year view, as a user would zoom to it.
        center = float(layout.center[row])
        timeline.show_times(center - 182 * 86400, center + 182 * 86400)
        app.processEvents()
        timeline.viewport().repaint()
        point = timeline.event_point(event_id).toPoint()
        started = time.perf_counter()
        QTest.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=point)
        wanted = list(window.state.selection)
        if not wanted:
            emit(select_error=f"a click on {event_id} selected nothing")
            return
        if not page.wait_for(lambda s, w=wanted: s["selected"] == w):
            emit(select_error=f"the map did not show the selection within {POLL_TIMEOUT_S:.0f} s")
            return
        times.append((time.perf_counter() - started) * 1000)
    emit(select_ms=median_ms(times), select_max_ms=round(max(times), 1))


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def measure_brush(app, window, page: Page, samples: int) -> None:
    timeline = window.timeline
    layout = timeline.layout_data
    starts = sorted(float(x) for x in layout.lower)
    count = len(starts)
    if count < 2:
        emit(brush_error="too few events to brush")
        return
    per_window = max(1, min(EVENTS_PER_WINDOW, count // 10))
    dataset = window.state.dataset
    times = []
    for k in range(samples):
        first = (2 * k + 1) * (count - per_window) // (2 * samples)
        lo, hi = starts[first], starts[min(first + per_window, count - 1)] + 1
        # Untimed: start from no window, confirmed by the page.
        timeline.clear_window()
        if not page.wait_for(lambda s: s["visible"] == -1):
            emit(brush_error="the map did not clear the window")
            return
        started = time.perf_counter()
        timeline.brush(_utc(lo), _utc(hi))
        visible = window.state.visible_ids()
        places = {p for e in visible for p in dataset.event(e).places if p in dataset.places}
        count = len(visible)
        if not page.wait_for(
            lambda s, n=count, p=places: s["visible"] == n and set(s["places"]) == p
        ):
            emit(brush_error=f"the map did not filter within {POLL_TIMEOUT_S:.0f} s")
            return
        times.append((time.perf_counter() - started) * 1000)
    timeline.clear_window()
    emit(brush_ms=median_ms(times), brush_max_ms=round(max(times), 1))


def main() -> None:
    path = dataset_arg()
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    samples = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    qt_environment()
    app, window = open_window(path)
    page = Page(window)
    measure_repaint(app, window, steps)
    measure_select(app, window, page, samples)
    measure_brush(app, window, page, samples)
    emit(rss_mb=tree_rss_mb())
    window.close()


if __name__ == "__main__":
    main()

"""The map page at volume: clustering and label placement per zoom step, measured in the page.

Usage: python -m bench.map_zoom [PLACES] [EVENTS]   (default 100000 places, as many events)

Builds the window's (slim) map page for a synthetic dataset with PLACES
places, opens it in a QWebEngineView offscreen, and zooms from the opening
view in, out and across, one step at a time, without animation. For each step
the page measures with its own clock (performance.now()):

- cluster_ms: setView until Leaflet.markercluster has put the step's clusters
  and markers on the map (it does so within the zoom's events);
- labels_ms: the label placement that follows (chronomap.layout());
- step_ms: both, plus the browser's style, layout and paint of the result
  (until two animation frames later).

Prints one JSON object: the medians and the slowest step, the page's size and
the time until it was ready.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .common import fail, qt_environment, spin_until

LEAFLET_MAP = "Object.values(window).find(v => v instanceof L.Map)"
STEP_JS = """(function (lat, lon, zoom) {
  var m = MAP;
  var t0 = performance.now();
  m.setView([lat, lon], zoom, {animate: false});
  var t1 = performance.now();
  var stats = chronomap.layout();
  var t2 = performance.now();
  window.__step = null;
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      window.__step = {cluster_ms: t1 - t0, labels_ms: t2 - t1, step_ms: performance.now() - t0,
        markers: stats.markers, clusters: stats.clusters, labels: stats.labels};
    });
  });
  return true;
})""".replace("MAP", LEAFLET_MAP)


def dataset(places: int, events: int):
    from desktop.core.synthetic import make_dataset

    return make_dataset(events, n_places=places, seed=7)


def main(argv: list[str]) -> int:
    n_places = int(argv[0]) if argv else 100_000
    n_events = int(argv[1]) if len(argv) > 1 else n_places
    qt_environment()
    from PySide6.QtCore import QUrl
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    from desktop.core.framing import fit_bounds
    from desktop.core.view_state import ViewState
    from desktop.mapview.page import write_map_page

    data = dataset(n_places, n_events)
    state = ViewState(data)
    counts = state.place_counts(visible_only=False)
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="chronomap-bench-map-"))
    page = write_map_page(
        data,
        folder / "map.html",
        inline=False,
        slim=True,
        place_counts=counts,
        fit=fit_bounds(data, counts),
    )
    build_ms = (time.perf_counter() - started) * 1000

    app = QApplication.instance() or QApplication([])
    view = QWebEngineView()
    view.resize(1280, 800)
    view.show()

    def js(code: str, timeout_s: float = 60.0):
        box: list = []
        view.page().runJavaScript(code, 0, box.append)
        if not spin_until(lambda: bool(box), timeout_s):
            fail(f"no answer from the page to {code[:60]!r}")
        return box[0]

    started = time.perf_counter()
    view.load(QUrl.fromLocalFile(str(page)))
    ready = lambda: js("!!(window.chronomap && chronomap.state().ready)", 5.0) is True  # noqa: E731
    if not spin_until(ready, 300.0):
        fail("the map page did not get ready")
    ready_ms = (time.perf_counter() - started) * 1000
    state_js = json.loads(js("JSON.stringify(chronomap.state())"))
    lat, lon = state_js["center"]
    first = state_js["zoom"]
    # In to street level and back out, then across the data at a middle zoom.
    zooms = [first + step for step in range(1, 9)] + [first + step for step in range(7, -1, -1)]
    places = [(lat, lon, z) for z in zooms]
    places += [(lat + dy, lon + dx, first + 3) for dy, dx in ((3, 5), (-4, 8), (2, -9), (-2, -4))]
    steps = []
    for step_lat, step_lon, zoom in places:
        js(f"({STEP_JS})({step_lat}, {step_lon}, {zoom})")
        if not spin_until(lambda: js("window.__step !== null", 5.0) is True, 30.0):
            fail("a zoom step did not finish")
        steps.append(json.loads(js("JSON.stringify(window.__step)")))
    app.processEvents()

    def figures(key: str) -> dict[str, float]:
        values = [s[key] for s in steps]
        return {
            f"{key}_median": round(statistics.median(values), 1),
            f"{key}_max": round(max(values), 1),
        }

    print(
        json.dumps(
            {
                "places": n_places,
                "events": n_events,
                "sites": state_js["sites"],
                "page_mb": round(page.stat().st_size / 1e6, 2),
                "build_ms": round(build_ms),
                "ready_ms": round(ready_ms),
                "zoom_steps": len(steps),
                **figures("cluster_ms"),
                **figures("labels_ms"),
                **figures("step_ms"),
                "most_markers": max(s["markers"] for s in steps),
                "most_clusters": max(s["clusters"] for s in steps),
                "most_labels": max(s["labels"] for s in steps),
            }
        )
    )
    view.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

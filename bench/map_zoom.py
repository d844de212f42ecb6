"""The map page at volume: clustering and label placement per zoom step, measured in the page.

Usage: python -m bench.map_zoom [PLACES] [EVENTS]   (default 100000 places, as many events)

Builds the window's (slim) map page for a synthetic dataset with PLACES
places, opens it in a QWebEngineView offscreen, and zooms from the opening
view in, out and across, one step at a time, without animation. For each step
the page measures with its own clock (performance.now()):

- cluster_ms: the time Leaflet.markercluster spends in its zoom and move
  handlers, merging and splitting clusters and putting the step's clusters
  and markers on the map;
- labels_ms: the label placement that follows (chronomap.layout());
- view_ms: setView as a whole: the clusters, and the rest of the map
  following the zoom (the basemap and routes re-projected, the faint places
  redrawn);
- step_ms: all of it, plus the browser's style, layout and paint of the
  result (until two animation frames later); idle_frames_ms is two frames
  with nothing to draw, for comparison.

Prints one JSON object: the medians and the slowest step, the page's size and
the time until it was ready.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .common import fail, qt_environment, spin_until

LEAFLET_MAP = "Object.values(window).find(v => v instanceof L.Map)"
# Times the cluster layer's own handlers (the benchmark's instrument, not the page's).
# The layer's handlers are bound when it is added, so what they call is timed: the
# merge and split of clusters, and the walks that add and remove their markers
# (recursive: only the outermost call counts).
CLUSTER_CLOCK_JS = """(function () {
  window.__clusterMs = 0;
  var depth = 0;
  function clock(owner, name) {
    var original = owner[name];
    owner[name] = function () {
      var t0 = performance.now();
      depth += 1;
      try { return original.apply(this, arguments); }
      finally {
        depth -= 1;
        if (!depth) window.__clusterMs += performance.now() - t0;
      }
    };
  }
  clock(L.MarkerClusterGroup.prototype, "_mergeSplitClusters");
  clock(L.MarkerCluster.prototype, "_recursivelyAddChildrenToMap");
  clock(L.MarkerCluster.prototype, "_recursivelyRemoveChildrenFromMap");
  return true;
})()"""
# Two animation frames with nothing to draw: what the browser takes anyway.
IDLE_JS = """(function () {
  window.__idle = null;
  var t0 = performance.now();
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { window.__idle = performance.now() - t0; });
  });
  return true;
})()"""
STEP_JS = """(function (lat, lon, zoom) {
  var m = MAP;
  window.__clusterMs = 0;
  var t0 = performance.now();
  m.setView([lat, lon], zoom, {animate: false});
  var t1 = performance.now();
  var stats = chronomap.layout();
  var t2 = performance.now();
  var cluster = window.__clusterMs;
  window.__step = null;
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      window.__step = {cluster_ms: cluster, labels_ms: t2 - t1, view_ms: t1 - t0,
        step_ms: performance.now() - t0,
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
    # The page may be busy for seconds building 100k markers: each read waits for it.
    ready = lambda: js("!!(window.chronomap && chronomap.state().ready)", 120.0) is True  # noqa: E731
    if not spin_until(ready, 300.0):
        fail("the map page did not get ready")
    ready_ms = (time.perf_counter() - started) * 1000
    js(CLUSTER_CLOCK_JS)
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
        if not spin_until(lambda: js("window.__step !== null", 60.0) is True, 30.0):
            fail("a zoom step did not finish")
        steps.append(json.loads(js("JSON.stringify(window.__step)")))
    idle = []
    for _ in range(5):
        js(IDLE_JS)
        if not spin_until(lambda: js("window.__idle !== null", 60.0) is True, 30.0):
            fail("no animation frames")
        idle.append(float(js("window.__idle")))
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
                **figures("view_ms"),
                **figures("step_ms"),
                "idle_frames_ms": round(statistics.median(idle), 1),
                "load_average": [round(x, 2) for x in os.getloadavg()],
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

"""What an edit of a place costs in the window, on the synthetic datasets.

Usage: python -m bench.place_edits [N_EVENTS ...]   (default: 10000 100000)

For each size, one window opens the synthetic dataset (500 places), then
(medians over SAMPLES tries, each from a window at rest):
- move_apply_ms: Document.apply of a marker's move: the edit, and every view
  told of the new dataset (timeline, list, detail, map), synchronously;
- move_ms: the same until the page's marker stands at the new spot (the move
  is sent over the bridge: no new page);
- move_rebuild_ms: what the move cost when it rebuilt the page: a move, then
  the page built and loaded again until it is ready;
- add_ms: adding a place (the page is built again) until the page has its marker.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

from .common import emit, fail, median_ms, qt_environment, spin_until
from .datasets import synthetic_path, write_synthetic
from .window_worker import POLL_TIMEOUT_S, READY_TIMEOUT_S, open_window

SAMPLES = 5


def _page_value(window, expression: str) -> Any:
    box: list[Any] = []
    window.map.evaluate(f"JSON.stringify({expression})", box.append)
    if not spin_until(lambda: bool(box), POLL_TIMEOUT_S):
        fail(f"the page did not answer {expression}")
    return json.loads(box[0]) if isinstance(box[0], str) else None


def _marker_at(window, place_id: str, lat: float, lon: float) -> bool:
    at = _page_value(window, f"chronomap.placeAt({json.dumps(place_id)})")
    return bool(at) and abs(at[0] - lat) < 1e-6 and abs(at[1] - lon) < 1e-6


def measure(n_events: int) -> None:
    from desktop.core.editing import add_place, move_places
    from desktop.core.model import Place, PlaceKind

    path = synthetic_path(n_events)
    if not path.exists():
        write_synthetic(n_events, path)
    _app, window = open_window(path)
    emit(events=n_events, places=len(window.state.dataset.places))
    document = window.document
    point = next(p for p in window.state.dataset.places.values() if p.kind is PlaceKind.POINT)
    apply_times, move_times, rebuild_times, add_times = [], [], [], []
    for k in range(SAMPLES):
        lat, lon = point.lat + 0.5 * (k + 1), point.lon + 0.5 * (k + 1)
        started = time.perf_counter()
        document.apply(move_places(document.dataset(), [point.id], lat, lon))
        apply_times.append((time.perf_counter() - started) * 1000)
        if not spin_until(lambda a=lat, b=lon: _marker_at(window, point.id, a, b), 60):
            fail("the moved marker did not reach its spot")
        move_times.append((time.perf_counter() - started) * 1000)

        # The same move as a rebuilt page would show it.
        started = time.perf_counter()
        window.map.show_dataset()
        if not spin_until(lambda: window.map.ready, READY_TIMEOUT_S):
            fail("the rebuilt page was not ready")
        if not spin_until(lambda a=lat, b=lon: _marker_at(window, point.id, a, b), 60):
            fail("the rebuilt page has the marker elsewhere")
        rebuild_times.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        added = Place(f"bench-{k}", f"Bench {k}", lat=10.0 + k, lon=20.0 + k)
        document.apply(add_place(document.dataset(), added))
        if not spin_until(lambda: window.map.ready, READY_TIMEOUT_S) or not spin_until(
            lambda a=added: _marker_at(window, a.id, a.lat or 0, a.lon or 0), 60
        ):
            fail("the added place did not reach the page")
        add_times.append((time.perf_counter() - started) * 1000)
    emit(
        events=n_events,
        move_apply_ms=median_ms(apply_times),
        move_ms=median_ms(move_times),
        move_rebuild_ms=median_ms(rebuild_times),
        add_ms=median_ms(add_times),
        patched=window.map.patched,
    )
    window.document.stack.setClean()  # closing would ask about the edits
    window.close()


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    if len(sizes) > 1:
        # One window per process: a second window in the same process never got ready.
        for n in sizes:
            subprocess.run([sys.executable, "-m", "bench.place_edits", str(n)], check=False)
        return
    qt_environment()
    measure(sizes[0])
    # A process with QtWebEngine pages can hang in its interpreter's teardown; the
    # figures are out, so it ends here.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()

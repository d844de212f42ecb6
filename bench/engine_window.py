"""The window over a source queried, not loaded: ready, brush, memory.

Usage: python -m bench.engine_window PARQUET [SAMPLES] [--grab PNG]

Figures:
- engine_ready_ms: open_path() until the first counts are drawn on the map
  and the timeline (opening the source, building its span index, the map page
  with its places, the first answers); engine_open_ms is the part on the
  engine's thread (opening and indexing);
- engine_indexed_ms: open_path() until the span index is built (on its own
  thread; brushes before it are answered by the engine, in seconds);
- engine_brush_ms: median over SAMPLES brushes of a 2-year window at different
  places along the timeline: letting go of the band until the page reports
  the engine's number of events shown (``visibleCount``);
- engine_query_ms: the part of a brush spent answering on the worker
  (place counts and total from the index);
- engine_search_ms: a search few events match ("event 12345": the engine
  reads the events' text once for the rows that match, the index counts them,
  and they are fetched by row number) until they are listed;
- engine_search_brush_ms: then a brush with the search still on (the rows
  found are kept: counted by the index) until the page shows it;
- engine_select_ms: then a click on a row of the list until the page shows
  the selection;
- engine_rss_mb: the app and its QtWebEngine processes after the brushes,
  engine_app_rss_mb / engine_app_peak_mb the app's own process;
- *_cpu_ms: the app process's CPU time (all its threads) over the same
  stretch: steadier than the wall clock on a machine shared with other work.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from .common import emit, fail, median_ms, qt_environment, spin_until, tree_rss_mb
from .engine import rss_mb
from .window_worker import POLL_TIMEOUT_S, Page

READY_TIMEOUT_S = 600.0
YEAR = 365.25 * 86400
# A search few events match (bench/engine.py's): they are fetched and listed.
SEARCH = "event 12345"


def measure_select(window, page: Page, samples: int) -> None:
    """Search for few events (the engine reads every event's text: seconds; they are
    then fetched and listed), then time a click on a row of the list until the page
    shows the selection."""
    mode = window.engine_mode
    window.state.set_window(None)
    began, began_cpu = time.perf_counter(), time.process_time()
    window.state.set_search(SEARCH)
    query = mode.query()
    if not spin_until(
        lambda: mode.answer is not None and mode.answer.query == query and window.table.shown_ids(),
        READY_TIMEOUT_S,
    ):
        emit(select_error="the events found were not fetched")
        return
    emit(
        engine_search_ms=round((time.perf_counter() - began) * 1000),
        engine_search_cpu_ms=round((time.process_time() - began_cpu) * 1000),
        found=mode.answer.total,
    )
    measure_search_brush(window, page)
    ids = window.table.shown_ids()
    times = []
    for k in range(samples):
        row = (2 * k + 1) * len(ids) // (2 * samples)
        started = time.perf_counter()
        window.table.selectRow(row)
        wanted = list(window.state.selection)
        if not page.wait_for(lambda s, w=wanted: s["selected"] == w):
            emit(select_error="the map did not show the selection")
            return
        times.append((time.perf_counter() - started) * 1000)
    emit(engine_select_ms=median_ms(times), engine_select_max_ms=round(max(times), 1))


def measure_search_brush(window, page: Page) -> None:
    """A brush while the search is on: the rows it found are counted again by the index."""
    mode = window.engine_mode
    low, high = mode.opened.extent
    middle = (low + high) / 2
    began = time.perf_counter()
    mode.timeline.brush(middle - 5 * YEAR, middle + 5 * YEAR)
    query = mode.query()
    if not spin_until(
        lambda: mode.answer is not None and mode.answer.query == query, READY_TIMEOUT_S
    ):
        emit(search_brush_error="no answer to a brush with the search on")
        return
    total = mode.answer.total
    if not page.wait_for(lambda s: s["visible"] == total):
        emit(search_brush_error="the map did not show the brush")
        return
    emit(engine_search_brush_ms=round((time.perf_counter() - began) * 1000, 1))
    window.state.set_window(None)
    spin_until(
        lambda: (
            mode.answer is not None
            and mode.answer.query == mode.query()
            and window.table.shown_ids()
        ),
        READY_TIMEOUT_S,
    )


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    grab = sys.argv[sys.argv.index("--grab") + 1] if "--grab" in sys.argv else None
    if grab in args:
        args.remove(grab)
    if not args:
        fail("usage: python -m bench.engine_window PARQUET [SAMPLES] [--grab PNG]")
    path = Path(args[0])
    samples = int(args[1]) if len(args) > 1 else 5
    qt_environment()
    import tempfile

    from desktop.gui.app import _scratch_settings, make_application

    make_application()
    from desktop.gui.main_window import MainWindow

    window = MainWindow(
        settings=_scratch_settings(),
        cache_dir=Path(tempfile.mkdtemp(prefix="chronomap-bench-map-")),
    )
    window.resize(1600, 1000)
    window.show()
    mode = window.engine_mode
    ready: list[bool] = []
    failed: list[str] = []
    mode.sigReady.connect(lambda: ready.append(True))
    mode.sigFailed.connect(failed.append)
    import os

    emit(load_average=[round(x, 2) for x in os.getloadavg()])
    started, started_cpu = time.perf_counter(), time.process_time()
    window.open_path(path, remember=False)
    if not spin_until(lambda: bool(ready or failed), READY_TIMEOUT_S):
        fail(f"not ready after {READY_TIMEOUT_S:.0f} s")
    if failed:
        fail(failed[0])
    assert mode.opened is not None
    emit(
        engine_ready_ms=round((time.perf_counter() - started) * 1000),
        engine_ready_cpu_ms=round((time.process_time() - started_cpu) * 1000),
        engine_open_ms=round(mode.opened.seconds * 1000),
        events=sum(mode.opened.categories.values()),
    )
    rss, peak = rss_mb()
    emit(engine_ready_rss_mb=tree_rss_mb(), engine_ready_app_peak_mb=peak)
    # The brushes are timed once the span index answers them.
    if not spin_until(lambda: mode.indexed_seconds is not None, READY_TIMEOUT_S):
        fail("the span index was not built")
    index = mode.source.index if mode.source else None
    emit(
        engine_indexed_ms=round((time.perf_counter() - started) * 1000),
        engine_index_build_ms=round((mode.indexed_seconds or 0) * 1000),
        index_mb=round(index.nbytes / 1e6) if index is not None else None,
    )
    page = Page(window)
    extent = mode.opened.extent
    assert extent is not None
    low, high = extent
    times, answers = [], []
    timings: list[float] = []
    answered_at: dict[str, float] = {}
    mode.worker.sigAnswered.connect(lambda *_: answered_at.__setitem__("t", time.perf_counter()))
    for k in range(samples):
        start = low + (high - low - 2 * YEAR) * (2 * k + 1) / (2 * samples)
        began = time.perf_counter()
        mode.timeline.brush(start, start + 2 * YEAR)
        query = mode.query()
        if not spin_until(
            lambda q=query: mode.answer is not None and mode.answer.query == q, POLL_TIMEOUT_S
        ):
            fail("no answer to a brush")
        assert mode.answer is not None
        total = mode.answer.total
        if not page.wait_for(lambda s, n=total: s["visible"] == n):
            fail(f"the map did not show the brush within {POLL_TIMEOUT_S:.0f} s")
        times.append((time.perf_counter() - began) * 1000)
        timings.append((answered_at.get("t", began) - began) * 1000)
        answers.append(total)
    emit(
        engine_brush_ms=median_ms(times),
        engine_brush_max_ms=round(max(times), 1),
        engine_query_ms=median_ms(timings),
        brush_events=round(statistics.median(answers)),
    )
    measure_select(window, page, samples)
    rss, peak = rss_mb()
    emit(engine_rss_mb=tree_rss_mb(), engine_app_rss_mb=rss, engine_app_peak_mb=peak)
    if grab:
        spin_until(lambda: False, 1.0)  # let the last brush's drawing settle
        window.grab().save(grab)
        emit(grab=grab)
    window.close()


if __name__ == "__main__":
    main()

"""A source too large to load opens in the window through the query engine.

The map's counts are read back from the page after a brush, and compared with
the engine's own answer; bad input (a Parquet file with the wrong types, an
unreachable engine URL, a query past its time limit) is one line and leaves
the window as it was. The 10M-event file is generated once per machine and
cached in the temp folder, as ``make bench-engine`` does.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.core.engine import Query, open_source

WINDOW = (datetime(2003, 3, 1, tzinfo=UTC), datetime(2005, 7, 15, tzinfo=UTC))


@pytest.fixture
def engine_window(qtbot, tmp_path: Path, settings):
    from desktop.gui.main_window import MainWindow

    win = MainWindow(settings=settings, cache_dir=tmp_path / "cache")
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    win.show()
    yield win
    win.close()


def page_state(qtbot, win) -> dict:
    got: list[dict] = []
    win.map.evaluate("JSON.stringify(chronomap.state())", lambda v: got.append(json.loads(v)))
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    return got[0]


def open_in_engine_mode(qtbot, win, path: Path, timeout: int = 120_000) -> None:
    with qtbot.waitSignal(win.engine_mode.sigReady, timeout=timeout):
        assert win.open_path(path)
    assert win.engine_mode.active


def brush_and_wait(qtbot, win, low: datetime, high: datetime, timeout: int = 60_000) -> dict:
    """Drag the band to [low, high) and let go; the page's state once it shows it."""
    mode = win.engine_mode
    expected = Query(start=low, end=high, search=win.state.search)
    win.engine_mode.timeline.brush(low.timestamp(), high.timestamp())
    assert win.state.window is not None
    qtbot.waitUntil(
        lambda: mode.answer is not None and mode.answer.query == expected, timeout=timeout
    )
    state: dict = {}

    def shown() -> bool:
        state.update(page_state(qtbot, win))
        return state["visibleCount"] == mode.answer.total

    qtbot.waitUntil(shown, timeout=10_000)
    return state


def test_a_source_over_the_threshold_is_queried_and_a_brush_updates_the_map(
    qtbot, engine_window, synthetic_parquet, monkeypatch
):
    """The same code path as 10M events, with the threshold lowered to 1,000 rows."""
    monkeypatch.setenv("CHRONOMAP_ENGINE_ROWS", "1000")
    dataset, path = synthetic_parquet
    win = engine_window
    open_in_engine_mode(qtbot, win, path)
    # Not loaded: 3,000 events are few enough to be fetched, as a narrow window's are.
    assert len(win.state.dataset.events) == len(dataset.events)
    assert len(win.state.dataset.places) == len(dataset.places)
    assert win.engine_mode.timeline.isVisible() and not win.timeline.isVisible()
    # The source is read where it lies: nothing to save, nothing to edit.
    assert not win.document.save_action.isEnabled()
    assert not win.document.save_as_action.isEnabled()
    assert not win.events.new_action.isEnabled()
    everything = page_state(qtbot, win)
    assert everything["visibleCount"] == len(dataset.events)
    assert win.engine_mode.timeline.overview.total() == len(dataset.events)

    state = brush_and_wait(qtbot, win, *WINDOW)
    engine = open_source(path)
    try:
        query = Query(*WINDOW)
        expected = {p.key: p.count for p in engine.place_counts(query)}
        total = engine.total(query)
    finally:
        engine.close()
    assert 0 < total < len(dataset.events)
    assert state["visibleCount"] == total
    assert sorted(state["visiblePlaces"]) == sorted(k for k, n in expected.items() if n)
    assert win.engine_mode.answer.counts == expected
    assert f"{total:,} shown" in win.status_message()
    # Few match: they were fetched, in full, and listed; a click on a row selects the
    # event on the map, as with any dataset.
    assert win.engine_mode.answer.fetched is not None
    assert len(win.engine_mode.answer.fetched.events) == total
    qtbot.waitUntil(lambda: len(win.table.shown_ids()) == total, timeout=10_000)
    row = total // 2
    event_id = win.table.shown_ids()[row]
    win.table.selectRow(row)
    assert win.state.selection == (event_id,)
    qtbot.waitUntil(lambda: page_state(qtbot, win)["selectedEvents"] == [event_id], timeout=10_000)
    assert win.detail.isVisible()

    # Hiding a category asks again; the timeline's bars follow.
    before = win.engine_mode.timeline.overview.total()
    win.filters.category_buttons()["energy"].click()
    qtbot.waitUntil(
        lambda: win.engine_mode.answer.query.hidden_categories == frozenset({"energy"}),
        timeout=30_000,
    )
    qtbot.waitUntil(lambda: win.engine_mode.timeline.overview.total() < before, timeout=10_000)
    assert "energy" not in win.engine_mode.timeline.overview.categories


def test_a_search_counts_as_a_scan_of_the_file_and_a_brush_keeps_it(
    qtbot, engine_window, synthetic_parquet, monkeypatch
):
    """A search reads the text once; its rows are counted by the index, with and
    without a window, as the engine's own scan of the file counts them."""
    monkeypatch.setenv("CHRONOMAP_ENGINE_ROWS", "1000")
    dataset, path = synthetic_parquet
    win = engine_window
    mode = win.engine_mode
    open_in_engine_mode(qtbot, win, path)
    assert mode.source.index is not None and mode.source.searches
    win.filters.search_box.setText("place 2")
    win.filters.apply_search()
    searched = Query(search="place 2")
    qtbot.waitUntil(
        lambda: mode.answer is not None and mode.answer.query == searched, timeout=60_000
    )
    state = brush_and_wait(qtbot, win, *WINDOW)
    engine = open_source(path)
    try:
        everywhere = engine.total(searched)
        windowed = Query(*WINDOW, search="place 2")
        total = engine.total(windowed)
        expected = {p.key: p.count for p in engine.place_counts(windowed)}
        ids = [e.id for e in engine.fetch(windowed).events]
    finally:
        engine.close()
    assert 0 < total < everywhere < len(dataset.events)
    assert mode.answer.query == windowed
    assert state["visibleCount"] == total
    assert mode.answer.counts == expected
    assert [e.id for e in mode.answer.fetched.events] == ids
    qtbot.waitUntil(lambda: sorted(win.table.shown_ids()) == sorted(ids), timeout=10_000)


def test_a_parquet_file_with_wrong_types_is_one_line(qtbot, engine_window, tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.setenv("CHRONOMAP_ENGINE_ROWS", "1")
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"date": [1.5, 2.5, 3.5], "title": ["a", "b", "c"]}), path)
    win = engine_window
    before = win.state.dataset
    with qtbot.waitSignal(win.engine_mode.sigFailed, timeout=30_000) as failed:
        win.open_path(path)
    line = failed.args[0]
    assert line == (
        f"{path}: column 'date' holds double values, not dates: the engine reads dates "
        "as ISO text (2025-01-17), DATE, TIMESTAMP or whole years"
    )
    assert win.statusBar().currentMessage() == line
    assert win.state.dataset is before and not win.engine_mode.active
    # Still usable: the built-in dataset opens.
    with qtbot.waitSignal(win.map.sigReady, timeout=30_000):
        win.open_builtin()
    assert win.state.dataset.events


def test_an_unreachable_engine_url_is_one_line(qtbot, engine_window):
    win = engine_window
    url = "trino://analyst:secret@127.0.0.1:1/hive/default#events"
    with qtbot.waitSignal(win.engine_mode.sigFailed, timeout=30_000) as failed:
        win.open_engine(url)
    line = failed.args[0]
    assert line.startswith("trino://127.0.0.1:1: cannot reach the engine (")
    assert "\n" not in line and "secret" not in line
    assert win.statusBar().currentMessage() == line
    assert not win.engine_mode.active


def test_a_query_past_its_time_limit_is_one_line_and_the_window_goes_on(
    qtbot, engine_window, synthetic_parquet, tmp_path, monkeypatch
):
    from tests.engine_reference import endless_database

    db = endless_database(tmp_path / "endless.duckdb")
    monkeypatch.setenv("CHRONOMAP_QUERY_TIMEOUT", "0.5")
    win = engine_window
    with qtbot.waitSignal(win.engine_mode.sigFailed, timeout=30_000) as failed:
        win.open_engine(f"{db}#events")
    line = failed.args[0]
    assert line.startswith(f"{db}#events: the query took longer than 0.5 s and was stopped")
    assert "\n" not in line
    assert win.statusBar().currentMessage() == line
    assert not win.engine_mode.active
    # The window goes on: the next source opens.
    monkeypatch.setenv("CHRONOMAP_ENGINE_ROWS", "1000")
    monkeypatch.delenv("CHRONOMAP_QUERY_TIMEOUT")
    open_in_engine_mode(qtbot, win, synthetic_parquet[1])
    assert page_state(qtbot, win)["visibleCount"] == len(synthetic_parquet[0].events)


def test_ten_million_events_open_in_the_window_and_a_brush_updates_the_map(qtbot, engine_window):
    """The issue's case itself: 10M synthetic events in Parquet (written once, cached in
    the temp folder with ``make bench-engine``'s), over the default threshold."""
    from bench.engine import write_parquet

    path, _ = write_parquet(10_000_000)
    win = engine_window
    open_in_engine_mode(qtbot, win, path, timeout=900_000)
    assert not win.state.dataset.events
    assert page_state(qtbot, win)["visibleCount"] == 10_000_000
    assert win.engine_mode.timeline.overview.total() == 10_000_000
    assert "10,000,000 events match: too many to list" in win.detail.toPlainText()

    window = (datetime(2010, 1, 1, tzinfo=UTC), datetime(2010, 7, 1, tzinfo=UTC))
    state = brush_and_wait(qtbot, win, *window, timeout=300_000)
    engine = open_source(path)  # the engine's own answer, scanning the file
    try:
        expected = {p.key: p.count for p in engine.place_counts(Query(*window))}
        total = engine.total(Query(*window))
    finally:
        engine.close()
    assert 100_000 < total < 1_000_000
    assert state["visibleCount"] == total
    assert sorted(state["visiblePlaces"]) == sorted(expected)
    assert win.engine_mode.answer.counts == expected
    assert f"{total:,} shown" in win.status_message()


def test_a_newer_request_supersedes_an_older_one(qtbot):
    """The brush before is dropped (interrupted while it runs, dropped while it waits);
    closing a source is never dropped."""
    import threading

    from desktop.gui.engine_worker import QueryWorker

    worker = QueryWorker()
    answered: list[object] = []
    worker.sigAnswered.connect(lambda _n, value: answered.append(value))
    running, release = threading.Event(), threading.Event()
    interrupted: list[bool] = []

    def slow() -> str:
        running.set()
        release.wait(10)
        return "first"

    worker.submit(slow)
    assert running.wait(10)
    closed: list[bool] = []
    worker.submit(lambda: "second", interrupt=lambda: interrupted.append(True))
    worker.chore(lambda: closed.append(True))
    worker.submit(lambda: "third", interrupt=lambda: (interrupted.append(True), release.set()))
    qtbot.waitUntil(lambda: answered == ["third"], timeout=10_000)
    assert interrupted == [True, True] and closed == [True]
    worker.stop()


def _where(place) -> tuple[str, float, float]:
    return (place.name, round(place.lat, 4), round(place.lon, 4))


def test_a_table_with_coordinates_shows_its_places_framed_and_counted(
    qtbot, engine_window, tmp_path, monkeypatch
):
    """The real ACLED export as Parquet, queried: a marker per location (name and
    coordinates, as the table names them), the first view framed on them, and a
    brush's counts and fetched events at the same markers as the loaded file's."""
    from desktop.core.load import load_dataset
    from tests import engine_reference as ref
    from tests.realworld import realworld_as_parquet

    monkeypatch.setenv("CHRONOMAP_ENGINE_ROWS", "1000")
    path = realworld_as_parquet("acled_2020-05.csv", tmp_path)
    loaded = load_dataset(path).dataset
    located = {_where(p) for p in loaded.places.values() if p.lat is not None}
    win = engine_window
    open_in_engine_mode(qtbot, win, path)
    places = win.state.dataset.places
    assert {_where(p) for p in places.values()} == located
    everything = page_state(qtbot, win)
    assert everything["visibleCount"] == len(loaded.events) == 5071
    assert len(everything["visiblePlaces"]) == len(located)
    # Framed on the events (they span the world), not left where the last dataset was.
    qtbot.waitUntil(lambda: page_state(qtbot, win)["elsewhere"]["events"] == 0, timeout=10_000)

    low, high = datetime(2020, 5, 1, tzinfo=UTC), datetime(2020, 5, 3, tzinfo=UTC)
    state = brush_and_wait(qtbot, win, low, high)
    expected = ref.visible(loaded, Query(low, high))
    assert 0 < len(expected) <= 5000
    assert state["visibleCount"] == len(expected)
    fetched = win.engine_mode.answer.fetched
    assert fetched is not None and len(fetched.events) == len(expected)
    # The fetched events sit at the markers the map already has, as in the loaded file.
    shown = win.state.dataset
    assert all(pid in places for e in shown.events for pid in e.places)
    at = sorted(_where(shown.places[pid]) for e in shown.events for pid in e.places)
    assert at == sorted(_where(loaded.places[pid]) for e in expected for pid in e.places)
    counted = {_where(places[pid]): n for pid, n in win.engine_mode.answer.counts.items()}
    assert sum(counted.values()) == len(expected)
    assert sorted(state["visiblePlaces"]) == sorted(win.engine_mode.answer.counts)

"""The window over a source too large to load: it asks the engine instead.

Opening a Parquet file or DuckDB database of more than ``engine_rows()``
events, or an engine URL, opens the source with the query engine and builds
its span index off the GUI thread; the window then holds the source's places
(the map's markers) and no events. Every change of the view state's window,
categories or search becomes one query on the worker: the map's per-place
counts and the number shown, and the timeline's counts per time bin and
category when the categories, the search or the visible stretch changed. The
newest request supersedes the others. When few events match, they are fetched
and counted in the status bar. Failures are one line in the status bar; the
window stays as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

from desktop.core.display import window_words
from desktop.core.engine import (
    DEFAULT_TIMEOUT,
    FETCH_LIMIT,
    EngineError,
    Overview,
    Query,
    open_source,
)
from desktop.core.engine.few import overview_of, place_counts_of
from desktop.core.engine.index_folders import index_folder
from desktop.core.engine.indexed import Indexed
from desktop.core.engine.span_index import build_index, fast_index
from desktop.core.engine.table_places import TablePlaces
from desktop.core.model import Dataset
from desktop.core.view_state import CATEGORIES, DATASET, SEARCH, WINDOW, ViewState

from .engine_timeline import BINS, EngineTimeline
from .engine_worker import QueryWorker

if TYPE_CHECKING:
    from .main_window import MainWindow


def query_timeout() -> float:
    """Seconds a query may run ($CHRONOMAP_QUERY_TIMEOUT overrides the engine's default)."""
    try:
        return float(os.environ.get("CHRONOMAP_QUERY_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


@dataclass
class Opened:
    source: Indexed
    places: Dataset
    categories: dict[str, int]
    extent: tuple[float, float] | None
    seconds: float
    # A table of events with coordinates: its places, made from the engine's counts.
    table: TablePlaces | None = None

    def place_totals(self) -> dict[str, int]:
        """Events per place over the whole source, to frame the first view on: a
        table's counts; a native source's places each count alike."""
        if self.table is not None:
            return self.table.totals
        return dict.fromkeys(self.places.places, 1)


@dataclass
class Answer:
    query: Query
    counts: dict[str, int]
    total: int
    overview: Overview | None
    fetched: Dataset | None


def _open(text: str) -> Opened:
    from desktop.core.formats.parquet_file import native_dataset
    from desktop.core.problems import Problems

    started = time.perf_counter()
    engine = open_source(text, timeout=query_timeout())
    try:
        # A native Parquet file is read into the index first (a few seconds at 10M
        # events): its counts, extent and categories come from the events' arrays until
        # they are sorted (EngineMode._index). Any other source's counts come from the
        # engine until its index is built.
        index = None
        if fast_index(engine):
            folder = index_folder()
            try:
                index = build_index(engine, folder=folder, sort=False)
            except Exception as exc:  # noqa: BLE001  (a file Arrow cannot read: one line)
                shutil.rmtree(folder, ignore_errors=True)
                line = f"{type(exc).__name__}: {exc}".splitlines()[0]
                raise EngineError(f"{text}: cannot read the events: {line}") from None
        source = Indexed(engine, index)
        side = engine.side.arrow
        places = native_dataset(side, Problems(), engine.title) if side else Dataset()
        table = None
        if not engine.layout.native and engine.layout.has_coordinates:
            # One count per (name, coordinates) over the whole source gives the markers.
            table = TablePlaces(source.place_counts(Query()))
        title = engine.title or Path(text).stem
        places = Dataset(title=title, places=table.places if table else places.places)
        return Opened(
            source,
            places,
            source.categories(),
            source.extent(),
            time.perf_counter() - started,
            table,
        )
    except BaseException:
        if index is not None:
            index.close()
        engine.close()
        raise


class EngineMode(QObject):
    """Drives the window's views from a query engine while a large source is open."""

    sigReady = Signal()  # the first counts are on the map and the timeline
    sigFailed = Signal(str)  # one line
    sigIndexed = Signal(object, float)  # the source indexed, seconds taken

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.state: ViewState = window.state
        self.timeline = EngineTimeline(self.state)
        self.timeline.sigRangeWanted.connect(self._range_wanted)
        self.worker = QueryWorker(self)
        self.worker.sigAnswered.connect(self._answered)
        self.worker.sigFailed.connect(self._failed)
        self.worker.sigBusy.connect(self._busy)
        self.source: Indexed | None = None
        self.opened: Opened | None = None
        self.answer: Answer | None = None
        self.opening: str | None = None
        self._range: tuple[float, float] | None = None
        self._overview_key: Any = None
        self._asked_key: Any = None
        self._ready_sent = False
        self._cancel_index: list[Any] = []
        self._indexing: threading.Thread | None = None
        self.indexed_seconds: float | None = None
        self.sigIndexed.connect(self._indexed)
        self.busy = QProgressBar()
        self.busy.setObjectName("engineBusy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setToolTip("The engine is counting")
        self.busy.hide()
        self.busy_label = QLabel()
        self._unsubscribe = self.state.subscribe(self._on_state)

    @property
    def active(self) -> bool:
        return self.source is not None

    def status_widgets(self) -> list[QWidget]:
        return [self.busy_label, self.busy]

    # -- opening ------------------------------------------------------------

    def open(self, text: str) -> None:
        """Open ``text`` (a path or an engine URL) on the worker; the window changes
        only once it is open (``sigFailed`` says why it could not be)."""
        self.opening = text
        self.busy_label.setText(f"Opening {text}…")
        self.worker.submit(lambda: _open(text))

    def _opened(self, opened: Opened) -> None:
        self.leave()
        self.source = opened.source
        self.opened = opened
        self._ready_sent = False
        self._range = opened.extent
        self._overview_key = None
        self._window.enter_engine_mode(self, opened)
        if opened.extent is not None:
            self.timeline.set_extent(*opened.extent)
        self.refresh()

    def _index(self, source: Indexed) -> None:
        """Build the span index on a thread of its own, reading through its own
        connection: counts come from the engine until it is built."""
        cancel: list[Any] = []
        self._cancel_index = cancel

        def build() -> None:
            started = time.perf_counter()
            index = source.index
            try:
                if index is not None:
                    index.sort(cancel)
                else:
                    index = build_index(source.engine, cancel, folder=index_folder())
            except Exception:  # noqa: BLE001  (interrupted, or unreadable: the engine answers)
                return
            if index is None:
                return
            if source.index is None:
                if any(not callable(c) for c in cancel):  # the source was closed meanwhile
                    index.close()
                    return
                source.index = index
            if not any(not callable(c) for c in cancel):
                self.sigIndexed.emit(source, time.perf_counter() - started)

        self._indexing = threading.Thread(target=build, name="chronomap-index", daemon=True)
        self._indexing.start()

    def _indexed(self, source: Indexed, seconds: float) -> None:
        if source is self.source:
            self.indexed_seconds = seconds
            self._window.statusBar().showMessage(
                f"Counts now come from an index of the source (built in {seconds:.1f} s)", 5000
            )

    def _stop_indexing(self) -> None:
        cancel, self._cancel_index = self._cancel_index, []
        cancel.append("stopped")  # an index finished after this is not announced
        if cancel and callable(cancel[0]):
            with contextlib.suppress(Exception):  # the build may be over, its connection closed
                cancel[0]()
        if self._indexing is not None:
            self._indexing.join(10.0)
            self._indexing = None

    def leave(self) -> None:
        """Back to a dataset in memory: the engine is closed."""
        if self.source is None:
            return
        source, self.source = self.source, None
        self.opened = None
        self.answer = None
        self.indexed_seconds = None
        self._stop_indexing()
        self._window.leave_engine_mode(self)
        self.worker.chore(source.close)

    # -- queries ------------------------------------------------------------

    def query(self) -> Query:
        return Query.of_view(self.state)

    def refresh(self) -> None:
        """Ask for what the views show now; a request still running is superseded."""
        source = self.source
        if source is None:
            return
        query = self.query()
        key = (query.hidden_categories, query.search, self._range)
        wants_overview = key != self._overview_key
        strip = None
        if wants_overview and self._range is not None:
            strip = Query(
                start=_moment(self._range[0]),
                end=_moment(self._range[1]),
                hidden_categories=query.hidden_categories,
                search=query.search,
            )

        table = self.opened.table if self.opened else None

        def job() -> Answer:
            total = source.total(query)
            fetched = source.fetch(query) if total <= FETCH_LIMIT else None
            if fetched is not None and table is not None:
                fetched = table.adopt(fetched)
            scans = not source.indexed(query)
            if fetched is not None and scans:
                # The engine would read every event again: count the few in hand.
                counts = place_counts_of(fetched)
            elif table is not None and query == Query():
                # Counted on opening, over the whole source: not counted again.
                counts = dict(table.totals)
            elif table is not None:
                counts = table.counts(source.place_counts(query))
            else:
                counts = {p.key: p.count for p in source.place_counts(query)}
            overview = None
            if strip is not None:
                if fetched is not None and scans and query.start is None and query.end is None:
                    overview = overview_of(fetched, source.bins(strip, BINS))
                else:
                    overview = source.overview(strip, bins=BINS)
            return Answer(query, counts, total, overview, fetched)

        self._asked_key = key
        self.worker.submit(job, interrupt=self._interrupt)

    def _interrupt(self) -> None:
        self._interrupt_of(self.source)()

    @staticmethod
    def _interrupt_of(source: Indexed | None):  # -> Callable[[], None]
        # Only an engine query can be long enough to need it (the index answers in ms).
        con = getattr(source.engine if source else None, "con", None)
        return con.interrupt if con is not None else (lambda: None)

    def _range_wanted(self, low: float, high: float) -> None:
        if self._range is not None and (low, high) != self._range:
            self._range = (low, high)
            self.refresh()

    def _on_state(self, changed: frozenset[str]) -> None:
        if self.source is None or DATASET in changed:
            return
        if changed & {WINDOW, CATEGORIES, SEARCH}:
            self.refresh()

    # -- answers ------------------------------------------------------------

    def _answered(self, number: int, value: Any) -> None:
        if isinstance(value, Opened):
            self.opening = None
            self._opened(value)
            return
        if not isinstance(value, Answer) or self.source is None:
            return
        if value.query != self.query():
            return  # the state moved on; its own request is on its way
        self.answer = value
        self._show_fetched(value.fetched)
        self._window.detail.set_hint(
            None
            if value.fetched is not None
            else f"{value.total:,} events match: too many to list. Narrow the time window, "
            f"the categories or the search to {FETCH_LIMIT:,} or fewer to list them here."
        )
        self._window.map.call("setCounts", value.counts, value.total)
        if value.overview is not None:
            # Kept only once drawn: a request superseded before its bins came back
            # leaves the next one to ask for them again.
            self._overview_key = self._asked_key
            self.timeline.set_overview(value.overview)
        self._window.update_status()
        if not self._ready_sent:
            self._ready_sent = True
            self._window.map.when_drawn(self.sigReady.emit)
            # Only now: on two cores, building it beside the first queries slows them.
            self._index(self.source)

    def _show_fetched(self, fetched: Dataset | None) -> None:
        """Few events match: they become the state's events, so the list, the detail
        panel and selection work on them as on any dataset; many: the places alone."""
        assert self.opened is not None
        places = self.opened.places
        if fetched is None:
            if self.state.dataset.events:
                self.state.update_dataset(places)
            return
        shown = replace(places, events=fetched.events, sources=fetched.sources)
        if self.opened.table is not None:
            # The table's places, and any the fetch names that the engine did not count.
            shown = replace(shown, places=fetched.places)
        self.state.update_dataset(shown)

    def _failed(self, number: int, line: str) -> None:
        self.busy_label.setText("")
        if self.source is not None:
            # The counts on screen are the last query's, not this one's: say so.
            self.answer = None
            self._window.detail.set_hint(line)
            self._window.update_status()
        self.sigFailed.emit(line)
        self.opening = None

    def _busy(self, on: bool) -> None:
        self.busy.setVisible(on)
        if not on:
            self.busy_label.setText("")

    def status_text(self) -> str:
        opened, answer = self.opened, self.answer
        if opened is None:
            return ""
        total = sum(opened.categories.values())
        parts = [f"{total:,} events (queried, not loaded)", f"{len(opened.places.places):,} places"]
        window = self.state.window
        if window is not None:
            parts.append(f"window {window_words(*window.days())}")
        if self.state.hidden_categories:
            parts.append(f"{len(self.state.hidden_categories)} categories hidden")
        if self.state.search:
            parts.append(f"search “{self.state.search}”")
        if answer is not None:
            parts.append(f"{answer.total:,} shown")
            if answer.fetched is not None:
                parts.append(f"{len(answer.fetched.events):,} fetched")
        return " · ".join(parts)

    def close(self) -> None:
        self._unsubscribe()
        self.timeline.close_state()
        source, self.source = self.source, None
        try:
            self._stop_indexing()
        finally:
            self.worker.stop(interrupt=self._interrupt_of(source))
            if source is not None:
                source.close()


def _moment(epoch: float) -> datetime | None:
    """The instant, or None (an open side) outside the years datetime holds."""
    try:
        return datetime.fromtimestamp(epoch, UTC)
    except (ValueError, OverflowError, OSError):
        return None

"""What the engines must answer, worked out from the dataset in memory with the window's rules."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from desktop.core.engine import Bins, Query
from desktop.core.model import Dataset, Event
from desktop.core.spans import event_spans
from desktop.core.view_state import TimeWindow, ViewState

FAR_PAST = datetime(1, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)


def visible(dataset: Dataset, query: Query) -> list[Event]:
    """The events the view state shows for the query's window, categories and search,
    then those with a place inside the box."""
    state = ViewState(dataset)
    if query.start is not None or query.end is not None:
        state.set_window(TimeWindow(query.start or FAR_PAST, query.end or FAR_FUTURE))
    state.set_hidden_categories(query.hidden_categories)
    state.set_search(query.search)
    events = state.visible_events()
    if query.bbox is not None:
        events = [e for e in events if inside(dataset, e, query)]
    return events


def inside(dataset: Dataset, event: Event, query: Query) -> bool:
    assert query.bbox is not None
    for pid in event.places:
        place = dataset.places.get(pid)
        anchor = place.anchor() if place else None
        if anchor is not None and query.bbox.contains(*anchor):
            return True
    return False


def place_counts(dataset: Dataset, query: Query) -> dict[str, int]:
    counted: Counter[str] = Counter()
    for event in visible(dataset, query):
        for pid in set(event.places):
            place = dataset.places.get(pid)
            if place is None:
                continue
            anchor = place.anchor()
            if query.bbox is not None and (anchor is None or not query.bbox.contains(*anchor)):
                continue
            counted[pid] += 1
    return dict(counted)


def overview(dataset: Dataset, query: Query, bins: Bins) -> dict[tuple[int, str], int]:
    events = visible(dataset, query)
    lower, _ = event_spans(events)
    index = bins.index(lower).tolist()
    return dict(Counter(zip(index, (e.category for e in events), strict=True)))


def as_cells(found) -> dict[tuple[int, str], int]:  # an engine's Overview
    return {
        (b, name): row[i]
        for b, row in enumerate(found.counts)
        for i, name in enumerate(found.categories)
        if row[i]
    }


def endless_database(path: Path) -> Path:
    """A DuckDB database whose ``events`` view has a trillion rows: no query over it
    ends in any reasonable time."""
    import duckdb

    con = duckdb.connect(str(path))
    con.execute(
        "CREATE VIEW events AS SELECT DATE '2020-01-01' + CAST(i % 1000 AS INTEGER) AS date, "
        "'x' || i AS title FROM range(1000000000000) t(i)"
    )
    con.close()
    return path

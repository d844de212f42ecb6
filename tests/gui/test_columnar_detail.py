"""A dataset whose events were read as columns (Parquet) shows every word in the window:
the detail panel has the summary, the note, the places and each source's quote; the
list its date, title and places. The events are built only as they are shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.display import plain_text
from desktop.core.formats.parquet_file import write_parquet_dataset
from desktop.core.lazy_events import LazyEvents
from desktop.core.load import load_dataset
from desktop.resources import builtin_dataset
from tests.gui.conftest import window_on

pytestmark = pytest.mark.gui


def test_detail_panel_of_an_event_read_as_columns(qtbot, tmp_path: Path, settings) -> None:
    canonical = load_dataset(builtin_dataset()).dataset
    path = tmp_path / "treaty.parquet"
    write_parquet_dataset(canonical, path)
    window = window_on(qtbot, settings, tmp_path, path)
    dataset = window.state.dataset
    assert "spans" in dataset._derived, "the events were not read as columns"
    assert isinstance(dataset.events, LazyEvents)
    event = next(e for e in dataset.events if e.summary and e.note and e.sources)
    cited = [c for c in canonical.citations if c.event == event.id and c.quote]
    assert cited, "the built-in dataset quotes its sources for this event"

    point = window.timeline.event_point(event.id).toPoint()
    qtbot.mouseClick(window.timeline.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.state.selection == (event.id,)
    shown = " ".join(window.detail.toPlainText().split())
    assert event.title in shown
    assert " ".join(plain_text(event.summary).split())[:80] in shown
    assert " ".join(event.note.split())[:80] in shown
    for citation in cited:
        assert " ".join(citation.quote.split())[:60] in shown
    for place in event.places:
        assert canonical.places[place].name in shown
    # The list's row for it: date as the source words it, title, place names.
    model = window.table.model()
    row = model.row_of(event.id)
    assert row is not None
    cells = [model.data(model.index(row, column)) for column in range(model.columnCount())]
    want = canonical.events[[e.id for e in canonical.events].index(event.id)]
    assert cells[0] == want.display_date()
    assert want.title in cells[1]
    assert all(canonical.places[p].name in cells[2] for p in want.places)
    window.close()


def test_the_window_opens_events_read_as_columns_building_few(
    qtbot, tmp_path: Path, settings
) -> None:
    """Opening builds the events the list and the timeline's labels show, not all."""
    from desktop.core.synthetic import make_dataset

    path = tmp_path / "many.parquet"
    write_parquet_dataset(make_dataset(20_000, seed=1), path)
    window = window_on(qtbot, settings, tmp_path, path, timeout=60_000)
    qtbot.waitUntil(lambda: window.timeline.drawn, timeout=60_000)
    events = window.state.dataset.events
    assert isinstance(events, LazyEvents)
    assert len(window.state.visible_ids()) == 20_000
    assert 0 < events.built() < len(events) // 2
    window.close()

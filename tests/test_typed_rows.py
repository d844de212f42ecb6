"""Typed JSON rows take a short way through the event builder: it must give
exactly what the long way gives, events and problems alike, for any row."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core import records
from desktop.core.model import Place, PlaceKind, Source
from desktop.core.problems import Problems
from desktop.core.records import Table, build_events
from desktop.core.typed_rows import typed_events

PLACES = {p: Place(p, p.title(), PlaceKind.POINT, 1.0, 2.0) for p in ("msk", "thr")}
SOURCES = {s: Source(s, "Pub", "Title") for s in ("s1", "s2")}

DATES = st.sampled_from(
    ["2025", "2025-01", "2025-01-17", "2025-01-17T14:30", "c. 2024", "2024/2025", "2025-02-30"]
    + ["1999-12", "", "  2025-03 ", "soon", "2026", "circa 2025-03", "2025 to 2026"]
)
TEXT = st.one_of(st.text(max_size=6), st.sampled_from(["", " a ", "x"]))
ANY = st.one_of(st.none(), TEXT, st.integers(-3, 3), st.floats(allow_nan=True), st.booleans())
IDS = st.one_of(
    st.lists(st.sampled_from(["msk", "thr", " msk", "nowhere", "", "s1", "s2", "s9"]), max_size=3),
    # As a CSV file or a workbook writes them.
    st.sampled_from(
        ["msk", "msk; thr", " thr , msk", "nowhere; msk", "", ";", "s1", "s2;s1", "s9"]
    ),
)
FLAGS = st.one_of(st.booleans(), st.sampled_from(["yes", "", " No ", "x", "maybe", "1", "true"]))
COLUMNS = [*records.SHEETS["events"].columns, "colour"]
# Rows as a program writes them (the short way's rows), some with a few cells
# replaced by anything at all.
WRITTEN = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["e1", "e2", "e3", " e1 ", ""]),
        "title": st.sampled_from(["Signed", "Met", "  "]),
        "start": DATES,
    },
    optional={
        "end": st.one_of(st.none(), DATES),
        "precision": st.sampled_from(["year", "month", "day", "Day ", "week", ""]),
        "approximate": FLAGS,
        "places": IDS,
        "sources": IDS,
        "tags": st.lists(TEXT, max_size=2),
        "category": TEXT,
        "summary": TEXT,
        "date_label": TEXT,
        "confidence": TEXT,
        "note": TEXT,
    },
)
CHANGES = st.dictionaries(st.sampled_from(COLUMNS), st.one_of(ANY, IDS, DATES), max_size=2)
ROW = st.builds(lambda row, changes: {**row, **changes}, WRITTEN, st.one_of(st.just({}), CHANGES))


def _no_short_way(rows, *args):
    return [None] * len(rows), False


def build(rows, short_way: bool, monkeypatch):
    if not short_way:
        monkeypatch.setattr(records, "typed_events", _no_short_way)
    table = Table("events.json#events", list(records.SHEETS["events"].columns), header_row=0)
    table.rows = [(n, dict(values)) for n, values in enumerate(rows, start=1)]
    problems = Problems()
    events = build_events(table, PLACES, SOURCES, problems)
    monkeypatch.undo()
    return events, [str(p) for p in problems]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(ROW, min_size=1, max_size=8))
def test_short_way_matches_long_way(rows):
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert build(rows, True, monkeypatch) == build(rows, False, monkeypatch)


def test_short_way_is_taken_for_a_canonical_row(monkeypatch):
    row = {
        "id": "e1",
        "title": "Signed",
        "start": "2025-01-17",
        "end": None,
        "precision": "day",
        "approximate": False,
        "places": ["msk", "thr"],
        "sources": ["s1"],
        "tags": [],
        "category": "treaty",
        "summary": "",
        "date_label": "",
        "confidence": "",
        "note": "",
    }
    (event,), _ = typed_events([row], records.SHEETS["events"].columns, PLACES, SOURCES)
    assert event is not None
    assert (event.id, event.places, event.start.iso()) == ("e1", ("msk", "thr"), "2025-01-17")
    assert build([row], True, monkeypatch) == build([row], False, monkeypatch)


def test_repeated_values_are_kept_once():
    """A million events repeat a few categories and lists of places: each is held once."""
    rows = [
        {"id": f"e{n}", "title": "Met", "start": "2025-01", "category": "treaty"}
        | {"places": ["msk", "thr"], "sources": ["s1"], "tags": ["a"]}
        for n in range(3)
    ]
    events, complete = typed_events(rows, records.SHEETS["events"].columns, PLACES, SOURCES)
    assert complete
    for field in ("category", "places", "sources", "tags", "start"):
        assert len({id(getattr(event, field)) for event in events}) == 1, field
    place_key = next(key for key in PLACES if key == "msk")
    assert events[0].places == ("msk", "thr") and events[0].places[0] is place_key
    with pytest.raises(FrozenInstanceError):  # built the quick way, frozen all the same
        events[0].title = "Changed"  # type: ignore[misc]


def test_any_text_survives_the_short_way():
    row = {"id": "e\ud800", "title": " Ünïcode ✓ ", "start": "2025"}
    (event,), complete = typed_events([row], records.SHEETS["events"].columns, PLACES, SOURCES)
    assert complete and event is not None
    assert (event.id, event.title) == ("e\ud800", "Ünïcode ✓")

"""Exports carry the window's filter bar: hidden categories and the search text."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from desktop.core.dates import parse_date
from desktop.core.load import load_dataset
from desktop.core.view_state import ViewState
from desktop.exports import ExportError
from desktop.exports.selection import subset
from desktop.exports.view import resolve_view, view_from_flags
from desktop.resources import builtin_dataset


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(builtin_dataset()).dataset


def test_hidden_categories_and_search_leave_what_the_window_shows(dataset):
    state = ViewState(dataset)
    state.set_hidden_categories({"diplomacy", "era"})
    state.set_search("  Treaty  MOSCOW ")
    expected = state.visible_ids()
    assert 0 < len(expected) < len(dataset.events)
    options = view_from_flags(dataset, hidden=("diplomacy", "era"), search="  Treaty  MOSCOW ")
    view = resolve_view(dataset, options)
    assert tuple(e.id for e in view.events) == expected
    assert "diplomacy" not in view.categories and "era" not in view.categories
    assert view.categories == tuple(sorted({dataset.event(i).category for i in expected}))
    assert (view.frozen.hidden, view.frozen.search) == (("diplomacy", "era"), "  Treaty  MOSCOW ")


def test_filter_applies_after_the_time_window(dataset):
    start, end = parse_date("2025-01-15").date, parse_date("2025-01-21").date
    windowed = resolve_view(dataset, view_from_flags(dataset, start=start, end=end))
    view = resolve_view(dataset, view_from_flags(dataset, start=start, end=end, hidden=("treaty",)))
    assert {e.id for e in view.events} == {e.id for e in windowed.events if e.category != "treaty"}
    assert "treaty-signed" not in {e.id for e in view.events}


def test_selected_event_the_filter_hides_stays_selected(dataset):
    # As a selection outside the time window does: selected, its sources in the footer.
    chosen = view_from_flags(dataset, select=("treaty-signed",), hidden=("treaty",))
    view = resolve_view(dataset, chosen)
    assert view.selected == ("treaty-signed",)
    assert "treaty-signed" not in {e.id for e in view.events}
    first = dataset.sources[dataset.event("treaty-signed").sources[0]]
    assert view.sources[0].startswith(first.publisher)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            dict(
                hidden=("diplomacy", "energy", "era", "politics", "security", "transport", "treaty")
            ),
            "no events left after hiding diplomacy, energy, era, politics, security, transport, "
            "treaty: show one of them again",
        ),
        (dict(search="zzz-nowhere"), "no events match the search “zzz-nowhere”"),
        (
            dict(hidden=("energy",), search="azerbaijan gas"),
            "no events match the search “azerbaijan gas” with energy hidden",
        ),
    ],
)
def test_a_filter_that_leaves_nothing_is_explained(dataset, flags, message):
    view = view_from_flags(dataset, **flags)
    with pytest.raises(ExportError, match=message):
        resolve_view(dataset, view)
    with pytest.raises(ExportError, match=message):
        subset(dataset, view)


def test_json_export_without_a_category_still_loads(tmp_path, capsys):
    out = tmp_path / "no-treaty.json"
    assert (
        main(["export", "--json", str(out), "--hide-category", "treaty", "--hide-category", "Era"])
        == 0
    )
    categories = {e["category"] for e in json.loads(out.read_text(encoding="utf-8"))["events"]}
    assert "treaty" not in categories and "era" not in categories and categories
    loaded = load_dataset(out)
    assert loaded.errors == []
    full = load_dataset(builtin_dataset()).dataset
    assert len(loaded.dataset.events) == sum(
        e.category not in ("treaty", "era") for e in full.events
    )
    # Story steps keep only events that are still there.
    kept = {e.id for e in loaded.dataset.events}
    assert all(i in kept for s in loaded.dataset.story for i in s.events)


def test_json_export_with_a_search(tmp_path):
    out = tmp_path / "gas.json"
    assert main(["export", "--json", str(out), "--search", "GAS"]) == 0
    ids = [e.id for e in load_dataset(out).dataset.events]
    assert ids == ["gas-via-azerbaijan"]


def test_unknown_category_is_a_usage_error(tmp_path, capsys):
    out = tmp_path / "x.json"
    assert main(["export", "--json", str(out), "--hide-category", "military"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (
        "chronomap export: --hide-category military: no such category; known: "
        "diplomacy, energy, era, politics, security, transport, treaty"
    )
    assert not out.exists()


def test_a_search_with_no_match_fails_with_one_line(tmp_path, capsys):
    out = tmp_path / "x.json"
    assert main(["export", "--json", str(out), "--search", "zzz-nowhere"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "chronomap export: no events match the search “zzz-nowhere”: change the search (--search)"
    ]
    assert not out.exists()

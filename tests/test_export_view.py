"""What a snapshot shows for given options, before any pixels are drawn."""

from __future__ import annotations

import pytest

from desktop.core.dates import parse_date
from desktop.core.load import load_dataset
from desktop.exports import ExportError
from desktop.exports.view import resolve_view, view_from_flags
from desktop.resources import builtin_dataset


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(builtin_dataset()).dataset


def d(text):
    return parse_date(text).date


def test_whole_dataset(dataset):
    view = resolve_view(dataset, view_from_flags(dataset))
    assert len(view.events) == len(dataset.events)
    assert view.title == dataset.title
    assert view.window_text() == "1991–2045"
    assert "Natural Earth" in view.footer() and "Izvestia" in view.footer()


def test_window_keeps_overlapping_events_and_year_events(dataset):
    view = resolve_view(
        dataset, view_from_flags(dataset, start=d("2025-01-15"), end=d("2025-01-21"))
    )
    ids = {e.id for e in view.events}
    assert {"treaty-signed", "trump-inauguration", "signing-delayed", "treaty-term"} <= ids
    assert "treaty-2001" not in ids and "assad-falls" not in ids
    # A month-precision event in the window's month may fall in it: it is kept.
    assert "jalali-announces" in ids
    assert view.window_text() == "15–21 Jan 2025"


def test_story_step_sets_title_window_selection_and_view(dataset):
    view = resolve_view(dataset, view_from_flags(dataset, step=5))
    assert view.title == "17 January 2025: signed in Moscow"
    assert view.selected == ("treaty-signed",)
    assert view.map_view is not None and round(view.map_view.lat) == 48
    first = dataset.sources[dataset.event("treaty-signed").sources[0]]
    assert view.sources[0].startswith(first.publisher)


def test_options_override_the_step(dataset):
    flags = view_from_flags(dataset, step=5, select=("raisi-death",), start=d("2024"))
    view = resolve_view(dataset, flags)
    assert view.selected == ("raisi-death",)
    # --from replaces the step's start; its end stays the step's.
    assert (view.start, view.end) == (d("2024"), dataset.story[4].end)
    assert view.title == dataset.story[4].title


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (dict(select=("nope",)), "--select nope: no event has this id"),
        (dict(start=d("1950"), end=d("1960")), "no events between 1950 and 1960"),
        (dict(step=99), "--step 99: the story has steps 1 to 9"),
    ],
)
def test_mistakes_are_explained(dataset, flags, message):
    with pytest.raises(ExportError, match=message):
        resolve_view(dataset, view_from_flags(dataset, **flags))

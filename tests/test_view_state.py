"""The shared view state: what is visible, and who hears about changes (no Qt)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.core import view_state
from desktop.core.dates import PartialDate
from desktop.core.model import Dataset, Event, Place, Source
from desktop.core.view_state import SEARCH, SELECTION, WINDOW, TimeWindow, ViewState


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def dataset() -> Dataset:
    return Dataset(
        title="t",
        events=[
            Event(
                "treaty",
                "Treaty signed",
                PartialDate(2025, 1, 17),
                category="diplomacy",
                places=("moscow",),
                sources=("tass",),
                summary="Comprehensive partnership",
            ),
            Event(
                "talks",
                "Talks in Baku",
                PartialDate(2024, 11),
                category="diplomacy",
                places=("baku",),
            ),
            Event(
                "gas",
                "Gas memorandum",
                PartialDate(2024),
                category="energy",
                places=("baku", "tehran"),
            ),
            Event("term", "Treaty term", PartialDate(2025), PartialDate(2045), category="era"),
        ],
        places={
            "moscow": Place("moscow", "Moscow", aliases=("Moskva",)),
            "baku": Place("baku", "Baku"),
            "tehran": Place("tehran", "Tehran"),
        },
        sources={"tass": Source("tass", "TASS", "Putin and Pezeshkian sign treaty")},
    )


def test_everything_visible_in_date_order(dataset: Dataset) -> None:
    state = ViewState(dataset)
    assert state.visible_ids() == ("gas", "talks", "term", "treaty")


def test_window_uses_the_whole_span_a_partial_date_covers(dataset: Dataset) -> None:
    state = ViewState(dataset)
    # December 2024 overlaps the year-precision "2024" event but not "2024-11".
    state.set_window(TimeWindow(utc(2024, 12, 1), utc(2024, 12, 31)))
    assert state.visible_ids() == ("gas",)
    # A window inside the 2025-2045 term shows the term.
    state.set_window(TimeWindow(utc(2030, 1, 1), utc(2031, 1, 1)))
    assert state.visible_ids() == ("term",)
    # The window's end is exclusive: it stops where the year 2025 starts.
    state.set_window(TimeWindow(utc(2024, 11, 15), utc(2025, 1, 1)))
    assert state.visible_ids() == ("gas", "talks")
    state.set_window(None)
    assert len(state.visible_ids()) == 4


def test_window_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        TimeWindow(utc(2025, 1, 2), utc(2025, 1, 1))


def test_categories_filter(dataset: Dataset) -> None:
    state = ViewState(dataset)
    state.set_category_shown("diplomacy", False)
    assert state.visible_ids() == ("gas", "term")
    state.set_category_shown("diplomacy", True)
    assert "treaty" in state.visible_ids()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BAKU", ("gas", "talks")),  # a place name, any case
        ("moskva", ("treaty",)),  # a place alias
        ("tass", ("treaty",)),  # a source publisher
        ("comprehensive", ("treaty",)),  # the summary
        ("gas tehran", ("gas",)),  # every word must match
        ("nothing-like-this", ()),
    ],
)
def test_search(dataset: Dataset, text: str, expected: tuple[str, ...]) -> None:
    state = ViewState(dataset)
    state.set_search(text)
    assert state.visible_ids() == expected


def test_notifies_only_on_real_change(dataset: Dataset) -> None:
    state = ViewState(dataset)
    heard: list[frozenset[str]] = []
    unsubscribe = state.subscribe(heard.append)
    state.select(["treaty", "treaty", "unknown"])
    state.select(["treaty"])  # the same selection again: no news
    state.set_search("baku")
    state.set_window(TimeWindow(utc(2024, 1, 1), utc(2025, 1, 1)))
    assert heard == [frozenset({SELECTION}), frozenset({SEARCH}), frozenset({WINDOW})]
    assert state.selection == ("treaty",)
    unsubscribe()
    state.clear_selection()
    assert len(heard) == 3


def test_select_place_picks_its_visible_events(dataset: Dataset) -> None:
    state = ViewState(dataset)
    state.select_place("baku")
    assert state.selection == ("gas", "talks")
    state.set_window(TimeWindow(utc(2024, 11, 1), utc(2024, 12, 1)))
    state.select_place("baku")
    assert state.selection == ("gas", "talks")  # both overlap November 2024
    state.set_category_shown("energy", False)
    state.select_place("baku")
    assert state.selection == ("talks",)


def test_new_dataset_resets_everything(dataset: Dataset) -> None:
    state = ViewState(dataset)
    state.select(["treaty"])
    state.set_search("baku")
    state.set_dataset(Dataset(events=[Event("x", "X", PartialDate(2000))]))
    assert state.selection == ()
    assert state.search == ""
    assert state.visible_ids() == ("x",)


@pytest.mark.parametrize("few", [5_000, 0], ids=["plain", "numpy"])
def test_place_counts_follow_the_filters_and_count_a_repeated_place_once(
    few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small datasets are counted without numpy; both ways must agree.
    monkeypatch.setattr(view_state, "_FEW", few)
    events = [
        Event("a", "A", PartialDate(2020), category="x", places=("p", "q", "p")),
        Event("b", "B", PartialDate(2021), category="y", places=("q", "nowhere")),
        Event("c", "C", PartialDate(2022, 5), category="x", places=("p",)),
    ]
    places = {pid: Place(pid, pid.upper(), lat=1.0, lon=2.0) for pid in ("p", "q", "r")}
    state = ViewState(Dataset(events=events, places=places))
    assert state.place_counts() == {"p": 2, "q": 2}
    assert state.visible_rows() is None
    state.set_hidden_categories({"y"})
    assert state.place_counts() == {"p": 2, "q": 1}
    assert state.place_counts(visible_only=False) == {"p": 2, "q": 2}
    state.set_window(TimeWindow(utc(2021, 6, 1), utc(2023, 1, 1)))
    assert state.visible_ids() == ("c",)
    assert state.visible_rows().tolist() == [2]
    assert state.place_counts() == {"p": 1}
    assert [state.rank(e) for e in ("a", "b", "c", "zz")] == [0, 1, 2, None]
    # A click on a place selects its visible events, else all it holds.
    state.select_place("q")
    assert state.selection == ("a", "b")
    state.select_place("p")
    assert state.selection == ("c",)

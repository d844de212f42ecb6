"""What an export shows: the events a view leaves shown, checked for mistakes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from desktop.core.briefing import window_dates
from desktop.core.dates import PartialDate
from desktop.core.model import Dataset, Event
from desktop.core.view_state import FrozenView, ViewState

from . import ExportError


def check_selection(dataset: Dataset, ids: Iterable[str]) -> None:
    for ident in ids:
        if not dataset.has_event(ident):
            raise ExportError(f"--select {ident}: no event has this id")


def written_dates(view: FrozenView) -> tuple[PartialDate | None, PartialDate | None]:
    """The view's window as a reader sees it: as written (the command line's dates, a
    story step's), else the whole days it covers; (None, None) without a window."""
    if view.window is None:
        return None, None
    if view.dates is not None:
        return view.dates
    step = view.step
    if step is not None and (step.start is not None or step.end is not None):
        return step.start, step.end  # a step on screen shows its own window
    return window_dates(view.window)


def shown_events(dataset: Dataset, view: FrozenView) -> list[Event]:
    """The events ``view`` shows, in date order: those in its window that its filter
    (hidden categories, search) leaves, by the window's own rules (a ViewState).

    ExportError when the window, or then the filter, leaves none.
    """
    state = ViewState(dataset)
    if view.window is not None:
        state.set_window(view.window)
        if not state.visible_ids():
            start, end = written_dates(view)
            raise ExportError(
                f"no events between {start.label() if start else 'the start'} and "
                f"{end.label() if end else 'the end'}: widen the window (--from/--to)"
            )
    if view.hidden or view.search.split():
        with state.batch():
            state.set_hidden_categories(view.hidden)
            state.set_search(view.search)
        if not state.visible_ids():
            raise ExportError(_nothing_left(view.hidden, view.search))
    return state.visible_events()


def _nothing_left(hidden: tuple[str, ...], search: str) -> str:
    names = ", ".join(c or "uncategorised" for c in hidden)
    text = search.strip()
    if not text:
        return f"no events left after hiding {names}: show one of them again (--hide-category)"
    if not hidden:
        return f"no events match the search “{text}”: change the search (--search)"
    return (
        f"no events match the search “{text}” with {names} hidden: "
        "change the search (--search) or show a category again (--hide-category)"
    )


def subset(dataset: Dataset, view: FrozenView) -> Dataset:
    """The dataset with only the events the view shows; selection ids are checked.

    Places, sources and story are kept whole so the export stays a valid dataset.
    """
    check_selection(dataset, view.selection)
    if view.window is None and not view.hidden and not view.search.split():
        return dataset
    return keeping(dataset, shown_events(dataset, view))


def keeping(dataset: Dataset, events: Iterable[Event]) -> Dataset:
    """The dataset with only these of its events (in its own order); story steps and
    citations keep only ids still there. The dataset itself when every event is kept."""
    kept = {e.id for e in events}
    if len(kept) == len(dataset.events):
        return dataset
    story = [replace(s, events=tuple(i for i in s.events if i in kept)) for s in dataset.story]
    return replace(
        dataset,
        events=[e for e in dataset.events if e.id in kept],
        story=story,
        citations=[c for c in dataset.citations if c.event in kept],
    )

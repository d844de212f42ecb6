"""What an export shows: the dataset cut to the time window and filter, checked for mistakes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from desktop.core.dates import PartialDate
from desktop.core.model import Dataset, Event
from desktop.core.view_state import ViewState

from . import ExportError, ExportOptions


def check_selection(dataset: Dataset, ids: Iterable[str]) -> None:
    for ident in ids:
        if not dataset.has_event(ident):
            raise ExportError(f"--select {ident}: no event has this id")


def in_window(
    events: Sequence[Event], start: PartialDate | None, end: PartialDate | None
) -> list[Event]:
    """Events whose span overlaps [start, end] (each bound covering its whole precision).

    A month-precision event in the window's month may fall inside it, so it is kept.
    """
    low = start.lower() if start else None
    high = end.upper() if end else None
    kept = [
        e for e in events if (low is None or e.upper() > low) and (high is None or e.lower() < high)
    ]
    if not kept:
        raise ExportError(
            f"no events between {start.iso() if start else 'the start'} and "
            f"{end.iso() if end else 'the end'}: widen the window (--from/--to)"
        )
    return kept


def filtered(
    dataset: Dataset, events: Sequence[Event], hidden: Iterable[str], search: str
) -> list[Event]:
    """The events the window's filter bar leaves shown: not in a hidden category, and
    matching the search by the window's own rule (a ViewState with no time window).
    """
    hidden = tuple(hidden)
    if not hidden and not search.split():
        return list(events)
    state = ViewState(dataset)
    state.set_hidden_categories(hidden)
    state.set_search(search)
    kept = [e for e in events if state.is_visible(e)]
    if not kept:
        raise ExportError(_nothing_left(hidden, search))
    return kept


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


def subset(dataset: Dataset, options: ExportOptions) -> Dataset:
    """The dataset with only the events overlapping the window and passing the filter;
    selection ids are checked.

    Places, sources and story are kept whole so the export stays a valid dataset.
    """
    check_selection(dataset, options.select)
    windowed = options.start is not None or options.end is not None
    if not windowed and not options.hidden and not options.search.split():
        return dataset
    events = in_window(dataset.events, options.start, options.end) if windowed else dataset.events
    return keeping(dataset, filtered(dataset, events, options.hidden, options.search))


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

"""What an export shows: the dataset cut to the asked time window, checked for mistakes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from desktop.core.dates import PartialDate
from desktop.core.model import Dataset, Event

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


def subset(dataset: Dataset, options: ExportOptions) -> Dataset:
    """The dataset with only the events overlapping the window; selection ids are checked.

    Places, sources and story are kept whole so the export stays a valid dataset.
    """
    check_selection(dataset, options.select)
    if options.start is None and options.end is None:
        return dataset
    events = in_window(dataset.events, options.start, options.end)
    kept = {e.id for e in events}
    story = [replace(s, events=tuple(i for i in s.events if i in kept)) for s in dataset.story]
    return replace(dataset, events=events, story=story)

"""What an export shows: the dataset cut to the asked time window, checked for mistakes."""

from __future__ import annotations

from dataclasses import replace

from desktop.core.model import Dataset

from . import ExportError, ExportOptions


def subset(dataset: Dataset, options: ExportOptions) -> Dataset:
    """The dataset with only the events overlapping the window; selection ids are checked.

    Places, sources and story are kept whole so the export stays a valid dataset.
    """
    for ident in options.select:
        if not dataset.has_event(ident):
            raise ExportError(f"--select {ident}: no event has this id")
    if options.start is None and options.end is None:
        return dataset
    low = options.start.lower() if options.start else None
    high = options.end.upper() if options.end else None
    events = [
        e
        for e in dataset.events
        if (low is None or e.upper() > low) and (high is None or e.lower() < high)
    ]
    if not events:
        raise ExportError(
            f"no events between {options.start or 'the start'} and {options.end or 'the end'}: "
            "widen --from/--to"
        )
    kept = {e.id for e in events}
    story = [replace(s, events=tuple(i for i in s.events if i in kept)) for s in dataset.story]
    return replace(dataset, events=events, story=story)

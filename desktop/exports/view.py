"""What a snapshot shows, worked out once for every format (Qt-free).

The PNG, the deck slides and the HTML page all show the same thing for the
same options: the events in the time window that the filter (hidden
categories, search) leaves shown, the selection, the story step's
title, caption and map view, a legend of the categories shown, and a footer
naming the sources of the events shown and the basemap's attribution.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core import flags
from desktop.core.dates import PartialDate, span_text
from desktop.core.model import Dataset, Event, MapView, StoryStep

from . import ExportError, ExportOptions
from .selection import check_selection, filtered, in_window

NATURAL_EARTH = "Basemap: Natural Earth (public domain)"
OPENSTREETMAP = "© OpenStreetMap contributors"


@dataclass(frozen=True)
class ExportView:
    title: str
    caption: str
    events: tuple[Event, ...]
    selected: tuple[str, ...]
    start: PartialDate | None
    end: PartialDate | None
    step: StoryStep | None
    map_view: MapView | None
    categories: tuple[str, ...]
    sources: tuple[str, ...]
    attribution: str
    # The filter the events passed, for views that draw from the whole dataset.
    hidden: tuple[str, ...] = ()
    search: str = ""

    def window_text(self) -> str:
        if self.start is None and self.end is None:
            if not self.events:
                return ""
            # Each distinct end date's bound is worked out once: many events share one.
            first = min(self.events, key=Event.sort_key).start
            ends = {id(d): d for d in (e.end or e.start for e in self.events)}
            last = max(ends.values(), key=PartialDate.upper)
            return f"{first.iso()} – {last.iso()}"
        return span_text(self.start, self.end)

    def footer(self) -> str:
        if not self.sources:
            return f"{self.attribution}."
        return "Sources: " + "; ".join(self.sources) + f". {self.attribution}."


def story_step(dataset: Dataset, number: int) -> StoryStep:
    steps = dataset.story
    if not steps:
        raise ExportError(f"--step {number}: this dataset has no story")
    if not 1 <= number <= len(steps):
        raise ExportError(f"--step {number}: the story has steps 1 to {len(steps)}")
    return steps[number - 1]


def source_line(dataset: Dataset, source_id: str) -> str:
    return flags.source_label(dataset.sources[source_id])


def resolve_view(
    dataset: Dataset, options: ExportOptions, online_basemap: bool = False
) -> ExportView:
    step = story_step(dataset, options.step) if options.step is not None else None
    start = options.start or (step.start if step else None)
    end = options.end or (step.end if step else None)
    selected = options.select or (step.events if step else ())
    check_selection(dataset, selected)
    windowed = in_window(dataset.sorted_events(), start, end)
    # Selected events the filter hides stay selected, as those outside the window do.
    events = tuple(filtered(dataset, windowed, options.hidden, options.search))
    # Selected events lead the footer: they are what the audience is looking at.
    shown_ids = [i for i in selected] + [e.id for e in events if e.id not in selected]
    found: dict[str, None] = {}  # ordered, and a dict lookup, not a list search
    for ident in shown_ids:
        found.update(dict.fromkeys(dataset.event(ident).sources))
    source_ids = [sid for sid in found if sid in dataset.sources]
    attribution = NATURAL_EARTH + (f"; map tiles {OPENSTREETMAP}" if online_basemap else "")
    return ExportView(
        title=step.title if step else dataset.title,
        caption=step.caption if step else dataset.description,
        events=events,
        selected=tuple(selected),
        start=start,
        end=end,
        step=step,
        map_view=step.view if step else None,
        categories=tuple(sorted({e.category for e in events})),
        sources=tuple(source_line(dataset, s) for s in source_ids),
        attribution=attribution,
        hidden=options.hidden,
        search=options.search,
    )

"""What a snapshot shows, worked out once for every format (Qt-free).

An export shows a view: a FrozenView, the window's view state frozen (its
exact window, selection, filter and the story step on screen), or one made
from the command line's options (``view_from_flags``). The PNG, the deck
slides and the HTML page all show the same thing for the same view: the
events in the time window that the filter (hidden categories, search) leaves
shown, the selection, the story step's title, caption and map view, a legend
of the categories shown, and a footer naming the sources of the events shown
and the basemap's attribution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from desktop.core import flags
from desktop.core.briefing import dates_window
from desktop.core.dates import PartialDate
from desktop.core.display import plain_text, span_words, window_words
from desktop.core.model import Dataset, Event, MapView, StoryStep
from desktop.core.view_state import FrozenView, TimeWindow

from . import ExportError
from .selection import check_selection, shown_events, written_dates

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
    # The view itself, for exports that draw from the whole dataset (the snapshot's widgets).
    frozen: FrozenView

    def window_text(self) -> str:
        if self.start is None and self.end is None:
            if not self.events:
                return ""
            # Each distinct end date's bound is worked out once: many events share one.
            first = min(self.events, key=Event.sort_key).start
            ends = {id(d): d for d in (e.end or e.start for e in self.events)}
            last = max(ends.values(), key=PartialDate.upper_epoch)
            return span_words(first, last)
        return window_words(self.start, self.end)

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


def view_from_flags(
    dataset: Dataset,
    *,
    start: PartialDate | None = None,
    end: PartialDate | None = None,
    select: Sequence[str] = (),
    step: int | None = None,
    hidden: Sequence[str] = (),
    search: str = "",
) -> FrozenView:
    """The view the command line's options ask for: --from/--to (each covering its whole
    precision, an open side running to the data's end), --select, --step N (its window
    and events unless --from/--to and --select say otherwise), --hide-category, --search."""
    check_selection(dataset, select)
    window = dates_window(dataset, start, end)
    view = FrozenView(
        selection=tuple(select),
        window=window,
        hidden=tuple(hidden),
        search=search,
        dates=(start, end) if window is not None else None,
    )
    return view if step is None else with_step(dataset, story_step(dataset, step), view)


def with_step(dataset: Dataset, step: StoryStep, view: FrozenView) -> FrozenView:
    """``view`` showing a story step: the step's window and events, unless ``view`` gives its
    own (an exact window as a whole; dates as written side by side: --from alone keeps the
    step's end)."""
    window: TimeWindow | None = view.window
    if window is not None and view.dates is None:
        dates = None
    else:
        start, end = view.dates or (None, None)
        start, end = start or step.start, end or step.end
        window = dates_window(dataset, start, end)
        dates = (start, end) if window is not None else None
    events = view.selection or tuple(i for i in step.events if dataset.has_event(i))
    return replace(view, step=step, window=window, dates=dates, selection=events)


def deck_views(dataset: Dataset, view: FrozenView) -> list[FrozenView]:
    """One view per slide: the step on screen alone, else every step of the story."""
    if not dataset.story:
        raise ExportError(
            "this dataset has no story: add steps to story.csv (or the story sheet) "
            "or build them in the app with 'Add current view as step'"
        )
    if view.step is not None:
        return [view]
    return [with_step(dataset, step, view) for step in dataset.story]


def source_line(dataset: Dataset, source_id: str) -> str:
    return flags.source_label(dataset.sources[source_id])


def resolve_view(dataset: Dataset, view: FrozenView, online_basemap: bool = False) -> ExportView:
    """Everything a snapshot of ``view`` writes and draws, or ExportError saying what to fix."""
    step = view.step
    selected = view.selection
    check_selection(dataset, selected)
    start, end = written_dates(view)
    # Selected events the filter hides stay selected, as those outside the window do.
    events = tuple(shown_events(dataset, view))
    # Selected events lead the footer: they are what the audience is looking at.
    shown_ids = [i for i in selected] + [e.id for e in events if e.id not in selected]
    found: dict[str, None] = {}  # ordered, and a dict lookup, not a list search
    for ident in shown_ids:
        found.update(dict.fromkeys(dataset.event(ident).sources))
    source_ids = [sid for sid in found if sid in dataset.sources]
    attribution = NATURAL_EARTH + (f"; map tiles {OPENSTREETMAP}" if online_basemap else "")
    return ExportView(
        # Titles and captions go on pictures and slides: Markdown and HTML read as text.
        title=plain_text(step.title if step else dataset.title, paragraphs=False),
        caption=plain_text(step.caption if step else dataset.description, paragraphs=False),
        events=events,
        selected=tuple(selected),
        start=start,
        end=end,
        step=step,
        map_view=step.view if step else None,
        categories=tuple(sorted({e.category for e in events})),
        sources=tuple(source_line(dataset, s) for s in source_ids),
        attribution=attribution,
        frozen=view,
    )

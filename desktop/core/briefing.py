"""What a presenter does, without the screen: step through a story, black out, play time.

The presenter window turns key presses into calls on ``Briefing`` and shows
each step with ``show_step``; ``Playback`` turns elapsed time into a time
window. All plain Python so the rules (what "3 Enter" or "End" does, what a
step shows, how a rolling window moves) are tested without Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .dates import PartialDate
from .framing import view_frame
from .model import Dataset, MapView, StoryStep
from .view_state import TimeWindow, ViewState


class Briefing:
    """The current step of a story, the black screen, and a typed step number."""

    def __init__(self, steps: list[StoryStep]):
        if not steps:
            raise ValueError("this dataset has no story to present")
        self.steps = steps
        self.index = 0
        self.blacked_out = False
        self.typed = ""
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    @property
    def step(self) -> StoryStep:
        return self.steps[self.index]

    @property
    def next_step(self) -> StoryStep | None:
        return self.steps[self.index + 1] if self.index + 1 < len(self.steps) else None

    @property
    def number(self) -> int:
        return self.index + 1

    def go(self, index: int) -> None:
        index = max(0, min(index, len(self.steps) - 1))
        # Any move lifts the black screen: the audience should see where we went.
        if index != self.index or self.blacked_out:
            self.index = index
            self.blacked_out = False
            self._changed()

    def next(self) -> None:
        self.go(self.index + 1)

    def previous(self) -> None:
        self.go(self.index - 1)

    def first(self) -> None:
        self.go(0)

    def last(self) -> None:
        self.go(len(self.steps) - 1)

    def toggle_black(self) -> None:
        self.blacked_out = not self.blacked_out
        self._changed()

    def type_digit(self, digit: str) -> None:
        if digit.isdigit() and len(self.typed) < 4:
            self.typed += digit

    def enter(self) -> bool:
        """Jump to the typed step number; False (and nothing moves) when none was typed."""
        typed, self.typed = self.typed, ""
        if not typed:
            return False
        self.go(int(typed) - 1)
        return True


def step_window(dataset: Dataset, step: StoryStep) -> TimeWindow | None:
    """The time window a step shows: its dates' whole spans; an open side runs to the data's end.

    None when the step gives no dates at all (the whole story is shown).
    """
    return dates_window(dataset, step.start, step.end)


def dates_window(
    dataset: Dataset, start: PartialDate | None, end: PartialDate | None
) -> TimeWindow | None:
    """The window from ``start`` to ``end``, each covering its whole precision; an open side
    runs to the data's end; None when neither is given (or there are no events to end at)."""
    if start is None and end is None:
        return None
    events = dataset.events
    # Epoch seconds: exact for BCE years too.
    low = (
        start.lower_epoch() if start else min((e.start.lower_epoch() for e in events), default=None)
    )
    high = (
        end.upper_epoch()
        if end
        else max(((e.end or e.start).upper_epoch() for e in events), default=None)
    )
    if low is None or high is None:
        return None
    return TimeWindow.from_epochs(min(low, high), max(low, high))


def show_step(state: ViewState, step: StoryStep, animate: bool = True) -> None:
    """Put a story step on screen: its window, its events selected, the map and the
    timeline framed on it (flying and panning there if ``animate``). One change.

    The story panel (a click on a step) and the presenter (each key press)
    both come here, so a step looks the same whether it is checked while
    editing or shown to a room.
    """
    with state.batch():
        state.set_window(step_window(state.dataset, step))
        state.select(step.events)
        state.set_step(step)
        state.set_frame(view_frame(state, step.view, animate))


def window_dates(window: TimeWindow) -> tuple[PartialDate, PartialDate]:
    """Whole days covering ``window``: the day it starts and the day holding its last instant.

    A window from midnight to midnight comes back unchanged through
    ``step_window``; any other is widened to whole days, never narrowed.
    """
    return window.days()


def capture_step(
    title: str,
    events: tuple[str, ...],
    window: TimeWindow | None,
    view: MapView | None,
    order: int = 0,
) -> StoryStep:
    """A story step for what the analyst is looking at (order is set when it joins a story)."""
    start, end = window_dates(window) if window is not None else (None, None)
    return StoryStep(order, title, events=tuple(events), start=start, end=end, view=view)


class PlayMode(StrEnum):
    CUMULATIVE = "cumulative"  # everything from the start up to now
    ROLLING = "rolling"  # only the last ``width`` of time


@dataclass
class Playback:
    """Maps play time to a window on the dataset's time axis."""

    start: datetime
    end: datetime
    mode: PlayMode = PlayMode.CUMULATIVE
    width: timedelta = timedelta(days=90)
    # How much dataset time passes per second of play.
    speed: timedelta = timedelta(days=30)
    position: datetime | None = None
    playing: bool = False

    @classmethod
    def for_dataset(cls, dataset: Dataset, **options) -> Playback:
        events = dataset.events
        if not events:
            raise ValueError("nothing to play: the dataset has no events")
        start = min(e.lower() for e in events)
        end = max(e.upper() for e in events)
        return cls(start, end, **options)

    def window(self) -> tuple[datetime, datetime]:
        now = self.position or self.start
        if self.mode is PlayMode.ROLLING:
            return (max(self.start, now - self.width), now)
        return (self.start, now)

    def advance(self, seconds: float) -> bool:
        """Move on by ``seconds`` of play; False once the end is reached (and playing stops)."""
        now = (self.position or self.start) + self.speed * seconds
        if now >= self.end:
            self.position = self.end
            self.playing = False
            return False
        self.position = now
        return True

    def faster(self) -> None:
        self.speed *= 2

    def slower(self) -> None:
        self.speed = max(self.speed / 2, timedelta(hours=1))

    def rewind(self) -> None:
        self.position = self.start

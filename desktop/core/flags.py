"""How far to trust an event, in the words the audience reads: defined once, here.

An event's confidence (confirmed, reported or contested), whether it draws on
the public record outside its cited articles (background), and whether it
rests on secondary sources alone. The window (detail panel, list, timeline),
the HTML export, the PNG and the decks all take their labels, cues and
legends from this module, so a briefing never tells one audience less than
another.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter

from .display import date_words, plain_text
from .model import Dataset, Event, Source


@dataclass(frozen=True)
class Flag:
    key: str
    label: str
    meaning: str  # one line for a legend
    # Shown beside the event wherever it is listed (timeline, list, strip), not
    # only in its detail: the flags an audience must not miss.
    cue: bool


CONFIRMED = Flag(
    "confirmed",
    "confirmed",
    "stated as fact by the cited sources, or on the record (an official act or statement)",
    cue=False,
)
REPORTED = Flag(
    "reported",
    "reported",
    "one outlet's or one analyst's account, not confirmed by the other sources",
    cue=True,
)
CONTESTED = Flag(
    "contested",
    "contested",
    "denied by those involved, or the sources disagree",
    cue=True,
)
BACKGROUND = Flag(
    "background",
    "background",
    "partly or wholly from the public record, outside the cited articles (its note says what)",
    cue=True,
)
SECONDARY_ONLY = Flag(
    "secondary-only",
    "secondary sources only",
    "cited only to rewrites of other outlets' reporting, which do not corroborate it",
    cue=True,
)
CONFIDENCES = (CONFIRMED, REPORTED, CONTESTED)
ALL = (*CONFIDENCES, BACKGROUND, SECONDARY_ONLY)
BY_KEY = {f.key: f for f in ALL}
# The tag that marks an event background (tags travel through every format).
BACKGROUND_TAG = "background"


def confidence_of(event: Event) -> Flag | None:
    """The event's confidence, if it is one of the three words (any case)."""
    flag = BY_KEY.get(event.confidence.strip().casefold())
    return flag if flag in CONFIDENCES else None


def is_background(event: Event) -> bool:
    return any(tag.casefold() == BACKGROUND_TAG for tag in event.tags)


def rests_on_secondary(event: Event, dataset: Dataset) -> bool:
    """Every source the event cites is secondary (none is independent of the others)."""
    cited = [dataset.sources[s] for s in event.sources if s in dataset.sources]
    return bool(cited) and all(s.secondary for s in cited)


def flags_of(event: Event, dataset: Dataset | None = None) -> tuple[Flag, ...]:
    """Every flag the event carries, in legend order; with ``dataset``, also
    whether it rests on secondary sources alone."""
    found = []
    confidence = confidence_of(event)
    if confidence is not None:
        found.append(confidence)
    if event.tags and is_background(event):
        found.append(BACKGROUND)
    if dataset is not None and rests_on_secondary(event, dataset):
        found.append(SECONDARY_ONLY)
    return tuple(found)


def _cue(found: Iterable[Flag]) -> str:
    return " · ".join(f.label for f in found if f.cue)


def with_cue(title: str, cue: str) -> str:
    """A title as a list or a timeline shows it: its cue in brackets ahead of it,
    so that a label cut short still shows it."""
    return f"[{cue}] {title}" if cue else title


def _label(title: str, found: Iterable[Flag]) -> str:
    return with_cue(title, _cue(found))


def cue_text(event: Event, dataset: Dataset | None = None) -> str:
    """ "contested · background", or "" for an event with nothing to warn of."""
    return _cue(flags_of(event, dataset))


def labelled(event: Event, dataset: Dataset | None = None) -> str:
    """The title as a list or a timeline shows it: its cues in brackets ahead of
    it, so that a label cut short still shows them."""
    return _label(event.title, flags_of(event, dataset))


def _each(events: Sequence[Event], dataset: Dataset) -> list[tuple[Flag, ...]]:
    """``flags_of()`` for many events: they share a few confidences, lists of tags
    and of sources, so each distinct combination is worked out once."""
    secondary = any(s.secondary for s in dataset.sources.values())
    # The keys are built in C (zip, map) rather than event by event: a million events.
    parts = [list(map(attrgetter("confidence"), events)), list(map(attrgetter("tags"), events))]
    if secondary:
        parts.append(list(map(attrgetter("sources"), events)))
    keys = list(zip(*parts, strict=True))
    # One event per distinct key (its last: any event with the key has its flags).
    where = dict(zip(keys, range(len(keys)), strict=True))
    done = {key: flags_of(events[i], dataset) for key, i in where.items()}
    return list(map(done.__getitem__, keys))


def keys_of(events: Sequence[Event], dataset: Dataset) -> list[tuple[str, ...]]:
    return [tuple(f.key for f in found) for found in _each(events, dataset)]


def cue_texts(events: Sequence[Event], dataset: Dataset) -> list[str]:
    """``cue_text()`` for many events (each distinct set of flags joined once)."""
    found = _each(events, dataset)
    texts = {f: _cue(f) for f in set(found)}
    return list(map(texts.__getitem__, found))


def legend(events: Sequence[Event], dataset: Dataset) -> list[Flag]:
    """The flags the events carry, in legend order, for a legend beside them."""
    present = {f for found in set(_each(events, dataset)) for f in found}
    return [f for f in ALL if f in present]


def text_legend(events: Sequence[Event], dataset: Dataset, most: int = 12) -> list[str]:
    """Plain lines for a deck's text: each flagged event as the timeline labels it,
    then what each flag shown means."""
    found = _each(events, dataset)
    flagged = [_label(e.title, f) for e, f in zip(events, found, strict=True) if _cue(f)]
    if not flagged:
        return []
    lines = flagged[:most]
    if len(flagged) > most:
        lines.append(f"… and {len(flagged) - most} more flagged events")
    present = {f for each_found in set(found) for f in each_found if f.cue}
    lines += [f"{f.label}: {f.meaning}" for f in ALL if f in present]
    return lines


# What a reference line says of a secondary source.
SECONDARY_SOURCE = "secondary: rewrites other outlets' reporting"


def source_title(source: Source, title: str | None = None) -> str:
    """The article's own headline in quotation marks; a title that only describes
    an article with no headline in square brackets, never passed off as one.
    title: the title as the caller shows it (plain text, say), else as written."""
    title = source.title if title is None else title
    return f"“{title}”" if source.headline else f"[{title}]"


def source_label(source: Source) -> str:
    """A source as a reference line: publisher, title, date, and whether it is secondary."""
    date = f" ({date_words(source.date)})" if source.date else ""
    secondary = f"; {SECONDARY_SOURCE}" if source.secondary else ""
    # A reference line is plain text: Markdown and HTML in the data read as words.
    publisher, title = (plain_text(t, paragraphs=False) for t in (source.publisher, source.title))
    return f"{publisher}, {source_title(source, title)}{date}{secondary}"


def evidence_problems(events: Sequence[Event]) -> Iterator[tuple[Event, str, str]]:
    """(event, column, message) for what the audience would be shown wrongly: a
    confidence not among the three words (said once per word, at its first
    event), a background event with no note saying where its facts come from."""
    known = {f.key for f in CONFIDENCES}
    words = Counter(e.confidence for e in events)
    odd = {c: n for c, n in words.items() if c and c.strip().casefold() not in known}
    if not odd and not any(e.tags for e in events):
        return
    listed = ", ".join(sorted(known))
    for event in events:
        count = odd.pop(event.confidence, 0)
        if count:
            also = f" ({count} events say it)" if count > 1 else ""
            yield (
                event,
                "confidence",
                f"confidence {event.confidence!r} is not one of {listed}: "
                f"it is shown as written, with no legend{also}",
            )
        if event.tags and not event.note and is_background(event):
            yield (
                event,
                "note",
                "a background event needs a note saying where its facts come from",
            )

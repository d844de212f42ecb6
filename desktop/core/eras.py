"""What an era is: context shaded behind the timeline's lanes, not an event to pick out.

Defined once, here, for every reader, view and export: an event whose
category or one of whose tags is "era" (a TimelineJS era, a treaty's term),
or any interval of ten years or more.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .model import Event

ERA = "era"
# An interval this long is background context (a treaty's 20-year term), not
# an event to pick out, whatever its category.
ERA_MIN_YEARS = 10
ERA_MIN_SECONDS = ERA_MIN_YEARS * 365.25 * 86400


def _named_era(words: Sequence[str]) -> bool:
    return any(word.casefold() == ERA for word in words)


def is_era(event: Event) -> bool:
    if _named_era((event.category, *event.tags)):
        return True
    return event.end is not None and (
        event.end.upper_epoch() - event.start.lower_epoch() >= ERA_MIN_SECONDS
    )


def era_mask(events: Sequence[Event], lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """``is_era`` for every event at once, given their spans in epoch seconds.

    Categories and lists of tags repeat across a large dataset: each distinct
    one is looked at once.
    """
    categories = [e.category for e in events]
    tags = [e.tags for e in events]
    era_categories = {c for c in set(categories) if _named_era((c,))}
    era_tags = {t for t in set(tags) if _named_era(t)}
    has_end = np.fromiter((e.end is not None for e in events), bool, len(events))
    named = np.fromiter(
        (c in era_categories or t in era_tags for c, t in zip(categories, tags, strict=True)),
        bool,
        len(events),
    )
    return named | (has_end & (upper - lower >= ERA_MIN_SECONDS))

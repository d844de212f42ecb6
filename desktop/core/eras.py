"""What an era is: context shaded behind the timeline's lanes, not an event to pick out.

Defined once, here, for every reader, view and export: an event whose
category or one of whose tags is "era" (a TimelineJS era, a treaty's term).
A long interval that does not say so (a reign, a war in a list of wars) is a
bar in its own lane: a file of reigns drawn as bands would pile them up.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .model import Event

ERA = "era"


def _named_era(words: Sequence[str]) -> bool:
    return any(word.casefold() == ERA for word in words)


def is_era(event: Event) -> bool:
    return _named_era((event.category, *event.tags))


def era_mask(events: Sequence[Event]) -> np.ndarray:
    """``is_era`` for every event at once.

    Categories and lists of tags repeat across a large dataset: each distinct
    one is looked at once.
    """
    categories = [e.category for e in events]
    tags = [e.tags for e in events]
    era_categories = {c for c in set(categories) if _named_era((c,))}
    era_tags = {t for t in set(tags) if _named_era(t)}
    return np.fromiter(
        (c in era_categories or t in era_tags for c, t in zip(categories, tags, strict=True)),
        bool,
        len(events),
    )

"""What an era is: context shaded behind the timeline's lanes, not an event to pick out.

Defined once, here, for every reader, view and export: an event whose
category or one of whose tags is "era" (a TimelineJS era, a treaty's term).
A long interval that does not say so (a reign, a war in a list of wars) is a
bar in its own lane: a file of reigns drawn as bands would pile them up.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import TYPE_CHECKING

from .model import Event

if TYPE_CHECKING:
    import numpy as np

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
    # Imported here: the map page's cache key needs this module's ERA at start-up,
    # before numpy is needed for anything else.
    import numpy as np

    from .lazy_events import field_codes

    by_category, by_tags = field_codes(events, "category"), field_codes(events, "tags")
    if by_category is not None and by_tags is not None:
        # Read as columns: each distinct value looked at, and taken by code.
        mask = np.array([_named_era((c,)) for c in by_category[0]], bool)[by_category[1]]
        mask |= np.array([_named_era(t) for t in by_tags[0]], bool)[by_tags[1]]
        return mask  # type: ignore[no-any-return]
    categories = list(map(attrgetter("category"), events))
    tags = list(map(attrgetter("tags"), events))
    era_categories = {c for c in set(categories) if _named_era((c,))}
    era_tags = {t for t in set(tags) if _named_era(t)}
    mask = np.zeros(len(events), bool)
    # Most datasets have no era at all: then nothing is looked up event by event.
    if era_categories:
        mask |= np.array(list(map(era_categories.__contains__, categories)), bool)
    if era_tags:
        mask |= np.array(list(map(era_tags.__contains__, tags)), bool)
    return mask

"""Category colours shared by the timeline and the map (Qt-free).

Okabe and Ito's palette stays distinguishable under the common colour-vision
deficiencies. Colours go to categories in sorted order so the timeline and the
map, asking separately, always agree; the yellow and black come last because
yellow vanishes on a light land colour and black reads as "text".
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.core.eras import ERA

OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

# Events with no category are drawn in a neutral grey, outside the cycle.
UNCATEGORISED = "#999999"
# Eras are shaded behind the other events, not competing with them, so they
# take a quiet slate outside the cycle and leave the strong colours to events.
ERA_COLOR = "#8DA0AE"


def category_colors(
    categories: Iterable[str], fixed: Iterable[tuple[str, str]] = ()
) -> dict[str, str]:
    """Map each distinct category to a hex colour; more than eight categories cycle.

    fixed: colours already given (``Dataset.palette``, kept while editing): those
    categories keep them, and the others take the colours still free first.
    """
    given = set(categories)
    kept = {c: color for c, color in fixed if c in given and c and c != ERA}
    named = sorted(c for c in given if c and c != ERA and c not in kept)
    free = [c for c in OKABE_ITO if c not in kept.values()]
    cycle = free + [c for c in OKABE_ITO if c not in free]
    colors = {name: cycle[i % len(cycle)] for i, name in enumerate(named)}
    colors.update(kept)
    if ERA in given:
        colors[ERA] = ERA_COLOR
    if "" in given:
        colors[""] = UNCATEGORISED
    return colors

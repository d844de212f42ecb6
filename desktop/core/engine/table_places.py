"""The places of a table of events read through an engine (ACLED-like: a place
name and coordinates on every row).

A native source names its places in a table of their own; a plain table has
only each row's name and coordinates, and the engine counts events per
(name, latitude, longitude). Those become the window's places once, on
opening, with ids that stay the same for the whole session, so the map's
counts for any window and the few events fetched refer to the same markers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from ..formats.interop import slug, unique
from ..model import Dataset, Place
from .query import PlaceCount

# Coordinates are compared at about 10 cm: the engine's cast and the reader's
# parse of the same cell can differ in the last bits.
_DIGITS = 6


def _point(lat: float, lon: float) -> tuple[float, float]:
    return (round(lat, _DIGITS), round(lon, _DIGITS))


def _name(text: str) -> str:
    return " ".join(text.split()).casefold()


class TablePlaces:
    """Places from the engine's per-place counts, and the look-ups that use them."""

    def __init__(self, counted: Iterable[PlaceCount]) -> None:
        self.places: dict[str, Place] = {}
        self._ids: dict[tuple[str, tuple[float, float]], str] = {}
        self._at: dict[tuple[float, float], list[str]] = defaultdict(list)
        used: set[str] = set()
        located = [c for c in counted if c.lat is not None and c.lon is not None]
        # Sorted, so a place's id does not depend on the order the engine answered in.
        for c in sorted(located, key=lambda c: (c.key, c.lat, c.lon)):
            assert c.lat is not None and c.lon is not None
            point = _point(c.lat, c.lon)
            key = (_name(c.key), point)
            if key in self._ids:
                continue
            name = c.key.strip() or f"{c.lat:.4f}, {c.lon:.4f}"
            ident = unique(slug(name, "place"), used)
            self._ids[key] = ident
            self._at[point].append(ident)
            self.places[ident] = Place(ident, name, lat=c.lat, lon=c.lon)
        # Events per place over the whole source: what the first view is framed on.
        self.totals = self.counts(located)

    def id_of(self, name: str, lat: float | None, lon: float | None) -> str | None:
        """The place's id: by name and coordinates, else the one place at those coordinates."""
        if lat is None or lon is None:
            return None
        point = _point(lat, lon)
        found = self._ids.get((_name(name), point))
        if found is None and len(self._at.get(point, ())) == 1:
            found = self._at[point][0]
        return found

    def counts(self, counted: Iterable[PlaceCount]) -> dict[str, int]:
        """The engine's per-place counts keyed by the places' ids."""
        found: dict[str, int] = defaultdict(int)
        for c in counted:
            ident = self.id_of(c.key, c.lat, c.lon)
            if ident is not None:
                found[ident] += c.count
        return dict(found)

    def adopt(self, fetched: Dataset) -> Dataset:
        """Fetched events with their places as these places' ids (a fetch's reader
        numbers places in the order it meets them, which differs fetch to fetch)."""
        renamed: dict[str, str] = {}
        places = dict(self.places)
        used = set(places)
        for pid, place in fetched.places.items():
            ident = self.id_of(place.name, place.lat, place.lon)
            if ident is None:
                # Not counted by the engine (a name without coordinates): kept, under an
                # id of its own so it cannot take the place of a counted one.
                ident = unique(pid, used)
                places[ident] = replace(place, id=ident)
            renamed[pid] = ident
        events = [
            replace(e, places=tuple(dict.fromkeys(renamed.get(p, p) for p in e.places)))
            for e in fetched.events
        ]
        return replace(fetched, events=events, places=places)

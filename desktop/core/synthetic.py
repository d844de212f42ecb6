"""Synthetic datasets for benchmarks and scale tests: N events over M places across Y years.

Deterministic for a given seed. Dates come in every precision (mostly days,
some months and years, a few minutes), a tenth of the events are intervals,
and a few places are routes, so the large datasets exercise the same drawing
paths as real ones.
"""

from __future__ import annotations

import random

from .dates import PartialDate
from .model import Dataset, Event, Place, PlaceKind, Source

CATEGORIES = ("diplomacy", "energy", "politics", "security", "transport", "treaty")


def _random_date(rng: random.Random, first_year: int, years: int) -> PartialDate:
    year = first_year + rng.randrange(years)
    roll = rng.random()
    if roll < 0.05:
        return PartialDate(year)
    month = rng.randrange(1, 13)
    if roll < 0.15:
        return PartialDate(year, month)
    day = rng.randrange(1, 29)
    if roll < 0.97:
        return PartialDate(year, month, day)
    return PartialDate(year, month, day, rng.randrange(24), rng.randrange(60))


def make_dataset(
    n_events: int,
    n_places: int = 500,
    years: int = 30,
    first_year: int = 1995,
    n_sources: int = 200,
    seed: int = 0,
) -> Dataset:
    rng = random.Random(seed)
    places: dict[str, Place] = {}
    for i in range(n_places):
        ident = f"p{i}"
        if i % 50 == 49:
            points = tuple(
                (round(rng.uniform(25, 60), 4), round(rng.uniform(10, 80), 4)) for _ in range(4)
            )
            places[ident] = Place(ident, f"Route {i}", PlaceKind.ROUTE, points=points)
        else:
            lat, lon = round(rng.uniform(25, 60), 4), round(rng.uniform(10, 80), 4)
            places[ident] = Place(ident, f"Place {i}", PlaceKind.POINT, lat, lon)
    sources = {
        f"s{i}": Source(f"s{i}", f"Publisher {i % 20}", f"Report {i}", PartialDate(2020))
        for i in range(n_sources)
    }
    place_ids, source_ids = list(places), list(sources)
    events = []
    for i in range(n_events):
        start = _random_date(rng, first_year, years)
        end = None
        if rng.random() < 0.1:
            later = PartialDate(min(start.year + rng.randrange(1, 4), 9999))
            end = later
        n_at = 0 if rng.random() < 0.05 else 1 + (rng.random() < 0.2)
        events.append(
            Event(
                id=f"e{i}",
                title=f"Event {i}",
                start=start,
                end=end,
                category=CATEGORIES[i % len(CATEGORIES)],
                places=tuple(rng.sample(place_ids, n_at)),
                sources=(rng.choice(source_ids),),
            )
        )
    return Dataset(
        title=f"Synthetic: {n_events:,} events",
        events=events,
        places=places,
        sources=sources,
    )

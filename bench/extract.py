"""Extraction quality and speed on the seed articles (``make bench-extract``).

    python -m bench.extract [--seeds DIR] [--dataset DIR] [--with-dataset] [--list]

Runs the extractor on the five seed articles and compares its candidates with
the built-in dataset's events (every one cites a seed). Prints one JSON object:
recall, precision, candidate counts and timings. ``--list`` also prints each
candidate with its verdict to stderr. The method (what counts as a match, how
precision was judged) is in docs/extraction.md.

By default the extractor runs with no dataset, so places come from the
gazetteer alone and the built-in dataset is only the answer key;
``--with-dataset`` runs it as an analyst would, adding to the built-in
dataset (its places, events and categories come first).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.core.model import Place

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent.parent / "shared" / "seeds"
JUDGED = Path(__file__).with_name("extract_judged.json")
BACKGROUND = "Background (outside the sources)"
NEAR_KM = 50.0
MIN_SHARED_WORDS = 2


def _seeds_default() -> Path:
    for candidate in (ROOT.parent / "shared" / "seeds", SEEDS, Path("/work/shared/seeds")):
        if candidate.is_dir():
            return candidate
    return SEEDS


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class Truth:
    """A curated event as the matcher needs it."""

    id: str
    start: Any  # PartialDate
    end: Any
    needed: Any  # Precision the articles support
    coords: list[tuple[float, float]]
    countries: set[str]
    place_ids: set[str]
    place_needed: bool
    words: set[str]


def _coordinates(place: Place) -> list[tuple[float, float]]:
    """Every coordinate a place covers: its outline or route, then its point."""
    coords = list(place.points)
    if place.lat is not None and place.lon is not None:
        coords.append((place.lat, place.lon))
    return coords


class Judge:
    def __init__(self, dataset: Any):
        from desktop.core.articles.wording import content_words
        from desktop.core.dates import Precision
        from desktop.core.formats.gazetteer import gazetteer

        self.gaz = gazetteer()
        cities = [
            (float(c["latitude"]), float(c["longitude"]), c["countrycode"])
            for c in self.gaz.cities.values()
        ]
        self.cities = cities
        iso3_to_code = {c["iso3"]: code for code, c in self.gaz.countries.items()}
        truths = []
        document_frequency: dict[str, int] = {}
        for event in dataset.events:
            words = content_words(f"{event.title} {event.summary}")
            for word in words:
                document_frequency[word] = document_frequency.get(word, 0) + 1
            note = event.note or ""
            background = note.startswith(BACKGROUND)
            places = [dataset.places[p] for p in event.places if p in dataset.places]
            coords = [c for p in places for c in _coordinates(p)]
            countries = {iso3_to_code.get(p.iso3, "") for p in places if p.iso3} | {
                self._country_at(c) for p in places if not p.iso3 for c in _coordinates(p)[:1]
            }
            place_background = background and any(
                w in note for w in (" place ", "site", "the place")
            )
            truths.append(
                Truth(
                    event.id,
                    event.start,
                    event.end,
                    Precision.YEAR if background else event.precision,
                    coords,
                    countries - {""},
                    {p.id for p in places},
                    bool(places) and not place_background,
                    words,
                )
            )
        # Words most curated events share ("Russia", "Iran", "treaty") tell no events apart.
        common = {w for w, n in document_frequency.items() if n > len(dataset.events) // 3}
        for truth in truths:
            truth.words -= common
        self.truths = truths
        self.common = common

    def _country_at(self, point: tuple[float, float]) -> str:
        best = min(self.cities, key=lambda c: (c[0] - point[0]) ** 2 + (c[1] - point[1]) ** 2)
        return best[2]

    # -- the three tests ----------------------------------------------------

    @staticmethod
    def _within(inner: Any, outer: Any) -> bool:
        return outer.lower() <= inner.lower() and inner.upper() <= outer.upper()

    def date_ok(self, when: Any, truth: Truth, strict: bool) -> bool:
        """strict (recall): at least as fine as the articles allow, inside the curated date.
        loose (precision): consistent at the coarser of the two precisions."""
        from desktop.core.articles.extract import _cut

        if strict:
            if when.precision < truth.needed:
                return False
            curated = _cut(truth.start, truth.needed)
            ok = self._within(when.start, curated)
            if ok and truth.end is not None and when.end is not None:
                ok = self._within(when.end, _cut(truth.end, truth.needed))
            return ok
        coarse = min(when.precision, truth.start.precision)
        start_ok = _cut(when.start, coarse) == _cut(truth.start, coarse)
        if not start_ok and truth.end is not None:
            # Anything inside a curated span is consistent with it.
            start_ok = truth.start.lower() <= when.start.lower() < truth.end.upper()
        return start_ok

    def place_ok(self, places: list[Any], truth: Truth, country_level: bool) -> bool:
        if not truth.place_needed:
            return True
        for place in places:
            if place.id in truth.place_ids:
                return True
            if place.lat is None or place.lon is None:
                continue
            if place.kind.value != "area" and any(
                _km((place.lat, place.lon), c) <= NEAR_KM for c in truth.coords
            ):
                return True
            if country_level and place.kind.value == "area" and place.country in truth.countries:
                return True
        return False

    def words_ok(self, words: set[str], truth: Truth) -> bool:
        return len((words - self.common) & truth.words) >= MIN_SHARED_WORDS

    def matches(self, candidate: Any, strict: bool, country_level: bool = True) -> list[str]:
        if candidate.when is None:
            return []
        return [
            t.id
            for t in self.truths
            if self.date_ok(candidate.when, t, strict)
            and self.place_ok(candidate.places, t, country_level)
            and self.words_ok(candidate.words, t)
        ]


def _judged() -> dict[str, dict[str, str]]:
    if not JUDGED.is_file():
        return {}
    return {item["quote"]: item for item in json.loads(JUDGED.read_text(encoding="utf-8"))}


def _key(candidate: Any) -> str:
    return " ".join(candidate.citations[0].quote.split())[:80]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extract", description=__doc__)
    parser.add_argument("--seeds", type=Path, default=_seeds_default())
    parser.add_argument("--dataset", type=Path, default=ROOT / "data" / "russia-iran-treaty")
    parser.add_argument("--with-dataset", action="store_true", help="extract into the dataset")
    parser.add_argument("--list", action="store_true", help="print every candidate to stderr")
    parser.add_argument("--runs", type=int, default=3, help="timed extraction runs (median)")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    from desktop.core.articles import extract
    from desktop.core.articles.places import PlaceFinder
    from desktop.core.load import load_dataset

    curated = load_dataset(args.dataset).dataset
    context = curated if args.with_dataset else None
    finder = PlaceFinder(context.places if context else None)
    finder.warm()
    start_up = time.perf_counter() - began

    seeds = sorted(args.seeds.glob("*.txt"))
    if not seeds:
        print(f"no seed articles in {args.seeds}", file=sys.stderr)
        return 2
    timings = []
    extraction = None
    for _ in range(max(1, args.runs)):
        began = time.perf_counter()
        extraction = extract(seeds, context, finder=finder)
        timings.append(time.perf_counter() - began)
    assert extraction is not None

    judge = Judge(curated)
    seed_sources = {s.id for s in curated.sources.values()}
    truths = [t for t in judge.truths if set(curated.event(t.id).sources) & seed_sources]
    found: dict[str, list[str]] = {t.id: [] for t in truths}
    found_strict: dict[str, list[str]] = {t.id: [] for t in truths}
    judged = _judged()
    verdicts = []
    for candidate in extraction.candidates:
        strict = judge.matches(candidate, strict=True)
        for ident in strict:
            found.setdefault(ident, []).append(candidate.id)
        for ident in judge.matches(candidate, strict=True, country_level=False):
            found_strict.setdefault(ident, []).append(candidate.id)
        loose = judge.matches(candidate, strict=False)
        verdict = judged.get(_key(candidate), {}).get("verdict", "")
        verdicts.append((candidate, loose, verdict))

    matched = sum(1 for _c, loose, _v in verdicts if loose)
    # A reader's verdict, where there is one, overrules the automatic match either way.
    accepted = sum(1 for _c, loose, v in verdicts if v == "accept" or (loose and v != "reject"))
    unjudged = [c for c, loose, v in verdicts if not loose and not v]
    total = len(extraction.candidates)
    # Only the seed-sourced events count: a candidate may also match an event
    # the dataset has from elsewhere (background), which is neither found nor missed.
    curated_ids = [t.id for t in truths]
    recalled = [t for t in curated_ids if found[t]]
    result = {
        "articles": len(seeds),
        "curated_events": len(truths),
        "candidates": total,
        "dated_candidates": len(extraction.dated),
        "citations": sum(len(c.citations) for c in extraction.candidates),
        "recall": round(len(recalled) / max(len(truths), 1), 3),
        "recall_exact_place": round(
            sum(1 for t in curated_ids if found_strict[t]) / max(len(truths), 1), 3
        ),
        "precision": round(accepted / max(total, 1), 3),
        "precision_matched_only": round(matched / max(total, 1), 3),
        "unjudged_candidates": len(unjudged),
        "missed": sorted(t for t in curated_ids if not found[t]),
        "start_up_s": round(start_up, 3),
        "extract_s": round(statistics.median(timings), 3),
        "extract_runs_s": [round(t, 3) for t in timings],
        "with_dataset": bool(args.with_dataset),
    }
    if args.list:
        for candidate, loose, verdict in verdicts:
            when = candidate.when.iso() if candidate.when else "undated"
            mark = (verdict.upper() + " ") if verdict else ""
            mark += "MATCH " + ",".join(loose) if loose else (mark or "UNJUDGED")
            places = ",".join(p.id for p in candidate.places)
            print(f"[{mark}] {when} ({places}) {_key(candidate)}", file=sys.stderr)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

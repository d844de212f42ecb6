"""Candidates into the dataset model: events with their citations, places, sources.

Until the dataset model has a citation per (event, source), an event keeps its
citations in a ``citations`` column (kept with the event like any extra
column, so it survives saving in every form): a JSON list of
``{"source", "quote", "start", "end"}``. The first quote is also written in
the event's note, where the window's detail panel shows it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..formats.json_file import dataset_json
from ..model import Dataset, Event, Place, Source
from .extract import Candidate, Citation, Extraction

CITATIONS_COLUMN = "citations"


def citations_json(citations: list[Citation]) -> list[dict[str, Any]]:
    return [
        {"source": c.source, "quote": c.quote, "start": c.start, "end": c.end} for c in citations
    ]


def candidate_event(candidate: Candidate) -> Event:
    """The event a dated candidate becomes (raises ValueError for an undated one)."""
    when = candidate.when
    if when is None:
        raise ValueError(f"{candidate.title}: undated ({candidate.undated}); give it a date first")
    first = candidate.citations[0]
    note = f"Quote ({first.source}, characters {first.start}–{first.end}): “{first.quote}”"
    if candidate.how:
        note += f" Date: {candidate.how}."
    return Event(
        id=candidate.id,
        title=candidate.title,
        start=when.start,
        end=when.end,
        approximate=when.approximate,
        date_label=when.label if when.label != when.start.iso() else "",
        category=candidate.category,
        summary=candidate.summary,
        places=tuple(p.id for p in candidate.places),
        sources=tuple(dict.fromkeys(c.source for c in candidate.citations)),
        note=note,
        extra=(
            (CITATIONS_COLUMN, json.dumps(citations_json(candidate.citations), ensure_ascii=False)),
        ),
    )


def event_citations(event: Event) -> list[dict[str, Any]]:
    """The citations an accepted event carries (empty when it has none)."""
    raw = dict(event.extra).get(CITATIONS_COLUMN, "")
    try:
        found = json.loads(raw) if raw else []
    except json.JSONDecodeError:
        return []
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []


def additions(
    candidates: list[Candidate], extraction: Extraction, dataset: Dataset
) -> tuple[list[Event], dict[str, Place], dict[str, Source]]:
    """What accepting ``candidates`` adds to ``dataset``: events, and the places and sources
    they need that the dataset does not have yet."""
    events = [candidate_event(c) for c in candidates if c.when is not None]
    places: dict[str, Place] = {}
    for candidate in candidates:
        for ref in candidate.places:
            if ref.id not in dataset.places:
                places.setdefault(ref.id, ref.to_place())
    wanted = {c.source for candidate in candidates for c in candidate.citations}
    sources = {
        s.id: s
        for s in extraction.sources.values()
        if s.id in wanted and s.id not in dataset.sources
    }
    return events, places, sources


def merged_dataset(
    dataset: Dataset, events: list[Event], places: dict[str, Place], sources: dict[str, Source]
) -> Dataset:
    """A copy of ``dataset`` with the additions (the original is left as it was)."""
    return replace(
        dataset,
        events=[*dataset.events, *events],
        places={**dataset.places, **places},
        sources={**dataset.sources, **sources},
        story=list(dataset.story),
    )


def extraction_dataset(extraction: Extraction, title: str = "Extracted events") -> Dataset:
    """Every dated candidate as a dataset of its own."""
    empty = Dataset(title=title)
    events, places, sources = additions(extraction.dated, extraction, empty)
    # Every article is a source, even one with no candidates: it was read.
    for source in extraction.sources.values():
        sources.setdefault(source.id, source)
    return merged_dataset(empty, events, places, sources)


def extraction_json(extraction: Extraction, dataset: Dataset | None = None) -> dict[str, Any]:
    """The canonical JSON of the candidates, with each event's citations as a list, and the
    undated candidates (which no dataset can hold yet) under ``undated``."""
    doc = dataset_json(dataset if dataset is not None else extraction_dataset(extraction))
    by_id = {c.id: c for c in extraction.dated}
    for item in doc["events"]:
        candidate = by_id.get(item["id"])
        if candidate is not None:
            item.pop("extra", None)
            item[CITATIONS_COLUMN] = citations_json(candidate.citations)
            item["how"] = candidate.how
    doc["undated"] = [
        {
            "id": c.id,
            "title": c.title,
            "summary": c.summary,
            "reason": c.undated,
            "places": [p.id for p in c.places],
            "category": c.category,
            CITATIONS_COLUMN: citations_json(c.citations),
        }
        for c in extraction.undated
    ]
    doc["problems"] = list(extraction.problems)
    return doc

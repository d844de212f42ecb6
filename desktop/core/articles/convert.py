"""Candidates into the dataset model: events with their citations, places, sources.

Each (event, source) pair becomes one of the dataset's citations: the exact
quote, and where it stands in the article ("characters 120–184"). A source
quoted more than once for an event gives the first quote; the others are named
in the citation's note, so nothing the reviewer saw is lost.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..formats.json_file import dataset_json
from ..model import Citation as EventCitation
from ..model import Dataset, Event, Place, Source
from .extract import Candidate, Citation, Extraction

CITATIONS_COLUMN = "citations"


def citations_json(citations: list[Citation]) -> list[dict[str, Any]]:
    return [
        {"source": c.source, "quote": c.quote, "start": c.start, "end": c.end} for c in citations
    ]


def _locator(citation: Citation) -> str:
    return f"characters {citation.start}–{citation.end}"


def candidate_event(candidate: Candidate) -> Event:
    """The event a dated candidate becomes (raises ValueError for an undated one)."""
    when = candidate.when
    if when is None:
        raise ValueError(f"{candidate.title}: undated ({candidate.undated}); give it a date first")
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
        note=f"Date: {candidate.how}." if candidate.how else "",
    )


def candidate_citations(candidate: Candidate) -> list[EventCitation]:
    """The dataset's citations for a candidate's event: one per source it quotes."""
    by_source: dict[str, list[Citation]] = {}
    for citation in candidate.citations:
        by_source.setdefault(citation.source, []).append(citation)
    found = []
    for source, quoted in by_source.items():
        first, *more = quoted
        also = "; ".join(f"“{c.quote}” ({_locator(c)})" for c in more)
        found.append(
            EventCitation(
                event=candidate.id,
                source=source,
                quote=first.quote,
                locator=_locator(first),
                note=f"Also quoted: {also}" if also else "",
            )
        )
    return found


def additions(
    candidates: list[Candidate], extraction: Extraction, dataset: Dataset
) -> tuple[list[Event], dict[str, Place], dict[str, Source], list[EventCitation]]:
    """What accepting ``candidates`` adds to ``dataset``: events with their citations, and
    the places and sources they need that the dataset does not have yet."""
    dated = [c for c in candidates if c.when is not None]
    events = [candidate_event(c) for c in dated]
    citations = [citation for c in dated for citation in candidate_citations(c)]
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
    return events, places, sources, citations


def merged_dataset(
    dataset: Dataset,
    events: list[Event],
    places: dict[str, Place],
    sources: dict[str, Source],
    citations: list[EventCitation],
) -> Dataset:
    """A copy of ``dataset`` with the additions (the original is left as it was)."""
    return replace(
        dataset,
        events=[*dataset.events, *events],
        places={**dataset.places, **places},
        sources={**dataset.sources, **sources},
        citations=[*dataset.citations, *citations],
        story=list(dataset.story),
    )


def extraction_dataset(extraction: Extraction, title: str = "Extracted events") -> Dataset:
    """Every dated candidate as a dataset of its own."""
    empty = Dataset(title=title)
    events, places, sources, citations = additions(extraction.dated, extraction, empty)
    # Every article is a source, even one with no candidates: it was read.
    for source in extraction.sources.values():
        sources.setdefault(source.id, source)
    return merged_dataset(empty, events, places, sources, citations)


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

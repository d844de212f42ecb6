"""A source as the Sources form holds it: text fields, read by the same reader as the files.

The fields become one row of the sources sheet and are read by
``records.build_sources``, so a field that would not load shows the message
``chronomap validate`` gives for the same cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .model import Dataset, Source
from .problems import Problems
from .records import Table, build_sources
from .schema import SOURCES

FIELDS = ("id", "publisher", "title", "date", "url", "note")


def source_fields(source: Source) -> dict[str, str]:
    """The form's text for a source (its date as ISO text)."""
    return {
        "id": source.id,
        "publisher": source.publisher,
        "title": source.title,
        "date": source.date.iso() if source.date is not None else "",
        "url": source.url,
        "note": source.note,
    }


def new_source_id(dataset: Dataset, publisher: str, title: str) -> str:
    """An id for a new source from its publisher and title: "reuters-treaty-signed"."""
    from .editing import unused_id

    words = re.findall(r"[a-z0-9]+", f"{publisher} {title}".lower())[:5]
    return unused_id(dataset.sources, "-".join(words) or "source")


@dataclass
class CheckedSource:
    """The source the fields make (None if they make none) and what is wrong, by field."""

    source: Source | None
    errors: dict[str, str] = field(default_factory=dict)


def check_source_fields(
    fields: dict[str, str], dataset: Dataset, editing: Source | None
) -> CheckedSource:
    """Read the fields as a row of the sources sheet; ``editing``: the source they replace
    (its id stays; its flags and extra columns are kept)."""
    row = dict(fields)
    if editing is not None:
        row["id"] = editing.id
    table = Table("source", list(row))
    table.rows.append((2, row))
    problems = Problems()
    read = build_sources(table, problems)
    checked = CheckedSource(next(iter(read.values()), None))
    ident = row.get("id", "").strip()
    if editing is None and ident and ident in dataset.sources:
        checked.errors["id"] = f"duplicate {SOURCES.item} id {ident!r} (already used)"
    for problem in problems:
        if problem.is_error:
            checked.errors.setdefault(problem.column, problem.message)
    if checked.errors:
        checked.source = None
    elif checked.source is not None and editing is not None:
        checked.source = replace(
            checked.source,
            headline=editing.headline,
            secondary=editing.secondary,
            extra=editing.extra,
        )
    return checked


__all__ = ["FIELDS", "CheckedSource", "check_source_fields", "new_source_id", "source_fields"]

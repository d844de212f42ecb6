"""An event as a form holds it: text fields, checked by the same reader as the files.

The form's fields are turned into one row of the events sheet and read by
``records.build_events``, so a field that would not load shows exactly the
message ``chronomap validate`` gives for the same cell, and an event that
loads from the form loads from the saved file too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .dates import DateError, parse_date
from .flags import evidence_problems
from .model import Dataset, Event
from .problems import Problems
from .records import Table, build_events
from .schema import EVENTS

# The fields the form edits: the events sheet's columns as files hold them.
FIELDS = tuple(c.name for c in EVENTS.fields if c.in_files)


def date_preview(text: str) -> str:
    """How a typed date reads: "mid-November 2024 → 2024-11: month, approximate"."""
    if not text.strip():
        return ""
    try:
        parsed = parse_date(text)
    except DateError as exc:
        return str(exc)
    shown = parsed.date.label()
    if parsed.end is not None:
        shown += f" – {parsed.end.label()}"
    how = [parsed.date.precision.label]
    if parsed.end is not None:
        how.append("range")
    if parsed.approximate:
        how.append("approximate")
    return f"{' '.join(text.split())} → {shown}: {', '.join(how)}"


def event_fields(event: Event) -> dict[str, str]:
    """The form's text for an event (dates as ISO text, lists joined by "; ")."""
    return {
        "id": event.id,
        "title": event.title,
        "start": event.start.iso(),
        "end": event.end.iso() if event.end is not None else "",
        "date_label": event.date_label,
        "approximate": "yes" if event.approximate else "",
        "category": event.category,
        "summary": event.summary,
        "places": "; ".join(event.places),
        "sources": "; ".join(event.sources),
        "confidence": event.confidence,
        "tags": "; ".join(event.tags),
        "note": event.note,
    }


@dataclass
class Checked:
    """The event the fields make (None if they do not make one) and what is wrong, by field."""

    event: Event | None
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)


def check_fields(fields: dict[str, str], dataset: Dataset, editing: Event | None) -> Checked:
    """Read the fields as the events sheet's row would be read; ``editing``: the event
    they replace (its id may stay; its extra columns are kept)."""
    table = Table("event", list(fields))
    table.rows.append((2, dict(fields)))
    problems = Problems()
    events = build_events(table, dataset.places, dataset.sources, problems)
    checked = Checked(events[0] if events else None)
    ident = fields.get("id", "").strip()
    if ident and (editing is None or ident != editing.id) and dataset.has_event(ident):
        # As the reader says it for a second row with the same id.
        checked.errors["id"] = f"duplicate event id {ident!r} (already used by another event)"
        checked.event = None
    for problem in problems:
        found = checked.errors if problem.is_error else checked.warnings
        found.setdefault(problem.column, problem.message)
    if checked.errors:
        checked.event = None
    else:
        # What `chronomap validate` warns about an event's flags, in its words.
        for _event, column, message in evidence_problems(events):
            checked.warnings.setdefault(column, message)
    if checked.event is not None and editing is not None:
        checked.event = replace(checked.event, extra=editing.extra)
    return checked


__all__ = ["FIELDS", "Checked", "check_fields", "date_preview", "event_fields"]

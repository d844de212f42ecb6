"""TimelineJS timelines: the Google-Sheets template saved as CSV, and the JSON format.

Both are read into the same "slides" (one per row or JSON object), then into
events. A date is written as separate Year / Month / Day / Time parts, and only
the parts given are kept: "1951" stays a year, "1943-07" a month. The row whose
Type is ``title`` gives the dataset's title and description; Group becomes the
category, Display Date the date label, Text the (sanitised) summary, and a
media link a source. TimelineJS has no places, so these events sit on the
timeline only. Eras (JSON ``eras``, or Type ``era``) become events tagged "era"
(category "era" when they have no Group), drawn in the timeline's era band.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..dates import PartialDate, days_in_month
from ..eras import ERA
from ..model import Dataset
from ..problems import Problems
from ..records import build_dataset, normalise_header
from .interop import (
    canonical_table,
    host_of,
    html_text,
    is_url,
    sanitise_html,
    short_title,
    slug,
    text_of,
    unique,
)

EVENT_COLUMNS = ("id", "title", "start", "end", "date_label", "category", "summary", "sources")
SOURCE_COLUMNS = ("id", "publisher", "title", "url")
# The template's columns, normalised, that hold neither date nor text.
_KEPT_AS_EXTRA = {"media_thumbnail": "Media Thumbnail", "background": "Background"}


@dataclass
class Slide:
    """One TimelineJS slide as text, keyed by the spreadsheet's normalised column names."""

    row: int
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "").strip()


@dataclass
class Layout:
    """Where the slides came from and what their columns are called there."""

    path: str
    labels: dict[str, str]


# --- sniffing ----------------------------------------------------------------


def _first_line(head: bytes) -> str:
    text = head.decode("utf-8-sig", errors="replace")
    return text.split("\n", 1)[0].strip("\r")


def header_names(head: bytes) -> set[str]:
    line = _first_line(head)
    delimiter = ";" if line.count(";") > line.count(",") else ","
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return set()
    return {normalise_header(c) for c in cells}


def sniff_timelinejs_csv(path: Path, head: bytes) -> bool:
    names = header_names(head)
    return {"year", "headline"} <= names and bool(names & {"month", "day", "text", "media"})


_TIMELINEJS_JSON = re.compile(rb'"(start_date|eras)"\s*:\s*[{\[]')


def sniff_timelinejs_json(path: Path, head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped.startswith(b"{") and _TIMELINEJS_JSON.search(head) is not None


# --- dates -------------------------------------------------------------------


_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?::\d{2}(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?\s?m\.?)?$", re.I
)
_INTEGER = re.compile(r"^[+-]?\d+(?:\.0+)?$")


class _PartError(ValueError):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


def _integer(text: str, column: str, what: str, low: int, high: int) -> int:
    if not _INTEGER.match(text):
        raise _PartError(column, f"{what} {text!r} is not a whole number")
    number = int(float(text))
    if what == "year" and number == 0:
        raise _PartError(column, "there is no year 0 (1 BC, written -1, is followed by AD 1)")
    if not low <= number <= high:
        raise _PartError(column, f"{what} {number} is out of range ({low} to {high})")
    return number


def _time(text: str, column: str) -> tuple[int, int]:
    match = _TIME.match(text.strip())
    if not match:
        raise _PartError(column, f"time {text!r} is not a time: write it as HH:MM (e.g. 14:30)")
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise _PartError(column, f"time {text!r}: a 12-hour time runs from 1 to 12")
        hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise _PartError(column, f"time {text!r} does not exist (00:00 to 23:59)")
    return hour, minute


def _compose(slide: Slide, prefix: str, labels: dict[str, str]) -> PartialDate | None:
    """A date from the Year/Month/Day/Time parts that are filled in; None if Year is empty."""

    def column(part: str) -> str:
        key = prefix + part
        return labels.get(key, key)

    year_text = slide.get(prefix + "year")
    month_text, day_text = slide.get(prefix + "month"), slide.get(prefix + "day")
    time_text = slide.get(prefix + "time")
    if not year_text:
        if month_text or day_text or time_text:
            raise _PartError(column("year"), "a month, day or time is given but the year is empty")
        return None
    # Negative years are BCE, as TimelineJS writes them (historians' count: no year 0).
    year = _integer(year_text, column("year"), "year", -9999, 9999)
    month = _integer(month_text, column("month"), "month", 1, 12) if month_text else None
    day = None
    if day_text:
        if month is None:
            raise _PartError(column("day"), "a day is given but the month is empty")
        last = days_in_month(year, month)
        day = _integer(day_text, column("day"), "day", 1, last)
    hour = minute = None
    if time_text:
        if day is None:
            raise _PartError(column("time"), "a time is given but the day is empty")
        hour, minute = _time(time_text, column("time"))
    return PartialDate(year, month, day, hour, minute)


# --- slides to the model -------------------------------------------------------


def slides_dataset(
    slides: list[Slide],
    layout: Layout,
    problems: Problems,
    fallback_title: str,
    title_slide: Slide | None = None,
    eras: tuple[list[Slide], Layout] | None = None,
) -> Dataset:
    """Check and convert slides; the ``title`` slide (if any) names the dataset."""
    title, description = fallback_title, ""
    events_slides = []
    for slide in slides:
        if slide.get("type").lower() == "title":
            title_slide = title_slide or slide
        else:
            events_slides.append(slide)
    if title_slide is not None:
        title = html_text(title_slide.get("headline")) or title
        description = html_text(title_slide.get("text"))
    used: set[str] = set()
    dataset = _convert(events_slides, layout, problems, used, title, description)
    if eras is not None:
        era_slides, era_layout = eras
        for slide in era_slides:
            slide.values["type"] = ERA
        era_data = _convert(era_slides, era_layout, problems, used, title, description)
        dataset.events = [*dataset.events, *era_data.events]
    return dataset


def _convert(
    slides: list[Slide],
    layout: Layout,
    problems: Problems,
    used: set[str],
    title: str,
    description: str,
) -> Dataset:
    labels = layout.labels
    events = canonical_table(
        layout.path,
        EVENT_COLUMNS,
        {
            "id": labels.get("unique_id", labels.get("headline", "Headline")),
            "title": labels.get("headline", "Headline"),
            "start": labels.get("year", "Year"),
            "end": labels.get("end_year", "End Year"),
            "date_label": labels.get("display_date", "Display Date"),
            "category": labels.get("group", "Group"),
            "summary": labels.get("text", "Text"),
            "sources": labels.get("media", "Media"),
        },
    )
    sources = canonical_table(
        layout.path,
        SOURCE_COLUMNS,
        {
            "publisher": labels.get("media_credit", "Media Credit"),
            "title": labels.get("media_caption", "Media Caption"),
            "url": labels.get("media", "Media"),
        },
    )
    for slide in slides:
        try:
            start = _compose(slide, "", labels)
            end = _compose(slide, "end_", labels)
        except _PartError as exc:
            problems.error(layout.path, slide.row, exc.column, str(exc))
            continue
        headline = html_text(slide.get("headline"))
        if start is None:
            if headline or slide.get("text") or slide.get("media"):
                problems.error(
                    layout.path,
                    slide.row,
                    labels.get("year", "Year"),
                    "the year is empty: every slide except the title slide needs a date",
                )
            continue
        text = sanitise_html(slide.get("text"))
        if not headline:
            # TimelineJS allows a slide with only text; the timeline still needs a label.
            headline = short_title(html_text(slide.get("text"))) or start.iso()
        ident = unique(slide.get("unique_id") or slug(headline, f"slide-{slide.row}"), used)
        media = slide.get("media")
        source_ids = ""
        extra_media = ""
        if is_url(media):
            source_ids = f"{ident}-media"
            sources.rows.append(
                (
                    slide.row,
                    {
                        "id": source_ids,
                        "publisher": html_text(slide.get("media_credit")) or host_of(media),
                        "title": html_text(slide.get("media_caption")) or headline,
                        "url": media,
                    },
                )
            )
        elif media and _MEDIA_FILE.match(media):
            # A file next to the sheet ("demo_001.jpg"): kept, not shown as text.
            extra_media = media
        elif media:
            # Not a link: a quotation or embedded HTML shown in the slide itself.
            text = "\n".join(t for t in (text, sanitise_html(media)) if t)
        row: dict[str, Any] = {
            "id": ident,
            "title": headline,
            "start": start.iso(),
            "end": end.iso() if end else "",
            # A display date of punctuation alone ("." on group headers) says nothing.
            "date_label": _words_only(html_text(slide.get("display_date"))),
            "category": html_text(slide.get("group")),
            "summary": text,
            "sources": source_ids,
        }
        if slide.get("type").lower() == ERA:
            # Shaded in the timeline's era band; one with no Group takes the
            # era's own colour rather than an "uncategorised" lane's.
            row["tags"] = ERA
            row["category"] = row["category"] or ERA
        if extra_media:
            row[labels.get("media", "Media")] = extra_media
        for key, label in _KEPT_AS_EXTRA.items():
            if slide.get(key):
                row[label] = slide.get(key)
        events.rows.append((slide.row, row))
    return build_dataset({"sources": sources, "events": events}, problems, title, description)


_MEDIA_FILE = re.compile(r"^[\w./-]+\.[A-Za-z0-9]{2,5}$")


def _words_only(text: str) -> str:
    return text if any(c.isalnum() for c in text) else ""


# --- the spreadsheet (CSV) ------------------------------------------------------


def load_timelinejs_csv(path: Path, problems: Problems) -> Dataset:
    from .csv_folder import read_csv_table

    table = read_csv_table(path, problems)
    if table is None:
        return Dataset(title=path.stem)
    labels = {normalise_header(h): h for h in table.header if h}
    slides = [Slide(row, {k: text_of(v) for k, v in values.items()}) for row, values in table.rows]
    return slides_dataset(slides, Layout(str(path), labels), problems, path.stem)


# --- JSON ----------------------------------------------------------------------

# Where each slide field sits in a TimelineJS JSON slide.
_JSON_FIELDS = {
    "year": ("start_date", "year"),
    "month": ("start_date", "month"),
    "day": ("start_date", "day"),
    "end_year": ("end_date", "year"),
    "end_month": ("end_date", "month"),
    "end_day": ("end_date", "day"),
    "headline": ("text", "headline"),
    "text": ("text", "text"),
    "media": ("media", "url"),
    "media_credit": ("media", "credit"),
    "media_caption": ("media", "caption"),
    "media_thumbnail": ("media", "thumbnail"),
    "background": ("background", "url"),
    "group": ("group",),
    "display_date": ("display_date",),
    "unique_id": ("unique_id",),
    "type": ("type",),
}
_JSON_LABELS = {key: ".".join(where) for key, where in _JSON_FIELDS.items()} | {
    "time": "start_date.hour",
    "end_time": "end_date.hour",
}


def _dig(item: Any, where: tuple[str, ...]) -> Any:
    for key in where:
        if not isinstance(item, dict):
            return None
        item = item.get(key)
    return item


def _json_time(date: Any) -> str:
    """start_date's hour and minute as "HH:MM" text, checked like the spreadsheet's Time."""
    if not isinstance(date, dict):
        return ""
    hour, minute = text_of(date.get("hour")), text_of(date.get("minute"))
    if not hour and not minute:
        return ""
    return f"{hour or '0'}:{(minute or '0').zfill(2)}"


def json_slide(row: int, item: dict[str, Any]) -> Slide:
    values = {key: text_of(_dig(item, where)) for key, where in _JSON_FIELDS.items()}
    values["time"] = _json_time(item.get("start_date"))
    values["end_time"] = _json_time(item.get("end_date"))
    # The date's own display_date is the fallback for the slide's.
    values["display_date"] = values["display_date"] or text_of(
        _dig(item, ("start_date", "display_date"))
    )
    return Slide(row, values)


def _json_slides(doc: dict[str, Any], key: str, label: str, problems: Problems) -> list[Slide]:
    items = doc.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        problems.error(label, 0, key, f"'{key}' must be a list of slides")
        return []
    slides = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.error(label, number, "-", f"slide {number} is not an object")
            continue
        slides.append(json_slide(number, item))
    return slides


def load_timelinejs_json(path: Path, problems: Problems) -> Dataset:
    from .json_file import read_json

    doc = read_json(path, problems)
    if doc is None:
        return Dataset(title=path.stem)
    if not isinstance(doc, dict):
        problems.error(
            str(path), 0, "-", "a TimelineJS file is a JSON object with an 'events' list"
        )
        return Dataset(title=path.stem)
    events_label, eras_label = f"{path}#events", f"{path}#eras"
    slides = _json_slides(doc, "events", events_label, problems)
    eras = _json_slides(doc, "eras", eras_label, problems)
    title = doc.get("title")
    title_slide = json_slide(0, title) if isinstance(title, dict) else None
    return slides_dataset(
        slides,
        Layout(events_label, dict(_JSON_LABELS)),
        problems,
        path.stem,
        title_slide,
        (eras, Layout(eras_label, dict(_JSON_LABELS))) if eras else None,
    )

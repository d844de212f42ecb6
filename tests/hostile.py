"""A dataset whose every shown text field carries a script payload.

Shared by the map page, HTML export and window tests.
"""

from __future__ import annotations

from desktop.core.dates import PartialDate
from desktop.core.model import Dataset, Event, Place, PlaceKind, Source

# Each payload, if it ever ran, would leave a mark in window.pwned or call alert().
PAYLOADS = (
    "<script>window.pwned = 'title'; alert(1)</script>",
    "<img src=x onerror=\"window.pwned = 'img'; alert(2)\">",
    "<svg onload=\"window.pwned = 'svg'\"></svg>",
)


def hostile_dataset() -> Dataset:
    """Every text field the page shows carries a script payload."""
    places = {
        "tehran": Place("tehran", PAYLOADS[1], PlaceKind.POINT, 35.69, 51.39),
        "moscow": Place("moscow", "Moscow", PlaceKind.POINT, 55.75, 37.62),
        "line": Place(
            "line", PAYLOADS[2], PlaceKind.ROUTE, points=((55.75, 37.62), (35.69, 51.39))
        ),
    }
    sources = {
        "s1": Source(
            "s1",
            publisher=PAYLOADS[0],
            title="<a href=\"javascript:window.pwned='source'\">headline</a>",
            date=PartialDate(2025, 1, 17),
            url="javascript:window.pwned='url'",
        ),
        "s2": Source("s2", publisher="Good", title="Fine", url="https://example.org/a"),
    }
    events = [
        Event(
            "e1",
            title=PAYLOADS[0],
            start=PartialDate(2025, 1, 17),
            category=PAYLOADS[2],
            summary=(
                "<p>Signed <em>today</em>. "
                "<a href=\"javascript:window.pwned='summary'\">click</a> "
                '<a href="https://example.org/">ok</a></p>' + PAYLOADS[1] + PAYLOADS[0]
            ),
            places=("tehran", "moscow"),
            sources=("s1", "s2"),
            date_label=PAYLOADS[1],
        ),
        Event(
            "e2",
            title=PAYLOADS[1],
            start=PartialDate(2024, 10),
            category="politics",
            summary=PAYLOADS[2],
            places=("line",),
            sources=("s1",),
        ),
    ]
    return Dataset(
        title="</title><script>window.pwned = 'doc'</script>",
        events=events,
        places=places,
        sources=sources,
    )

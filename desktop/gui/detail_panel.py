"""The detail panel: the selected event as written, with its places and sources."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

from desktop.core.display import date_words
from desktop.core.model import Dataset, Event
from desktop.core.view_state import SELECTION, SHOWN, ViewState
from desktop.mapview.safety import safe_html, safe_url

_PRECISION_WORDS = {
    "year": "known to the year",
    "month": "known to the month",
    "day": "exact day",
    "minute": "exact time",
}


def precision_note(event: Event) -> str:
    words = _PRECISION_WORDS[event.precision.label]
    if event.end is not None:
        words = f"from {date_words(event.start)} to {date_words(event.end)}"
    if event.approximate:
        words += ", approximate"
    return words


def event_html(dataset: Dataset, event: Event, color: str) -> str:
    """The panel's HTML for one event; every piece of data is escaped or sanitised."""
    parts = [
        f'<h2 style="margin:0 0 4px 0">{escape(event.title)}</h2>',
        f'<p style="margin:0 0 8px 0"><b>{escape(event.display_date())}</b>'
        f' <span style="color:#6b7280">({escape(precision_note(event))})</span>'
        f' &nbsp;<span style="color:{escape(color)}">■</span> {escape(event.category)}</p>',
    ]
    if event.summary:
        parts.append(f"<p>{safe_html(event.summary)}</p>")
    places = [dataset.places[p].name for p in event.places if p in dataset.places]
    if places:
        parts.append(f"<p><b>Places:</b> {escape(', '.join(places))}</p>")
    if event.confidence:
        parts.append(f"<p><b>Confidence:</b> {escape(event.confidence)}</p>")
    sources = [dataset.sources[s] for s in event.sources if s in dataset.sources]
    if sources:
        parts.append("<p><b>Sources</b></p><ul style='margin-top:0'>")
        for source in sources:
            line = f"{escape(source.publisher)}: "
            url = safe_url(source.url)
            headline = escape(source.title)
            line += f'<a href="{escape(url)}">{headline}</a>' if url else f"<i>{headline}</i>"
            if source.date is not None:
                line += f" ({escape(date_words(source.date))})"
            if source.quote:
                line += f"<br><span style='color:#4b5563'>“{escape(source.quote)}”</span>"
            parts.append(f"<li>{line}</li>")
        parts.append("</ul>")
    if event.note:
        parts.append(f"<p style='color:#6b7280'><b>Note:</b> {escape(event.note)}</p>")
    return "\n".join(parts)


class DetailPanel(QTextBrowser):
    """Shows the first selected event; a hint when nothing is selected."""

    def __init__(self, state: ViewState, colors: dict[str, str] | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.setOpenExternalLinks(True)
        self._state = state
        self._colors = dict(colors or {})
        self._unsubscribe = state.subscribe(self._on_state)
        self.refresh()

    def set_colors(self, colors: dict[str, str]) -> None:
        self._colors = dict(colors)
        self.refresh()

    def _on_state(self, changed: frozenset[str]) -> None:
        # The hint counts the events shown; the text is the selection's.
        if changed & (SHOWN | {SELECTION}):
            self.refresh()

    def refresh(self) -> None:
        events = self._state.selected_events()
        if not events:
            shown = len(self._state.visible_ids())
            self.setHtml(
                f"<p style='color:#6b7280'>{shown} events shown. Select an event on the "
                "timeline, in the list or on the map to read it here.</p>"
            )
            return
        event = events[0]
        html = event_html(self._state.dataset, event, self._colors.get(event.category, "#999"))
        if len(events) > 1:
            more = ", ".join(escape(e.title) for e in events[1:4])
            html += f"<p style='color:#6b7280'>Also selected ({len(events) - 1}): {more}"
            html += "…</p>" if len(events) > 4 else "</p>"
        self.setHtml(html)

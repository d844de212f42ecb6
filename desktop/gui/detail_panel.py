"""The detail panel: the selected event as written, with its places and sources."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

from desktop.core import flags
from desktop.core.display import date_words
from desktop.core.model import Citation, Dataset, Event, Source
from desktop.core.view_state import SELECTION, SHOWN, ViewState
from desktop.mapview.safety import safe_html, safe_url

# A flag to heed (contested, reported, background) stands out; "confirmed" reads calmly.
FLAG_INK = "#b45309"
CONFIRMED_INK = "#15803d"

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
        _flags_html(dataset, event),
    ]
    if event.summary:
        parts.append(f"<p>{safe_html(event.summary)}</p>")
    places = [dataset.places[p].name for p in event.places if p in dataset.places]
    if places:
        parts.append(f"<p><b>Places:</b> {escape(', '.join(places))}</p>")
    sources = [dataset.sources[s] for s in event.sources if s in dataset.sources]
    if sources:
        parts.append("<p><b>Sources</b></p><ul style='margin-top:0'>")
        for source in sources:
            parts.append(f"<li>{_source_html(source, dataset.citation(event.id, source.id))}</li>")
        parts.append("</ul>")
    if event.note:
        parts.append(f"<p style='color:#6b7280'><b>Note:</b> {escape(event.note)}</p>")
    return "\n".join(parts)


def flag_html(flag: flags.Flag) -> str:
    """A flag and what it means, as the panel and the snapshot's legend show it."""
    ink = FLAG_INK if flag.cue else CONFIRMED_INK
    return f"<b style='color:{ink}'>{escape(flag.label)}</b>: {escape(flag.meaning)}"


def _flags_html(dataset: Dataset, event: Event) -> str:
    """Confidence, background and the like, each with what it means."""
    lines = [flag_html(f) for f in flags.flags_of(event, dataset)]
    if event.confidence and flags.confidence_of(event) is None:  # a word of the dataset's own
        lines.insert(0, f"<b>Confidence:</b> {escape(event.confidence)}")
    return f"<p>{'<br>'.join(lines)}</p>" if lines else ""


def _source_html(source: Source, citation: Citation | None) -> str:
    """The reference line (a real headline in quotation marks, a describing title in
    brackets), linked when it has a URL; then what it says for this event, and where."""
    line = escape(flags.source_label(source))
    url = safe_url(source.url)
    if url:
        line = f'<a href="{escape(url)}">{line}</a>'
    if citation is not None and citation.quote:
        line += f"<br><span style='color:#4b5563'>“{escape(citation.quote)}”</span>"
    if citation is not None and citation.locator:
        line += f" <span style='color:#6b7280'>({escape(citation.locator)})</span>"
    return line


class DetailPanel(QTextBrowser):
    """Shows the first selected event; a hint when nothing is selected."""

    def __init__(self, state: ViewState, colors: dict[str, str] | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.setOpenExternalLinks(True)
        self._state = state
        self._colors = dict(colors or {})
        self._hint: str | None = None
        self._unsubscribe = state.subscribe(self._on_state)
        self.refresh()

    def set_colors(self, colors: dict[str, str]) -> None:
        self._colors = dict(colors)
        self.refresh()

    def _on_state(self, changed: frozenset[str]) -> None:
        # The hint counts the events shown; the text is the selection's.
        if changed & (SHOWN | {SELECTION}):
            self.refresh()

    def set_hint(self, hint: str | None) -> None:
        """What to say with nothing selected, instead of the count of events shown
        (None: that count)."""
        self._hint = hint
        self.refresh()

    def refresh(self) -> None:
        events = self._state.selected_events()
        if not events:
            hint = self._hint
            if hint is None:
                shown = self._state.visible_count()
                hint = (
                    f"{shown} events shown. Select an event on the "
                    "timeline, in the list or on the map to read it here."
                )
            self.setHtml(f"<p style='color:#6b7280'>{escape(hint)}</p>")
            return
        event = events[0]
        html = event_html(self._state.dataset, event, self._colors.get(event.category, "#999"))
        if len(events) > 1:
            more = ", ".join(escape(e.title) for e in events[1:4])
            html += f"<p style='color:#6b7280'>Also selected ({len(events) - 1}): {more}"
            html += "…</p>" if len(events) > 4 else "</p>"
        self.setHtml(html)

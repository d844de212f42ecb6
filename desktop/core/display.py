"""Text for readers: dates in words at their precision, rich text as safe HTML or plain text.

Every view and export that shows a reader a date or an event's text goes
through here, so the window, the PNG, the HTML page and the decks say the same
thing the same way:

- ``date_words``: "2014", "911", "509 BC", "November 2024", "19 Feb 2014",
  "19 Feb 2014, 15:32 UTC": no more than the date holds, never an invented day;
- ``span_words`` and ``event_date``: a range said once ("17–20 Jan 2025"),
  the source's own words (``date_label``, "mid-November 2024") when it has
  them, "c." before an approximate date;
- ``rich_html``: Markdown or HTML from the data as HTML that is safe to show
  (nh3 keeps links, emphasis, paragraphs and lists; scripts and styles go);
- ``plain_text``: the same reduced to plain text, for what cannot show HTML
  (images, slide titles, labels).

Names (categories, places, titles) are shown exactly as written: nothing here
changes their case.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .dates import PartialDate, Precision, year_label

if TYPE_CHECKING:
    from .model import Event

# English month names, fixed: calendar.month_name follows the process locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_SHORT = tuple(name[:3] for name in MONTHS)
# Between the two ends of a range; an en dash, spaced unless both ends are short numbers.
DASH = "–"

# What survives of rich text in the window and the HTML page.
SAFE_TAGS = {"a", "b", "strong", "i", "em", "br", "p", "ul", "ol", "li", "q", "cite", "blockquote"}
SAFE_ATTRIBUTES = {"a": {"href", "title"}}
SAFE_SCHEMES = {"http", "https", "mailto"}

# Rich text is the exception: a quick look for markup or Markdown's marks keeps
# the usual plain sentence away from the parsers (a hundred thousand summaries
# are cleaned for an export).
_MARKUP = re.compile(r"<[A-Za-z/!?]|&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_MARKDOWN = re.compile(
    r"[*_`]|\[[^\]\n]*\]\(|^\s{0,3}(#{1,6}\s|[-+]\s|\d+[.)]\s|>)|\n\s*\n", re.MULTILINE
)
# Tags that end a line or a paragraph when text is made plain.
_BREAKS = re.compile(r"<br\s*/?>|</(p|div|li|h[1-6]|blockquote|tr)\s*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)


# A year as readers write it: "2025", "911" (no leading zero), "509 BC"; years
# count as historians do (-509 is 509 BC, and there is no year 0).
year_words = year_label


def date_words(date: PartialDate) -> str:
    """A date in words, to its precision: "2014", "February 2014", "19 Feb 2014",
    "19 Feb 2014, 15:32 UTC" (times are placed on one UTC axis), "509 BC"."""
    year = year_words(date.year)
    match date.precision:
        case Precision.YEAR:
            return year
        case Precision.MONTH:
            assert date.month is not None
            return f"{MONTHS[date.month - 1]} {year}"
        case Precision.DAY:
            assert date.month is not None
            return f"{date.day} {MONTHS_SHORT[date.month - 1]} {year}"
        case _:
            assert date.month is not None
            return f"{date.day} {MONTHS_SHORT[date.month - 1]} {year}, {_clock(date)} UTC"


def _clock(date: PartialDate) -> str:
    return f"{date.hour or 0:02d}:{date.minute or 0:02d}"


def span_words(start: PartialDate, end: PartialDate | None = None) -> str:
    """A date, or a range said once: "17–20 Jan 2025", "17 Jan – 3 Feb 2025",
    "March – May 1945", "509–27 BC", "19 Feb 2014, 15:32–16:05 UTC"."""
    if end is None or end == start:
        return date_words(start)
    same = start.precision == end.precision
    year = year_words(end.year)
    if same and start.year == end.year:
        match start.precision:
            case Precision.MONTH:
                assert start.month is not None and end.month is not None
                return f"{MONTHS[start.month - 1]} {DASH} {MONTHS[end.month - 1]} {year}"
            case Precision.DAY:
                assert start.month is not None and end.month is not None
                if start.month == end.month:
                    return f"{start.day}{DASH}{end.day} {MONTHS_SHORT[end.month - 1]} {year}"
                return (
                    f"{start.day} {MONTHS_SHORT[start.month - 1]} {DASH} "
                    f"{end.day} {MONTHS_SHORT[end.month - 1]} {year}"
                )
            case Precision.MINUTE if (start.month, start.day) == (end.month, end.day):
                day = date_words(PartialDate(start.year, start.month, start.day))
                return f"{day}, {_clock(start)}{DASH}{_clock(end)} UTC"
    if same and start.precision == Precision.YEAR and start.year < 0 and end.year < 0:
        return f"{-start.year}{DASH}{-end.year} BC"
    if same and start.precision == Precision.YEAR:
        return f"{year_words(start.year)}{DASH}{year_words(end.year)}"
    return f"{date_words(start)} {DASH} {date_words(end)}"


def window_words(start: PartialDate | None, end: PartialDate | None) -> str:
    """A time window as readers see it: "June 2024 – February 2025", one date when both
    ends agree, "…" for an open side, "" when there is no window at all."""
    if start is None and end is None:
        return ""
    if start is None or end is None:
        first = date_words(start) if start else "…"
        last = date_words(end) if end else "…"
        return f"{first} {DASH} {last}"
    return span_words(start, end)


def event_date(event: Event) -> str:
    """An event's date for readers: the source's words if it has them ("mid-November
    2024"), else its dates in words, with "c." when approximate."""
    if event.date_label.strip():
        return " ".join(event.date_label.split())
    text = span_words(event.start, event.end)
    return f"c. {text}" if event.approximate else text


@lru_cache(maxsize=1)
def _markdown():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    # CommonMark with raw HTML passed on (nh3 cleans it next), no typographer
    # (quotes stay as written), lists and emphasis as usual.
    return MarkdownIt("commonmark", {"html": True, "linkify": False})


# A line opening with a year and a full stop ("1945. The war ends") is a sentence,
# not the first item of a list numbered from 1945.
_YEAR_FULL_STOP = re.compile(r"^(\s{0,3}\d{3,})([.)])(?=\s)", re.MULTILINE)


def _markdown_html(text: str) -> str:
    rendered = _markdown().render(_YEAR_FULL_STOP.sub(r"\1\\\2", text)).strip()
    # A single paragraph needs no <p>: the text goes into a line or a panel.
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def is_rich(text: str) -> bool:
    """Whether ``text`` may hold HTML or Markdown (a plain sentence does not)."""
    return bool(_MARKUP.search(text) or _MARKDOWN.search(text))


def rich_html(text: str) -> str:
    """Markdown or HTML as HTML safe to show: links (http, https, mailto; opening outside
    the page), emphasis, paragraphs and lists kept, everything else removed or escaped."""
    import nh3

    if not text or not text.strip():
        return ""
    source = _markdown_html(text) if is_rich(text) else html.escape(text.strip(), quote=False)
    return nh3.clean(
        source,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes=SAFE_SCHEMES,
        # Links open outside the page and tell the target nothing about it.
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"a": {"target": "_blank"}},
    ).strip()


def plain_text(text: str, paragraphs: bool = True) -> str:
    """Markdown or HTML as the plain text a reader sees in it: tags, marks and entities
    gone, "**Bold** [link](url)" read as "Bold link".

    paragraphs: keep line breaks between paragraphs and list items ("\\n");
    otherwise everything is one line (a label, a title).
    """
    if not text or not text.strip():
        return ""
    if not is_rich(text):
        return " ".join(text.split())
    import nh3

    source = _markdown_html(text)
    source = _LIST_ITEM.sub(lambda m: m[0] + "• ", source)
    source = _BREAKS.sub(lambda m: m[0] + "\n", source)
    # No tags at all; script and style bodies are dropped with their tags.
    bare = html.unescape(nh3.clean(source, tags=set()))
    lines = [" ".join(line.split()) for line in bare.splitlines()]
    lines = [line for line in lines if line]
    return ("\n" if paragraphs else " ").join(lines)


def shorten(text: str, limit: int) -> str:
    """``text`` cut on a word to at most ``limit`` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–") + "…"

"""Shared pieces for reading other tools' files into the dataset model.

Each foreign format is translated into the canonical sheets (events, places,
sources, story) and then checked by ``records.build_dataset``, so imported
data is held to exactly the rules of a native dataset. ``MappedTable`` keeps
the user's own column names for messages: a bad date in a TimelineJS sheet is
reported against its "Year" column, not against the canonical "start".
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..records import Table

# What survives in imported rich text: paragraphs, line breaks, emphasis, links, quotations.
SAFE_TAGS = {"p", "br", "a", "em", "strong", "i", "b", "blockquote", "cite"}
SAFE_ATTRIBUTES = {"a": {"href", "title"}}
SAFE_URL_SCHEMES = {"http", "https", "mailto"}
_MARKUP = re.compile(r"<[A-Za-z/!?]|&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
# Markdown as sheets write it (TimelineJS renders it): links, bold and italics.
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\(\s*((?:https?://|mailto:)[^)\s]+)\s*\)")
_MD_BOLD = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def markdown_html(text: str) -> str:
    """Markdown links, bold and italics as HTML; anything else is left as written."""
    if "[" not in text and "*" not in text:
        return text
    text = _MD_LINK.sub(lambda m: f'<a href="{html.escape(m[2])}">{m[1]}</a>', text)
    text = _MD_BOLD.sub(r"<strong>\1</strong>", text)
    return _MD_ITALIC.sub(r"<em>\1</em>", text)


@dataclass
class MappedTable(Table):
    """A canonical table whose columns came from differently named source columns.

    ``labels`` maps a canonical column ("start") to the column the user wrote
    ("Year"), so every problem names the cell the user has to fix.
    """

    labels: dict[str, str] = field(default_factory=dict)

    def written(self, column: str) -> str:
        return self.labels.get(column, column)


def canonical_table(
    path: str, columns: tuple[str, ...], labels: dict[str, str] | None = None
) -> MappedTable:
    return MappedTable(path, list(columns), labels=labels or {})


def sanitise_html(text: str) -> str:
    """Rich text reduced to a safe subset (links, emphasis, paragraphs); scripts dropped."""
    import nh3  # imported here: only imports of rich text pay for it

    if not text or not text.strip():
        return ""
    text = markdown_html(text)
    if not _MARKUP.search(text):
        # Plain text stays as written: cleaning would turn "&" into "&amp;".
        return text.strip()
    return nh3.clean(
        text,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes=SAFE_URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


def html_text(text: str) -> str:
    """Rich text as plain text, for fields that are never shown as HTML (titles, credits)."""
    import nh3

    if not text or not text.strip():
        return ""
    if not _MARKUP.search(text) and "[" not in text and "*" not in text:
        return " ".join(text.split())  # nothing to clean: the usual title
    plain = html.unescape(nh3.clean(markdown_html(text), tags=set()))
    return re.sub(r"\s+", " ", plain).strip()


def is_url(text: str) -> bool:
    parts = urlsplit(text.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text.strip()


def host_of(url: str) -> str:
    host = urlsplit(url.strip()).hostname or ""
    return host.removeprefix("www.")


def slug(text: str, fallback: str) -> str:
    """A readable id from a title: "Ada Lovelace" -> "ada-lovelace"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:48].rstrip("-") or fallback


def unique(base: str, used: set[str]) -> str:
    ident, n = base, 2
    while ident in used:
        ident, n = f"{base}-{n}", n + 1
    used.add(ident)
    return ident


def short_title(text: str, limit: int = 90) -> str:
    """A title for a timeline label from a long description: cut on a word, marked with '…'."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def text_of(value: Any) -> str:
    """A JSON or cell value as stripped text; containers are not text."""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()

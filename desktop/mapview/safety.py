"""Event text is data, never code: the one place that decides what may reach the page.

Titles, names and dates reach the page only as JSON strings that the page's
script sets with ``textContent``. Summaries and notes may carry a little
formatting (HTML or Markdown), so they pass through ``safe_html``
(desktop.core.display.rich_html: Markdown rendered, then nh3, an allow-list
HTML sanitiser) first.
Links are kept only for http(s) and mailto, so a ``javascript:`` link is dropped.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from desktop.core.display import SAFE_SCHEMES
from desktop.core.display import rich_html as safe_html

__all__ = ["safe_html", "safe_url", "script_json"]


def safe_url(url: str) -> str:
    """The URL if it is an http(s) or mailto link, else "" (the page shows no link)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return ""
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return ""
    return url


def script_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no "</script>", "<!--" or "&" survives."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )

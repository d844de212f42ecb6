"""Every exporter, registered: the Qt-free ones of desktop.exports, and the rendered ones
(PNG, decks) that live here, beside the widgets they draw with.

Importing this imports no Qt: the rendered exporters import it when they run,
so listing the formats (for --help, a menu, or a JSON export) stays cheap.
"""

from __future__ import annotations


def load_all() -> None:
    """Register every exporter in desktop.exports.EXPORTERS (each registers on import)."""
    from desktop.exports import html_export  # noqa: F401

    from . import deck_export, png_export  # noqa: F401

"""Import every exporter module that registers itself, so all formats are listed.

Exporters needing Qt register a thin wrapper that imports Qt only when run,
so listing them (for --help or a menu) stays cheap.
"""

from __future__ import annotations

import importlib

# Modules that call desktop.exports.register() when imported. Add new ones here.
EXPORTER_MODULES: tuple[str, ...] = (
    "desktop.exports.html_export",
    "desktop.exports.png_export",
    "desktop.exports.deck_export",
    "desktop.exports.parquet_export",
)


def load_all() -> None:
    for name in EXPORTER_MODULES:
        importlib.import_module(name)

"""png_ms (1920x1080 snapshot), html_ms and html_mb: the exports, timed on a loaded dataset.

The PNG figure includes starting Qt and QtWebEngine, as `chronomap export --png` does.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from .common import dataset_arg, emit, qt_environment


def main() -> None:
    path = dataset_arg()
    which = sys.argv[2] if len(sys.argv) > 2 else "html,png"
    qt_environment()
    from desktop.core.load import load_dataset
    from desktop.exports.view import view_from_flags

    dataset = load_dataset(path).dataset
    folder = Path(tempfile.mkdtemp(prefix="chronomap-bench-export-"))
    if "html" in which:
        from desktop.exports.html_export import export_html

        target = folder / "export.html"
        started = time.perf_counter()
        export_html(dataset, target, view_from_flags(dataset))
        emit(
            html_ms=round((time.perf_counter() - started) * 1000),
            html_mb=round(target.stat().st_size / 1e6, 2),
        )
    if "png" in which:
        from desktop.gui.png_export import export_png

        target = folder / "export.png"
        started = time.perf_counter()
        export_png(dataset, target, view_from_flags(dataset), (1920, 1080))
        emit(
            png_ms=round((time.perf_counter() - started) * 1000),
            png_kb=target.stat().st_size // 1024,
        )


if __name__ == "__main__":
    main()

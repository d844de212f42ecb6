"""PNG snapshot: one image composed like a slide, rendered headless (no display, no network)."""

from __future__ import annotations

import os
from pathlib import Path

from desktop.core.model import Dataset
from desktop.core.view_state import FrozenView
from desktop.exports import Exporter, ExportError, Size, register
from desktop.exports.sizes import DEFAULT_SIZE


def check_target(path: str | os.PathLike[str]) -> Path:
    """Fail early, before any rendering, when the file could not be written."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise ExportError(f"cannot write {target}: permission denied")
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    return target


def start_qt(size: tuple[int, int]):
    """The QApplication for headless rendering at ``size`` (created here when needed)."""
    from PySide6.QtWidgets import QApplication

    from . import snapshot  # QtWebEngine before the application

    if QApplication.instance() is None:
        snapshot.prepare_headless(size)
    from .application import make_application

    return make_application()


def export_png(
    dataset: Dataset, path: str | os.PathLike[str], frozen: FrozenView, size: Size | None = None
) -> None:
    from desktop.exports.view import resolve_view

    size = size or DEFAULT_SIZE
    view = resolve_view(dataset, frozen)
    target = check_target(path)
    start_qt(size)
    from .snapshot import render, save_png

    image = render(dataset, [view], size)[0]
    save_png(image, target)


register(Exporter("png", "PNG image", ".png", export_png, needs_qt=True))

"""PNG snapshot: one image composed like a slide, rendered headless (no display, no network)."""

from __future__ import annotations

import os
from pathlib import Path

from desktop.core.model import Dataset

from . import Exporter, ExportError, ExportOptions, register

FULL_HD = (1920, 1080)
UHD_4K = (3840, 2160)
A4_300DPI = (3508, 2480)  # A4 landscape, 297 x 210 mm, at 300 dpi
DEFAULT_SIZE = FULL_HD
# Named sizes the menus offer.
PRESETS: dict[str, tuple[int, int]] = {
    "1920 × 1080 (Full HD)": FULL_HD,
    "3840 × 2160 (4K)": UHD_4K,
    "A4 landscape, 300 dpi (3508 × 2480)": A4_300DPI,
}
# Short names the command line's --size accepts.
SIZE_NAMES: dict[str, tuple[int, int]] = {"hd": FULL_HD, "4k": UHD_4K, "a4": A4_300DPI}


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

    from desktop.gui import snapshot  # noqa: F401  (QtWebEngine before the application)

    if QApplication.instance() is None:
        snapshot.prepare_headless(size)
    from desktop.gui.app import make_application

    return make_application()


def export_png(dataset: Dataset, path: str | os.PathLike[str], options: ExportOptions) -> None:
    from .view import resolve_view

    size = options.size or DEFAULT_SIZE
    view = resolve_view(dataset, options)
    target = check_target(path)
    start_qt(size)
    from desktop.gui.snapshot import render, save_png

    image = render(dataset, [view], size)[0]
    save_png(image, target)


register(Exporter("png", "PNG image", ".png", export_png, needs_qt=True))

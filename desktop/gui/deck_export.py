"""Decks: one 16:9 slide per story step, each the step's snapshot as the PNG export draws it.

PPTX slides carry the step's title in the slide's title placeholder (for the
outline and screen readers; the picture covers it, since the snapshot shows
the same title), the caption as the picture's alternative text, and the
speaker notes in the notes page; the alternative text and the notes also name
the flagged events (contested, reported, background) and what the flags mean,
as the snapshot's legend does. PDF pages are the snapshots at 16:9.
"""

from __future__ import annotations

import io
import os
import sys

from desktop.core import flags
from desktop.core.display import plain_text
from desktop.core.model import Dataset
from desktop.core.view_state import FrozenView
from desktop.exports import Exporter, Size, register, shared
from desktop.exports.sizes import SLIDE_SIZE
from desktop.exports.view import ExportView, deck_views, resolve_view

from .png_export import check_target, start_qt


def render_slides(dataset: Dataset, frozen: FrozenView, size: Size | None):
    """The slides' views and images (rendered once per run: a PDF and a PPTX share them)."""
    return shared(("slides", frozen, size), lambda: _render_slides(dataset, frozen, size))


def _render_slides(
    dataset: Dataset, frozen: FrozenView, size: Size | None
) -> tuple[list[ExportView], list]:
    views = [resolve_view(dataset, v) for v in deck_views(dataset, frozen)]
    size = size or SLIDE_SIZE
    start_qt(size)
    from .snapshot import render

    def progress(done: int, total: int) -> None:
        print(f"slide {done}/{total}", file=sys.stderr, flush=True)

    return views, render(dataset, views, size, progress=progress)


def export_pptx(
    dataset: Dataset, path: str | os.PathLike[str], frozen: FrozenView, size: Size | None = None
) -> None:
    from pptx import Presentation
    from pptx.util import Emu, Inches

    from desktop.core.atomic import atomic_path

    from .snapshot import png_bytes

    target = check_target(path)
    views, images = render_slides(dataset, frozen, size)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    layout = deck.slide_layouts[5]  # "Title Only"
    for view, image in zip(views, images, strict=True):
        slide = deck.slides.add_slide(layout)
        slide.shapes.title.text = view.title
        picture = slide.shapes.add_picture(
            io.BytesIO(png_bytes(image)), Emu(0), Emu(0), deck.slide_width, deck.slide_height
        )
        picture.name = "Snapshot"
        # Alternative text: what the picture shows, for screen readers, flags included.
        # The step's own events first: what the audience is looking at.
        chosen = set(view.selected)
        shown = [dataset.event(i) for i in view.selected]
        shown += [e for e in view.events if e.id not in chosen]
        flagged = flags.text_legend(shown, dataset)
        described = " ".join([f"{view.title}. {view.caption}", *flagged])
        picture._element.nvPicPr.cNvPr.set("descr", described)
        notes = plain_text(view.step.notes) if view.step else ""
        slide.notes_slide.notes_text_frame.text = "\n\n".join(
            part for part in (notes, "\n".join(flagged)) if part
        )
    deck.core_properties.title = plain_text(dataset.title, paragraphs=False)
    with atomic_path(target) as tmp:
        deck.save(str(tmp))


def export_pdf(
    dataset: Dataset, path: str | os.PathLike[str], frozen: FrozenView, size: Size | None = None
) -> None:
    from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRect, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    from desktop.core.atomic import atomic_write_bytes

    target = check_target(path)
    views, images = render_slides(dataset, frozen, size)
    # Drawn in memory, then written: QPdfWriter reports success even when the disk
    # filled up (the file is cut off); a plain write says why, and the old file stays.
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(dataset.title)
    writer.setCreator("Chronomap")
    page = QPageSize(QSizeF(13.333, 7.5), QPageSize.Unit.Inch, "Slide 16:9")
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setResolution(144)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot start writing {target}")
    try:
        for number, image in enumerate(images):
            if number:
                writer.newPage()
            area = QRect(0, 0, writer.width(), writer.height())
            painter.drawImage(area, image)
    finally:
        painter.end()
    atomic_write_bytes(target, bytes(buffer.data().data()))


register(Exporter("pdf", "PDF deck (one page per story step)", ".pdf", export_pdf, needs_qt=True))
register(
    Exporter(
        "pptx", "PowerPoint deck (one slide per story step)", ".pptx", export_pptx, needs_qt=True
    )
)

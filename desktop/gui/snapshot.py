"""A snapshot composed like a slide: title, date window, map, timeline, legend, sources.

The same widgets as the window draw it (MapView and TimelineView on a
ViewState), shown the view to export and framed by the same rule as the
window's (desktop.core.framing), so a snapshot looks like the screen. It is laid out for a 1080-line
slide; bigger images are rendered at a device-pixel ratio above 1 (set through
QT_SCALE_FACTOR before the QApplication exists), so a 4K snapshot is really
drawn at 4K, with sharp text and map, not an enlarged 1080p image.
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.core import flags
from desktop.core.display import plain_text, shorten
from desktop.core.framing import view_frame
from desktop.core.model import Dataset
from desktop.core.view_state import ViewState
from desktop.exports import ExportError
from desktop.exports.view import ExportView
from desktop.mapview.palette import category_colors

from .detail_panel import FLAG_INK, flag_html
from .map_view import MapView
from .timeline_view import TimelineView

BASE_HEIGHT = 1080
MAP_TIMEOUT_MS = 60_000
INK = "#111827"
MUTED = "#4b5563"


def layout_ratio(size: tuple[int, int]) -> float:
    """How much of the 1080-line layout fits into ``size`` (2.0 for 4K, 0.67 for 720p)."""
    width, height = size
    return max(0.25, min(height / BASE_HEIGHT, width / (BASE_HEIGHT * 16 / 9)))


def scale_for(size: tuple[int, int]) -> float:
    """Device-pixel ratio that fits the 1080-line layout into ``size``.

    Never below 1: QtWebEngine does not draw a page at a scale under 1 (it says
    "Unsupported scale factor" and draws the map at a fraction of its place). A
    smaller image is laid out as the 1080-line slide and scaled down as a whole.
    """
    return max(1.0, layout_ratio(size))


def prepare_headless(size: tuple[int, int]) -> None:
    """Before the QApplication exists: offscreen unless told otherwise, scaled for ``size``."""
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["QT_SCALE_FACTOR"] = f"{scale_for(size):.6f}"
    os.environ["QT_ENABLE_HIGHDPI_SCALING"] = "1"


class SnapshotWidget(QWidget):
    """The slide: built once, then shown for one view after another (deck steps)."""

    def __init__(self, dataset: Dataset, logical: QSize, header: bool = True):
        super().__init__()
        self.setObjectName("snapshot")
        self.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        self.setStyleSheet(f"QWidget#snapshot {{ background: white; }} QLabel {{ color: {INK}; }}")
        self.resize(logical)
        self.dataset = dataset
        self.state = ViewState(dataset)
        self.colors = category_colors(dataset.categories(), dataset.palette)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(36, 24, 36, 16)
        outer.setSpacing(10)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 34px; font-weight: 700;")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setStyleSheet(f"font-size: 20px; color: {MUTED};")
        if header:
            outer.addWidget(self.title)
            outer.addWidget(self.subtitle)

        body = QHBoxLayout()
        body.setSpacing(16)
        self.map = MapView(self.state)
        body.addWidget(self.map, stretch=1)
        side = QVBoxLayout()
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.legend.setStyleSheet("font-size: 17px;")
        self.flag_legend = QLabel()
        self.flag_legend.setWordWrap(True)
        self.flag_legend.setTextFormat(Qt.TextFormat.RichText)
        self.flag_legend.setStyleSheet("font-size: 15px;")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setStyleSheet("font-size: 17px;")
        side.addWidget(self.legend)
        side.addWidget(self.detail, stretch=1)
        panel = QFrame()
        panel.setLayout(side)
        panel.setFixedWidth(360)
        body.addWidget(panel)
        outer.addLayout(body, stretch=1)

        self.timeline = TimelineView(self.state, self.colors)
        self.timeline.setFixedHeight(340)
        self.timeline.set_window_region_shown(False)
        outer.addWidget(self.timeline)
        # Under the timeline whose labels carry them, the width of the slide.
        outer.addWidget(self.flag_legend)
        self.footer = QLabel()
        self.footer.setWordWrap(True)
        self.footer.setStyleSheet(f"font-size: 13px; color: {MUTED};")
        outer.addWidget(self.footer)
        self._map_loaded = False

    def apply(self, view: ExportView) -> None:
        """Show one view: its window, filter, selection, texts, legend and map position."""
        state = self.state
        with state.batch():  # the map and the timeline draw once, framed
            state.restore(view.frozen)
            state.set_frame(view_frame(state, view.map_view))
        self.title.setText(view.title)
        subtitle = view.window_text()
        if view.caption:
            subtitle = f"{view.caption}  ·  {subtitle}"
        self.subtitle.setText(subtitle)
        self.legend.setText(self._legend_html(view))
        self.flag_legend.setText(self._flags_html(view))
        self.flag_legend.setVisible(bool(self.flag_legend.text()))
        self.footer.setText(view.footer())
        self._fit_detail(view)  # once the rest of the slide has its text and size

    def _legend_html(self, view: ExportView) -> str:
        counts = {c: sum(e.category == c for e in view.events) for c in view.categories}
        rows = "".join(
            f"<tr><td><span style='color:{self.colors.get(c, '#999999')};font-size:22px'>"
            f"■</span></td><td>{html.escape(c or 'uncategorised')}</td>"
            f"<td align='right' style='color:{MUTED}'>{counts[c]}</td></tr>"
            for c in view.categories
        )
        return f"<b>Categories</b><table cellspacing='4'>{rows}</table>"

    def _flags_html(self, view: ExportView) -> str:
        """What the bracketed words on the timeline mean (core.flags), for those shown."""
        return " &nbsp;·&nbsp; ".join(map(flag_html, flags.legend(view.events, self.dataset)))

    # Ways to say the selection in the side panel, fullest first: (events, summary length).
    DETAIL_FORMS = ((2, 170), (2, 90), (1, 170), (1, 90), (1, 0))

    def _fit_detail(self, view: ExportView) -> None:
        """The fullest account of the selection that fits under the legend, never one cut
        off at the panel's foot (a long legend leaves less room)."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        panel = self.detail.parentWidget()
        room = (panel.contentsRect().height() if panel else 0) - self.legend.sizeHint().height()
        width = self.detail.width() or 330
        for count, chars in self.DETAIL_FORMS:
            self.detail.setText(self._detail_html(view, count, chars))
            if self.detail.heightForWidth(width) <= room - 20:
                return

    def _detail_html(self, view: ExportView, count: int = 2, chars: int = 170) -> str:
        parts = []
        for ident in view.selected[:count]:
            event = self.dataset.event(ident)
            # Markdown and HTML in the data read as plain text on a picture.
            summary = shorten(plain_text(event.summary, paragraphs=False), chars) if chars else ""
            cue = flags.cue_text(event, self.dataset)
            cue_html = f" <b style='color:{FLAG_INK}'>[{html.escape(cue)}]</b>" if cue else ""
            parts.append(
                f"<p><b>{html.escape(plain_text(event.title, paragraphs=False))}</b>{cue_html}<br>"
                f"<span style='color:{MUTED}'>{html.escape(event.display_date())}</span><br>"
                f"{html.escape(summary)}</p>"
            )
        if len(view.selected) > count:
            parts.append(f"<p style='color:{MUTED}'>and {len(view.selected) - count} more</p>")
        return "".join(parts)

    # -- waiting for the map ------------------------------------------------

    def wait_for_map(self) -> None:
        """Load the page if needed (it opens on the state's frame), and wait until the map
        shows what was applied."""
        if not self._map_loaded:
            self.map.show_dataset()
            _wait(self.map.sigReady, lambda: self.map.ready, "the map page did not load")
            self.map.set_controls(False)  # zoom buttons are for hands, not for handouts
            self._map_loaded = True
        drawn: list[bool] = []
        self.map.when_drawn(lambda: drawn.append(True))
        deadline = time.monotonic() + MAP_TIMEOUT_MS / 1000
        while not drawn:
            if time.monotonic() > deadline:
                raise ExportError("the map did not finish drawing; try again")
            _spin(20)
        # Tile-free vector map: two frames after the view is set, it is drawn.
        _spin(120)

    def grab_exact(self, size: tuple[int, int]) -> QImage:
        """The slide as an image of exactly ``size`` pixels."""
        image = self.grab().toImage()
        width, height = size
        if image.width() == width and image.height() == height:
            image.setDevicePixelRatio(1.0)
            return image
        # A non-integer scale can round the grab a pixel off; fit it exactly.
        exact = QImage(width, height, QImage.Format.Format_RGB32)
        exact.fill(QColor("white"))
        painter = QPainter(exact)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        image.setDevicePixelRatio(1.0)
        painter.drawImage(exact.rect(), image)
        painter.end()
        return exact


def _spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _wait(signal, done: Callable[[], bool], message: str) -> None:
    if done():
        return
    loop = QEventLoop()
    signal.connect(loop.quit)
    timer = QTimer(singleShot=True, interval=MAP_TIMEOUT_MS)
    timer.timeout.connect(loop.quit)
    timer.start()
    loop.exec()
    if not done():
        raise ExportError(f"{message} within {MAP_TIMEOUT_MS // 1000} s")


def render(
    dataset: Dataset,
    views: list[ExportView],
    size: tuple[int, int],
    header: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> list[QImage]:
    """Render each view as an image of ``size``; the QApplication must already exist."""
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("render() needs a QApplication")
    ratio = app.devicePixelRatio() if hasattr(app, "devicePixelRatio") else 1.0
    screen = QApplication.primaryScreen()
    if screen is not None:
        ratio = screen.devicePixelRatio()
    if ratio <= 1.0 and layout_ratio(size) < 1.0:
        # Smaller than the slide: lay it out at the slide's size, and grab_exact
        # scales the whole picture down, as the screen would look shrunk.
        ratio = layout_ratio(size)
    logical = QSize(round(size[0] / ratio), round(size[1] / ratio))
    widget = SnapshotWidget(dataset, logical, header=header)
    widget.show()
    images = []
    try:
        for number, view in enumerate(views, start=1):
            widget.apply(view)
            _spin(30)
            widget.wait_for_map()
            images.append(widget.grab_exact(size))
            if progress:
                progress(number, len(views))
    finally:
        widget.close()
        widget.deleteLater()
    return images


def png_bytes(image: QImage) -> bytes:
    """The image as PNG, in memory."""
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise OSError("could not encode the image as PNG")
    return bytes(buffer.data().data())


def save_png(image: QImage, path: str | os.PathLike[str]) -> None:
    from desktop.core.atomic import atomic_write_bytes

    # Encoded first, then written: QImage.save into a file on a full disk says only
    # "False", while a plain write says why (and leaves the old file in place).
    atomic_write_bytes(Path(path), png_bytes(image))

"""naive_ready_ms: what a notebook user would do: one folium.Marker per event, in the same view.

The page is saved to a file and loaded in a QWebEngineView (setHtml fails
above 2 MB). folium's CDN links point at the installed Leaflet instead (this
machine has no network) and there are no tiles, so the peer does strictly
less work than the real map page. Timed from process start, like
``--exit-when-ready``, and with the same notion of drawn (load, then two frames).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from .common import dataset_arg, emit, fail, process_age_ms, qt_environment, tree_rss_mb

READY_JS = (
    "requestAnimationFrame(function () { requestAnimationFrame(function () {"
    " document.title = 'ready:' + document.querySelectorAll('.leaflet-marker-icon').length;"
    " }); });"
)


def build_page(path: Path, target: Path) -> int:
    import folium

    from desktop.core.load import load_dataset
    from desktop.mapview.assets import leaflet_css, leaflet_js

    dataset = load_dataset(path).dataset
    fmap = folium.Map(location=[40, 45], zoom_start=4, tiles=None)
    fmap.default_js = [("leaflet", leaflet_js().as_uri())]
    fmap.default_css = [("leaflet_css", leaflet_css().as_uri())]
    markers = 0
    for event in dataset.events:
        anchor = next(
            (
                a
                for a in (dataset.places[p].anchor() for p in event.places if p in dataset.places)
                if a is not None
            ),
            None,
        )
        if anchor is None:
            continue
        folium.Marker(anchor, tooltip=event.title).add_to(fmap)
        markers += 1
    fmap.save(str(target))
    return markers


def main() -> None:
    path = dataset_arg()
    qt_environment()
    target = Path(tempfile.mkdtemp(prefix="chronomap-naive-")) / "naive.html"
    started = time.perf_counter()
    markers = build_page(path, target)
    emit(
        naive_build_ms=round((time.perf_counter() - started) * 1000),
        naive_markers=markers,
        naive_html_mb=round(target.stat().st_size / 1e6, 2),
    )

    from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication([])
    view = QWebEngineView()
    view.resize(1600, 1000)
    view.show()

    def loaded(ok: bool) -> None:
        if not ok:
            fail("the naive page did not load")
        view.page().runJavaScript(READY_JS)

    def title(text: str) -> None:
        if text.startswith("ready:"):
            emit(
                naive_ready_ms=round(process_age_ms()),
                naive_drawn_markers=int(text.split(":")[1]),
                naive_rss_mb=tree_rss_mb(),
            )
            app.quit()

    view.loadFinished.connect(loaded)
    view.titleChanged.connect(title)
    view.load(QUrl.fromLocalFile(str(target)))
    QTimer.singleShot(600_000, lambda: app.exit(1))
    app.exec()


if __name__ == "__main__":
    main()

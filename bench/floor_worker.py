"""floor_ready_ms: a fresh process showing a bare QWebEngineView page, for scale.

Timed like ``chronomap --exit-when-ready`` (from process start) and with the
same notion of drawn: the page's load event, then two animation frames.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .common import emit, fail, process_age_ms, qt_environment

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>loading</title></head>
<body><p>Floor</p><script>
window.addEventListener("load", function () {
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    document.title = "ready"; }); });
});
</script></body></html>"""


def main() -> None:
    qt_environment()
    from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication([])
    path = Path(tempfile.mkdtemp(prefix="chronomap-floor-")) / "floor.html"
    path.write_text(PAGE, encoding="utf-8")
    view = QWebEngineView()
    view.resize(1600, 1000)
    view.show()

    def title(text: str) -> None:
        if text == "ready":
            emit(floor_ready_ms=round(process_age_ms()))
            app.quit()

    view.titleChanged.connect(title)
    view.load(QUrl.fromLocalFile(str(path)))
    QTimer.singleShot(60_000, lambda: app.exit(1))
    if app.exec() != 0:
        fail("the bare page never drew")


if __name__ == "__main__":
    main()

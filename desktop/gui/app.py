"""Start the window: QApplication, the dataset, and the optional ready-and-exit check.

Qt, pyqtgraph and folium are imported here and below, never by the CLI's
other commands, and as late as possible: start-up time is a feature.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

_IMPORTED = time.perf_counter()
READY_TIMEOUT_MS = 60_000


def process_age_ms() -> float:
    """Milliseconds since this process started (Linux: from /proc; else since import)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            # The command name may hold spaces; fields resume after its ')'.
            fields = handle.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return (uptime - started) * 1000
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - _IMPORTED) * 1000


def _prepare_environment() -> None:
    # Chromium refuses its sandbox as root; only then (or in CI) is it switched off.
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root or os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def make_application():
    """The QApplication (created once), set up for QtWebEngine."""
    _prepare_environment()
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        QCoreApplication.setOrganizationName("Chronomap")
        QCoreApplication.setApplicationName("Chronomap")
        app = QApplication(sys.argv[:1])
    return app


class ReadyWatch:
    """Reports once the timeline is drawn and the map page is ready and linked."""

    def __init__(self, window, on_ready) -> None:
        self._window = window
        self._on_ready = on_ready
        self._timeline = window.timeline.drawn
        self._map = window.map.ready
        self._checking = False
        window.timeline.sigDrawn.connect(self._timeline_drawn)
        window.map.sigReady.connect(self._map_ready)
        self._maybe()

    def _timeline_drawn(self) -> None:
        self._timeline = True
        self._maybe()

    def _map_ready(self) -> None:
        self._map = True
        self._maybe()

    def _maybe(self) -> None:
        if self._timeline and self._map and not self._checking:
            self._checking = True
            self._window.map.check_link(self._on_ready)


def run(path: Path | None, exit_when_ready: bool = False) -> int:
    """Open the window on ``path`` (the built-in dataset if None); returns the exit code."""
    app = make_application()
    from PySide6.QtCore import QTimer

    from .main_window import MainWindow

    window = MainWindow(settings=_scratch_settings() if exit_when_ready else None)
    if not window.settings.contains("geometry"):
        window.resize(1600, 1000)
    window.show()
    if path is None:
        window.open_builtin()
    elif not window.open_path(path):
        print(f"chronomap: cannot open {path}", file=sys.stderr)
        if exit_when_ready:
            return 2

    if exit_when_ready:
        outcome = {"code": 1}

        def ready(linked: bool) -> None:
            if linked:
                print(f"ready in {process_age_ms():.0f} ms", flush=True)
                outcome["code"] = 0
            else:
                print("chronomap: the map did not confirm the selection", file=sys.stderr)
            app.exit(outcome["code"])

        def too_slow() -> None:
            print(
                f"chronomap: not ready after {READY_TIMEOUT_MS // 1000} s "
                f"(timeline drawn: {window.timeline.drawn}, map ready: {window.map.ready})",
                file=sys.stderr,
            )
            for line in window.map.console[-5:]:
                print(f"  page: {line}", file=sys.stderr)
            app.exit(1)

        watch = ReadyWatch(window, ready)  # noqa: F841 (kept alive while the loop runs)
        QTimer.singleShot(READY_TIMEOUT_MS, too_slow)
        app.exec()
        return outcome["code"]
    code = app.exec()
    return int(code)


def _scratch_settings():
    """Settings that go nowhere: a ready-check run must not change the user's layout."""
    import tempfile

    from PySide6.QtCore import QSettings

    folder = Path(tempfile.mkdtemp(prefix="chronomap-settings-"))
    return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)

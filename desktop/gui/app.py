"""Start the window: QApplication, the dataset, and the optional ready-and-exit check.

Qt, pyqtgraph and folium are imported here and below, never by the CLI's
other commands, and as late as possible: start-up time is a feature.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from .application import make_application

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


class ReadyWatch:
    """Reports once the timeline is drawn and the map page is ready and linked."""

    def __init__(self, window, on_ready) -> None:
        self._window = window
        self._on_ready = on_ready
        # The timeline's first frame counts: it paints the same events before the
        # timeline itself (pyqtgraph) is ready to.
        self._timeline = window.timeline_drawn
        self._map = window.map.ready
        self._checking = False
        window.sigTimelineDrawn.connect(self._timeline_drawn)
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


def run(path: Path | None, exit_when_ready: bool = False, engine_url: str | None = None) -> int:
    """Open the window on ``path`` (the built-in dataset if None), or on the source an
    engine URL names; returns the exit code."""
    app = make_application()
    from PySide6.QtCore import QTimer

    from .file_open import ChronomapApplication

    settings = _scratch_settings() if exit_when_ready else None
    early = None
    # A large file takes seconds to read: the window comes first and opens it
    # behind its busy dialog, so the user sees something happen at once.
    if not _online_basemap(settings) and not _large(path) and engine_url is None:
        # The map page loads in Chromium's own process while the timeline, table
        # and panels (pyqtgraph and numpy among them) are imported and built, so
        # start-up costs about the longer of the two rather than their sum.
        # The modules both sides need are imported first, here.
        from desktop import resources  # noqa: F401
        from desktop.core import framing, load, view_state  # noqa: F401

        from . import map_view  # noqa: F401

        # The page is started first: reading the dataset takes milliseconds alone but
        # seconds beside the import thread, which holds the interpreter most of the time.
        early = _start_map(path)
        imports = _BackgroundImport("desktop.gui.main_window")
        imports.wait(app)
    from .main_window import MainWindow
    from .timeline_first_frame import fits_first_frame

    # A small dataset's timeline is painted first without pyqtgraph (its import and
    # the plots' build are the longest part of opening); the timeline takes over after.
    first_frame = early is not None and fits_first_frame(early[0].dataset)
    window = MainWindow(
        settings=settings, map_view=early[1] if early else None, first_frame=first_frame
    )
    if not window.settings.contains("geometry"):
        window.resize(1600, 1000)
    window.show()
    if early is not None:
        result = early[0]
        window.show_result(result, result.path, remember=path is not None)
    elif engine_url is not None:
        window.open_engine(engine_url)
    elif path is None:
        window.open_builtin()
    elif not window.open_path(path):
        print(f"chronomap: cannot open {path}", file=sys.stderr)
        if exit_when_ready:
            return 2
    if first_frame:
        _timeline_after_first_frame(window)
    # macOS: datasets dropped on the Dock icon; after the first dataset, so they win.
    if isinstance(app, ChronomapApplication):
        app.file_requests.open_with(window.open_path)

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
                f"(timeline drawn: {window.timeline_drawn}, map ready: {window.map.ready})",
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


# Above this (about 250k events as canonical JSON) a dataset is opened from the window.
LARGE_BYTES = 100_000_000
# The timeline is built after the map page is ready, or after this long without it.
PAGE_WAIT_MS = 3_000


def _timeline_after_first_frame(window) -> None:  # noqa: ANN001
    """Once the first frame and the map are on screen, import the timeline's modules
    beside the event loop, then put the timeline in the frame's place (at once if input
    comes first: the frame hands it over).

    Waiting for the map: the page's load and its first replies need the GUI
    thread, which the import (holding the interpreter) and the timeline's build
    would take from it while the user waits for the map; the frame already
    shows the events."""
    from PySide6.QtCore import QTimer

    poll = QTimer(window, interval=10)
    imports: list[_BackgroundImport] = []
    asked: list[bool] = []

    def imported() -> None:
        if imports[0].alive:
            return
        poll.stop()
        if window.first_frame is not None:
            window.timeline  # noqa: B018 (built on first use: here, in the frame's place)

    def begin() -> None:
        if imports or window.first_frame is None:
            return
        imports.append(_BackgroundImport("desktop.gui.timeline_view"))
        poll.timeout.connect(imported)
        poll.start()

    def shown(*_args) -> None:  # noqa: ANN002
        if window.timeline_drawn and window.map.ready and not asked:
            asked.append(True)
            window.map.when_drawn(begin)  # the map on screen, its first replies sent

    # A page that never loads (it reports that itself) must not keep the frame up.
    QTimer.singleShot(PAGE_WAIT_MS, window, begin)
    window.sigTimelineDrawn.connect(shown)
    window.map.sigReady.connect(shown)
    shown()


def _large(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.iterdir() if p.is_file()) > LARGE_BYTES
        return path.stat().st_size > LARGE_BYTES
    except OSError:
        return False  # the usual path reports what is wrong with it


def _online_basemap(settings) -> bool:
    from PySide6.QtCore import QSettings

    return str((settings or QSettings()).value("map/online", "false")).lower() == "true"


def _start_map(path: Path | None):
    """Load the dataset and start its map page before the rest of the window exists.

    Returns (LoadResult, MapView), or None to open the usual way (an
    unreadable file, whose message the window shows).
    """
    from desktop.core.framing import open_dataset
    from desktop.core.load import UnreadableError, load_dataset
    from desktop.core.view_state import ViewState
    from desktop.resources import builtin_dataset

    from .map_view import MapView

    try:
        result = load_dataset(path if path is not None else builtin_dataset())
    except UnreadableError:
        return None
    state = ViewState()
    open_dataset(state, result.dataset)  # framed as the window will frame it
    view = MapView(state, editable=True)
    view.preload()
    return result, view


class _BackgroundImport:
    """Imports a module in a thread; ``wait`` runs the event loop until it is done.

    Chromium's side of QtWebEngine runs its tasks on the GUI thread: an
    import holding that thread would stall the map page's load. The imported
    modules only define classes; every widget is still created on the GUI thread.
    """

    def __init__(self, module: str) -> None:
        import importlib
        import threading

        def work() -> None:
            # A failed import leaves nothing behind in sys.modules: the caller's
            # own import after wait() tries again, on the GUI thread, and
            # reports the error there.
            with contextlib.suppress(Exception):
                importlib.import_module(module)

        self._thread = threading.Thread(target=work, name="chronomap-imports", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def wait(self, app) -> None:
        from PySide6.QtCore import QEventLoop

        while self._thread.is_alive():
            app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 10)
            self._thread.join(0.005)


def _scratch_settings():
    """Settings that go nowhere: a ready-check run must not change the user's layout."""
    import tempfile

    from PySide6.QtCore import QSettings

    folder = Path(tempfile.mkdtemp(prefix="chronomap-settings-"))
    return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)

"""A long session in process: the real window, offscreen, clicked through N cycles.

Usage: python -m bench.soak_worker DATASET CYCLES [EVERY] [EXPORT_EVERY]

One cycle is what an analyst does over and over: select three events one by
one, brush a random window, search for a word, clear all of it, hide and show
a category, click a story step, then present (F5, two steps, Esc). Every
EXPORT_EVERY cycles (100) a PNG is exported through File > Export, in its
child process. Between steps the Qt events are processed and the map page is
waited for (a read queued behind the calls), as a user's clicks would be.

Every EVERY cycles (250) it reports the memory of the whole process tree
(the app and its QtWebEngine processes, split by kind), as the clicking
stops (``busy_mb``) and once the window has gone idle and given back what
the clicks let go of (``rss_mb``, a pause of about two seconds) and the median cycle
time since the last report (on the wall clock, and in CPU time of the whole
tree, which other work on a shared machine does not inflate), as ``BENCH``
lines; the parent (bench.soak) summarises them. Random choices are seeded:
two runs click the same things.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .common import emit, fail, qt_environment, spin_until, tree_rss_mb

READY_TIMEOUT_S = 300.0
STEP_TIMEOUT_S = 60.0
EXPORT_TIMEOUT_S = 300.0
SEED = 20


def _by_kind(measure, root: int | None = None) -> dict[str, float]:
    """``measure(pid)`` summed over the process tree by kind: the app, the page's
    renderer, the rest.

    QtWebEngine's renderers are forked from its zygote and keep its command
    line, so a process is named by where it sits: the app, its QtWebEngine
    helpers (the zygotes and the GPU process), their children (renderers), and
    other children (an export's process while it runs).
    """
    from .common import _children

    tree = _children()
    me = root or os.getpid()
    kinds: dict[str, float] = {}
    todo: list[tuple[int, str]] = [(me, "app")]
    while todo:
        pid, kind = todo.pop()
        kinds[kind] = round(kinds.get(kind, 0.0) + measure(pid), 1)
        for child in tree.get(pid, []):
            if kind == "app":
                todo.append((child, "zygote" if _is_webengine(child) else "other"))
            else:
                todo.append((child, "renderer" if kind == "zygote" else kind))
    return kinds


def process_kinds(root: int | None = None) -> dict[str, float]:
    """Resident MB of the process tree by kind."""
    from .common import _rss_kb

    return _by_kind(lambda pid: _rss_kb(pid) / 1024, root)


def _cpu_s(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    except (OSError, ValueError, IndexError):
        return 0.0


def cpu_kinds_s(root: int | None = None) -> dict[str, float]:
    """CPU seconds used so far by kind: which process a change of pace is in."""
    return _by_kind(_cpu_s, root)


def tree_cpu_s(root: int | None = None) -> float:
    """CPU seconds the process tree has used (user and system, its live processes):
    unlike the wall clock, it does not count the time other work on the machine takes."""
    from .common import _children

    tree = _children()
    total, todo = 0, [root or os.getpid()]
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def _is_webengine(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return b"QtWebEngineProcess" in handle.read().split(b"\0")[0]
    except OSError:
        return False


class Session:
    """The window and the things a cycle clicks, chosen with a seeded generator."""

    def __init__(self, window, export_dir: Path, seed: int = SEED) -> None:
        self.window = window
        self.state = window.state
        self.rng = random.Random(seed)
        self.export_dir = export_dir
        self.exports = 0
        dataset = window.state.dataset
        self.ids = [e.id for e in dataset.events]
        self.words = sorted(
            {w.lower() for e in dataset.events[:2000] for w in e.title.split() if len(w) > 4}
        ) or ["a"]
        layout = window.timeline.layout_data
        extent = layout.extent()
        if extent is None:
            fail("the dataset has no events to click")
        self.extent = extent
        self.categories = list(dataset.categories())
        self._patch_export_dialogs()

    def _patch_export_dialogs(self) -> None:
        # File > Export asks for a size and a file name: answer as a user would.
        menu = self.window.export_menu
        menu.ask_size = lambda: (1920, 1080)
        menu.ask_path = lambda _exporter: self.export_dir / f"soak-{self.exports % 2}.png"

    # -- waiting ---------------------------------------------------------------

    def rest(self) -> None:
        """Pause as a user does between bursts of clicks, until the window has given
        back the memory the burst let go of (it does after a couple of idle seconds)."""
        release = self.window.idle_release
        if not spin_until(lambda: not release.pending, STEP_TIMEOUT_S):
            fail(f"the window did not go idle within {STEP_TIMEOUT_S:.0f} s")

    def settle(self) -> None:
        """Process events until the page has run everything sent so far."""
        done: list[Any] = []
        self.window.map.evaluate("1", done.append)
        if not spin_until(lambda: bool(done), STEP_TIMEOUT_S):
            fail(f"the map page did not answer within {STEP_TIMEOUT_S:.0f} s")

    # -- one cycle -------------------------------------------------------------

    def cycle(self) -> None:
        rng, state, window = self.rng, self.state, self.window
        picked: list[str] = []
        for _ in range(3):
            picked.append(rng.choice(self.ids))
            state.select(picked)
            self.settle()
        lo, hi = self.extent
        a, b = sorted(rng.uniform(lo, hi) for _ in range(2))
        window.timeline.brush(_utc(a), _utc(max(b, a + 86400)))
        self.settle()
        window.filters.search_box.setText(rng.choice(self.words))
        window.filters.apply_search()
        self.settle()
        window.filters.search_box.setText("")
        window.filters.apply_search()
        window.timeline.clear_window()
        state.clear_selection()
        self.settle()
        if self.categories:
            button = window.filters.category_buttons()[rng.choice(self.categories)]
            button.click()
            self.settle()
            button.click()
            self.settle()
        steps = window.story.steps
        if steps:
            window.story.show_step(rng.randrange(len(steps)))
            self.settle()
            window.present(rng.randrange(len(steps)))
            self.settle()
            for _ in range(2):
                self.key("Right")
                self.settle()
            self.key("Escape")
            self.settle()

    def key(self, name: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(self.window, getattr(Qt.Key, f"Key_{name}"))

    def export_png(self) -> None:
        menu = self.window.export_menu
        finished: list[tuple[bool, str]] = []

        def done(ok: bool, text: str) -> None:
            finished.append((ok, text))

        menu.sigFinished.connect(done)
        try:
            if not menu.export("png"):
                fail("the PNG export did not start")
            if not spin_until(lambda: bool(finished), EXPORT_TIMEOUT_S):
                fail(f"the PNG export did not finish within {EXPORT_TIMEOUT_S:.0f} s")
        finally:
            menu.sigFinished.disconnect(done)
        if not finished[0][0]:
            fail(f"the PNG export failed: {finished[0][1]}")
        self.exports += 1


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def open_window(path: Path):
    from PySide6.QtWidgets import QMessageBox

    from desktop.gui.app import _scratch_settings, make_application

    app = make_application()
    from desktop.gui.main_window import MainWindow

    # A failure would open a modal box that nobody closes: report it instead.
    QMessageBox.critical = staticmethod(lambda _p, _t, text: fail(f"error box: {text}"))  # type: ignore[method-assign]
    window = MainWindow(
        settings=_scratch_settings(),
        cache_dir=Path(tempfile.mkdtemp(prefix="chronomap-soak-map-")),
    )
    window.resize(1600, 1000)
    window.show()
    if not window.open_path(path, remember=False):
        fail(f"cannot open {path}")
    if not spin_until(lambda: window.timeline.drawn and window.map.ready, READY_TIMEOUT_S):
        fail(f"not ready after {READY_TIMEOUT_S:.0f} s (map console: {window.map.console[-3:]})")
    return app, window


def run(path: Path, cycles: int, every: int, export_every: int) -> None:
    app, window = open_window(path)
    session = Session(window, Path(tempfile.mkdtemp(prefix="chronomap-soak-out-")))
    session.settle()
    busy = tree_rss_mb()
    session.rest()
    emit(sample={"cycle": 0, "rss_mb": tree_rss_mb(), "busy_mb": busy, "kinds": process_kinds()})
    times: list[float] = []
    cpu: list[float] = []
    # Per kind, the mean over a stretch (PNG exports and settling included).
    stretch_cpu, stretch = cpu_kinds_s(), 0
    for n in range(1, cycles + 1):
        started, used = time.perf_counter(), tree_cpu_s()
        session.cycle()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((tree_cpu_s() - used) * 1000)
        if export_every and n % export_every == 0:
            session.export_png()
        if n % every == 0 or n == cycles:
            session.settle()
            busy = tree_rss_mb()
            session.rest()
            emit(
                sample={
                    "cycle": n,
                    "rss_mb": tree_rss_mb(),
                    "busy_mb": busy,
                    "kinds": process_kinds(),
                    "cycle_ms": round(statistics.median(times), 1),
                    "cpu_ms": round(statistics.median(cpu), 1),
                    "cpu_kinds_ms": {
                        kind: round((used - stretch_cpu.get(kind, 0.0)) * 1000 / (n - stretch))
                        for kind, used in cpu_kinds_s().items()
                    },
                }
            )
            stretch_cpu, stretch = cpu_kinds_s(), n
            times, cpu = [], []
    emit(exports=session.exports)
    window.close()
    app.processEvents()


def main() -> None:
    if len(sys.argv) < 3:
        fail("usage: python -m bench.soak_worker DATASET CYCLES [EVERY] [EXPORT_EVERY]")
    path = Path(sys.argv[1])
    cycles = int(sys.argv[2])
    every = int(sys.argv[3]) if len(sys.argv) > 3 else 250
    export_every = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    qt_environment()
    run(path, cycles, every, export_every)


if __name__ == "__main__":
    main()

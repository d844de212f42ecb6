"""Start-up: the map page starts loading before the window exists, and the
window keeps that load instead of starting another."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.helpers import fresh_python

pytestmark = pytest.mark.gui


def test_the_window_keeps_the_preloaded_page(qtbot, tmp_path: Path, settings) -> None:
    from desktop.core.load import load_dataset
    from desktop.core.view_state import ViewState
    from desktop.gui.main_window import MainWindow
    from desktop.gui.map_view import MapView
    from desktop.resources import builtin_dataset

    result = load_dataset(builtin_dataset())
    view = MapView(ViewState(result.dataset), cache_dir=tmp_path / "cache")
    loads: list[bool] = []
    view.loadStarted.connect(lambda: loads.append(True))
    view.preload()
    first_page = view.page_path
    assert first_page is not None and first_page.exists()

    window = MainWindow(settings=settings, map_view=view)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    window.show_result(result, result.path, remember=False)
    assert window.state.dataset is result.dataset
    qtbot.waitUntil(lambda: window.map.ready, timeout=30_000)
    linked: list[bool] = []
    window.map.check_link(linked.append)
    qtbot.waitUntil(lambda: linked == [True], timeout=10_000)
    assert window.map.page_path == first_page
    assert len(loads) == 1

    # The map now follows the window's state: a marker click selects there.
    place = next(p for e in result.dataset.events for p in e.places)
    window.map.bridge.placeClicked.emit(place)
    assert window.state.selection
    assert all(place in result.dataset.event(e).places for e in window.state.selection)
    window.close()


def test_frozen_app_page_key_needs_no_source_files(monkeypatch) -> None:
    import desktop
    from desktop.core.load import load_dataset
    from desktop.gui.map_view import page_key
    from desktop.mapview import page, payload
    from desktop.resources import builtin_dataset

    dataset = load_dataset(builtin_dataset()).dataset
    options = {"slim": True, "title": dataset.title}
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    # A frozen app ships compiled modules only: these paths do not exist there.
    monkeypatch.setattr(page, "__file__", "/nowhere/page.py")
    monkeypatch.setattr(payload, "__file__", "/nowhere/payload.py")
    key = page_key(dataset, options)
    assert key == page_key(dataset, options)
    monkeypatch.setattr(desktop, "__version__", desktop.__version__ + ".1")
    assert page_key(dataset, options) != key


def test_a_large_file_is_opened_from_the_window(tmp_path: Path, monkeypatch) -> None:
    """Past LARGE_BYTES the window comes first and reads the file behind its busy
    dialog; the ready check still waits for that dataset on screen and linked."""
    import subprocess

    from desktop.gui import app

    small = tmp_path / "small.json"
    small.write_text("{}", encoding="utf-8")
    assert not app._large(small) and not app._large(None)
    monkeypatch.setattr(app, "LARGE_BYTES", 1)
    assert app._large(small)
    assert app._large(tmp_path)  # a folder counts its files

    from desktop.resources import builtin_dataset

    folder = builtin_dataset()
    code = (
        "import sys; from pathlib import Path; from desktop.gui import app; app.LARGE_BYTES = 1; "
        "sys.exit(app.run(Path(sys.argv[1]), exit_when_ready=True))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CHRONOMAP_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ready in" in done.stdout


def test_pyqtgraph_reads_qt_names_on_first_use() -> None:
    """Importing the window's modules leaves the Qt classes nobody uses uncreated
    (PySide6 creates one on first use; pyqtgraph used to ask for every one), and
    pyqtgraph's copies of the Qt modules give the very objects PySide6 has."""
    out = fresh_python(
        "import json, PySide6.QtWidgets as W, PySide6.QtCore as C, PySide6.QtGui as G\n"
        "import desktop.gui.main_window\n"
        "created = sorted(n for n in ('QCalendarWidget', 'QDateTimeEdit', 'QLCDNumber')"
        " if n in W.__dict__)\n"
        "from pyqtgraph import Qt\n"
        "same = all(getattr(mine, n) is getattr(theirs, n)"
        " for mine, theirs in ((Qt.QtCore, C), (Qt.QtGui, G), (Qt.QtWidgets, W))"
        " for n in dir(theirs) if not n.startswith('__'))\n"
        "print(json.dumps({'created': created, 'same': same,"
        " 'pg_own': hasattr(Qt.QtGui, 'QFileSystemModel'),"
        " 'version': Qt.QtCore.__version__ == C.__version__}))\n"
    )
    import json

    assert json.loads(out.strip().splitlines()[-1]) == {
        "created": [],
        "same": True,
        "pg_own": True,
        "version": True,
    }


def test_the_window_imports_no_import_dialog_until_asked() -> None:
    out = fresh_python(
        "import sys, desktop.gui.main_window\n"
        "print(sorted(m for m in ('desktop.gui.import_dialog', 'desktop.core.import_preview')"
        " if m in sys.modules))\n"
    )
    assert out.strip().splitlines()[-1] == "[]"


def test_the_query_engine_is_made_when_a_source_is_first_queried(tmp_path: Path) -> None:
    out = fresh_python(
        "import os, sys\n"
        "from desktop.gui.application import make_application\n"
        "app = make_application()\n"
        "from PySide6.QtCore import QSettings\n"
        "from desktop.core.load import load_dataset\n"
        "from desktop.gui.main_window import MainWindow\n"
        "from desktop.resources import builtin_dataset\n"
        f"settings = QSettings({str(tmp_path / 'settings.ini')!r}, QSettings.Format.IniFormat)\n"
        "window = MainWindow(settings=settings)\n"
        "result = load_dataset(builtin_dataset())\n"
        "window.show_result(result, result.path, remember=False)\n"
        "names = ('desktop.gui.engine_mode', 'desktop.core.engine',"
        " 'desktop.core.formats.parquet_file', 'desktop.core.formats.duckdb_file')\n"
        "before = sorted(m for m in names if m in sys.modules)\n"
        "mode = window.engine_mode\n"
        "print(before, mode is window.engine_mode, window.timelines.indexOf(mode.timeline) > 0,"
        " 'desktop.core.engine' in sys.modules, flush=True)\n"
        "os._exit(0)\n"
    )
    assert out.strip().splitlines()[-1] == "[] True True True"

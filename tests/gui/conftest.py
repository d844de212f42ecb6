"""The real window, offscreen, on the built-in dataset, with every web request recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def settings(tmp_path: Path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


class Recorder:
    """Records the URL of every request any page of the profile makes."""

    def __init__(self) -> None:
        from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor

        class Interceptor(QWebEngineUrlRequestInterceptor):
            def interceptRequest(inner, info) -> None:  # noqa: N802, N805
                self.urls.append(info.requestUrl().toString())

        self.urls: list[str] = []
        self.interceptor = Interceptor()


@pytest.fixture
def window(qtbot, tmp_path: Path, settings):
    """MainWindow at 1600x1000 with the built-in dataset, map ready and linked."""
    from desktop.gui.main_window import MainWindow

    win = MainWindow(settings=settings, cache_dir=tmp_path / "cache")
    qtbot.addWidget(win)
    recorder = Recorder()
    win.map.page().profile().setUrlRequestInterceptor(recorder.interceptor)
    win.recorder = recorder  # type: ignore[attr-defined]
    win.resize(1600, 1000)
    win.show()
    with qtbot.waitSignal(win.map.sigReady, timeout=30_000):
        win.open_builtin()
    linked: list[bool] = []
    win.map.check_link(linked.append)
    qtbot.waitUntil(lambda: linked == [True], timeout=10_000)
    yield win
    win.map.page().profile().setUrlRequestInterceptor(None)
    win.close()


@pytest.fixture(autouse=True)
def _closing_never_waits_for_an_answer(monkeypatch):
    """Windows a test leaves with unsaved edits are closed by pytest-qt before the test's
    fixtures end: "Discard" answers the question a real user would be asked. (A test
    that checks the question sets its own answer.)"""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard
    )


@pytest.fixture(autouse=True)
def _windows_deleted_after_each_test():
    """Destroy every top-level window (and its web pages) after each test, while the
    QApplication exists.

    Left to the interpreter's exit, a page can outlive its web profile, and
    QtWebEngine then crashes the test process after every test has passed.
    Set up before the test's own fixtures, so this runs after their teardown.
    """
    yield
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for widget in app.topLevelWidgets():
        if widget.isVisible():  # pyqtgraph's widgets cannot be closed twice
            widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def page(qtbot, window):
    """page(expression) evaluates JavaScript in the map page and returns its value."""

    from tests.helpers import evaluate_page

    def evaluate(expression: str) -> Any:
        return evaluate_page(qtbot, window.map, expression)

    return evaluate


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the built-in dataset (a CSV folder) to edit and save."""
    import shutil

    from desktop.resources import builtin_dataset

    target = tmp_path / "treaty"
    shutil.copytree(builtin_dataset(), target)
    return target


def window_on(qtbot, settings, tmp_path: Path, path: Path, timeout: int = 30_000):
    """A window at 1600x1000 that has opened ``path``, its map ready."""
    from desktop.gui.main_window import MainWindow

    window = MainWindow(settings=settings, cache_dir=tmp_path / "cache")
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    with qtbot.waitSignal(window.map.sigReady, timeout=timeout):
        assert window.open_path(path)
    return window


@pytest.fixture
def win(qtbot, tmp_path: Path, settings, copy: Path):
    """The window on ``copy``, map ready."""
    window = window_on(qtbot, settings, tmp_path, copy)
    yield window
    window.close()

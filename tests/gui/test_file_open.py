"""macOS: a dataset dropped on the Dock icon (a QFileOpenEvent) opens in the running window."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from desktop.gui.file_open import ChronomapApplication, FileRequests

pytestmark = pytest.mark.gui


def _dataset(folder: Path, title: str, n: int) -> Path:
    path = folder / f"{title.lower().replace(' ', '-')}.chronomap.json"
    rows = [{"id": f"e{i}", "title": f"Event {i}", "start": f"2024-0{i + 1}"} for i in range(n)]
    document = {"title": title, "events": rows, "places": [], "sources": [], "story": []}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def requests(qapp):
    """The application's own file requests, handed to a test's opener and back."""
    assert isinstance(qapp, ChronomapApplication)
    saved = qapp.file_requests
    qapp.file_requests = FileRequests()
    yield qapp.file_requests
    qapp.file_requests = saved


def _drop(what: str | QUrl) -> bool:
    """What macOS does when a file is dropped on the Dock icon."""
    return QApplication.sendEvent(QApplication.instance(), QFileOpenEvent(what))


def test_a_dataset_dropped_on_the_dock_icon_opens_in_the_window(
    qtbot, window, requests: FileRequests, tmp_path: Path
) -> None:
    requests.open_with(window.open_path)
    dropped = _dataset(tmp_path, "Dropped on the Dock", 3)
    with qtbot.waitSignal(window.sigDatasetOpened, timeout=20_000):
        assert _drop(str(dropped))
    # [*]: where Qt shows "*" while there are unsaved edits (none here).
    assert window.windowTitle() == "Dropped on the Dock[*] — Chronomap"
    assert not window.isWindowModified()
    assert len(window.state.dataset.events) == 3
    assert window.recent_files()[0] == str(dropped.resolve())

    # Finder may hand over a file:// URL rather than a path.
    second = _dataset(tmp_path, "Second drop", 2)
    with qtbot.waitSignal(window.sigDatasetOpened, timeout=20_000):
        assert _drop(QUrl.fromLocalFile(str(second)))
    assert window.windowTitle() == "Second drop[*] — Chronomap"
    assert len(window.state.dataset.events) == 2


def test_requests_before_the_window_is_ready_wait_for_it(
    requests: FileRequests, tmp_path: Path
) -> None:
    first, second = _dataset(tmp_path, "First", 1), _dataset(tmp_path, "Second", 2)
    assert _drop(str(first)) and _drop(str(second))
    assert requests.pending == [first, second]
    opened: list[Path] = []
    requests.open_with(opened.append)
    assert opened == [first, second] and requests.pending == []


def test_a_url_that_is_no_local_file_is_left_alone(requests: FileRequests) -> None:
    assert not _drop(QUrl("https://example.org/data.json"))
    assert requests.pending == []

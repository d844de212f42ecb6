"""Fixtures for the map page tests: datasets, and a real QtWebEngine page that records requests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.load import load_dataset
from desktop.core.model import Dataset, Event
from desktop.resources import builtin_dataset
from tests.hostile import PAYLOADS, hostile_dataset  # noqa: F401  (PAYLOADS used by tests)


@pytest.fixture(scope="session")
def builtin() -> Dataset:
    path = builtin_dataset()
    if not path.exists():
        pytest.skip("the built-in dataset is not in this checkout")
    result = load_dataset(path)
    assert result.dataset is not None, result.problems
    return result.dataset


@pytest.fixture
def hostile() -> Dataset:
    return hostile_dataset()


def placed_places(dataset: Dataset, events: list[Event] | None = None) -> set[str]:
    """Ids of places that should carry a marker: used by a shown event and locatable."""
    events = dataset.events if events is None else events
    used = {pid for e in events for pid in e.places if pid in dataset.places}
    return {pid for pid in used if dataset.places[pid].anchor() is not None}


class Browser:
    """A QWebEngineView on an off-the-record profile that refuses and records network requests."""

    def __init__(self, qtbot: Any, size: tuple[int, int] = (1280, 800)) -> None:
        from PySide6.QtWebEngineCore import (
            QWebEnginePage,
            QWebEngineProfile,
            QWebEngineUrlRequestInterceptor,
        )
        from PySide6.QtWebEngineWidgets import QWebEngineView

        self.qtbot = qtbot
        self.requests: list[str] = []
        self.network: list[str] = []
        self.alerts: list[str] = []
        self.console: list[str] = []
        outer = self

        class Interceptor(QWebEngineUrlRequestInterceptor):
            def interceptRequest(self, info: Any) -> None:  # noqa: N802 (Qt name)
                url = info.requestUrl().toString()
                outer.requests.append(url)
                if info.requestUrl().scheme() in ("http", "https"):
                    outer.network.append(url)
                    info.block(True)

        class Page(QWebEnginePage):
            def javaScriptAlert(self, origin: Any, message: str) -> None:  # noqa: N802
                outer.alerts.append(message)

            def javaScriptConfirm(self, origin: Any, message: str) -> bool:  # noqa: N802
                outer.alerts.append(message)
                return False

            def javaScriptConsoleMessage(self, level: Any, message: str, line: int, source: str):  # noqa: N802
                outer.console.append(f"{source}:{line}: {message}")

        self.profile = QWebEngineProfile()  # no storage name: off the record
        self.interceptor = Interceptor()
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.view = QWebEngineView()
        self.page = Page(self.profile, self.view)
        self.view.setPage(self.page)
        self.view.resize(*size)
        self.view.show()
        qtbot.addWidget(self.view)

    def open(self, path: Path, timeout: int = 30000) -> None:
        from PySide6.QtCore import QUrl

        self.view.load(QUrl.fromLocalFile(str(path)))
        self.qtbot.waitUntil(
            # A big page keeps the browser busy while it builds: each read may wait as long.
            lambda: self.js_value("document.documentElement.dataset.ready", timeout) == "1",
            timeout=timeout,
        )

    def js_value(self, code: str, timeout: int = 5000) -> Any:
        box: dict[str, Any] = {}
        self.page.runJavaScript(code, 0, lambda value: box.setdefault("value", value))
        self.qtbot.waitUntil(lambda: "value" in box, timeout=timeout)
        return box["value"]

    def js(self, code: str, timeout: int = 5000) -> Any:
        """Run an expression and return its value through JSON (objects, lists, undefined)."""
        text = self.js_value(f"JSON.stringify(({code}) ?? null)", timeout)
        return None if text is None else json.loads(text)

    def click(self, selector: str) -> None:
        """Dispatch a real DOM click (bubbling, as a mouse click would) on the first match."""
        found = self.js(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            " if (!el) return false;"
            " el.dispatchEvent(new MouseEvent('click',"
            " {bubbles: true, cancelable: true, view: window}));"
            " return true; })()"
        )
        assert found, f"nothing matches {selector}"

    def settle(self) -> None:
        """Wait until the page has drawn two more frames: what was just asked is on screen."""
        self.js(
            "(() => { window.__settled = false; const done = () => { window.__settled = true; };"
            " if (document.hidden) { setTimeout(done, 0); return true; }"
            " requestAnimationFrame(() => requestAnimationFrame(done)); return true; })()"
        )
        self.qtbot.waitUntil(lambda: self.js("window.__settled") is True, timeout=5000)

    def grab(self, path: Path) -> Any:
        image = self.view.grab().toImage()
        image.save(str(path))
        return image


# Profiles outlive their pages (Qt warns and may crash otherwise): keep them all.
_PROFILES: list[Any] = []


@pytest.fixture
def browser(qtbot: Any) -> Iterator[Browser]:
    b = Browser(qtbot)
    _PROFILES.append(b.profile)
    yield b
    b.view.close()
    b.page.deleteLater()
    qtbot.wait(10)

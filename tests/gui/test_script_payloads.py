"""A dataset full of script payloads runs none of them in the app (map page and detail panel)."""

from __future__ import annotations

import re

import pytest

from desktop.core.save import save_dataset
from tests.hostile import hostile_dataset

pytestmark = pytest.mark.gui


def test_payloads_stay_text_in_the_window(window, page, qtbot, tmp_path):
    path = tmp_path / "hostile.json"
    save_dataset(hostile_dataset(), path)
    with qtbot.waitSignal(window.map.sigReady, timeout=30_000):
        assert window.open_path(path, remember=False)
    for event_id in ("e1", "e2"):
        window.state.select([event_id])
        qtbot.waitUntil(lambda eid=event_id: page("chronomap.state().selectedEvents") == [eid])
        html = window.detail.toHtml().lower()
        # Payload text may be shown (escaped); no real tag may carry it.
        tags = re.findall(r"<[^>]*>", html)
        assert not [t for t in tags if "javascript:" in t or "onerror" in t or "onload" in t]
        assert not [t for t in tags if t.startswith(("<img", "<script", "<svg"))]
        assert "&lt;img" in html or "&lt;script" in html
    # Click every marker too: popups and labels are drawn from the same data.
    window.state.clear_selection()
    page(
        "document.querySelectorAll('.cm-marker').forEach(m => m.dispatchEvent("
        "new MouseEvent('click', {bubbles: true})))"
    )
    # The clicks went round the window and back: the last marker's events are selected.
    qtbot.waitUntil(lambda: bool(window.state.selection), timeout=5000)
    assert page("typeof window.pwned") == "undefined"
    assert page("document.querySelectorAll('[onerror], [onload], img[src=x]').length") == 0
    # The titles are shown, as text.
    assert page(
        "[...document.querySelectorAll('.cm-label')].some(l => l.textContent.includes('<img'))"
    )
    assert window.table.model().rowCount() == 2

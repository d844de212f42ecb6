"""A burst of clicks, then a pause: the window gives the freed memory back once."""

from __future__ import annotations

import pytest

from desktop.core.load import load_dataset
from desktop.core.view_state import ViewState
from desktop.gui import idle_release
from desktop.resources import builtin_dataset

pytestmark = pytest.mark.gui


def test_a_burst_of_changes_is_followed_by_one_release_once_idle(qtbot, monkeypatch) -> None:
    released: list[int] = []
    monkeypatch.setattr(idle_release, "IDLE_MS", 200)
    monkeypatch.setattr(idle_release, "release_memory", lambda: released.append(1))
    state = ViewState(load_dataset(builtin_dataset()).dataset)
    watcher = idle_release.IdleRelease(state)
    ids = [e.id for e in state.dataset.events]
    for event_id in ids[:20]:
        state.select([event_id])
        qtbot.wait(20)  # quicker than the pause: each change puts the release off
    assert released == []
    qtbot.waitUntil(lambda: watcher.releases == 1, timeout=5_000)
    qtbot.wait(400)
    assert released == [1]
    state.clear_selection()
    qtbot.waitUntil(lambda: watcher.releases == 2, timeout=5_000)
    assert released == [1, 1]

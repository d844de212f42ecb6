"""File > Export from the window: PNG at a preset size, HTML, cancelling, and clear failures."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from desktop.exports import EXPORTERS
from desktop.exports.sizes import PRESETS

pytestmark = pytest.mark.gui


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    return shown


def save_to(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def test_menu_lists_every_exporter(window) -> None:
    menu = window.export_menu.menu
    assert menu in [a.menu() for a in window.file_menu.actions() if a.menu()]
    labels = [a.text() for a in menu.actions()]
    assert len(labels) == len(EXPORTERS) >= 5
    for exporter in EXPORTERS.values():
        assert f"{exporter.label} ({exporter.extension})…" in labels


def test_png_export_at_a_preset_size(qtbot, window, tmp_path, monkeypatch, errors) -> None:
    name = next(n for n, size in PRESETS.items() if size == (1920, 1080))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (name, True))
    target = tmp_path / "snapshot"  # the extension is added
    save_to(monkeypatch, target)
    window.state.select(["treaty-signed"])
    brushed = (datetime(2024, 10, 1, 6, tzinfo=UTC), datetime(2025, 2, 1, 18, tzinfo=UTC))
    window.timeline.brush(*brushed)
    view = window.export_view()
    # The exact window, not whole days.
    assert (view.window.start, view.window.end) == brushed
    assert view.selection == ("treaty-signed",)
    with qtbot.waitSignal(window.export_menu.sigFinished, timeout=90_000) as finished:
        window.export_menu.actions["png"].trigger()
        assert window.export_menu.progress is not None
    assert finished.args == [True, str(tmp_path / "snapshot.png")], errors
    image = QImage(str(tmp_path / "snapshot.png"))
    assert (image.width(), image.height()) == (1920, 1080)
    # Not a blank page: the title band is dark ink on white, the map has colour.
    colours = {
        image.pixelColor(x, y).name() for x in range(0, 1920, 40) for y in range(0, 1080, 40)
    }
    assert len(colours) > 20
    assert window.export_menu.progress is None and not errors


def test_custom_png_size_and_a_clear_error(qtbot, window, tmp_path, monkeypatch, errors) -> None:
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Custom…", True))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("640 x 360", True))
    save_to(monkeypatch, tmp_path / "missing-folder" / "out.png")
    with qtbot.waitSignal(window.export_menu.sigFinished, timeout=90_000) as finished:
        window.export_menu.actions["png"].trigger()
    assert finished.args[0] is False
    assert errors == [finished.args[1]]
    assert "does not exist" in errors[0] and "Traceback" not in errors[0]

    errors.clear()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("big", True))
    assert window.export_menu.export("png") is False
    assert errors and "WIDTHxHEIGHT" in errors[0]


def test_html_export_runs_in_process(qtbot, window, tmp_path, monkeypatch, errors) -> None:
    target = tmp_path / "briefing.html"
    save_to(monkeypatch, target)
    window.state.select(["treaty-signed"])
    with qtbot.waitSignal(window.export_menu.sigFinished, timeout=30_000) as finished:
        window.export_menu.actions["html"].trigger()
    assert finished.args == [True, str(target)]
    page = target.read_text(encoding="utf-8")
    assert window.state.dataset.title in page and "treaty-signed" in page
    assert target.stat().st_size < 2_000_000
    assert not errors


def test_deck_export_reports_progress(qtbot, window, tmp_path, monkeypatch, errors) -> None:
    from PySide6.QtWidgets import QProgressDialog

    labels: list[str] = []
    original = QProgressDialog.setLabelText
    monkeypatch.setattr(
        QProgressDialog,
        "setLabelText",
        lambda self, text: (labels.append(text), original(self, text)),
    )
    target = tmp_path / "deck.pdf"
    save_to(monkeypatch, target)
    with qtbot.waitSignal(window.export_menu.sigFinished, timeout=120_000) as finished:
        window.export_menu.actions["pdf"].trigger()
    assert finished.args == [True, str(target)], errors
    pages = re.findall(rb"/Type\s*/Page(?!s)", target.read_bytes())
    assert len(pages) == 9
    assert "Rendering slide 1 of 9…" in labels and labels[-1] == "Rendering slide 9 of 9…"


def test_cancelled_deck_leaves_the_old_file(qtbot, window, tmp_path, monkeypatch, errors) -> None:
    from PySide6.QtCore import QProcess

    target = tmp_path / "deck.pptx"
    target.write_bytes(b"the deck from last week")
    save_to(monkeypatch, target)
    menu = window.export_menu
    window.export_menu.actions["pptx"].trigger()
    assert menu.running
    qtbot.waitUntil(
        lambda: menu.process is not None and menu.process.state() == QProcess.ProcessState.Running,
        timeout=10_000,
    )
    with qtbot.waitSignal(menu.sigFinished, timeout=10_000) as finished:
        # What the dialog's Cancel button (or closing it) sends.
        menu.progress.canceled.emit()
    assert finished.args == [False, "cancelled"]
    assert not menu.running
    assert target.read_bytes() == b"the deck from last week"
    assert sorted(p.name for p in tmp_path.iterdir() if "deck" in p.name) == ["deck.pptx"]
    assert not errors


def test_the_export_view_is_the_window_state_frozen(window, tmp_path) -> None:
    import json

    from desktop.cli import main
    from desktop.core.briefing import show_step, step_window
    from desktop.core.view_state import FrozenView

    state = window.state
    state.set_hidden_categories({"era", "diplomacy"})
    state.set_search("gas  pipeline")
    state.select(["treaty-signed"])
    view = window.export_view()
    # The dataset's order, so the same filter always gives the same view.
    assert view.hidden == ("diplomacy", "era")
    assert view.search == "gas  pipeline"
    assert view.selection == ("treaty-signed",)
    assert view.step is None
    # A story step on screen exports as that step: its own window and events, no filter.
    steps = window.story.steps
    show_step(state, steps[2], animate=False)
    step = window.export_view()
    assert step.step == steps[2]
    assert step.window == step_window(state.dataset, steps[2])
    assert (step.hidden, step.search) == ((), "")
    # The child process gets it back as it was, even an empty category or a "-" word.
    odd = FrozenView(hidden=("", "era"), search="-gas", window=step.window, step=steps[2])
    saved = json.loads(json.dumps(odd.to_json(steps)))
    assert FrozenView.from_json(saved, steps) == odd
    # And the command line shows it.
    path = tmp_path / "view.json"
    path.write_text(json.dumps(step.to_json(steps)), encoding="utf-8")
    out = tmp_path / "step.json"
    assert main(["export", "--json", str(out), "--view", str(path)]) == 0
    kept = {e["id"] for e in json.loads(out.read_text(encoding="utf-8"))["events"]}
    assert kept == set(shown_by(state.dataset, step))


def shown_by(dataset, view) -> tuple[str, ...]:
    """The events a view state showing ``view`` leaves visible."""
    from desktop.core.view_state import ViewState

    state = ViewState(dataset)
    state.restore(view)
    return state.visible_ids()


def test_png_size_keeps_the_filter(window, tmp_path, monkeypatch) -> None:
    name = next(n for n, size in PRESETS.items() if size == (1920, 1080))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (name, True))
    save_to(monkeypatch, tmp_path / "snap.png")
    given = []
    monkeypatch.setattr(
        window.export_menu,
        "_run_child",
        lambda _e, _t, view, size: given.append((size, view.hidden, view.search)) or True,
    )
    window.state.set_hidden_categories({"era"})
    window.state.set_search("gas")
    assert window.export_menu.export("png")
    assert given == [((1920, 1080), ("era",), "gas")]


def test_html_export_leaves_out_what_the_filter_bar_hides(qtbot, window, tmp_path, monkeypatch):
    import json

    target = tmp_path / "filtered.html"
    save_to(monkeypatch, target)
    window.state.set_hidden_categories({"treaty", "era"})
    with qtbot.waitSignal(window.export_menu.sigFinished, timeout=30_000) as finished:
        window.export_menu.actions["html"].trigger()
    assert finished.args == [True, str(target)]
    page = target.read_text(encoding="utf-8")
    # The strip's events travel as one JSON list of ids.
    shown = {e.id for e in window.state.visible_events()}
    hidden = {e.id for e in window.state.dataset.events} - shown
    assert hidden and all(json.dumps(i) not in page for i in hidden)
    assert all(json.dumps(i) in page for i in shown)


def test_a_killed_export_reports_one_line_and_leaves_the_old_file(
    qtbot, window, tmp_path, monkeypatch, errors
) -> None:
    import os
    import signal

    from PySide6.QtCore import QProcess

    name = next(n for n, size in PRESETS.items() if size == (1920, 1080))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (name, True))
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "brief.png"
    target.write_bytes(b"last week's picture")
    save_to(monkeypatch, target)
    menu = window.export_menu
    menu.actions["png"].trigger()
    qtbot.waitUntil(
        lambda: menu.process is not None and menu.process.state() == QProcess.ProcessState.Running,
        timeout=10_000,
    )
    # What a child killed while writing leaves: its temporary file beside the target.
    (folder / ".brief.png.k1ll3d.part").write_bytes(b"half a pic")
    with qtbot.waitSignal(menu.sigFinished, timeout=30_000) as finished:
        os.kill(menu.process.processId(), signal.SIGKILL)  # as the system does when out of memory
    message = "the export of brief.png stopped before it finished: the file there is as it was"
    assert finished.args == [False, message]
    assert errors == [message]
    assert not menu.running and menu.progress is None
    assert target.read_bytes() == b"last week's picture"
    assert [p.name for p in folder.iterdir()] == ["brief.png"]

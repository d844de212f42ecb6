"""Places edited on the real map page: a click in add mode, a name looked up, a marker
dragged, a route drawn; each undone, saved and read again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox

from desktop.core.load import load_dataset
from desktop.core.model import PlaceKind
from tests.helpers import changed_lines, evaluate_page, map_at_rest

pytestmark = pytest.mark.gui


def evaluate(qtbot, win, expression: str) -> Any:
    return evaluate_page(qtbot, win.map, expression)


def answer_place_form(win, fill) -> list:
    """Answer the next place forms with ``fill(dialog)`` (True: OK)."""
    shown: list = []

    def run(dialog) -> bool:
        shown.append(dialog)
        if not fill(dialog):
            return False
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok.isEnabled(), dialog.message()
        dialog.accept()
        return True

    win.places.run_dialog = run
    return shown


def pick_first(typed: str):
    """A form answer: type a name, take the gazetteer's first suggestion."""

    def fill(dialog) -> bool:
        dialog.name.setText(typed)
        dialog.pick(0)
        return True

    return fill


def empty_spots(qtbot, win, count: int) -> list[tuple[int, int]]:
    """Points of the map with no marker, label or control under them, well apart."""
    found: list[tuple[int, int]] = []
    width, height = win.map.width(), win.map.height()
    for fy in (0.3, 0.5, 0.7, 0.4, 0.6):
        for fx in (0.3, 0.5, 0.7, 0.2, 0.8, 0.4, 0.6):
            x, y = int(width * fx), int(height * fy)
            what = evaluate(
                qtbot,
                win,
                f"(function () {{ var el = document.elementFromPoint({x}, {y});"
                " return el ? (el.closest('.cm-marker, .cm-cluster, .leaflet-control')"
                " ? 'busy' : 'free') : 'none'; })()",
            )
            if what == "free" and all(abs(x - a) + abs(y - b) > 80 for a, b in found):
                found.append((x, y))
            if len(found) == count:
                return found
    raise AssertionError("no empty spots on the map")


def click_map(qtbot, win, x: int, y: int) -> None:
    target = win.map.focusProxy()
    assert target is not None
    qtbot.mouseMove(target, QPoint(x, y))
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(x, y))


def wait_ready(qtbot, win) -> None:
    qtbot.waitUntil(lambda: win.map.ready, timeout=30_000)
    drawn: list[bool] = []
    win.map.when_drawn(lambda: drawn.append(True))
    qtbot.waitUntil(lambda: bool(drawn), timeout=10_000)
    # Spots are chosen, and clicked, on a map that has stopped moving.
    map_at_rest(qtbot, win.map)


def near(a: tuple[float, float] | list[float], b: tuple[float, float] | list[float]) -> bool:
    return abs(a[0] - b[0]) < 1e-4 and abs(a[1] - b[1]) < 1e-4


def test_a_click_in_add_mode_makes_a_place_where_clicked(qtbot, win, tmp_path: Path) -> None:
    wait_ready(qtbot, win)
    ((x, y),) = empty_spots(qtbot, win, 1)
    win.places.add_action.trigger()
    assert win.places.mode == "add" and win.places.cancel_action.isEnabled()
    assert evaluate(qtbot, win, "chronomap.mode()") == "add"
    assert (
        evaluate(qtbot, win, "getComputedStyle(document.querySelector('.cm-map')).cursor")
        == "crosshair"
    )
    assert win.statusBar().currentMessage().startswith("Click the map where the new place is")
    assert win.places.add_action.isChecked()
    hint = "document.querySelector('.cm-mode-hint')"
    assert evaluate(qtbot, win, f"{hint}.textContent").startswith("Click the map where")
    drawn: list[bool] = []
    win.map.when_drawn(lambda: drawn.append(True))
    qtbot.waitUntil(lambda: bool(drawn), timeout=10_000)
    win.grab().save(str(tmp_path / "add-mode.png"))

    # Esc leaves the mode; a click then selects as ever.
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert win.places.mode == "browse"
    assert evaluate(qtbot, win, "chronomap.mode()") == "browse"
    assert evaluate(qtbot, win, f"{hint}.style.display") == "none"
    assert not win.places.add_action.isChecked()
    win.places.add_action.trigger()

    def name_it(dialog) -> bool:
        assert dialog.current_kind() is PlaceKind.POINT
        dialog.name.setText("Field office")
        dialog.country.setText("Iran")
        return True

    shown = answer_place_form(win, name_it)
    expected = evaluate(qtbot, win, f"chronomap.latLngAt({x}, {y})")
    count = len(win.state.dataset.places)
    click_map(qtbot, win, x, y)
    qtbot.waitUntil(lambda: len(win.state.dataset.places) == count + 1, timeout=10_000)
    assert len(shown) == 1 and win.places.mode == "browse"
    place = win.state.dataset.places["field-office"]
    assert near((place.lat, place.lon), expected)
    assert dict(place.extra)["country"] == "IR"
    assert win.document.undo_action.text() == "&Undo Add place “Field office”"
    # The page shows it: a new place with no event yet is drawn faintly, where clicked.
    wait_ready(qtbot, win)
    assert near(evaluate(qtbot, win, "chronomap.placeAt('field-office')"), expected)
    assert evaluate(qtbot, win, "chronomap.placeShown('field-office')") == "faint"

    # The event form's places field offers it, and an event can take it.
    from desktop.gui.event_form import EventDialog

    event = win.state.dataset.events[0]
    dialog = EventDialog(win.state.dataset, event)
    qtbot.addWidget(dialog)
    assert "field-office" in dialog.places.completer().model().stringList()
    dialog.places.setText("; ".join((*event.places, "field-office")))
    assert dialog.made is not None and "field-office" in dialog.made.places
    assert "Field office (field-office)" in dialog.place_names.text()

    win.document.undo_action.trigger()
    assert "field-office" not in win.state.dataset.places
    wait_ready(qtbot, win)
    assert evaluate(qtbot, win, "chronomap.placeAt('field-office')") is None


def test_a_name_typed_is_looked_up_in_the_gazetteer(qtbot, win) -> None:
    def look_up(dialog) -> bool:
        dialog.name.setText("Tabr")
        assert dialog.suggestions.isVisible() or dialog.suggestions.count()
        first = dialog.suggestions.item(0).text()
        assert first.startswith("Tabriz, Iran · 38.0")
        dialog.pick(0)
        assert dialog.name.text() == "Tabriz" and dialog.country.text() == "IR"
        assert abs(float(dialog.lat.text()) - 38.08) < 0.05
        return True

    answer_place_form(win, look_up)
    win.places.new_action.trigger()
    place = win.state.dataset.places["tabriz"]
    assert place.kind is PlaceKind.POINT and abs(place.lon - 46.29) < 0.05

    # A country picked is an area, drawn from the basemap's outline.
    answer_place_form(win, pick_first("Turkm"))
    win.places.new_action.trigger()
    area = win.state.dataset.places["turkmenistan"]
    assert area.kind is PlaceKind.AREA and area.iso3 == "TKM"


def test_a_dragged_marker_moves_its_place_without_rebuilding_the_page(qtbot, win) -> None:
    wait_ready(qtbot, win)
    data = win.state.dataset
    # A marker of its own, on screen, standing for one place.
    pid = next(
        p.id
        for p in data.places.values()
        if p.kind is PlaceKind.POINT
        and evaluate(qtbot, win, f"chronomap.placeShown({json.dumps(p.id)})") == "marker"
        and evaluate(
            qtbot,
            win,
            f"document.querySelector('.cm-marker[data-place-id={json.dumps(p.id)}]')"
            " && !document.querySelector("
            f"'.cm-marker[data-place-id={json.dumps(p.id)}]').hasAttribute('data-places')",
        )
    )
    old = data.places[pid]
    x, y = evaluate(qtbot, win, f"chronomap.pointOf({old.lat}, {old.lon})")
    x, y = round(x), round(y)
    to = (x + 60, y + 40)
    expected = evaluate(qtbot, win, f"chronomap.latLngAt({to[0]}, {to[1]})")
    pages = win.map.page_path
    patched = win.map.patched

    # A real drag: press on the marker, move, let go (the page sends placesMoved on dragend).
    target = win.map.focusProxy()
    qtbot.mouseMove(target, QPoint(x, y))
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    for step in range(1, 11):
        qtbot.mouseMove(target, QPoint(x + 6 * step, y + 4 * step))
        qtbot.wait(15)
    qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=QPoint(*to))
    qtbot.waitUntil(lambda: win.state.dataset.places[pid] != old, timeout=10_000)
    moved = win.state.dataset.places[pid]
    assert near((moved.lat, moved.lon), expected)
    assert win.document.undo_action.text() == f"&Undo Move place “{old.name}”"
    assert win.map.patched == patched + 1 and win.map.page_path == pages and win.map.ready
    assert near(evaluate(qtbot, win, f"chronomap.placeAt({json.dumps(pid)})"), expected)

    # Undo: the model and the page's marker go back (through the bridge, no new page).
    win.document.undo_action.trigger()
    assert win.state.dataset.places[pid] == old
    assert near(evaluate(qtbot, win, f"chronomap.placeAt({json.dumps(pid)})"), (old.lat, old.lon))
    assert win.map.patched == patched + 2 and win.map.ready


def test_a_route_is_drawn_point_by_point_and_undone(qtbot, win, copy: Path, tmp_path) -> None:
    wait_ready(qtbot, win)
    spots = empty_spots(qtbot, win, 3)
    expected = [evaluate(qtbot, win, f"chronomap.latLngAt({x}, {y})") for x, y in spots]
    win.places.route_action.trigger()
    assert win.places.mode == "route" and win.places.finish_action.isEnabled()
    assert win.places.route_action.isChecked() and not win.places.add_action.isEnabled()
    qtbot.waitUntil(lambda: evaluate(qtbot, win, "chronomap.mode()") == "route", timeout=10_000)
    # Clicks further apart than a double-click (Qt's interval, which the page's
    # Chromium also counts by), each one on the draft before the next.
    apart = QGuiApplication.styleHints().mouseDoubleClickInterval() + 200
    for count, (x, y) in enumerate(spots, start=1):
        click_map(qtbot, win, x, y)
        qtbot.waitUntil(
            lambda n=count: len(evaluate(qtbot, win, "chronomap.draft()") or []) == n,
            timeout=10_000,
        )
        qtbot.wait(apart)
    draft = evaluate(qtbot, win, "chronomap.draft()")
    assert all(near(a, b) for a, b in zip(draft, expected, strict=True))
    assert evaluate(qtbot, win, "document.querySelectorAll('.cm-vertex').length") == 3
    drawn: list[bool] = []
    win.map.when_drawn(lambda: drawn.append(True))
    qtbot.waitUntil(lambda: bool(drawn), timeout=10_000)
    win.grab().save(str(tmp_path / "route-mode.png"))

    def name_it(dialog) -> bool:
        assert dialog.current_kind() is PlaceKind.ROUTE and not dialog.kind.isEnabled()
        assert dialog.shape.text() == "a route through 3 points"
        dialog.name.setText("Drawn corridor")
        return True

    answer_place_form(win, name_it)
    qtbot.keyClick(win, Qt.Key.Key_Return)  # Enter finishes the route
    qtbot.waitUntil(lambda: "drawn-corridor" in win.state.dataset.places, timeout=10_000)
    route = win.state.dataset.places["drawn-corridor"]
    assert route.kind is PlaceKind.ROUTE
    assert all(near(a, b) for a, b in zip(route.points, expected, strict=True))
    assert win.places.mode == "browse"
    assert evaluate(qtbot, win, "chronomap.mode()") == "browse"
    assert win.document.undo_action.text() == "&Undo Add place “Drawn corridor”"
    win.document.undo_action.trigger()
    assert "drawn-corridor" not in win.state.dataset.places
    win.document.redo_action.trigger()

    # Esc in the middle of a route drops it.
    wait_ready(qtbot, win)
    win.places.route_action.trigger()
    qtbot.waitUntil(lambda: evaluate(qtbot, win, "chronomap.mode()") == "route", timeout=10_000)
    click_map(qtbot, win, *spots[0])
    qtbot.waitUntil(
        lambda: len(evaluate(qtbot, win, "chronomap.draft()") or []) == 1, timeout=10_000
    )
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert evaluate(qtbot, win, "chronomap.draft()") is None
    assert win.document.stack.count() == 1 and win.places.mode == "browse"

    # Saved into the CSV folder: only places.csv changes, only in the new row.
    originals = {p.name: p.read_bytes() for p in copy.iterdir()}
    win.document.save_action.trigger()
    for name, data in originals.items():
        if name != "places.csv":
            assert (copy / name).read_bytes() == data, name
    changes = changed_lines(originals["places.csv"], (copy / "places.csv").read_bytes())
    assert [c.split(",")[0] for c in changes] == ["+drawn-corridor"]
    reopened = load_dataset(copy)
    assert not reopened.errors
    assert reopened.dataset.places["drawn-corridor"].points == route.points


def test_a_place_in_use_is_not_deleted_and_the_refusal_names_its_events(qtbot, win) -> None:
    data = win.state.dataset
    used = next(p for p in data.places.values() if any(p.id in e.places for e in data.events))
    said: list[str] = []
    win.places.refuse = said.append
    assert not win.places.delete_place(used.id)
    assert said and said[0].startswith(f"Not deleted: “{used.name}” is a place of ")
    assert used.id in win.state.dataset.places

    # An unused one goes, and comes back with Undo; renaming an area keeps its outline.
    answer_place_form(win, pick_first("Tabriz"))
    win.places.new_action.trigger()
    assert win.places.delete_place("tabriz")
    assert "tabriz" not in win.state.dataset.places
    win.document.undo_action.trigger()
    assert "tabriz" in win.state.dataset.places
    # With no place clicked (a place no event names has no marker), the form asks which.
    win.map.bridge.placeClicked.emit("")
    asked: list[list[str]] = []

    def choose(places):
        asked.append([p.id for p in places])
        return next(p for p in places if p.id == "tabriz")

    win.places.choose = choose
    assert win.places.delete_action.text() == "&Delete Place…"
    win.places.delete_action.trigger()
    assert "tabriz" in asked[0] and "tabriz" not in win.state.dataset.places

    area = next(p for p in data.places.values() if p.kind is PlaceKind.AREA)

    def rename(dialog) -> bool:
        assert not dialog.kind.isEnabled()
        dialog.name.setText(area.name + " (renamed)")
        return True

    answer_place_form(win, rename)
    win.places.edit_place(area.id)
    renamed = win.state.dataset.places[area.id]
    assert renamed.name == area.name + " (renamed)"
    assert (renamed.iso3, renamed.points, renamed.lat, renamed.lon) == (
        area.iso3,
        area.points,
        area.lat,
        area.lon,
    )


def test_a_route_s_points_are_edited_on_the_map(qtbot, win) -> None:
    wait_ready(qtbot, win)
    data = win.state.dataset
    route = next(p for p in data.places.values() if p.kind is PlaceKind.ROUTE)
    ((x, y),) = empty_spots(qtbot, win, 1)
    added = evaluate(qtbot, win, f"chronomap.latLngAt({x}, {y})")
    win.places.edit_route_points(route.id)
    assert win.places.mode == "route"
    qtbot.waitUntil(
        lambda: len(evaluate(qtbot, win, "chronomap.draft()") or []) == len(route.points)
    )
    assert all(
        near(a, b)
        for a, b in zip(evaluate(qtbot, win, "chronomap.draft()"), route.points, strict=True)
    )
    click_map(qtbot, win, x, y)
    qtbot.waitUntil(
        lambda: len(evaluate(qtbot, win, "chronomap.draft()") or []) == len(route.points) + 1
    )
    qtbot.keyClick(win, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.state.dataset.places[route.id] != route, timeout=10_000)
    edited = win.state.dataset.places[route.id]
    assert edited.points[:-1] == route.points and near(edited.points[-1], added)
    assert (edited.name, edited.kind, edited.extra) == (route.name, route.kind, route.extra)
    assert win.document.undo_action.text() == f"&Undo Edit route “{route.name}”"
    win.document.undo_action.trigger()
    assert win.state.dataset.places[route.id] == route


def test_markers_do_not_drag_while_presenting(qtbot, win) -> None:
    wait_ready(qtbot, win)
    draggable = "document.querySelectorAll('.cm-marker.leaflet-marker-draggable').length"
    assert evaluate(qtbot, win, draggable) > 0
    win.map.set_presenting(True)
    assert evaluate(qtbot, win, draggable) == 0
    win.map.set_presenting(False)
    assert evaluate(qtbot, win, draggable) > 0


def test_a_mode_outlives_a_page_built_again(qtbot, win) -> None:
    wait_ready(qtbot, win)
    win.places.add_action.trigger()
    win.map.show_dataset()  # as an edit by another hand, or a reload, does
    wait_ready(qtbot, win)
    assert evaluate(qtbot, win, "chronomap.mode()") == "add" and win.places.mode == "add"
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert evaluate(qtbot, win, "chronomap.mode()") == "browse"

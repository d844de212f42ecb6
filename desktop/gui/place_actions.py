"""Places edited on the map: add one by a click or by name, drag a marker, draw a route.

The Places menu's actions and what the map page reports (a click in "add"
mode, a marker dropped, a route finished) each end in one undoable edit of
``desktop.core.editing`` on the document's one undo stack. Esc leaves a mode,
Enter finishes a route (in the page, or here when the focus is elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from desktop.core.editing import (
    EditError,
    add_place,
    change_place,
    delete_place,
    move_places,
    set_route,
)
from desktop.core.model import Dataset, Place, PlaceKind
from desktop.core.view_state import SELECTION, ViewState

from .document import Document
from .map_view import MapView

# What the status bar says while a mode waits for clicks on the map.
HINTS = {
    "add": "Click the map where the new place is (Esc: cancel)",
    "route": (
        "Click the map for each point of the route; Enter or a double-click finishes, "
        "Backspace takes the last point back, Esc cancels"
    ),
}


class PlaceActions(QObject):
    """The Places menu, and the map's edits of places."""

    sigMessage = Signal(str)  # one line for the status bar ("" clears it)

    def __init__(self, parent: QWidget, state: ViewState, document: Document, map_view: MapView):
        super().__init__(parent)
        self._parent = parent
        self._state = state
        self._document = document
        self._map = map_view
        self.mode = "browse"
        self._route: str | None = None  # the route whose points are being edited
        # The place last clicked on the map: what Edit Place and Delete Place act on.
        self._clicked: str | None = None

        def action(text: str, slot: Callable[[], object], keys: str = "") -> QAction:
            made = QAction(text, self)
            if keys:
                made.setShortcut(QKeySequence(keys))
            made.triggered.connect(lambda: slot())
            return made

        self.add_action = action("Add Place on &Map", lambda: self._toggle("add"), "Ctrl+Shift+M")
        self.add_action.setStatusTip("Click the map where a new place is")
        self.new_action = action("&New Place by Name…", self.new_place, "Ctrl+Shift+P")
        self.route_action = action("Draw &Route", lambda: self._toggle("route"), "Ctrl+Shift+R")
        self.route_action.setStatusTip("Click the map point by point; Enter finishes")
        # Checked while their mode waits for clicks: the toolbar shows which.
        self.add_action.setCheckable(True)
        self.route_action.setCheckable(True)
        self.edit_action = action("&Edit Place…", self.edit_place)
        self.points_action = action("Edit Route &Points", self.edit_route_points)
        self.delete_action = action("&Delete Place", self.delete_place)
        self.cancel_action = action("Cancel", lambda: self.set_mode("browse"), "Esc")
        self.finish_action = action("Finish Route", self._map.finish_route, "Return")
        self.actions = [self.add_action, self.new_action, self.route_action]
        self.place_actions = [self.edit_action, self.points_action, self.delete_action]
        # Tests answer the form (and the refusal) themselves.
        self.run_dialog: Callable[[QDialog], bool] = lambda dialog: (
            dialog.exec() == QDialog.DialogCode.Accepted
        )
        self.choose: Callable[[list[Place]], Place | None] = self._choose
        self.refuse: Callable[[str], object] = lambda text: QMessageBox.information(
            self._parent, "Place not deleted", text
        )

        bridge = map_view.bridge
        bridge.mapClicked.connect(self._map_clicked)
        bridge.placesMoved.connect(self._places_moved)
        bridge.routeDrawn.connect(self._route_drawn)
        bridge.modeLeft.connect(lambda _mode: self._mode_changed("browse"))
        bridge.placeClicked.connect(self._place_clicked)
        bridge.placesClicked.connect(lambda ids: self._place_clicked(ids[0] if ids else ""))
        state.subscribe(lambda changed: self._update() if SELECTION in changed else None)
        self._update()

    def _dataset(self) -> Dataset:
        return self._document.dataset()

    # -- which place ----------------------------------------------------------

    def current_place(self) -> Place | None:
        """The place last clicked on the map, else the one place of the selection."""
        places = self._dataset().places
        if self._clicked in places:
            return places[self._clicked]
        selected = self._state.selected_place_ids()
        return places[selected[0]] if len(selected) == 1 else None

    def _place_in_hand(self, kind: PlaceKind | None = None) -> Place | None:
        """The current place (of that kind), else the one the analyst chooses by name."""
        place = self.current_place()
        if place is not None and (kind is None or place.kind is kind):
            return place
        places = [p for p in self._dataset().places.values() if kind is None or p.kind is kind]
        return self.choose(places)

    def _choose(self, places: list[Place]) -> Place | None:
        if not places:
            return None
        ordered = sorted(places, key=lambda p: (p.name.casefold(), p.id))
        labels = [f"{p.name} ({p.id})" for p in ordered]
        label, ok = QInputDialog.getItem(self._parent, "Which place?", "Place:", labels, 0, False)
        return ordered[labels.index(label)] if ok and label in labels else None

    def _place_clicked(self, place_id: str) -> None:
        self._clicked = place_id or None
        self._update()

    def _update(self) -> None:
        has = self._document.result is not None
        for act, mode in ((self.add_action, "add"), (self.route_action, "route")):
            act.setEnabled(has and self.mode in ("browse", mode))
            act.setChecked(self.mode == mode)
        self.new_action.setEnabled(has and self.mode == "browse")
        place = self.current_place() if has else None
        name = f" “{place.name}”" if place else ""
        # With no place in hand, they ask which (a place with no event shown has no
        # marker to click).
        self.edit_action.setText(f"&Edit Place{name}…")
        self.delete_action.setText(f"&Delete Place{name}" if place else "&Delete Place…")
        some = has and bool(self._dataset().places)
        self.edit_action.setEnabled(some)
        self.delete_action.setEnabled(some)
        self.points_action.setEnabled(some)
        self.cancel_action.setEnabled(self.mode != "browse")
        self.finish_action.setEnabled(self.mode == "route")

    def dataset_opened(self) -> None:
        self._clicked = None
        self._mode_changed("browse")
        # The window tells the document after its views: enabled once it knows the file.
        QTimer.singleShot(0, self._update)

    # -- modes ----------------------------------------------------------------

    def _toggle(self, mode: str) -> None:
        self.set_mode("browse" if self.mode == mode else mode)

    def set_mode(self, mode: str, points: tuple[tuple[float, float], ...] = ()) -> None:
        """Take clicks on the map as "add" (the next one is a new place), "route" (they draw
        one) or "browse" (they select, as ever)."""
        if mode == "browse":
            self._route = None
        self._map.set_mode(mode, list(points), HINTS.get(mode, ""))
        self._mode_changed(mode)

    def _mode_changed(self, mode: str) -> None:
        self.mode = mode
        if mode == "browse":
            self._route = None
        self.sigMessage.emit(HINTS.get(mode, ""))
        self._update()

    # -- what the map reports -------------------------------------------------

    def _map_clicked(self, lat: float, lon: float) -> None:
        if self.mode != "add":
            return
        self.set_mode("browse")
        self.new_place(at=(lat, lon))

    def _places_moved(self, place_ids: list[str], lat: float, lon: float) -> None:
        dataset = self._dataset()
        try:
            edit = move_places(dataset, place_ids, lat, lon)
        except (EditError, KeyError) as exc:
            self.sigMessage.emit(f"Not moved: {exc}")
            self._map.show_dataset()  # the marker goes back where the data has it
            return
        self._document.apply(edit)

    def _route_drawn(self, points: list[tuple[float, float]]) -> None:
        route, self._route = self._route, None
        self._mode_changed("browse")
        dataset = self._dataset()
        if route is not None and route in dataset.places:
            self._document.apply(set_route(dataset, route, points))
            return
        self.new_place(points=tuple(points))

    # -- the form -------------------------------------------------------------

    def new_place(
        self, at: tuple[float, float] | None = None, points: tuple[tuple[float, float], ...] = ()
    ) -> Place | None:
        """The place form for a new place (at a clicked spot, along drawn points, or
        by a name typed); OK adds it in one edit."""
        from .place_form import PlaceDialog

        dataset = self._dataset()
        dialog = PlaceDialog(dataset, None, at=at, points=points, parent=self._parent)
        if not self.run_dialog(dialog) or dialog.made is None:
            return None
        place = dialog.made
        self._document.apply(add_place(dataset, place))
        self._clicked = place.id
        self._update()
        return place

    def edit_place(self, place_id: str | None = None) -> Place | None:
        from .place_form import PlaceDialog

        dataset = self._dataset()
        place = dataset.places.get(place_id) if place_id else self._place_in_hand()
        if place is None:
            return None
        dialog = PlaceDialog(dataset, place, parent=self._parent)
        if not self.run_dialog(dialog) or dialog.made is None:
            return None
        self._document.apply(change_place(dataset, dialog.made))
        return dialog.made

    def edit_route_points(self, place_id: str | None = None) -> None:
        """Draw a route again from its points: drag them, click to add more."""
        place = (
            self._dataset().places.get(place_id)
            if place_id
            else self._place_in_hand(PlaceKind.ROUTE)
        )
        if place is None or place.kind is not PlaceKind.ROUTE:
            return
        self.set_mode("route", place.points)
        self._route = place.id

    def delete_place(self, place_id: str | None = None) -> bool:
        """Delete a place; one that events name is refused, saying which."""
        dataset = self._dataset()
        place = dataset.places.get(place_id) if place_id else self._place_in_hand()
        if place is None:
            return False
        try:
            edit = delete_place(dataset, place.id)
        except EditError as exc:
            self.sigMessage.emit(f"Not deleted: {exc}")
            self.refuse(f"Not deleted: {exc}")
            return False
        self._document.apply(edit)
        self._clicked = None
        self._update()
        return True

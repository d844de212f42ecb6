"""The place form: name, kind, coordinates and country of one place.

A new place comes from a click on the map (its coordinates filled in), a route
drawn on the map (its points), or a name typed: the offline gazetteer (the one
the article reader uses) suggests countries and cities as it is typed, with
their country and coordinates, and picking one fills the rest. Editing a place
changes only what the form shows: an area keeps its country outline, a route
its points, every place its aliases, note and other columns.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
)

from desktop.core.articles.places import slug
from desktop.core.editing import unused_id
from desktop.core.formats.gazetteer import Match, gazetteer
from desktop.core.model import Dataset, Place, PlaceKind

from .event_form import ERROR_STYLE, PREVIEW_STYLE, _note, ok_cancel

# The column a place's country is kept in (ISO 3166 alpha-2, as the gazetteer has it).
COUNTRY_COLUMN = "country"
SUGGESTIONS = 8


def describe(match: Match) -> str:
    """How a suggestion reads: "Tabriz, Iran · 38.0800, 46.2919"."""
    where = "country" if match.is_country else match.country_name
    return f"{match.name}, {where} · {match.lat:.4f}, {match.lon:.4f}"


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def country_of(place: Place) -> str:
    return dict(place.extra).get(COUNTRY_COLUMN, "")


def with_country(place: Place, country: str) -> Place:
    """The place with ``country`` in its country column (added last if it had none)."""
    extra = dict(place.extra)
    if not country and COUNTRY_COLUMN not in extra:
        return place
    extra[COUNTRY_COLUMN] = country
    return replace(place, extra=tuple(extra.items()))


class PlaceDialog(QDialog):
    """Add or edit one place. ``place``: the one edited (None: a new one, at ``at``
    (lat, lon) if given, or a route through ``points``)."""

    def __init__(
        self,
        dataset: Dataset,
        place: Place | None = None,
        at: tuple[float, float] | None = None,
        points: tuple[tuple[float, float], ...] = (),
        parent=None,
    ):
        super().__init__(parent)
        self.setObjectName("placeDialog")
        self._dataset = dataset
        self._editing = place
        self._points = place.points if place is not None else tuple(points)
        self._iso3 = place.iso3 if place is not None else ""
        self._picking = False
        if place is not None:
            self.setWindowTitle(f"Edit place “{place.name}”")
        else:
            self.setWindowTitle("New route" if points else "New place")

        self.name = QLineEdit(place.name if place else "")
        self.name.setObjectName("place_name")
        self.name.setPlaceholderText("a name: type to look it up in the offline gazetteer")
        self.suggestions = QListWidget()
        self.suggestions.setObjectName("place_suggestions")
        self.suggestions.setMaximumHeight(140)
        self.suggestions.hide()
        self.kind = QComboBox()
        self.kind.setObjectName("place_kind")
        for kind in PlaceKind:
            self.kind.addItem(kind.value, kind)
        kind = place.kind if place else (PlaceKind.ROUTE if points else PlaceKind.POINT)
        self.kind.setCurrentIndex(list(PlaceKind).index(kind))
        # The kind says how the place is drawn: a route's points or an area's outline
        # are not typed here, so an existing place keeps its kind.
        self.kind.setEnabled(place is None and not points)
        lat, lon = (place.lat, place.lon) if place else (at if at else (None, None))
        self.lat = QLineEdit("" if lat is None else f"{lat:.6g}")
        self.lat.setObjectName("place_lat")
        self.lon = QLineEdit("" if lon is None else f"{lon:.6g}")
        self.lon.setObjectName("place_lon")
        self.country = QLineEdit(country_of(place) if place else "")
        self.country.setObjectName("place_country")
        self.country.setPlaceholderText("ISO code or name, e.g. IR or Iran")
        self.shape = _note("place_shape", PREVIEW_STYLE)
        self.problem = _note("place_problem", ERROR_STYLE)

        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("", self.suggestions)
        form.addRow("&Kind", self.kind)
        form.addRow("&Latitude", self.lat)
        form.addRow("L&ongitude", self.lon)
        form.addRow("&Country", self.country)
        form.addRow("", self.shape)
        self.buttons = ok_cancel(self, form, self.problem)

        self.name.textChanged.connect(self._name_changed)
        self.suggestions.itemActivated.connect(self._picked)
        self.suggestions.itemClicked.connect(self._picked)
        for field in (self.lat, self.lon, self.country):
            field.textChanged.connect(self._check)
        self.kind.currentIndexChanged.connect(self._check)
        self._check()

    # -- suggestions -----------------------------------------------------------

    def _name_changed(self, text: str) -> None:
        if not self._picking:
            self.suggest(text)
        self._check()

    def suggest(self, text: str) -> list[Match]:
        """Show the gazetteer's suggestions for ``text`` (none for an existing place's
        own name, or for too few letters)."""
        self.suggestions.clear()
        matches = [] if self._editing is not None else gazetteer().suggest(text, SUGGESTIONS)
        for match in matches:
            item = QListWidgetItem(describe(match))
            item.setData(Qt.ItemDataRole.UserRole, match)
            self.suggestions.addItem(item)
        self.suggestions.setVisible(bool(matches))
        return matches

    def pick(self, row: int) -> None:
        """Take the suggestion in ``row``: its name, coordinates and country."""
        self._picked(self.suggestions.item(row))

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        match: Match = item.data(Qt.ItemDataRole.UserRole)
        self._picking = True
        try:
            self.name.setText(match.name)
        finally:
            self._picking = False
        self.lat.setText(f"{match.lat:.6g}")
        self.lon.setText(f"{match.lon:.6g}")
        self.country.setText(match.country)
        if self.kind.isEnabled():
            # A country is drawn as its outline; its label sits at the capital.
            area = match.is_country
            self._iso3 = match.iso3 if area else ""
            kind = PlaceKind.AREA if area else PlaceKind.POINT
            self.kind.setCurrentIndex(list(PlaceKind).index(kind))
        self.suggestions.hide()
        self._check()

    # -- the place -------------------------------------------------------------

    def current_kind(self) -> PlaceKind:
        return PlaceKind(self.kind.currentData())

    def message(self) -> str:
        return self.problem.text()

    @property
    def made(self) -> Place | None:
        """The place as the form says, or None while a field would not load."""
        return self._build()[0]

    def _build(self) -> tuple[Place | None, str]:
        name = " ".join(self.name.text().split())
        if not name:
            return None, "place name is empty: every place needs one"
        kind = self.current_kind()
        lat_text, lon_text = self.lat.text().strip(), self.lon.text().strip()
        lat = _number(lat_text) if lat_text else None
        lon = _number(lon_text) if lon_text else None
        if lat_text and (lat is None or not -90 <= lat <= 90):
            return None, f"lat {lat_text!r} is not a latitude: a number from -90 to 90"
        if lon_text and (lon is None or not -180 <= lon <= 180):
            return None, f"lon {lon_text!r} is not a longitude: a number from -180 to 180"
        if (lat is None) != (lon is None):
            return None, "give both latitude and longitude, or neither"
        if kind is PlaceKind.POINT and lat is None:
            return None, "a point needs a latitude and a longitude"
        if kind is PlaceKind.ROUTE and len(self._points) < 2 and lat is None:
            return None, "a route is drawn on the map: Places > Draw Route"
        if kind is PlaceKind.AREA and not self._iso3 and lat is None:
            return None, "an area is a country: pick one from the suggestions"
        country = self.country.text().strip()
        code = gazetteer().country_code(country) if country else ""
        if self._editing is not None:
            base = self._editing
        else:
            ident = unused_id(self._dataset.places, slug(name))
            base = Place(ident, name, kind, points=self._points, iso3=self._iso3)
        place = replace(base, name=name, lat=lat, lon=lon)
        if kind is not PlaceKind.AREA and self._editing is None:
            place = replace(place, iso3="")
        return with_country(place, code or country), ""

    def _check(self) -> None:
        place, problem = self._build()
        self.problem.setText(problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(place is not None)
        kind = self.current_kind()
        if kind is PlaceKind.ROUTE:
            self.shape.setText(f"a route through {len(self._points)} points")
        elif kind is PlaceKind.AREA:
            self.shape.setText(f"the outline of {self._iso3}" if self._iso3 else "")
        else:
            self.shape.setText(f"id: {place.id}" if place is not None else "")

"""Edits of places (Qt-free): add, move, route points, delete, each undone exactly."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.core.dates import parse_date
from desktop.core.editing import (
    EditError,
    add_place,
    change_place,
    delete_place,
    move_places,
    set_route,
)
from desktop.core.formats.gazetteer import gazetteer
from desktop.core.model import Dataset, Event, Place, PlaceKind


def _dataset() -> Dataset:
    places = {
        "tehran": Place("tehran", "Tehran", lat=35.69, lon=51.39),
        "caspian": Place("caspian", "Caspian route", PlaceKind.ROUTE, points=((40, 50), (42, 51))),
        "iran": Place("iran", "Iran", PlaceKind.AREA, iso3="IRN", extra=(("country", "IR"),)),
        "baku": Place("baku", "Baku", lat=40.41, lon=49.87),
    }
    day = parse_date("2024-11-15").date
    events = [
        Event("e1", "Talks", day, places=("tehran",)),
        Event("e2", "Gas", day, places=("tehran",)),
    ]
    return Dataset(events=events, places=places)


def test_a_place_is_added_last_and_taken_back_by_undo() -> None:
    data = _dataset()
    edit = add_place(data, Place("tabriz", "Tabriz", lat=38.08, lon=46.29))
    after = edit.apply(data)
    assert list(after.places) == ["tehran", "caspian", "iran", "baku", "tabriz"]
    assert edit.name == "Add place “Tabriz”"
    assert edit.inverse().apply(after).places == data.places
    with pytest.raises(EditError):
        add_place(after, Place("tabriz", "Again", lat=1, lon=1))


def test_a_move_changes_only_the_coordinates_and_keeps_the_order() -> None:
    data = _dataset()
    edit = move_places(data, ["tehran"], 35.7, 51.4)
    after = edit.apply(data)
    assert edit.name == "Move place “Tehran”"
    assert after.places["tehran"] == replace(data.places["tehran"], lat=35.7, lon=51.4)
    assert list(after.places) == list(data.places)
    assert after.events is data.events  # the events are not touched
    assert edit.inverse().apply(after).places == data.places
    assert move_places(data, ["tehran", "baku"], 1, 2).name == "Move 2 places"
    with pytest.raises(EditError):
        move_places(data, ["caspian"], 1, 2)  # a route is not dragged


def test_a_route_gets_new_points_and_an_area_keeps_its_outline() -> None:
    data = _dataset()
    edit = set_route(data, "caspian", [(40, 50), (41, 50.5), (42, 51)])
    assert edit.name == "Edit route “Caspian route”"
    assert edit.apply(data).places["caspian"].points == ((40, 50), (41, 50.5), (42, 51))
    with pytest.raises(EditError):
        set_route(data, "caspian", [(40, 50)])
    renamed = change_place(data, replace(data.places["iran"], name="Islamic Republic of Iran"))
    area = renamed.apply(data).places["iran"]
    assert area.iso3 == "IRN" and area.kind is PlaceKind.AREA and area.extra == (("country", "IR"),)


def test_a_place_events_name_is_not_deleted_and_the_message_says_which() -> None:
    data = _dataset()
    with pytest.raises(EditError) as refused:
        delete_place(data, "tehran")
    assert str(refused.value) == (
        "“Tehran” is a place of 2 events (“Talks”, “Gas”): take it out of their places first"
    )
    edit = delete_place(data, "baku")
    after = edit.apply(data)
    assert "baku" not in after.places and edit.name == "Delete place “Baku”"
    assert list(edit.inverse().apply(after).places) == list(data.places)


def test_the_gazetteer_suggests_places_as_a_name_is_typed() -> None:
    found = gazetteer().suggest("Tabr")
    assert found and found[0].name == "Tabriz" and found[0].country == "IR"
    assert abs(found[0].lat - 38.08) < 0.1 and abs(found[0].lon - 46.29) < 0.1
    # Countries first, then the most populous cities; accents and case ignored.
    iran = gazetteer().suggest("iran")
    assert iran[0].is_country and iran[0].iso3 == "IRN"
    assert [m.name for m in gazetteer().suggest("sao pau")][:1] == ["São Paulo"]
    assert gazetteer().suggest("t") == []


def _place_edits(data: Dataset) -> Dataset:
    """What the map does: a point added (with its country), one moved, a route drawn,
    an area renamed, an unused place deleted."""
    data = add_place(
        data, Place("tabriz", "Tabriz", lat=38.08, lon=46.2919, extra=(("country", "IR"),))
    ).apply(data)
    data = move_places(data, ["tehran"], 35.7, 51.4).apply(data)
    route = Place(
        "corridor", "Drawn corridor", PlaceKind.ROUTE, points=((40, 49.5), (41, 48), (43, 47))
    )
    data = add_place(data, route).apply(data)
    area = next(p for p in data.places.values() if p.kind is PlaceKind.AREA)
    return change_place(data, replace(area, name=area.name + " (renamed)")).apply(data)


def _plain(places: dict[str, Place]) -> dict[str, Place]:
    return {k: replace(p, extra=tuple((c, v) for c, v in p.extra if v)) for k, p in places.items()}


@pytest.mark.parametrize("suffix", ["", ".json", ".xlsx"])
def test_place_edits_are_saved_back_and_read_again(tmp_path, suffix: str) -> None:
    import json

    from desktop.core.load import load_dataset
    from desktop.core.save import save_dataset
    from desktop.core.save_back import save_back
    from tests.helpers import changed_lines, copy_builtin

    folder = copy_builtin(tmp_path)
    path = folder
    if suffix:
        path = tmp_path / f"briefing{suffix}"
        save_dataset(load_dataset(folder).dataset, path)
    loaded = load_dataset(path)
    assert not loaded.errors
    before = path.read_bytes() if suffix else (folder / "places.csv").read_bytes()
    others = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "places.csv"}
    edited = _place_edits(loaded.dataset)
    save_back(path, loaded.format, loaded.dataset, edited)
    again = load_dataset(path)
    assert not again.errors
    # Once a country column exists, every place reads with one (empty for most).
    assert _plain(again.dataset.places) == _plain(edited.places)
    assert again.dataset.events == loaded.dataset.events
    area = next(p for p in edited.places.values() if p.kind is PlaceKind.AREA)
    assert again.dataset.places[area.id].iso3 == loaded.dataset.places[area.id].iso3
    if suffix == "":
        changes = changed_lines(before, (folder / "places.csv").read_bytes())
        # The header gains the country column; tehran and the area change; two rows come.
        assert sorted(c.split(",")[0] for c in changes) == sorted(
            ["-id", "+id", "-tehran", "+tehran", f"-{area.id}", f"+{area.id}"]
            + ["+tabriz", "+corridor"]
        )
        assert "+tehran,Tehran,point,35.7,51.4," in "\n".join(changes)
        for name, data in others.items():
            if not name.endswith(".bak"):
                assert (folder / name).read_bytes() == data, name
    elif suffix == ".json":
        old, new = json.loads(before), json.loads(path.read_text(encoding="utf-8"))
        touched = {"tabriz", "tehran", "corridor", area.id}
        assert [p for p in old["places"] if p["id"] not in touched] == [
            p for p in new["places"] if p["id"] not in touched
        ]
        assert {k: v for k, v in old.items() if k != "places"} == {
            k: v for k, v in new.items() if k != "places"
        }


def test_an_edit_of_places_keeps_what_was_worked_out_from_the_events_alone() -> None:
    from desktop.core.editing import add_event

    data = _dataset()
    data.derived("spans", lambda: "spans")
    data.derived("place-marks", lambda: "marks")
    moved = move_places(data, ["tehran"], 1, 2).apply(data)
    assert moved.derived("spans", lambda: "built again") == "spans"
    # What reads the places is built again for the moved place.
    assert moved.derived("place-marks", lambda: "new marks") == "new marks"
    grown = add_event(moved, Event("e3", "More", parse_date("2025").date)).apply(moved)
    assert grown.derived("spans", lambda: "with e3") == "with e3"
    assert grown.event("e3").title == "More" and moved.has_event("e1")

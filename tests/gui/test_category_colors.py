"""A new category takes a colour of its own: the categories on screen keep theirs,
in the timeline, the list, the filter bar and the map."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QColor

from desktop.core.editing import add_event, change_event
from desktop.mapview.payload import map_payload

pytestmark = pytest.mark.gui


def timeline_pixel(win, event_id: str) -> str:
    image = win.timeline.grab().toImage()
    point = win.timeline.event_point(event_id).toPoint()
    return QColor(image.pixel(point)).name().upper()


def test_a_new_category_changes_no_other_colour(qtbot, win) -> None:
    data = win.state.dataset
    names = [c for c in data.categories() if c]
    before = {c: win.timeline.color_of(c) for c in names}
    assert len(set(before.values())) == len(names)
    solid = "treaty-signed"  # an exact event: a solid dot in its category's colour
    assert timeline_pixel(win, solid) == before["treaty"].upper()

    # "aid" sorts before every category here: sorted colours would shift them all.
    new = replace(data.event("jcpoa"), id="aid-pledge", title="Aid pledge", category="aid")
    win.document.apply(add_event(data, new), (new.id,))
    after = {c: win.timeline.color_of(c) for c in names}
    assert after == before
    aid = win.timeline.color_of("aid")
    assert aid not in before.values()
    assert timeline_pixel(win, solid) == before["treaty"].upper()
    # The map is given the same colours.
    assert map_payload(win.state.dataset, slim=True)["colors"] == {
        **{c: before[c] for c in names},
        "aid": aid,
        "era": win.timeline.color_of("era"),
    }

    # An existing event changed to yet another new category: the same again.
    data = win.state.dataset
    renamed = replace(data.event("assad-falls"), category="conflict")
    win.document.apply(change_event(data, renamed))
    assert {c: win.timeline.color_of(c) for c in names} == before
    assert win.timeline.color_of("conflict") not in {*before.values(), aid}

    # Undo both: the colours are the ones the dataset opened with.
    win.document.undo_action.trigger()
    win.document.undo_action.trigger()
    assert {c: win.timeline.color_of(c) for c in names} == before

"""The bundled basemap draws on a flat map without bands across the world."""

from __future__ import annotations

import pytest

from desktop.mapview.assets import BASEMAPS, basemap_geojson


def rings(collection):
    for feature in collection["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                yield feature["properties"]["name"], ring


@pytest.mark.parametrize("resolution", BASEMAPS)
def test_no_ring_steps_across_the_antimeridian(resolution):
    # A step from 179.9 to -179.9 degrees is drawn as an edge across the whole
    # map: the horizontal bands once seen through the Arctic (Chukotka) and at Fiji.
    crossing = {}
    for name, ring in rings(basemap_geojson(resolution)):
        steps = sum(abs(a[0] - b[0]) > 180 for a, b in zip(ring, ring[1:], strict=False))
        assert ring[0] == ring[-1], f"{name}: ring not closed"
        if steps:
            crossing[name] = max(crossing.get(name, 0), steps)
    # Only the ring round the South Pole steps once: along the map's bottom edge.
    assert crossing == {"Antarctica": 1}


def test_countries_cut_at_the_antimeridian_keep_both_sides():
    found = {
        name: [ring for n, ring in rings(basemap_geojson("110m")) if n == name]
        for name in ("Russia", "Fiji")
    }
    for name, parts in found.items():
        lons = [lon for ring in parts for lon, _lat in ring]
        assert max(lons) == 180.0 and min(lons) == -180.0, name
        east = [r for r in parts if min(lon for lon, _ in r) > 0]
        west = [r for r in parts if max(lon for lon, _ in r) < 0]
        assert east and west, name


# Arctic and North Atlantic sea at the latitudes of Chukotka (62-71 N): a ring stepping
# across the 180th meridian fills a band of land colour through all of them.
ARCTIC_SEA = [(68.0, 2.0), (66.0, -30.0), (72.0, -140.0), (71.5, 40.0), (64.0, -57.0)]
LAND = [(62.0, 100.0), (64.0, -110.0), (72.0, -40.0)]  # Siberia, Canada, Greenland


@pytest.mark.gui
def test_the_exported_world_map_has_no_band_across_the_arctic(builtin, browser, tmp_path):
    from PySide6.QtGui import QColor

    from desktop.exports.html_export import export_html
    from desktop.exports.view import view_from_flags
    from desktop.mapview.page import LAND_COLOR, SEA_COLOR

    out = tmp_path / "world.html"
    export_html(builtin, out, view_from_flags(builtin))
    browser.open(out)
    # The whole world (the story's places are far from the points read).
    browser.js("chronomap.setView(45, 0, 2, false)")
    browser.settle()
    points = browser.js(
        "(() => { const m = Object.values(window).find(v => v instanceof L.Map);"
        f" return {[list(p) for p in ARCTIC_SEA + LAND]}.map(p => {{"
        " const c = m.latLngToContainerPoint(p);"
        " const r = m.getContainer().getBoundingClientRect();"
        " return [c.x + r.left, c.y + r.top]; }); })()"
    )
    image = browser.grab(tmp_path / "world.png")
    ratio = image.width() / browser.view.width()

    def color_at(x: float, y: float) -> str:
        return QColor(image.pixel(int(x * ratio), int(y * ratio))).name().upper()

    seen = [color_at(x, y) for x, y in points]
    assert seen[: len(ARCTIC_SEA)] == [SEA_COLOR] * len(ARCTIC_SEA), seen
    assert seen[len(ARCTIC_SEA) :] == [LAND_COLOR] * len(LAND), seen

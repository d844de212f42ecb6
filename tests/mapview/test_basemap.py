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

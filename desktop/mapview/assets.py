"""Files the map page is made of: Leaflet and Leaflet.markercluster from their XStatic
packages, our script and style,
and the bundled Natural Earth basemap. Nothing here is fetched from the network."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from desktop.resources import assets_dir

BASEMAPS = ("110m", "50m")

_HERE = Path(__file__).resolve().parent


def leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as leaflet

    return Path(leaflet.BASE_DIR)


def leaflet_js() -> Path:
    return leaflet_dir() / "leaflet.js"


def leaflet_css() -> Path:
    return leaflet_dir() / "leaflet.css"


def markercluster_dir() -> Path:
    import xstatic.pkg.leaflet_markercluster as markercluster

    return Path(markercluster.BASE_DIR)


def markercluster_files() -> tuple[Path, Path]:
    """Leaflet.markercluster's script and its layout style sheet (the look is ours)."""
    folder = markercluster_dir()
    return folder / "leaflet.markercluster.js", folder / "MarkerCluster.css"


def page_file(name: str) -> Path:
    """One of the page's own files kept beside this module (chronomap_map.js, ...)."""
    return _HERE / name


def basemap_path(resolution: str = "110m") -> Path:
    if resolution not in BASEMAPS:
        raise ValueError(f"basemap {resolution!r}: choose one of {', '.join(BASEMAPS)}")
    return assets_dir() / "basemap" / f"countries-{resolution}.geojson"


@functools.cache
def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def basemap_geojson(resolution: str = "110m") -> dict[str, Any]:
    """A fresh copy each call: folium may add ids to the features it is given."""
    path = basemap_path(resolution)
    try:
        return json.loads(read_text(path))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: the bundled basemap is missing") from None

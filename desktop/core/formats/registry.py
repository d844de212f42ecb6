"""Formats written by other tools, registered ahead of the native ones they resemble.

A TimelineJS sheet or a plain CSV with place names is also a CSV, a timemap
workbook is also an .xlsx, and TimelineJS JSON and GeoJSON are also JSON: each
is tried before the general format, which would misread it. Sniffers look at
content, never at the name alone, and never raise: a file they cannot judge is
left to the next format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Dataset
    from ..problems import Problems


@dataclass(frozen=True)
class Format:
    """A dataset form: ``sniff(path, first bytes)`` says whether ``load`` can read it."""

    name: str
    label: str
    extensions: tuple[str, ...]
    sniff: Callable[[Path, bytes], bool]
    load: Callable[[Path, Problems], Dataset]


def _safe(sniff: Callable[[Path, bytes], bool]) -> Callable[[Path, bytes], bool]:
    def guarded(path: Path, head: bytes) -> bool:
        try:
            return path.is_file() and sniff(path, head)
        except Exception:  # a sniffer that trips on odd bytes just does not claim the file
            return False

    return guarded


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported on first call: a session that opens a native
    dataset never imports the readers of other tools' formats."""

    def call(*args: Any) -> Any:
        return getattr(import_module(f"{__package__}.{module}"), name)(*args)

    call.__name__ = name
    return call


def register_interop_formats(register_format: Callable[..., None]) -> None:
    """Hand each format to ``register_format(fmt, before=NAME)`` (desktop.core.load's)."""
    sniff_geojson, load_geojson = _lazy("geo", "sniff_geojson"), _lazy("geo", "load_geojson")
    sniff_kml, load_kml = _lazy("geo", "sniff_kml"), _lazy("geo", "load_kml")
    sniff_plain_csv = _lazy("plain_csv", "sniff_plain_csv")
    load_plain_csv = _lazy("plain_csv", "load_plain_csv")
    sniff_timelinejs_csv = _lazy("timelinejs", "sniff_timelinejs_csv")
    load_timelinejs_csv = _lazy("timelinejs", "load_timelinejs_csv")
    sniff_timelinejs_json = _lazy("timelinejs", "sniff_timelinejs_json")
    load_timelinejs_json = _lazy("timelinejs", "load_timelinejs_json")
    sniff_table_workbook = _lazy("table_workbook", "sniff_table_workbook")
    load_table_workbook = _lazy("table_workbook", "load_table_workbook")
    sniff_timemap, load_timemap = (
        _lazy("timemap", "sniff_timemap"),
        _lazy("timemap", "load_timemap"),
    )

    formats = [
        (
            Format(
                "timelinejs-csv",
                "TimelineJS spreadsheet (CSV)",
                (".csv",),
                _safe(sniff_timelinejs_csv),
                load_timelinejs_csv,
            ),
            "csv",
        ),
        (
            Format(
                "plain-csv",
                "Table of events (CSV, TSV)",
                (".csv", ".tsv", ".txt"),
                _safe(sniff_plain_csv),
                load_plain_csv,
            ),
            "csv",
        ),
        (
            Format("timemap", "timemap workbook", (".xlsx",), _safe(sniff_timemap), load_timemap),
            "xlsx",
        ),
        (
            Format(
                "table-xlsx",
                "Workbook with a table of events",
                (".xlsx",),
                _safe(sniff_table_workbook),
                load_table_workbook,
            ),
            "xlsx",
        ),
        # GeoJSON before TimelineJS JSON: a FeatureCollection's properties may
        # hold any keys (even "eras"), but a TimelineJS file never declares a
        # GeoJSON "type".
        (
            Format(
                "geojson",
                "GeoJSON",
                (".geojson", ".json"),
                _safe(sniff_geojson),
                load_geojson,
            ),
            "json",
        ),
        (
            Format(
                "timelinejs-json",
                "TimelineJS JSON",
                (".json",),
                _safe(sniff_timelinejs_json),
                load_timelinejs_json,
            ),
            "json",
        ),
        # Nothing native reads XML, so KML just joins ahead of the catch-all CSV.
        (Format("kml", "KML (Google Earth)", (".kml",), _safe(sniff_kml), load_kml), "csv"),
    ]
    for fmt, before in formats:
        register_format(fmt, before=before)

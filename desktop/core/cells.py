"""Reading and writing single cells: what spreadsheets, CSV and JSON put in them.

A cell arrives as text (CSV), a typed value (a workbook's numbers and dates)
or JSON (lists, numbers, booleans); each reader here accepts all of them and
raises ``CellError`` with a message that says what to write instead.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from .model import MapView


def cell_text(value: Any) -> str:
    """A cell as text, undoing what spreadsheets do to numbers and dates."""
    if type(value) is str:  # by far the most common cell: checked first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.hour or value.minute:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def split_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        items = [cell_text(v) for v in value]
    else:
        items = re.split(r"[;,]", cell_text(value))
    return tuple(i.strip() for i in items if i.strip())


_TRUE = {"yes", "y", "true", "1", "x", "approximate", "approx"}
_FALSE = {"", "no", "n", "false", "0"}


class CellError(ValueError):
    pass


def yes_or_no(text: str) -> bool | None:
    """A yes/no word ("yes", "x", "false", "" ...) as a bool; None for anything else."""
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return None


def parse_bool(value: Any) -> bool:
    flag = yes_or_no(cell_text(value))
    if flag is None:
        raise CellError(f"{cell_text(value)!r} is not yes or no")
    return flag


def parse_float(value: Any, low: float, high: float, what: str) -> float:
    text = cell_text(value)
    try:
        number = float(text.replace("\u2212", "-"))
    except ValueError:
        raise CellError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise CellError(f"{what} {text} is out of range ({low:g} to {high:g})")
    return number


def parse_points(value: Any) -> tuple[tuple[float, float], ...]:
    if isinstance(value, list | tuple):
        pairs: list[Any] = list(value)
    else:
        pairs = [p for p in re.split(r";", cell_text(value)) if p.strip()]
    points = []
    for pair in pairs:
        parts = pair if isinstance(pair, list | tuple) else re.split(r"[,\s]+", pair.strip())
        if len(parts) != 2:
            raise CellError(
                f"route point {cell_text(pair)!r} is not 'lat, lon': "
                "write points as 'lat, lon; lat, lon; ...'"
            )
        points.append(
            (
                parse_float(parts[0], -90, 90, "latitude"),
                parse_float(parts[1], -180, 180, "longitude"),
            )
        )
    return tuple(points)


def parse_view(value: Any) -> MapView | None:
    if isinstance(value, dict):
        parts = [value.get("lat"), value.get("lon"), value.get("zoom")]
    else:
        text = cell_text(value)
        if text.lower() in ("", "fit"):
            return None
        parts = [p for p in re.split(r"[,\s]+", text) if p]
    if len(parts) != 3:
        raise CellError("view must be 'fit' or 'lat, lon, zoom' (e.g. 40.4, 49.9, 5)")
    return MapView(
        parse_float(parts[0], -90, 90, "latitude"),
        parse_float(parts[1], -180, 180, "longitude"),
        parse_float(parts[2], 0, 20, "zoom"),
    )

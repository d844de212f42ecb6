"""The dataset as one JSON file: the canonical form, also written by ``export --json``.

``{"title", "description", "events": [...], "places": [...], "sources": [...],
"citations": [...], "story": [...]}``, each list's objects keyed by the columns
of its table in ``schema``. Dates are ISO text cut to their precision ("2001",
"2024-11", "2025-01-17"); each event also states its ``precision``. Columns a
user added beyond the known ones travel in an ``extra`` object, so nothing is
lost on the way through.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..atomic import atomic_write_bytes
from ..model import Dataset
from ..problems import Problems
from ..records import SHEET_ORDER, Table, build_dataset, normalise_header
from ..schema import ITEM_SHEETS, META_KEYS, items_of, json_rows
from .text import decode

_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


def read_json(path: Path, problems: Problems) -> Any | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(str(path), 0, "-", f"cannot read the file: {exc.strerror or exc}")
        return None
    if not data or data.isspace():  # as not data.strip(), without copying a large file
        problems.error(str(path), 0, "-", "the file is empty: it needs a JSON object")
        return None
    text = decode(data, str(path), problems)
    del data  # not held while the document is built
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problems.error(str(path), exc.lineno, str(exc.colno), f"invalid JSON: {exc.msg}")
    except RecursionError:
        problems.error(str(path), 0, "-", "invalid JSON: nested too deeply")
    return None


def json_tables(doc: dict[str, Any], path: Path, problems: Problems) -> dict[str, Table]:
    tables = {}
    for sheet in SHEET_ORDER:
        items = doc.get(sheet)
        # An empty list has no columns to check: it is simply an empty table.
        if items is None or items == [] or sheet == "meta":
            continue
        label = f"{path}#{sheet}"
        if not isinstance(items, list):
            problems.error(label, 0, "-", f"'{sheet}' must be a list of objects")
            continue
        table = _written_alike(label, items)
        if table is not None:
            tables[sheet] = table
            continue
        header: list[str] = []
        in_header: set[str] = set()
        table = Table(label, header, header_row=0)
        # Items written by one program share their keys, in the same order:
        # normalise each distinct key list once.
        key_lists: dict[tuple[str, ...], tuple[str, ...]] = {}
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                problems.error(label, number, "-", f"item {number} is not an object")
                continue
            keys = tuple(item)
            columns = key_lists.get(keys)
            if columns is not None:
                table.rows.append((number, dict(zip(columns, item.values(), strict=True))))
                continue
            if "extra" not in item and len(key_lists) < 64:
                key_lists[keys] = tuple(normalise_header(k) for k in keys)
            values = {normalise_header(k): v for k, v in item.items() if k != "extra"}
            for key in item:
                if key != "extra" and key not in in_header:
                    in_header.add(key)
                    header.append(str(key))
            extra = item.get("extra") or {}
            if isinstance(extra, dict):
                for key, value in extra.items():
                    values.setdefault(normalise_header(key), value)
                    table.extra_names[normalise_header(key)] = str(key)
            table.rows.append((number, values))
        tables[sheet] = table
    return tables


def _written_alike(label: str, items: list[Any]) -> Table | None:
    """The table of items as a program writes them, or None.

    Objects whose keys are already column names (no "extra", nothing to
    normalise) are the rows as they are: no copy, so a large file is not held
    twice while it is built. The key lists are read a list at a time.
    """
    if set(map(type, items)) != {dict}:
        return None
    key_lists = dict.fromkeys(map(tuple, items))
    if len(key_lists) > 64:
        return None
    names = dict.fromkeys(key for keys in key_lists for key in keys)
    if any(key == "extra" or normalise_header(key) != key for key in names):
        return None
    return Table(label, list(names), list(enumerate(items, start=1)), header_row=0)


def is_dataset_json(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("events"), list)


def load_json_dataset(path: Path, problems: Problems) -> Dataset:
    doc = read_json(path, problems)
    if doc is None:
        return Dataset()
    if not is_dataset_json(doc):
        problems.error(
            str(path), 0, "events", "the JSON has no 'events' list: it is not a Chronomap dataset"
        )
        return Dataset()
    title = doc.get("title") if isinstance(doc.get("title"), str) else path.stem
    description = doc.get("description") if isinstance(doc.get("description"), str) else ""
    dataset = build_dataset(json_tables(doc, path, problems), problems, title, description)
    measures = doc.get("measures")
    if isinstance(measures, list):
        dataset.measures = tuple(m for m in measures if isinstance(m, str))
    palette = doc.get("palette")
    if isinstance(palette, dict):  # colours a window gave categories while editing
        dataset.palette = tuple(
            (c, v) for c, v in palette.items() if isinstance(v, str) and _COLOR.fullmatch(v)
        )
    return dataset


def dataset_json(dataset: Dataset) -> dict[str, Any]:
    """The canonical JSON document for a dataset."""
    doc: dict[str, Any] = {key: getattr(dataset, key) for key in META_KEYS}
    for sheet in ITEM_SHEETS:
        doc[sheet.name] = json_rows(sheet, items_of(dataset, sheet))
    if dataset.measures:  # which of the events' extra columns are numbers to size markers by
        doc["measures"] = list(dataset.measures)
    if dataset.palette:  # an export of an edited dataset keeps the window's colours
        doc["palette"] = dict(dataset.palette)
    return doc


def json_bytes(dataset: Dataset) -> bytes:
    return (json.dumps(dataset_json(dataset), ensure_ascii=False, indent=2) + "\n").encode()


def write_json_dataset(dataset: Dataset, path: Path) -> None:
    atomic_write_bytes(path, json_bytes(dataset))

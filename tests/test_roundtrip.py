"""JSON -> model -> JSON is lossless, and the three forms carry the same data."""

from __future__ import annotations

import json

from desktop.core.formats.json_file import dataset_json
from desktop.core.load import load_dataset
from desktop.core.save import save_dataset

from .helpers import EVENTS_HEADER, minimal_folder, write_csv


def test_json_model_json_is_lossless(tmp_path):
    doc = {
        "title": "T",
        "description": "D",
        "events": [
            {
                "id": "e1",
                "title": "Signing",
                "start": "2025-01-17T14:30",
                "end": None,
                "precision": "minute",
                "approximate": False,
                "date_label": "",
                "category": "treaty",
                "summary": "x",
                "places": ["p"],
                "sources": ["s"],
                "confidence": "high",
                "tags": ["a", "b"],
                "note": "",
                "extra": {"Analyst": "KM"},
            },
            {
                "id": "e2",
                "title": "Era",
                "start": "2025",
                "end": "2045",
                "precision": "year",
                "approximate": True,
                "date_label": "c. 2025",
                "category": "era",
                "summary": "",
                "places": [],
                "sources": ["s"],
                "confidence": "",
                "tags": [],
                "note": "n",
            },
        ],
        "places": [
            {
                "id": "p",
                "name": "P",
                "kind": "point",
                "lat": 55.5,
                "lon": 37.25,
                "points": [],
                "iso3": "",
                "aliases": ["Pe"],
                "note": "",
            },
            {
                "id": "r",
                "name": "R",
                "kind": "route",
                "lat": None,
                "lon": None,
                "points": [[1.5, 2.0], [3.0, 4.25]],
                "iso3": "",
                "aliases": [],
                "note": "",
            },
            {
                "id": "a",
                "name": "A",
                "kind": "area",
                "lat": 40.3,
                "lon": 47.7,
                "points": [],
                "iso3": "AZE",
                "aliases": [],
                "note": "",
            },
        ],
        "sources": [
            {
                "id": "s",
                "publisher": "Pub",
                "title": "Head",
                "date": "2025-01",
                "url": "https://x.test/a",
                "quote": "q",
                "note": "",
            }
        ],
        "story": [
            {
                "order": 1,
                "title": "Step",
                "caption": "c",
                "notes": "n",
                "events": ["e1"],
                "start": "2025-01",
                "end": "2025-02",
                "view": {"lat": 40.0, "lon": 50.0, "zoom": 5.0},
            },
            {
                "order": 2,
                "title": "Fit",
                "caption": "",
                "notes": "",
                "events": [],
                "start": None,
                "end": None,
                "view": None,
            },
        ],
    }
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc))
    result = load_dataset(path)
    assert result.problems == []
    assert dataset_json(result.dataset) == doc


def test_unknown_columns_survive_every_form(tmp_path):
    folder = minimal_folder(tmp_path)
    write_csv(
        folder / "events.csv",
        [*EVENTS_HEADER, "Analyst"],
        [["e1", "Signing", "2025-01-17", "", "treaty", "moscow", "s1", "KM"]],
    )
    first = load_dataset(folder).dataset
    for target in (tmp_path / "d.json", tmp_path / "d.xlsx", tmp_path / "copy"):
        save_dataset(first, target)
        again = load_dataset(target).dataset
        assert again == first
        assert dict(again.events[0].extra) == {"Analyst": "KM"}


def test_semicolon_csv_from_european_excel(tmp_path):
    folder = minimal_folder(tmp_path)
    (folder / "events.csv").write_bytes(
        "\ufeffid;title;start;places;sources\r\n"
        "e1;Signing, in Moscow;17.01.2025;moscow;s1\r\n".encode()
    )
    result = load_dataset(folder)
    assert result.problems == []
    assert result.dataset.events[0].title == "Signing, in Moscow"
    assert result.dataset.events[0].start.iso() == "2025-01-17"


def test_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    import pytest

    folder = minimal_folder(tmp_path)
    dataset = load_dataset(folder).dataset
    target = tmp_path / "d.json"
    target.write_text("old")
    import desktop.core.formats.json_file as json_file

    def boom(_):
        raise RuntimeError("disk full")

    monkeypatch.setattr(json_file, "json_bytes", boom)
    with pytest.raises(RuntimeError):
        save_dataset(dataset, target)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []

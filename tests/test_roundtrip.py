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
                "confidence": "reported",
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
                "headline": True,
                "secondary": False,
                "note": "",
            }
        ],
        "citations": [
            {
                "event": "e1",
                "source": "s",
                "quote": "The treaty was signed “today”, 14:30.",
                "locator": "paragraph 2",
                "note": "",
            },
            {
                "event": "e2",
                "source": "s",
                "quote": "",
                "locator": "p. 3",
                "note": "n",
                "extra": {"Checked by": "KM"},
            },
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


def test_citations_survive_every_form(tmp_path):
    """Each (event, source) pair keeps its own quote and locator through CSV, xlsx and JSON."""
    folder = minimal_folder(tmp_path)
    write_csv(
        folder / "citations.csv",
        ["event", "source", "quote", "locator", "Checked by"],
        [
            ["e1", "s1", "signed on 17 January; “a real breakthrough”", "paragraph 3", "KM"],
            ["e2", "s1", "the previous agreement of 2001", "paragraph 5", ""],
        ],
    )
    first = load_dataset(folder)
    assert [p.column for p in first.problems] == ["Checked by"]  # kept, with a warning
    quotes = {(c.event, c.source): (c.quote, c.locator) for c in first.dataset.citations}
    assert quotes[("e2", "s1")] == ("the previous agreement of 2001", "paragraph 5")
    assert first.dataset.citation("e1", "s1").extra == (("Checked by", "KM"),)
    for target in (tmp_path / "d.json", tmp_path / "d.xlsx", tmp_path / "copy"):
        save_dataset(first.dataset, target)
        again = load_dataset(target)
        assert not again.errors and again.dataset == first.dataset, target
        assert again.dataset.citations == first.dataset.citations


def test_a_citation_must_be_one_its_event_makes(tmp_path):
    folder = minimal_folder(tmp_path)
    write_csv(
        folder / "sources.csv",
        ["id", "publisher", "title"],
        [["s1", "Izvestia", "Seal the Deal"], ["s2", "TASS", "Signed"]],
    )
    write_csv(
        folder / "citations.csv",
        ["event", "source", "quote"],
        [["e1", "s2", "not cited"], ["e1", "s1", "a"], ["e1", "s1", "b"], ["e9", "s1", "c"]],
    )
    result = load_dataset(folder)
    messages = [f"{p.row}:{p.column}: {p.message}" for p in result.errors]
    assert messages[0].startswith("2:source: event 'e1' does not cite source 's2'")
    assert messages[1].startswith("4:source: event 'e1' cites source 's1' twice (first in row 3)")
    assert messages[2].startswith("5:event: event id 'e9' does not exist")
    assert [(c.event, c.quote) for c in result.dataset.citations] == [("e1", "a")]


def test_an_older_dataset_with_one_quote_per_source_still_opens(tmp_path):
    """The source's quote is kept and saved back, not shown as any event's evidence."""
    folder = minimal_folder(tmp_path)
    write_csv(
        folder / "sources.csv",
        ["id", "publisher", "title", "date", "quote"],
        [["s1", "Izvestia", "Seal the Deal", "2025-01", "The agreement was ready"]],
    )
    result = load_dataset(folder)
    assert not result.errors and len(result.dataset.events) == 2
    (warning,) = result.warnings
    assert (warning.row, warning.column) == (1, "quote")
    assert "citations" in warning.message
    assert result.dataset.citations == [] and result.dataset.citation("e1", "s1") is None
    for target in (tmp_path / "d.json", tmp_path / "d.xlsx", tmp_path / "copy"):
        save_dataset(result.dataset, target)
        source = load_dataset(target).dataset.sources["s1"]
        assert dict(source.extra) == {"quote": "The agreement was ready"}, target


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


def test_the_colours_a_window_kept_travel_in_json(tmp_path) -> None:
    """An export of an edited dataset runs in its own process from a JSON snapshot:
    the window's colours go with it, and a CSV folder (the analyst's files) has none."""
    from dataclasses import replace

    from desktop.resources import builtin_dataset

    data = load_dataset(builtin_dataset()).dataset
    kept = replace(data, palette=(("treaty", "#0072B2"), ("aid", "#D55E00")))
    save_dataset(kept, tmp_path / "snapshot.json")
    assert load_dataset(tmp_path / "snapshot.json").dataset.palette == kept.palette
    save_dataset(kept, tmp_path / "folder")
    assert load_dataset(tmp_path / "folder").dataset.palette == ()

"""What the audience is told about how far to trust an event (no Qt)."""

from __future__ import annotations

from desktop.core import flags
from desktop.core.dates import PartialDate
from desktop.core.load import load_dataset
from desktop.core.model import Dataset, Event, Source

from .helpers import EVENTS_HEADER, minimal_folder, write_csv


def _dataset() -> Dataset:
    sources = {
        "wire": Source("wire", "Wire", "Signed", headline=True),
        "copy": Source("copy", "Blog", "A rewrite", secondary=True),
        "copy2": Source("copy2", "Site", "Another rewrite", secondary=True),
    }
    events = [
        Event(
            "a",
            "Signed",
            PartialDate(2025, 1, 17),
            sources=("wire", "copy"),
            confidence="confirmed",
        ),
        Event("b", "Drones", PartialDate(2022), sources=("copy",), confidence="Contested "),
        Event("c", "Ratified", PartialDate(2025, 4, 8), tags=("Background",), note="public record"),
        Event("d", "Missiles", PartialDate(2024), sources=("copy", "copy2"), confidence="reported"),
        Event("e", "Plain", PartialDate(2024)),
    ]
    return Dataset(events=events, sources=sources)


def test_each_event_carries_its_flags_in_legend_order():
    data = _dataset()
    keys = {e.id: tuple(f.key for f in flags.flags_of(e, data)) for e in data.events}
    assert keys == {
        "a": ("confirmed",),
        "b": ("contested", "secondary-only"),
        "c": ("background",),
        "d": ("reported", "secondary-only"),
        "e": (),
    }
    assert flags.keys_of(data.events, data) == list(keys.values())


def test_labels_put_what_must_not_be_missed_ahead_of_the_title():
    data = _dataset()
    assert [flags.labelled(e, data) for e in data.events] == [
        "Signed",  # confirmed needs no warning beside it
        "[contested · secondary sources only] Drones",
        "[background] Ratified",
        "[reported · secondary sources only] Missiles",
        "Plain",
    ]
    assert flags.cue_texts(data.events, data)[1:3] == [
        "contested · secondary sources only",
        "background",
    ]
    assert flags.cue_text(data.events[1], data) == "contested · secondary sources only"


def test_the_legend_lists_only_the_flags_shown():
    data = _dataset()
    assert [f.key for f in flags.legend(data.events, data)] == [
        "confirmed",
        "reported",
        "contested",
        "background",
        "secondary-only",
    ]
    assert flags.legend(data.events[4:], data) == []
    lines = flags.text_legend(data.events[:3], data)
    assert lines == [
        "[contested · secondary sources only] Drones",
        "[background] Ratified",
        f"contested: {flags.CONTESTED.meaning}",
        f"background: {flags.BACKGROUND.meaning}",
        f"secondary sources only: {flags.SECONDARY_ONLY.meaning}",
    ]


def test_only_a_headline_is_put_in_quotation_marks():
    data = _dataset()
    assert flags.source_label(data.sources["wire"]) == "Wire, “Signed”"
    dated = Source("x", "News.Az", "Experts on the treaty", PartialDate(2025, 1, 21))
    assert flags.source_label(dated) == "News.Az, [Experts on the treaty] (21 Jan 2025)"
    assert flags.source_label(data.sources["copy"]) == (
        "Blog, [A rewrite]; secondary: rewrites other outlets' reporting"
    )


def test_validate_warns_about_flags_the_audience_would_misread(tmp_path):
    folder = minimal_folder(tmp_path)
    write_csv(
        folder / "events.csv",
        [*EVENTS_HEADER, "confidence", "tags", "note"],
        [
            ["e1", "Signing", "2025-01-17", "", "treaty", "moscow", "s1", "high", "", ""],
            ["e2", "Old treaty", "2001", "", "treaty", "moscow", "s1", "", "background", ""],
            [
                "e3",
                "Ratified",
                "2025-04",
                "",
                "treaty",
                "moscow",
                "s1",
                "Reported",
                "background",
                "x",
            ],
            ["e4", "Met", "2025-02", "", "treaty", "moscow", "s1", "high", "", ""],
        ],
    )
    result = load_dataset(folder)
    assert not result.errors and len(result.dataset.events) == 4  # they still open
    assert [(p.row, p.column, p.message.split(":")[0]) for p in result.warnings] == [
        (2, "confidence", "confidence 'high' is not one of confirmed, contested, reported"),
        (3, "note", "a background event needs a note saying where its facts come from"),
    ]
    assert result.warnings[0].message.endswith("(2 events say it)")  # said once, not per row

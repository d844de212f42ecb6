"""Random bytes and random CSV never make a loader raise: what opens has events, or says
in one line per problem why it has none."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.load import LoadResult, load_dataset

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def loaded_or_explained(result: LoadResult) -> None:
    """The invariant: events were read, or at least one problem says why not; each problem
    is one line."""
    assert result.dataset.events or result.problems
    for problem in result.problems:
        text = str(problem)
        assert text and "\n" not in text, text


def load_bytes(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        loaded_or_explained(load_dataset(path))


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["d.csv", "d.json", "d.xlsx", "events.csv", "d"]))
def test_random_bytes(data, name):
    load_bytes(name, data)


@SETTINGS
@given(st.binary(max_size=1500))
def test_random_bytes_behind_a_zip_header(data):
    load_bytes("d.xlsx", b"PK\x03\x04" + data)


CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["2001", "2025-01-17", "circa 2013", "x", "", "moscow", "91", "-181", "2045/2025"]
    ),
)
COLUMNS = ["id", "title", "start", "end", "places", "sources", "lat", "lon", "kind", "points"]


@SETTINGS
@given(
    st.lists(st.sampled_from(COLUMNS + ["", "?"]), min_size=1, max_size=8),
    st.lists(st.lists(CELL, max_size=9), max_size=8),
    st.sampled_from(["events.csv", "places.csv", "sources.csv", "story.csv"]),
)
def test_random_csv_in_a_dataset_folder(header, rows, sheet):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "events.csv").write_text("id,title,start\ne1,A,2001\n", encoding="utf-8")
        (root / sheet).write_text(out.getvalue(), encoding="utf-8")
        loaded_or_explained(load_dataset(root))


@SETTINGS
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_random_json_values(value):
    import json

    doc = {"events": [value, {"id": "e", "title": "t", "start": value}], "places": value}
    load_bytes("d.json", json.dumps(doc).encode())

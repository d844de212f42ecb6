"""An HTML export of part of a dataset keeps the colours the window gives its categories."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.core.load import load_dataset
from desktop.exports.html_export import export_html
from desktop.exports.view import view_from_flags
from desktop.mapview.palette import category_colors
from desktop.resources import builtin_dataset

SWATCH = re.compile(r'cm-swatch" style="background:(#[0-9A-Fa-f]{6})"></span>([^<]+)</li>')


def test_hiding_a_category_leaves_the_others_colours_alone(tmp_path: Path) -> None:
    dataset = load_dataset(builtin_dataset()).dataset
    window_colors = category_colors(dataset.categories())
    first = sorted(c for c in dataset.categories() if c and c != "era")[0]
    target = tmp_path / "cut.html"
    export_html(dataset, target, view_from_flags(dataset, hidden=(first,)))
    legend = {name: color for color, name in SWATCH.findall(target.read_text(encoding="utf-8"))}
    assert first not in legend and len(legend) >= 2
    # Without the whole dataset's palette every category after the hidden one
    # would move one colour along.
    assert legend == {c: window_colors[c] for c in legend}

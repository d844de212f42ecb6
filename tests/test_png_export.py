"""PNG snapshots: exact sizes, the basemap drawn, no network, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

LAND = (0xF2, 0xEF, 0xE9)
SEA = (0xDD, 0xE8, 0xEF)


def export(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    return subprocess.run(
        [sys.executable, "-m", "desktop", "export", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def share_of(image, color, box, tolerance=6) -> float:
    """Fraction of sampled pixels in ``box`` (fractions of width/height) close to ``color``."""
    from PySide6.QtGui import QColor

    x0, y0, x1, y1 = (
        int(box[0] * image.width()),
        int(box[1] * image.height()),
        int(box[2] * image.width()),
        int(box[3] * image.height()),
    )
    hits = total = 0
    for x in range(x0, x1, max(1, (x1 - x0) // 60)):
        for y in range(y0, y1, max(1, (y1 - y0) // 40)):
            c = QColor(image.pixel(x, y))
            total += 1
            hits += all(
                abs(a - b) <= tolerance
                for a, b in zip((c.red(), c.green(), c.blue()), color, strict=True)
            )
    return hits / total


@pytest.mark.parametrize(
    ("size", "extra"),
    [
        ("1920x1080", []),
        ("3840x2160", ["--step", "7"]),
        ("3508x2480", ["--step", "2"]),
        ("1280x720", []),
    ],
)
def test_presets_have_the_exact_size_and_show_the_basemap(tmp_path, qapp, size, extra):
    from PySide6.QtGui import QImage

    out = tmp_path / "snap.png"
    run = export("--png", str(out), "--size", size, *extra)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    image = QImage(str(out))
    width, height = (int(n) for n in size.split("x"))
    assert (image.width(), image.height()) == (width, height)
    # The map occupies the left three quarters of the middle band.
    map_box = (0.05, 0.2, 0.7, 0.55)
    assert share_of(image, LAND, map_box) > 0.15
    assert share_of(image, SEA, map_box) > 0.02
    # ... all of it: under 1080 lines the page once filled only part of its place.
    right = (0.55, 0.2, 0.7, 0.55)
    assert share_of(image, LAND, right) + share_of(image, SEA, right) > 0.6


def test_4k_is_rendered_not_enlarged(tmp_path, qapp):
    """Sharp edges: a real 4K render has single-pixel transitions an upscale would blur."""
    from PySide6.QtGui import QImage

    out = tmp_path / "big.png"
    assert export("--png", str(out), "--size", "3840x2160").returncode == 0
    image = QImage(str(out))
    # Scan the title's first text row for hard dark-to-white steps between neighbours.
    steps = 0
    for y in range(40, 120, 2):
        row = [image.pixelColor(x, y).lightness() for x in range(60, 1600)]
        steps += sum(abs(a - b) > 180 for a, b in zip(row, row[1:], strict=False))
    assert steps > 50


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "no-such-event"], "--select no-such-event: no event has this id"),
        (["--from", "1950", "--to", "1960"], "no events between 1950 and 1960"),
        (["--size", "big"], "--size big: write it as WIDTHxHEIGHT"),
        (["--size", "10x10"], "between 16 and 16384"),
    ],
)
def test_mistakes_get_one_clear_line(tmp_path, args, message):
    out = tmp_path / "x.png"
    out.write_bytes(b"old image")
    run = export("--png", str(out), *args)
    assert run.returncode in (1, 2)
    assert message in run.stderr and "Traceback" not in run.stderr
    assert out.read_bytes() == b"old image"


def test_unwritable_target_is_explained(tmp_path):
    run = export("--png", str(tmp_path / "missing-folder" / "x.png"))
    assert run.returncode == 1
    assert "does not exist" in run.stderr and "Traceback" not in run.stderr


def test_in_process_snapshot_makes_no_network_request(qtbot, tmp_path):
    from PySide6.QtGui import QImage
    from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineUrlRequestInterceptor

    from desktop.core.load import load_dataset
    from desktop.exports.view import view_from_flags
    from desktop.gui.png_export import export_png
    from desktop.resources import builtin_dataset

    class Recorder(QWebEngineUrlRequestInterceptor):
        def __init__(self):
            super().__init__()
            self.urls: list[str] = []

        def interceptRequest(self, info):  # noqa: N802
            self.urls.append(info.requestUrl().toString())

    recorder = Recorder()
    QWebEngineProfile.defaultProfile().setUrlRequestInterceptor(recorder)
    try:
        dataset = load_dataset(builtin_dataset()).dataset
        out = tmp_path / "in.png"
        export_png(dataset, out, view_from_flags(dataset, step=4), (1280, 720))
    finally:
        QWebEngineProfile.defaultProfile().setUrlRequestInterceptor(None)
    assert recorder.urls, "the interceptor saw nothing: the check is not working"
    assert [u for u in recorder.urls if u.startswith(("http:", "https:"))] == []
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
    assert Path(out).stat().st_size > 50_000


def test_search_matching_one_event_draws_one_event(qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QImage

    from desktop.core.load import load_dataset
    from desktop.exports.view import view_from_flags
    from desktop.gui.png_export import export_png
    from desktop.gui.snapshot import SnapshotWidget
    from desktop.resources import builtin_dataset

    seen = {}
    grab = SnapshotWidget.grab_exact

    def grab_and_look(self, size):
        # What the slide shows at the moment it is photographed.
        seen["visible"] = self.state.visible_ids()
        seen["faded"] = set(self.timeline.faded_ids())
        seen["labels"] = self.timeline.label_texts()
        seen["legend"] = self.legend.text()
        return grab(self, size)

    monkeypatch.setattr(SnapshotWidget, "grab_exact", grab_and_look)
    dataset = load_dataset(builtin_dataset()).dataset
    gas = dataset.event("gas-via-azerbaijan")
    out = tmp_path / "gas.png"
    gas_only = view_from_flags(dataset, search="gas", hidden=("era",))
    export_png(dataset, out, gas_only, (1280, 720))
    assert seen["visible"] == ("gas-via-azerbaijan",)
    # Labelled as in the window: its flags in brackets ahead of the title.
    assert len(seen["labels"]) == 1
    label = seen["labels"][0]
    assert label.startswith("[reported · background] ")
    words = label.removeprefix("[reported · background] ").rstrip("…").rstrip()
    assert len(words) >= 12 and gas.title.startswith(words), label
    # The timeline, as in the window, leaves every other event faded.
    assert seen["faded"] == {e.id for e in dataset.events if e.category != "era"} - {gas.id}
    # The legend names the one category left, with its one event.
    assert "energy" in seen["legend"] and ">1<" in seen["legend"]
    for other in set(dataset.categories()) - {"energy"}:
        assert other not in seen["legend"]
    assert QImage(str(out)).size().width() == 1280


def test_a_contested_and_a_background_event_show_their_flags(qtbot, tmp_path, monkeypatch):
    """On the timeline (as the window labels them), in the detail and in a legend
    that says what each flag means."""
    from PySide6.QtGui import QImage

    from desktop.core import flags
    from desktop.core.load import load_dataset
    from desktop.exports.view import view_from_flags
    from desktop.gui.png_export import export_png
    from desktop.gui.snapshot import SnapshotWidget
    from desktop.resources import builtin_dataset

    seen = {}
    grab = SnapshotWidget.grab_exact

    def grab_and_look(self, size):
        seen["labels"] = self.timeline.label_texts()
        seen["legend"] = self.flag_legend.text()
        seen["detail"] = self.detail.text()
        return grab(self, size)

    monkeypatch.setattr(SnapshotWidget, "grab_exact", grab_and_look)
    dataset = load_dataset(builtin_dataset()).dataset
    out = tmp_path / "step6.png"
    export_png(dataset, out, view_from_flags(dataset, step=6))
    contents = dataset.event("treaty-contents")
    assert any(t.startswith("[contested · background] What the treaty") for t in seen["labels"])
    assert any(t.startswith("[background] Russia signs a treaty with") for t in seen["labels"])
    assert "[contested · background]" in seen["detail"] and contents.title in seen["detail"]
    for flag in (flags.CONTESTED, flags.BACKGROUND, flags.CONFIRMED):
        assert f"{flag.label}</b>: {flag.meaning}" in seen["legend"].replace("&#x27;", "'")
    # Only the flags shown: no event in this step rests on rewrites of wire copy alone.
    assert flags.SECONDARY_ONLY.meaning not in seen["legend"].replace("&#x27;", "'")
    assert QImage(str(out)).size().width() == 1920


def test_the_selection_in_the_side_panel_is_never_cut_off(qtbot, tmp_path, monkeypatch):
    """Two selected events with long summaries under a six-row legend: the side panel
    says as much as fits, shortened on a word, rather than text cut at its foot."""
    from desktop.core.load import load_dataset
    from desktop.exports.view import view_from_flags
    from desktop.gui.png_export import export_png
    from desktop.gui.snapshot import SnapshotWidget
    from desktop.resources import builtin_dataset

    seen = {}
    grab = SnapshotWidget.grab_exact

    def grab_and_look(self, size):
        seen["needed"] = self.detail.heightForWidth(self.detail.width())
        seen["height"] = self.detail.height()
        seen["text"] = self.detail.text()
        return grab(self, size)

    monkeypatch.setattr(SnapshotWidget, "grab_exact", grab_and_look)
    dataset = load_dataset(builtin_dataset()).dataset
    view = view_from_flags(dataset, step=8)
    export_png(dataset, tmp_path / "step8.png", view, (1920, 1080))
    assert seen["needed"] <= seen["height"], seen
    # Both selected events are still named.
    for ident in dataset.story[7].events[:2]:
        assert dataset.event(ident).title.split(",")[0] in seen["text"]

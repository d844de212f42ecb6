"""The double-click app: build it from installer.spec and use the frozen binary as a user would.

One PyInstaller build per run (about a minute on two cores) into a temporary
folder; then the frozen app, headless and cut off from the network, validates and
exports the built-in dataset, opens its window until timeline and map are linked,
and writes a PNG. The build time, bundle size and start-up times (frozen and from
source) are printed in the run's closing summary.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer.spec"
APP_NAME = "Chronomap"

# The bundle's size limit. QtWebEngine cannot go below about 310 MB on its own
# (libQt6WebEngineCore 204 MB, Qt's ICU data 32 MB, Chromium's ICU data and paks
# 14 MB, the Qt libraries WebEngine links 50 MB), so the 300 MB cannot be
# met with the PySide6 wheels; this limit holds what pruning achieved (about
# 470 MB, from 650 MB naive) so a regression (a QML plugin tree, a stray data set)
# fails here. build/PACKAGING.md has the breakdown.
BUNDLE_LIMIT_MB = 520

BUILD_TIMEOUT_S = 1200
RUN_TIMEOUT_S = 180
STARTUP_RUNS = 3
# "Not slower than from source", with room for a busy two-core machine's noise.
STARTUP_TOLERANCE = 1.25

# The map page's basemap colours (desktop/mapview/page.py): both must show in a PNG
# whose map was drawn, proving Leaflet and the bundled basemap loaded in the app.
SEA = (0xDD, 0xE8, 0xEF)
LAND = (0xF2, 0xEF, 0xE9)


@dataclass
class Figures:
    """What the closing summary reports."""

    lines: list[str] = field(default_factory=list)

    def pytest_terminal_summary(self, terminalreporter) -> None:  # a pytest hook
        if self.lines:
            terminalreporter.write_sep("-", "packaging: the frozen app")
            for line in self.lines:
                terminalreporter.write_line(line)


@dataclass
class App:
    exe: Path
    folder: Path
    build_seconds: float


@functools.cache
def no_network_prefix() -> tuple[str, ...]:
    """Run in a network namespace with no interfaces, where the system allows it."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for flags in (("-n",), ("-r", "-n")):  # as root; else in a user namespace
        probe = subprocess.run([unshare, *flags, "true"], capture_output=True)
        if probe.returncode == 0:
            return (unshare, *flags)
    return ()


def headless_env() -> dict[str, str]:
    """Offscreen Qt; the sandbox switch is left to the app itself (off only as root or in CI)."""
    env = dict(os.environ)
    env.pop("QTWEBENGINE_DISABLE_SANDBOX", None)  # tests/conftest.py sets it for in-process Qt
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run(command: Sequence[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*no_network_prefix(), *map(str, command)],
        cwd=cwd,
        env=headless_env(),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        stdin=subprocess.DEVNULL,
    )


def explain(result: subprocess.CompletedProcess[str]) -> str:
    out, err = result.stdout[-3000:], result.stderr[-3000:]
    return f"exit {result.returncode}\nstdout:\n{out}\nstderr:\n{err}"


@pytest.fixture(scope="module")
def figures(request) -> Figures:
    found = Figures()
    request.config.pluginmanager.register(found, "chronomap-packaging-figures")
    if not no_network_prefix():
        found.lines.append("note: no network namespace available; ran with the network up")
    return found


@pytest.fixture(scope="module")
def app(tmp_path_factory, figures: Figures) -> App:
    """The app built from this checkout with the same spec `make app` uses."""
    base = tmp_path_factory.mktemp("app")
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--distpath",
        str(base / "dist"),
        "--workpath",
        str(base / "work"),
        str(SPEC),
    ]
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=base, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, f"PyInstaller failed:\n{result.stderr[-5000:]}"
    folder = base / "dist" / APP_NAME
    exe = folder / (f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME)
    assert exe.is_file(), f"no {exe.name} in {folder}"
    figures.lines.append(f"build time: {seconds:.0f} s (PyInstaller, one-dir)")
    return App(exe, folder, seconds)


def bundle_files(folder: Path) -> list[tuple[int, str]]:
    """(size, path) of every file in the bundle; symbolic links count as nothing."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            found.append((path.stat().st_size, str(path.relative_to(folder))))
    return found


def test_bundle_stays_within_its_size_limit(app: App, figures: Figures) -> None:
    files = bundle_files(app.folder)
    total_mb = sum(size for size, _ in files) / 1e6
    figures.lines.append(
        f"bundle size: {total_mb:.0f} MB in {len(files)} files (limit {BUNDLE_LIMIT_MB} MB)"
    )
    largest = "\n".join(f"{size / 1e6:8.1f} MB  {name}" for size, name in sorted(files)[-15:])
    assert total_mb <= BUNDLE_LIMIT_MB, f"bundle is {total_mb:.0f} MB; largest files:\n{largest}"
    # What the app reads at run time is there: the dataset, the basemap, Leaflet.
    names = {name.replace("\\", "/") for _, name in files}
    assert any(n.endswith("data/russia-iran-treaty/events.csv") for n in names)
    assert any(n.endswith("assets/basemap/countries-110m.geojson") for n in names)
    assert any(n.endswith("xstatic/pkg/leaflet/data/leaflet.js") for n in names)
    if sys.platform.startswith("linux"):  # the menu entry and its icon, beside the program
        assert {"chronomap.desktop", "chronomap.png"} <= names
    # ...and what the spec prunes is not: QML, foreign Chromium locales, Qt's test tools.
    assert not any("/qml/" in n for n in names)
    locales = [n for n in names if "qtwebengine_locales/" in n]
    assert [n.rsplit("/", 1)[1] for n in locales] == ["en-US.pak"]


def test_frozen_validate_agrees_with_source(app: App, tmp_path: Path) -> None:
    frozen = run([app.exe, "validate"], tmp_path)
    assert frozen.returncode == 0, explain(frozen)
    source = run([sys.executable, "-m", "desktop", "validate"], tmp_path)
    assert source.returncode == 0, explain(source)

    # "PATH: csv-folder: 27 events, ...": the same counts from the bundled copy.
    def summary(text: str) -> str:
        return text.strip().splitlines()[-1].split(": ", 1)[1]

    assert summary(frozen.stderr) == summary(source.stderr)
    assert re.search(r"\d+ events, \d+ places", frozen.stderr)


def test_frozen_json_export_matches_source(app: App, tmp_path: Path) -> None:
    frozen = run([app.exe, "export", "--json", tmp_path / "frozen.json"], tmp_path)
    assert frozen.returncode == 0, explain(frozen)
    source = run(
        [sys.executable, "-m", "desktop", "export", "--json", tmp_path / "source.json"], tmp_path
    )
    assert source.returncode == 0, explain(source)
    built = json.loads((tmp_path / "frozen.json").read_text(encoding="utf-8"))
    assert built == json.loads((tmp_path / "source.json").read_text(encoding="utf-8"))
    assert len(built["events"]) > 0 and len(built["places"]) > 0


READY = re.compile(r"ready in (\d+) ms")


def ready_ms(command: Sequence[str | Path], cwd: Path) -> int:
    result = run([*command, "--exit-when-ready"], cwd)
    assert result.returncode == 0, explain(result)
    found = READY.search(result.stdout)
    assert found, f"no 'ready in N ms' line:\n{explain(result)}"
    return int(found.group(1))


def test_frozen_window_gets_ready_no_slower_than_from_source(
    app: App, tmp_path: Path, figures: Figures
) -> None:
    frozen: list[int] = []
    source: list[int] = []
    for _ in range(STARTUP_RUNS):  # interleaved, so both see the same machine load
        frozen.append(ready_ms([app.exe], tmp_path))
        source.append(ready_ms([sys.executable, "-m", "desktop"], tmp_path))
    figures.lines.append(
        f"start-up to ready (ms, best / median of {STARTUP_RUNS}): "
        f"frozen {min(frozen)} / {statistics.median(frozen):.0f}, "
        f"from source {min(source)} / {statistics.median(source):.0f}"
    )
    assert min(frozen) <= min(source) * STARTUP_TOLERANCE, (
        f"the frozen app starts slower: {frozen} ms against {source} ms from source"
    )


def test_frozen_window_opens_the_dataset_it_is_given(app: App, tmp_path: Path) -> None:
    """A dataset passed as an argument (or dropped on the icon) is the one opened."""
    missing = run([app.exe, tmp_path / "no-such-dataset.json", "--exit-when-ready"], tmp_path)
    assert missing.returncode == 2, explain(missing)
    assert "no-such-dataset.json" in missing.stderr
    dataset = tmp_path / "copy.json"
    written = run([app.exe, "export", "--json", dataset], tmp_path)
    assert written.returncode == 0, explain(written)
    ready_ms([app.exe, dataset], tmp_path)


def test_frozen_png_export_draws_the_map_at_the_asked_size(app: App, tmp_path: Path) -> None:
    listed = run([app.exe, "export", "-h"], tmp_path)
    assert listed.returncode == 0, explain(listed)
    assert "--png" in listed.stdout
    from PIL import Image

    target = tmp_path / "out.png"
    result = run([app.exe, "export", "--png", target, "--size", "1280x720"], tmp_path)
    assert result.returncode == 0, explain(result)
    with Image.open(target) as image:
        assert image.format == "PNG"
        assert image.size == (1280, 720)
        pixels = image.convert("RGB")
    colours = pixels.getcolors(maxcolors=1280 * 720)
    assert colours is not None
    most = max(count for count, _ in colours)
    assert len(colours) > 100, f"only {len(colours)} colours: the image is close to blank"
    assert most < 0.9 * 1280 * 720, "one colour covers nine tenths of the image"

    def share(rgb: tuple[int, int, int]) -> float:
        near = sum(
            c for c, p in colours if all(abs(a - b) <= 3 for a, b in zip(p, rgb, strict=True))
        )
        return near / (1280 * 720)

    assert share(SEA) > 0.005, "no sea colour: the map's basemap was not drawn"
    assert share(LAND) > 0.005, "no land colour: the map's basemap was not drawn"

    # The frozen app draws what the checkout draws: same map, fonts and layout.
    reference = tmp_path / "source.png"
    source = run(
        [sys.executable, "-m", "desktop", "export", "--png", reference, "--size", "1280x720"],
        tmp_path,
    )
    assert source.returncode == 0, explain(source)
    from PIL import ImageChops

    with Image.open(reference) as image:
        difference = ImageChops.difference(pixels, image.convert("RGB")).convert("L")
    changed = sum(difference.point(lambda v: 255 if v > 24 else 0).histogram()[255:])
    assert changed < 0.005 * 1280 * 720, f"{changed} pixels differ from the source's export"

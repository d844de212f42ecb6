"""`make run` on a desktop missing a library of Qt's xcb plugin: one line saying what to install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.gui import xcb_check

LINE = (
    "chronomap: the window cannot start: it needs libxcb-icccm.so.4, missing on this "
    "system; install with 'sudo apt-get install libxcb-icccm4' (Debian, Ubuntu) or "
    "'sudo dnf install xcb-util-wm' (Fedora)\n"
)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="Qt's xcb plugin exists on Linux only"
)


@pytest.fixture(scope="module")
def binaries() -> list[Path]:
    found = xcb_check.window_binaries()
    assert [path.name for path in found] == [
        "libqxcb.so",
        "libQt6WebEngineCore.so.6",
        "QtWebEngineProcess",
    ]
    return found


def test_the_windows_libraries_come_from_the_loader(binaries: list[Path]) -> None:
    needed = xcb_check.needed_libraries(binaries)
    # The plugin's own, through Qt's xcb library beside it, and QtWebEngine's.
    assert {"libQt6XcbQpa.so.6", "libxcb-icccm.so.4", "libxcb-cursor.so.0"} <= needed.keys()
    assert {"libnss3.so", "libXcomposite.so.1"} <= needed.keys()
    assert needed["libQt6XcbQpa.so.6"] is not None  # Qt's own, found beside the plugin


def test_one_library_missing_from_the_library_path(
    binaries: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A library folder holding every library the window needs but one."""
    folder = tmp_path / "lib"
    folder.mkdir()
    for name in xcb_check.needed_libraries(binaries):
        if name != "libxcb-icccm.so.4":
            (folder / name).touch()
    with pytest.raises(SystemExit) as stopped:
        xcb_check.require(library_path=[folder], binaries=binaries)
    assert stopped.value.code == xcb_check.EXIT_MISSING_LIBRARIES == 3
    captured = capsys.readouterr()
    assert captured.err == LINE
    assert captured.out == ""

    (folder / "libxcb-icccm.so.4").touch()
    xcb_check.require(library_path=[folder], binaries=binaries)  # all there: no exit, no output
    assert capsys.readouterr().err == ""


def test_several_missing_libraries_name_each_package_once() -> None:
    missing = ["libxcb-icccm.so.4", "libxcb-ewmh.so.2", "libxcb-keysyms.so.1", "libfoo2.so.7"]
    line = xcb_check.message(missing)
    assert "\n" not in line
    assert "'sudo apt-get install libxcb-icccm4 libxcb-ewmh2 libxcb-keysyms1 libfoo2-7'" in line
    # Fedora packs icccm and ewmh together; an unknown library goes by its soname.
    assert "'sudo dnf install xcb-util-wm xcb-util-keysyms 'libfoo2.so.7()(64bit)''" in line


@pytest.mark.parametrize(
    ("env", "xcb"),
    [
        ({}, True),
        ({"XDG_SESSION_TYPE": "x11"}, True),
        ({"XDG_SESSION_TYPE": "wayland"}, False),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "xcb:display=:1"}, True),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, False),
        ({"QT_QPA_PLATFORM": "xcb", "XDG_SESSION_TYPE": "wayland"}, True),
    ],
)
def test_checked_only_when_qt_will_use_xcb(env: dict[str, str], xcb: bool) -> None:
    assert xcb_check.plugin_would_be_xcb(env) is xcb


def test_the_command_reports_this_systems_missing_libraries_instead_of_qts_message(
    binaries: list[Path], tmp_path: Path
) -> None:
    """The real command with X11 asked for and no display, on this machine as it is."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--exit-when-ready"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    missing = xcb_check.missing_libraries(binaries)
    assert result.returncode != 0
    if missing:  # one line, and not Qt's message blaming xcb-cursor0
        assert result.returncode == 3
        assert result.stderr == xcb_check.message(missing) + "\n"
    else:  # the check passes and Qt itself goes on to look for the display
        assert result.returncode != 3
        assert "the window cannot start" not in result.stderr
        assert "could not connect to display" in result.stderr


def _words_after(text: str, command: str) -> set[str]:
    """The words of a shell command in a text, across its continued lines."""
    start = text.index(command) + len(command)
    end = start
    while text[end] != "\n" or text[end - 1] == "\\":
        end += 1
    return set(text[start:end].replace("\\\n", " ").split())


def test_readme_and_make_system_packages_install_every_library_the_window_loads(
    binaries: list[Path],
) -> None:
    """The README's apt-get and dnf lines, and `make system-packages`, cover every system
    library the check knows that the window loads here."""
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    needed = [n for n in xcb_check.needed_libraries(binaries) if n in xcb_check.PACKAGES]
    assert len(needed) > 30
    debian = {xcb_check.PACKAGES[n][0] for n in needed}
    fedora = {xcb_check.PACKAGES[n][1] for n in needed}
    assert debian - _words_after(readme, "sudo apt-get install") == set()
    assert fedora - _words_after(readme, "sudo dnf install") == set()
    assert debian - _words_after(makefile, "WINDOW_PACKAGES :=") == set()

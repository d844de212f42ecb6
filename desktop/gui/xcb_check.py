"""Before Qt opens a window on X11: are the system libraries the window loads there?

When a library of Qt's xcb plugin is missing, Qt says only that "xcb-cursor0
or libxcb-cursor0 is needed", whichever library is actually missing, and
aborts; one that QtWebEngine links ends in a traceback. This asks the dynamic
loader (``ldd``) which libraries of the xcb plugin and of QtWebEngine it
cannot find, and names them in one line with the command that installs them.

Imports no Qt: it runs before Qt is loaded, which the missing libraries may prevent.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

# The exit status when the window cannot start for want of system libraries.
EXIT_MISSING_LIBRARIES = 3

# Library file (soname) -> (Debian/Ubuntu package, Fedora package), for the system
# libraries that Qt's xcb plugin, the Qt libraries it loads and QtWebEngine link.
# Others are named by the Debian rule (libfoo.so.1 -> libfoo1) and Fedora's soname
# provides.
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-ewmh.so.2": ("libxcb-ewmh2", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libXau.so.6": ("libxau6", "libXau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libpng16.so.16": ("libpng16-16", "libpng"),
    "libz.so.1": ("zlib1g", "zlib"),
    # What QtWebEngine (Chromium) links beyond Qt's own.
    "libXcomposite.so.1": ("libxcomposite1", "libXcomposite"),
    "libXdamage.so.1": ("libxdamage1", "libXdamage"),
    "libXext.so.6": ("libxext6", "libXext"),
    "libXfixes.so.3": ("libxfixes3", "libXfixes"),
    "libXrandr.so.2": ("libxrandr2", "libXrandr"),
    "libXtst.so.6": ("libxtst6", "libXtst"),
    "libxkbfile.so.1": ("libxkbfile1", "libxkbfile"),
    "libxcb-dri3.so.0": ("libxcb-dri3-0", "libxcb"),
    "libgbm.so.1": ("libgbm1", "mesa-libgbm"),
    "libasound.so.2": ("libasound2", "alsa-lib"),
    "libnspr4.so": ("libnspr4", "nspr"),
    "libnss3.so": ("libnss3", "nss"),
    "libsmime3.so": ("libnss3", "nss"),
    "libnssutil3.so": ("libnss3", "nss-util"),
}

_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)")
_SONAME = re.compile(r"^(lib.+?)\.so\.(\d+)")


def plugin_would_be_xcb(env: Mapping[str, str]) -> bool:
    """Whether Qt is about to use its xcb (X11) platform plugin."""
    if not sys.platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        # "xcb", "xcb:display=:1", or a fallback list "wayland;xcb": the first is tried first.
        return chosen.split(";")[0].split(":")[0].strip() == "xcb"
    # Unset: Qt takes Wayland in a Wayland session (and falls back to xcb only if
    # that fails), xcb everywhere else.
    return env.get("XDG_SESSION_TYPE", "").lower() != "wayland"


def qt_folder() -> Path | None:
    """PySide6's Qt folder (in a checkout's environment or the app bundle), found without
    loading Qt."""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if Path(folder, "Qt").is_dir():
            return Path(folder, "Qt")
    return None


def xcb_plugin() -> Path | None:
    """Qt's xcb platform plugin, where this Qt installation (or the app bundle) keeps it."""
    qt = qt_folder()
    folders = [os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "")]
    folders.append(str(qt / "plugins" / "platforms") if qt else "")
    for folder in filter(None, folders):
        plugin = Path(folder, "libqxcb.so")
        if plugin.is_file():
            return plugin
    return None


def window_binaries() -> list[Path]:
    """What the window loads that links system libraries: the xcb plugin (and through it
    QtGui and QtCore), QtWebEngine's core library and its helper process."""
    qt = qt_folder()
    found = [xcb_plugin()]
    if qt is not None:
        found += [qt / "lib" / "libQt6WebEngineCore.so.6", qt / "libexec" / "QtWebEngineProcess"]
    return [path for path in found if path is not None and path.is_file()]


def needed_libraries(binaries: Sequence[Path]) -> dict[str, str | None]:
    """Every library these load, directly or through another: name -> path or None.

    The dynamic loader's own answer (``ldd``), so Qt's own libraries beside them
    and the system's search path count exactly as they will at start-up. Empty
    if ``ldd`` cannot say (not installed, or not ELF files it can read).
    """
    ldd = shutil.which("ldd")
    if ldd is None or not binaries:
        return {}
    try:
        command = [ldd, *map(str, binaries)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[str, str | None] = {}
    for line in result.stdout.splitlines():
        match = _LDD_LINE.match(line)
        if match:
            name, where = match.groups()
            if found.get(name) is None:
                found[name] = None if where == "not found" else where
    return found


def missing_libraries(
    binaries: Sequence[Path], library_path: Sequence[Path] | None = None
) -> list[str]:
    """The libraries these need that will not load, in the loader's order.

    ``library_path``: folders to look in instead of the loader's own search (to
    check the libraries of another system's folder, say); a library counts as
    there if a file of its name is in one of them.
    """
    needed = needed_libraries(binaries)
    if library_path is None:
        return [name for name, where in needed.items() if where is None]
    return [name for name in needed if not any((Path(d) / name).exists() for d in library_path)]


def packages_for(library: str) -> tuple[str, str]:
    """(Debian/Ubuntu package, Fedora package) that install a library file."""
    if library in PACKAGES:
        return PACKAGES[library]
    match = _SONAME.match(library)
    if match is None:
        return library, library
    stem, version = match.groups()
    # Debian names a library package after its soname, with a hyphen between a
    # trailing digit and the version; dnf installs a soname through its provides.
    separator = "-" if stem[-1].isdigit() else ""
    return f"{stem.lower()}{separator}{version}", f"'{library}()(64bit)'"


def install_commands(missing: Sequence[str]) -> str:
    """The commands that install these library files on each family of systems."""
    debian = list(dict.fromkeys(packages_for(name)[0] for name in missing))
    fedora = list(dict.fromkeys(packages_for(name)[1] for name in missing))
    return (
        f"'sudo apt-get install {' '.join(debian)}' (Debian, Ubuntu) "
        f"or 'sudo dnf install {' '.join(fedora)}' (Fedora)"
    )


def message(missing: Sequence[str]) -> str:
    """One line: what is missing and the command that installs it on each family."""
    return (
        f"chronomap: the window cannot start: it needs {', '.join(missing)}, "
        f"missing on this system; install with {install_commands(missing)}"
    )


def require(
    library_path: Sequence[Path] | None = None, binaries: Sequence[Path] | None = None
) -> None:
    """Exit with one line naming what to install if the window's libraries are missing.

    Does nothing when Qt will not use xcb (offscreen, Wayland), outside Linux,
    or when Qt or ``ldd`` is not there to ask.
    """
    if binaries is None:
        if not plugin_would_be_xcb(os.environ):
            return
        binaries = window_binaries()
    missing = missing_libraries(binaries, library_path)
    if missing:
        print(message(missing), file=sys.stderr, flush=True)
        raise SystemExit(EXIT_MISSING_LIBRARIES)

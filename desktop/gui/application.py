"""The QApplication, created once and set up for QtWebEngine: the window's and the
headless snapshot's (PNG and deck exports) alike.
"""

from __future__ import annotations

import os
import sys

# V8 runs a page's first full garbage collection only once the old generation
# reaches its first limit, about half the heap's maximum (a gigabyte or two), and
# a page that never navigates gives it no other reason to. The map page lives all
# day, and every move, resize and call leaves garbage behind (each move re-projects
# the basemap): measured, the page's heap grew by 4 MB per soak cycle with nothing
# retained (after a forced collection it stayed at 4 MB). A small first limit
# starts the usual collections early; the limit then follows what the page
# really keeps, so this is a starting point, not a cap.
V8_FLAGS = "--js-flags=--initial-old-space-size=32"


def prepare_environment() -> None:
    """Set what QtWebEngine reads when its first page is made (safe to call again).

    Chromium refuses its sandbox as root; only then (or in CI) is it switched off.
    A user's own ``--js-flags`` in QTWEBENGINE_CHROMIUM_FLAGS are left as they are.
    """
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root or os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--js-flags" not in flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} {V8_FLAGS}".strip()


def _cheaper_pyside_import_hook() -> None:
    """Make PySide6's per-import check read the module's file instead of parsing it.

    Once PySide6 is imported, every later import asks whether the module
    mentions "PySide6" (for its optional ``__feature__`` switches), through
    ``inspect.getsource``, which tokenises the whole file: about a tenth of a
    second over the window's imports (numpy, pyqtgraph, ...). Reading the
    file's bytes gives the same answer for a .py file; anything else is
    left to the original check. Skipped if PySide6 changes that function.
    """
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "chronomap_fast", False):
        return

    def mentions_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as handle:
                return b"PySide6" in handle.read()
        except OSError:
            return bool(original(module))

    mentions_pyside.chronomap_fast = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mentions_pyside  # type: ignore[union-attr]


def make_application():
    """The QApplication (created once), set up for QtWebEngine."""
    prepare_environment()
    # On X11, name any missing system library before loading Qt, instead of Qt's
    # misleading abort or a traceback.
    from .xcb_check import require

    require()
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    from .file_open import ChronomapApplication

    _cheaper_pyside_import_hook()

    app = QApplication.instance()
    if app is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        QCoreApplication.setOrganizationName("Chronomap")
        QCoreApplication.setApplicationName("Chronomap")
        # Wayland finds the window's menu entry and icon by this name.
        ChronomapApplication.setDesktopFileName("chronomap")
        app = ChronomapApplication(sys.argv[:1])
    return app

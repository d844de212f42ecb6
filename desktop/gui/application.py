"""The QApplication, created once and set up for QtWebEngine: the window's and the
headless snapshot's (PNG and deck exports) alike.
"""

from __future__ import annotations

import os
import sys


def _prepare_environment() -> None:
    # Chromium refuses its sandbox as root; only then (or in CI) is it switched off.
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root or os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


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
    _prepare_environment()
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

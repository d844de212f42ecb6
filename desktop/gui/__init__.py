"""The desktop window (the only package importing PySide6, pyqtgraph and QtWebEngine)."""

from . import qt_mirrors

# Before anything here imports pyqtgraph: start-up skips its copying of every Qt name.
qt_mirrors.install()

"""The desktop window (the only package importing PySide6, pyqtgraph and QtWebEngine)."""

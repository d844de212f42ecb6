"""The Qt-free core: the dataset model, its on-disk forms, validation and queries.

Nothing under this package may import Qt, pyqtgraph or folium (checked by
import-linter and by tests/test_core_is_qt_free.py), so the command line and
the exports can use it without starting a GUI.
"""

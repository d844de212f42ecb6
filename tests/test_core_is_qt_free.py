"""The core, the JSON export and `validate` run without importing Qt."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys, pkgutil, importlib
import desktop.core, desktop.cli
for mod in pkgutil.walk_packages(desktop.core.__path__, 'desktop.core.'):
    importlib.import_module(mod.name)
from desktop.cli import main
main(['validate'])
main(['export', '--json', sys.argv[1]])
qt = ('PySide6', 'pyqtgraph', 'shiboken6', 'folium')
bad = sorted(m for m in sys.modules if m.split('.')[0] in qt)
print('QT:' + ','.join(bad))
"""


def test_core_validate_and_json_export_import_no_qt(tmp_path):
    run = subprocess.run(
        [sys.executable, "-c", CHECK, str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "QT:"
    assert (tmp_path / "out.json").stat().st_size > 1000

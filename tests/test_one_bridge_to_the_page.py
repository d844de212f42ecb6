"""One bridge to the map page: only desktop/gui/map_view.py runs JavaScript in it.

Every other module goes through MapView's methods, whose calls wait in one
queue until the page is ready; a script run around it could arrive before
the page's API exists, or overtake a call made before it.
"""

from __future__ import annotations

from pathlib import Path

import desktop

BRIDGE = Path("gui") / "map_view.py"


def test_only_the_map_view_runs_javascript() -> None:
    root = Path(desktop.__file__).parent
    runs = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "runJavaScript" in path.read_text(encoding="utf-8")
    )
    assert runs == [str(BRIDGE)]

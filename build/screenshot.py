"""Grab the real window on the built-in dataset to docs/screenshot.png (runs offscreen).

    python build/screenshot.py [OUT.png] [--dataset PATH] [--select EVENT_ID] [--size 1600x1000]
    python build/screenshot.py docs/review.png --articles ARTICLE... [--candidate WORDS]
    python build/screenshot.py docs/timeline.png --timeline [--dataset PATH]   (the timeline alone)

The README's screenshot comes from here, so it always shows the app as it is.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--dataset", default="", help="open this file (default: the built-in)")
    parser.add_argument("--select", default="text-ready", help="event to select ('' for none)")
    parser.add_argument("--size", default="1600x1000")
    parser.add_argument("--articles", nargs="*", default=[], help="open these in the review panel")
    parser.add_argument("--candidate", default="", help="select the candidate quoting these words")
    parser.add_argument("--timeline", action="store_true", help="grab the timeline alone")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from desktop.gui.app import _scratch_settings, make_application

    app = make_application()
    from PySide6.QtCore import QTimer

    from desktop.gui.main_window import MainWindow

    window = MainWindow(settings=_scratch_settings())
    window.resize(width, height)
    window.show()
    if args.dataset:
        window.open_path(Path(args.dataset))
    else:
        window.open_builtin()
    outcome = {"code": 1}

    def grab() -> None:
        image = (window.timeline if args.timeline else window).grab()
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if image.save(str(out)):
            print(f"wrote {out} ({image.width()}x{image.height()})")
            outcome["code"] = 0
        app.exit(outcome["code"])

    def linked(ok: bool) -> None:
        if not ok:
            print("the map did not link", file=sys.stderr)
            app.exit(1)
            return
        if args.select:
            window.state.select([args.select])
        if args.articles:
            window.open_articles([Path(p) for p in args.articles])
            panel = window.review
            rows = [i for i, c in enumerate(panel._shown) if args.candidate in c.citations[0].quote]
            panel.select_rows(rows[:1])
        # The map flies to the selection (0.8 s); grab once it has landed.
        QTimer.singleShot(2000, grab)

    def ready() -> None:
        window.map.check_link(linked)

    window.map.sigReady.connect(ready)
    QTimer.singleShot(60_000, lambda: app.exit(1))
    app.exec()
    return outcome["code"]


if __name__ == "__main__":
    sys.exit(main())

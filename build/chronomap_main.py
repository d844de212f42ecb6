"""Entry point of the frozen app (installer.spec): the same command line as `chronomap`.

Double-clicked, it opens the window on the built-in dataset; given a dataset
path (as an argument, or dropped on the icon) it opens that; `validate` and
`export` work as from a checkout, so the app can be scripted and smoke-tested.
Chromium's sandbox is left on except as root or in CI: desktop.gui.app decides
that before QtWebEngine starts, for the window and the image exports alike.
"""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())

"""Open a dataset without freezing the window: a busy dialog with Cancel for long loads.

A million events take seconds to read. The load runs in a thread while the
event loop keeps the window painted; a dialog appears if it takes longer
than a moment. Cancel leaves the open dataset as it was (the thread's result
is dropped when it finishes: loading only reads, it changes nothing).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from desktop.core.load import LoadResult, load_dataset

# Loads quicker than this never show the dialog.
DIALOG_DELAY_MS = 400


def load_with_progress(parent: QWidget, path: Path) -> LoadResult | None:
    """``load_dataset(path)``, or None if the user cancelled; its errors are raised here."""
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["result"] = load_dataset(path)
        except BaseException as exc:  # handed to the GUI thread, raised there
            outcome["error"] = exc

    thread = threading.Thread(target=work, name="chronomap-load", daemon=True)
    dialog = QProgressDialog(f"Opening {path.name}…", "Cancel", 0, 0, parent)
    dialog.setObjectName("loadingDialog")
    dialog.setWindowTitle("Opening")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(DIALOG_DELAY_MS)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    thread.start()
    loop = QEventLoop()
    poll = QTimer(interval=20)
    poll.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
    dialog.canceled.connect(loop.quit)
    poll.start()
    try:
        if thread.is_alive():
            loop.exec()
    finally:
        poll.stop()
        cancelled = dialog.wasCanceled()
        dialog.close()
        dialog.deleteLater()
        QApplication.restoreOverrideCursor()
    if cancelled:
        return None
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]

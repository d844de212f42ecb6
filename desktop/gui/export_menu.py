"""File > Export: one action per registered exporter, run on what the window shows.

Image and deck exports render with their own device-pixel ratio (set before
a QApplication exists), so they run as ``chronomap export`` in a child
process, with a cancellable progress dialog; the CLI writes atomically, so a
cancelled export leaves any existing file as it was. JSON and HTML need no
rendering and run here.

An export shows the window's view state frozen (``export_view``): its exact
window, selection, filter and the story step on screen. The child reads a
snapshot of the dataset as shown (story edits included, saved or not) and
that frozen view, written to temporary JSON files.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from desktop.core.atomic import atomic_write_bytes, write_error
from desktop.core.model import Dataset
from desktop.core.view_state import FrozenView, ViewState
from desktop.exports import EXPORTERS, Exporter, ExportError, Size
from desktop.exports.sizes import PRESETS, parse_size

from .exporters import load_all

CUSTOM = "Custom…"
SLIDE = re.compile(r"slide (\d+)/(\d+)")


def export_command() -> list[str]:
    """How to run ``chronomap``: the frozen app is its own interpreter."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "desktop"]


def export_view(state: ViewState) -> FrozenView:
    """What an export of the window shows: its view state, frozen. A story step on
    screen exports as that step: its own window and events, without the filter bar's."""
    view = state.frozen()
    if view.step is not None:
        view = replace(view, hidden=(), search="")
    return view


def error_line(stderr: str) -> str:
    """The CLI's one clear line (without its prefix), else the last line it printed."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith("chronomap export: "):
            return line.removeprefix("chronomap export: ")
    return lines[-1] if lines else "the export stopped without saying why"


class ExportMenu(QObject):
    """Builds the Export menu and runs exports for the window.

    ``view`` returns what the window shows now (``export_view``); ``dataset``
    the dataset as shown.
    """

    sigFinished = Signal(bool, str)  # ok, the file written or the error message

    def __init__(
        self,
        parent: QWidget,
        state: ViewState,
        view: Callable[[], FrozenView],
        dataset: Callable[[], Dataset],
    ):
        super().__init__(parent)
        load_all()
        self._parent = parent
        self._state = state
        self._view = view
        self._dataset = dataset
        self.process: QProcess | None = None
        self.progress: QProgressDialog | None = None
        self._stderr = ""
        self._target: Path | None = None
        self._snapshot: tempfile.TemporaryDirectory | None = None
        self._started = 0.0
        self.menu = QMenu("&Export", parent)
        self.actions: dict[str, QAction] = {}
        for exporter in EXPORTERS.values():
            action = QAction(f"{exporter.label} ({exporter.extension})…", self)
            action.setObjectName(f"export_{exporter.key}")
            action.triggered.connect(lambda _checked=False, e=exporter: self.export(e.key))
            self.menu.addAction(action)
            self.actions[exporter.key] = action
        self.menu.aboutToShow.connect(self._update)

    @property
    def running(self) -> bool:
        return self.process is not None

    def _update(self) -> None:
        has_events = bool(self._state.dataset.events)
        has_story = bool(self._dataset().story)
        for key, action in self.actions.items():
            deck = key in ("pdf", "pptx")
            action.setEnabled(has_events and not self.running and (has_story or not deck))

    # -- asking -------------------------------------------------------------

    def ask_size(self) -> tuple[int, int] | None:
        names = [*PRESETS, CUSTOM]
        name, ok = QInputDialog.getItem(self._parent, "PNG size", "Image size:", names, 0, False)
        if not ok:
            return None
        if name in PRESETS:
            return PRESETS[name]
        text, ok = QInputDialog.getText(
            self._parent, "PNG size", "Width × height in pixels (e.g. 2560x1440):"
        )
        if not ok:
            return None
        try:
            return parse_size(text or "")
        except ValueError as exc:
            self._fail(f"“{text}”: {exc}")
            return None

    def ask_path(self, exporter: Exporter) -> Path | None:
        name = re.sub(r"[^\w-]+", "-", self._state.dataset.title or "chronomap").strip("-")
        start = Path.home() / f"{name.lower() or 'chronomap'}{exporter.extension}"
        path, _ = QFileDialog.getSaveFileName(
            self._parent,
            f"Export {exporter.label}",
            str(start),
            f"{exporter.label} (*{exporter.extension});;All files (*)",
        )
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != exporter.extension:
            target = target.with_name(target.name + exporter.extension)
        return target

    # -- running ------------------------------------------------------------

    def export(self, key: str) -> bool:
        """Ask where (and, for PNG, what size), then export; False if cancelled or refused."""
        if self.running:
            return False
        exporter = EXPORTERS[key]
        view = self._view()
        size = None
        if key == "png":
            size = self.ask_size()
            if size is None:
                return False
        target = self.ask_path(exporter)
        if target is None:
            return False
        if exporter.needs_qt:
            return self._run_child(exporter, target, view, size)
        return self._run_here(exporter, target, view)

    def _run_here(self, exporter: Exporter, target: Path, view: FrozenView) -> bool:
        try:
            exporter.function(self._dataset(), target, view, None)
        except ExportError as exc:
            self._fail(str(exc))
            return False
        except OSError as exc:
            self._fail(write_error(target, exc))
            return False
        self.sigFinished.emit(True, str(target))
        return True

    def _run_child(
        self, exporter: Exporter, target: Path, view: FrozenView, size: Size | None
    ) -> bool:
        from desktop.core.save import save_dataset

        self._snapshot = tempfile.TemporaryDirectory(prefix="chronomap-export-")
        folder = Path(self._snapshot.name)
        snapshot, frozen = folder / "dataset.json", folder / "view.json"
        dataset = self._dataset()
        try:
            save_dataset(dataset, snapshot)
            text = json.dumps(view.to_json(dataset.story), ensure_ascii=False)
            atomic_write_bytes(frozen, text.encode("utf-8"))
        except (OSError, ValueError) as exc:
            self._cleanup()
            self._fail(f"cannot prepare the export: {exc}")
            return False
        command = export_command()
        args = [*command[1:], "export", str(snapshot), f"--{exporter.key}", str(target)]
        args += ["--view", str(frozen)]
        if size is not None:
            args += ["--size", f"{size[0]}x{size[1]}"]
        self._target = target
        self._stderr = ""
        self._started = time.time()
        process = QProcess(self)
        process.setProgram(command[0])
        process.setArguments(args)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._process_error)
        self.process = process

        progress = QProgressDialog(f"Exporting {target.name}…", "Cancel", 0, 0, self._parent)
        progress.setObjectName("exportProgress")
        progress.setWindowTitle(f"Export {exporter.label}")
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(self.cancel)
        self.progress = progress
        process.start()
        return True

    def _read_stderr(self) -> None:
        if self.process is None:
            return
        text = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace")
        self._stderr += text
        for done, total in SLIDE.findall(text):
            if self.progress is not None:
                self.progress.setMaximum(int(total))
                self.progress.setValue(int(done))
                self.progress.setLabelText(f"Rendering slide {done} of {total}…")

    def cancel(self) -> None:
        """Stop a running export; the file it would have replaced is left as it was."""
        process = self.process
        if process is None:
            return
        process.finished.disconnect(self._finished)
        process.errorOccurred.disconnect(self._process_error)
        process.kill()
        process.waitForFinished(5000)
        self._remove_partial()
        self._close()
        self.sigFinished.emit(False, "cancelled")

    def _remove_partial(self) -> None:
        # A killed child cannot remove the temporary file it was writing beside the target.
        target = self._target
        if target is None or not target.parent.is_dir():
            return
        for leftover in target.parent.glob(f".{target.name}.*.part"):
            try:
                if leftover.stat().st_mtime >= self._started - 1:
                    leftover.unlink()
            except OSError:
                pass

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._read_stderr()
        target = self._target
        stderr = self._stderr
        crashed = status == QProcess.ExitStatus.CrashExit
        if crashed:
            self._remove_partial()
        self._close()
        if not crashed and code == 0 and target is not None and target.exists():
            self.sigFinished.emit(True, str(target))
        elif crashed and target is not None:
            # Killed (by the system when memory runs out, or by hand) or crashed: it
            # could not say why, nor remove the temporary file it was writing (done above).
            kept = "the file there is as it was" if target.exists() else "nothing was written"
            self._fail(f"the export of {target.name} stopped before it finished: {kept}")
        else:
            self._fail(error_line(stderr))

    def _process_error(self, error) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._close()
            self._fail("the export could not be started")

    def _close(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        if self.process is not None:
            self.process.deleteLater()
            self.process = None
        self._cleanup()

    def _cleanup(self) -> None:
        if self._snapshot is not None:
            self._snapshot.cleanup()
            self._snapshot = None

    def _fail(self, message: str) -> None:
        QMessageBox.critical(self._parent, "Export failed", message)
        self.sigFinished.emit(False, message)

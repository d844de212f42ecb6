"""Small builders for test datasets on disk."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from desktop.resources import builtin_dataset

EVENTS_HEADER = ["id", "title", "start", "end", "category", "places", "sources"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def copy_builtin(tmp_path: Path) -> Path:
    target = tmp_path / "dataset"
    shutil.copytree(builtin_dataset(), target)
    return target


def minimal_folder(tmp_path: Path) -> Path:
    """A small valid CSV-folder dataset: two places, one source, two events."""
    folder = tmp_path / "mini"
    folder.mkdir()
    write_csv(
        folder / "places.csv",
        ["id", "name", "kind", "lat", "lon"],
        [
            ["moscow", "Moscow", "point", "55.75", "37.62"],
            ["tehran", "Tehran", "point", "35.69", "51.39"],
        ],
    )
    write_csv(
        folder / "sources.csv",
        ["id", "publisher", "title", "date"],
        [["s1", "Izvestia", "Seal the Deal", "2025-01"]],
    )
    write_csv(
        folder / "events.csv",
        EVENTS_HEADER,
        [
            ["e1", "Signing", "2025-01-17", "", "treaty", "moscow", "s1"],
            ["e2", "Old treaty", "2001", "", "treaty", "moscow; tehran", "s1"],
        ],
    )
    return folder


def changed_lines(before: bytes, after: bytes) -> list[str]:
    """The lines a diff of two text files removes ("-…") and adds ("+…")."""
    import difflib

    old = before.decode("utf-8-sig").splitlines(keepends=True)
    new = after.decode("utf-8-sig").splitlines(keepends=True)
    return [
        line
        for line in difflib.unified_diff(old, new, n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def form_answer(fill, shown: list):
    """A stand-in for running a form: ``fill(dialog)`` fills it and says whether to press
    OK (which the form may still refuse); each dialog is kept in ``shown``."""

    def run(dialog) -> bool:
        shown.append(dialog)
        accepted = fill(dialog)
        if accepted:
            dialog.accept()
        return accepted and dialog.result() == dialog.DialogCode.Accepted

    return run


def answering(asked: list[str], button: object):
    """A stand-in for QMessageBox.question: records each title asked, answers ``button``."""

    def question(*args: object, **kwargs: object) -> object:
        asked.append(str(args[1]))
        return button

    return question


def overlapping_labels(labels: list[dict]) -> list[tuple[str, str]]:
    """Pairs of map labels whose boxes (read from the page) overlap by more than half a pixel."""
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            ra, rb = a["rect"], b["rect"]
            if (
                ra[0] < rb[2] - 0.5
                and rb[0] < ra[2] - 0.5
                and ra[1] < rb[3] - 0.5
                and rb[1] < ra[3] - 0.5
            ):
                pairs.append((a["text"], b["text"]))
    return pairs


def evaluate_page(qtbot: Any, map_view: Any, expression: str) -> Any:
    """The value of a JavaScript expression in a MapView's page (through its one bridge)."""
    box: list[Any] = []
    wrapped = (
        "(() => { try { return JSON.stringify({value: (EXPR)}); }"
        " catch (e) { return JSON.stringify({error: String(e)}); } })()"
    ).replace("EXPR", expression)
    map_view.evaluate(wrapped, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=5_000)
    reply = json.loads(box[0])
    if "error" in reply:
        raise AssertionError(f"{expression}: {reply['error']}")
    return reply.get("value")


def map_at_rest(qtbot: Any, map_view: Any) -> None:
    """Wait until the map page has no call left to run and no move in progress: a
    camera still flying would move what a test is about to click or read."""
    qtbot.waitUntil(
        lambda: evaluate_page(qtbot, map_view, "chronomap.state().pending") == 0, timeout=10_000
    )


def fresh_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter (offscreen Qt); its standard output."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout

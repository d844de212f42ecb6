"""What every benchmark worker shares: the line protocol, memory, and Qt helpers.

A worker prints one ``BENCH {json}`` line per figure as soon as it has it, so
the figures measured before a time-out survive it.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PREFIX = "BENCH "


def emit(**figures: Any) -> None:
    """Report figures to the parent (one line, flushed at once)."""
    print(PREFIX + json.dumps(figures), flush=True)


def parse_lines(text: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for line in text.splitlines():
        if line.startswith(PREFIX):
            try:
                found.update(json.loads(line[len(PREFIX) :]))
            except json.JSONDecodeError:
                continue
    return found


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples), 1)


def process_age_ms() -> float:
    """Milliseconds since this process started: the same clock ``--exit-when-ready`` uses."""
    from desktop.gui.app import process_age_ms as age

    return age()


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(pid: int | None = None) -> float:
    """Resident memory of a process and all its descendants (QtWebEngine's helpers), in MB.

    Shared pages are counted once per process, so this overstates a little;
    it is what the system monitor adds up too.
    """
    root = pid or os.getpid()
    tree = _children()
    total, todo = 0, [root]
    while todo:
        current = todo.pop()
        total += _rss_kb(current)
        todo.extend(tree.get(current, []))
    return round(total / 1024, 1)


def qt_environment() -> None:
    """Offscreen, and QtWebEngine's sandbox off as root (it refuses to start otherwise)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def spin_until(predicate: Callable[[], bool], timeout_s: float) -> bool:
    """Run the Qt event loop until ``predicate()`` holds; False if ``timeout_s`` passes first.

    Objects the app lets go with ``deleteLater`` are deleted here too, as the
    app's own event loop deletes them: ``processEvents`` called outside any
    event loop keeps them forever, so a long run would count every dock tab
    bar, layout animation and finished export process ever made as growth.
    """
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop

    deadline = time.perf_counter() + timeout_s
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return True


def fail(reason: str, code: int = 3) -> None:
    print(f"bench: {reason}", file=sys.stderr, flush=True)
    sys.exit(code)


def dataset_arg() -> Path:
    if len(sys.argv) < 2:
        fail("usage: python -m bench.<worker> DATASET")
    return Path(sys.argv[1])

"""The long-session harness runs end to end: a few cycles on the built-in dataset, one PNG
export, memory samples and one JSON line (no limits on the figures: that is `make soak`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[1]


def test_soak_reports_memory_and_pace_by_cycle() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.soak",
            "--sizes",
            "builtin",
            "--cycles",
            "3",
            "--every",
            "1",
            "--warmup",
            "1",
            "--export-every",
            "2",
            "--timeout-min",
            "4",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert len(lines) == 1  # ONE JSON line
    result = json.loads(lines[0])
    builtin = result["builtin"]
    assert "failure" not in builtin
    assert list(builtin["rss_mb"]) == ["0", "1", "2", "3"]
    assert list(builtin["cycle_ms"]) == list(builtin["cpu_ms"]) == ["1", "2", "3"]
    assert all(v > 0 for v in builtin["cycle_ms"].values())
    assert builtin["exports"] == 1
    # The whole tree: the page's renderer is counted beside the app.
    last = builtin["kinds_mb"]["last"]
    assert last["app"] > 0 and last["renderer"] > 0
    assert builtin["rss_mb"]["3"] >= last["app"] + last["renderer"]
    assert isinstance(builtin["growth_pct"], float)
    # Memory is read as the clicking stops and again once the window has gone idle.
    assert list(builtin["busy_mb"]) == ["0", "1", "2", "3"]
    assert isinstance(builtin["busy_growth_pct"], float)
    # Progress, one line per sample, on stderr.
    assert proc.stderr.count("soak: builtin cycle") == 4

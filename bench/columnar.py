"""A million events from CSV and from Parquet: loaded, and opened in the window.

    python -m bench.columnar [--events 1000000] [--runs 1]

Prints one JSON object, then each figure beside its target. The events are
bench.engine's synthetic table (written by DuckDB, cached), as its canonical
Parquet files and as a canonical CSV folder written from them by the app's own
writer (cached too). For each form: ``load_ms`` and ``load_rss_mb`` from
bench.load_worker (load_dataset alone, in a fresh process), ``ready_ms`` from
``python -m desktop PATH --exit-when-ready`` (process start until the timeline
has painted and the map has confirmed the selection, the map page cached by an
earlier open as on every reopen), and ``peak_mb``, the largest resident memory
of the app and its QtWebEngine helpers seen (sampled every 100 ms) until then.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import parse_lines, tree_rss_mb
from .datasets import cache_dir

READY_RE = re.compile(r"ready in (\d+) ms")
# (form, figure, limit, what the target says)
TARGETS = (
    ("csv", "ready_ms", 10_000, "1M from CSV: ready < 10 s"),
    ("csv", "peak_mb", 1_200, "1M from CSV: memory < 1.2 GB"),
    ("parquet", "ready_ms", 4_000, "1M from Parquet: ready < 4 s"),
)


def forms(n_events: int) -> dict[str, Path]:
    """The same events as canonical Parquet files and as a canonical CSV folder."""
    from .engine import write_parquet

    source, _ = write_parquet(n_events)
    folder = cache_dir() / f"columnar-{n_events}"
    parquet = folder / "parquet" / "events.parquet"
    csv = folder / "csv"
    if not parquet.exists():
        parquet.parent.mkdir(parents=True, exist_ok=True)
        for file in source.parent.glob(f"{source.stem}*.parquet"):
            shutil.copyfile(file, parquet.parent / file.name)
    if not (csv / "events.csv").exists():
        from desktop.core.formats.csv_folder import write_csv_folder
        from desktop.core.load import load_dataset

        write_csv_folder(load_dataset(parquet).dataset, csv)
    return {"csv": csv, "parquet": parquet}


def ready(path: Path, env: dict[str, str], timeout: float) -> dict[str, Any]:
    """One open in the window: its ready time and the peak memory of its process tree."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", str(path), "--exit-when-ready"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    peak = 0.0
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        peak = max(peak, tree_rss_mb(proc.pid))
        time.sleep(0.1)
    if proc.poll() is None:
        proc.kill()
    out = proc.communicate()[0]
    found = READY_RE.search(out)
    return {"ready_ms": int(found.group(1)) if found else None, "peak_mb": round(peak, 1)}


def measure(path: Path, runs: int, timeout: float) -> dict[str, Any]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    env["CHRONOMAP_CACHE_DIR"] = tempfile.mkdtemp(prefix="chronomap-bench-cache-")
    load = subprocess.run(
        [sys.executable, "-m", "bench.load_worker", str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    figures: dict[str, Any] = parse_lines(load.stdout)
    ready(path, env, timeout)  # the first open builds the map page: reopens reuse it
    samples = [ready(path, env, timeout) for _ in range(runs)]
    times = [s["ready_ms"] for s in samples if s["ready_ms"] is not None]
    figures["ready_ms"] = int(statistics.median(times)) if times else None
    figures["peak_mb"] = max(s["peak_mb"] for s in samples)
    figures["ready_runs"] = times
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.columnar", description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)
    started = time.monotonic()
    paths = forms(args.events)
    result: dict[str, Any] = {
        "events": args.events,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    for form, path in paths.items():
        result[form] = measure(path, args.runs, args.timeout)
        print(f"bench: {form}: {result[form]}", file=sys.stderr, flush=True)
    result["seconds"] = round(time.monotonic() - started)
    print(json.dumps(result))
    for form, figure, limit, text in TARGETS:
        value = result[form].get(figure)
        met = "not measured" if value is None else ("yes" if value < limit else "NO")
        print(f"{text:32} measured {value!s:>8}  met: {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A long session on each dataset, and how much memory and time it gained (``make soak``).

    python -m bench.soak [--cycles 2000] [--every 250] [--warmup 250]
                         [--sizes builtin,100k] [--export-every 100]

Each dataset runs in its own process (bench.soak_worker): the real window,
offscreen, clicked through the cycles. Progress goes to stderr: the memory
of the whole process tree (the app and its QtWebEngine processes) every
``--every`` cycles. The result is ONE JSON line on stdout, per dataset:

- ``rss_mb``: the tree's resident MB by cycle (0 is just after opening),
  once the window has gone idle (a pause of about two seconds) and given
  back what the clicks let go of; ``busy_mb`` the same as the clicking stops;
- ``growth_pct``: from cycle ``--warmup`` to the last (the goal is under 5),
  and ``busy_growth_pct`` the same on ``busy_mb``;
- ``cycle_ms``: the median cycle time over each stretch of ``--every`` cycles,
  and ``cpu_ms`` the median CPU time the whole tree spent on a cycle;
  ``slowdown_pct`` and ``cpu_slowdown_pct``: the last stretch against the first.
  The goal (under 20) is judged on CPU time: on a shared machine the wall
  clock also counts whatever else is running;
- ``kinds_mb``: the first and last samples split into the app, QtWebEngine's
  zygotes and the page's renderer, to see where any growth is.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

from . import datasets
from .common import PREFIX

SIZES: dict[str, int | None] = {"builtin": None, "10k": 10_000, "100k": 100_000}
GOAL_GROWTH_PCT = 5.0
GOAL_SLOWDOWN_PCT = 20.0


def log(message: str) -> None:
    print(f"soak: {message}", file=sys.stderr, flush=True)


def dataset_path(size: str) -> Path:
    n = SIZES[size]
    if n is None:
        return datasets.builtin_path()
    path = datasets.synthetic_path(n)
    if not path.exists():
        log(f"writing {path}")
        datasets.write_synthetic(n, path)
    return path


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    return env


def soak(size: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one dataset's worker, echoing its samples; its figures, or the reason it failed."""
    path = dataset_path(size)
    command = [
        sys.executable,
        "-m",
        "bench.soak_worker",
        str(path),
        str(args.cycles),
        str(args.every),
        str(args.export_every),
    ]
    samples: list[dict[str, Any]] = []
    exports = None
    started = time.monotonic()
    lines: queue.Queue[str | None] = queue.Queue()
    # Qt's chatter goes to a file: a pipe nobody reads would fill and stall the worker.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as errors:
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=environment(),
            start_new_session=True,  # its QtWebEngine helpers die with it on time-out
        )
        threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True).start()
        deadline = started + args.timeout_min * 60
        failure = None
        while True:
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                failure = f"timed out after {args.timeout_min:g} min"
                os.killpg(proc.pid, signal.SIGKILL)
                break
            if line is None:
                break
            if not line.startswith(PREFIX):
                continue
            figures = json.loads(line[len(PREFIX) :])
            if "sample" in figures:
                sample = figures["sample"]
                samples.append(sample)
                kinds = ", ".join(f"{k} {v:.0f}" for k, v in sorted(sample["kinds"].items()))
                pace = (
                    f", {sample['cycle_ms']:.0f} ms/cycle ({sample['cpu_ms']:.0f} ms CPU; mean by"
                    " process "
                    + ", ".join(f"{k} {v}" for k, v in sorted(sample["cpu_kinds_ms"].items()))
                    + ")"
                    if "cycle_ms" in sample
                    else ""
                )
                log(
                    f"{size} cycle {sample['cycle']}: {sample['rss_mb']:.0f} MB ({kinds};"
                    f" {sample['busy_mb']:.0f} MB busy){pace}"
                )
            exports = figures.get("exports", exports)
        proc.wait()
        errors.seek(0)
        err = errors.read()
    if failure is None and proc.returncode != 0:
        found = [ln for ln in err.splitlines() if ln.startswith("bench:")]
        failure = f"exit code {proc.returncode}: " + (found[-1] if found else "no message")
    log(f"{size}: {time.monotonic() - started:.0f} s")
    return summarise(samples, args, exports, failure, path)


def _read_lines(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def summarise(
    samples: list[dict[str, Any]],
    args: argparse.Namespace,
    exports: int | None,
    failure: str | None,
    path: Path,
) -> dict[str, Any]:
    rss = {str(s["cycle"]): s["rss_mb"] for s in samples}
    busy = {str(s["cycle"]): s["busy_mb"] for s in samples}
    pace = {str(s["cycle"]): s["cycle_ms"] for s in samples if "cycle_ms" in s}
    cpu = {str(s["cycle"]): s["cpu_ms"] for s in samples if "cpu_ms" in s}
    cpu_kinds = {str(s["cycle"]): s["cpu_kinds_ms"] for s in samples if "cpu_kinds_ms" in s}
    result: dict[str, Any] = {
        "dataset": str(path),
        "cycles": samples[-1]["cycle"] if samples else 0,
        "rss_mb": rss,
        "busy_mb": busy,
        "cycle_ms": pace,
        "cpu_ms": cpu,
        "cpu_kinds_ms": cpu_kinds,
        "growth_pct": None,
        "busy_growth_pct": None,
        "slowdown_pct": None,
        "cpu_slowdown_pct": None,
        "exports": exports,
    }
    if samples:
        result["kinds_mb"] = {"first": samples[0]["kinds"], "last": samples[-1]["kinds"]}
    for key, figures in (("growth_pct", rss), ("busy_growth_pct", busy)):
        base = figures.get(str(args.warmup))
        if base and samples and samples[-1]["cycle"] > args.warmup:
            last = figures[str(samples[-1]["cycle"])]
            result[key] = round((last - base) / base * 100, 1)
    for key, figures in (("slowdown_pct", pace), ("cpu_slowdown_pct", cpu)):
        times = list(figures.values())
        if len(times) >= 2 and times[0] > 0:
            result[key] = round((times[-1] - times[0]) / times[0] * 100, 1)
    result["within_goal"] = (
        failure is None
        and result["growth_pct"] is not None
        and result["growth_pct"] < GOAL_GROWTH_PCT
        and result["cpu_slowdown_pct"] is not None
        and result["cpu_slowdown_pct"] < GOAL_SLOWDOWN_PCT
    )
    if failure:
        result["failure"] = failure
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--cycles", type=int, default=2000)
    parser.add_argument("--every", type=int, default=250, help="cycles between samples")
    parser.add_argument("--warmup", type=int, default=250, help="growth is counted from here")
    parser.add_argument("--sizes", default="builtin,100k")
    parser.add_argument("--export-every", type=int, default=100, help="0: no PNG exports")
    parser.add_argument("--timeout-min", type=float, default=240.0, help="per dataset")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown or args.cycles < 1 or args.every < 1:
        parser.error(f"--sizes takes {', '.join(SIZES)}; --cycles and --every at least 1")
    out: dict[str, Any] = {"cycles": args.cycles, "warmup": args.warmup, "every": args.every}
    for size in sizes:
        out[size] = soak(size, args)
    print(json.dumps(out), flush=True)
    return 0 if all(out[s].get("failure") is None for s in sizes) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Write the figures into docs/benchmarks.md, between markers, keeping the prose around them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.core.atomic import atomic_write_bytes

BEGIN = "<!-- bench:begin (written by `make bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"
ROWS = (
    ("events", "events"),
    ("load_ms", "load and validate (ms)"),
    ("ready_cold_ms", "ready, first open: process start to drawn and linked (ms)"),
    # Measured in process on a fresh page cache: parts of the first open.
    ("window_ready_ms", "  of which opening in the window (ms)"),
    ("map_build_ms", "  of which building the map page (ms)"),
    ("ready_ms", "ready, reopen (map page cached) (ms)"),
    ("repaint_ms", "timeline repaint per zoom step, median (ms)"),
    ("repaint_max_ms", "  slowest zoom step (ms)"),
    ("relabel_ms", "label layout after a zoom, median (ms)"),
    ("select_ms", "click until the map shows the selection, median (ms)"),
    ("brush_ms", "brush until the map is filtered, median (ms)"),
    ("png_ms", "PNG 1920x1080 export (ms)"),
    ("html_ms", "HTML export (ms)"),
    ("html_mb", "HTML export size (MB)"),
    ("rss_mb", "memory: app + QtWebEngine processes (MB)"),
    ("load_rss_mb", "memory after loading only (MB)"),
    ("naive_ready_ms", "naive peer: folium Marker per event, ready (ms)"),
    ("naive_html_mb", "naive peer page size (MB)"),
)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render(result: dict[str, Any]) -> str:
    sizes = list(result["sizes"])
    lines = [BEGIN, ""]
    m = result["machine"]
    lines += [
        "### Machine",
        "",
        f"- CPU: {m['cpu']}, {m['nproc']} cores; RAM {m['ram_gb']} GB; {m['os']}",
        f"- Python {m['python']}, Qt {m['qt']} (PySide6 {m['pyside6']}), "
        f"pyqtgraph {m['pyqtgraph']}, folium {m['folium']}, pandas {m['pandas']}",
        f"- load average when the run started: {', '.join(map(str, m['load_average']))} "
        "(the machine is shared: figures move by 10-30 % between runs)",
        f"- whole run: {result.get('total_s', 0):.0f} s",
        "",
        "### Figures",
        "",
        f"floor_ready_ms (a bare QWebEngineView page, fresh process): "
        f"**{_cell(result.get('floor_ready_ms'))}**",
        "",
        "| figure | " + " | ".join(sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for key, label in ROWS:
        values = [result["sizes"][s].get(key) for s in sizes]
        if all(v is None for v in values) and key not in ("ready_ms", "repaint_ms"):
            continue
        lines.append(f"| {label} | " + " | ".join(_cell(v) for v in values) + " |")
    lines += ["", "### Targets", "", "| size | target | measured | met |", "|---|---|---:|---|"]
    for row in result.get("targets", []):
        met = {True: "yes", False: "**no**", None: "not measured"}[row["met"]]
        lines.append(f"| {row['size']} | {row['target']} | {_cell(row['value'])} | {met} |")
    notes = [
        f"- {size}: `{name}`: {reason}"
        for size in sizes
        for name, reason in result["sizes"][size].get("skipped", {}).items()
    ]
    if notes:
        lines += ["", "### Not measured", "", *notes]
    lines += ["", END]
    return "\n".join(lines)


def write_markdown(result: dict[str, Any], path: Path) -> None:
    block = render(result)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = (text.rstrip() + "\n\n" if text else "# Benchmarks\n\n") + block + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))

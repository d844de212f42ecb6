"""Write the figures into docs/benchmarks.md, between markers, keeping the prose around them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.core.atomic import atomic_write_bytes

BEGIN = "<!-- bench:begin (written by `make bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"
README_BEGIN = "<!-- bench-targets:begin (written by `make bench`) -->"
README_END = "<!-- bench-targets:end -->"
COLUMNAR_ROWS = (
    ("load_ms", "load and validate (ms)"),
    ("load_rss_mb", "memory after loading only (MB)"),
    ("ready_ms", "ready in the window, reopen (ms)"),
    ("peak_mb", "peak memory: app + QtWebEngine processes (MB)"),
)
ENGINE_ROWS = (
    ("engine_ready_ms", "ready: open until the first counts are drawn (ms)"),
    ("engine_open_ms", "  of which opening the source (ms)"),
    ("engine_indexed_ms", "span index built (ms)"),
    ("engine_brush_ms", "brush until the map shows the count, median (ms)"),
    ("engine_search_ms", "a search few events match, until listed (ms)"),
    ("engine_select_ms", "click on a listed event until the map shows it, median (ms)"),
    ("engine_rss_mb", "memory: app + QtWebEngine processes (MB)"),
    ("engine_app_peak_mb", "the app's own peak memory (MB)"),
)
ROWS = (
    ("events", "events"),
    ("load_ms", "load and validate (ms)"),
    ("ready_cold_ms", "ready, first open: process start to drawn and linked (ms)"),
    # Measured in process on a fresh page cache: parts of the first open.
    ("window_ready_ms", "  of which opening in the window (ms)"),
    ("map_build_ms", "  of which building the map page (ms)"),
    ("ready_ms", "ready, reopen (map page cached) (ms)"),
    ("startup_ratio", "  against floor_ready_ms in the same rounds (x)"),
    ("repaint_ms", "timeline repaint per zoom step, median (ms)"),
    ("repaint_max_ms", "  slowest zoom step (ms)"),
    ("relabel_ms", "label layout after a zoom, median (ms)"),
    ("select_ms", "click until the map shows the selection, median (ms)"),
    ("brush_ms", "brush until the map is filtered, median (ms)"),
    ("png_ms", "PNG 1920x1080 export (ms)"),
    ("html_ms", "HTML export (ms)"),
    ("html_mb", "HTML export size (MB)"),
    ("html_ready_ms", "HTML snapshot ready in headless Chromium, median (ms)"),
    ("html_load_event_ms", "  of which until its load event (ms)"),
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
    lines += _scale_lines(result)
    lines += ["", "### Targets", "", *targets_table(result)]
    notes = [
        f"- {size}: `{name}`: {reason}"
        for size in sizes
        for name, reason in result["sizes"][size].get("skipped", {}).items()
    ]
    if result.get("floor_skipped"):
        notes.append(f"- floor_ready_ms: {result['floor_skipped']}")
    notes += [
        f"- scale: `{name}`: {reason}"
        for name, reason in (result.get("scale") or {}).get("skipped", {}).items()
    ]
    if notes:
        lines += ["", "### Not measured", "", *notes]
    lines += ["", END]
    return "\n".join(lines)


def targets_table(result: dict[str, Any]) -> list[str]:
    """Every target of the run beside its figure, as a markdown table."""
    lines = ["| events | target | measured | met |", "|---|---|---:|---|"]
    for row in result.get("targets", []):
        met = {True: "yes", False: "**no**", None: "not measured"}[row["met"]]
        lines.append(f"| {row['size']} | {row['target']} | {_cell(row['value'])} | {met} |")
    return lines


def _scale_lines(result: dict[str, Any]) -> list[str]:
    """bench.columnar's and bench.engine_window's figures, as their workers report them."""
    scale = result.get("scale")
    if not scale:
        return []
    lines = ["", "### Scale", ""]
    columnar = scale.get("columnar")
    if columnar:
        lines += [
            f"{columnar.get('events', 0):,} events (bench.columnar):",
            "",
            "| figure | CSV folder | Parquet |",
            "|---|---:|---:|",
        ]
        for key, label in COLUMNAR_ROWS:
            values = [(columnar.get(form) or {}).get(key) for form in ("csv", "parquet")]
            if any(v is not None for v in values):
                lines.append(f"| {label} | " + " | ".join(_cell(v) for v in values) + " |")
    engine = scale.get("engine")
    if engine:
        events = engine.get("events")
        lines += [
            "",
            f"{_cell(events)} events in Parquet, queried through the engine (bench.engine_window):",
            "",
            "| figure | value |",
            "|---|---:|",
        ]
        for key, label in ENGINE_ROWS:
            if engine.get(key) is not None:
                lines.append(f"| {label} | {_cell(engine[key])} |")
    return lines


def _replace_block(path: Path, block: str, begin: str, end: str, fresh: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1]
        text = head + block + tail
    else:
        text = (text.rstrip() + "\n\n" if text else fresh) + block + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))


def write_markdown(result: dict[str, Any], path: Path) -> None:
    _replace_block(path, render(result), BEGIN, END, "# Benchmarks\n\n")


def write_readme(result: dict[str, Any], path: Path) -> None:
    """The README's performance table: every target beside the latest figure."""
    m = result["machine"]
    block = "\n".join(
        [
            README_BEGIN,
            "",
            f"floor_ready_ms (a bare QtWebEngine page): {_cell(result.get('floor_ready_ms'))}; "
            f"{m['cpu']}, {m['nproc']} cores, load average "
            f"{', '.join(map(str, m['load_average']))} at the start of the run:",
            "",
            *targets_table(result),
            "",
            README_END,
        ]
    )
    _replace_block(path, block, README_BEGIN, README_END, "")

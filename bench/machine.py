"""The machine the figures came from."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from typing import Any


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    from PySide6.QtCore import qVersion

    return {
        "nproc": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "cpu": _cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "qt": qVersion(),
        "pyside6": _version("PySide6"),
        "pyqtgraph": _version("pyqtgraph"),
        "folium": _version("folium"),
        "pandas": _version("pandas"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }

"""The benchmark datasets: the built-in one, and synthetic ones saved once as canonical JSON.

Synthetic files are cached (keyed by size, seed and the generator's source),
since writing a million events takes longer than reading them.
Run as ``python -m bench.datasets N PATH`` to write one file.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

SEED = 0


def cache_dir() -> Path:
    folder = os.environ.get("CHRONOMAP_BENCH_CACHE")
    if folder:
        return Path(folder)
    return Path(tempfile.gettempdir()) / "chronomap-bench"


def generator_version() -> str:
    from desktop.core import synthetic
    from desktop.core.formats import json_file

    digest = hashlib.sha256()
    for module in (synthetic, json_file):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:10]


def synthetic_path(n_events: int) -> Path:
    return cache_dir() / f"synthetic-{n_events}-s{SEED}-{generator_version()}.json"


def builtin_path() -> Path:
    from desktop.resources import builtin_dataset

    return Path(builtin_dataset())


def write_synthetic(n_events: int, path: Path) -> None:
    from desktop.core.formats.json_file import write_json_dataset
    from desktop.core.synthetic import make_dataset

    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_dataset(make_dataset(n_events, seed=SEED), path)


if __name__ == "__main__":
    write_synthetic(int(sys.argv[1]), Path(sys.argv[2]))

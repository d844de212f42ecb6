"""Reading tables of any shape: `make bench-tables` prints one JSON object.

    python -m bench.tables [--runs 3] [--rows 100000]

- ``table_load_ms``: ``load_dataset()`` on a table of ``--rows`` events (date in
  three precisions, title, place, lat, lon, category, a measure), written once
  to the bench cache; the median of ``--runs`` fresh processes, so the column
  sniffing and the tolerant date parser are all in it.
- ``canonical_load_ms``: the same for the bench's synthetic canonical JSON of
  the same size (the native path, for comparison with ``make bench``).
- ``realworld_load_ms``: each file in ``shared/realworld`` (when it is there),
  loaded once in a fresh process.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
from pathlib import Path

from . import datasets

_WORKER = (
    "import sys, time; from desktop.core.load import load_dataset; "
    "t = time.perf_counter(); r = load_dataset(sys.argv[1]); "
    "print(round((time.perf_counter() - t) * 1000, 1), len(r.dataset.events))"
)


def table_path(rows: int) -> Path:
    path = datasets.cache_dir() / f"table-{rows}-s{datasets.SEED}.csv"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(datasets.SEED)
    categories = ("Battles", "Protests", "Riots", "Strategic developments")
    tmp = path.with_suffix(".part")
    with open(tmp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "title", "place", "lat", "lon", "category", "fatalities"])
        for i in range(rows):
            year, month, day = rng.randint(1990, 2024), rng.randint(1, 12), rng.randint(1, 28)
            date = (f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}", f"{year}")[i % 3]
            k = rng.randint(0, 499)
            lat, lon = (k % 170) - 84.5, (k * 7 % 340) - 169.75
            writer.writerow(
                [date, f"Event {i}", f"Place {k}", lat, lon, rng.choice(categories), k % 21]
            )
    tmp.replace(path)
    return path


def load_ms(path: Path) -> tuple[float, int]:
    out = subprocess.run(
        [sys.executable, "-c", _WORKER, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def median_load(path: Path, runs: int) -> dict[str, object]:
    samples = [load_ms(path) for _ in range(runs)]
    return {
        "ms": statistics.median(s[0] for s in samples),
        "runs": [s[0] for s in samples],
        "events": samples[0][1],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    canonical = datasets.synthetic_path(args.rows)
    if not canonical.exists():
        subprocess.run(
            [sys.executable, "-m", "bench.datasets", str(args.rows), str(canonical)], check=True
        )
    result: dict[str, object] = {
        "rows": args.rows,
        "table_load_ms": median_load(table_path(args.rows), args.runs),
        "canonical_load_ms": median_load(canonical, args.runs),
    }
    here = Path(__file__).resolve().parent
    found = [p / "shared" / "realworld" for p in here.parents]
    folder = next((f for f in found if f.is_dir()), None)
    if folder is not None:
        result["realworld_load_ms"] = {
            p.name: load_ms(p)[0]
            for p in sorted(folder.iterdir())
            if p.suffix != ".md" and p.name != "SHA256SUMS"
        }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

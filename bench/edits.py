"""What an edit costs on a large dataset, apart from redrawing: checking it again for the
problems panel (``core.live_problems``), counting citations for the Sources panel, and the
edit itself. Prints one JSON object of milliseconds (medians of five).

    python -m bench.edits [N ...]      (default: 10000 100000)
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path


def _ms(work, runs: int = 5) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(times), 1)


def measure(n: int, folder: Path) -> dict[str, float]:
    from desktop.core.editing import change_event, citing_events
    from desktop.core.live_problems import LiveProblems
    from desktop.core.load import load_dataset
    from desktop.core.moving import move_event, moved
    from desktop.core.save import save_dataset
    from desktop.core.synthetic import make_dataset

    path = folder / f"synthetic-{n}"
    save_dataset(make_dataset(n), path)
    result = load_dataset(path)
    data = result.dataset
    event = data.events[n // 2]
    edit = change_event(data, replace(event, confidence="perhaps"))
    edited = edit.apply(data)
    live = LiveProblems(result.path, result.format, data, result.problems)
    began = time.perf_counter()
    live.update(edited)  # the first edit reads where the rows stand in the files
    first = round((time.perf_counter() - began) * 1000, 1)

    later = []
    for step in range(1, 6):  # five more edits, each of another event
        other = edited.events[(n // 2 + step * 997) % n]
        edited = change_event(edited, replace(other, confidence="reported")).apply(edited)
        began = time.perf_counter()
        live.update(edited)
        later.append((time.perf_counter() - began) * 1000)

    def count_citations() -> None:
        cited: dict[str, int] = {}
        for e in edited.events:
            for s in e.sources:
                cited[s] = cited.get(s, 0) + 1

    source = next(iter(data.sources))
    return {
        "events": n,
        "recheck_first_edit_ms": first,
        "recheck_later_edit_ms": round(statistics.median(later), 1),
        "apply_edit_ms": _ms(lambda: edit.apply(data)),
        "move_edit_ms": _ms(lambda: move_event(data, moved(event, 40 * 86400.0)).apply(data)),
        "sources_panel_counts_ms": _ms(count_citations),
        "cited_by_one_source_ms": _ms(lambda: citing_events(edited, source)),
    }


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10_000, 100_000]
    with tempfile.TemporaryDirectory(prefix="chronomap-bench-edits-") as folder:
        print(json.dumps([measure(n, Path(folder)) for n in sizes]))


if __name__ == "__main__":
    main(sys.argv[1:])

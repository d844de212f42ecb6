"""load_ms: load and validate a dataset file, as the window and `chronomap validate` do."""

from __future__ import annotations

import time

from .common import dataset_arg, emit, tree_rss_mb


def main() -> None:
    path = dataset_arg()
    from desktop.core.load import load_dataset

    started = time.perf_counter()
    result = load_dataset(path)
    elapsed = (time.perf_counter() - started) * 1000
    emit(
        load_ms=round(elapsed, 1),
        events=len(result.dataset.events),
        problems=len(result.problems),
        load_rss_mb=tree_rss_mb(),
    )


if __name__ == "__main__":
    main()

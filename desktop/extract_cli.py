"""``chronomap extract``: candidate events from articles, printed, written as JSON, or added
to a dataset. Never imports Qt."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
# Datasets that can be written back as they are; anything else is another tool's file.
WRITABLE = frozenset({"csv-folder", "xlsx", "json"})


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def run_extract(args: argparse.Namespace) -> int:
    from desktop.core.atomic import atomic_write_bytes, keep_backup, write_error
    from desktop.core.dates import DateError, parse_date
    from desktop.core.model import Dataset

    published = None
    if args.published:
        try:
            published = parse_date(args.published).date
        except DateError as exc:
            _err(f"chronomap extract: --published: {exc}")
            return EXIT_USAGE

    target: Path | None = Path(args.into) if args.into else None
    dataset: Dataset | None = None
    if target is not None:
        loaded = _load_target(target)
        if isinstance(loaded, int):
            return loaded
        dataset = loaded

    from desktop.core.articles import extract, extraction_json
    from desktop.core.articles.convert import additions, merged_dataset

    extraction = extract(args.articles, dataset, published=published)
    for problem in extraction.problems:
        _err(problem)
    read = len(extraction.articles)
    if not read:
        _err("chronomap extract: no article could be read; nothing written")
        return EXIT_PROBLEMS

    for candidate in extraction.candidates:
        when = candidate.when.iso() if candidate.when else "undated"
        if candidate.when is not None and candidate.when.approximate:
            when = "~" + when
        where = ", ".join(p.name for p in candidate.places) or "-"
        cited = ", ".join(dict.fromkeys(c.source for c in candidate.citations))
        print(f"{when}\t{candidate.title}\t{where}\t{cited}")
        if candidate.when is None:
            print(f"\t({candidate.undated})")

    if args.json:
        doc = extraction_json(extraction)
        data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
        try:
            atomic_write_bytes(args.json, data)
        except OSError as exc:
            _err(f"chronomap extract: {write_error(args.json, exc)}")
            return EXIT_PROBLEMS
        _err(f"wrote {args.json}")

    if target is not None and dataset is not None:
        from desktop.core.save import save_dataset

        events, places, sources, citations = additions(extraction.dated, extraction, dataset)
        try:
            keep_backup(target)
            save_dataset(merged_dataset(dataset, events, places, sources, citations), target)
        except OSError as exc:
            _err(f"chronomap extract: {write_error(target, exc)}")
            return EXIT_PROBLEMS
        except ValueError as exc:
            _err(f"chronomap extract: cannot write {target}: {exc}")
            return EXIT_PROBLEMS
        _err(
            f"added {len(events)} events, {len(places)} places, {len(sources)} sources to {target}"
        )

    undated = len(extraction.undated)
    _err(
        f"{len(extraction.candidates)} candidates ({undated} undated) from {read} "
        f"article{'s' * (read != 1)}"
        + (f"; {len(extraction.problems)} could not be read" if extraction.problems else "")
    )
    return EXIT_PROBLEMS if extraction.problems else EXIT_OK


def _load_target(target: Path):  # -> Dataset | int (an exit status)
    from desktop.core.load import UnreadableError, load_dataset
    from desktop.core.model import Dataset

    if not target.exists():
        if target.suffix.lower() in (".json", ".xlsx"):
            return Dataset(title=target.stem)
        _err(f"{target}:0:-: error: no such dataset (name a .json or .xlsx file to create one)")
        return EXIT_USAGE
    try:
        result = load_dataset(target)
    except UnreadableError as exc:
        _err(str(exc))
        return EXIT_USAGE
    if result.format not in WRITABLE:
        _err(
            f"{target}:0:-: error: --into needs a Chronomap dataset (CSV folder, .xlsx or .json); "
            f"this is a {result.format} file: convert it with 'chronomap export --json' first"
        )
        return EXIT_USAGE
    if result.errors:
        for problem in result.errors:
            _err(str(problem))
        _err(f"{target}: has errors: fix them before adding to it (nothing written)")
        return EXIT_PROBLEMS
    return result.dataset

"""The command line: open the window, validate a dataset, or export it.

    chronomap [DATASET] [--exit-when-ready]
    chronomap validate [DATASET] [--strict]
    chronomap export [DATASET] --json F | --png F | --html F | --pdf F | --pptx F
                     [--size WxH] [--from DATE] [--to DATE] [--select ID]... [--step N]
                     [--hide-category NAME]... [--search TEXT] | [--view FILE]
    chronomap extract ARTICLE... [--json F] [--into DATASET] [--published DATE]

``validate`` and the JSON export never import Qt, so they run anywhere.
Exit codes: 0 fine, 1 problems in the data, 2 usage or unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop import __version__
from desktop.resources import builtin_dataset

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _dataset_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dataset",
        nargs="?",
        help="a Chronomap CSV folder, .xlsx or .json; or a TimelineJS sheet or JSON, "
        "a timemap workbook, GeoJSON, KML, or any table of dated events (CSV, TSV, .xlsx) "
        "(default: the built-in dataset); a Parquet file or DuckDB database of more than "
        "2,000,000 events, or an engine URL (trino://HOST/CATALOG/SCHEMA#TABLE, pyspark://, "
        "clickhouse://, bigquery://, duckdb://), is queried from the window, not loaded",
    )
    table = parser.add_argument_group("reading a table of events")
    table.add_argument(
        "--map",
        dest="maps",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help="which column plays a role, e.g. --map start=event_date --map title=Headline "
        "(roles: start end year month day time title summary place country lat lon latlon "
        "wkt category source id measure; --map measure=A,B for numbers to size markers by; "
        "an empty COLUMN takes a guessed role away); on top of NAME.chronomap.json",
    )
    order = table.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="order",
        action="store_const",
        const="day-first",
        help="read numeric dates such as 03/04/2025 day first (3 April)",
    )
    order.add_argument(
        "--monthfirst",
        dest="order",
        action="store_const",
        const="month-first",
        help="read numeric dates such as 03/04/2025 month first (March 4)",
    )


def _options(args: argparse.Namespace):  # -> ImportOptions | None
    """The table choices given on the command line; ValueError names a bad --map."""
    if not args.maps and not args.order:
        return None
    from desktop.core.dates import DateOrder
    from desktop.core.formats.roles import options_from_cli

    return options_from_cli(args.maps, DateOrder(args.order) if args.order else None)


def _verbose_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="also show Qt's and Chromium's messages about graphics, D-Bus and the sandbox",
    )


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chronomap",
        description="Open a dataset of dated, sourced events on a linked timeline and map. "
        "Subcommands: 'validate', 'export' and 'extract' (see 'chronomap validate -h').",
    )
    _dataset_arg(parser)
    parser.add_argument(
        "--exit-when-ready",
        action="store_true",
        help="quit (exit 0) once the timeline and map are drawn and linked, "
        "after printing 'ready in N ms'",
    )
    _verbose_arg(parser)
    parser.add_argument("--version", action="version", version=f"chronomap {__version__}")
    return parser


def _validate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chronomap validate",
        description="Check a dataset. One problem per line: PATH:ROW:COLUMN: severity: message. "
        "Exit 0 valid (warnings allowed), 1 problems, 2 usage or unreadable.",
    )
    _dataset_arg(parser)
    parser.add_argument("--strict", action="store_true", help="treat warnings as problems")
    return parser


def _export_parser() -> argparse.ArgumentParser:
    from desktop.exports import EXPORTERS
    from desktop.gui.exporters import load_all

    load_all()
    parser = argparse.ArgumentParser(
        prog="chronomap export",
        description="Write the dataset (or a window of it) as a file. Runs with no display.",
    )
    _dataset_arg(parser)
    group = parser.add_argument_group("formats (one or more)")
    for exporter in EXPORTERS.values():
        group.add_argument(
            f"--{exporter.key}", metavar="FILE", help=f"{exporter.label} ({exporter.extension})"
        )
    parser.add_argument("--size", metavar="WxH", help="image size, e.g. 1920x1080 or 3840x2160")
    parser.add_argument("--from", dest="start", metavar="DATE", help="window start, e.g. 2024-05")
    parser.add_argument("--to", dest="end", metavar="DATE", help="window end, e.g. 2025-01-31")
    parser.add_argument(
        "--select", action="append", default=[], metavar="ID", help="select an event (repeatable)"
    )
    parser.add_argument("--step", type=int, metavar="N", help="show story step N (1-based)")
    parser.add_argument(
        "--hide-category",
        dest="hidden",
        action="append",
        default=[],
        metavar="NAME",
        help="leave out this category's events, as the window's filter bar does (repeatable)",
    )
    parser.add_argument(
        "--search",
        default="",
        metavar="TEXT",
        help="keep only events whose text holds every word of TEXT, as the window's search does",
    )
    parser.add_argument(
        "--view",
        metavar="FILE",
        help="show a view the window saved (its exact window, selection, filter and story "
        "step), instead of --from, --to, --select, --step, --hide-category and --search",
    )
    _verbose_arg(parser)
    return parser


def _hidden_categories(names: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    """The dataset's categories named by --hide-category (an exact name, else one that
    differs only in case, as the filter bar shows them capitalised)."""
    found: list[str] = []
    for name in names:
        matches = [c for c in known if c == name] or [
            c for c in known if c.casefold() == name.casefold()
        ]
        if len(matches) != 1:
            listed = ", ".join(c or '""' for c in known) or "none"
            what = "names several categories" if matches else "no such category"
            raise ValueError(f"--hide-category {name}: {what}; known: {listed}")
        found.append(matches[0])
    return tuple(dict.fromkeys(found))


def _load(args: argparse.Namespace):  # -> LoadResult | None, without importing at module level
    from desktop.core.load import UnreadableError, load_dataset

    path = Path(args.dataset) if args.dataset else builtin_dataset()
    try:
        options = _options(args)
    except ValueError as exc:
        print(f"chronomap: {exc}", file=sys.stderr)
        return None
    try:
        return load_dataset(path, options)
    except UnreadableError as exc:
        print(exc, file=sys.stderr)
        return None


def cmd_validate(argv: Sequence[str]) -> int:
    from desktop.core.problems import grouped_lines

    args = _validate_parser().parse_args(argv)
    result = _load(args)
    if result is None:
        return EXIT_USAGE
    # The same problem on many rows is one line with its rows and count.
    for line in grouped_lines(result.problems):
        print(line)
    errors, warnings = len(result.errors), len(result.warnings)
    data = result.dataset
    print(
        f"{result.path}: {result.format}: {len(data.events)} events, {len(data.places)} places, "
        f"{len(data.sources)} sources, {len(data.story)} story steps; "
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
        file=sys.stderr,
    )
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    if not data.events:
        print(f"{result.path}:0:-: error: no events could be read from it", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _parse_size(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    from desktop.exports.sizes import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise ValueError(f"--size {text}: {exc}") from None


def _view_flags_given(args: argparse.Namespace) -> bool:
    return bool(
        args.start or args.end or args.select or args.step is not None or args.hidden
    ) or bool(args.search.strip())


def _saved_view(path: str, dataset):  # -> FrozenView; ValueError says what is wrong
    import json

    from desktop.core.view_state import FrozenView

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return FrozenView.from_json(data, dataset.story)
    except OSError as exc:
        raise ValueError(f"--view {path}: cannot read it: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise ValueError(f"--view {path}: not a view saved by the window ({exc})") from None


def cmd_export(argv: Sequence[str]) -> int:
    from desktop.core.dates import DateError, parse_date
    from desktop.exports import EXPORTERS, ExportError, one_run
    from desktop.exports.view import view_from_flags

    parser = _export_parser()
    args = parser.parse_args(argv)
    targets = [(e, getattr(args, e.key)) for e in EXPORTERS.values() if getattr(args, e.key)]
    if not targets:
        parser.print_usage(sys.stderr)
        keys = ", ".join(f"--{k}" for k in EXPORTERS)
        print(f"chronomap export: say what to write: {keys}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.view and _view_flags_given(args):
            raise ValueError("--view: the view already says the window, selection and filter")
        size = _parse_size(args.size)
        start = parse_date(args.start).date if args.start else None
        end = parse_date(args.end).date if args.end else None
    except (ValueError, DateError) as exc:
        print(f"chronomap export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from desktop.core.problems import grouped_lines

    result = _load(args)
    if result is None:
        return EXIT_USAGE
    for line in grouped_lines(result.errors):
        print(line, file=sys.stderr)
    dataset = result.dataset
    if not dataset.events:
        # Never an empty success: say why, in one line.
        errors = len(result.errors)
        why = (
            f"{errors} error{'s' * (errors != 1)} above; 'chronomap validate' lists them all"
            if errors
            else "the file holds none"
        )
        print(f"chronomap export: {result.path}: no events to export ({why})", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        if args.view:
            view = _saved_view(args.view, dataset)
        else:
            hidden = _hidden_categories(args.hidden, dataset.categories())
            view = view_from_flags(
                dataset,
                start=start,
                end=end,
                select=args.select,
                step=args.step,
                hidden=hidden,
                search=args.search,
            )
    except ValueError as exc:
        print(f"chronomap export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ExportError as exc:
        print(f"chronomap export: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    with one_run():  # a PDF and a PPTX share their slides
        return _write_all(targets, dataset, view, size)


def _write_all(targets, dataset, view, size) -> int:
    from desktop.core.atomic import write_error
    from desktop.exports import ExportError

    for exporter, target in targets:
        try:
            exporter.function(dataset, target, view, size)
        except ExportError as exc:
            print(f"chronomap export: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        except OSError as exc:
            print(f"chronomap export: {write_error(target, exc)}", file=sys.stderr)
            return EXIT_PROBLEMS
        except Exception as exc:  # a bug must still end in one readable line
            print(
                f"chronomap export: {exporter.label} failed: {type(exc).__name__}: {exc}",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
        print(f"wrote {target}", file=sys.stderr)
    return EXIT_OK


def cmd_window(argv: Sequence[str]) -> int:
    args = _window_parser().parse_args(argv)
    url = args.dataset if args.dataset and "://" in args.dataset else None
    if url is not None and not Path(url).exists():
        # An engine URL (trino://…#table): queried from the window, never loaded.
        from desktop.gui.app import run as run_window

        return run_window(None, exit_when_ready=args.exit_when_ready, engine_url=url)
    path = Path(args.dataset) if args.dataset else None
    if path is not None and not path.exists():
        print(f"{path}:0:-: error: no such file or folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        options = _options(args)
    except ValueError as exc:
        print(f"chronomap: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if options is not None:
        from desktop.core.load import use_options

        use_options(path or builtin_dataset(), options)
    try:
        from desktop.gui.app import run
    except ImportError as exc:
        print(f"chronomap: the window cannot start: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return run(path, exit_when_ready=args.exit_when_ready)


def _extract_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chronomap extract",
        description="Candidate events from news articles (.txt, .html, .pdf, .eml): each dated "
        "against the publication date, placed with the offline gazetteer, and quoted with its "
        "character offsets. Offline; never starts Qt.",
    )
    parser.add_argument("articles", nargs="+", metavar="ARTICLE", help="article files")
    parser.add_argument("--json", metavar="FILE", help="write the candidates as canonical JSON")
    parser.add_argument(
        "--into",
        metavar="DATASET",
        help="add the dated candidates to this dataset (a Chronomap CSV folder, .xlsx or .json; "
        "its places, events and categories are used first; the old file is kept as NAME.bak)",
    )
    parser.add_argument(
        "--published",
        metavar="DATE",
        help="publication date for articles that give none (e.g. 2025-01-17)",
    )
    return parser


def cmd_extract(argv: Sequence[str]) -> int:
    from desktop.extract_cli import run_extract

    return run_extract(_extract_parser().parse_args(argv))


COMMANDS = {"validate": cmd_validate, "export": cmd_export, "extract": cmd_extract}


def main(argv: Sequence[str] | None = None) -> int:
    import warnings

    # openpyxl warns on stderr about workbook features it skips (data validation,
    # conditional formats): nothing a reader of the output can act on.
    warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
    as_program = argv is None  # the chronomap command, not a call from other Python code
    argv = list(sys.argv[1:] if argv is None else argv)
    starts_qt = not argv or argv[0] == "export" or argv[0] not in COMMANDS
    if as_program and starts_qt and "--verbose" not in argv:
        # The window and image exports start Qt: its and Chromium's chatter about
        # graphics, D-Bus and the sandbox stays off the terminal. Only as the
        # command: the filter takes over the whole process's standard error.
        from desktop.gui.chromium_noise import install

        install()
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    return cmd_window(argv)


if __name__ == "__main__":
    sys.exit(main())

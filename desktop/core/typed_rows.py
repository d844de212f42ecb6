"""The short way through the event builder, for rows as programs write them.

A program that writes a dataset writes every row alike: text where text
belongs, lists of ids (JSON lists, or "a; b" in a CSV file or a workbook),
yes/no flags, ISO dates. Such rows need none of the per-cell
conversions of ``records.build_events()``: here they are checked and converted
a column at a time, mostly inside the interpreter's own loops (map, set,
dict), and what repeats (categories, dates, lists of places) is kept once and
shared by the events, not once per event. A row that has anything to report
or convert (a bad date, an unknown place, a number where text belongs, an
extra column) gets None: the long way then reads it, so what is accepted and
every problem reported stay exactly the same.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping
from itertools import repeat
from operator import itemgetter, or_
from typing import Any

from .cells import split_list, yes_or_no
from .dates import DateError, ParsedDate, PartialDate, check_order, parse_date
from .model import EVENT_FIELDS, Event, events_from_columns
from .schema import EVENTS, FLAG, IDS, TEXT


def date_reader() -> Callable[[str], ParsedDate]:
    """parse_date(), reading each distinct text once: large datasets repeat the
    same dates many times (the results are immutable, so sharing them also saves
    memory). One per load: a cache that outlived it would keep texts from all
    over the file, and with them much of the file's memory."""
    return functools.lru_cache(maxsize=1 << 16)(parse_date)


_NONE = type(None)
# A row's dates: its start, its end, and whether they are approximate.
_Dates = tuple[PartialDate, PartialDate | None, bool]
# Read together, by _dates: a range in start, a stated precision that must match.
_DATE_COLUMNS = ("start", "end", "approximate", "precision")


def typed_events(
    rows: list[dict[str, Any]],
    columns: Collection[str],
    places: Mapping[str, object],
    sources: Mapping[str, object],
) -> tuple[list[Event | None], bool]:
    """Each row's event when the row is well formed typed values, else None; and
    whether every row has its event, each with an id of its own.

    ``columns`` are the known event columns; ``places`` and ``sources`` the ids
    the rows may refer to. Duplicate ids are left to the caller, which sees the
    rows in order. Each column is read as the events table (schema.EVENTS)
    declares it: its kind, whether it is required, which ids it refers to.
    """
    if not rows:
        return [], True
    bad = bytearray(len(rows))  # 1: the row takes the long way
    names = tuple(columns)
    column = dict(zip(names, _columns(rows, names, bad), strict=True))
    known: dict[str, Mapping[str, object] | None] = {"places": places, "sources": sources}
    shared: dict[str, str] = {}
    fields: dict[str, Any] = {}
    for spec in EVENTS.fields:
        if spec.field is None or spec.name in _DATE_COLUMNS:
            continue
        values = column[spec.name]
        if spec.kind is IDS:
            fields[spec.field] = _id_lists(list(values), bad, known.get(spec.refers))
        elif spec.kind is FLAG:
            fields[spec.field] = _flags(values, bad)
        elif spec.kind is not TEXT:  # no short way for it: every row takes the long way
            bad[:] = b"\x01" * len(rows)
            fields[spec.field] = repeat(spec.kind.empty, len(rows))
        elif spec.required:
            fields[spec.field] = _fresh(_texts(values, bad, required=True))
        else:
            fields[spec.field] = _texts(values, bad, shared=shared)
    dates = _dates(
        _texts(column["start"], bad, required=True),
        list(column["end"]),
        list(column["precision"]),
        bad,
        date_reader(),
    )
    fields["start"] = map(itemgetter(0), dates)
    fields["end"] = map(itemgetter(1), dates)
    fields["approximate"] = map(or_, _flags(column["approximate"], bad), map(itemgetter(2), dates))
    fields["extra"] = repeat((), len(rows))
    ids = fields["id"]
    events: list[Event | None] = list(events_from_columns(fields[name] for name in EVENT_FIELDS))
    if any(bad):
        for number, flag in enumerate(bad):
            if flag:
                events[number] = None
        return events, False
    return events, len(set(ids)) == len(ids)


def _columns(
    rows: list[dict[str, Any]], names: tuple[str, ...], bad: bytearray
) -> list[tuple[Any, ...]]:
    """One tuple per column (None where a row has no value); a row with another
    column is marked. Each row is read once, as one tuple of its values: rows
    are large and far apart in memory, and a pass per column costs more than
    all the checks."""
    try:
        values = list(map(itemgetter(*names), rows))
    except KeyError:  # a column left out of some row
        values = [tuple(map(row.get, names)) for row in rows]
        known = set(names)
        for number, row in enumerate(rows):
            if not known.issuperset(row):
                bad[number] = 1
    else:
        if set(map(len, rows)) != {len(names)}:
            for number, row in enumerate(rows):
                if len(row) != len(names):
                    bad[number] = 1
    return list(zip(*values, strict=True))


def _texts(
    values: tuple[Any, ...] | list[Any],
    bad: bytearray,
    required: bool = False,
    shared: dict[str, str] | None = None,
) -> list[str]:
    """Stripped text; None is "" unless required; anything else, or a required
    "", marks the row. ``shared`` keeps one string object per distinct text."""
    try:  # all text, the usual case: strip() refuses anything else
        values = list(map(str.strip, values))
    except TypeError:
        values = _only_texts(values, bad, required)
    if required and "" in values:
        for number, value in enumerate(values):
            if not value:
                bad[number] = 1
    if shared is not None:
        values = list(map(shared.setdefault, values, values))
    return values


def _only_texts(values: tuple[Any, ...] | list[Any], bad: bytearray, required: bool) -> list[str]:
    texts = []
    for number, value in enumerate(values):
        if type(value) is str:
            texts.append(value.strip())
        else:
            if value is not None or required:
                bad[number] = 1
            texts.append("")
    return texts


def _flags(values: tuple[Any, ...], bad: bytearray) -> tuple[bool, ...] | list[bool]:
    """``approximate``: a bool, None for no, or a yes/no word as a file writes it."""
    if set(map(type, values)) <= {bool}:
        return values
    words: dict[str, bool | None] = {}
    flags = []
    for number, value in enumerate(values):
        if type(value) is bool:
            flags.append(value)
            continue
        flag: bool | None = False
        if type(value) is str:
            if value not in words:
                words[value] = yes_or_no(value)
            flag = words[value]
        elif value is not None:
            flag = None
        if flag is None:
            bad[number] = 1
            flag = False
        flags.append(flag)
    return flags


def _fresh(texts: list[str]) -> list[str]:
    """Copies of texts that events keep. The file's own strings lie among its
    other values, all freed once it is built; each one kept would keep the memory
    around it in use (at a million events, hundreds of megabytes)."""
    codec = repeat("utf-8"), repeat("surrogatepass")  # any str, even a lone surrogate
    return list(map(bytes.decode, map(str.encode, texts, *codec), *codec))


def _dates(
    starts: list[str],
    ends: list[Any],
    precisions: list[Any],
    bad: bytearray,
    parse: Callable[[str], ParsedDate],
) -> list[Any]:
    """Each row's (start, end, approximate). Each distinct start is read once;
    ends and stated precisions are looked at where there are some."""
    if not set(map(type, ends)) | set(map(type, precisions)) <= {str, _NONE}:
        for values in (ends, precisions):
            for number, value in enumerate(values):
                if not (value is None or type(value) is str):
                    bad[number] = 1
                    values[number] = None
    read = {text: _read_dates(parse, text, None, None) for text in dict.fromkeys(starts)}
    dates = list(map(read.__getitem__, starts))
    stated = {text: text.strip().lower() if text else "" for text in dict.fromkeys(precisions)}
    if any(stated.values()):  # a stated precision must be the start's
        labels = {text: value[0].precision.label for text, value in read.items() if value}
        for number, (start, precision) in enumerate(zip(starts, precisions, strict=True)):
            said = stated[precision]
            if said and said != labels.get(start):
                dates[number] = None
    if not set(ends) <= {None, ""}:
        for number, end in enumerate(ends):
            if end is not None and end != "":
                dates[number] = _read_dates(parse, starts[number], end, precisions[number])
    if None in dates:
        unread = (PartialDate(1), None, False)
        for number, value in enumerate(dates):
            if value is None:
                bad[number] = 1
                dates[number] = unread
    return dates


def _read_dates(
    parse: Callable[[str], ParsedDate], start: str, end_text: str | None, precision: str | None
) -> _Dates | None:
    try:
        parsed = parse(start)
        end = None if end_text is None or end_text == "" else parse(end_text.strip()).date
        if parsed.end is not None:
            if end is not None:
                return None
            end = parsed.end
        elif end is not None:
            check_order(parsed.date, end)
    except DateError:
        return None
    if precision and precision.strip().lower() not in ("", parsed.date.precision.label):
        return None
    return parsed.date, end, parsed.approximate


def _id_lists(
    values: list[Any], bad: bytearray, known: Mapping[str, object] | None
) -> list[tuple[str, ...]]:
    """Lists of ids (None is none; a text is split at ";" or "," as a file writes
    it), each distinct list read once and kept as one tuple; with ``known``,
    every id must be in it (and its key string is used)."""
    if not set(map(type, values)) <= {list, _NONE}:
        texts: dict[str, list[str]] = {}
        for number, value in enumerate(values):
            if type(value) is str:
                items = texts.get(value)
                if items is None:
                    items = texts[value] = list(split_list(value))
                values[number] = items
            elif not (value is None or type(value) is list):
                bad[number] = 1
                values[number] = None
    try:
        keys = list(map(tuple, values))
    except TypeError:  # None among them
        keys = [() if value is None else tuple(value) for value in values]
    try:
        distinct = dict.fromkeys(keys)
    except TypeError:  # a list or an object among the ids: find its rows
        for number, key in enumerate(keys):
            try:
                hash(key)
            except TypeError:
                bad[number] = 1
                keys[number] = ()
        distinct = dict.fromkeys(keys)
    own = {key: key for key in known} if known is not None else None
    read = {key: _read_ids(key, own) for key in distinct}
    lists = list(map(read.__getitem__, keys))
    if None in read.values():
        for number, value in enumerate(lists):
            if value is None:
                bad[number] = 1
                lists[number] = ()
    return lists  # type: ignore[return-value]


def _read_ids(key: tuple[Any, ...], known: dict[str, str] | None) -> tuple[str, ...] | None:
    for item in key:
        if type(item) is not str:
            return None
    ids = tuple(map(str.strip, key))
    if "" in ids:
        ids = tuple(i for i in ids if i)
    if known is None:
        return ids
    for ident in ids:
        if ident not in known:
            return None
    return tuple(map(known.__getitem__, ids))

"""The events sheet read a column at a time, from Arrow columns (Parquet, CSV).

A well-formed events table as programs write it (ISO dates, known places and
sources, no column the sheet does not know) is checked and converted with
Arrow's compute functions over whole columns: each column is dictionary
encoded, so a date, a category or a list of places is read once per distinct
value (canonical dates by numpy, distinct_dates; any other text by the same
tolerant parser as every other reader) and its result shared by every event
that holds it; a list column is flattened, each distinct id stripped and
checked once, and each row's list kept as codes. Nothing is done row by row
in Python but the final building of the events.

The spans and the date order that the window asks for first are computed here
from the same columns (epoch seconds per distinct date, taken by index) and
kept with the dataset, so opening a million events does not walk them again.

Anything this cannot read exactly as the row-by-row builder would (a bad
date, an unknown place, a duplicate id, an unknown column, a warning to give)
gives None: the caller then reads the table the long way, which reports the
problem with its row and column. The two ways never disagree on a dataset:
the short way only takes what the long way would take without a word.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from . import flags
from .cells import cell_text, yes_or_no
from .dates import DateError
from .distinct_dates import DistinctDates, read_distinct
from .lazy_events import LazyEvents
from .model import Dataset, Event
from .problems import Problems
from .records import Table, build_dataset, check_header, normalise_header
from .row_arrays import RowArrays
from .schema import EVENTS, IDS, TEXT

if TYPE_CHECKING:
    import pyarrow as pa


_NO_END = read_distinct([None])


class _Unread(Exception):
    """The table needs the long way: something in it must be reported or converted."""


@dataclass(frozen=True)
class EventArrays:
    """Each event's span (epoch seconds, upper exclusive) and its place in date order."""

    lower: np.ndarray
    upper: np.ndarray
    precision: np.ndarray
    order: np.ndarray
    rows: RowArrays


def events_from_arrow(
    table: pa.Table, places: Mapping[str, object], sources: Mapping[str, object]
) -> tuple[LazyEvents, EventArrays] | None:
    """The table's events and their arrays, or None when it needs the long way."""
    import pyarrow as pa

    try:
        return _read(table, places, sources)
    except (_Unread, pa.ArrowException, TypeError, ValueError, OverflowError):
        # What Arrow cannot do with a column of an odd type is for the long way too:
        # it is the reference, and says what is wrong.
        return None


def keep_arrays(dataset: Dataset, arrays: EventArrays) -> None:
    """Give the dataset what was computed with its events, as if its views had built it."""
    dataset.keep("spans", (arrays.lower, arrays.upper))
    dataset.keep("date-order-rows", arrays.order)
    dataset.keep("row-arrays", arrays.rows)
    dataset.keep("categories", sorted(arrays.rows.categories))  # distinct already


def _read(
    table: pa.Table, places: Mapping[str, object], sources: Mapping[str, object]
) -> tuple[LazyEvents, EventArrays]:

    written = table.column_names
    names = [normalise_header(name) for name in written]
    if len(set(names)) != len(names) or "" in names:
        raise _Unread  # a column twice, or one without a name: the long way says so
    if any(column not in names for column in EVENTS.required):
        raise _Unread
    n = table.num_rows
    if n == 0:
        raise _Unread
    cols: dict[str, pa.ChunkedArray | None] = {
        name: table.column(i) for i, name in enumerate(names) if name in EVENTS.columns
    }
    own = [(written[i], table.column(i)) for i, name in enumerate(names) if name not in cols]
    known = {"places": places, "sources": sources}
    # Texts of their own per row stay Arrow arrays; values that repeat are kept once
    # each, with each row's index among them: no Python object per row.
    texts: dict[str, pa.Array] = {}
    shared: dict[str, tuple[list[Any], np.ndarray]] = {}
    lists: dict[str, IdLists] = {}
    for spec in EVENTS.fields:
        if spec.field is None or spec.name in ("start", "end", "approximate"):
            continue
        column = cols.get(spec.name)
        if spec.kind is IDS:
            lists[spec.field] = _id_lists(column, n, known.get(spec.refers or ""))
            shared[spec.field] = lists[spec.field].distinct()
        elif spec.kind is not TEXT:
            raise _Unread
        elif spec.name in ("id", "title"):
            texts[spec.field] = _required(column)
        elif spec.name in ("summary", "note"):
            texts[spec.field] = _texts(column, n)
        else:
            shared[spec.field] = _shared_texts(column, n)
    category = shared["category"]
    starts, start_at = _dates(cols["start"], required=True)
    end_column = cols.get("end")
    ends, end_at = (_NO_END, np.zeros(n, np.int64)) if end_column is None else _dates(end_column)
    ranged = starts.ranged[start_at]
    has_end = ends.present[end_at]
    if (ranged & has_end).any():
        raise _Unread  # a range in start and an end as well
    precision = starts.precision
    lower = starts.lower[start_at]
    # Where the start is a range, its end is the event's end.
    upper = np.where(has_end, ends.upper[end_at], starts.covered_upper[start_at])
    if (has_end & (upper <= lower)).any():
        raise _Unread  # an end before its start: the long way says which
    if "precision" in cols:
        stated = _stated_precision(cols["precision"], n)
        if stated is not None:
            said = stated >= 0
            if (said & (stated != precision[start_at])).any():
                raise _Unread  # a stated precision the start contradicts: a warning
    approximate = _flags(cols.get("approximate"), n)
    approximate |= starts.approximate[start_at]
    shared["start"] = (starts.dates, start_at)  # type: ignore[assignment]
    if ranged.any():
        # A range's end is its start's: one distinct end per (start, end) pair seen.
        m = len(ends.dates)
        pairs = start_at * m + end_at
        distinct_pairs, pair_at = np.unique(pairs, return_inverse=True)
        shared["end"] = (
            [
                ends.dates[p % m] if ends.dates[p % m] is not None else starts.range_ends[p // m]
                for p in distinct_pairs.tolist()
            ],
            pair_at.reshape(-1).astype(np.int64, copy=False),
        )
    else:
        shared["end"] = (ends.dates, end_at)  # type: ignore[assignment]
    extra = _extras(own, n) if own else None
    events = LazyEvents(texts, shared, approximate, extra)
    # The ids in sorted order, for lookups by id; neighbours equal there are a
    # duplicate id, which the long way reports with both rows.
    by_id = events.index_by_id()
    if by_id.has_duplicates():
        raise _Unread
    if _evidence_to_give(shared, texts["note"]):
        raise _Unread  # a warning to give, with the row it is on
    order = _date_order(starts, start_at, by_id.rows_by_id())
    ended = has_end | ranged  # a range in start gives the event its end too
    rows = _row_arrays(category, lists["places"], ended, approximate, precision[start_at])
    arrays = EventArrays(lower, upper, precision[start_at], order, rows)
    return events, arrays


def _extras(own: list[tuple[str, pa.ChunkedArray]], n: int) -> list[tuple[tuple[str, str], ...]]:
    """Each row's cells in the user's own columns, as (name as written, text): what the
    long way keeps in Event.extra. A null (Parquet) is a cell the row does not have."""
    cells = []
    for name, column in own:
        values = column.to_pylist()
        shared: dict[str, tuple[str, str]] = {}  # one pair per distinct text
        cells.append(
            [
                None if value is None else shared.setdefault(text, (name, text))
                for value, text in zip(values, map(cell_text, values), strict=True)
            ]
        )
    if len(cells) == 1 and None not in cells[0]:
        return [(pair,) for pair in cells[0]]  # type: ignore[misc]
    return [tuple(p for p in row if p is not None) for row in zip(*cells, strict=True)]


def _evidence_to_give(shared: dict[str, tuple[list[Any], np.ndarray]], notes: pa.Array) -> bool:
    """Whether flags.evidence_problems would find anything, from the columns: a
    confidence word the legend does not know, or a background event (a tag) with
    no note."""
    import pyarrow.compute as pc

    known = {f.key for f in flags.CONFIDENCES}
    if any(c and c.strip().casefold() not in known for c in shared["confidence"][0]):
        return True
    lists, at = shared["tags"]
    background = [any(t.casefold() == flags.BACKGROUND_TAG for t in tags) for tags in lists]
    if not any(background):
        return False
    tagged = np.array(background, bool)[at]
    no_note = np.asarray(pc.equal(pc.utf8_length(notes), 0), bool)
    return bool((tagged & no_note).any())


def _date_order(starts: DistinctDates, start_at: np.ndarray, by_id: np.ndarray) -> np.ndarray:
    """Indices in Event.sort_key order: start, coarser first, then id.

    The distinct starts are ranked (equal dates written two ways share a rank);
    the rows, taken in id order (``by_id``), are then sorted stably by their
    start's rank: a radix sort over small integers, not a sort of three keys."""
    d = np.lexsort((starts.precision, starts.lower))
    lower, precision = starts.lower[d], starts.precision[d]
    new = np.ones(len(d), bool)
    new[1:] = (lower[1:] != lower[:-1]) | (precision[1:] != precision[:-1])
    rank = np.empty(len(d), np.int64)
    rank[d] = np.cumsum(new) - 1
    kind = np.uint16 if len(d) <= 1 << 16 else np.int64
    ranks = rank.astype(kind)[start_at[by_id]]
    return by_id[np.argsort(ranks, kind="stable")]  # type: ignore[no-any-return]


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.types as t

    kind = column.type
    if t.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if t.is_null(kind):
        return pa.chunked_array([pa.nulls(len(column), pa.string())])
    if t.is_large_string(kind):
        return column.cast(pa.string())
    if not t.is_string(kind):
        raise _Unread  # a number or a date where text belongs: converted the long way
    return column


# The bytes a character str.isspace() holds can begin and end with in UTF-8: ASCII
# up to the space (tab, newlines, \x1c-\x1f), and U+0085, U+00A0, U+1680,
# U+2000-U+200A, U+2028, U+2029, U+202F, U+205F and U+3000 (tested over every
# code point). A text whose first and last bytes are neither cannot need stripping.
_SPACE_FIRST = np.zeros(256, bool)
_SPACE_FIRST[[*range(0x21), 0xC2, 0xE1, 0xE2, 0xE3]] = True
_SPACE_LAST = np.zeros(256, bool)
_SPACE_LAST[[*range(0x21), *range(0x80, 0x8B), 0x9F, 0xA0, 0xA8, 0xA9, 0xAF]] = True


def _offsets(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string array's offsets (one more than its length) and its bytes, as numpy."""
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], np.int32, len(array) + 1, array.offset * 4)
    data = np.frombuffer(buffers[2], np.uint8) if buffers[2] is not None else np.zeros(0, np.uint8)
    return offsets, data


def _may_need_strip(array: pa.Array) -> np.ndarray:
    """The rows whose text may start or end with a space: a look at two bytes each."""
    offsets, data = _offsets(array)
    lo, hi = offsets[:-1], offsets[1:]
    filled = np.flatnonzero(hi > lo)
    edge = _SPACE_FIRST[data[lo[filled]]] | _SPACE_LAST[data[hi[filled] - 1]]
    return filled[edge]


def _stripped(column: pa.ChunkedArray) -> pa.Array:
    """The column as one array, each text as str.strip() leaves it."""
    import pyarrow as pa

    array = column.combine_chunks()
    # Python's own rule is applied to the few texts whose edge bytes could be a
    # space: a regex over whole texts (a million summaries) costs a second.
    suspects = array.take(pa.array(_may_need_strip(array))).to_pylist()
    if any(v is not None and v.strip() != v for v in suspects):
        # Rare: stripped in Python, by the very rule the row reader uses.
        values = array.to_pylist()
        return pa.array([v.strip() if v is not None else None for v in values], pa.string())
    return array


def _required(column: pa.ChunkedArray | None) -> pa.Array:
    if column is None:
        raise _Unread
    column = _as_text(column)
    if column.null_count:
        raise _Unread
    values = _stripped(column)
    if len(values) and np.diff(_offsets(values)[0]).min() == 0:
        raise _Unread
    return values


def _texts(column: pa.ChunkedArray | None, n: int) -> pa.Array:
    import pyarrow as pa

    if column is None:
        return pa.array([""], pa.string()).take(pa.array(np.zeros(n, np.int64)))
    column = _as_text(column)
    if column.null_count:
        column = column.fill_null("")
    return _stripped(column)


def _encoded_array(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """The column's distinct values (nulls as one of them) and each row's index among them."""
    import pyarrow as pa

    encoded = column.combine_chunks().dictionary_encode(null_encoding="encode")
    if not isinstance(encoded, pa.DictionaryArray):
        raise _Unread
    # Nulls are encoded as a value of their own: the indices have none to fill.
    indices = encoded.indices
    if indices.null_count:
        indices = indices.fill_null(0)
    return encoded.dictionary, np.asarray(indices).astype(np.int64, copy=False)


def _stored_text(column: pa.ChunkedArray) -> bool:
    """Whether the column is text encoded by the file it was read from (Parquet)."""
    import pyarrow.types as t

    kind = column.type
    return t.is_dictionary(kind) and (
        t.is_string(kind.value_type) or t.is_large_string(kind.value_type)
    )


def _stored_array(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """_encoded_array() of a dictionary-encoded text column, from its own dictionary."""
    import pyarrow as pa

    combined = column.unify_dictionaries().combine_chunks()
    distinct = combined.dictionary
    indices = combined.indices
    if indices.null_count:
        distinct = pa.concat_arrays([distinct, pa.nulls(1, distinct.type)])
        indices = indices.fill_null(len(distinct) - 1)
    return distinct, np.asarray(indices).astype(np.int64, copy=False)


def _stored(column: pa.ChunkedArray) -> tuple[list[Any], np.ndarray]:
    distinct, at = _stored_array(column)
    return distinct.to_pylist(), at


def _encoded(column: pa.ChunkedArray) -> tuple[list[Any], np.ndarray]:
    """The column's distinct values and each row's index among them (nulls as None)."""
    distinct, at = _encoded_array(column)
    return distinct.to_pylist(), at


def _shared_texts(column: pa.ChunkedArray | None, n: int) -> tuple[list[str], np.ndarray]:
    """A column whose values repeat (a category): its distinct texts (stripped: each
    once) and each row's index among them."""
    if column is None:
        return [""], np.zeros(n, np.int64)
    distinct, at = _encoded(_as_text(column))
    texts = ["" if v is None else v.strip() for v in distinct]
    unique = list(dict.fromkeys(texts))
    if len(unique) < len(texts):  # "a" and "a ": one text
        where = {text: i for i, text in enumerate(unique)}
        at = np.array([where[t] for t in texts], np.int64)[at]
    return unique, at


def _row_arrays(
    category: tuple[list[str], np.ndarray],
    places: IdLists,
    has_end: np.ndarray,
    approximate: np.ndarray,
    precision: np.ndarray,
) -> RowArrays:
    """What arrays_of() would find in the events, from the distinct values and codes."""
    from .dates import Precision

    return RowArrays(
        category=category[1],
        categories=category[0],
        has_end=has_end,
        approximate=approximate,
        no_day=precision < int(Precision.DAY),
        place_start=places.start,
        place_code=places.code,
        place_keys=places.ids,
    )


def _dates(column: pa.ChunkedArray, required: bool = False) -> tuple[DistinctDates, np.ndarray]:
    """The distinct dates of a column, each text read once as parse_date() reads it,
    and the index of each row's."""
    distinct, at = _stored(column) if _stored_text(column) else _encoded(_as_text(column))
    try:
        read = read_distinct(distinct)
    except DateError:
        raise _Unread from None
    if required and not read.present.all():
        raise _Unread  # an event without a start: the long way says which
    return read, at


def _stated_precision(column: pa.ChunkedArray, n: int) -> np.ndarray | None:
    """The precision each row states (-1 for none), as Precision values."""
    from .dates import Precision

    distinct, at = _encoded(_as_text(column))
    codes = []
    for text in distinct:
        word = "" if text is None else text.strip().lower()
        if not word:
            codes.append(-1)
            continue
        found = next((p for p in Precision if p.label == word), None)
        if found is None:
            raise _Unread
        codes.append(int(found))
    if all(code == -1 for code in codes):
        return None
    return np.array(codes, np.int8)[at]


def _flags(column: pa.ChunkedArray | None, n: int) -> np.ndarray:
    import pyarrow.types as t

    if column is None:
        return np.zeros(n, bool)
    if t.is_boolean(column.type):
        return np.asarray(column.fill_null(False).to_numpy(zero_copy_only=False), bool)
    distinct, at = _encoded(_as_text(column))
    words = []
    for text in distinct:
        flag = False if text is None else yes_or_no(text)
        if flag is None:
            raise _Unread
        words.append(flag)
    return np.array(words, bool)[at]


@dataclass(frozen=True)
class IdLists:
    """A column of lists of ids, as codes: row i names
    ``ids[code[start[i]:start[i + 1]]]`` (each id stripped, empty ones dropped, as
    split_list() reads a cell); ``ids`` are the distinct ids, first seen first.
    ``by_text``: the same for each distinct text of a text column, and each row's
    index among them (the distinct lists are then theirs)."""

    ids: list[str]
    start: np.ndarray
    code: np.ndarray
    by_text: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def distinct(self) -> tuple[list[tuple[str, ...]], np.ndarray]:
        """One tuple per distinct list, and each row's index among them.

        A list column's rows' codes, as the bytes of int32s, are one binary value
        each: Arrow's hashing finds the distinct lists.
        """
        if self.by_text is not None:
            start, code, at = self.by_text
            return _tuples(self.ids, start, code), at
        import pyarrow as pa

        n = len(self.start) - 1
        code = self.code.astype(np.int32)
        offsets = self.start * 4
        blobs = pa.Array.from_buffers(
            pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(code)]
        )
        encoded = blobs.dictionary_encode()
        at = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        dictionary = encoded.dictionary
        m = len(dictionary)
        buffers = dictionary.buffers()
        bounds = np.frombuffer(buffers[1], np.int64, m + 1, dictionary.offset * 8) // 4
        data = buffers[2]
        flat = np.frombuffer(data, np.int32, int(bounds[-1])) if data is not None else code[:0]
        return _tuples(self.ids, bounds, flat), at


def _tuples(ids: list[str], bounds: np.ndarray, flat: np.ndarray) -> list[tuple[str, ...]]:
    """The lists ``ids[flat[bounds[j]:bounds[j + 1]]]`` as tuples, built a length at a
    time by zip() over columns of ids, never by a Python step per list."""
    lengths = np.diff(bounds)
    keys = np.empty(len(ids), dtype=object)
    keys[:] = ids
    lists: list[tuple[str, ...]] = [()] * len(lengths)
    for length in np.unique(lengths).tolist():
        if length == 0:
            continue
        which = np.flatnonzero(lengths == length)
        first = bounds[:-1][which]
        columns = [keys[flat[first + k]].tolist() for k in range(length)]
        for i, found in zip(which.tolist(), zip(*columns, strict=True), strict=True):
            lists[i] = found
    return lists


def _id_lists(
    column: pa.ChunkedArray | None, n: int, known: Mapping[str, object] | None
) -> IdLists:
    """Lists of ids (a list column, or "a; b" text) as codes; with ``known``, every
    id must be in it, and its key string is shared."""
    import pyarrow.compute as pc
    import pyarrow.types as t

    if column is None:
        return IdLists([], np.zeros(n + 1, np.int64), np.zeros(0, np.int64))
    kind = column.type
    if t.is_list(kind) or t.is_large_list(kind):
        value_type = kind.value_type
        if t.is_dictionary(value_type):
            value_type = value_type.value_type
        if not (t.is_string(value_type) or t.is_large_string(value_type)):
            raise _Unread
        ids, start, code = _list_codes(column.combine_chunks(), known)
        return IdLists(ids, start, code)
    # Text: each distinct text split once (a million cells hold a hundred thousand),
    # as split_list() does (re.split on "[;,]"): one separator, then the split.
    texts, at = _stored_array(column) if _stored_text(column) else _encoded_array(_as_text(column))
    ids, text_start, text_code = _list_codes(
        pc.split_pattern(pc.replace_substring(texts, ",", ";"), ";"), known
    )
    # Row i holds its text's codes: gathered by offsets, in one pass.
    text_length = np.diff(text_start)
    lengths = text_length[at]
    start = np.zeros(n + 1, np.int64)
    np.cumsum(lengths, out=start[1:])
    within = np.arange(start[-1], dtype=np.int64) - np.repeat(start[:-1], lengths)
    code = text_code[np.repeat(text_start[:-1][at], lengths) + within]
    return IdLists(ids, start, code, (text_start, text_code, at))


def _list_codes(
    lists: pa.Array, known: Mapping[str, object] | None
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """A list array's ids, each list's offsets and codes (see IdLists)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as t

    n = len(lists)
    # A null list (or cell) names nothing.
    lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
    values = pc.list_flatten(lists)
    if values.null_count:
        raise _Unread  # a null id inside a list
    if t.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    # Hashed in the rows' order: the distinct ids come first seen first, as
    # arrays_of() numbers them, and stay so when stripped and merged below.
    encoded = values.dictionary_encode()
    if not isinstance(encoded, pa.DictionaryArray):
        raise _Unread
    raw = encoded.dictionary
    # Each distinct id stripped by Python's own rule (a few hundred, not a million).
    stripped = [("" if v is None else v).strip() for v in raw.to_pylist()]
    ids = list(dict.fromkeys(s for s in stripped if s))
    where = {key: i for i, key in enumerate(ids)}
    remap = np.array([where.get(s, -1) for s in stripped], np.int64)
    code = remap[encoded.indices.to_numpy(zero_copy_only=False)]
    start = np.zeros(n + 1, np.int64)
    np.cumsum(lengths, out=start[1:])
    if len(ids) < len(stripped):
        kept = code >= 0
        if not kept.all():  # empty ids dropped, each list's count of them taken off
            rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
            np.cumsum(np.bincount(rows[kept], minlength=n), out=start[1:])
            code = code[kept]
    if known is not None:
        own = {key: key for key in known}
        try:
            ids = list(map(own.__getitem__, ids))
        except KeyError:
            raise _Unread from None
    return ids, start, code


def columnar_dataset(
    events: pa.Table,
    tables: dict[str, Table],
    title: str = "",
    description: str = "",
    label: str = "",
    header_row: int = 1,
) -> tuple[Dataset, Problems] | None:
    """The dataset from its other sheets (``tables``, read as rows) and its events
    table read as columns (from ``label``, its header on ``header_row``), with the
    problems found; None when the events need the long way (nothing is then
    reported: the caller reads it all again)."""
    found: list[EventArrays] = []
    problems = Problems()
    # The events sheet is checked first, as the long way checks the sheets in order:
    # the user's own columns are kept, with a word.
    check_header(Table(label, list(events.column_names), header_row=header_row), EVENTS, problems)

    def read_events(places: Mapping[str, object], sources: Mapping[str, object]) -> Sequence[Event]:
        built = events_from_arrow(events, places, sources)
        if built is None:
            raise _Unread
        found.append(built[1])
        return built[0]

    try:
        dataset = build_dataset(tables, problems, title, description, read_events=read_events)
    except _Unread:
        return None
    keep_arrays(dataset, found[0])
    # Arrow's allocator keeps the pages the columns were read into for its next
    # allocation: a million events' file would stay resident, unused, for the session.
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    return dataset, problems

"""Events held as columns, each built only when something asks for it.

The column reader (event_columns) checks a whole table without building one
Python object per row; building them all would cost seconds and most of the
memory of a million events, and the views read arrays instead (row_arrays,
the spans, the date order). ``LazyEvents`` is the event list such a dataset
holds: a read-only sequence over the columns (texts as Arrow arrays, the
values that repeat as codes into their distinct values) that builds the
events of a small block of rows the first time one of them is asked for and
keeps them, so the same row always gives the same Event. Walking it builds
them all, as reading the table row by row would have: writers, editors and
exports work as on any list.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any, overload

from .model import EVENT_FIELDS, Event, events_from_columns

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# Rows built together: one lookup builds its few neighbours too (cheap beside
# the call; the timeline's labels ask for a few hundred scattered events), and a
# walk over every event pays the per-block overhead once per block.
BLOCK = 32


class _Events(Sequence[Event]):
    """A read-only sequence of events that compares equal to a list of the same events."""

    def _one(self, index: int) -> Event:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> list[Event]: ...
    def __getitem__(self, index: int | slice) -> Event | list[Event]:
        n = len(self)
        if isinstance(index, slice):
            return [self._one(i) for i in range(*index.indices(n))]
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("event index out of range")
        return self._one(index)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


class LazyEvents(_Events):
    """Every event of a table read as columns, in the table's order."""

    def __init__(
        self,
        texts: dict[str, pa.Array],
        shared: dict[str, tuple[list[Any], np.ndarray]],
        approximate: np.ndarray,
        extra: list[tuple[tuple[str, str], ...]] | None = None,
    ) -> None:
        # texts: field -> a string array without nulls (id, title, summary, note);
        # shared: field -> (distinct values, each row's index among them).
        self._texts = texts
        self._shared = shared
        self._approximate = approximate
        self._extra = extra
        self._n = len(approximate)
        self._blocks: dict[int, list[Event]] = {}
        self._ids: list[str] | None = None
        self._by_id: IdIndex | None = None

    def __len__(self) -> int:
        return self._n

    def _one(self, index: int) -> Event:
        return self._block(index // BLOCK)[index % BLOCK]

    def _block(self, b: int) -> list[Event]:
        found = self._blocks.get(b)
        if found is None:
            lo = b * BLOCK
            found = self._blocks[b] = events_from_columns(
                self._columns(lo, min(lo + BLOCK, self._n))
            )
        return found

    def _columns(self, lo: int, hi: int) -> Iterator[Any]:
        """One iterable per Event field, in field order, for rows lo..hi."""
        for name in EVENT_FIELDS:
            if name in self._texts:
                yield self._texts[name].slice(lo, hi - lo).to_pylist()
            elif name in self._shared:
                distinct, codes = self._shared[name]
                yield list(map(distinct.__getitem__, codes[lo:hi].tolist()))
            elif name == "approximate":
                yield self._approximate[lo:hi].tolist()
            elif name == "extra":
                yield self._extra[lo:hi] if self._extra is not None else repeat((), hi - lo)
            else:  # pragma: no cover - every field is given by the reader
                raise KeyError(name)

    def __iter__(self) -> Iterator[Event]:
        for b in range((self._n + BLOCK - 1) // BLOCK):
            yield from self._block(b)

    def __add__(self, other: Sequence[Event]) -> list[Event]:
        return [*self, *other]

    def __radd__(self, other: Sequence[Event]) -> list[Event]:
        return [*other, *self]

    def __repr__(self) -> str:
        return f"<LazyEvents: {self._n} events, {self.built()} built>"

    def built(self) -> int:
        """How many events have been built so far."""
        return sum(map(len, self._blocks.values()))

    # -- columns, read without building events -------------------------------

    def ids(self) -> list[str]:
        """Every event's id, in order (kept: the views share one list of them)."""
        if self._ids is None:
            self._ids = self._texts["id"].to_pylist()
        return self._ids

    def codes(self, name: str) -> tuple[list[Any], np.ndarray] | None:
        """A repeating field's distinct values and each row's index among them."""
        return self._shared.get(name)

    def index_by_id(self) -> IdIndex:
        """Every event by id, looked up without building the others."""
        if self._by_id is None:
            self._by_id = IdIndex(self)
        return self._by_id

    def row_of(self, event_id: str) -> int | None:
        return self.index_by_id().row(event_id)


class IdIndex(Mapping[str, Event]):
    """Ids in sorted order, searched by halves: a dict of a million ids would hold
    as much memory again as the ids themselves."""

    def __init__(self, events: LazyEvents) -> None:
        import numpy as np
        import pyarrow.compute as pc

        self._events = events
        # Arrow compares strings by UTF-8 bytes: code point order, as Python does.
        self._sorted = np.asarray(pc.sort_indices(events._texts["id"]))

    def has_duplicates(self) -> bool:
        """Whether an id is held by two rows (they sort next to each other)."""
        import pyarrow.compute as pc

        ids = self._events._texts["id"].take(self._sorted)
        if len(ids) < 2:
            return False
        same = pc.equal(ids.slice(1), ids.slice(0, len(ids) - 1))
        return bool(pc.any(same).as_py())

    def rows_by_id(self) -> np.ndarray:
        """The rows in the order of their ids (as Python sorts strings)."""
        return self._sorted

    def row(self, event_id: object) -> int | None:
        if not isinstance(event_id, str):
            return None
        ids = self._events.ids()
        at = bisect_left(self._sorted, event_id, key=ids.__getitem__)
        if at < len(self._sorted):
            row = int(self._sorted[at])
            if ids[row] == event_id:
                return row
        return None

    def __getitem__(self, event_id: str) -> Event:
        row = self.row(event_id)
        if row is None:
            raise KeyError(event_id)
        return self._events[row]

    def __contains__(self, event_id: object) -> bool:
        return self.row(event_id) is not None

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[str]:
        return iter(self._events.ids())


class InOrder(_Events):
    """A dataset's events in another order (its date order), built as they are read."""

    def __init__(self, events: LazyEvents, rows: np.ndarray) -> None:
        self._events = events
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def _one(self, index: int) -> Event:
        return self._events[int(self._rows[index])]

    def __iter__(self) -> Iterator[Event]:
        return map(self._events.__getitem__, self._rows.tolist())

    def ids(self) -> list[str]:
        import numpy as np

        # Gathered by numpy over an object array: twice as fast as by the list's
        # own indexing for a million rows taken out of order.
        every = np.empty(len(self._events), dtype=object)
        every[:] = self._events.ids()
        return every[self._rows].tolist()  # type: ignore[no-any-return]

    def codes(self, name: str) -> tuple[list[Any], np.ndarray] | None:
        found = self._events.codes(name)
        return None if found is None else (found[0], found[1][self._rows])


def event_ids(events: Sequence[Event]) -> list[str]:
    """Every event's id, in order: from the id column when the events are lazy."""
    ids = getattr(events, "ids", None)
    if ids is not None:
        return ids()  # type: ignore[no-any-return]
    return [e.id for e in events]


def field_codes(events: Sequence[Event], name: str) -> tuple[list[Any], np.ndarray] | None:
    """A repeating field's distinct values and each event's index among them, when the
    events are lazy (None: read the events)."""
    codes = getattr(events, "codes", None)
    return None if codes is None else codes(name)  # type: ignore[no-any-return]

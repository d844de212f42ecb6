"""The same queries on any engine ibis reaches: Spark, Trino, BigQuery, ClickHouse, DuckDB ...

A source is named by a connection URL, as ibis reads it, and the table after
``#``: ``trino://user@host:8080/hive/events#acled``,
``pyspark://?spark.master=local[2]#/data/acled.parquet`` (a Parquet path is
read by the engine itself). The queries are the DuckDB engine's, written once
as ibis expressions, so every engine gives the same counts. ibis, and each
engine's driver, are imported only here and only when a URL is opened.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from ..formats.parquet_file import first_line, is_native_events, stem
from .base import Engine, Filter, SideTables, parquet_sides, side_tables
from .duck import SAMPLE_ROWS
from .layout import DATE, ISO, PATTERN, TIMESTAMP, YEAR, DateColumn, Layout, layout_of
from .query import DEFAULT_TIMEOUT, Bins, EngineError

if TYPE_CHECKING:
    import pyarrow as pa

# Engines reached over the network, with their usual ports: checked before a
# driver is asked, which may wait minutes for a host that is not there.
NETWORK_PORTS = {
    "trino": 8080,
    "clickhouse": 8123,
    "postgres": 5432,
    "postgresql": 5432,
    "mysql": 3306,
    "mssql": 1433,
    "druid": 8082,
    "impala": 21050,
    "risingwave": 4566,
    "exasol": 8563,
    "oracle": 1521,
}
REACH_TIMEOUT = 5.0


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    user = f"{parts.username}:***@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}{host}{port}", parts.path, parts.query, ""))


def check_reachable(url: str) -> None:
    """EngineError (one line) when a network engine's host does not answer."""
    parts = urlsplit(url)
    default = NETWORK_PORTS.get(parts.scheme)
    if default is None or not parts.hostname:
        return
    try:
        port = parts.port or default
    except ValueError:
        raise EngineError(f"{_safe_url(url)}: the port is not a number") from None
    try:
        with socket.create_connection((parts.hostname, port), timeout=REACH_TIMEOUT):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise EngineError(
            f"{parts.scheme}://{parts.hostname}:{port}: cannot reach the engine ({reason}): "
            "check the host and port, and that the engine is running"
        ) from None


def open_url(url: str, timeout: float | None = DEFAULT_TIMEOUT) -> PortableEngine:
    """An engine for ``SCHEME://...#TABLE`` through ibis."""
    base, _, table = url.partition("#")
    scheme = urlsplit(base).scheme
    shown = _safe_url(base)
    check_reachable(base)
    try:
        import ibis
    except ImportError:
        raise EngineError(
            f"{shown}: engine URLs need ibis: pip install 'ibis-framework[{scheme}]'"
        ) from None
    try:
        backend = _spark(base) if scheme == "pyspark" else ibis.connect(base)
    except ModuleNotFoundError as exc:
        raise EngineError(
            f"{shown}: the {scheme} engine needs its driver ({exc.name}): "
            f"pip install 'ibis-framework[{scheme}]'"
        ) from None
    except Exception as exc:  # noqa: BLE001  (drivers raise anything; the user needs one line)
        raise EngineError(f"{shown}: cannot connect: {first_line(exc)}") from None
    try:
        return PortableEngine.of(backend, table, shown, timeout)
    except EngineError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise EngineError(
            f"{shown}: cannot open {table or 'the table'}: {first_line(exc)}"
        ) from None


def _spark(url: str) -> Any:
    """ibis on a Spark session built from the URL's settings (``?spark.master=local[2]``).

    Built here rather than by ``ibis.connect``, which also sets each setting on the
    running session, and Spark refuses that for settings fixed at start.
    """
    import ibis
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("chronomap")
    for key, value in parse_qsl(urlsplit(url).query):
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(session)


def date_bounds(column: Any, how: str, pattern: str = "") -> tuple[Any, Any]:
    """ibis expressions for the first instant of a date's span and the first after it."""
    import ibis

    if how == ISO:
        s = column.cast("string").strip()
        n = s.length()
        padded = ibis.cases((n == 4, s + "-01-01"), (n == 7, s + "-01"), else_=s.replace("T", " "))
        ts = padded.try_cast("timestamp").truncate("m")
        after = ibis.cases(
            (n == 4, ts + ibis.interval(years=1)),
            (n == 7, ts + ibis.interval(months=1)),
            (n == 10, ts + ibis.interval(days=1)),
            else_=ts + ibis.interval(minutes=1),
        )
        return ts.epoch_seconds().cast("float64"), after.epoch_seconds().cast("float64")
    if how == DATE:
        low = column.cast("timestamp").epoch_seconds().cast("float64")
        return low, low + 86400
    if how == PATTERN:
        day = column.cast("string").strip().as_timestamp(pattern)
        low = day.epoch_seconds().cast("float64")
        return low, low + 86400
    if how == TIMESTAMP:
        low = column.truncate("m").epoch_seconds().cast("float64")
        day = (column.hour() == 0) & (column.minute() == 0)
        return low, low + ibis.cases((day, 86400), else_=60)
    assert how == YEAR
    year = column.try_cast("int32")
    first = ibis.date(year, 1, 1).cast("timestamp").epoch_seconds().cast("float64")
    following = ibis.date(year + 1, 1, 1).cast("timestamp").epoch_seconds().cast("float64")
    return first, following


def derived(table: Any, layout: Layout) -> Any:
    """The table with the derived columns every query reads (see duck.columns_sql)."""
    import ibis

    def bounds(column: DateColumn) -> tuple[Any, Any]:
        return date_bounds(table[column.name], column.how, column.pattern)

    if layout.spans is not None:
        low, high = (table[c].cast("float64") for c in layout.spans)
    else:
        low, high = bounds(layout.start)
        if layout.end is not None:
            high = ibis.coalesce(bounds(layout.end)[1], high)
    empty = ibis.literal("")
    parts = [table[c].cast("string").fill_null("") for c in layout.texts]
    parts += [table[c].join("\n").fill_null("") for c in layout.lists]
    columns: dict[str, Any] = {
        "cm_lo": low,
        "cm_hi": high,
        "cm_cat": (
            table[layout.category].cast("string").strip().fill_null("")
            if layout.category
            else empty
        ),
        "cm_text": ibis.literal("\n").join(parts).lower() if parts else empty,
    }
    if layout.native:
        none = ibis.literal([], type="array<string>")
        columns["cm_places"] = table[layout.places].unique() if layout.places else none
        columns["cm_sources"] = table[layout.sources] if layout.sources else none
    else:
        columns["cm_place"] = (
            table[layout.place].cast("string").strip().fill_null("") if layout.place else empty
        )
        nothing = ibis.null().cast("float64")
        columns["cm_lat"] = table[layout.lat].try_cast("float64") if layout.lat else nothing
        columns["cm_lon"] = table[layout.lon].try_cast("float64") if layout.lon else nothing
    return table.mutate(**columns)


def _ids(ids: tuple[str, ...]) -> Any:
    import ibis

    return ibis.literal(list(ids), type="array<string>")


def predicates(t: Any, where: Filter, native: bool) -> list[Any]:
    """The filter as ibis predicates (see duck.where_sql)."""
    found: list[Any] = []
    if where.low is not None:
        found.append(t.cm_hi > where.low)
    if where.high is not None:
        found.append(t.cm_lo < where.high)
    if where.hidden:
        found.append(~t.cm_cat.isin(list(where.hidden)))
    for term in where.terms:
        match = t.cm_text.contains(term.text)
        if term.places:
            match |= t.cm_places.intersect(_ids(term.places)).length() > 0
        if term.sources:
            match |= t.cm_sources.intersect(_ids(term.sources)).length() > 0
        found.append(match)
    if where.box is not None:
        if native:
            found.append(t.cm_places.intersect(_ids(where.box_places or ())).length() > 0)
        else:
            box = where.box
            found.append(t.cm_lat.between(box.south, box.north))
            if box.west <= box.east:
                found.append(t.cm_lon.between(box.west, box.east))
            else:
                found.append((t.cm_lon >= box.west) | (t.cm_lon <= box.east))
    return found


class PortableEngine(Engine):
    """An engine over a table of any backend ibis connects to."""

    def __init__(
        self,
        backend: Any,
        table: Any,
        label: str,
        side: SideTables,
        title: str,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        self.backend = backend
        self.timeout = timeout
        sample = table.limit(SAMPLE_ROWS).to_pyarrow()
        schema = sample.schema
        layout = layout_of(schema, label, sample)
        super().__init__(layout, label, side, title)
        self._own = list(schema.names)
        self.t = derived(table, layout)

    @classmethod
    def of(
        cls, backend: Any, table: str, label: str, timeout: float | None = DEFAULT_TIMEOUT
    ) -> PortableEngine:
        """The engine for a table of ``backend``: a table name, or a Parquet path the
        backend reads (a native one with its places and sources beside it)."""
        if table.lower().endswith(".parquet"):
            path = Path(table)
            events = backend.read_parquet(
                str(path), table_name=f"cm_{stem(path)}".replace(".", "_")
            )
            side = SideTables()
            if is_native_events(events.columns):
                side = parquet_sides(path)
            return cls(backend, events, f"{label}#{table}", side, stem(path), timeout)
        names = {n.lower(): n for n in backend.list_tables()}
        if not table:
            if "events" in names:
                table = names["events"]
            elif len(names) == 1:
                table = next(iter(names.values()))
            else:
                listed = ", ".join(names.values()) or "none"
                raise EngineError(f"{label}: name the table after '#' (there are: {listed})")
        events = backend.table(table)
        side = SideTables()
        if is_native_events(events.columns):
            got = {
                s: backend.table(names[s]).to_pyarrow() for s in ("places", "sources") if s in names
            }
            labels = {s: f"{label}#{s}" for s in ("places", "sources")}
            side = side_tables(got.get("places"), got.get("sources"), labels)
        return cls(backend, events, f"{label}#{table}", side, table, timeout)

    # -- running, with a time limit ------------------------------------------

    def _run(self, work: Any) -> Any:
        """``work()``'s result; EngineError when it fails or takes longer than the time-out
        (the engine is then asked to cancel what it runs)."""
        result: list[Any] = []
        failure: list[BaseException] = []

        def target() -> None:
            try:
                result.append(work())
            except BaseException as exc:  # noqa: BLE001  (handed to the caller below)
                failure.append(exc)

        worker = threading.Thread(target=target, daemon=True, name="chronomap-query")
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            self._cancel()
            raise EngineError(
                f"{self.label}: the query took longer than {self.timeout:g} s and was stopped: "
                "narrow the time window, the map or the search"
            )
        if failure:
            raise EngineError(f"{self.label}: the query failed: {first_line(failure[0])}")
        return result[0]

    def _cancel(self) -> None:
        session = getattr(self.backend, "_session", None)
        if session is not None:  # Spark
            session.sparkContext.cancelAllJobs()
        con = getattr(self.backend, "con", None)
        if con is not None and hasattr(con, "interrupt"):  # DuckDB
            con.interrupt()

    def _filtered(self, where: Filter) -> Any:
        found = predicates(self.t, where, self.layout.native)
        return self.t.filter(*found) if found else self.t

    def _count(self, where: Filter) -> int:
        expr = self._filtered(where).count()
        return int(self._run(expr.execute))

    def _bins(self, where: Filter, bins: Bins) -> list[tuple[int, str, int]]:
        import ibis

        t = self._filtered(where)
        raw = ((t.cm_lo - bins.start) / bins.width).floor()
        index = ibis.greatest(ibis.least(raw, bins.count - 1), 0).cast("int64")
        expr = t.group_by(b=index, c=t.cm_cat).aggregate(n=t.count())
        frame = self._run(expr.to_pyarrow)
        return list(zip(*(frame.column(c).to_pylist() for c in ("b", "c", "n")), strict=True))

    def _place_rows(self, where: Filter) -> list[tuple[str, Any, Any, int]]:
        t = self._filtered(where)
        if self.layout.native:
            held = t.select(p=t.cm_places.unnest())
            if where.box is not None:
                held = held.filter(held.p.isin(list(where.box_places or ())))
            expr = held.group_by("p").aggregate(n=held.count())
            frame = self._run(expr.to_pyarrow)
            places, counts = (frame.column(c).to_pylist() for c in ("p", "n"))
            return [(p, None, None, n) for p, n in zip(places, counts, strict=True)]
        some = (t.cm_place != "") | t.cm_lat.notnull()
        t = t.filter(some)
        expr = t.group_by(p=t.cm_place, lat=t.cm_lat, lon=t.cm_lon).aggregate(n=t.count())
        frame = self._run(expr.to_pyarrow)
        return list(
            zip(*(frame.column(c).to_pylist() for c in ("p", "lat", "lon", "n")), strict=True)
        )

    def _rows(self, where: Filter, limit: int) -> pa.Table:
        t = self._filtered(where)
        keys = [t.cm_lo, t[self.layout.id]] if self.layout.id else [t.cm_lo]
        expr = t.order_by(keys).limit(limit).select(*self._own)
        return self._run(expr.to_pyarrow)

    def _extent(self) -> tuple[float | None, float | None]:
        t = self.t
        frame = self._run(t.aggregate(lo=t.cm_lo.min(), hi=t.cm_hi.max()).to_pyarrow)
        return frame.column("lo")[0].as_py(), frame.column("hi")[0].as_py()

    def _categories(self) -> list[tuple[str, int]]:
        t = self.t
        frame = self._run(t.group_by(c=t.cm_cat).aggregate(n=t.count()).to_pyarrow)
        return list(zip(frame.column("c").to_pylist(), frame.column("n").to_pylist(), strict=True))

    def close(self) -> None:
        """Leave the connection open: a Spark session is shared by its whole process."""

"""The default engine: DuckDB, embedded in the process, reading the file where it lies.

Nothing is loaded: each query scans only the columns it needs from the
Parquet file or the database (opened read-only), with the query's filters
pushed into the scan. Values reach DuckDB as parameters, never as SQL text.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..formats.duckdb_file import events_relation, quoted
from ..formats.parquet_file import first_line, stem
from .base import Engine, Filter, SideTables, parquet_sides, side_tables
from .layout import DATE, ISO, PATTERN, TIMESTAMP, YEAR, DateColumn, Layout, layout_of
from .query import DEFAULT_TIMEOUT, Bins, EngineError

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

NL = "chr(10)"
# Rows a table of another shape shows for finding its columns' roles by their values.
SAMPLE_ROWS = 200


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def date_bounds(column: DateColumn) -> tuple[str, str]:
    """SQL for the first instant of a date column's span and the first after it (epoch s)."""
    c = quoted(column.name)
    if column.how == ISO:
        s = f"trim(CAST({c} AS VARCHAR))"
        ts = (
            f"date_trunc('minute', TRY_CAST(CASE length({s}) WHEN 4 THEN {s} || '-01-01' "
            f"WHEN 7 THEN {s} || '-01' ELSE replace({s}, 'T', ' ') END AS TIMESTAMP))"
        )
        step = (
            f"CASE length({s}) WHEN 4 THEN INTERVAL 1 YEAR WHEN 7 THEN INTERVAL 1 MONTH "
            "WHEN 10 THEN INTERVAL 1 DAY ELSE INTERVAL 1 MINUTE END"
        )
        return f"epoch({ts})", f"epoch({ts} + {step})"
    if column.how == DATE:
        return f"epoch({c})", f"(epoch({c}) + 86400)"
    if column.how == PATTERN:
        day = f"epoch(try_strptime(trim(CAST({c} AS VARCHAR)), {_literal(column.pattern)}))"
        return day, f"({day} + 86400)"
    if column.how == TIMESTAMP:
        # As UTC wall-clock time (without the ICU extension, DuckDB's own zone is UTC).
        c = f"CAST({c} AS TIMESTAMP)"
        low = f"epoch(date_trunc('minute', {c}))"
        day = f"hour({c}) = 0 AND minute({c}) = 0"
        return low, f"({low} + CASE WHEN {day} THEN 86400 ELSE 60 END)"
    assert column.how == YEAR
    year = f"TRY_CAST({c} AS INTEGER)"
    return f"epoch(make_date({year}, 1, 1))", f"epoch(make_date({year} + 1, 1, 1))"


def columns_sql(layout: Layout) -> list[str]:
    """The derived columns every query reads: span, category, search text, whereabouts."""
    if layout.spans is not None:
        low, high = (quoted(c) for c in layout.spans)
    else:
        low, high = date_bounds(layout.start)
        if layout.end is not None:
            high = f"coalesce({date_bounds(layout.end)[1]}, {high})"
    category = "''"
    if layout.category:
        category = f"coalesce(trim(CAST({quoted(layout.category)} AS VARCHAR)), '')"
    parts = [f"CAST({quoted(c)} AS VARCHAR)" for c in layout.texts]
    parts += [f"array_to_string({quoted(c)}, {NL})" for c in layout.lists]
    text = f"lower(concat_ws({NL}, {', '.join(parts)}))" if parts else "''"
    columns = [
        f"{low} AS __lo",
        f"{high} AS __hi",
        category,
        f"{text} AS __text",
    ]
    columns[2] += " AS __cat"
    if layout.native:
        none = "[]::VARCHAR[]"
        places = none
        if layout.places:
            # An event naming a place twice counts there once; list_distinct() only where
            # it can matter, since it costs more than the rest of a count.
            held = quoted(layout.places)
            places = (
                f"CASE WHEN len({held}) < 2 THEN {held} WHEN len({held}) = 2 AND "
                f"{held}[1] <> {held}[2] THEN {held} ELSE list_distinct({held}) END"
            )
        sources = quoted(layout.sources) if layout.sources else none
        columns += [f"{places} AS __places", f"{sources} AS __sources"]
    else:
        place = f"trim(CAST({quoted(layout.place)} AS VARCHAR))" if layout.place else "''"
        lat = f"TRY_CAST({quoted(layout.lat)} AS DOUBLE)" if layout.lat else "NULL::DOUBLE"
        lon = f"TRY_CAST({quoted(layout.lon)} AS DOUBLE)" if layout.lon else "NULL::DOUBLE"
        columns += [f"coalesce({place}, '') AS __place", f"{lat} AS __lat", f"{lon} AS __lon"]
    return columns


def _holds_any(column: str) -> str:
    """SQL: the list column holds one of the ids given as a parameter. A lambda over
    the short list of each row: list_has_any() hashes the parameter for every row,
    ten times slower at a million rows."""
    return f"list_bool_or(list_transform({column}, lambda x: list_contains(?::VARCHAR[], x)))"


def where_sql(where: Filter, native: bool) -> tuple[str, list[Any]]:
    """The filter as a WHERE clause and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if where.low is not None:
        clauses.append("__hi > ?")
        params.append(where.low)
    if where.high is not None:
        clauses.append("__lo < ?")
        params.append(where.high)
    if where.hidden:
        clauses.append("NOT list_contains(?::VARCHAR[], __cat)")
        params.append(list(where.hidden))
    for term in where.terms:
        found = ["contains(__text, ?)"]
        params.append(term.text)
        if term.places:
            found.append(_holds_any("__places"))
            params.append(list(term.places))
        if term.sources:
            found.append(_holds_any("__sources"))
            params.append(list(term.sources))
        clauses.append("(" + " OR ".join(found) + ")")
    if where.box is not None:
        if native:
            clauses.append(_holds_any("__places"))
            params.append(list(where.box_places or ()))
        else:
            box = where.box
            clauses.append("__lat BETWEEN ? AND ?")
            params += [box.south, box.north]
            if box.west <= box.east:
                clauses.append("__lon BETWEEN ? AND ?")
            else:
                clauses.append("(__lon >= ? OR __lon <= ?)")
            params += [box.west, box.east]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class DuckEngine(Engine):
    """An engine over a Parquet file or a table of a DuckDB database, in DuckDB."""

    def __init__(
        self,
        con: Any,
        relation: str,
        label: str,
        side: SideTables,
        title: str,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        import pyarrow as pa

        self.con = con
        self.timeout = timeout
        sample = con.sql(f"SELECT * FROM {relation} LIMIT {SAMPLE_ROWS}").to_arrow_table()
        schema = sample.schema
        layout = layout_of(schema, label, sample)
        super().__init__(layout, label, side, title)
        self.relation = relation
        # The Parquet file read, when it is one (the span index reads it with Arrow).
        self.path: Path | None = None
        self._numbered_view = False
        con.execute(self.view_sql())
        anchors = pa.table(
            {
                "id": [a.id for a in side.places.values()],
                "lat": pa.array([a.lat for a in side.places.values()], pa.float64()),
                "lon": pa.array([a.lon for a in side.places.values()], pa.float64()),
            }
        )
        con.register("__anchors", anchors)
        self._own = [c for c in schema.names]

    def view_sql(self) -> str:
        """The view every query reads: the source with its derived columns."""
        columns = ", ".join(columns_sql(self.layout))
        return f"CREATE TEMP VIEW ev AS SELECT *, {columns} FROM {self.relation}"

    @contextmanager
    def _watch(self) -> Iterator[None]:
        """Stop the running query after the time-out, with one line saying so."""
        import duckdb

        timer = None
        if self.timeout is not None:
            timer = threading.Timer(self.timeout, self.con.interrupt)
            timer.daemon = True
            timer.start()
        try:
            yield
        except duckdb.InterruptException:
            raise EngineError(
                f"{self.label}: the query took longer than {self.timeout:g} s and was stopped: "
                "narrow the time window, the map or the search"
            ) from None
        except duckdb.Error as exc:
            raise EngineError(f"{self.label}: the query failed: {first_line(exc)}") from None
        finally:
            if timer is not None:
                timer.cancel()

    def _all(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with self._watch():
            return self.con.execute(sql, params).fetchall()

    def _count(self, where: Filter) -> int:
        clause, params = where_sql(where, self.layout.native)
        return int(self._all(f"SELECT count(*) FROM ev{clause}", params)[0][0])

    def _bins(self, where: Filter, bins: Bins) -> list[tuple[int, str, int]]:
        clause, params = where_sql(where, self.layout.native)
        sql = (
            "SELECT CAST(least(greatest(floor((__lo - ?) / ?), 0), ?) AS BIGINT) AS b, "
            f"__cat, count(*) FROM ev{clause} GROUP BY ALL"
        )
        return self._all(sql, [bins.start, bins.width, bins.count - 1, *params])  # type: ignore[return-value]

    def _place_rows(self, where: Filter) -> list[tuple[str, Any, Any, int]]:
        clause, params = where_sql(where, self.layout.native)
        if self.layout.native:
            inside = ""
            if where.box is not None:
                inside = " AND list_contains(?::VARCHAR[], p)"
                params = [*params, list(where.box_places or ())]
            held = f"SELECT unnest(__places) AS p FROM ev{clause}"
            sql = (
                f"SELECT p, NULL, NULL, count(*) FROM ({held}) "
                f"WHERE p IN (SELECT id FROM __anchors){inside} GROUP BY p"
            )
        else:
            some = "(__place <> '' OR __lat IS NOT NULL)"
            clause = f"{clause} AND {some}" if clause else f" WHERE {some}"
            sql = f"SELECT __place, __lat, __lon, count(*) FROM ev{clause} GROUP BY ALL"
        return self._all(sql, params)  # type: ignore[return-value]

    def _rows(self, where: Filter, limit: int) -> pa.Table:
        clause, params = where_sql(where, self.layout.native)
        own = ", ".join(quoted(c) for c in self._own)
        order = f"__lo, {quoted(self.layout.id)}" if self.layout.id else "__lo"
        with self._watch():
            return self.con.sql(
                f"SELECT {own} FROM ev{clause} ORDER BY {order} LIMIT ?", params=[*params, limit]
            ).to_arrow_table()

    def _numbered(self) -> str:
        """A view of a Parquet source with each row's number in the file."""
        if not self._numbered_view:
            relation = f"read_parquet({_literal(str(self.path))}, file_row_number = true)"
            columns = ", ".join(columns_sql(self.layout))
            self.con.execute(f"CREATE TEMP VIEW evn AS SELECT *, {columns} FROM {relation}")
            self._numbered_view = True
        return "evn"

    def search_rows(self, where: Filter) -> np.ndarray | None:
        """The numbers of the rows the filter's search finds, in file order (a Parquet
        file's; None for any other source). Only the text columns are read."""
        import numpy as np

        if self.path is None or not where.terms:
            return None
        clause, params = where_sql(Filter(terms=where.terms), self.layout.native)
        with self._watch():
            found = self.con.execute(
                f"SELECT file_row_number FROM {self._numbered()}{clause}", params
            ).fetchnumpy()["file_row_number"]
        return np.sort(np.asarray(found, np.int64))

    def rows_at(self, rows: np.ndarray) -> pa.Table:
        """The source's own columns of these rows (numbers in the Parquet file), in date
        order, and each row's number (``__row``)."""
        own = ", ".join([*(quoted(c) for c in self._own), "file_row_number AS __row"])
        order = f"__lo, {quoted(self.layout.id)}" if self.layout.id else "__lo"
        with self._watch():
            return self.con.sql(
                f"SELECT {own} FROM {self._numbered()} WHERE file_row_number = ANY(?) "
                f"ORDER BY {order}",
                params=[[int(r) for r in rows]],
            ).to_arrow_table()

    def _extent(self) -> tuple[float | None, float | None]:
        low, high = self._all("SELECT min(__lo), max(__hi) FROM ev", [])[0]
        return low, high

    def _categories(self) -> list[tuple[str, int]]:
        return self._all("SELECT __cat, count(*) FROM ev GROUP BY ALL", [])  # type: ignore[return-value]

    def close(self) -> None:
        self.con.close()


def _connect() -> Any:
    import duckdb

    con = duckdb.connect()
    con.execute("SET parquet_metadata_cache = true")
    # Let the allocator's threads hand freed memory back: without them a scan of the
    # text of 10M events leaves the process about 200 MB larger for as long as it runs.
    con.execute("SET allocator_background_threads = true")
    return con


def open_parquet(path: Path, timeout: float | None = DEFAULT_TIMEOUT) -> DuckEngine:
    """An engine over a Parquet file (a native one with its places and sources beside it)."""
    import duckdb

    from ..formats.parquet_file import is_native_events

    label = str(path)
    con = _connect()
    relation = f"read_parquet({_literal(str(path))})"
    try:
        names = con.sql(f"SELECT * FROM {relation} LIMIT 0").to_arrow_table().column_names
        side = SideTables()
        if is_native_events(names):
            side = parquet_sides(path)
        engine = DuckEngine(con, relation, label, side, stem(path), timeout)
        engine.path = path
        return engine
    except duckdb.Error as exc:
        con.close()
        raise EngineError(f"{label}: not a readable Parquet file: {first_line(exc)}") from None
    except EngineError:
        con.close()
        raise


def open_duckdb(
    path: Path, table: str | None = None, timeout: float | None = DEFAULT_TIMEOUT
) -> DuckEngine:
    """An engine over a table or view of a DuckDB database file (opened read-only)."""
    import duckdb

    from ..formats.duckdb_file import relations
    from ..formats.parquet_file import is_native_events

    label = str(path)
    con = _connect()
    try:
        con.execute(f"ATTACH {_literal(str(path))} AS src (READ_ONLY)")
        con.execute("USE src")
        names = relations(con)
        con.execute("USE memory")
        if table is not None:
            if table.lower() not in names:
                listed = ", ".join(names.values()) or "none"
                raise EngineError(f"{label}: no table or view {table!r} (there are: {listed})")
            name = names[table.lower()]
        else:
            try:
                name = events_relation(names, path)
            except ValueError as exc:
                raise EngineError(f"{label}: {exc}") from None
        relation = f"src.main.{quoted(name)}"
        columns = con.sql(f"SELECT * FROM {relation} LIMIT 0").to_arrow_table().column_names
        side = SideTables()
        if is_native_events(columns):
            got = {
                sheet: con.sql(f"SELECT * FROM src.main.{quoted(names[sheet])}").to_arrow_table()
                for sheet in ("places", "sources")
                if sheet in names
            }
            labels = {s: f"{label}#{s}" for s in ("places", "sources")}
            side = side_tables(got.get("places"), got.get("sources"), labels)
        return DuckEngine(con, relation, f"{label}#{name}", side, path.stem, timeout)
    except duckdb.Error as exc:
        con.close()
        raise EngineError(f"{label}: cannot open the DuckDB database: {first_line(exc)}") from None
    except EngineError:
        con.close()
        raise

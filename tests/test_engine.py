"""Query, don't load: the embedded engine answers as the window does with all events in memory."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pyarrow.parquet as pq
import pytest

from desktop.core.engine import BBox, EngineError, Query, open_source
from desktop.core.formats.parquet_file import sibling
from desktop.core.load import load_dataset
from desktop.core.synthetic import make_dataset

from . import engine_reference as ref

WINDOW = (datetime(2003, 3, 1, tzinfo=UTC), datetime(2009, 7, 15, tzinfo=UTC))
QUERIES = {
    "everything": Query(),
    "window": Query(*WINDOW),
    "open end": Query(start=datetime(2020, 6, 1, tzinfo=UTC)),
    "box": Query(bbox=BBox(30, 20, 45, 50)),
    "categories": Query(hidden_categories=frozenset({"energy", "treaty"})),
    "search": Query(search="PLACE 1"),
    "search two words": Query(search="event 12 publisher 3"),
    "all at once": Query(*WINDOW, BBox(30, 20, 50, 60), frozenset({"security"}), "place 2"),
}


@pytest.fixture(scope="module")
def engine(synthetic_parquet):
    found = open_source(synthetic_parquet[1])
    yield found
    found.close()


@pytest.mark.parametrize("name", list(QUERIES))
def test_counts_equal_the_in_memory_counts(synthetic_parquet, engine, name):
    dataset, _ = synthetic_parquet
    query = QUERIES[name]
    expected = ref.visible(dataset, query)
    assert 0 < len(expected) < len(dataset.events) or name == "everything"
    assert engine.total(query) == len(expected)
    found = engine.overview(query, bins=37)
    assert ref.as_cells(found) == ref.overview(dataset, query, found.bins)
    places = {p.key: p.count for p in engine.place_counts(query)}
    assert places == ref.place_counts(dataset, query)


def test_the_overview_spans_the_window_or_all_events(synthetic_parquet, engine):
    dataset, _ = synthetic_parquet
    windowed = engine.overview(Query(*WINDOW), bins=10)
    assert (windowed.bins.start, windowed.bins.end) == tuple(w.timestamp() for w in WINDOW)
    whole = engine.overview(Query(), bins=10)
    assert whole.bins.start == min(e.lower() for e in dataset.events).timestamp()
    assert whole.bins.end == max(e.upper() for e in dataset.events).timestamp()
    assert whole.per_category() == engine.categories()


def test_events_are_fetched_only_when_few_match(synthetic_parquet, engine):
    dataset, _ = synthetic_parquet
    query = Query(*WINDOW, hidden_categories=frozenset({"energy"}), search="place 3")
    expected = ref.visible(dataset, query)
    fetched = engine.fetch(query, limit=len(expected))
    assert fetched is not None
    assert [e.id for e in fetched.events] == sorted(
        (e.id for e in expected), key=lambda i: (dataset.event(i).lower(), i)
    )
    by_id = dataset.events_by_id()
    assert all(e == by_id[e.id] for e in fetched.events)
    assert set(fetched.places) >= {p for e in fetched.events for p in e.places}
    assert engine.fetch(query, limit=len(expected) - 1) is None


def test_a_duckdb_database_answers_as_its_parquet_file(synthetic_parquet, engine, tmp_path):
    _, parquet = synthetic_parquet
    db = tmp_path / "events.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"CREATE TABLE events AS SELECT * FROM read_parquet('{parquet}')")
    for sheet in ("places", "sources"):
        con.execute(
            f"CREATE TABLE {sheet} AS SELECT * FROM read_parquet('{sibling(parquet, sheet)}')"
        )
    con.close()
    other = open_source(db)
    try:
        for query in QUERIES.values():
            assert other.total(query) == engine.total(query)
            assert other.place_counts(query) == engine.place_counts(query)
    finally:
        other.close()


def test_the_ibis_path_on_duckdb_gives_the_same_answers(synthetic_parquet, engine):
    portable = open_source(f"duckdb://#{synthetic_parquet[1]}")
    for name in ("window", "box", "search", "all at once"):
        query = QUERIES[name]
        assert portable.total(query) == engine.total(query), name
        assert portable.overview(query, 23).counts == engine.overview(query, 23).counts, name
        assert portable.place_counts(query) == engine.place_counts(query), name
    query = QUERIES["all at once"]
    assert [e.id for e in portable.fetch(query).events] == [
        e.id for e in engine.fetch(query).events
    ]


def flat_table(tmp_path):
    """A table of events of another shape: typed dates, one place per row with coordinates."""
    dataset = make_dataset(1500, n_places=60, seed=3)
    rows = []
    for event in dataset.events:
        place = dataset.places.get(event.places[0]) if event.places else None
        if place is None or place.lat is None:
            continue
        rows.append(
            {
                "date": event.lower().replace(tzinfo=None) if event.start.minute else None,
                "day": event.lower().date(),
                "title": event.title,
                "category": event.category,
                "place": place.name,
                "lat": place.lat,
                "lon": place.lon,
            }
        )
    import pyarrow as pa

    table = (
        pa.Table.from_pylist(rows)
        .drop_columns(["date"])
        .rename_columns(["date", "title", "category", "place", "lat", "lon"])
    )
    path = tmp_path / "flat.parquet"
    pq.write_table(table, path)
    return path


def test_a_table_of_another_shape_counts_as_it_loads(tmp_path):
    path = flat_table(tmp_path)
    loaded = load_dataset(path)
    assert loaded.errors == []
    dataset = loaded.dataset
    engine = open_source(path)
    assert engine.layout.native is False
    for query in (
        Query(),
        Query(*WINDOW),
        Query(bbox=BBox(30, 20, 45, 50)),
        Query(hidden_categories=frozenset({"energy"})),
        Query(search="event 1"),
    ):
        assert engine.total(query) == len(ref.visible(dataset, query))
        found = engine.overview(query, bins=19)
        assert ref.as_cells(found) == ref.overview(dataset, query, found.bins)
        by_place = {(p.name, p.lat, p.lon): p.count for p in engine.place_counts(query)}
        expected = {
            (dataset.places[k].name, dataset.places[k].lat, dataset.places[k].lon): n
            for k, n in ref.place_counts(dataset, query).items()
        }
        assert by_place == expected


# --- bad input: one line each ----------------------------------------------


def one_line(exc: pytest.ExceptionInfo[EngineError]) -> str:
    text = str(exc.value)
    assert "\n" not in text and text
    return text


def test_a_query_that_takes_too_long_is_stopped_with_one_line(tmp_path):
    db = ref.endless_database(tmp_path / "endless.duckdb")
    engine = open_source(db, timeout=0.5)
    with pytest.raises(EngineError) as caught:
        engine.total(Query(search="x"))
    line = one_line(caught)
    assert line.startswith(f"{db}#events: the query took longer than 0.5 s and was stopped")
    engine.close()


def test_an_unreachable_engine_url_is_one_line():
    with pytest.raises(EngineError) as caught:
        open_source("trino://analyst:secret@127.0.0.1:1/hive/default#events")
    line = one_line(caught)
    assert line.startswith("trino://127.0.0.1:1: cannot reach the engine (")
    assert "secret" not in line


def test_a_parquet_file_with_wrong_types_is_one_line(tmp_path):
    import pyarrow as pa

    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"date": [1.5, 2.5], "title": ["a", "b"]}), path)
    with pytest.raises(EngineError) as caught:
        open_source(path)
    assert one_line(caught) == (
        f"{path}: column 'date' holds double values, not dates: the engine reads dates "
        "as ISO text (2025-01-17), DATE, TIMESTAMP or whole years"
    )


def test_a_missing_table_and_a_file_of_another_kind_are_one_line(tmp_path, synthetic_parquet):
    db = tmp_path / "x.duckdb"
    duckdb.connect(str(db)).close()
    with pytest.raises(EngineError) as caught:
        open_source(f"{db}#acled")
    assert "no table or view 'acled'" in one_line(caught)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(EngineError) as caught:
        open_source(text)
    assert one_line(caught) == f"{text}: neither a Parquet file nor a DuckDB database"


def test_acled_as_parquet_counts_as_it_loads(tmp_path):
    """The real ACLED export ("9-May-20" dates, a preset's roles), written as Parquet:
    the engine, the ibis path and the in-memory model agree."""
    from .realworld import realworld_as_parquet, realworld_copy

    csv = realworld_copy("acled_2020-05.csv", tmp_path)
    path = realworld_as_parquet("acled_2020-05.csv", tmp_path)
    dataset = load_dataset(path).dataset
    assert len(dataset.events) == len(load_dataset(csv).dataset.events) == 5071
    engine = open_source(path)
    portable = open_source(f"duckdb://#{path}")
    early_may = (datetime(2020, 5, 1, tzinfo=UTC), datetime(2020, 5, 5, tzinfo=UTC))
    for query in (
        Query(*early_may),
        Query(bbox=BBox(0, 30, 20, 50)),
        Query(hidden_categories=frozenset({"Protests"})),
        Query(search="protest"),
    ):
        expected = len(ref.visible(dataset, query))
        assert 0 < expected < 5071
        assert engine.total(query) == portable.total(query) == expected


@pytest.fixture(scope="module", params=["sorted, on disk", "unsorted"])
def indexed(engine, request, tmp_path_factory):
    """The span index, sorted (counts by binary search; the per-event arrays then
    memory-mapped from files) and as first read (each event counted directly): a
    search finds the rows in the text, the index counts them."""
    from desktop.core.engine.indexed import Indexed
    from desktop.core.engine.span_index import build_index

    on_disk = request.param != "unsorted"
    folder = tmp_path_factory.mktemp("index") if on_disk else None
    found = Indexed(engine, build_index(engine, folder=folder, sort=on_disk))
    assert found.index is not None and found.searches
    assert found.index.sorted is on_disk
    if on_disk:
        assert sorted(p.name for p in folder.iterdir()) == [
            "cat.npy",
            "first.npy",
            "hi.npy",
            "lo.npy",
            "pairs.npy",
        ]
    yield found
    found.index.close()
    assert folder is None or not folder.exists()


@pytest.mark.parametrize("name", ["search", "search two words", "all at once", "window"])
def test_events_found_through_the_index_are_the_engines(indexed, engine, name):
    query = QUERIES[name]
    mine, theirs = indexed.fetch(query), engine.fetch(query)
    assert (mine is None) == (theirs is None)
    if theirs is not None:
        assert [e.id for e in mine.events] == [e.id for e in theirs.events]
        assert mine.events == theirs.events


def test_the_index_knows_the_extent_and_categories(indexed, engine):
    assert indexed.extent() == engine.extent()
    assert indexed.categories() == engine.categories()


def test_a_duckdb_database_is_indexed_through_duckdb(synthetic_parquet, tmp_path):
    """A source that is not a Parquet file with spans is read by DuckDB's own scan;
    its searches go to the engine."""
    from desktop.core.engine.indexed import Indexed

    dataset, path = synthetic_parquet
    db = tmp_path / "events.duckdb"
    con = duckdb.connect(str(db))
    for sheet in ("places", "sources"):
        con.execute(f"CREATE TABLE {sheet} AS SELECT * FROM read_parquet('{sibling(path, sheet)}')")
    events = f"SELECT * EXCLUDE (span_start, span_end) FROM read_parquet('{path}')"
    con.execute(f"CREATE TABLE events AS {events}")
    con.close()
    source = open_source(db)
    try:
        found = Indexed.build(source)
        assert found.index is not None and not found.searches
        for name in ("everything", "window", "box", "search", "all at once"):
            query = QUERIES[name]
            assert found.total(query) == len(ref.visible(dataset, query)), name
            places = {p.key: p.count for p in found.place_counts(query)}
            assert places == ref.place_counts(dataset, query), name
    finally:
        source.close()


@pytest.mark.parametrize("name", list(QUERIES))
def test_the_span_index_counts_as_the_engine_does(synthetic_parquet, indexed, name):
    dataset, _ = synthetic_parquet
    query = QUERIES[name]
    assert indexed.total(query) == len(ref.visible(dataset, query))
    found = indexed.overview(query, bins=37)
    assert ref.as_cells(found) == ref.overview(dataset, query, found.bins)
    places = {p.key: p.count for p in indexed.place_counts(query)}
    assert places == ref.place_counts(dataset, query)


@pytest.mark.parametrize(
    "query",
    [
        Query(start=datetime(2001, 1, 1, 0, 0, 30, tzinfo=UTC)),  # not on a whole minute
        Query(end=datetime(1999, 5, 3, tzinfo=UTC), bbox=BBox(-60, -180, 60, 0)),
        Query(*WINDOW, BBox(-90, -180, 90, 180), frozenset({"security", "energy"})),
        Query(datetime(2050, 1, 1, tzinfo=UTC), datetime(2051, 1, 1, tzinfo=UTC)),
    ],
)
def test_the_span_index_at_the_edges(synthetic_parquet, indexed, engine, query):
    assert indexed.total(query) == engine.total(query)
    assert indexed.place_counts(query) == engine.place_counts(query)


@pytest.mark.parametrize("name", ["search", "search two words", "all at once"])
def test_counts_from_the_few_events_fetched_equal_the_engines(indexed, engine, name):
    from desktop.core.engine.few import overview_of, place_counts_of

    query = QUERIES[name]
    fetched = engine.fetch(query)
    assert fetched is not None and fetched.events
    if query.bbox is None:
        assert place_counts_of(fetched) == {p.key: p.count for p in engine.place_counts(query)}
    bins = indexed.bins(query, 37)
    expected = engine.overview(query, bins=37)
    assert ref.as_cells(overview_of(fetched, bins)) == ref.as_cells(expected)


def test_a_tables_places_keep_their_ids_whatever_order_the_engine_answers_in():
    from desktop.core.dates import PartialDate
    from desktop.core.engine.query import PlaceCount
    from desktop.core.engine.table_places import TablePlaces
    from desktop.core.model import Dataset, Event, Place

    counted = [
        PlaceCount("Springfield", "Springfield", 39.8, -89.6, 5),
        PlaceCount("Springfield", "Springfield", 42.1, -72.6, 2),
        PlaceCount("", "", 10.0, 20.0, 1),
        PlaceCount("Nowhere", "Nowhere", None, None, 4),
    ]
    one, other = TablePlaces(counted), TablePlaces(reversed(counted))
    assert one.places == other.places
    assert sorted((p.name, p.lat) for p in one.places.values()) == [
        ("10.0000, 20.0000", 10.0),
        ("Springfield", 39.8),
        ("Springfield", 42.1),
    ]
    # Two towns of one name are two markers, each with its own count.
    assert sorted(one.counts(counted).values()) == [1, 2, 5]
    # A fetch's reader names its places its own way; the events move to these ids,
    # and a place the engine did not count is kept under an id that takes none of them.
    east = one.id_of("Springfield", 42.1, -72.6)
    fetched = Dataset(
        events=[Event("e1", "x", PartialDate(2020), places=("springfield", "elsewhere"))],
        places={
            "springfield": Place("springfield", "Springfield", lat=42.1000000001, lon=-72.6),
            "elsewhere": Place("elsewhere", "Elsewhere"),
        },
    )
    adopted = one.adopt(fetched)
    assert adopted.events[0].places[0] == east
    assert adopted.places[east].lat == 42.1
    assert adopted.places[adopted.events[0].places[1]].name == "Elsewhere"
    assert set(one.places) < set(adopted.places)

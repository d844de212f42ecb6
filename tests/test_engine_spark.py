"""The ibis path on a real Spark, in local mode: the same counts as the embedded engine.

One Spark session for the module (starting one takes seconds); a Java runtime is
installed by ``make test`` where it is missing.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime

import pytest

from desktop.core.engine import BBox, Query, open_source
from desktop.core.formats.parquet_file import write_parquet_dataset
from desktop.core.synthetic import make_dataset

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    if os.environ.get("CI"):
        pytest.fail("CI needs a Java runtime for Spark: `make test` installs default-jre-headless")
    pytest.skip("needs a Java runtime (make test installs one)", allow_module_level=True)

# One core, one shuffle partition, no web UI or progress bar, and the JVM's quick
# compiler only: the queries are small, and starting up is most of their cost.
SPARK = (
    "pyspark://?spark.master=local[1]&spark.ui.enabled=false&spark.sql.shuffle.partitions=1"
    "&spark.ui.showConsoleProgress=false&spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1"
)
# Each filter once: a window alone; a box, a hidden category and a search together.
QUERIES = [
    Query(datetime(2003, 3, 1, tzinfo=UTC), datetime(2009, 7, 15, tzinfo=UTC)),
    Query(
        datetime(2001, 1, 1, tzinfo=UTC),
        None,
        BBox(30, 20, 50, 60),
        frozenset({"energy"}),
        "place 2",
    ),
]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    path = tmp_path_factory.mktemp("spark") / "synthetic.parquet"
    write_parquet_dataset(make_dataset(800, n_places=40, n_sources=10, seed=11), path)
    embedded = open_source(path)
    spark = open_source(f"{SPARK}#{path}")
    yield embedded, spark
    embedded.close()
    spark.backend.disconnect()


@pytest.mark.parametrize("number", range(len(QUERIES)))
def test_spark_counts_equal_the_embedded_engine(engines, number):
    embedded, spark = engines
    query = QUERIES[number]
    assert spark.total(query) == embedded.total(query)
    assert spark.overview(query, 17).counts == embedded.overview(query, 17).counts
    assert spark.place_counts(query) == embedded.place_counts(query)


def test_spark_fetches_the_same_events(engines):
    embedded, spark = engines
    query = QUERIES[1]
    assert [e.id for e in spark.fetch(query).events] == [e.id for e in embedded.fetch(query).events]

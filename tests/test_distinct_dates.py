"""A column's distinct date texts read at once say what parse_date() says of each."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.dates import DateError, parse_date
from desktop.core.distinct_dates import read_distinct

WRITTEN = [
    "2025",
    "2025-01",
    "2025-01-17",
    "2025-01-17T14:30",
    "-0509",
    "-0001-02-29",  # 1 BC is a leap year
    "0001",
    "9999-12-31T23:59",
    "-9999-01-01T00:00",
    "2024-02-29",
    "2000-02-29",
    " 2025-03 ",
    "c. 2024",
    "2024/2025",
    "1914-1918",
    "44 BC",
    "1 March 2025",
    "2025-01-17 09:05",
    "2025-01-17T14:30Z",
    "2025-01-17T14:30+03:00",
    "circa 2025-03",
    "",
    "   ",
    None,
]
REJECTED = [
    "2023-02-29",
    "1900-02-29",
    "-0002-02-29",
    "2025-13",
    "2025-00",
    "0000",
    "-0000",
    "2025-01-17T24:00",
    "2025-01-17T23:60",
    "2025-02-30",
    "soon",
]


def same_as_parse_date(texts: list[str | None]) -> None:
    read = read_distinct(texts)
    assert len(read.dates) == len(texts)
    for i, text in enumerate(texts):
        stripped = (text or "").strip()
        if not stripped:
            assert read.dates[i] is None and not read.present[i]
            assert read.range_ends[i] is None and not read.ranged[i]
            continue
        parsed = parse_date(stripped)
        assert read.dates[i] == parsed.date, text
        assert read.present[i]
        assert read.precision[i] == int(parsed.date.precision), text
        assert read.lower[i] == parsed.date.lower_epoch(), text
        assert read.upper[i] == parsed.date.upper_epoch(), text
        assert read.approximate[i] == parsed.approximate, text
        assert read.range_ends[i] == parsed.end, text
        assert read.ranged[i] == (parsed.end is not None), text
        assert read.covered_upper[i] == (parsed.end or parsed.date).upper_epoch(), text


def test_every_form_written_reads_as_parse_date_reads_it() -> None:
    same_as_parse_date(WRITTEN)
    same_as_parse_date(list(reversed(WRITTEN)))  # where each lies does not matter


@pytest.mark.parametrize("text", REJECTED)
def test_a_date_parse_date_rejects_is_rejected_with_its_words(text: str) -> None:
    with pytest.raises(DateError) as expected:
        parse_date(text)
    with pytest.raises(DateError) as found:
        read_distinct(["2025", text, "2026-01"])
    assert str(found.value) == str(expected.value)


@st.composite
def canonical(draw) -> str:
    """Texts in the canonical form, some of them days or times that do not exist."""
    year = draw(st.integers(-9999, 9999))
    text = f"{year:04d}" if year >= 0 else f"-{-year:04d}"
    parts = draw(st.integers(0, 3))
    if parts >= 1:
        text += f"-{draw(st.integers(0, 13)):02d}"
    if parts >= 2:
        text += f"-{draw(st.integers(0, 32)):02d}"
    if parts >= 3:
        text += f"T{draw(st.integers(0, 25)):02d}:{draw(st.integers(0, 61)):02d}"
    return text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(canonical(), st.sampled_from(WRITTEN)), min_size=1, max_size=12))
def test_any_column_of_dates_reads_as_parse_date_reads_it(texts: list[str | None]) -> None:
    for text in texts:
        try:
            parse_date((text or "").strip()) if (text or "").strip() else None
        except DateError:
            with pytest.raises(DateError):
                read_distinct(texts)
            return
    same_as_parse_date(texts)


def test_the_dates_are_built_when_read() -> None:
    read = read_distinct(["2025-01-17", "2024"])
    assert read.dates[0] is read.dates[0]  # built once, then kept
    assert read.dates[-1] == parse_date("2024").date
    assert read.dates[0:2] == [parse_date("2025-01-17").date, parse_date("2024").date]

"""Text for readers: dates in words at their precision, rich text safe or plain."""

from __future__ import annotations

import pytest

from desktop.core.dates import PartialDate
from desktop.core.display import (
    date_words,
    event_date,
    plain_text,
    rich_html,
    shorten,
    span_words,
    year_words,
)
from desktop.core.model import Event


@pytest.mark.parametrize(
    ("date", "words"),
    [
        (PartialDate(2014), "2014"),
        (PartialDate(911), "911"),
        (PartialDate(-509), "509 BC"),
        (PartialDate(2024, 11), "November 2024"),
        (PartialDate(2014, 2, 19), "19 Feb 2014"),
        (PartialDate(2014, 2, 19, 15, 32), "19 Feb 2014, 15:32 UTC"),
        (PartialDate(2025, 1, 7, 0, 5), "7 Jan 2025, 00:05 UTC"),
        (PartialDate(-44, 3, 15), "15 Mar 44 BC"),
    ],
)
def test_a_date_in_words_says_no_more_than_it_holds(date, words):
    assert date_words(date) == words


def test_years_count_as_historians_do():
    assert [year_words(y) for y in (-1, 1, 99, 1453)] == ["1 BC", "1", "99", "1453"]


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (PartialDate(2025, 1, 17), PartialDate(2025, 1, 20), "17–20 Jan 2025"),
        (PartialDate(2025, 1, 17), PartialDate(2025, 2, 3), "17 Jan – 3 Feb 2025"),
        (PartialDate(1945, 4), PartialDate(1945, 5), "April – May 1945"),
        (PartialDate(-509), PartialDate(-27), "509–27 BC"),
        (PartialDate(-44), PartialDate(14), "44 BC–14"),
        (PartialDate(1337), PartialDate(1453), "1337–1453"),
        (
            PartialDate(2014, 2, 19, 15, 32),
            PartialDate(2014, 2, 19, 16, 5),
            "19 Feb 2014, 15:32–16:05 UTC",
        ),
        (PartialDate(2024, 5, 19), PartialDate(2025, 1, 17), "19 May 2024 – 17 Jan 2025"),
        (PartialDate(2001), PartialDate(2025, 1, 17), "2001 – 17 Jan 2025"),
        (PartialDate(2025, 1, 17), PartialDate(2025, 1, 17), "17 Jan 2025"),
    ],
)
def test_a_range_is_said_once(start, end, words):
    assert span_words(start, end) == words


def test_an_event_date_keeps_the_sources_words_and_marks_approximation():
    worded = Event("a", "t", PartialDate(2024, 11), date_label="mid-November  2024")
    assert event_date(worded) == "mid-November 2024"
    assert worded.display_date() == "mid-November 2024"
    rough = Event("b", "t", PartialDate(2013), approximate=True)
    assert event_date(rough) == "c. 2013"
    timed = Event("c", "t", PartialDate(2014, 2, 19, 15, 32))
    assert timed.display_date() == "19 Feb 2014, 15:32 UTC"


def test_plain_text_reads_markdown_and_html_as_a_reader_would():
    assert plain_text("**Bold** and [a link](https://x.org) &amp; *more*") == (
        "Bold and a link & more"
    )
    assert plain_text("<p>One</p><p>Two<br>three</p><ul><li>a</li><li>b</li></ul>") == (
        "One\nTwo\nthree\n• a\n• b"
    )
    assert plain_text("<p>One</p><p>Two</p>", paragraphs=False) == "One Two"
    assert plain_text("<script>alert(1)</script>Safe <b>text</b>") == "Safe text"
    # A plain sentence is left as written: no entity, no mark appears or goes.
    assert (
        plain_text("Iran & Russia sign a 20-year treaty") == "Iran & Russia sign a 20-year treaty"
    )
    assert plain_text("1945. The war in Europe ends") == "1945. The war in Europe ends"
    assert plain_text("") == ""


def test_rich_html_keeps_links_and_emphasis_and_nothing_dangerous():
    out = rich_html(
        "**Bold** [ok](https://x.org) [bad](javascript:alert(1)) <img src=x onerror=alert(1)>"
        '<a href="javascript:alert(2)">js</a><script>alert(3)</script>'
    )
    assert "<strong>Bold</strong>" in out
    assert 'href="https://x.org"' in out and 'rel="noopener noreferrer"' in out
    for bad in ("<img", "onerror", "javascript:alert(2)", "<script", "alert(3)"):
        assert bad not in out
    assert rich_html("A & B < C") == "A &amp; B &lt; C"
    assert rich_html("1945. The war ends") == "1945. The war ends"
    assert "<li>" in rich_html("- one\n- two")


def test_shorten_cuts_on_a_word():
    assert shorten("The quick brown fox jumps over the lazy dog", 20) == "The quick brown…"
    assert shorten("short", 20) == "short"
    assert len(shorten("x" * 50, 10)) == 10

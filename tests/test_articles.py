"""From articles to candidate events: dates, datelines, places, quotes, merging, bad input.

Every article here is a few lines written for the test, so each rule is shown
on its own; none of it is the seed articles.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.articles import ArticleError, extract, read_article
from desktop.core.articles.convert import candidate_citations, candidate_event
from desktop.core.articles.places import PlaceFinder
from desktop.core.dates import PartialDate
from desktop.core.model import Dataset, Place, PlaceKind


@pytest.fixture(scope="module")
def finder() -> PlaceFinder:
    return PlaceFinder()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def only(extraction, words: str):
    """The one candidate whose quote holds ``words``."""
    found = [c for c in extraction.candidates if any(words in q.quote for q in c.citations)]
    assert len(found) == 1, [c.summary for c in extraction.candidates]
    return found[0]


def dated(candidate) -> str:
    assert candidate.when is not None, candidate.undated
    return candidate.when.iso()


# -- relative dates, each form on its own ------------------------------------

PUBLISHED = "Published: 2025-01-21\n\n"  # a Tuesday


@pytest.mark.parametrize(
    ("sentence", "expected", "approximate", "label"),
    [
        ("On Friday, the ministers signed the accord in Geneva.", "2025-01-17", False, "Friday"),
        ("Last year, the ministers signed the accord in Geneva.", "2024", False, "Last year"),
        ("In mid-November, the ministers signed the accord in Geneva.", "2024-11", True, ""),
        ("In early December, the ministers signed the accord in Geneva.", "2024-12", True, ""),
        (
            "The ministers will sign the accord in Geneva next week.",
            "2025-01-27/2025-02-02",
            False,
            "next week",
        ),
        ("The ministers signed the accord in Geneva in 2001.", "2001", False, ""),
        ("The ministers signed the accord in Geneva yesterday.", "2025-01-20", False, "yesterday"),
        ("Two weeks ago, the ministers signed the accord in Geneva.", "2025-01-07", True, ""),
        ("The ministers signed the accord in Geneva on January 3.", "2025-01-03", False, ""),
        (
            "The ministers signed the accord in Geneva in the first days of the new year.",
            "2025-01",
            True,
            "",
        ),
        (
            "The ministers signed the accord in Geneva in mid-November last year.",
            "2024-11",
            True,
            "",
        ),
    ],
)
def test_each_relative_date_form(tmp_path, finder, sentence, expected, approximate, label) -> None:
    path = write(tmp_path, "a.txt", PUBLISHED + sentence + "\n")
    candidate = only(extract([path], finder=finder), "ministers")
    assert dated(candidate) == expected
    assert candidate.when.approximate is approximate
    if label:
        assert candidate.when.label == label
    assert any(p.name == "Geneva" for p in candidate.places)


def test_mid_month_keeps_month_precision_and_the_words(tmp_path, finder) -> None:
    path = write(
        tmp_path,
        "a.txt",
        PUBLISHED + "The text was ready in mid-November, officials in Oslo said.\n",
    )
    candidate = only(extract([path], finder=finder), "ready")
    event = candidate_event(candidate)
    assert event.start == PartialDate(2024, 11) and event.approximate
    assert event.date_label == "mid-November"


def test_three_days_later_counts_from_the_story_so_far(tmp_path, finder) -> None:
    text = (
        PUBLISHED
        + "The envoys met in Vienna on 6 January 2025.\n"
        + "Three days later, the ministers signed the accord in Geneva.\n"
    )
    extraction = extract([write(tmp_path, "a.txt", text)], finder=finder)
    assert dated(only(extraction, "Three days later")) == "2025-01-09"


def test_days_before_a_named_event_find_it_in_the_story(tmp_path, finder) -> None:
    text = (
        PUBLISHED
        + "The inauguration of the new mayor of Lyon was held on 20 January 2025.\n"
        + "The treaty was signed in Geneva three days before the inauguration.\n"
    )
    extraction = extract([write(tmp_path, "a.txt", text)], finder=finder)
    candidate = only(extraction, "three days before")
    assert dated(candidate) == "2025-01-17"
    assert "inauguration" in candidate.how


def test_a_twenty_year_treaty_spans_twenty_years_from_its_signing(tmp_path, finder) -> None:
    text = PUBLISHED + "On 17 January 2025, Chile and Peru signed a 20-year treaty in Lima.\n"
    extraction = extract([write(tmp_path, "a.txt", text)], finder=finder)
    assert dated(only(extraction, "20-year")) == "2025-01-17"
    text = PUBLISHED + "In Lima, Chile and Peru signed a treaty set to last 20 years.\n"
    candidate = only(extract([write(tmp_path, "b.txt", text)], finder=finder), "20 years")
    assert (
        candidate.when.end is not None and candidate.when.end.year == candidate.when.start.year + 20
    )


# -- datelines and publication dates --------------------------------------------


@pytest.mark.parametrize(
    ("opening", "published", "publisher", "place"),
    [
        ("MOSCOW, Jan 17, 2025 (Reuters) - ", "2025-01-17", "Reuters", "Moscow"),
        ("TEHRAN, January 17, 2025 (AP) — ", "2025-01-17", "Associated Press", "Tehran"),
        ("Moscow, 17 January 2025 /TASS/ - ", "2025-01-17", "TASS", "Moscow"),
        ("BEIJING, Jan. 17, 2025 (Xinhua) -- ", "2025-01-17", "Xinhua", "Beijing"),
        ("PARIS (AFP) – ", None, "Agence France-Presse", "Paris"),
    ],
)
def test_wire_datelines(tmp_path, opening, published, publisher, place) -> None:
    path = write(tmp_path, "wire.txt", opening + "The ministers signed the accord on Friday.\n")
    article = read_article(path)
    assert (article.published.iso() if article.published else None) == published
    assert article.publisher == publisher
    assert article.dateline_place == place
    assert article.text[article.dateline_end :].startswith("The ministers")


def test_a_dateline_day_without_a_year_dates_a_friday(tmp_path, finder) -> None:
    dated_other = write(
        tmp_path, "other.txt", "Published: 2025-01-21\n\nThe envoys met in Oslo on Monday.\n"
    )
    wire = write(
        tmp_path,
        "wire.txt",
        "MOSCOW, Jan 17 (Reuters) - On Friday, the ministers signed the accord.\n",
    )
    extraction = extract([wire, dated_other], finder=finder)
    candidate = only(extraction, "the ministers signed")
    assert dated(candidate) == "2025-01-17"
    assert [p.name for p in candidate.places] == ["Moscow"]  # from the dateline
    assert candidate.citations[0].quote.startswith("On Friday")  # the dateline is not quoted


def test_published_line_and_headline(tmp_path) -> None:
    text = (
        "Ministers sign the Geneva accord\nPublished: 21 January 2025\n\nThe ministers signed it.\n"
    )
    article = read_article(write(tmp_path, "a.txt", text))
    assert article.title == "Ministers sign the Geneva accord"
    assert article.published == PartialDate(2025, 1, 21)


def test_an_article_with_no_date_at_all_gives_undated_candidates_that_say_why(
    tmp_path, finder
) -> None:
    text = "Last year, the ministers signed the accord in Geneva.\nOn Friday, they met in Oslo.\n"
    extraction = extract([write(tmp_path, "undated.txt", text)], finder=finder)
    assert len(extraction.candidates) == 2
    for candidate in extraction.candidates:
        assert candidate.when is None
        assert "publication date" in candidate.undated
    with pytest.raises(ValueError, match="undated"):
        candidate_event(extraction.candidates[0])
    # Given the date, the same article is dated.
    again = extract([tmp_path / "undated.txt"], finder=finder, published=PartialDate(2025, 1, 21))
    assert sorted(dated(c) for c in again.candidates) == ["2024", "2025-01-17"]


def test_an_undated_article_borrows_the_story_so_far_and_says_so(tmp_path, finder) -> None:
    first = write(tmp_path, "first.txt", PUBLISHED + "The envoys met in Oslo on 20 January 2025.\n")
    second = write(
        tmp_path, "second.txt", "Last year, the ministers signed the accord in Geneva.\n"
    )
    candidate = only(extract([second, first], finder=finder), "ministers")
    assert dated(candidate) == "2024"
    assert candidate.when.approximate  # counted from another article's date
    assert "first.txt" in candidate.how


# -- places -----------------------------------------------------------------------


def test_other_spellings_and_transliterations(tmp_path, finder) -> None:
    text = PUBLISHED + "On Friday, the delegation flew from Moskva to Teheran.\n"
    candidate = only(extract([write(tmp_path, "a.txt", text)], finder=finder), "delegation")
    names = {p.name for p in candidate.places}
    assert names == {"Moscow", "Tehran"}


def test_the_datasets_own_places_come_first(tmp_path) -> None:
    own = Place(
        "astara-border", "Astara", PlaceKind.POINT, 38.43, 48.87, aliases=("Astara crossing",)
    )
    dataset = Dataset(places={own.id: own})
    text = PUBLISHED + "On Friday, the first train crossed the border at Astara.\n"
    extraction = extract([write(tmp_path, "a.txt", text)], dataset)
    candidate = only(extraction, "train")
    assert [p.id for p in candidate.places] == ["astara-border"]
    assert candidate.places[0].known


def test_countries_are_areas_and_names_are_not_places(tmp_path, finder) -> None:
    text = (
        PUBLISHED
        + "On Friday, President Vladimir Putin visited Syria, the Washington Post reported.\n"
    )
    candidate = only(extract([write(tmp_path, "a.txt", text)], finder=finder), "Syria")
    assert [(p.name, p.kind.value, p.iso3) for p in candidate.places] == [("Syria", "area", "SYR")]


# -- quotes, offsets, merging, categories ---------------------------------------------


def test_quotes_are_exact_with_their_offsets(tmp_path, finder) -> None:
    text = (
        PUBLISHED
        + "Intro line without a date here.\n\n"
        + "On Friday, the ministers signed the accord in Geneva.\n"
    )
    path = write(tmp_path, "a.txt", text)
    extraction = extract([path], finder=finder)
    citation = only(extraction, "ministers").citations[0]
    assert path.read_text(encoding="utf-8")[citation.start : citation.end] == citation.quote
    assert citation.quote == "On Friday, the ministers signed the accord in Geneva."


def test_the_same_event_in_two_articles_is_one_candidate_with_two_citations(
    tmp_path, finder
) -> None:
    one = write(
        tmp_path,
        "one.txt",
        PUBLISHED + "On Friday, Chile and Peru signed a border treaty in Lima.\n",
    )
    two = write(
        tmp_path,
        "two.txt",
        "Published: 2025-01-18\n\nChile and Peru signed the border treaty in Lima on Friday.\n",
    )
    other = write(
        tmp_path, "three.txt", PUBLISHED + "On Friday, floods hit Lima after heavy rain.\n"
    )
    extraction = extract([one, two, other], finder=finder)
    treaty = [c for c in extraction.candidates if "treaty" in c.summary]
    assert len(treaty) == 1 and len(treaty[0].citations) == 2
    assert {c.source for c in treaty[0].citations} == {
        s.id for s in extraction.sources.values()
    } - {extraction.sources[str(other)].id}
    assert dated(treaty[0]) == "2025-01-17"
    assert treaty[0].category == "treaty"


def test_accepted_event_carries_its_citations(tmp_path, finder) -> None:
    path = write(
        tmp_path, "a.txt", PUBLISHED + "On Friday, the ministers signed the accord in Geneva.\n"
    )
    candidate = only(extract([path], finder=finder), "ministers")
    event = candidate_event(candidate)
    assert event.start == PartialDate(2025, 1, 17) and event.places == ("geneva",)
    [citation] = candidate_citations(candidate)
    assert (citation.event, citation.source) == (event.id, event.sources[0])
    assert citation.quote == "On Friday, the ministers signed the accord in Geneva."
    found = candidate.citations[0]  # where the reviewer saw it in the article
    assert citation.locator == f"characters {found.start}–{found.end}"


def test_commentary_and_page_furniture_are_not_events(tmp_path, finder) -> None:
    text = (
        PUBLISHED
        + "Analysts believe the accord could change the region in 2026.\n"
        + "What are your thoughts on 2025? Share your views in the comments below.\n"
        + "Related stories:\n"
        + "Peru and Chile sign accord in Lima in 2024\n"
    )
    assert extract([write(tmp_path, "a.txt", text)], finder=finder).candidates == []


# -- other formats --------------------------------------------------------------------


def test_html_main_text_and_metadata(tmp_path, finder) -> None:
    html = """<!doctype html><html><head><title>Accord signed | Example News</title>
    <meta property="article:published_time" content="2025-01-21T10:00:00Z">
    <meta property="og:site_name" content="Example News"></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
    <article><h1>Accord signed in Geneva</h1>
    <p>On Friday, the ministers of Chile and Peru signed the accord in Geneva after long talks.</p>
    <p>The accord covers trade, fishing rights and the shared border, officials in Lima said.</p>
    </article><footer>Subscribe to our newsletter. Cookie settings.</footer></body></html>"""
    path = write(tmp_path, "page.html", html)
    article = read_article(path)
    assert "Subscribe" not in article.text and "Sport" not in article.text
    assert article.published == PartialDate(2025, 1, 21)
    assert article.publisher == "Example News"
    candidate = only(extract([path], finder=finder), "On Friday")
    assert dated(candidate) == "2025-01-17"


def test_email_article_dated_by_its_header(tmp_path, finder) -> None:
    eml = (
        "From: Wire Desk <desk@example.org>\nTo: analyst@example.org\n"
        "Subject: Ministers sign accord\nDate: Tue, 21 Jan 2025 09:00:00 +0000\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "On Friday, the ministers signed the accord in Geneva.\n"
    )
    path = write(tmp_path, "note.eml", eml)
    article = read_article(path)
    assert article.published == PartialDate(2025, 1, 21)
    assert article.title == "Ministers sign accord" and article.publisher == "Wire Desk"
    assert dated(only(extract([path], finder=finder), "ministers")) == "2025-01-17"


def _pdf(text: str | None) -> bytes:
    """A one-page PDF, with ``text`` in its text layer, or none (a scan)."""
    content = b"" if text is None else f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_text_layer(tmp_path, finder) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(_pdf("On 17 January 2025, the ministers signed the accord in Geneva."))
    assert dated(only(extract([path], finder=finder), "ministers")) == "2025-01-17"


# -- bad input: one line each, nothing added, no traceback -----------------------------


def _bad_inputs(folder: Path) -> dict[str, Path]:
    binary = folder / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    huge = folder / "huge.txt"
    with open(huge, "wb") as handle:
        line = b"The ministers met in Geneva on Friday and talked for a long time. " * 16 + b"\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    scan = folder / "scan.pdf"
    scan.write_bytes(_pdf(None))
    broken = folder / "broken.html"
    broken.write_text("<html><body><div class='x'><p", encoding="utf-8")
    return {"binary": binary, "empty": empty, "huge": huge, "scan": scan, "broken": broken}


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("binary", "binary data"),
        ("empty", "empty"),
        ("huge", "too large"),
        ("scan", "no text layer"),
        ("broken", "no article text"),
    ],
)
def test_bad_input_is_one_line(tmp_path, kind, says) -> None:
    path = _bad_inputs(tmp_path)[kind]
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path)) and says in message


def test_cli_bad_input_one_line_each_nothing_added(tmp_path) -> None:
    bad = _bad_inputs(tmp_path)
    dataset = tmp_path / "dataset.json"
    dataset.write_text(json.dumps({"title": "Mine", "events": []}), encoding="utf-8")
    before = dataset.read_bytes()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "extract",
            *map(str, bad.values()),
            "--into",
            str(dataset),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len([line for line in lines if line.startswith(str(tmp_path))]) == 5
    assert "no article could be read" in run.stderr
    assert dataset.read_bytes() == before


def test_cli_json_then_into_a_dataset(tmp_path) -> None:
    article = write(
        tmp_path, "a.txt", PUBLISHED + "On Friday, the ministers signed the accord in Geneva.\n"
    )
    out = tmp_path / "out.json"
    run = subprocess.run(
        [sys.executable, "-m", "desktop", "extract", str(article), "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    [event] = doc["events"]
    assert event["start"] == "2025-01-17" and event["places"] == ["geneva"]
    assert event["citations"][0]["quote"] == "On Friday, the ministers signed the accord in Geneva."
    assert [p["name"] for p in doc["places"]] == ["Geneva"]
    assert doc["sources"][0]["date"] == "2025-01-21"

    dataset = tmp_path / "mine.json"
    run = subprocess.run(
        [sys.executable, "-m", "desktop", "extract", str(article), "--into", str(dataset)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    from desktop.core.load import load_dataset

    loaded = load_dataset(dataset).dataset
    [added] = loaded.events
    [citation] = loaded.citations
    assert citation.event == added.id
    assert citation.quote == "On Friday, the ministers signed the accord in Geneva."
    assert loaded.places["geneva"].lat is not None

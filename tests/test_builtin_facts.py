"""The built-in briefing's facts, checked against the five archived articles.

One test per correction a line-by-line check of the dataset asked for, each
pinning the date, precision, wording or flag an audience would be shown; then
every citation's quote, word for word, against the paragraph of its own
article that its locator names.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from desktop.core import flags
from desktop.core.load import load_dataset
from desktop.core.model import Dataset, Event
from desktop.core.schema import CITATIONS, EVENTS
from desktop.exports.view import resolve_view, view_from_flags
from desktop.resources import assets_dir, builtin_dataset

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(scope="module")
def data() -> Dataset:
    result = load_dataset(builtin_dataset())
    assert result.problems == []
    return result.dataset


def step(data: Dataset, title: str):
    return next(s for s in data.story if s.title == title)


def steps_showing(data: Dataset, event_id: str):
    return [s for s in data.story if event_id in s.events]


# --- 1-4: what was wrong ------------------------------------------------------


def test_1_the_2001_treaty_already_respects_sovereignty(data):
    event = data.event("treaty-2001")
    assert "no clause" not in event.summary
    assert "sovereignty and territorial integrity" in event.summary
    assert "commits both sides to respect" in event.summary
    # Izvestia's aside is not repeated as fact, and the note says why.
    assert flags.is_background(event) and "Izvestia" in event.note
    assert "no clause" not in step(data, "The 2001 baseline").notes
    assert "already commits" in step(data, "The 2001 baseline").notes


def test_2_the_strike_report_is_from_december_2024(data):
    event = data.event("strike-reports")
    assert (event.start.iso(), event.precision.label, event.end) == ("2024-12", "month", None)
    assert flags.confidence_of(event) is flags.REPORTED
    assert flags.is_background(event) and "12–13 December 2024" in event.note
    assert "Wall Street Journal" in event.note
    # It left the inauguration step's window, and sits in a step whose window holds it.
    assert "strike-reports" not in step(data, "Three days later: Trump. What to watch then").events
    for shown in steps_showing(data, "strike-reports"):
        assert shown.start.lower() <= event.lower() and event.upper() <= shown.end.upper()


def test_3_the_signing_was_pezeshkians_first_visit_to_the_kremlin(data):
    summary = data.event("treaty-signed").summary
    assert "first visit to the Kremlin since his election" in summary
    assert "first visit since his election" not in summary
    assert "Kazan" in summary and "met Putin twice" in summary
    assert "first Kremlin visit" in step(data, "17 January 2025: signed in Moscow").notes


@cache
def _land(resolution: str) -> list[tuple[str, tuple[float, ...], list[np.ndarray]]]:
    doc = json.loads(
        (assets_dir() / "basemap" / f"countries-{resolution}.geojson").read_text("utf-8")
    )
    found = []
    for feature in doc["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            rings = [np.asarray(ring, dtype=float) for ring in polygon]
            low, high = rings[0].min(axis=0), rings[0].max(axis=0)
            found.append((feature["properties"]["iso3"], (*low, *high), rings))
    return found


def _country_at(lat: float, lon: float, land) -> str | None:
    """The country whose polygon holds the point (even-odd rule over its rings)."""
    for iso3, (west, south, east, north), rings in land:
        if not (west <= lon <= east and south <= lat <= north):
            continue
        inside = False
        for ring in rings:
            x, y = ring[:, 0], ring[:, 1]
            x2, y2 = np.roll(x, -1), np.roll(y, -1)
            crosses = (y > lat) != (y2 > lat)
            with np.errstate(divide="ignore", invalid="ignore"):
                at = x + (lat - y) * (x2 - x) / (y2 - y)
            inside ^= bool(np.count_nonzero(crosses & (lon < at)) % 2)
        if inside:
            return iso3
    return None


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def _densified(points: list[tuple[float, float]], step_km: float = 2.0):
    for a, b in zip(points, points[1:], strict=False):
        n = max(2, math.ceil(_km(a, b) / step_km))
        for k in range(n):
            yield (a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n)
    yield points[-1]


@pytest.mark.parametrize("resolution", ["50m", "110m"])
def test_4_the_caspian_route_goes_by_sea(data, resolution):
    """Densified every 2 km, the sea leg from Astrakhan to Anzali is on land only
    where it leaves Astrakhan (the Volga delta, in Russia) and arrives at Anzali
    (Iran): never across Azerbaijan or anywhere between."""
    land = _land(resolution)
    route = data.places["instc-caspian"]
    points = list(route.points)
    astrakhan, anzali = (46.3497, 48.0408), (37.4727, 49.4622)
    first = next(i for i, p in enumerate(points) if _km(p, astrakhan) < 1)
    last = next(i for i, p in enumerate(points) if _km(p, anzali) < 1)
    sea_leg = list(_densified(points[first : last + 1]))
    countries = [_country_at(lat, lon, land) for lat, lon in sea_leg]
    at_sea = [i for i, c in enumerate(countries) if c is None]
    assert at_sea, "the sea leg never reaches the sea"
    leaving, arriving = countries[: at_sea[0]], countries[at_sea[-1] + 1 :]
    assert set(leaving) == {"RUS"} and set(arriving) == {"IRN"}
    assert all(c is None for c in countries[at_sea[0] : at_sea[-1] + 1])
    assert _km(sea_leg[at_sea[0]], astrakhan) < 100  # the delta, not the coast of Dagestan
    assert _km(sea_leg[at_sea[-1]], anzali) < 10
    # Its marker sits on the sea leg, at sea, away from every town's marker.
    marker = (route.lat, route.lon)
    assert _country_at(*marker, land) is None
    assert min(_km(marker, p) for p in sea_leg) < 5
    towns = [(p.lat, p.lon) for p in data.places.values() if p.kind == "point"]
    assert min(_km(marker, t) for t in towns) > 150
    # The straight line it replaces crossed Azerbaijan.
    straight = [_country_at(*p, land) for p in _densified([astrakhan, anzali])]
    assert "AZE" in straight


# --- 5-12: what the sources do not support ---------------------------------------


def test_5_text_ready_is_izvestias_account(data):
    event = data.event("text-ready")
    assert event.title.startswith("Izvestia:")
    assert event.summary.startswith("Izvestia writes")
    assert "the outlet's account" in event.summary
    assert flags.confidence_of(event) is flags.REPORTED
    assert (event.start.iso(), event.approximate, event.date_label) == (
        "2024-11",
        True,
        "mid-November 2024",
    )


def test_6_the_postponement_has_an_approximate_start(data):
    event = data.event("signing-delayed")
    dates = (event.start.iso(), event.precision.label, event.approximate)
    assert dates == ("2024-05", "month", True)
    assert event.end is not None and event.end.iso() == "2025-01-17"
    assert "No source dates the postponement" in event.summary
    assert flags.confidence_of(event) is flags.REPORTED
    caption = step(data, "Raisi's death delays the new treaty").caption
    assert "eight months" not in caption and "Izvestia says" in caption


def test_7_the_contents_record_both_views_on_mutual_defence(data):
    event = data.event("treaty-contents")
    assert flags.confidence_of(event) is flags.CONTESTED
    assert "commitment to mutual defense in line with the UN Charter" in event.summary
    assert "Markov" in event.summary and "Article 3" in event.summary
    assert "No mutual-defence clause" not in event.summary
    # The News.Az quote no longer cuts the view that disagrees.
    quote = data.citation("treaty-contents", "newsaz").quote
    assert "a commitment to mutual defense in line with the UN Charter" in quote
    assert "explicit mutual defense obligations" in quote
    contents = step(data, "What it contains, and lacks")
    assert "the sources disagree" in contents.caption and "Article 3" in contents.notes


def test_8_the_gas_figure_keeps_could_and_the_starting_volume(data):
    event = data.event("gas-via-azerbaijan")
    assert "could carry up to 55 bcm" in event.title
    assert "could eventually carry up to 55 billion cubic metres" in event.summary
    assert "about 2 bcm" in event.summary
    assert flags.is_background(event) and "17 January 2025" in event.note
    assert "Putin" in event.note
    caption = step(data, "Corridor and gas via Azerbaijan").caption
    assert "could eventually carry up to 55 bcm" in caption and "from about 2 bcm" in caption


def test_9_bushehr_grid_connection_and_handover(data):
    event = data.event("bushehr-launch")
    assert "connected to the grid in 2011" in event.summary
    assert "handed over to Iran in 2013" in event.summary
    assert (event.start.iso(), event.precision.label) == ("2013", "year")
    assert flags.is_background(event) and "September 2011" in event.note
    assert "newsaz" in event.sources
    assert "Bushehr" in data.citation("bushehr-launch", "newsaz").quote


def test_10_corridor_progress_is_dated_to_the_month(data):
    event = data.event("corridor-progress")
    assert (event.start.iso(), event.precision.label) == ("2025-01", "month")
    assert event.summary.startswith("Before the visit")


def test_11_both_countries_had_to_ratify(data):
    event = data.event("ratification-needed")
    assert "Russia had to ratify it too" in event.summary
    assert "One expert, Soltan, speculates" in event.summary
    assert "experts say" not in event.summary
    assert (event.start.iso(), event.precision.label) == ("2025-01", "month")
    assert "21 January 2025 is the date of the News.Az article" in event.note
    assert flags.is_background(event)
    caption = step(data, "Three days later: Trump. What to watch then").caption
    assert "ratification in both capitals" in caption


def test_12_the_separatist_link_is_one_analysts(data):
    event = data.event("baku-tehran-exchange")
    assert "Glukhov" in event.summary and "the link is his" in event.summary
    assert flags.confidence_of(event) is flags.REPORTED
    assert "One analyst (Ivan Glukhov" in step(data, "A region under strain").notes


def test_13_rewrites_of_wire_copy_are_secondary_and_titles_are_not_faked(data):
    sources = data.sources
    assert {s.id for s in sources.values() if s.secondary} == {"alliance", "wtn"}
    assert {s.id for s in sources.values() if s.headline} == {"izvestia", "wtn"}
    # A title that only describes the article is never shown as a headline.
    footer = resolve_view(data, view_from_flags(data, select=("treaty-signed",))).footer()
    assert "News.Az, [Experts on the Russia–Iran" in footer
    assert "“Experts on" not in footer and "“Putin and Pezeshkian sign" not in footer
    assert "Izvestia, “Seal the Deal:" in footer
    assert "world-today-news.com, “Russian and Iranian Presidents" in footer
    assert "secondary: rewrites other outlets' reporting" in footer
    # Where an event rests on them alone, it says so.
    for event in data.events:
        cited = [sources[s] for s in event.sources]
        alone = bool(cited) and all(s.secondary for s in cited)
        assert (flags.SECONDARY_ONLY in flags.flags_of(event, data)) == alone, event.id
    assert "rewritten wire article alone" in data.event("gas-via-azerbaijan").summary
    assert "as a rewrite of wire copy puts it" in data.event("treaty-signed").summary


# --- since then ----------------------------------------------------------------

LATER = {
    "duma-ratifies": ("2025-04-08", None),
    "putin-ratification-law": ("2025-04-21", None),
    "majlis-approves": ("2025-05-21", None),
    "israel-iran-war": ("2025-06-13", "2025-06-24"),
    "us-strikes-nuclear-sites": ("2025-06-22", None),
    "un-sanctions-reinstated": ("2025-09-28", None),
    "treaty-in-force": ("2025-10-02", None),
}


def test_the_later_milestones_are_background_from_the_public_record(data):
    for event_id, (start, end) in LATER.items():
        event = data.event(event_id)
        assert event.start.iso() == start and (event.end.iso() if event.end else None) == end
        assert flags.is_background(event) and "public record" in event.note
        assert flags.confidence_of(event) is flags.CONFIRMED
    assert "no military help" in data.event("israel-iran-war").summary


def test_the_story_has_a_ninth_step_since_then(data):
    assert [s.order for s in data.story] == list(range(1, 10))
    last = data.story[-1]
    assert last.title == "Since then" and set(last.events) == set(LATER)
    assert "In force from 2 October 2025" in last.caption
    assert "Russia sent Iran no military help" in last.caption
    assert "Duma ratified on 8 April" in last.notes and "Iran's parliament approved" in last.notes
    assert "no mutual-defence clause" in last.notes and "Article 3" in last.notes
    events = [data.event(i) for i in last.events]
    assert last.start.lower() <= min(e.lower() for e in events)
    assert max(e.upper() for e in events) <= last.end.upper()


def test_the_readme_describes_the_story_as_it_is(data):
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "The built-in story has nine steps" in text
    assert "and since then: ratification in both countries" in text
    events, places = len(data.events), len(data.places)
    assert f"{events} events, {places} places" in text
    assert f"{len(data.citations)} citations" in text
    assert "a 9-step briefing story" in text


# --- evidence -------------------------------------------------------------------


def test_every_event_carries_its_confidence(data):
    for event in data.events:
        assert flags.confidence_of(event) is not None, event.id


@cache
def _paragraphs(name: str) -> list[str]:
    text = (SEEDS / name).read_text(encoding="utf-8")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _seed_of(data: Dataset, source_id: str) -> str:
    return data.sources[source_id].note.rsplit("seeds/", 1)[1]


def test_every_citation_quotes_its_own_article_word_for_word(data):
    """Each (event, source) pair has its own quote, found in the paragraph(s) of
    that source's archived text that its locator names; " … " marks a cut, and
    the pieces come in the article's order."""
    checked = 0
    for event in data.events:
        for source_id in event.sources:
            citation = data.citation(event.id, source_id)
            assert citation is not None and citation.quote, (event.id, source_id)
            found = re.fullmatch(r"paragraphs? (\d+)(?:–(\d+))?", citation.locator)
            assert found, (event.id, source_id, citation.locator)
            first, last = int(found[1]), int(found[2] or found[1])
            text = " ".join(_paragraphs(_seed_of(data, source_id))[first - 1 : last])
            at = 0
            for piece in citation.quote.split(" … "):
                where = text.find(" ".join(piece.split()), at)
                assert where >= 0, (event.id, source_id, piece)
                at = where + len(piece)
            checked += 1
    assert checked == len(data.citations) >= 50


def test_no_event_shows_another_events_quote(data):
    """The drone event once showed the gas quote: a quote supports the event it is cited for."""
    drones = data.citation("shahed-drones", "alliance").quote
    gas = data.citation("gas-via-azerbaijan", "alliance").quote
    assert "drones" in drones and "55 billion" in gas


def test_the_schema_tables_cover_the_model():
    """The events and citations tables name every model field (the rest are worked out)."""
    from dataclasses import fields

    from desktop.core.model import Citation

    for sheet, model in ((EVENTS, Event), (CITATIONS, Citation)):
        named = {c.field for c in sheet.fields if c.field}
        assert named == {f.name for f in fields(model)} - {"extra"}, sheet.name

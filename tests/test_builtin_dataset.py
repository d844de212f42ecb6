"""The built-in Russia–Iran treaty dataset, in all three on-disk forms."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.load import load_dataset
from desktop.core.save import save_dataset
from desktop.resources import builtin_dataset


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("json") / "treaty.json"
    assert main(["export", "--json", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


@pytest.mark.parametrize("form", ["folder", "treaty.xlsx", "treaty.json"])
def test_every_form_validates_clean_and_loads_the_same(tmp_path, capsys, form):
    original = load_dataset(builtin_dataset())
    target = builtin_dataset() if form == "folder" else tmp_path / form
    if form != "folder":
        save_dataset(original.dataset, target)
    assert main(["validate", "--strict", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert load_dataset(target).dataset == original.dataset


def test_at_least_25_events_each_with_a_source_or_marked_background(exported):
    assert len(exported["events"]) >= 25
    sources = by_id(exported["sources"])
    for event in exported["events"]:
        assert all(s in sources for s in event["sources"])
        if not event["sources"]:  # the later milestones: the public record, said so
            assert "background" in event["tags"], event["id"]
            assert "public record" in event["note"], event["id"]


@pytest.mark.parametrize(
    ("event_id", "start", "end", "precision", "places"),
    [
        ("treaty-2001", "2001-03-12", None, "day", ["moscow"]),
        ("signing-delayed", "2024-05", "2025-01-17", "month", ["moscow", "tehran"]),
        ("raisi-death", "2024-05-19", None, "day", ["varzaqan"]),
        ("treaty-signed", "2025-01-17", None, "day", ["moscow"]),
        ("trump-inauguration", "2025-01-20", None, "day", ["washington"]),
        ("treaty-term", "2025", "2045", "year", []),
        ("text-ready", "2024-11", None, "month", ["moscow", "tehran"]),
        ("pezeshkian-elected", "2024-07", None, "month", ["tehran"]),
    ],
)
def test_anchor_events(exported, event_id, start, end, precision, places):
    event = by_id(exported["events"])[event_id]
    assert (event["start"], event["end"], event["precision"]) == (start, end, precision)
    assert event["places"] == places


def test_rough_dates_stay_rough(exported):
    events = by_id(exported["events"])
    assert (
        events["text-ready"]["approximate"]
        and events["text-ready"]["date_label"] == "mid-November 2024"
    )
    assert events["peskov-no-delay"]["precision"] == "month"
    assert events["peskov-no-delay"]["date_label"] == "early December 2024"
    assert events["bushehr-launch"]["precision"] == "year"


def test_facts_from_outside_the_sources_are_marked_background(exported):
    events = by_id(exported["events"])
    for event_id in ("treaty-2001", "raisi-death", "assad-falls", "kazan-summit", "jcpoa"):
        assert events[event_id]["note"].startswith("Background"), event_id
    # And the other way round: every note that says so carries the flag the audience sees.
    for event in exported["events"]:
        background = event["note"].startswith("Background")
        assert background == ("background" in event["tags"]), event["id"]


def test_signing_summary_has_the_numbers(exported):
    summary = by_id(exported["events"])["treaty-signed"]["summary"]
    assert "47 articles" in summary and "20-year" in summary


# Reference coordinates (decimal degrees) of the places a briefing needs.
PLACES = {
    "moscow": (55.76, 37.62),
    "tehran": (35.69, 51.39),
    "baku": (40.41, 49.87),
    "astrakhan": (46.35, 48.04),
    "rasht": (37.28, 49.58),
    "astara": (38.43, 48.87),
    "bandar-abbas": (27.18, 56.27),
    "bushehr": (28.92, 50.82),
    "kazan": (55.80, 49.11),
    "washington": (38.91, -77.04),
    "damascus": (33.51, 36.28),
    "vienna": (48.21, 16.37),
}


def test_places_have_correct_coordinates(exported):
    places = by_id(exported["places"])
    for place_id, (lat, lon) in PLACES.items():
        assert math.isclose(places[place_id]["lat"], lat, abs_tol=0.05), place_id
        assert math.isclose(places[place_id]["lon"], lon, abs_tol=0.05), place_id
    assert places["azerbaijan"]["kind"] == "area" and places["azerbaijan"]["iso3"] == "AZE"


def test_routes(exported):
    places = by_id(exported["places"])
    west, caspian, gas = places["instc-west"], places["instc-caspian"], places["gas-route"]
    assert {west["kind"], caspian["kind"], gas["kind"]} == {"route"}
    baku, astara, bandar = (PLACES[k] for k in ("baku", "astara", "bandar-abbas"))

    def passes(route, point):
        return any(math.dist(p, point) < 0.05 for p in route["points"])

    assert passes(west, baku) and passes(west, astara) and passes(west, bandar)
    assert passes(caspian, PLACES["astrakhan"]) and passes(caspian, bandar)
    assert not passes(caspian, baku)
    assert passes(gas, baku)


def test_story_has_six_to_ten_steps_in_order(exported):
    steps = exported["story"]
    assert 6 <= len(steps) <= 10
    assert [s["order"] for s in steps] == sorted(s["order"] for s in steps)
    ids = {e["id"] for e in exported["events"]}
    assert all(set(s["events"]) <= ids and s["events"] for s in steps)


def test_sources_name_their_archived_articles(exported):
    publishers = {s["publisher"] for s in exported["sources"]}
    assert {"Izvestia", "News.Az", "world-today-news.com"} <= publishers
    for source in exported["sources"]:
        assert source["title"] and source["date"]
        name = source["note"].rsplit("seeds/", 1)[1]
        assert (SEEDS / name).is_file(), name


SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"

"""The map page as a string: offline, carrying the dataset, never carrying live script from it."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from desktop.core.model import Dataset
from desktop.mapview import category_colors
from desktop.mapview.page import PageError, build_map_page, network_urls
from desktop.mapview.palette import OKABE_ITO, UNCATEGORISED
from desktop.mapview.payload import map_payload
from desktop.mapview.safety import safe_html, safe_url, script_json

from .conftest import PAYLOADS, hostile_dataset


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def test_palette_is_okabe_ito_stable_and_distinct():
    colors = category_colors(["treaty", "energy", "politics", "treaty", ""])
    assert colors == {
        "energy": OKABE_ITO[0],
        "politics": OKABE_ITO[1],
        "treaty": OKABE_ITO[2],
        "": UNCATEGORISED,
    }
    # Asking with the categories in another order gives the same answer.
    assert category_colors(["", "politics", "treaty", "energy"]) == colors
    eight = category_colors([f"c{i}" for i in range(8)])
    assert len(set(eight.values())) == 8
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in eight.values())


def test_builtin_page_is_offline_and_carries_places(builtin):
    started = time.perf_counter()
    page = build_map_page(builtin)
    elapsed = time.perf_counter() - started
    print(f"\nmap page: {len(page.encode()) / 1024:.0f} KB, built in {elapsed * 1000:.0f} ms")
    assert network_urls(page) == []
    # Leaflet is inlined, not linked, and folium's extras are gone.
    assert "L.map(" in page or "L.map (" in page
    tags = parse(page)
    assert not [a for t, a in tags.tags if t == "script" and a.get("src")]
    assert not [a for t, a in tags.tags if t == "link" and a.get("href")]
    for dropped in ("bootstrap", "font-awesome", "fontawesome", "awesome-markers", "jquery"):
        assert dropped not in page.lower()
    payload = map_payload(builtin)
    routes = [p for p in payload["places"] if p["kind"] == "route"]
    assert {r["id"] for r in routes} >= {"instc-west", "instc-caspian", "gas-route"}
    assert [r["id"] for r in routes if r["planned"]] == ["gas-route"]
    area = next(p for p in payload["places"] if p["kind"] == "area")
    assert area["iso3"] == "AZE"
    for place in builtin.places.values():
        assert script_json(place.id) in page
    # The highlighted area comes from the basemap, which must hold Azerbaijan.
    assert '"iso3":"AZE"' in page.replace(" ", "")


def test_linked_page_points_at_existing_local_files(builtin, tmp_path):
    page = build_map_page(
        builtin, inline=False, head_scripts=["qrc:///qtwebchannel/qwebchannel.js"]
    )
    assert network_urls(page) == []
    tags = parse(page)
    urls = [a.get("src") or a.get("href") for t, a in tags.tags if t in ("script", "link")]
    files = [u for u in urls if u and u.startswith("file://")]
    assert len(files) == 6  # leaflet and markercluster js + css, the page's own js + css
    from pathlib import Path
    from urllib.parse import unquote, urlparse

    for url in files:
        assert Path(unquote(urlparse(url).path)).is_file(), url
    assert "qrc:///qtwebchannel/qwebchannel.js" in urls


def test_network_scripts_are_refused(builtin):
    with pytest.raises(PageError):
        build_map_page(builtin, head_scripts=["https://cdn.example.org/x.js"])
    assert network_urls('<img src="https://x.org/a.png"><a href="http://y.org">y</a>') == [
        "<img src='https://x.org/a.png'>",
        "<a href='http://y.org'>",
    ]


def test_script_payloads_reach_the_page_only_as_inert_text():
    dataset = hostile_dataset()
    page = build_map_page(dataset)
    clean = build_map_page(Dataset(title="x", events=[], places={}))
    tags, clean_tags = parse(page), parse(clean)
    # No tag came from the data: same tags as a page with no data at all.
    assert [t for t, _ in tags.tags] == [t for t, _ in clean_tags.tags]
    assert not any(k.startswith("on") for _, attrs in tags.tags for k in attrs)
    assert "<script>window.pwned" not in page
    assert "<img src=x" not in page
    # A javascript: link survives only as the literal text of a plain-text field.
    assert page.count("javascript:") == 1
    assert "headline\\u003c/a\\u003e" in page
    # The title is escaped text.
    assert tags.title == dataset.title
    # The data the script gets keeps the payload as plain text in the title...
    payload = map_payload(dataset)
    events = {e["id"]: e for e in payload["events"]}
    assert events["e1"]["title"] == PAYLOADS[0]
    # ...drops script and javascript: links from summaries, keeps emphasis and safe links...
    summary = events["e1"]["summary"]
    assert "<em>today</em>" in summary
    assert 'href="https://example.org/"' in summary
    assert "javascript" not in summary and "onerror" not in summary and "<script" not in summary
    assert "<img" not in summary
    # ...and gives sources only http(s) links.
    urls = {s["id"]: s["url"] for s in payload["sources"]}
    assert urls == {"s1": "", "s2": "https://example.org/a"}


def test_names_that_look_like_a_template_stay_text(builtin):
    # folium assembles the page with Jinja: data must never be read as a template.
    name = "{{ 7*7 }} {% raw %} {# x"
    place = next(iter(builtin.places.values()))
    places = {**builtin.places, place.id: replace(place, name=name)}
    page = build_map_page(replace(builtin, places=places), slim=True)
    assert script_json(name) in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>bold</b> and <i>it</i>", "<b>bold</b> and <i>it</i>"),
        ("<script>alert(1)</script>x", "x"),
        ("<img src=x onerror=alert(1)>y", "y"),
        (
            '<a href="javascript:alert(1)">z</a>',
            '<a target="_blank" rel="noopener noreferrer">z</a>',
        ),
        ("a < b & c", "a &lt; b &amp; c"),
    ],
)
def test_safe_html(text, expected):
    assert safe_html(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("mailto:desk@example.org", "mailto:desk@example.org"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("http:///nohost", ""),
        ("example.org", ""),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_script_json_cannot_close_its_script():
    text = script_json({"t": "</script><!-- & \u2028"})
    assert "</" not in text and "<!--" not in text and "&" not in text
    assert "\u2028" not in text


def test_fixed_colours_stay_and_new_categories_take_free_ones() -> None:
    from desktop.mapview.palette import OKABE_ITO

    fixed = category_colors(["energy", "politics", "treaty"])
    grown = category_colors(["aid", "energy", "politics", "treaty"], fixed.items())
    assert {c: grown[c] for c in fixed} == fixed
    assert grown["aid"] not in fixed.values() and grown["aid"] in OKABE_ITO
    # Without the fixed colours, sorted order: "aid" would take the first.
    assert category_colors(["aid", "energy", "politics", "treaty"])["aid"] == OKABE_ITO[0]

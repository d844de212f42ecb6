"""The HTML export: one offline file, interactive, linked, safe, small; opened in QtWebEngine."""

from __future__ import annotations

import pytest

from desktop.core.dates import PartialDate
from desktop.exports import EXPORTERS, ExportError, ExportOptions
from desktop.exports.html_export import export_html
from desktop.exports.registry_all import load_all
from desktop.exports.selection import subset
from desktop.mapview.page import LAND_COLOR, network_urls

from .conftest import placed_places


def test_registered_as_html_exporter():
    load_all()
    exporter = EXPORTERS["html"]
    assert (exporter.label, exporter.extension, exporter.needs_qt) == (
        "Interactive HTML page",
        ".html",
        False,
    )


def test_builtin_export_is_small_and_offline(builtin, tmp_path):
    out = tmp_path / "briefing.html"
    export_html(builtin, out, ExportOptions())
    size = out.stat().st_size
    print(f"\nHTML export of the built-in dataset: {size / 1024:.0f} KB")
    assert size < 2 * 1024 * 1024
    page = out.read_text(encoding="utf-8")
    assert network_urls(page) == []
    assert "Natural Earth" in page
    assert builtin.title.replace("–", "–") in page


def test_clear_errors_and_existing_file_untouched(builtin, tmp_path):
    out = tmp_path / "keep.html"
    out.write_text("previous export", encoding="utf-8")
    with pytest.raises(ExportError, match="no-such-event"):
        export_html(builtin, out, ExportOptions(select=("no-such-event",)))
    with pytest.raises(ExportError, match="no events between"):
        export_html(builtin, out, ExportOptions(start=PartialDate(1900), end=PartialDate(1901)))
    with pytest.raises(ExportError, match="cannot write"):
        export_html(builtin, tmp_path / "missing-folder" / "x.html", ExportOptions())
    assert out.read_text(encoding="utf-8") == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.html"]


@pytest.mark.gui
def test_export_opens_offline_linked_and_shows_the_basemap(builtin, browser, tmp_path):
    options = ExportOptions(
        start=PartialDate(2024, 6), end=PartialDate(2025, 1), select=("gas-via-azerbaijan",)
    )
    window = subset(builtin, options)
    out = tmp_path / "window.html"
    export_html(builtin, out, options)
    browser.open(out)
    assert browser.network == [], browser.network
    assert not [u for u in browser.requests if not u.startswith(("file:", "data:", "qrc:"))]

    # What the reader sees: title, markers, routes, one strip item per event in the window.
    assert browser.js("document.querySelector('h1').textContent") == builtin.title
    markers = browser.js(
        "[...document.querySelectorAll('.leaflet-marker-pane [data-place-id]')]"
        ".map(e => e.dataset.placeId)"
    )
    assert set(markers) == placed_places(builtin, window.events)
    assert browser.js("document.querySelectorAll('path.cm-route').length") == len(
        [p for p in placed_places(builtin, window.events) if builtin.places[p].kind == "route"]
    )
    items = browser.js("[...document.querySelectorAll('.cm-item')].map(e => e.dataset.eventId)")
    assert sorted(items) == sorted(e.id for e in window.events)
    assert len(items) < len(builtin.events)

    # The exported selection is the initial state: strip, map and detail agree.
    assert browser.js("chronomap.state().selectedEvents") == ["gas-via-azerbaijan"]
    assert browser.js(
        "[...document.querySelectorAll('.cm-item.selected')].map(e => e.dataset.eventId)"
    ) == ["gas-via-azerbaijan"]
    assert (
        browser.js("document.querySelector('.cm-detail-title').textContent")
        == builtin.event("gas-via-azerbaijan").title
    )

    # Click an event in the strip: the map selects and flies to its places.
    browser.click(".cm-item[data-event-id=kazan-summit]")
    browser.qtbot.waitUntil(
        lambda: abs(browser.js("chronomap.state().center")[1] - 49.1) < 1, timeout=5000
    )
    state = browser.js("chronomap.state()")
    assert state["selectedEvents"] == ["kazan-summit"]
    assert state["selectedPlaces"] == ["kazan"]
    assert browser.js("document.querySelector('.cm-marker.selected').dataset.placeId") == "kazan"
    assert (
        browser.js("document.querySelector('.cm-detail-title').textContent")
        == builtin.event("kazan-summit").title
    )
    assert browser.js("document.querySelectorAll('.cm-sources li').length") == len(
        builtin.event("kazan-summit").sources
    )

    # Click a marker: that place's events light up in the strip.
    browser.click(".cm-marker[data-place-id=moscow]")
    expected = sorted(e.id for e in window.events if "moscow" in e.places)
    assert len(expected) >= 2
    highlighted = browser.js(
        "[...document.querySelectorAll('.cm-item.selected')].map(e => e.dataset.eventId)"
    )
    assert sorted(highlighted) == expected
    assert browser.js("document.querySelector('.cm-detail-title').textContent") == "Moscow"

    # The map shows the basemap, not a white page: count land-coloured pixels.
    browser.js("chronomap.setView(42, 45, 4, false)")
    browser.settle(500)
    image = browser.grab(tmp_path / "export.png")
    print(f"\nscreenshot: {tmp_path / 'export.png'}")
    rect = browser.js(
        "(() => { const r = document.querySelector('.folium-map').getBoundingClientRect();"
        " return [r.left, r.top, r.width, r.height]; })()"
    )
    land = sea = total = 0
    left, top, width, height = (int(v) for v in rect)
    for y in range(top + 5, top + height - 5, 7):
        for x in range(left + 5, left + width - 5, 7):
            name = image.pixelColor(x, y).name().upper()
            total += 1
            land += name == LAND_COLOR.upper()
            sea += name == "#DDE8EF"
    assert land / total > 0.2, (land, total)
    assert sea / total > 0.02, (sea, total)
    assert browser.alerts == []


@pytest.mark.gui
def test_script_payloads_run_nowhere_in_the_export(hostile, browser, tmp_path):
    out = tmp_path / "hostile.html"
    export_html(hostile, out, ExportOptions(select=("e1",)))
    browser.open(out)
    # Show every panel that renders event text: the event, its place, the other event.
    browser.click(".cm-item[data-event-id=e1]")
    browser.click(".cm-marker[data-place-id=tehran]")
    browser.click(".cm-item[data-event-id=e2]")
    browser.click(".cm-item[data-event-id=e1]")
    browser.settle(500)
    assert browser.js("typeof window.pwned") == "undefined"
    assert browser.alerts == []
    assert browser.js("document.querySelectorAll('img, svg script, iframe').length") == 0
    assert browser.js("[...document.querySelectorAll('[onerror], [onload]')].length") == 0
    hrefs = browser.js("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    # "#": Leaflet's zoom buttons.
    assert all(h == "#" or h.startswith(("https://", "http://", "mailto:")) for h in hrefs), hrefs
    assert "https://example.org/a" in hrefs
    # The payloads are there, as text the reader can see.
    assert (
        browser.js("document.querySelector('.cm-detail-title').textContent")
        == hostile.event("e1").title
    )
    assert browser.js("document.querySelector('h1').textContent") == hostile.title
    assert browser.network == []


def test_story_step_sets_the_pages_title_window_and_selection(builtin, tmp_path):
    from desktop.exports import ExportOptions
    from desktop.exports.html_export import export_html

    out = tmp_path / "step.html"
    export_html(builtin, out, ExportOptions(step=7))
    page = out.read_text(encoding="utf-8")
    assert "<h1" in page and "Corridor and gas via Azerbaijan" in page
    assert "up to 55 bcm a year" in page
    assert '"corridor-progress"' in page and '"gas-via-azerbaijan"' in page

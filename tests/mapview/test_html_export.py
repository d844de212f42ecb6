"""The HTML export: one offline file, interactive, linked, safe, small; opened in QtWebEngine."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from desktop.core.dates import PartialDate
from desktop.core.display import date_words
from desktop.core.flags import source_title
from desktop.core.model import Dataset
from desktop.core.synthetic import make_dataset
from desktop.core.view_state import ViewState
from desktop.exports import EXPORTERS, ExportError
from desktop.exports.html_export import export_html
from desktop.exports.selection import subset
from desktop.exports.view import view_from_flags
from desktop.gui.exporters import load_all
from desktop.mapview.page import LAND_COLOR, network_urls
from desktop.mapview.payload import map_payload
from desktop.mapview.safety import script_json

from . import strip
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
    export_html(builtin, out, view_from_flags(builtin))
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
        export_html(builtin, out, view_from_flags(builtin, select=("no-such-event",)))
    with pytest.raises(ExportError, match="no events between"):
        window = view_from_flags(builtin, start=PartialDate(1900), end=PartialDate(1901))
        export_html(builtin, out, window)
    with pytest.raises(ExportError, match="cannot write"):
        export_html(builtin, tmp_path / "missing-folder" / "x.html", view_from_flags(builtin))
    assert out.read_text(encoding="utf-8") == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.html"]


@pytest.mark.gui
def test_export_opens_offline_linked_and_shows_the_basemap(builtin, browser, tmp_path):
    options = view_from_flags(
        builtin,
        start=PartialDate(2024, 6),
        end=PartialDate(2025, 1),
        select=("gas-via-azerbaijan",),
    )
    window = subset(builtin, options)
    out = tmp_path / "window.html"
    export_html(builtin, out, options)
    browser.open(out)
    assert browser.network == [], browser.network
    assert not [u for u in browser.requests if not u.startswith(("file:", "data:", "qrc:"))]

    # What the reader sees: title, markers, routes, a mark on the strip per event in the window.
    assert browser.js("document.querySelector('h1').textContent") == builtin.title
    # Every place of the window's events is drawn (its own marker, or in a cluster).
    placed = placed_places(builtin, window.events)
    assert set(browser.js("chronomap.state().visiblePlaces")) == placed
    drawn = {pid: browser.js(f"chronomap.placeShown('{pid}')") for pid in placed}
    assert set(drawn.values()) <= {"marker", "cluster", "outside"}, drawn
    # The map opens on the selection (gas via Azerbaijan); what lies beyond is counted.
    assert drawn["baku"] == "marker" and drawn["washington"] == "outside"
    elsewhere = browser.js("chronomap.state().elsewhere")
    assert elsewhere["events"] >= 1 and elsewhere["sides"]["west"] >= 1
    assert browser.js("document.querySelector('.cm-elsewhere').textContent").endswith(" elsewhere")
    assert browser.js("document.querySelectorAll('path.cm-route').length") == len(
        [p for p in placed_places(builtin, window.events) if builtin.places[p].kind == "route"]
    )
    on_strip = [e.id for e in builtin.events if strip.drawn(browser, e.id)]
    assert sorted(on_strip) == sorted(e.id for e in window.events)
    assert len(on_strip) < len(builtin.events)

    # The exported selection is the initial state: strip, map and detail agree.
    assert browser.js("chronomap.state().selectedEvents") == ["gas-via-azerbaijan"]
    assert strip.selected(browser) == ["gas-via-azerbaijan"]
    assert strip.ringed(browser, "gas-via-azerbaijan")
    assert not strip.ringed(browser, "kazan-summit")
    assert (
        browser.js("document.querySelector('.cm-detail-title').textContent")
        == builtin.event("gas-via-azerbaijan").title
    )

    # Click an event in the strip: the map selects and flies to its places.
    strip.click(browser, "kazan-summit")
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
    browser.js("chronomap.setView(55.75, 37.6, 7, false)")
    browser.settle()
    browser.click(".cm-marker[data-place-id=moscow]")
    expected = sorted(e.id for e in window.events if "moscow" in e.places)
    assert len(expected) >= 2
    assert sorted(strip.selected(browser)) == expected
    assert all(strip.ringed(browser, i) for i in expected)
    assert not strip.ringed(browser, "kazan-summit")
    assert browser.js("document.querySelector('.cm-detail-title').textContent") == "Moscow"

    # The map shows the basemap, not a white page: count land-coloured pixels.
    browser.js("chronomap.setView(42, 45, 4, false)")
    browser.settle()
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
    export_html(hostile, out, view_from_flags(hostile, select=("e1",)))
    browser.open(out)
    # Show every panel that renders event text: the event, its place, the other event.
    strip.click(browser, "e1")
    browser.click(".cm-marker[data-place-id=tehran]")
    strip.click(browser, "e2")
    assert strip.point_at(browser, "e2") == "e2"  # the whole label, as text
    assert strip.tip(browser)["text"].endswith(hostile.event("e2").title)
    strip.click(browser, "e1")
    browser.settle()
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
    out = tmp_path / "step.html"
    export_html(builtin, out, view_from_flags(builtin, step=7))
    page = out.read_text(encoding="utf-8")
    assert "<h1" in page and "Corridor and gas via Azerbaijan" in page
    assert "up to 55 bcm a year" in page
    assert '"corridor-progress"' in page and '"gas-via-azerbaijan"' in page


def test_event_text_that_looks_like_a_template_stays_text(builtin, tmp_path):
    # The page is assembled with Jinja templates; event text must never be read as one.
    title = "{{ 7*7 }} {% raw %} {# x"
    first = replace(builtin.events[0], title=title, summary="<p>{{ config }}</p>")
    dataset = replace(builtin, events=[first, *builtin.events[1:]])
    out = tmp_path / "braces.html"
    export_html(dataset, out, view_from_flags(dataset))
    page = out.read_text(encoding="utf-8")
    assert script_json(title) in page
    assert script_json("{{ config }}") in page


def varied(n: int) -> Dataset:
    """Synthetic events with every kind of date text, summaries and several sources."""
    base = make_dataset(n, n_places=60, n_sources=40, seed=3)
    events = [
        replace(
            e,
            approximate=i % 7 == 0,
            date_label=f"mid-{e.start.year}" if i % 11 == 0 else "",
            summary=f"<p>Summary of <em>event {i}</em></p>" if i % 5 == 0 else "",
            sources=e.sources + (("s1",) if i % 3 == 0 and e.sources != ("s1",) else ()),
        )
        for i, e in enumerate(base.events)
    ]
    return replace(base, events=events)


@pytest.mark.gui
def test_every_event_shows_its_title_date_and_sources(browser, tmp_path):
    # The page carries its events packed; what the reader sees must be all there.
    dataset = varied(1500)
    out = tmp_path / "many.html"
    export_html(dataset, out, view_from_flags(dataset))
    browser.open(out)
    events = dataset.sorted_events()
    # Unpacked, the events are the records the map and the strip have always read.
    assert browser.js("chronomap.data().events") == map_payload(dataset)["events"]

    # One mark per event; pointed at, each shows its date and whole title. Where
    # marks overlap, the one on top answers: most are pointed at this way.
    pointed = strip.point_at_each(browser, [e.id for e in events])
    assert len(pointed) >= 20, len(pointed)
    for e in events:
        if e.id in pointed:
            assert pointed[e.id]["shown"]
            assert pointed[e.id]["title"] == f"{e.display_date()} · {e.title}"
            assert pointed[e.id]["text"] == e.title
    # An approximate date is a hollow mark: white inside, where an exact one is filled.
    exact = next(e for e in events if not e.approximate and e.id in pointed)
    approximate = next(e for e in events if e.approximate and e.id in pointed)

    def middle(event_id):
        x, y = strip.centre(strip.box(browser, event_id))
        return strip.pixels(browser, {"x": x, "y": y, "width": 1, "height": 1})[0]

    color = browser.js(f"chronomap.data().colors[{json.dumps(exact.category)}]")
    assert middle(exact.id) == tuple(int(color[k : k + 2], 16) for k in (1, 3, 5))
    assert middle(approximate.id) == (255, 255, 255)
    assert set(browser.js("chronomap.state().visiblePlaces")) == placed_places(dataset)
    assert {browser.js(f"chronomap.placeShown('{pid}')") for pid in placed_places(dataset)} <= {
        "marker",
        "cluster",
        "outside",
    }

    # Open every event's details, as a reader stepping through the strip with the
    # arrow keys would.
    shown = browser.js(
        "(() => { const c = document.querySelector('.cm-strip-canvas'); c.focus();"
        " return chronomap.data().events.map(() => {"
        " c.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));"
        " const d = document.getElementById('cm-detail');"
        " const text = s => d.querySelector(s)?.textContent ?? '';"
        " return [chronomapStrip.selected()[0], text('.cm-chip'), text('.cm-detail-title'),"
        " text('.cm-detail-date'), text('.cm-summary'), text('.cm-detail-places'),"
        " [...d.querySelectorAll('.cm-source')].map(li => li.textContent)]; }); })()",
        timeout=60000,
    )

    def expected(e):
        names = [dataset.places[p].name for p in e.places]
        sources = [dataset.sources[s] for s in e.sources]
        return [
            e.id,
            e.category,
            e.title,
            e.display_date(),
            f"Summary of event {int(e.id[1:])}" if e.summary else "",
            f"Places: {', '.join(names)}" if names else "",
            # A title is a headline only where the dataset says so: else in brackets.
            [
                f"{s.publisher} · {date_words(s.date) if s.date else ''}{source_title(s)}"
                for s in sources
            ],
        ]

    assert shown == [expected(e) for e in events]
    assert any("c. " in row[3] for row in shown) and any("mid-" in row[3] for row in shown)
    assert browser.alerts == []


@pytest.mark.gui
def test_hidden_categories_and_search_leave_the_strip_and_legend(builtin, browser, tmp_path):
    options = view_from_flags(builtin, hidden=("treaty", "era"), search="russia")
    out = tmp_path / "filtered.html"
    export_html(builtin, out, options)
    browser.open(out)
    # What the window shows with the same filter bar.
    state = ViewState(builtin)
    state.set_hidden_categories({"treaty", "era"})
    state.set_search("russia")
    items = [e.id for e in builtin.events if strip.drawn(browser, e.id)]
    assert sorted(items) == sorted(state.visible_ids())
    categories = {builtin.event(i).category for i in items}
    assert categories and not categories & {"treaty", "era"}
    assert len(items) < len(builtin.events)
    legend = browser.js("[...document.querySelectorAll('.cm-legend li')].map(li => li.textContent)")
    assert sorted(legend) == sorted(categories)
    assert "treaty" not in legend and "era" not in legend
    count = browser.js("document.querySelector('.cm-window').textContent")
    assert count.endswith(f"{len(items)} events")


@pytest.mark.gui
def test_flags_and_quotes_reach_the_handout(builtin, browser, tmp_path):
    """A contested event and a background one carry their flag in the strip and the
    details, a legend says what each flag means, and each source shows the quote
    it gives for that event, with where it stands."""
    out = tmp_path / "flags.html"
    window = view_from_flags(builtin, start=PartialDate(2024, 12), end=PartialDate(2025, 1))
    export_html(builtin, out, window)
    browser.open(out)
    # Pointed at, an event shows its flags ahead of its whole title.
    shown = {}
    for event_id in ("strike-reports", "treaty-signed"):
        assert strip.point_at(browser, event_id) == event_id
        shown[event_id] = strip.tip(browser)
    assert shown["strike-reports"]["cue"] == "reported · background"
    assert shown["strike-reports"]["text"] == "reported · background" + (
        builtin.event("strike-reports").title
    )
    assert shown["strike-reports"]["title"].endswith("[reported · background]")
    assert shown["treaty-signed"]["cue"] == ""
    assert shown["treaty-signed"]["text"] == builtin.event("treaty-signed").title
    # A label drawn on the strip starts with its flags, boxed in the cue's brown.
    flagged = browser.js("chronomap.data().events.filter(e => e.cue).map(e => e.id)")
    assert "treaty-contents" in flagged and "treaty-signed" not in flagged
    labelled = [i for i in flagged if browser.js(f"chronomapStrip.labelShown('{i}')") > 20]
    assert labelled
    for event_id in labelled:
        mark = strip.box(browser, event_id)
        label = {"x": mark["x"] + mark["width"] + 4, "y": mark["y"] - 4, "width": 20, "height": 18}
        assert (0x8F, 0x3C, 0x00) in strip.pixels(browser, label), event_id
    legend = browser.js(
        "[...document.querySelectorAll('.cm-flags-legend li')].map(li => li.textContent)"
    )
    assert "contested: denied by those involved, or the sources disagree" in legend
    assert any(line.startswith("background: partly or wholly from the public") for line in legend)

    # The treaty's contents lie under its signing, the same day: one click on the
    # signing, then the left arrow steps to the event before it.
    strip.click(browser, "treaty-signed")
    browser.js(
        "document.querySelector('.cm-strip-canvas').dispatchEvent("
        "new KeyboardEvent('keydown', {key: 'ArrowLeft', bubbles: true}))"
    )
    assert strip.selected(browser) == ["treaty-contents"]
    flags = browser.js("[...document.querySelectorAll('.cm-flags li')].map(li => li.textContent)")
    assert flags[0] == "contested: denied by those involved, or the sources disagree"
    assert flags[1].startswith("background: ")
    note = browser.js("document.querySelector('.cm-note').textContent")
    assert note == "Note: " + builtin.event("treaty-contents").note
    sources = browser.js(
        "[...document.querySelectorAll('.cm-source')].map(li =>"
        " [li.querySelector('.cm-headline').textContent,"
        "  li.querySelector('.cm-quote')?.textContent,"
        "  li.querySelector('.cm-locator')?.textContent,"
        "  li.querySelector('.cm-remark')?.textContent ?? ''])"
    )
    event = builtin.event("treaty-contents")
    assert len(sources) == len(event.sources)
    for (heading, quote, locator, remark), source_id in zip(sources, event.sources, strict=True):
        source, citation = builtin.sources[source_id], builtin.citation(event.id, source_id)
        assert heading == source_title(source)
        assert (quote, locator.strip()) == (citation.quote, citation.locator)
        assert ("secondary" in remark) == source.secondary
    # A title that is not a headline is never in quotation marks.
    assert sources[0][0] == "[Experts on the Russia–Iran 20-year strategic partnership treaty]"
    assert browser.alerts == []


@pytest.mark.gui
def test_strip_of_thousands_is_one_canvas(browser, tmp_path):
    """A few thousand events: the strip is drawn, not built of an element per event;
    pointing shows a whole title, a click selects and the map follows, zoom redraws."""
    dataset = varied(3000)
    out = tmp_path / "thousands.html"
    export_html(dataset, out, view_from_flags(dataset))
    browser.open(out)
    # Few elements in all, however many events: the strip is a canvas and one tip.
    assert browser.js("document.querySelectorAll('#cm-strip-scroll *').length") == 3
    assert browser.js("document.getElementsByTagName('*').length") < 1500
    assert browser.js("document.querySelector('.cm-strip-canvas').getAttribute('aria-label')")
    events = dataset.sorted_events()
    colors = browser.js("chronomap.data().colors")

    def rgb(color):
        return tuple(int(color[k : k + 2], 16) for k in (1, 3, 5))

    # The marks on top are where the layout puts them, in their category's colour.
    pointed = strip.point_at_each(browser, [e.id for e in events])
    solid = [e for e in events if e.id in pointed and not e.approximate]
    assert len(solid) >= 5, len(pointed)
    for e in solid:
        x, y = strip.centre(strip.box(browser, e.id))
        pixel = strip.pixels(browser, {"x": x, "y": y, "width": 1, "height": 1})[0]
        assert pixel == rgb(colors[e.category]), e.id
    # Where no event is, nothing is drawn but the grid.
    empty = browser.js(
        "(() => { const r = document.querySelector('.cm-strip-canvas').getBoundingClientRect();"
        " return {x: r.left + 1, y: r.bottom - 3, width: r.width - 2, height: 1}; })()"
    )
    assert set(strip.pixels(browser, empty)) <= strip.BACKGROUND

    # Pointing at an event whose label is cut short shows its whole title.
    target = next(
        e
        for e in solid
        if browser.js(f"chronomapStrip.labelShown('{e.id}')") == 0 or e is solid[-1]
    )
    assert strip.point_at(browser, target.id) == target.id
    assert strip.tip(browser) == {
        "shown": True,
        "text": target.title,
        "cue": "",
        "title": f"{target.display_date()} · {target.title}",
    }

    # The pointer may move along the whole label it shows: it stays, and a click there
    # is a click on the event.
    end = browser.js(
        "(() => { const r = document.querySelector('.cm-tip').getBoundingClientRect();"
        " return [r.right - 2, r.top + r.height / 2]; })()"
    )
    assert browser.js(f"chronomapStrip.eventAt({end[0]}, {end[1]})") == target.id

    # A click selects it: ringed on the strip, shown in the details, the map follows.
    assert not strip.ringed(browser, target.id)
    browser.js("chronomap.setView(-45, -120, 6, false)")  # far from every place
    browser.settle()
    assert {browser.js(f"chronomap.placeShown('{p}')") for p in target.places} == {"outside"}
    strip.click(browser, target.id)
    assert strip.selected(browser) == [target.id]
    assert strip.ringed(browser, target.id)
    state = browser.js("chronomap.state()")
    assert state["selectedEvents"] == [target.id]
    assert sorted(state["selectedPlaces"]) == sorted(target.places)
    assert browser.js("document.querySelector('.cm-detail-title').textContent") == target.title
    browser.qtbot.waitUntil(
        lambda: (
            "outside" not in {browser.js(f"chronomap.placeShown('{p}')") for p in target.places}
        ),
        timeout=5000,
    )

    # Zooming in draws the marks wider, the selection still ringed.
    before = strip.box(browser, target.id)["width"]
    browser.click("#cm-zoom-in")
    browser.click("#cm-zoom-in")
    after = strip.box(browser, target.id)
    assert after["width"] == pytest.approx(max(before * 4, 10), rel=0.02)
    assert strip.ringed(browser, target.id)
    assert browser.alerts == []

"""Reading the exported page's timeline strip, a canvas, as a reader would: by its pixels,
by pointing at an event and by clicking it."""

from __future__ import annotations

import json
from typing import Any

# What the strip's background and date grid are painted in: anything else is a mark or a label.
BACKGROUND = {(255, 255, 255), (238, 241, 243), (215, 221, 226), (0, 0, 0)}


def box(browser: Any, event_id: str) -> dict[str, float] | None:
    """The event's mark on screen (client px), scrolled into view; None when not on the strip."""
    return browser.js(
        f"(() => {{ chronomapStrip.reveal({json.dumps(event_id)});"
        f" return chronomapStrip.boxOf({json.dumps(event_id)}); }})()"
    )


def pixels(browser: Any, rect: dict[str, float]) -> list[tuple[int, int, int]]:
    """The canvas's pixels (RGB over white) inside a client rectangle."""
    return [
        tuple(p)
        for p in browser.js(
            "(() => { const c = document.querySelector('.cm-strip-canvas');"
            " const r = c.getBoundingClientRect(); const d = devicePixelRatio;"
            f" const x = Math.round(({rect['x']} - r.left) * d),"
            f" y = Math.round(({rect['y']} - r.top) * d);"
            f" const w = Math.max(1, Math.round({rect['width']} * d)),"
            f" h = Math.max(1, Math.round({rect['height']} * d));"
            " const px = c.getContext('2d').getImageData(x, y, w, h).data; const out = [];"
            " for (let i = 0; i < px.length; i += 4) { const a = px[i + 3] / 255;"
            " out.push([0, 1, 2].map(k => Math.round(px[i + k] * a + 255 * (1 - a)))); }"
            " return out; })()"
        )
    ]


def drawn(browser: Any, event_id: str) -> bool:
    """Whether the strip lays the event out and paints something where its mark is."""
    rect = box(browser, event_id)
    return rect is not None and any(p not in BACKGROUND for p in pixels(browser, rect))


def centre(rect: dict[str, float]) -> tuple[float, float]:
    return rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2


def _mouse(browser: Any, kind: str, x: float, y: float) -> None:
    browser.js(
        "document.querySelector('.cm-strip-canvas').dispatchEvent(new MouseEvent("
        f"'{kind}', {{bubbles: true, cancelable: true, view: window,"
        f" clientX: {x}, clientY: {y}}}))"
    )


def point_at(browser: Any, event_id: str) -> str | None:
    """Move the pointer onto the event's mark; the event the strip finds there."""
    rect = box(browser, event_id)
    assert rect is not None, f"{event_id} is not on the strip"
    x, y = centre(rect)
    _mouse(browser, "mousemove", x, y)
    return browser.js("document.querySelector('.cm-tip[data-event-id]')?.dataset.eventId")


def click(browser: Any, event_id: str) -> None:
    """Click the middle of the event's mark, where a reader would."""
    rect = box(browser, event_id)
    assert rect is not None, f"{event_id} is not on the strip"
    x, y = centre(rect)
    assert browser.js(f"chronomapStrip.eventAt({x}, {y})") == event_id
    _mouse(browser, "click", x, y)


def tip(browser: Any) -> dict[str, Any]:
    """What pointing shows: the whole label (cue and title) and the hover title."""
    return browser.js(
        "(() => { const t = document.querySelector('.cm-tip');"
        " return {shown: t.style.display !== 'none', text: t.textContent,"
        " cue: t.querySelector('.cm-cue')?.textContent ?? '',"
        " title: document.querySelector('.cm-strip-canvas').title}; })()"
    )


def ringed(browser: Any, event_id: str) -> bool:
    """Whether the selection's orange ring is round the event's mark (above its middle,
    where no other mark reaches)."""
    rect = box(browser, event_id)
    assert rect is not None, f"{event_id} is not on the strip"
    x, _ = centre(rect)
    ring = {"x": x, "y": rect["y"] - 3, "width": 1, "height": 3}
    return any(r > 180 and b < 140 and r - g > 40 for r, g, b in pixels(browser, ring))


def selected(browser: Any) -> list[str]:
    return browser.js("chronomapStrip.selected()")


def point_at_each(browser: Any, event_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Point at each event's mark in turn (in one go, for many events); what pointing
    shows, for those the strip found under the pointer (where marks overlap, the one
    on top answers)."""
    found = browser.js(
        "(() => { const c = document.querySelector('.cm-strip-canvas');"
        " const t = document.querySelector('.cm-tip'); const out = {};"
        f" for (const id of {json.dumps(event_ids)}) {{"
        " chronomapStrip.reveal(id); const b = chronomapStrip.boxOf(id);"
        " c.dispatchEvent(new MouseEvent('mousemove', {bubbles: true, view: window,"
        " clientX: b.x + b.width / 2, clientY: b.y + b.height / 2}));"
        " if (t.dataset.eventId !== id) continue;"
        " out[id] = {shown: t.style.display !== 'none', text: t.textContent,"
        " cue: t.querySelector('.cm-cue')?.textContent ?? '', title: c.title}; }"
        " return out; })()",
        timeout=60000,
    )
    return dict(found)

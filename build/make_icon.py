"""Draw the app icon and write it for each platform into assets/icons/.

    .venv/bin/python build/make_icon.py

The icon is the app in miniature: a pale map with a route between two places,
a pin on one of them, and a timeline of coloured dots along the bottom. It is
drawn once at 1024 px and scaled down, so every size comes from the same art.
Outputs (committed, so a build needs no drawing step): chronomap.png (1024 px),
chronomap-256.png (the Linux desktop entry's icon), chronomap.ico (Windows, 16 to
256 px) and chronomap.icns (macOS).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 1024
OUT = Path(__file__).resolve().parent.parent / "assets" / "icons"

# The map page's own colours (desktop/mapview/page.py) and the category palette.
SEA = (221, 232, 239)
LAND = (242, 239, 233)
BORDER = (180, 173, 160)
INK = (35, 52, 71)
BLUE = (0, 114, 178)
VERMILLION = (213, 94, 0)
GREEN = (0, 158, 115)
ORANGE = (230, 159, 0)


def draw(size: int = SIZE) -> Image.Image:
    """The icon at `size` px, drawn 4x larger and scaled down for smooth edges."""
    big = size * 4
    s = big / 1024  # art is laid out on a 1024 grid

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * s, y0 * s, x1 * s, y1 * s)

    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    # A rounded tile: the sea.
    d.rounded_rectangle(
        box(64, 64, 960, 960), radius=180 * s, fill=SEA, outline=INK, width=int(24 * s)
    )
    # Two land masses with a coastline, roughly a shore and an island.
    d.polygon(
        [
            (x * s, y * s)
            for x, y in ((88, 210), (380, 150), (520, 260), (470, 430), (300, 560), (88, 600))
        ],
        fill=LAND,
        outline=BORDER,
        width=int(10 * s),
    )
    d.polygon(
        [(x * s, y * s) for x, y in ((600, 140), (900, 120), (936, 420), (760, 560), (610, 420))],
        fill=LAND,
        outline=BORDER,
        width=int(10 * s),
    )
    # A dashed route between two places.
    start, end = (250, 400), (760, 350)
    steps = 9
    for i in range(0, steps, 2):
        a = (start[0] + (end[0] - start[0]) * i / steps, start[1] + (end[1] - start[1]) * i / steps)
        b = (
            start[0] + (end[0] - start[0]) * (i + 1) / steps,
            start[1] + (end[1] - start[1]) * (i + 1) / steps,
        )
        d.line([(a[0] * s, a[1] * s), (b[0] * s, b[1] * s)], fill=INK, width=int(22 * s))
    d.ellipse(box(220, 370, 280, 430), fill=BLUE, outline=INK, width=int(10 * s))
    # A pin on the second place: a circle over a triangle pointing at it.
    px, py = end
    d.polygon(
        [((px - 62) * s, (py - 120) * s), ((px + 62) * s, (py - 120) * s), (px * s, py * s)],
        fill=VERMILLION,
    )
    d.ellipse(box(px - 86, py - 250, px + 86, py - 78), fill=VERMILLION)
    d.ellipse(box(px - 34, py - 198, px + 34, py - 130), fill=LAND)
    # The timeline: a band with a rule and dots of event categories.
    d.rounded_rectangle(box(64, 660, 960, 960), radius=180 * s, fill=INK)
    d.rectangle(box(64, 660, 960, 800), fill=INK)
    d.line([(150 * s, 810 * s), (874 * s, 810 * s)], fill=LAND, width=int(16 * s))
    for x, color in ((230, BLUE), (360, GREEN), (470, ORANGE), (610, BLUE), (780, VERMILLION)):
        d.ellipse(box(x - 44, 766, x + 44, 854), fill=color, outline=LAND, width=int(10 * s))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    art = draw(SIZE)
    art.save(OUT / "chronomap.png", optimize=True)
    art.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "chronomap-256.png", optimize=True)
    art.save(OUT / "chronomap.ico", sizes=[(n, n) for n in (16, 24, 32, 48, 64, 128, 256)])
    art.save(OUT / "chronomap.icns")
    for name in sorted(p.name for p in OUT.iterdir()):
        print(OUT / name)


if __name__ == "__main__":
    main()

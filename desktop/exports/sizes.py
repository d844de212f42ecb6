"""Image sizes for snapshots: the named presets the menus offer and the --size forms the CLI reads.

Qt-free: the command line checks a size before any rendering starts, and the
window's menu offers the same presets.
"""

from __future__ import annotations

FULL_HD = (1920, 1080)
UHD_4K = (3840, 2160)
A4_300DPI = (3508, 2480)  # A4 landscape, 297 x 210 mm, at 300 dpi
DEFAULT_SIZE = FULL_HD
SLIDE_SIZE = FULL_HD  # decks are 16:9
# Named sizes the menus offer.
PRESETS: dict[str, tuple[int, int]] = {
    "1920 × 1080 (Full HD)": FULL_HD,
    "3840 × 2160 (4K)": UHD_4K,
    "A4 landscape, 300 dpi (3508 × 2480)": A4_300DPI,
}
# Short names the command line's --size accepts.
SIZE_NAMES: dict[str, tuple[int, int]] = {"hd": FULL_HD, "4k": UHD_4K, "a4": A4_300DPI}
SMALLEST, LARGEST = 16, 16384


def parse_size(text: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT`` (also with × or spaces) or a short name; ValueError says what to fix."""
    named = SIZE_NAMES.get(text.strip().lower())
    if named is not None:
        return named
    parts = text.lower().replace("×", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise ValueError("write it as WIDTHxHEIGHT, e.g. 1920x1080")
    width, height = (int(p) for p in parts)
    if not (SMALLEST <= width <= LARGEST and SMALLEST <= height <= LARGEST):
        raise ValueError(f"each side must be between {SMALLEST} and {LARGEST} pixels")
    return width, height

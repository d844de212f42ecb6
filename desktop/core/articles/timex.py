"""Time expressions in article text: where they are and what kind they are.

Finding is separate from resolving (``resolve.py``): "last year" is found
here whatever the article's date; what year it means depends on the
publication date and on the story so far. Patterns are tried longest form
first and never overlap, so "mid-November last year" is one expression, not a
month and a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "a hundred": 100,
    "several": 3,
    "a few": 3,
    "a couple of": 2,
}

# Month names are matched capitalised only: "may" is a verb, "march" a walk.
_MONTH = (
    r"(?P<month>(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
_QUAL = (
    r"(?P<qual>(?i:early|mid|late|the\s+(?:start|beginning|end|middle)\s+of|"
    r"the\s+(?:first|last|final)\s+(?:days?|weeks?|months?)\s+of|"
    r"the\s+(?:first|second)\s+half\s+of))[\s-]*"
)
_NUM = (
    r"(?P<num>\d{1,3}|(?i:a\s+couple\s+of|a\s+few|a\s+hundred|several|an?|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty))"
)
_UNIT = r"(?P<unit>(?i:day|week|month|year|decade))s?"
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d|2100)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_REL = r"(?P<rel>(?i:last|this|next|past|previous|coming|earlier\s+this|later\s+this))"


@dataclass(frozen=True, slots=True)
class Mention:
    """One time expression: its place in the text, its kind and the parts it named."""

    start: int
    end: int
    text: str
    kind: str
    parts: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def get(self, key: str) -> str:
        return self.parts.get(key) or ""


# (kind, pattern), longest and most specific first.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("iso", r"\b" + _YEAR + r"-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
        ("numeric", r"\b(?P<day>[0-3]?\d)[./](?P<mnum>[01]?\d)[./]" + _YEAR + r"\b"),
        (
            "day_month_year",
            r"\b(?:" + _QUAL + r")?" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b",
        ),
        ("month_day_year", r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b"),
        ("month_year", r"\b(?:" + _QUAL + r")?" + _MONTH + r"\s+(?:of\s+)?" + _YEAR + r"\b"),
        (
            "month_rel_year",
            r"\b(?:" + _QUAL + r")?" + _MONTH + r"\s+(?P<rel>(?i:last|this|next))\s+year\b",
        ),
        (
            "year_range",
            r"\b(?i:from\s+|between\s+)?"
            + _YEAR
            + r"\s*(?:–|—|-|\s(?i:to|and|until)\s)\s*(?P<year2>1[5-9]\d\d|20\d\d|2100)\b(?![-–]\d)",
        ),
        ("qual_year", r"\b" + _QUAL + _YEAR + r"\b(?![-–/]\d)"),
        ("decade", r"\b(?i:the\s+)?(?P<year>1[5-9]\d0|20\d0)s\b"),
        ("day_month", r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?!\s*\d)"),
        ("month_day", r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?!,?\s*\d{4})(?![:.]\d)"),
        ("new_year", r"\b(?:" + _QUAL + r")?(?i:the\s+new\s+year)\b"),
        (
            "month",
            r"\b(?:(?P<prep>(?i:in|since|until|till|by|from|during|before|after|through|of|around))\s+)?(?:"
            + _QUAL
            + r")?"
            + _MONTH
            + r"(?!\s+\d)",
        ),
        ("rel_period", r"\b" + _REL + r"\s+(?P<unit>(?i:year|month|week))\b"),
        ("day_word", r"(?<![\w.-])(?P<word>(?i:today|yesterday|tomorrow|tonight))(?![\w-]|\.\w)"),
        (
            "weekday",
            r"\b(?:(?P<rel>(?i:last|this|next|on|on\s+last|on\s+next|since|by|until))\s+)?"
            + _WEEKDAY
            + r"\b",
        ),
        ("ago", r"\b" + _NUM + r"\s+" + _UNIT + r"\s+(?i:ago)\b"),
        (
            "next_unit",
            r"\b(?i:the\s+(?P<dir>next|following|previous|preceding))\s+(?P<unit>(?i:day|week|month|year))\b",
        ),
        (
            "offset",
            r"\b"
            + _NUM
            + r"[\s-]+"
            + _UNIT
            + r"\s+(?P<dir>(?i:later|earlier|after|before))\b"
            + r"(?P<what>(?:\s+(?i:the)\s+[a-z][\w-]*)?)",
        ),
        ("eve", r"\b(?i:on\s+the\s+eve\s+of)\b(?P<what>\s+(?i:the)\s+[a-z][\w-]*)"),
        (
            "duration",
            r"\b(?P<lead>(?i:for\s+(?:over\s+|more\s+than\s+|nearly\s+|almost\s+|about\s+)?|over\s+|(?:set\s+)?to\s+last\s+(?:for\s+)?))?"
            + _NUM
            + r"[\s-]+"
            + _UNIT
            + r"(?![\s-]+(?i:old|ago|later|earlier|after|before))",
        ),
        (
            "year",
            r"(?<![\d$€£.,/-])\b(?P<prep>(?i:in|since|until|by|from|of|during|before|after|early|late|mid)\s+)?"
            + _YEAR
            + r"\b(?![\d%]|[-–/]\d|\s*(?i:bcm|km|mw|people|troops|tons|tonnes|dollars|barrels))",
        ),
    )
]


def find_mentions(text: str, offset: int = 0) -> list[Mention]:
    """Every time expression in ``text``, in order; offsets are ``offset`` + position in text."""
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end or any(start < b and a < end for a, b in taken):
                continue
            parts = {k: v for k, v in match.groupdict().items() if v}
            if not _plausible(kind, parts, text, start, end):
                continue
            taken.append((start, end))
            found.append(Mention(offset + start, offset + end, text[start:end], kind, parts))
    found.sort(key=lambda m: m.start)
    return found


def _plausible(kind: str, parts: dict[str, str], text: str, start: int, end: int) -> bool:
    if kind == "month":
        # A bare month name needs a preposition or a qualifier: "in July", "early December".
        if not (parts.get("prep") or parts.get("qual")):
            return False
        return parts.get("month", "").rstrip(".") != "May" or bool(parts.get("prep"))
    if kind in ("day_month", "month_day"):
        return 1 <= int(parts["day"]) <= 31
    if kind == "year_range":
        return int(parts["year"]) < int(parts["year2"]) <= int(parts["year"]) + 200
    if kind == "weekday":
        # "Friday" alone is usually a date, but not as a name ("Good Friday", "Black Friday").
        before = text[max(0, start - 6) : start].strip().lower()
        return before not in ("good", "black")
    if kind == "duration":
        return (parts.get("unit") or "").lower() in ("year", "decade") and number(parts) > 1
    return True


def number(parts: dict[str, str]) -> int:
    raw = " ".join((parts.get("num") or "1").lower().split())
    return int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw, 1)


def month_number(parts: dict[str, str]) -> int:
    if "mnum" in parts:
        return int(parts["mnum"])
    return MONTHS[parts["month"].rstrip(".").lower()]

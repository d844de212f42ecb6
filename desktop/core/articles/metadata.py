"""What an article's text says about itself: headline, publisher, publication date, dateline.

Wire copy and scraped pages carry these in a few common shapes:
``MOSCOW, Jan 17 (Reuters) -``, ``TEHRAN (AP) —``, ``MOSCOW —``,
``Moscow, 17 January 2025 /TASS/ -``, a ``Published: 2025-01-21`` or
``date 2025-01-21`` line, a breadcrumb headline ``Home » World » Headline``,
a closing ``News.Az`` or ``© 2025 Reuters`` line. The lines that only carry
this (not the story) are returned as furniture, so they never become
candidate events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dates import PartialDate
from .timex import MONTHS, find_mentions, month_number

AGENCIES = {
    "reuters": "Reuters",
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "afp": "Agence France-Presse",
    "tass": "TASS",
    "xinhua": "Xinhua",
    "irna": "IRNA",
    "bloomberg": "Bloomberg",
    "upi": "UPI",
    "dpa": "dpa",
    "anadolu": "Anadolu Agency",
    "aa": "Anadolu Agency",
    "efe": "EFE",
    "ansa": "ANSA",
    "interfax": "Interfax",
    "ria novosti": "RIA Novosti",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "pti": "Press Trust of India",
    "bernama": "Bernama",
    "wam": "WAM",
}

_MONTH_WORD = (
    r"(?:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
)
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Za-z'.\- ]{1,40}?)"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?))?"
    r"(?:,\s*(?P<date>"
    + _MONTH_WORD
    + r"\s+\d{1,2}|\d{1,2}\s+"
    + _MONTH_WORD
    + r")(?:,?\s*(?P<year>\d{4}))?)?"
    r"\s*(?:\((?P<agency>[A-Za-z .\-]{2,30})\)|/(?P<agency2>[A-Za-z\- ]{2,20})/)?"
    r"\s*(?:--|[-–—])\s+"
)
_PUBLISHED = re.compile(
    r"^\s*(?P<key>(?i:first\s+published|published|posted|updated|last\s+updated|dated?))"
    r"\b\s*(?:(?i:on|at)\b|:)?\s*(?P<rest>.*)$"
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|(?i:copyright))\s*(?:\d{4}\s*)?(?P<who>[A-Z][\w.&' -]{1,60})")
_MORE_LINKS = re.compile(
    r"(?i)^(related(?:\s+(?:stories|articles|news|content|posts))?|read\s+(?:also|more)|see\s+also|"
    r"more\s+(?:on\s+this|stories|from\s+[\w ]+)|you\s+may\s+also\s+like|recommended)\s*:?$"
)
_BREADCRUMB = re.compile(r"\s[»›>|]\s")
_FULL_DATES = ("iso", "numeric", "day_month_year", "month_day_year")


@dataclass(frozen=True)
class Meta:
    title: str = ""
    publisher: str = ""
    published: PartialDate | None = None
    published_from: str = ""
    dateline_place: str = ""
    dateline_end: int = 0  # the story starts here in the first paragraph
    # A dateline day with no year ("MOSCOW, Jan 17"): (month, day), for a year found later.
    dateline_day: tuple[int, int] | None = None
    furniture: tuple[tuple[int, int], ...] = ()


def _lines(text: str) -> list[tuple[int, int, str]]:
    out = []
    position = 0
    for line in text.split("\n"):
        out.append((position, position + len(line), line))
        position += len(line) + 1
    return [item for item in out if item[2].strip()]


def _full_date(text: str) -> PartialDate | None:
    for mention in find_mentions(text):
        if mention.kind in _FULL_DATES:
            try:
                return PartialDate(
                    int(mention.get("year")), month_number(mention.parts), int(mention.get("day"))
                )
            except (ValueError, KeyError):
                continue
        if mention.kind == "month_year":
            return PartialDate(int(mention.get("year")), month_number(mention.parts))
    return None


def text_metadata(text: str) -> Meta:
    lines = _lines(text)
    furniture: list[tuple[int, int]] = []
    published: PartialDate | None = None
    published_from = ""
    publisher = ""
    title = ""

    # "Published: …" / "date …" lines near the top or the bottom.
    for start, end, line in lines[:8] + lines[-5:]:
        match = _PUBLISHED.match(line)
        if match is None or len(line) > 120:
            continue
        found = _full_date(match["rest"])
        if found is None:
            continue
        furniture.append((start, end))
        key = match["key"].lower()
        # A first publication beats an update; the first such line wins otherwise.
        if published is None or ("published" in key and "published" not in published_from):
            published, published_from = found, f"the '{match['key'].strip()}' line"

    # A headline: a short first line that is not a sentence (a breadcrumb keeps its last part).
    first_story = next(((s, e, t) for s, e, t in lines if (s, e) not in furniture), None)
    if first_story is not None:
        start, end, line = first_story
        words = line.split()
        if (
            2 <= len(words) <= 30
            and not line.rstrip().endswith((".", "!", "?", ",", ":", ";"))
            and not _DATELINE.match(line.strip())
        ):
            title = _BREADCRUMB.split(line.strip())[-1].strip()
            furniture.append((start, end))
            if _BREADCRUMB.search(line):
                # The page repeats the headline under its breadcrumb: skip that line too.
                following = next(((s, e, t) for s, e, t in lines if s > end), None)
                if following and following[2].strip() == title:
                    furniture.append(following[:2])

    # A dateline at the start of the first story paragraph.
    dateline_place = ""
    dateline_end = 0
    dateline_day: tuple[int, int] | None = None
    for start, _end, line in lines:
        if any(a <= start < b for a, b in furniture):
            continue
        stripped = line.lstrip()
        lead = start + len(line) - len(stripped)
        match = _DATELINE.match(stripped)
        if match and _is_dateline(match):
            dateline_place = match["place"].strip().title()
            dateline_end = lead + match.end()
            agency = (match["agency"] or match["agency2"] or "").strip()
            if agency.lower() in AGENCIES:
                publisher = AGENCIES[agency.lower()]
            elif agency:
                publisher = agency
            if match["date"]:
                parts = match["date"].replace(".", "").split()
                month_word = next(p for p in parts if not p.isdigit())
                day = int(next(p for p in parts if p.isdigit()))
                month = MONTHS.get(month_word.lower(), 0)
                if month and match["year"]:
                    published = PartialDate(int(match["year"]), month, day)
                    published_from = "the dateline"
                elif month and published is None:
                    dateline_day = (month, day)
        break

    # "Related stories" and the like: links to other pages, to the end.
    for start, _end, line in lines:
        if _MORE_LINKS.match(line.strip()):
            furniture.append((start, len(text)))
            lines = [item for item in lines if item[0] < start]
            break

    # A closing signature: "News.Az", "© 2025 Reuters".
    for start, end, line in reversed(lines[-3:]):
        stripped = line.strip()
        copyright_match = _COPYRIGHT.search(stripped)
        if copyright_match and len(stripped) < 80:
            publisher = publisher or copyright_match["who"].strip()
            furniture.append((start, end))
            break
        words = stripped.split()
        if (
            1 <= len(words) <= 3
            and len(stripped) <= 40
            and all(w[0].isupper() or "." in w for w in words)
            and not stripped.endswith((".", "!", "?", ":", ","))
            and (start, end) not in furniture
        ):
            publisher = publisher or stripped
            furniture.append((start, end))
            break

    return Meta(
        title=title,
        publisher=publisher,
        published=published,
        published_from=published_from,
        dateline_place=dateline_place,
        dateline_end=dateline_end,
        dateline_day=dateline_day,
        furniture=tuple(sorted(set(furniture))),
    )


def _is_dateline(match: re.Match[str]) -> bool:
    place = match["place"].strip()
    if len(place) < 3 or len(place.split()) > 4:
        return False
    # "MOSCOW —" is a dateline; "Moscow —" only with an agency or a date after it.
    letters = [c for c in place if c.isalpha()]
    shouting = all(c.isupper() for c in letters)
    return shouting or bool(match["agency"] or match["agency2"] or match["date"])

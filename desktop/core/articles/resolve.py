"""What a time expression means: resolved against the publication date and the story so far.

Precision is kept honestly: "mid-November last year" is a month, marked
approximate, never the 15th; "last year" is a year; "on Friday" is a day only
when the anchor is a day. The words used are kept as the label. What cannot
be worked out (no publication date to count "last year" from, an event "the
inauguration" not met yet) is left undated with the reason, never guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..dates import PartialDate, Precision
from .timex import WEEKDAYS, Mention, month_number, number


@dataclass(frozen=True, slots=True)
class When:
    """A resolved date or span, its honesty flags, and how it was worked out."""

    start: PartialDate
    end: PartialDate | None = None
    approximate: bool = False
    label: str = ""
    how: str = ""

    @property
    def precision(self) -> Precision:
        return self.start.precision

    def iso(self) -> str:
        return self.start.iso() + (f"/{self.end.iso()}" if self.end else "")


class Unresolved(Exception):
    """The expression was found but its date cannot be worked out; the message says why."""


@dataclass
class Known:
    """An event of the story so far: its words and its date (for "before the inauguration")."""

    text: str
    when: When
    refers_to: str = ""  # the noun it was itself dated from, never matched against


@dataclass
class Story:
    """The publication date and what the article (and the dataset) have dated so far."""

    anchor: PartialDate | None = None
    anchor_how: str = ""
    anchor_borrowed: bool = False
    focus: When | None = None
    known: list[Known] = field(default_factory=list)

    def find(self, noun: str) -> When | None:
        """The latest known event named by ``noun`` ("inauguration"), most recent first."""
        pattern = re.compile(rf"\b{re.escape(noun)}\b", re.IGNORECASE)
        for item in reversed(self.known):
            if item.refers_to != noun.lower() and pattern.search(item.text):
                return item.when
        return None


_FUTURE = re.compile(
    r"\b(will|shall|plans?\s+to|planned\s+to|is\s+to|are\s+to|going\s+to|scheduled|"
    r"expected\s+to|intends?\s+to|upcoming|set\s+to)\b",
    re.IGNORECASE,
)
_PRESENT_PERFECT = re.compile(r"\b(has|have)\s+(been|had|grown|worked|served|led)\b", re.IGNORECASE)


def tense(sentence: str) -> str:
    """ "future" or "past": news reports what happened unless it says it will."""
    return "future" if _FUTURE.search(sentence) else "past"


def _day(d: date) -> PartialDate:
    return PartialDate(d.year, d.month, d.day)


def _as_date(p: PartialDate) -> date:
    return date(p.year, p.month or 1, p.day or 1)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _shift(p: PartialDate, amount: int, unit: str) -> PartialDate:
    """``p`` moved by ``amount`` units, at the coarser of p's precision and the unit's."""
    if unit in ("year", "decade"):
        years = amount * (10 if unit == "decade" else 1)
        if p.day is not None and p.month == 2 and p.day == 29:
            return PartialDate(p.year + years, 3, 1)
        return replace(p, year=p.year + years, hour=None, minute=None)
    if unit == "month":
        if p.month is None:
            return PartialDate(p.year)
        year, month = _add_months(p.year, p.month, amount)
        return PartialDate(year, month)
    if p.day is None:  # days or weeks from a month: the month is all that can be said
        if p.month is None:
            return PartialDate(p.year)
        moved = _as_date(p) + timedelta(days=amount * (7 if unit == "week" else 1))
        return PartialDate(moved.year, moved.month)
    moved = _as_date(p) + timedelta(days=amount * (7 if unit == "week" else 1))
    return _day(moved)


def _need_anchor(story: Story, mention: Mention, precision: Precision) -> PartialDate:
    if story.anchor is None:
        raise Unresolved(
            f"“{mention.text}” needs the article's publication date: set it to date this event"
        )
    if story.anchor.precision < precision:
        raise Unresolved(
            f"“{mention.text}” needs the publication day, but only "
            f"{story.anchor.iso()} is known: set the full date"
        )
    return story.anchor


def _anchor_note(story: Story) -> str:
    if story.anchor is None:
        return ""
    return f"from the publication date {story.anchor.iso()}" + (
        f" ({story.anchor_how})" if story.anchor_how else ""
    )


def resolve(mention: Mention, sentence: str, story: Story) -> When:
    """The date ``mention`` stands for; raises Unresolved with the reason when it cannot say."""
    handler = _HANDLERS.get(mention.kind)
    if handler is None:
        raise Unresolved(f"“{mention.text}” is a span of time, not a date")
    when = handler(mention, sentence, story)
    if not when.label:
        # The words as a label: "mid-November", not "in mid-November".
        label = re.sub(
            r"^(?:in|on|at|during|of|from|since|by)\s+", "", mention.text.strip(), flags=re.I
        )
        when = replace(when, label=label)
    if story.anchor_borrowed and _relative(mention):
        when = replace(when, approximate=True)
    return when


def _relative(mention: Mention) -> bool:
    return mention.kind not in {
        "iso",
        "numeric",
        "day_month_year",
        "month_day_year",
        "month_year",
        "year_range",
        "qual_year",
        "decade",
        "year",
    }


def _qualified(mention: Mention) -> bool:
    return bool(mention.get("qual"))


def _absolute_day(mention: Mention, sentence: str, story: Story) -> When:
    year, month, day = (
        int(mention.get("year")),
        month_number(mention.parts),
        int(mention.get("day")),
    )
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise Unresolved(f"“{mention.text}” is not a real date")
    if _qualified(mention):  # "the end of 17 May 2024" is odd; keep the day, flag it
        return When(PartialDate(year, month, day), approximate=True)
    return When(PartialDate(year, month, day))


def _month_year(mention: Mention, sentence: str, story: Story) -> When:
    return When(
        PartialDate(int(mention.get("year")), month_number(mention.parts)),
        approximate=_qualified(mention),
    )


def _month_rel_year(mention: Mention, sentence: str, story: Story) -> When:
    anchor = _need_anchor(story, mention, Precision.YEAR)
    step = {"last": -1, "this": 0, "next": 1}[mention.get("rel").lower()]
    return When(
        PartialDate(anchor.year + step, month_number(mention.parts)),
        approximate=_qualified(mention),
        how=_anchor_note(story),
    )


def _year_range(mention: Mention, sentence: str, story: Story) -> When:
    return When(PartialDate(int(mention.get("year"))), PartialDate(int(mention.get("year2"))))


def _qual_year(mention: Mention, sentence: str, story: Story) -> When:
    return When(PartialDate(int(mention.get("year"))), approximate=True)


def _decade(mention: Mention, sentence: str, story: Story) -> When:
    first = int(mention.get("year"))
    return When(PartialDate(first), PartialDate(first + 9))


def _year(mention: Mention, sentence: str, story: Story) -> When:
    return When(PartialDate(int(mention.get("year"))))


def _nearest_year(
    month: int, day: int | None, story: Story, mention: Mention, sentence: str
) -> int:
    """The year that puts a month (and day) nearest the anchor; the tense breaks near-ties."""
    anchor = _need_anchor(story, mention, Precision.MONTH)
    reference = _as_date(anchor)
    future = tense(sentence) == "future"
    best: tuple[float, int] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            moment = date(year, month, day or 15)
        except ValueError:
            continue
        gap = (moment - reference).days
        # Past-tense text leans back in time and future-tense text forward, by
        # up to a quarter of a year: "in July" said in January is last July.
        score = abs(gap + (-90 if future else 90) * (day is None))
        if best is None or score < best[0]:
            best = (score, year)
    assert best is not None
    return best[1]


def _day_month(mention: Mention, sentence: str, story: Story) -> When:
    month, day = month_number(mention.parts), int(mention.get("day"))
    year = _nearest_year(month, day, story, mention, sentence)
    if day > calendar.monthrange(year, month)[1]:
        raise Unresolved(f"“{mention.text}” is not a real date")
    return When(PartialDate(year, month, day), how=_anchor_note(story))


def _month(mention: Mention, sentence: str, story: Story) -> When:
    month = month_number(mention.parts)
    year = _nearest_year(month, None, story, mention, sentence)
    return When(PartialDate(year, month), approximate=_qualified(mention), how=_anchor_note(story))


def _new_year(mention: Mention, sentence: str, story: Story) -> When:
    anchor = _need_anchor(story, mention, Precision.MONTH)
    assert anchor.month is not None
    year = anchor.year if anchor.month <= 6 else anchor.year + 1
    qual = mention.get("qual").lower()
    if "first" in qual or "start" in qual or "beginning" in qual or qual.startswith("early"):
        return When(PartialDate(year, 1), approximate=True, how=_anchor_note(story))
    return When(PartialDate(year), approximate=bool(qual), how=_anchor_note(story))


def _rel_period(mention: Mention, sentence: str, story: Story) -> When:
    unit = mention.get("unit").lower()
    rel = " ".join(mention.get("rel").lower().split())
    step = {
        "last": -1,
        "past": -1,
        "previous": -1,
        "this": 0,
        "earlier this": 0,
        "later this": 0,
        "next": 1,
        "coming": 1,
    }[rel]
    precision = {"year": Precision.YEAR, "month": Precision.MONTH, "week": Precision.DAY}[unit]
    anchor = _need_anchor(story, mention, precision)
    how = _anchor_note(story)
    approximate = rel in ("earlier this", "later this")
    if unit == "year":
        return When(PartialDate(anchor.year + step), approximate=approximate, how=how)
    if unit == "month":
        assert anchor.month is not None
        year, month = _add_months(anchor.year, anchor.month, step)
        return When(PartialDate(year, month), approximate=approximate, how=how)
    monday = _as_date(anchor) - timedelta(days=_as_date(anchor).weekday()) + timedelta(weeks=step)
    return When(_day(monday), _day(monday + timedelta(days=6)), approximate=approximate, how=how)


def _day_word(mention: Mention, sentence: str, story: Story) -> When:
    anchor = _as_date(_need_anchor(story, mention, Precision.DAY))
    step = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[mention.get("word").lower()]
    return When(_day(anchor + timedelta(days=step)), how=_anchor_note(story))


def _weekday(mention: Mention, sentence: str, story: Story) -> When:
    anchor = _as_date(_need_anchor(story, mention, Precision.DAY))
    target = WEEKDAYS.index(mention.get("weekday").lower())
    rel = " ".join(mention.get("rel").lower().split())
    back = (anchor.weekday() - target) % 7  # days back to the latest such weekday (0: today)
    if rel in ("last", "on last"):
        day = anchor - timedelta(days=back or 7)
    elif rel in ("next", "on next"):
        day = anchor + timedelta(days=(target - anchor.weekday()) % 7 or 7)
    elif rel == "this":
        day = anchor - timedelta(days=anchor.weekday()) + timedelta(days=target)
    elif rel in ("by", "until") or tense(sentence) == "future":
        day = anchor + timedelta(days=(target - anchor.weekday()) % 7)
    else:  # "on Friday" in a report: the latest Friday, the publication day included
        day = anchor - timedelta(days=back)
    return When(_day(day), how=_anchor_note(story))


def _ago(mention: Mention, sentence: str, story: Story) -> When:
    unit = mention.get("unit").lower()
    precision = Precision.DAY if unit in ("day", "week") else Precision.MONTH
    if unit in ("year", "decade"):
        precision = Precision.YEAR
    anchor = _need_anchor(story, mention, precision)
    amount = number(mention.parts)
    start = _shift(anchor, -amount, unit)
    start = _cut(start, precision)
    return When(start, approximate=unit in ("week", "decade"), how=_anchor_note(story))


def _cut(p: PartialDate, precision: Precision) -> PartialDate:
    if precision is Precision.YEAR:
        return PartialDate(p.year)
    if precision is Precision.MONTH:
        return PartialDate(p.year, p.month)
    return p


def _what(mention: Mention) -> str:
    """The noun an offset counts from: "three days before the inauguration" -> "inauguration"."""
    words = mention.get("what").split()
    return words[-1].lower() if words else ""


def _reference(mention: Mention, story: Story) -> tuple[When, str]:
    noun = _what(mention)
    if noun:
        found = story.find(noun)
        if found is None:
            raise Unresolved(f"“{mention.text}”: the date of the {noun} is not known yet")
        return found, f"counted from the {noun} ({found.start.iso()})"
    if story.focus is None:
        raise Unresolved(f"“{mention.text}”: no earlier date in the article to count from")
    return story.focus, f"counted from {story.focus.label or story.focus.start.iso()}"


def _offset(mention: Mention, sentence: str, story: Story) -> When:
    base, how = _reference(mention, story)
    sign = -1 if mention.get("dir").lower() in ("earlier", "before") else 1
    start = _shift(base.start, sign * number(mention.parts), mention.get("unit").lower())
    return When(start, approximate=base.approximate, how=how)


def _next_unit(mention: Mention, sentence: str, story: Story) -> When:
    if story.focus is None:
        raise Unresolved(f"“{mention.text}”: no earlier date in the article to count from")
    sign = 1 if mention.get("dir").lower() in ("next", "following") else -1
    start = _shift(story.focus.start, sign, mention.get("unit").lower())
    how = f"counted from {story.focus.label or story.focus.start.iso()}"
    return When(start, approximate=story.focus.approximate, how=how)


def _eve(mention: Mention, sentence: str, story: Story) -> When:
    base, how = _reference(mention, story)
    return When(_shift(base.start, -1, "day"), approximate=base.approximate, how=how)


_HANDLERS = {
    "iso": _absolute_day,
    "numeric": _absolute_day,
    "day_month_year": _absolute_day,
    "month_day_year": _absolute_day,
    "month_year": _month_year,
    "month_rel_year": _month_rel_year,
    "year_range": _year_range,
    "qual_year": _qual_year,
    "decade": _decade,
    "day_month": _day_month,
    "month_day": _day_month,
    "new_year": _new_year,
    "month": _month,
    "rel_period": _rel_period,
    "day_word": _day_word,
    "weekday": _weekday,
    "ago": _ago,
    "next_unit": _next_unit,
    "offset": _offset,
    "eve": _eve,
    "year": _year,
}


def duration(mention: Mention, sentence: str, start: When) -> When:
    """A span of N years from ``start`` ("a 20-year treaty"), or up to it ("for two decades
    he has…"): the end keeps the start's precision."""
    amount = number(mention.parts)
    unit = mention.get("unit").lower()
    backward = bool(_PRESENT_PERFECT.search(sentence)) and mention.get("lead").lower().strip() in (
        "for",
        "for over",
        "for more than",
        "for nearly",
        "for almost",
        "for about",
        "over",
    )
    rough = any(
        w in mention.get("lead").lower() for w in ("over", "more", "nearly", "almost", "about")
    )
    if backward:
        return When(
            _shift(start.start, -amount, unit),
            start.start,
            approximate=True,
            label=mention.text.strip(),
            how=f"up to {start.start.iso()}",
        )
    return When(
        start.start,
        _shift(start.start, amount, unit),
        approximate=start.approximate or rough,
        label=mention.text.strip(),
        how=f"from {start.label or start.start.iso()}",
    )

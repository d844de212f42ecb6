"""Dates as analysts write them, with their precision kept.

A date is stored as the parts that were written and nothing more: "2001" is a
year, not 1 January 2001. Each date therefore covers a span of time
(``lower()`` to ``upper()``, upper exclusive): a year-precision date spans the
whole year, and is drawn and sorted as that span.

Times and time zones: a time is the wall-clock time the source gives, kept as
written with no time zone attached ("2025-01-17 14:30" stays 14:30). For
drawing, every date is placed on a single UTC axis, so no conversion ever moves
an event to another day. A time written with an explicit offset
("2025-01-17T14:30+03:00") or "Z" is converted to UTC once, on reading, and
kept in UTC from then on.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum


class Precision(IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3
    MINUTE = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Precision:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise DateError(f"unknown precision {text!r}: use year, month, day or minute") from None


class DateError(ValueError):
    """A date that cannot be read; the message says what to write instead."""


@dataclass(frozen=True, order=False, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None

    @property
    def precision(self) -> Precision:
        if self.minute is not None:
            return Precision.MINUTE
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def iso(self) -> str:
        """ISO text cut to the precision: "2001", "2024-11", "2025-01-17", "2025-01-17T14:30"."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.minute is not None:
            text += f"T{self.hour:02d}:{self.minute:02d}"
        return text

    def __str__(self) -> str:
        return self.iso()

    def lower(self) -> datetime:
        """First instant of the span this date covers (UTC)."""
        return datetime(
            self.year, self.month or 1, self.day or 1, self.hour or 0, self.minute or 0, tzinfo=UTC
        )

    def upper(self) -> datetime:
        """First instant after the span this date covers (UTC, exclusive)."""
        start = self.lower()
        match self.precision:
            case Precision.YEAR:
                return start.replace(year=self.year + 1)
            case Precision.MONTH:
                assert self.month is not None
                if self.month == 12:
                    return start.replace(year=self.year + 1, month=1)
                return start.replace(month=self.month + 1)
            case Precision.DAY:
                return start + timedelta(days=1)
            case _:
                return start + timedelta(minutes=1)

    def sort_key(self) -> tuple[datetime, int]:
        # Coarser dates sort before finer ones that start at the same instant:
        # "2025" comes before "2025-01-17", as a heading before its contents.
        return (self.lower(), int(self.precision))


_ISO = re.compile(
    r"""^(?P<year>\d{4})
        (?:-(?P<month>\d{1,2})
          (?:-(?P<day>\d{1,2})
            (?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?
               (?P<tz>Z|[+-]\d{2}:?\d{2})?
            )?
          )?
        )?$""",
    re.VERBOSE,
)
# ISO text cut to a precision, as the canonical JSON writes it: one match instead of five.
_CANONICAL = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d))?)?)?", re.ASCII)
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DMY = re.compile(r"^(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4})$")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_APPROX = re.compile(r"^(circa|ca\.?|c\.|about|around|approx\.?|approximately|~)\s*", re.I)
_QUALIFIER = re.compile(r"^(early|mid|late|mid-|early-|late-)\s*", re.I)
_RANGE = re.compile(r"\s*(?:/|\s+to\s+|\s+until\s+|\s+[–—-]\s+|[–—])\s*")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """What one date cell says: a date, whether it is approximate, and the words used."""

    date: PartialDate
    approximate: bool = False
    end: PartialDate | None = None


def parse_date(text: str) -> ParsedDate:
    """Read one date or range as written.

    Accepts ISO forms ("2001", "2024-11", "2025-01-17", "2025-01-17 14:30",
    "2025-01-17T14:30Z"), day-first numeric dates ("17.01.2025"), month names
    ("January 2025", "17 January 2025", "Jan 17, 2025"), approximations
    ("circa 2013", "c. 2013", "~2013", "mid-November 2024", "early December
    2024") and ranges ("2025/2045", "2025-01-17 to 2045-01-17", "2025–2045").
    Raises DateError with advice when the text is not a date.
    """
    raw = (text or "").strip()
    if not raw:
        raise DateError("date is empty: write a date such as 2025-01-17, 2024-11 or 2001")
    match = _CANONICAL.fullmatch(raw)
    if match:  # what programs write: none of the forms below can match it
        year, month, day, hour, minute = match.groups()
        return ParsedDate(_from_parts(raw, year, month, day, hour, minute, None))
    parts = _split_range(raw)
    if parts is not None:
        first, second = parse_date(parts[0]), parse_date(parts[1])
        if first.end is not None or second.end is not None:
            raise DateError(f"{raw!r} has more than one range separator")
        check_order(first.date, second.date)
        return ParsedDate(first.date, first.approximate or second.approximate, second.date)
    approximate = False
    body = raw
    match = _APPROX.match(body)
    if match:
        approximate = True
        body = body[match.end() :]
    match = _QUALIFIER.match(body)
    if match:
        approximate = True
        body = body[match.end() :].lstrip("- ")
    return ParsedDate(_parse_single(body, raw), approximate)


def _split_range(raw: str) -> tuple[str, str] | None:
    # ISO dates contain '-' themselves, so a bare hyphen only separates a range
    # of two plain years ("2025-2045"); otherwise use '/', 'to' or a spaced dash.
    if re.fullmatch(r"\d{4}\s*-\s*\d{4}", raw):
        left, right = raw.split("-")
        return left.strip(), right.strip()
    pieces = _RANGE.split(raw)
    if len(pieces) == 2 and all(pieces):
        return pieces[0], pieces[1]
    return None


def _parse_single(body: str, raw: str) -> PartialDate:
    match = _ISO.match(body)
    if match:
        return _from_parts(
            raw,
            match["year"],
            match["month"],
            match["day"],
            match["hour"],
            match["minute"],
            match["tz"],
        )
    match = _DMY.match(body)
    if match:
        return _from_parts(raw, match["year"], match["month"], match["day"], None, None, None)
    words = re.sub(r"[,]", " ", body).split()
    year = next((w for w in words if re.fullmatch(r"\d{3,4}", w)), None)
    month = next((w for w in words if w.lower().rstrip(".") in _MONTHS), None)
    day = next((w for w in words if re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", w)), None)
    used = {year, month, day} - {None}
    if year and month and all(w in used for w in words):
        month_no = str(_MONTHS[month.lower().rstrip(".")])
        day_no = re.sub(r"\D", "", day) if day else None
        return _from_parts(raw, year, month_no, day_no, None, None, None)
    raise DateError(
        f"{raw!r} is not a date: write it as YYYY, YYYY-MM, YYYY-MM-DD or "
        "YYYY-MM-DD HH:MM (e.g. 2025-01-17), optionally with 'circa' or a range 'A to B'"
    )


def _from_parts(
    raw: str,
    year: str,
    month: str | None,
    day: str | None,
    hour: str | None,
    minute: str | None,
    tz: str | None,
) -> PartialDate:
    y = int(year)
    if not 1 <= y <= 9999:
        raise DateError(f"{raw!r}: year {y} is out of range (1 to 9999)")
    m = int(month) if month else None
    if m is not None and not 1 <= m <= 12:
        raise DateError(f"{raw!r}: month {m} does not exist (1 to 12)")
    d = int(day) if day else None
    if d is not None:
        assert m is not None
        # Not monthrange(): it also works out the weekday, twice the cost of the parse.
        last = _MONTH_DAYS[m] + (m == 2 and calendar.isleap(y))
        if not 1 <= d <= last:
            raise DateError(f"{raw!r}: day {d} does not exist in {y:04d}-{m:02d} (1 to {last})")
    h = int(hour) if hour is not None else None
    mi = int(minute) if minute is not None else None
    if h is not None and mi is not None:
        if not (0 <= h <= 23 and 0 <= mi <= 59):
            raise DateError(f"{raw!r}: time {h}:{mi:02d} does not exist (00:00 to 23:59)")
        if tz and tz != "Z":
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            assert d is not None and m is not None
            utc = datetime(y, m, d, h, mi) - sign * offset
            return PartialDate(utc.year, utc.month, utc.day, utc.hour, utc.minute)
    return PartialDate(y, m, d, h, mi)


def check_order(start: PartialDate, end: PartialDate) -> None:
    """An end may share the start's span ("2025" to "2025-06"), but may not end before it."""
    if end.upper() <= start.lower():
        raise DateError(f"end {end.iso()} is before start {start.iso()}: swap them or fix the end")


def span_text(start: PartialDate | None, end: PartialDate | None) -> str:
    """A window as readers see it: "2024-06 – 2025-02", one date when both ends agree,
    "…" for an open side, "" when there is no window at all."""
    if start is None and end is None:
        return ""
    first = start.iso() if start else "…"
    last = end.iso() if end else "…"
    return first if first == last else f"{first} – {last}"


def to_epoch(moment: datetime) -> float:
    """Seconds since 1970-01-01 UTC, as pyqtgraph's DateAxisItem expects."""
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()


def per_distinct_date[V](dates: Sequence[PartialDate], work: Callable[[PartialDate], V]) -> list[V]:
    """``[work(d) for d in dates]``, worked out once per distinct date object.

    A loaded dataset shares one PartialDate per distinct date text, so a
    hundred thousand events may hold only a few thousand dates. Keyed by
    identity, cheaper than a dataclass hash; ``dates`` keeps every object
    alive meanwhile, and the per-event passes run in C (map).
    """
    distinct = dict(zip(map(id, dates), dates, strict=True))
    done = {key: work(d) for key, d in distinct.items()}
    return list(map(done.__getitem__, map(id, dates)))

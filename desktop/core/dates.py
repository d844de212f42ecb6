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
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum, StrEnum


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


# Seconds in a day, and the days from 0000-03-01 (astronomical) to 1970-01-01.
_DAY = 86_400
_EPOCH_DAYS = 719_468


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar, for any astronomical
    year (0 is 1 BC, -1 is 2 BC): datetime stops at year 1, BCE dates do not."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - _EPOCH_DAYS


def day_at(seconds: float) -> PartialDate:
    """The day (UTC) holding an epoch second, for any year, BCE included."""
    days = int(seconds // _DAY) + _EPOCH_DAYS
    era = days // 146_097
    doe = days - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (month <= 2)
    return PartialDate(historians(year), month, day)


def day_before(end: float) -> PartialDate:
    """The day holding the last instant before ``end`` (an exclusive bound, epoch seconds).

    The float just below ``end``, not ``end`` minus a small amount: far from
    1970 (BCE years) a microsecond is below a float's resolution, and the day
    after the window would be named instead.
    """
    return day_at(math.nextafter(end, -math.inf))


def astronomical(year: int) -> int:
    """The historians' year (no year 0: -1 is 1 BC) as an astronomical one (0 is 1 BC)."""
    return year + 1 if year < 0 else year


def historians(year: int) -> int:
    """The inverse of ``astronomical``."""
    return year - 1 if year <= 0 else year


def days_in_month(year: int, month: int) -> int:
    """Days in a month of a historians' year (BCE included; 1 BC is a leap year)."""
    return _MONTH_DAYS[month] + (month == 2 and calendar.isleap(astronomical(year)))


def year_label(year: int) -> str:
    """A year as a reader writes it: "2025", "44 BC"."""
    return f"{-year} BC" if year < 0 else str(year)


@dataclass(frozen=True, order=False, slots=True)
class PartialDate:
    """A date cut to the parts that were written.

    ``year`` counts as historians do: 1 BC (-1) is followed by AD 1 (1), and
    there is no year 0. Negative years are BCE.
    """

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
        """ISO text cut to the precision: "2001", "2024-11", "2025-01-17", "2025-01-17T14:30".

        A BCE year is signed in the historians' count: "-0509" is 509 BC (not
        ISO 8601's astronomical -0509, which is 510 BC): the convention stated
        in the README, and the one the files that write "-509" use.
        """
        year = self.year
        text = f"{year:04d}" if year >= 0 else f"-{-year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.minute is not None:
            text += f"T{self.hour:02d}:{self.minute:02d}"
        return text

    def __str__(self) -> str:
        return self.iso()

    def label(self) -> str:
        """The date for reading: the ISO text, or "509 BC", "March 44 BC" before year 1."""
        if self.year >= 1000:
            return self.iso()
        if self.year > 0:
            return self.iso().lstrip("0")  # "911", not "0911"
        parts = [str(self.day)] if self.day is not None else []
        if self.month is not None:
            parts.append(calendar.month_name[self.month])
        parts.append(year_label(self.year))
        if self.minute is not None:
            parts.append(f"{self.hour:02d}:{self.minute:02d}")
        return " ".join(parts)

    def lower_epoch(self) -> float:
        """First instant of the span this date covers, in seconds since 1970 (UTC).

        Exact for every year, BCE included (``to_epoch(lower())`` where datetime reaches).
        """
        days = _days_from_civil(astronomical(self.year), self.month or 1, self.day or 1)
        return float(days * _DAY + (self.hour or 0) * 3600 + (self.minute or 0) * 60)

    def upper_epoch(self) -> float:
        """First instant after the span this date covers (exclusive), seconds since 1970."""
        match self.precision:
            case Precision.YEAR:
                return float(_days_from_civil(astronomical(self.year) + 1, 1, 1) * _DAY)
            case Precision.MONTH:
                assert self.month is not None
                year, month = astronomical(self.year), self.month + 1
                if month == 13:
                    year, month = year + 1, 1
                return float(_days_from_civil(year, month, 1) * _DAY)
            case Precision.DAY:
                return self.lower_epoch() + _DAY
            case _:
                return self.lower_epoch() + 60

    def lower(self) -> datetime:
        """First instant of the span this date covers (UTC).

        datetime starts at year 1: a BCE date gives 0001-01-01 here. Whatever
        must place BCE dates uses ``lower_epoch()``.
        """
        if self.year < 1:
            return _FIRST_DATETIME
        return datetime(
            self.year, self.month or 1, self.day or 1, self.hour or 0, self.minute or 0, tzinfo=UTC
        )

    def upper(self) -> datetime:
        """First instant after the span this date covers (UTC, exclusive); see ``lower()``."""
        if self.year < 1:
            return _FIRST_DATETIME
        if self.year == 9999 and self.precision is Precision.YEAR:
            return datetime.max.replace(tzinfo=UTC)
        start = self.lower()
        match self.precision:
            case Precision.YEAR:
                return start.replace(year=self.year + 1)
            case Precision.MONTH:
                assert self.month is not None
                if self.month == 12:
                    if self.year == 9999:
                        return datetime.max.replace(tzinfo=UTC)
                    return start.replace(year=self.year + 1, month=1)
                return start.replace(month=self.month + 1)
            case Precision.DAY:
                return start + timedelta(days=1)
            case _:
                return start + timedelta(minutes=1)

    def sort_key(self) -> tuple[float, int]:
        # Coarser dates sort before finer ones that start at the same instant:
        # "2025" comes before "2025-01-17", as a heading before its contents.
        return (self.lower_epoch(), int(self.precision))


_FIRST_DATETIME = datetime(1, 1, 1, tzinfo=UTC)


class DateOrder(StrEnum):
    """How a numeric date such as 03/04/2025 is read: 3 April, or March 4."""

    DAY_FIRST = "day-first"
    MONTH_FIRST = "month-first"


# ISO text cut to a precision, as the canonical JSON writes it: one match instead of five.
_CANONICAL = re.compile(r"(-?\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d))?)?)?", re.ASCII)
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# ISO 8601 as programs write it: seconds, fractions and a zone are read (seconds dropped).
_ISO = re.compile(
    r"""^(?P<year>[+-]?\d{4})
        (?:-(?P<month>\d{1,2})
          (?:-(?P<day>\d{1,2})
            (?:(?:T|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2}(?:[.,]\d+)?)?
               \s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?
            )?
          )?
        )?$""",
    re.VERBOSE | re.ASCII,
)
_YMD_SLASHED = re.compile(r"^(?P<year>\d{4})[/.](?P<month>\d{1,2})(?:[/.](?P<day>\d{1,2}))?$")
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
    r"(?:(?:\s+|T)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2}(?:[.,]\d+)?)?)?$"
)
_MONTH_YEAR = re.compile(r"^(?P<month>\d{1,2})[./](?P<year>\d{4})$")
_COMPACT = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")
_SIGNED_YEAR = re.compile(r"^(?P<sign>[-+\u2212])?\s*(?P<year>\d{1,4})$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2}(?:[.,]\d+)?)?$")
_APPROX = re.compile(
    r"^(circa|ca\.?|c\.|c(?=\s*\d)|about|around|abt\.?|approx\.?|approximately|~)\s*", re.I
)
_QUALIFIER = re.compile(r"^(early|mid|late|mid-|early-|late-)\s*", re.I)
_RANGE = re.compile(r"\s*(?:/|\s+to\s+|\s+until\s+|\s+[–—-]\s+|[–—])\s*")
# An era written as a word anywhere: "509 BC", "AD 14", "January AD 1", "753 B.C.E.".
_ERA = re.compile(
    r"(?:^|(?<=[\s,]))(?P<era>B\.?\s?C\.?\s?E\.?|B\.?\s?C\.?|A\.?\s?D\.?|C\.?\s?E\.?)(?=$|[\s,])",
    re.I,
)
_CENTURY = re.compile(r"^(?P<n>\d{1,2})\s*(?:st|nd|rd|th)\s+c(?:entury|\.)$", re.I)
_DECADE = re.compile(r"^(?P<decade>\d{3})0'?s$")
_WORD_SPLIT = re.compile(r"[\s,/]+|(?<=[^\d])[.-]|[.-](?=[^\d])|(?<=\d)[.-](?=\d)")
_ORDINAL = re.compile(r"^(?P<n>\d{1,2})(?:st|nd|rd|th|er|e|º|°)?\.?$", re.I)
_FILLER = {"the", "of", "on", "at", "de", "del", "le", "la", "den", "der", "am", "г", "года", "год"}


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip(".")


# Month names and abbreviations in English, German, French, Spanish and Russian
# (nominative and genitive), folded (lower case, no accents).
_MONTH_WORDS = {
    1: "january jan januar janner janvier janv enero ene январь января янв",
    2: "february feb februar fevrier fevr fev febrero февраль февраля фев",
    3: "march mar marz maerz mrz mars marzo март марта",
    4: "april apr avril avr abril abr апрель апреля апр",
    5: "may mai mayo май мая",
    6: "june jun juni juin junio июнь июня",
    7: "july jul juli juillet juil julio июль июля",
    8: "august aug aout agosto ago август августа авг",
    9: "september sep sept septembre septiembre setiembre сентябрь сентября сен",
    10: "october oct oktober okt octobre octubre октябрь октября окт",
    11: "november nov novembre noviembre ноябрь ноября ноя",
    12: "december dec dezember dez decembre diciembre dic декабрь декабря дек",
}
_MONTHS = {_fold(w): n for n, words in _MONTH_WORDS.items() for w in words.split()}
_WEEKDAYS = {
    _fold(w)
    for w in [
        "monday",
        "mon",
        "tuesday",
        "tue",
        "tues",
        "wednesday",
        "wed",
        "thursday",
        "thu",
        "thur",
        "thurs",
        "friday",
        "fri",
        "saturday",
        "sat",
        "sunday",
        "sun",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "lunes",
        "martes",
        "miercoles",
        "jueves",
        "viernes",
        "sabado",
        "domingo",
    ]
}


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """What one date cell says: a date, whether it is approximate, and the words used."""

    date: PartialDate
    approximate: bool = False
    end: PartialDate | None = None


def parse_date(text: str, order: DateOrder | None = None) -> ParsedDate:
    """Read one date or range as written, keeping its precision and never inventing one.

    Accepts ISO forms ("2001", "2024-11", "2025-01-17", "2025-01-17 14:30",
    "2014-02-19T15:32:11.123Z", "…+03:00"; seconds are read and dropped),
    numeric dates ("17.01.2025", "17/01/2025", "01/17/2025" read by
    ``order``, day-first when the parts do not say), "20200509", month names
    in English, German, French, Spanish or Russian ("January 2025", "17
    January 2025", "December 7, 1941", "9-May-20", "17. Januar 2025"), years
    of 1 to 4 digits, signed or with an era ("911", "-509", "509 BC", "753
    BCE", "AD 14": historians' years, no year 0), approximations ("circa
    2013", "c. 1200 BC", "~2013", "mid-November 2024"), rough spans ("1850s",
    "1st century", "5th century BC") and ranges ("2025/2045", "1914-1918",
    "April-May 1945", "2025-01-17 to 2045-01-17"). Raises DateError with
    advice when the text is not a date.
    """
    raw = (text or "").strip()
    if not raw:
        raise DateError("date is empty: write a date such as 2025-01-17, 2024-11 or 2001")
    match = _CANONICAL.fullmatch(raw)
    if match:  # what programs write: none of the forms below can match it
        year, month, day, hour, minute = match.groups()
        return ParsedDate(_from_parts(raw, year, month, day, hour, minute, None))
    return _parse_written(" ".join(raw.split()), raw, order)


def _parse_written(body: str, raw: str, order: DateOrder | None) -> ParsedDate:
    approximate = False
    match = _APPROX.match(body)
    if match:
        approximate, body = True, body[match.end() :]
    if body.endswith("?"):
        approximate, body = True, body[:-1].rstrip()
    match = _QUALIFIER.match(body)
    if match:
        approximate, body = True, body[match.end() :].lstrip("- ")
    parts = _split_range(body)
    if parts is not None:
        first, second = (_parse_written(p, raw, order) for p in parts)
        if first.end is not None or second.end is not None:
            raise DateError(f"{raw!r} has more than one range separator")
        check_order(first.date, second.date)
        return ParsedDate(
            first.date, approximate or first.approximate or second.approximate, second.date
        )
    rough = _rough_span(body, raw)
    if rough is not None:
        return ParsedDate(rough[0], True, rough[1])
    return ParsedDate(_parse_single(body, raw, order), approximate)


def _era(body: str) -> tuple[str, int]:
    """The text without its era, and the era's sign: -1 for BC/BCE, 1 for AD/CE, 0 for none."""
    match = _ERA.search(body)
    if not match:
        return body, 0
    word = match["era"].upper().replace(".", "").replace(" ", "")
    rest = (body[: match.start()] + body[match.end() :]).strip()
    if not rest:
        return body, 0
    return rest, -1 if word.startswith("B") else 1


def _split_range(body: str) -> tuple[str, str] | None:
    # ISO dates contain '-' themselves, so a bare hyphen only separates a range
    # of two plain years ("1914-1918", "509-480 BC") or of two months ("April-May
    # 1945"); otherwise use '/', 'to', 'until' or a dash with spaces or an en dash.
    plain, sign = _era(body)
    era = body[len(plain) :] if sign and body.startswith(plain) else ""
    years = re.fullmatch(r"(\d{1,4})\s*[-–—]\s*(\d{1,4})", plain)
    if years and (era or min(len(years[1]), len(years[2])) >= 3):
        return years[1] + era, years[2] + era
    months = re.fullmatch(r"([^\W\d]+)\.?\s*[-–—]\s*([^\W\d]+\.?\s+.*\d.*)", plain)
    if months and _fold(months[1]) in _MONTHS:
        tail = months[2].split(None, 1)
        if _fold(tail[0]) in _MONTHS and len(tail) == 2:
            # "April-May 1945": months named in words, a rough span (so approximate).
            return f"~{months[1]} {tail[1]}{era}", months[2] + era
    pieces = _RANGE.split(body)
    if len(pieces) == 2 and all(pieces):
        left, right = pieces
        # "7–9 May 1945": the first day borrows the second's month and year.
        if re.fullmatch(r"\d{1,2}", left) and re.fullmatch(r"\d{1,2}\s+\D.*", right):
            left = f"{left} {right.split(None, 1)[1]}"
        # "509 – 480 BC": the era written once covers both.
        _, left_sign = _era(left)
        right_plain, right_sign = _era(right)
        if right_sign and not left_sign and right_plain != right:
            left += right[len(right_plain) :]
        return left, right
    return None


def _rough_span(body: str, raw: str) -> tuple[PartialDate, PartialDate] | None:
    """Centuries and decades as the years they cover: "5th century BC" is 500 to 401 BC."""
    plain, sign = _era(body)
    match = _CENTURY.match(plain)
    if match:
        n = int(match["n"])
        if n == 0:
            raise DateError(f"{raw!r}: there is no century 0")
        first, last = (n - 1) * 100 + 1, n * 100
        if sign < 0:
            return PartialDate(-last), PartialDate(-first)
        return PartialDate(first), PartialDate(last)
    match = _DECADE.match(plain)
    if match and sign >= 0:
        first = int(match["decade"]) * 10
        return PartialDate(first), PartialDate(first + 9)
    return None


def _parse_single(body: str, raw: str, order: DateOrder | None) -> PartialDate:
    plain, sign = _era(body)
    match = _SIGNED_YEAR.match(plain)
    if match:
        year = int(match["year"])
        if match["sign"] in ("-", "−"):
            if sign:
                raise DateError(f"{raw!r}: a year is either signed or given an era, not both")
            sign = -1
        return _from_parts(raw, str(-year if sign < 0 else year), None, None, None, None, None)
    match = _ISO.match(plain)
    if match:
        year_text = str(-int(match["year"])) if sign < 0 else match["year"]
        return _from_parts(
            raw,
            year_text,
            match["month"],
            match["day"],
            match["hour"],
            match["minute"],
            match["tz"],
        )
    if sign == 0:
        for pattern in (_YMD_SLASHED, _COMPACT):
            match = pattern.match(plain)
            if match:
                return _from_parts(
                    raw, match["year"], match["month"], match["day"], None, None, None
                )
        match = _MONTH_YEAR.match(plain)
        if match:
            return _from_parts(raw, match["year"], match["month"], None, None, None, None)
        match = _NUMERIC.match(plain)
        if match:
            return _numeric(match, raw, order)
    found = _words(plain, raw, sign)
    if found is not None:
        return found
    found = _dateutil(plain) if sign == 0 else None
    if found is not None:
        return found
    raise DateError(
        f"{raw!r} is not a date: write it as YYYY, YYYY-MM, YYYY-MM-DD or "
        "YYYY-MM-DD HH:MM (e.g. 2025-01-17), optionally with 'circa' or a range 'A to B'"
    )


def two_digit_year(year: int) -> int:
    """ "20" is 2020 and "41" is 1941: years up to 49 are this century's, the rest the last's."""
    return 2000 + year if year < 50 else 1900 + year


def _numeric(match: re.Match[str], raw: str, order: DateOrder | None) -> PartialDate:
    a, b = int(match["a"]), int(match["b"])
    year = int(match["year"])
    if len(match["year"]) == 2:
        year = two_digit_year(year)
    if order is None:
        # Nothing says which comes first: day-first, unless the parts say otherwise.
        order = DateOrder.MONTH_FIRST if b > 12 >= a else DateOrder.DAY_FIRST
    day, month = (a, b) if order is DateOrder.DAY_FIRST else (b, a)
    if month > 12:
        raise DateError(
            f"{raw!r}: month {month} does not exist (read {order.value}; "
            f"the other order may be meant)"
        )
    return _from_parts(raw, str(year), str(month), str(day), match["hour"], match["minute"], None)


def _words(body: str, raw: str, sign: int) -> PartialDate | None:
    """Dates written with a month name, in any order: "December 7, 1941", "9-May-20",
    "17. Januar 2025", "9 de mayo de 2020", "Saturday 9 May 2020 14:30"."""
    months: list[int] = []
    numbers: list[str] = []
    clock: tuple[str, str] | None = None
    afternoon: bool | None = None
    body = re.sub(r"\b([ap])\.\s?m\.?", r"\1m", body, flags=re.I)
    for token in _WORD_SPLIT.split(body):
        if not token:
            continue
        folded = _fold(token)
        if folded in _MONTHS:
            months.append(_MONTHS[folded])
        elif _CLOCK.match(token):
            time_match = _CLOCK.match(token)
            assert time_match is not None
            clock = (time_match[1], time_match[2])
        elif folded in ("am", "pm", "a.m", "p.m"):
            afternoon = folded.startswith("p")
        elif re.fullmatch(r"\d{3,4}", token) or _ORDINAL.match(token):
            numbers.append(token)
        elif folded in _WEEKDAYS or folded in _FILLER:
            continue
        else:
            return None
    if len(months) != 1 or not numbers or len(numbers) > 2:
        return None
    long_years = [n for n in numbers if re.fullmatch(r"\d{3,4}", n)]
    if len(long_years) > 1:
        return None
    if long_years:
        year = int(long_years[0])
        rest = [n for n in numbers if n is not long_years[0]]
    elif len(numbers) == 2:
        # "9-May-20", "15 March 44 BC": a day, then the year; two digits with no
        # era are a year of this century or the last.
        year = int(numbers[-1])
        year = two_digit_year(year) if sign == 0 and len(numbers[-1]) == 2 else year
        rest = numbers[:1]
    elif len(numbers) == 1 and sign:
        year_match = _ORDINAL.match(numbers[0])
        assert year_match is not None
        year, rest = int(year_match["n"]), []
    else:
        return None
    day = None
    if rest:
        day_match = _ORDINAL.match(rest[0])
        if day_match is None:
            return None
        day = day_match["n"]
    hour = minute = None
    if clock is not None and day is not None:
        hour_number = int(clock[0])
        if afternoon is not None:
            if not 1 <= hour_number <= 12:
                raise DateError(f"{raw!r}: a 12-hour time runs from 1 to 12")
            hour_number = hour_number % 12 + (12 if afternoon else 0)
        hour, minute = str(hour_number), clock[1]
    elif clock is not None:
        return None
    year_text = str(-year if sign < 0 else year)
    return _from_parts(raw, year_text, str(months[0]), day, hour, minute, None)


def _dateutil(body: str) -> PartialDate | None:
    """A last try with dateutil for the written forms above do not cover; the parts it
    filled in from its default (found by parsing against two defaults) are left out."""
    if not re.search(r"\d{3,4}", body):
        return None
    try:
        from dateutil import parser
    except ImportError:  # pragma: no cover (dateutil comes with pandas)
        return None
    first_default = datetime(1, 1, 1, 0, 0)
    second_default = datetime(2, 2, 2, 1, 1)
    try:
        one = parser.parse(body, default=first_default)
        two = parser.parse(body, default=second_default)
    except (ValueError, OverflowError, TypeError):
        return None
    if one.year != two.year:
        return None
    month = one.month if one.month == two.month else None
    day = one.day if month is not None and one.day == two.day else None
    timed = day is not None and one.hour == two.hour and one.minute == two.minute
    if one.tzinfo is not None and timed:
        one = one.astimezone(UTC)
    return PartialDate(
        one.year, month, day, one.hour if timed else None, one.minute if timed else None
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
    y = int(year.replace("−", "-"))
    if y == 0:
        raise DateError(
            f"{raw!r}: there is no year 0 (historians' years: 1 BC is followed by AD 1)"
        )
    if not -9999 <= y <= 9999:
        raise DateError(f"{raw!r}: year {y} is out of range (9999 BC to 9999)")
    m = int(month) if month else None
    if m is not None and not 1 <= m <= 12:
        raise DateError(f"{raw!r}: month {m} does not exist (1 to 12)")
    d = int(day) if day else None
    if d is not None:
        assert m is not None
        # Not monthrange(): it also works out the weekday, twice the cost of the parse.
        last = _MONTH_DAYS[m] + (m == 2 and calendar.isleap(astronomical(y)))
        if not 1 <= d <= last:
            raise DateError(f"{raw!r}: day {d} does not exist in {y:04d}-{m:02d} (1 to {last})")
    h = int(hour) if hour is not None else None
    mi = int(minute) if minute is not None else None
    if h is not None and mi is not None:
        if not (0 <= h <= 23 and 0 <= mi <= 59):
            raise DateError(f"{raw!r}: time {h}:{mi:02d} does not exist (00:00 to 23:59)")
        if tz and tz.upper() not in ("Z", "UTC", "GMT") and y > 1:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "").ljust(4, "0")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            assert d is not None and m is not None
            try:
                utc = datetime(y, m, d, h, mi) - sign * offset
            except OverflowError:
                raise DateError(f"{raw!r}: out of range once converted to UTC") from None
            return PartialDate(utc.year, utc.month, utc.day, utc.hour, utc.minute)
    return PartialDate(y, m, d, h, mi)


def check_order(start: PartialDate, end: PartialDate) -> None:
    """An end may share the start's span ("2025" to "2025-06"), but may not end before it."""
    if end.upper_epoch() <= start.lower_epoch():
        raise DateError(f"end {end.iso()} is before start {start.iso()}: swap them or fix the end")


def span_text(start: PartialDate | None, end: PartialDate | None) -> str:
    """A window as readers see it: "2024-06 – 2025-02", one date when both ends agree,
    "…" for an open side, "" when there is no window at all."""
    if start is None and end is None:
        return ""
    first = start.label() if start else "…"
    last = end.label() if end else "…"
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

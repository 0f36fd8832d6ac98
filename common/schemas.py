"""The types of text, dates and times the API takes: no NUL, ISO text only, within an era.

Pydantic would read a bare number, or a numeric string in a query, as seconds since 1970
("0" as 1 January 1970); schemathesis found such numbers accepted. Every day, moment and
time of day that an endpoint takes is one of the types below, which refuse them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_ISO_CLOCK = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")


def _iso(pattern: re.Pattern[str], kind: type, example: str):
    def check(value):
        if isinstance(value, kind) or (isinstance(value, str) and pattern.match(value)):
            return value
        raise ValueError(f"Give it as ISO text, e.g. {example}.")

    return check


def _plausible(value: datetime) -> datetime:
    """In UTC (an offset such as -21:36 parses, but PostgreSQL refuses to store it), and
    within this era."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    if not 2000 <= value.year <= 2100:
        raise ValueError("Give a date between the years 2000 and 2100.")
    return value


# The years a day may fall in (birth dates included). Beyond them a week's or month's end
# overflows Python's dates (9999-12-31 + 7 days) and answers 500.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _plausible_day(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"Give a date between the years {FIRST_YEAR} and {LAST_YEAR}.")
    return value


def day_or_none(text: str | None) -> date | None:
    """A page's ``?week=`` or ``?day=``: the day, or None when it is not a plausible one (the
    page then shows today's)."""
    try:
        return _plausible_day(date.fromisoformat(text or ""))
    except ValueError:
        return None


def year_or_none(text: str | None) -> int | None:
    """A page's ``?year=``: the year, or None when it is not a plausible one."""
    try:
        year = int(text or "")
    except ValueError:
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


# A day: 2026-11-24, between 1900 and 2100.
Day = Annotated[date, BeforeValidator(_iso(_ISO_DAY, date, "2026-11-24")), AfterValidator(_plausible_day)]
# A moment: 2026-11-24T14:00+08:00 (without an offset, Shanghai time), between 2000 and 2100.
When = Annotated[
    datetime,
    BeforeValidator(_iso(_ISO_MOMENT, datetime, "2026-11-24T14:00+08:00")),
    AfterValidator(_plausible),
]


def refuse_nul(value: str) -> str:
    """PostgreSQL cannot store the NUL character: refused as input, not a 500 at the database."""
    if "\x00" in value:
        raise ValueError("Text may not contain the NUL character.")
    return value


# Any text the API takes.
Text = Annotated[str, AfterValidator(refuse_nul)]

# A local time of day in Shanghai, as "HH:MM". JSON Schema's "time" format demands an
# offset ("10:00:00+08:00"), which a committee's opening hour or cutoff does not have.
_CLOCK_SCHEMA = WithJsonSchema(
    {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", "example": "10:00"}
)
# Taken: "09:30".
Clock = Annotated[time, BeforeValidator(_iso(_ISO_CLOCK, time, "09:30")), _CLOCK_SCHEMA]
# Given: "09:30".
LocalTime = Annotated[time, PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str), _CLOCK_SCHEMA]

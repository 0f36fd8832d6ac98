"""Schemas of the repeating bookings', seasons' and calendars' API (names prefixed, unique
across the apps)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

from ninja import Field, Schema

from common.api import Id
from common.schemas import Day, Text
from spaces.models import ApplicationStatus, Booking, BookingSeries, BookingStatus, SlotApplication

# A day of the week: 0 is Monday.
Weekday = Annotated[int, Field(ge=0, le=6)]
WEEKDAYS_FIELD = Field(..., min_length=1, max_length=7, description="Days of the week, 0 is Monday.")


def _days(text: str) -> list[int]:
    return sorted(int(part) for part in text.split(",") if part.strip().isdigit())


class SpaceBookingOut(Schema):
    """A booking as the calendars and series show it."""

    id: int
    space: int
    space_name: str
    starts_at: datetime
    ends_at: datetime
    status: BookingStatus
    purpose: str
    people: int
    team: int | None
    team_name: str
    series: int | None
    checked_in_at: datetime | None
    no_show_at: datetime | None

    @staticmethod
    def resolve_space(obj: Booking) -> int:
        return obj.space_id

    @staticmethod
    def resolve_space_name(obj: Booking) -> str:
        return obj.space.name

    @staticmethod
    def resolve_team(obj: Booking) -> int | None:
        return obj.team_id

    @staticmethod
    def resolve_team_name(obj: Booking) -> str:
        return obj.team.name if obj.team else ""

    @staticmethod
    def resolve_series(obj: Booking) -> int | None:
        return obj.series_id


class SeriesOut(Schema):
    id: int
    space: int
    space_name: str
    weekdays: list[int]
    starts: time
    ends: time
    first_day: date
    last_day: date
    purpose: str
    people: int
    team: int | None
    skipped: list[str]
    cancelled_at: datetime | None
    cancel_reason: str
    url: str

    @staticmethod
    def resolve_space(obj: BookingSeries) -> int:
        return obj.space_id

    @staticmethod
    def resolve_space_name(obj: BookingSeries) -> str:
        return obj.space.name

    @staticmethod
    def resolve_weekdays(obj: BookingSeries) -> list[int]:
        return _days(obj.weekdays)

    @staticmethod
    def resolve_team(obj: BookingSeries) -> int | None:
        return obj.team_id

    @staticmethod
    def resolve_url(obj: BookingSeries) -> str:
        return obj.get_absolute_url()


class SeriesDetailOut(SeriesOut):
    dates: list[SpaceBookingOut]

    @staticmethod
    def resolve_dates(obj: BookingSeries) -> list[Booking]:
        return list(obj.bookings.select_related("space", "team").order_by("starts_at", "pk"))


class SeriesIn(Schema):
    space: Id
    team: Id | None = Field(None, description="The team it is for; a leader books only for their team.")
    weekdays: list[Weekday] = WEEKDAYS_FIELD
    starts: time
    ends: time
    first_day: Day
    last_day: Day
    purpose: Text = Field(..., max_length=120)
    people: int = Field(1, ge=1, le=500)


class SeriesCreateIn(SeriesIn):
    skip_clashes: bool = Field(
        False, description="Skip the dates that cannot be booked, instead of refusing."
    )


class SeriesDateCheckOut(Schema):
    day: date
    starts_at: datetime
    ends_at: datetime
    ok: bool
    problem: str = Field(description="Why the date cannot be booked; empty when it can.")
    clash: int | None = Field(description="The booking it clashes with, if any.")


class SeriesReasonIn(Schema):
    reason: Text = Field(..., max_length=200)


class SeriesCancelDateIn(Schema):
    reason: Text = Field("", max_length=200)


class SeriesLastDayIn(Schema):
    last_day: Day
    skip_clashes: bool = False


class SeriesCountOut(Schema):
    dates: int = Field(description="How many dates the action changed.")


class SeasonOut(Schema):
    id: int
    area: int
    name: str
    applications_open: date
    applications_close: date
    starts_on: date
    ends_on: date
    allocated_at: datetime | None

    @staticmethod
    def resolve_area(obj) -> int:
        return obj.area_id


class SeasonIn(Schema):
    name: Text = Field(..., max_length=60)
    applications_open: Day
    applications_close: Day
    starts_on: Day
    ends_on: Day


class SlotApplicationIn(Schema):
    team: Id
    space: Id
    weekdays: list[Weekday] = WEEKDAYS_FIELD
    starts: time
    ends: time
    purpose: Text = Field(..., max_length=120)
    people: int = Field(1, ge=1, le=500)


class SlotApplicationOut(Schema):
    id: int
    season: int
    team: int
    team_name: str
    space: int
    space_name: str
    weekdays: list[int]
    starts: time
    ends: time
    purpose: str
    people: int
    status: ApplicationStatus
    reason: str
    series: int | None

    @staticmethod
    def resolve_season(obj: SlotApplication) -> int:
        return obj.season_id

    @staticmethod
    def resolve_team(obj: SlotApplication) -> int:
        return obj.team_id

    @staticmethod
    def resolve_team_name(obj: SlotApplication) -> str:
        return obj.team.name

    @staticmethod
    def resolve_space(obj: SlotApplication) -> int:
        return obj.space_id

    @staticmethod
    def resolve_space_name(obj: SlotApplication) -> str:
        return obj.space.name

    @staticmethod
    def resolve_weekdays(obj: SlotApplication) -> list[int]:
        return _days(obj.weekdays)

    @staticmethod
    def resolve_series(obj: SlotApplication) -> int | None:
        return obj.series_id


class SlotApplicationRowOut(Schema):
    application: SlotApplicationOut
    rivals: list[int] = Field(description="The applications it overlaps (same space, day and time).")
    problems: list[SeriesDateCheckOut] = Field(description="The season's dates it cannot have.")
    dates: int


class SlotAllocateIn(Schema):
    skip_clashes: bool = False


class SeasonFinishedOut(Schema):
    messages: int = Field(description="Messages sent: one to each leader of each team, once.")


class SpaceMonthOut(Schema):
    space: int | None
    space_name: str
    hours_open: float
    hours_booked: float
    use_percent: int | None
    bookings: int
    no_shows: int


class SpaceFiguresOut(Schema):
    area: int
    month: date
    rows: list[SpaceMonthOut]
    total: SpaceMonthOut


class IdleSpaceOut(Schema):
    id: int
    name: str
    area: int


class CalendarDayOut(Schema):
    day: date
    open: list[tuple[datetime, datetime]]
    bookings: list[SpaceBookingOut]

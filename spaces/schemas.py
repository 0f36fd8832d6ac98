"""What the spaces' API takes and returns for sites, spaces and single bookings: explicit
fields, every number bounded, names unique across the project's apps."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.urls import reverse
from ninja import Field, Schema

from common.api import Id
from common.schemas import Clock, Day, LocalTime, Text, When
from spaces.models import Booking, BookingStatus, Site, SiteKind, Space, SpaceKind

# --- Out -------------------------------------------------------------------------------------------


class SiteOut(Schema):
    id: int
    area: str = Field(description="The code of the committee or street it belongs to.")
    name: str
    kind: SiteKind
    address: str
    about: str
    hours_note: str
    map_x: Decimal | None = Field(description="Percent across the committee's plan, from the left.")
    map_y: Decimal | None = Field(description="Percent down the committee's plan, from the top.")
    closed: bool

    @staticmethod
    def resolve_area(obj: Site) -> str:
        return obj.area.code

    @staticmethod
    def resolve_closed(obj: Site) -> bool:
        return obj.closed_at is not None


class OpeningHoursOut(Schema):
    weekday: int = Field(description="0 is Monday.")
    opens: LocalTime
    closes: LocalTime


class ClosureOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    reason: str


class AudienceRuleOut(Schema):
    id: int
    weekdays: list[int]
    starts: LocalTime
    ends: LocalTime
    min_age: int | None
    tags: list[str]
    free: bool
    note: str = Field(description="What residents are told.")

    @staticmethod
    def resolve_weekdays(obj) -> list[int]:
        return sorted(obj.days)

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t for t in obj.tags.split(",") if t]


class PrioritySlotOut(Schema):
    id: int
    team: int
    team_name: str
    weekdays: list[int]
    starts: LocalTime
    ends: LocalTime
    release_hours: int = Field(description="It opens to all this many hours before it starts.")

    @staticmethod
    def resolve_team(obj) -> int:
        return obj.team_id

    @staticmethod
    def resolve_team_name(obj) -> str:
        return obj.team.name

    @staticmethod
    def resolve_weekdays(obj) -> list[int]:
        return sorted(obj.days)


class SpacePhotoOut(Schema):
    id: int
    name: str
    url: str


class SpaceOut(Schema):
    id: int
    area: str
    site: int | None
    site_name: str
    name: str
    kind: SpaceKind
    about: str
    capacity: int | None
    size_m2: int | None
    equipment: str
    how_to_book: str
    bookable: bool = Field(description="False: open to all without booking.")
    needs_approval: bool
    open_to_residents: bool
    open_to_teams: bool
    open_to_partners: bool
    book_days_ahead: int
    min_notice_hours: int
    max_hours: int
    map_x: Decimal | None
    map_y: Decimal | None
    archived: bool
    url: str

    @staticmethod
    def resolve_area(obj: Space) -> str:
        return obj.area.code

    @staticmethod
    def resolve_site(obj: Space) -> int | None:
        return obj.site_id

    @staticmethod
    def resolve_site_name(obj: Space) -> str:
        return obj.site.name if obj.site else ""

    @staticmethod
    def resolve_archived(obj: Space) -> bool:
        return obj.archived_at is not None

    @staticmethod
    def resolve_url(obj: Space) -> str:
        return obj.get_absolute_url()


class FreeStretchOut(Schema):
    starts_at: datetime
    ends_at: datetime


class FreeDayOut(Schema):
    day: date
    open: list[FreeStretchOut] = Field(description="The day's opening, closures cut out.")
    free: list[FreeStretchOut] = Field(description="Of those, what no booking holds (and not past).")


class PublicSpaceOut(SpaceOut):
    """A space with what its public page shows; read from ``spaces.selectors.PublicSpace``
    (``public_out`` puts it on the space)."""

    hours: list[OpeningHoursOut]
    closures: list[ClosureOut]
    audience_rules: list[AudienceRuleOut]
    priority_slots: list[PrioritySlotOut]
    photos: list[SpacePhotoOut]
    days: list[FreeDayOut]

    @staticmethod
    def resolve_hours(obj: Space) -> list:
        return list(obj.public.opening.hours)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_closures(obj: Space) -> list:
        return list(obj.public.opening.closures)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_audience_rules(obj: Space) -> list:
        return list(obj.audience_rules.all())

    @staticmethod
    def resolve_priority_slots(obj: Space) -> list:
        return list(obj.priority_slots.all())

    @staticmethod
    def resolve_photos(obj: Space) -> list:
        return [
            {"id": p.pk, "name": p.name, "url": reverse("spaces:photo", args=[p.pk])}
            for p in obj.photos.all()
        ]

    @staticmethod
    def resolve_days(obj: Space) -> list[dict]:
        return [
            {"day": d.day, "open": _stretches(d.hours), "free": _stretches(d.free)}
            for d in obj.public.days  # type: ignore[attr-defined]
        ]


def _stretches(pairs) -> list[dict]:
    return [{"starts_at": a, "ends_at": b} for a, b in pairs]


class PublicSiteOut(Schema):
    site: SiteOut | None = Field(description="None: the spaces that stand at no site.")
    spaces: list[PublicSpaceOut]


class BookingOut(Schema):
    id: int
    space: int
    space_name: str
    starts_at: datetime
    ends_at: datetime
    status: BookingStatus
    purpose: str
    people: int
    holder: str = Field(description="Whose it is: a team or unit by name, a resident by name for staff.")
    for_resident: int | None
    team: int | None
    partner_unit: int | None
    decline_reason: str
    cancel_reason: str
    url: str

    @staticmethod
    def resolve_space(obj: Booking) -> int:
        return obj.space_id

    @staticmethod
    def resolve_space_name(obj: Booking) -> str:
        return obj.space.name

    @staticmethod
    def resolve_holder(obj: Booking) -> str:
        return getattr(obj, "holder", "")

    @staticmethod
    def resolve_for_resident(obj: Booking) -> int | None:
        return obj.for_resident_id

    @staticmethod
    def resolve_team(obj: Booking) -> int | None:
        return obj.team_id

    @staticmethod
    def resolve_partner_unit(obj: Booking) -> int | None:
        return obj.partner_unit_id

    @staticmethod
    def resolve_url(obj: Booking) -> str:
        return obj.get_absolute_url()


class BookingChoiceOut(Schema):
    id: int
    name: str


class BookingChoicesOut(Schema):
    people: list[BookingChoiceOut] = Field(description="Yourself and the family members you act for.")
    teams: list[BookingChoiceOut] = Field(description="The teams you lead.")
    units: list[BookingChoiceOut] = Field(description="The partner units you act for (in the partner role).")


# --- In --------------------------------------------------------------------------------------------


class SiteIn(Schema):
    name: Text = Field(..., max_length=80)
    kind: SiteKind
    address: Text = Field("", max_length=200)
    about: Text = Field("", max_length=4000)
    hours_note: Text = Field("", max_length=120)
    map_x: Decimal | None = Field(None, ge=0, le=100, max_digits=4, decimal_places=1)
    map_y: Decimal | None = Field(None, ge=0, le=100, max_digits=4, decimal_places=1)


class SpaceIn(Schema):
    site: Id | None = None
    name: Text = Field(..., max_length=80)
    kind: SpaceKind
    about: Text = Field("", max_length=4000)
    capacity: int | None = Field(None, ge=1, le=10000)
    size_m2: int | None = Field(None, ge=1, le=1_000_000)
    equipment: Text = Field("", max_length=2000)
    how_to_book: Text = Field("", max_length=2000)
    bookable: bool = True
    needs_approval: bool = False
    open_to_residents: bool = True
    open_to_teams: bool = True
    open_to_partners: bool = True
    book_days_ahead: int = Field(14, ge=0, le=365)
    min_notice_hours: int = Field(1, ge=0, le=720)
    max_hours: int = Field(4, ge=1, le=24)
    map_x: Decimal | None = Field(None, ge=0, le=100, max_digits=4, decimal_places=1)
    map_y: Decimal | None = Field(None, ge=0, le=100, max_digits=4, decimal_places=1)


class StretchIn(Schema):
    weekday: int = Field(..., ge=0, le=6, description="0 is Monday.")
    opens: Clock
    closes: Clock


class HoursIn(Schema):
    hours: list[StretchIn] = Field(
        ..., max_length=100, description="The whole week; a day not given is closed."
    )


class ClosureIn(Schema):
    starts_at: When
    ends_at: When
    reason: Text = Field(..., max_length=200)


class WindowIn(Schema):
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        ..., min_length=1, max_length=7, description="0 is Monday."
    )
    starts: Clock
    ends: Clock


class AudienceRuleIn(WindowIn):
    min_age: int | None = Field(None, ge=0, le=120)
    tags: list[Text] = Field(default_factory=list, max_length=20, description="The registry's tags.")
    free: bool = True
    note: Text = Field(..., max_length=200)


class PrioritySlotIn(WindowIn):
    team: Id
    release_hours: int = Field(48, ge=0, le=720)


class BookingIn(Schema):
    space: Id
    starts_at: When
    ends_at: When
    purpose: Text = Field(..., max_length=120)
    people: int = Field(1, ge=1, le=1000)
    for_resident: Id | None = Field(None, description="Yourself or a family member you act for.")
    team: Id | None = Field(None, description="A team you lead.")
    partner_unit: Id | None = Field(None, description="A partner unit you act for.")
    override: bool = Field(False, description="Staff only: past the audience rule and teams' priority.")


class BookingReasonIn(Schema):
    reason: Text = Field(..., max_length=200)


class BookingCancelIn(Schema):
    reason: Text = Field("", max_length=200, description="Staff cancelling someone's booking say why.")


class BookingFilterQuery(Schema):
    space: Id | None = None
    status: BookingStatus | None = None
    first: Day | None = None
    last: Day | None = None

"""Check-in and no-show, calendars, figures: the API, for staff keeping spaces (the same
services as the pages)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from common.api import ERRORS, id_path
from common.schemas import Day
from common.scope import Capability, get_or_404, staff_scope
from spaces import attendance, calendars, figures
from spaces.models import Booking
from spaces.series_schemas import CalendarDayOut, IdleSpaceOut, SpaceBookingOut, SpaceFiguresOut

router = Router(tags=["spaces"])
SPACE_ID = id_path("A space's id.")
BOOKING_ID = id_path("A booking's id.")


class SpaceWeekQuery(Schema):
    week: Day | None = Field(None, description="Any day of the week wanted; default this week.")


class SpaceDayQuery(Schema):
    day: Day | None = Field(None, description="The day, or any day of the week wanted; default today.")
    week: bool = Field(False, description="The whole week (Monday to Sunday) holding the day.")


class SpaceMonthQuery(Schema):
    month: Day | None = Field(None, description="Any day of the month wanted; default this month.")


def _days_out(days: list[calendars.CalendarDay]) -> list[dict]:
    return [{"day": d.day, "open": d.open, "bookings": d.bookings} for d in days]


@router.get(
    "/{int:space_id}/calendar", response={200: list[CalendarDayOut], **ERRORS}, summary="A space's week"
)
def space_calendar(request, query: Query[SpaceWeekQuery], space_id: int = SPACE_ID):
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    space = get_or_404(calendars.staff_spaces(scope), _("No such space."), pk=space_id)
    return _days_out(calendars.space_week(space, query.week or timezone.localdate()))


@router.get(
    "/calendar", response={200: list[CalendarDayOut], **ERRORS}, summary="Every space, a day or a week"
)
def area_calendar(request, query: Query[SpaceDayQuery]):
    """The spaces of your active role's area; `open` is empty (each space has its own hours)."""
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    day = query.day or timezone.localdate()
    first = calendars.week_of(day) if query.week else day
    last = first + timedelta(days=6) if query.week else first
    return _days_out(calendars.area_days(scope, scope.area, first, last))


@router.get("/figures", response={200: SpaceFiguresOut, **ERRORS}, summary="Use of the spaces in a month")
def space_figures(request, query: Query[SpaceMonthQuery]):
    """Per space: hours booked (confirmed) against hours open, use, bookings, no-shows; the
    area's total (a street: every committee's spaces)."""
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    found = figures.for_area(scope, scope.area, query.month or timezone.localdate())

    def row(r: figures.SpaceMonth) -> dict:
        return {
            "space": r.space.pk if r.space else None,
            "space_name": r.space.name if r.space else "",
            "hours_open": r.hours_open,
            "hours_booked": r.hours_booked,
            "use_percent": r.use_percent,
            "bookings": r.bookings,
            "no_shows": r.no_shows,
        }

    return {
        "area": found.area.pk,
        "month": found.month,
        "rows": [row(r) for r in found.rows],
        "total": row(found.total),
    }


@router.get("/idle", response={200: list[IdleSpaceOut], **ERRORS}, summary="Spaces idle for 30 days")
def idle(request):
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    return [
        {"id": s.pk, "name": s.name, "area": s.area_id}
        for s in figures.idle_spaces(scope, timezone.localdate())
    ]


def _booking(request, booking_id: int) -> Booking:
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    return get_or_404(
        Booking.objects.filter(space__in=calendars.staff_spaces(scope)).select_related("space__area", "team"),
        _("No such booking."),
        pk=booking_id,
    )


@router.post(
    "/bookings/{int:booking_id}/came",
    response={200: SpaceBookingOut, **ERRORS},
    summary="Check in: they came",
)
def came(request, booking_id: int = BOOKING_ID):
    """From its start until the end of its day; once."""
    return attendance.check_in(request.user, _booking(request, booking_id), scope=request.scope)


@router.post(
    "/bookings/{int:booking_id}/no-show", response={200: SpaceBookingOut, **ERRORS}, summary="Nobody came"
)
def no_show(request, booking_id: int = BOOKING_ID):
    return attendance.no_show(request.user, _booking(request, booking_id), scope=request.scope)

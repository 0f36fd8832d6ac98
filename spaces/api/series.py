"""Repeating bookings and seasons of regular slots: the API. The same services and lookups as
the pages; a series, season or application the caller may not see answers 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from common.api import ERRORS, id_path
from common.scope import get_or_404
from spaces import rules, seasons, series
from spaces.models import Booking, BookingSeries, Season, SlotApplication, Space
from spaces.series_schemas import (
    SeasonFinishedOut,
    SeasonIn,
    SeasonOut,
    SeriesCancelDateIn,
    SeriesCountOut,
    SeriesCreateIn,
    SeriesDateCheckOut,
    SeriesDetailOut,
    SeriesIn,
    SeriesLastDayIn,
    SeriesOut,
    SeriesReasonIn,
    SlotAllocateIn,
    SlotApplicationIn,
    SlotApplicationOut,
    SlotApplicationRowOut,
)
from volunteers.models import Team

router = Router(tags=["spaces"])
SERIES_ID = id_path("A repeating booking's id.")
SEASON_ID = id_path("A season's id.")
APPLICATION_ID = id_path("A slot application's id.")
BOOKING_ID = id_path("A booking's id (one date of a repeating booking).")
LISTED = 200  # the newest repeating bookings or seasons listed


def _one(queryset, pk: int | None, what: str):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise HttpError(422, _("No %(what)s with id %(id)d.") % {"what": what, "id": pk})
    return found


def _draft(payload: SeriesIn) -> series.SeriesDraft:
    space = _one(Space.objects.select_related("area"), payload.space, "space")
    return series.SeriesDraft(
        space=space,
        weekdays=frozenset(payload.weekdays),
        starts=payload.starts,
        ends=payload.ends,
        first_day=payload.first_day,
        last_day=payload.last_day,
        purpose=payload.purpose,
        people=payload.people,
        team=_one(Team.objects.select_related("area"), payload.team, "team"),
    )


def _series(request, series_id: int) -> BookingSeries:
    return get_or_404(
        series.visible_to(request.user, request.scope), _("No such repeating booking."), pk=series_id
    )


def _season(request, season_id: int) -> Season:
    return get_or_404(seasons.visible_to(request.user, request.scope), _("No such season."), pk=season_id)


def _application(request, application_id: int) -> SlotApplication:
    return get_or_404(
        seasons.applications_visible_to(request.user, request.scope),
        _("No such application."),
        pk=application_id,
    )


def _check_out(check: series.DateCheck) -> dict:
    return {
        "day": check.day,
        "starts_at": check.starts_at,
        "ends_at": check.ends_at,
        "ok": check.ok,
        "problem": check.problem,
        "clash": check.clash.pk if check.clash else None,
    }


# --- Repeating bookings ----------------------------------------------------------------------


@router.get("/series", response={200: list[SeriesOut], **ERRORS}, summary="Repeating bookings")
def list_series(request):
    """Those staff keep and those of the teams you lead, newest first (200 at most)."""
    return list(series.visible_to(request.user, request.scope).order_by("-first_day", "-pk")[:LISTED])


@router.post(
    "/series/preview",
    response={200: list[SeriesDateCheckOut], **ERRORS},
    summary="Preview a repeating booking",
)
def preview_series(request, payload: SeriesIn):
    """Every date, and for each one that cannot be booked, why (hours, a closure, a clash)."""
    draft = _draft(payload)
    if not series.may_make(request.user, draft.space, draft.team, request.scope):
        raise PermissionDenied(_("Only staff, or a team's leader for their team, make repeating bookings."))
    return [_check_out(c) for c in series.preview(draft)]


@router.post("/series", response={201: SeriesDetailOut, **ERRORS}, summary="Make a repeating booking")
def create_series(request, payload: SeriesCreateIn):
    """Refused (422, the dates and why) while a date cannot be booked, unless `skip_clashes`."""
    made = series.create(
        request.user, _draft(payload), scope=request.scope, skip_clashes=payload.skip_clashes
    )
    return Status(201, made)


@router.get(
    "/series/{int:series_id}", response={200: SeriesDetailOut, **ERRORS}, summary="One repeating booking"
)
def get_series(request, series_id: int = SERIES_ID):
    return _series(request, series_id)


@router.post("/series/{int:series_id}/approve", response={200: SeriesCountOut, **ERRORS}, summary="Approve")
def approve_series(request, series_id: int = SERIES_ID):
    """Staff confirm every pending date; the team hears once."""
    return {"dates": series.approve(request.user, _series(request, series_id), scope=request.scope)}


@router.post("/series/{int:series_id}/decline", response={200: SeriesCountOut, **ERRORS}, summary="Decline")
def decline_series(request, payload: SeriesReasonIn, series_id: int = SERIES_ID):
    found = _series(request, series_id)
    return {"dates": series.decline(request.user, found, payload.reason, scope=request.scope)}


@router.post(
    "/series/{int:series_id}/cancel", response={200: SeriesCountOut, **ERRORS}, summary="Cancel the rest"
)
def cancel_series(request, payload: SeriesReasonIn, series_id: int = SERIES_ID):
    """Every date still to come; one message."""
    found = _series(request, series_id)
    return {"dates": series.cancel_rest(request.user, found, payload.reason, scope=request.scope)}


@router.post(
    "/series/{int:series_id}/last-day", response={200: SeriesDetailOut, **ERRORS}, summary="Extend or shorten"
)
def change_last_day(request, payload: SeriesLastDayIn, series_id: int = SERIES_ID):
    found = _series(request, series_id)
    return series.change_last_day(
        request.user, found, payload.last_day, scope=request.scope, skip_clashes=payload.skip_clashes
    )


@router.post(
    "/series-dates/{int:booking_id}/cancel",
    response={200: SeriesDetailOut, **ERRORS},
    summary="Cancel one date",
)
def cancel_date(request, payload: SeriesCancelDateIn, booking_id: int = BOOKING_ID):
    visible = series.visible_to(request.user, request.scope)
    booking = get_or_404(
        Booking.objects.filter(series__in=visible).select_related("series__space__area", "series__team"),
        _("No such date."),
        pk=booking_id,
    )
    series.cancel_date(request.user, booking, payload.reason, scope=request.scope)
    return booking.series


# --- Seasons -----------------------------------------------------------------------------------


@router.get("/seasons", response={200: list[SeasonOut], **ERRORS}, summary="Seasons of regular slots")
def list_seasons(request):
    return list(seasons.visible_to(request.user, request.scope).order_by("-starts_on", "pk")[:LISTED])


@router.post("/seasons", response={201: SeasonOut, **ERRORS}, summary="Open a season")
def create_season(request, payload: SeasonIn):
    """In the area of your active role."""
    area = request.scope.area
    if area is None or not rules.manages_area(request.scope, area):
        raise PermissionDenied(_("Only staff keeping the area's spaces create seasons."))
    draft = seasons.SeasonDraft(area=area, **payload.dict())
    return Status(201, seasons.create_season(request.user, draft, scope=request.scope))


@router.get("/seasons/{int:season_id}", response={200: SeasonOut, **ERRORS}, summary="One season")
def get_season(request, season_id: int = SEASON_ID):
    return _season(request, season_id)


@router.get(
    "/seasons/{int:season_id}/applications",
    response={200: list[SlotApplicationRowOut], **ERRORS},
    summary="The applications and their conflicts",
)
def season_board(request, season_id: int = SEASON_ID):
    """Staff: every application with the others it overlaps and the dates it cannot have.
    Leaders: their teams' applications."""
    found = _season(request, season_id)
    if rules.manages_area(request.scope, found.area):
        rows = seasons.board(found)
    else:
        mine = seasons.applications_visible_to(request.user, request.scope).filter(season=found)
        rows = [seasons.Row(a) for a in mine]
    return [
        {
            "application": row.application,
            "rivals": [r.pk for r in row.rivals],
            "problems": [_check_out(c) for c in row.problems],
            "dates": row.dates,
        }
        for row in rows
    ]


@router.post(
    "/seasons/{int:season_id}/applications", response={201: SlotApplicationOut, **ERRORS}, summary="Apply"
)
def apply(request, payload: SlotApplicationIn, season_id: int = SEASON_ID):
    """A team's leader, in the season's window."""
    found = _season(request, season_id)
    draft = seasons.ApplicationDraft(
        team=_one(Team.objects.select_related("area"), payload.team, "team"),
        space=_one(Space.objects.select_related("area"), payload.space, "space"),
        weekdays=frozenset(payload.weekdays),
        starts=payload.starts,
        ends=payload.ends,
        purpose=payload.purpose,
        people=payload.people,
    )
    return Status(201, seasons.apply(request.user, found, draft, scope=request.scope))


@router.post(
    "/seasons/{int:season_id}/finish", response={200: SeasonFinishedOut, **ERRORS}, summary="Finish and tell"
)
def finish(request, season_id: int = SEASON_ID):
    """Once every application is decided: each team is told once."""
    return {"messages": seasons.finish(request.user, _season(request, season_id), scope=request.scope)}


@router.post(
    "/slot-applications/{int:application_id}/allocate",
    response={200: SeriesDetailOut, **ERRORS},
    summary="Allocate",
)
def allocate(request, payload: SlotAllocateIn, application_id: int = APPLICATION_ID):
    """Makes the series over the season's dates; a clash is refused unless `skip_clashes`."""
    found = _application(request, application_id)
    return seasons.allocate(request.user, found, scope=request.scope, skip_clashes=payload.skip_clashes)


@router.post(
    "/slot-applications/{int:application_id}/refuse",
    response={200: SlotApplicationOut, **ERRORS},
    summary="Do not allocate",
)
def refuse(request, payload: SeriesReasonIn, application_id: int = APPLICATION_ID):
    return seasons.refuse(
        request.user, _application(request, application_id), payload.reason, scope=request.scope
    )


@router.post(
    "/slot-applications/{int:application_id}/withdraw",
    response={200: SlotApplicationOut, **ERRORS},
    summary="Withdraw",
)
def withdraw(request, application_id: int = APPLICATION_ID):
    return seasons.withdraw(request.user, _application(request, application_id), scope=request.scope)

"""API endpoints of the hours ledger, under /api/v1/volunteers/hours: a volunteer logs and
lists their own hours; a leader or staff list those waiting, confirm (several at once),
decline with a reason and correct a confirmed line; staff log for a volunteer. The same
services and rules as the pages (volunteers/hours.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from common.api import ERRORS, Id, Pages, id_path
from common.schemas import Day, Text, When
from common.scope import Capability, get_or_404, staff_scope
from volunteers import hours, ledgers
from volunteers.hours import Served
from volunteers.models import HoursEntry, HoursSource, Service, Team
from volunteers.rules import volunteer_of

router = Router(tags=["volunteers"])
HOURS_ID = id_path("A line of the hours ledger.")


class HoursLineOut(Schema):
    id: int
    volunteer: int
    volunteer_name: str
    day: date
    starts_at: datetime | None
    ends_at: datetime | None
    hours: Decimal
    service: str | None
    team: int | None
    source: HoursSource
    note: str
    state: str = Field(description="Where the line stands, in the reader's words.")
    confirmed: bool
    declined: bool
    decline_reason: str
    reverses: int | None = Field(description="The line this one corrects (negative hours).")

    @staticmethod
    def resolve_volunteer(obj: HoursEntry) -> int:
        return obj.volunteer_id

    @staticmethod
    def resolve_volunteer_name(obj: HoursEntry) -> str:
        return obj.volunteer.name

    @staticmethod
    def resolve_service(obj: HoursEntry) -> str | None:
        return obj.service.name if obj.service is not None else None

    @staticmethod
    def resolve_team(obj: HoursEntry) -> int | None:
        return obj.team_id

    @staticmethod
    def resolve_state(obj: HoursEntry) -> str:
        return obj.state_label

    @staticmethod
    def resolve_confirmed(obj: HoursEntry) -> bool:
        return obj.is_confirmed

    @staticmethod
    def resolve_declined(obj: HoursEntry) -> bool:
        return obj.is_declined

    @staticmethod
    def resolve_reverses(obj: HoursEntry) -> int | None:
        return obj.reverses_id


class HoursLogIn(Schema):
    day: Day | None = Field(None, description="The day served; with starts_at/ends_at, their day.")
    starts_at: When | None = None
    ends_at: When | None = None
    hours: Decimal | None = Field(
        None, ge=-100, le=100, max_digits=6, decimal_places=2, description="Or the hours, in quarters."
    )
    service: int | None = Field(None, ge=1, le=2**63 - 1)
    team: int | None = Field(None, ge=1, le=2**63 - 1)
    note: Text = Field("", max_length=200)


class HoursLogForIn(HoursLogIn):
    volunteer: int = Field(ge=1, le=2**63 - 1)


class HoursConfirmIn(Schema):
    lines: list[Id] = Field(
        min_length=1, max_length=500, description="Pending lines to confirm, all or none."
    )


class HoursReasonIn(Schema):
    reason: Text = Field(min_length=1, max_length=200)


def _served(payload: HoursLogIn, teams) -> Served:
    service = None
    if payload.service is not None:
        service = Service.objects.filter(pk=payload.service, retired_at__isnull=True).first()
        if service is None:
            raise_422("service", _("No such service."))
    team = None
    if payload.team is not None:
        team = teams.filter(pk=payload.team).first()
        if team is None:
            raise_422("team", _("No such team of yours."))
    return Served(
        day=payload.day,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        hours=payload.hours,
        service=service,
        team=team,
        note=payload.note,
    )


def raise_422(field: str, message: str):
    """A refusal by field, answered 422 like a service's."""
    raise ValidationError({field: message})


def _line(request, hours_id: int) -> HoursEntry:
    return get_or_404(
        ledgers.confirmable(request.user, request.scope).select_related("volunteer", "service"),
        _("No hours %(id)d you may confirm or correct.") % {"id": hours_id},
        pk=hours_id,
    )


@router.get("/hours", response={200: list[HoursLineOut], **ERRORS}, summary="My hours")
@paginate(Pages)
def my_hours(request):
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise PermissionDenied(_("Only a registered volunteer has hours."))
    return ledgers.lines_of(volunteer).select_related("volunteer")


@router.post("/hours", response={201: HoursLineOut, **ERRORS}, summary="Log my hours (pending)")
def log_own(request, payload: HoursLogIn):
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise PermissionDenied(_("Only a registered volunteer logs their own hours."))
    served = _served(payload, ledgers.teams_of(volunteer))
    return Status(201, hours.log_own(request.user, served, scope=request.scope))


@router.post("/hours/log-for", response={201: HoursLineOut, **ERRORS}, summary="Log hours for a volunteer")
def log_for(request, payload: HoursLogForIn):
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    who = scope.get(
        ledgers.volunteers_in(scope),
        _("No volunteer %(id)d in your area.") % {"id": payload.volunteer},
        pk=payload.volunteer,
    )
    served = _served(payload, scope.restrict(Team.objects.current()))
    return Status(201, hours.log_for(request.user, who, served, scope=scope))


@router.get("/hours/to-confirm", response={200: list[HoursLineOut], **ERRORS}, summary="Hours waiting for me")
@paginate(Pages)
def waiting(request):
    if not ledgers.may_confirm_any(request.user, request.scope):
        raise PermissionDenied(_("Only team leaders and the committee's staff confirm hours."))
    return ledgers.to_confirm(request.user, request.scope)


@router.post("/hours/confirm", response={200: list[HoursLineOut], **ERRORS}, summary="Confirm pending hours")
def confirm(request, payload: HoursConfirmIn):
    chosen = list(ledgers.to_confirm(request.user, request.scope).filter(pk__in=payload.lines))
    missing = sorted(set(payload.lines) - {e.pk for e in chosen})
    if missing:
        raise_422(
            "lines", _("No pending hours %(id)s you may confirm.") % {"id": ", ".join(map(str, missing[:5]))}
        )
    hours.confirm_many(chosen, by=request.user, scope=request.scope)
    return list(HoursEntry.objects.filter(pk__in=payload.lines).select_related("volunteer", "service"))


@router.post(
    "/hours/{int:hours_id}/decline", response={200: HoursLineOut, **ERRORS}, summary="Decline with a reason"
)
def decline(request, payload: HoursReasonIn, hours_id: int = HOURS_ID):
    return hours.decline(
        _line(request, hours_id), by=request.user, scope=request.scope, reason=payload.reason
    )


@router.post(
    "/hours/{int:hours_id}/reverse", response={201: HoursLineOut, **ERRORS}, summary="Correct confirmed hours"
)
def reverse(request, payload: HoursReasonIn, hours_id: int = HOURS_ID):
    made = hours.reverse(
        _line(request, hours_id), by=request.user, scope=request.scope, reason=payload.reason
    )
    return Status(201, made)

"""API endpoints of service shifts (岗位): volunteers list, claim, withdraw and hand over;
staff and team leaders post, change and cancel shifts and keep the roster. The same services
and rules as the pages; a shift the user may not see answers 404."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from areas.schemas import AreaRef
from common.api import ERRORS, Id, Pages, id_path
from common.schemas import Day, Text, When
from common.scope import get_or_404
from partners.models import PartnerUnit
from volunteers import roster, shift_posting, shift_selectors, shifts
from volunteers.models import ClaimStatus, Service, Shift, ShiftClaim, Team, Volunteer

router = Router(tags=["volunteers"])
SHIFT_ID = id_path("A shift's id.")
CLAIM_ID = id_path("A claim's id.")


# --- Schemas ---------------------------------------------------------------------------------


class ShiftOut(Schema):
    id: int
    title: str
    place: str
    area: AreaRef
    team: int | None
    team_name: str
    service: str
    partner_unit: int | None
    partner_unit_name: str
    starts_at: datetime
    ends_at: datetime
    places: int
    taken: int
    places_left: int
    withdraw_until: datetime
    notes: str
    cancelled: bool
    cancel_reason: str
    url: str

    @staticmethod
    def resolve_team(obj: Shift) -> int | None:
        return obj.team_id

    @staticmethod
    def resolve_team_name(obj: Shift) -> str:
        return obj.team.name if obj.team else ""

    @staticmethod
    def resolve_service(obj: Shift) -> str:
        return obj.service.name if obj.service else ""

    @staticmethod
    def resolve_partner_unit(obj: Shift) -> int | None:
        return obj.partner_unit_id

    @staticmethod
    def resolve_partner_unit_name(obj: Shift) -> str:
        return obj.partner_unit.name if obj.partner_unit else ""

    @staticmethod
    def resolve_cancelled(obj: Shift) -> bool:
        return obj.cancelled_at is not None

    @staticmethod
    def resolve_url(obj: Shift) -> str:
        return obj.get_absolute_url()


class OpenShiftOut(ShiftOut):
    my_claim: int | None = Field(description="Your live claim on it, if any.")

    @staticmethod
    def resolve_my_claim(obj: Shift) -> int | None:
        return getattr(obj, "mine_id", None)


class ClaimOut(Schema):
    id: int
    shift: int
    volunteer: int
    volunteer_name: str
    status: ClaimStatus
    claimed_at: datetime
    swapped_from: int | None
    checked_in_at: datetime | None
    checked_out_at: datetime | None

    @staticmethod
    def resolve_shift(obj: ShiftClaim) -> int:
        return obj.shift_id

    @staticmethod
    def resolve_volunteer(obj: ShiftClaim) -> int:
        return obj.volunteer_id

    @staticmethod
    def resolve_volunteer_name(obj: ShiftClaim) -> str:
        return obj.volunteer.name

    @staticmethod
    def resolve_swapped_from(obj: ShiftClaim) -> int | None:
        return obj.swapped_from_id


class MyClaimOut(ClaimOut):
    shift_detail: ShiftOut

    @staticmethod
    def resolve_shift_detail(obj: ShiftClaim) -> Shift:
        return obj.shift


class ShiftIn(Schema):
    title: Text = Field(..., max_length=120)
    place: Text = Field(..., max_length=120)
    starts_at: When
    ends_at: When
    places: int = Field(..., ge=1, le=shift_posting.MAX_PLACES)
    withdraw_until: When | None = Field(None, description="Default: 24 hours before the start.")
    notes: Text = Field("", max_length=2000)
    team: Id | None = Field(None, description="A team's shift is claimed by its members only.")
    service: Id | None = None
    partner_unit: Id | None = None


class ShiftCancelIn(Schema):
    reason: Text = Field(..., max_length=200)


class ClaimIn(Schema):
    volunteer: Id | None = Field(
        None, description="Staff or the team's leader putting someone else on it; empty: yourself."
    )


class SwapIn(Schema):
    to: Id = Field(..., description="The volunteer (a member of the shift's team) taking the place.")


class ShiftWeekQuery(Schema):
    week: Day | None = Field(None, description="Any day (YYYY-MM-DD) of the week wanted; default this week.")


# --- Lookups ---------------------------------------------------------------------------------


def _visible(request, shift_id: int) -> Shift:
    return get_or_404(
        shift_selectors.visible_to(request.user, request.scope), _("No such shift."), pk=shift_id
    )


def _run(request, shift_id: int) -> Shift:
    return get_or_404(
        shift_selectors.run_by(request.user, request.scope).select_related(
            "area", "team", "service", "partner_unit"
        ),
        _("No shift you run."),
        pk=shift_id,
    )


def _claim(request, claim_id: int) -> ShiftClaim:
    return get_or_404(
        shift_selectors.claims_open_to(request.user, request.scope), _("No such claim."), pk=claim_id
    )


def _one(model, pk: int | None, field: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise HttpError(422, _("No %(what)s with id %(id)d.") % {"what": field, "id": pk})
    return found


def _draft(payload: ShiftIn) -> shift_posting.ShiftDraft:
    return shift_posting.ShiftDraft(
        title=payload.title,
        place=payload.place,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        places=payload.places,
        withdraw_until=payload.withdraw_until,
        notes=payload.notes,
        team=_one(Team, payload.team, "team"),
        service=_one(Service, payload.service, "service"),
        partner_unit=_one(PartnerUnit, payload.partner_unit, "partner unit"),
    )


# --- Volunteers ------------------------------------------------------------------------------


@router.get("/shifts", response={200: list[OpenShiftOut], **ERRORS}, summary="Open shifts of a week")
def open_shifts(request, query: Query[ShiftWeekQuery]):
    """Shifts you may claim (or hold) in the week, soonest first, with places left."""
    start, end = shift_selectors.week_bounds(query.week or timezone.localdate())
    volunteer = shift_selectors.profile_of(request.user)
    return shift_selectors.open_for(request.user, request.scope, volunteer, start, end)


@router.get("/shifts/mine", response={200: list[MyClaimOut], **ERRORS}, summary="My shifts")
def my_shifts(request):
    volunteer = shift_selectors.profile_of(request.user)
    return shift_selectors.claims_of(volunteer) if volunteer else []


@router.get("/shifts/run", response={200: list[ShiftOut], **ERRORS}, summary="Shifts I run")
@paginate(Pages)
def shifts_i_run(request):
    """Staff over the area, or the leader of the shift's team; from a week ago on."""
    since = timezone.now() - timedelta(days=7)
    return shift_selectors.runnable_list(request.user, request.scope, since).select_related("service")


@router.get("/shifts/{int:shift_id}", response={200: ShiftOut, **ERRORS}, summary="One shift")
def get_shift(request, shift_id: int = SHIFT_ID):
    return _visible(request, shift_id)


@router.post("/shifts", response={201: ShiftOut, **ERRORS}, summary="Post a shift")
def post_shift(request, payload: ShiftIn):
    return Status(201, shift_posting.post_shift(request.user, _draft(payload), scope=request.scope))


@router.put("/shifts/{int:shift_id}", response={200: ShiftOut, **ERRORS}, summary="Change a shift")
def change_shift(request, payload: ShiftIn, shift_id: int = SHIFT_ID):
    """Never fewer places than claimed; the team cannot change. Claimers are told of a move."""
    return shift_posting.change_shift(
        request.user, _run(request, shift_id), _draft(payload), scope=request.scope
    )


@router.post("/shifts/{int:shift_id}/cancel", response={200: ShiftOut, **ERRORS}, summary="Cancel a shift")
def cancel_shift(request, payload: ShiftCancelIn, shift_id: int = SHIFT_ID):
    return shift_posting.cancel_shift(
        request.user, _run(request, shift_id), payload.reason, scope=request.scope
    )


@router.get("/shifts/{int:shift_id}/claims", response={200: list[ClaimOut], **ERRORS}, summary="The roster")
def roster_list(request, shift_id: int = SHIFT_ID):
    return shift_selectors.roster_of(_run(request, shift_id))


@router.post("/shifts/{int:shift_id}/claims", response={201: ClaimOut, **ERRORS}, summary="I'll do it")
def claim(request, payload: ClaimIn, shift_id: int = SHIFT_ID):
    """A place if one is left (never more than the places, whoever claims at once)."""
    shift = _visible(request, shift_id)
    someone = _one(Volunteer, payload.volunteer, "volunteer")
    return Status(201, shifts.claim(request.user, shift, scope=request.scope, volunteer=someone))


@router.post("/shift-claims/{int:claim_id}/withdraw", response={200: ClaimOut, **ERRORS}, summary="Withdraw")
def withdraw(request, claim_id: int = CLAIM_ID):
    """Before the shift's `withdraw_until`; after it, only staff or the team's leader."""
    return shifts.withdraw(request.user, _claim(request, claim_id), scope=request.scope)


@router.post("/shift-claims/{int:claim_id}/swap", response={201: ClaimOut, **ERRORS}, summary="Hand it over")
def swap(request, payload: SwapIn, claim_id: int = CLAIM_ID):
    """The place moves to another member of the team; the new claim is returned."""
    found = _claim(request, claim_id)
    to = _one(Volunteer, payload.to, "volunteer")
    return Status(201, shifts.swap(request.user, found, to, scope=request.scope))


# --- The roster --------------------------------------------------------------------------------


@router.post("/shift-claims/{int:claim_id}/check-in", response={200: ClaimOut, **ERRORS}, summary="Check in")
def check_in(request, claim_id: int = CLAIM_ID):
    return roster.check_in(request.user, _claim(request, claim_id), scope=request.scope)


class CheckedOut(Schema):
    claim: ClaimOut
    hours: str = Field(description='The hours written to the ledger, e.g. "2.00".')
    hours_entry: int


@router.post(
    "/shift-claims/{int:claim_id}/check-out", response={200: CheckedOut, **ERRORS}, summary="Check out"
)
def check_out(request, claim_id: int = CLAIM_ID):
    """Writes the hours from check-in to now (at most an hour past the end) to the ledger."""
    found = _claim(request, claim_id)
    entry = roster.check_out(request.user, found, scope=request.scope)
    found.refresh_from_db()
    return {"claim": found, "hours": f"{entry.hours:.2f}", "hours_entry": entry.pk}


@router.post(
    "/shift-claims/{int:claim_id}/no-show", response={200: ClaimOut, **ERRORS}, summary="Did not come"
)
def no_show(request, claim_id: int = CLAIM_ID):
    return roster.no_show(request.user, _claim(request, claim_id), scope=request.scope)

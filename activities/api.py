"""API endpoints of activities: residents see what they may join and sign up (themselves or
those they act for); staff organise, check in and count beneficiaries. Same services and
scope as the pages; an activity outside the role's committee answers 404."""

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from activities import selectors, services, signups
from activities.models import Activity, Signup
from activities.schemas import (
    ActivityIn,
    ActivityOut,
    BeneficiariesOut,
    CancelIn,
    CapacityIn,
    CheckInIn,
    MonthBeneficiariesOut,
    NewActivityIn,
    OfferOut,
    PaperSheetIn,
    PassOut,
    RatingIn,
    ReviewIn,
    ScanIn,
    SignupIn,
    SignupOut,
    StaffActivityOut,
    WalkInIn,
)
from activities.services import ActivityDraft
from areas.api import CODE
from areas.models import Area
from common.api import ERRORS, MAX_ID, Pages
from common.schemas import Day, Text
from common.scope import Capability, get_or_404, staff_scope
from registry.models import Resident
from volunteers.models import Team

router = Router(tags=["activities"])
ACTIVITY_ID = Path(..., ge=1, le=MAX_ID, description="An activity's id.")
SIGNUP_ID = Path(..., ge=1, le=MAX_ID, description="A sign-up's id.")


def _visible(request, activity_id: int) -> Activity:
    return get_or_404(
        selectors.visible_to(request.user, request.scope), _("No such activity."), pk=activity_id
    )


def _own(request, activity_id: int) -> Activity:
    scope = staff_scope(request, Capability.MANAGE_ACTIVITIES)
    return scope.get(
        Activity.objects.select_related("committee", "series", "review"),
        _("No activity %(id)d in your area.") % {"id": activity_id},
        pk=activity_id,
    )


def _resident(request, resident_id: int) -> Resident:
    person = Resident.objects.living().select_related("household__building").filter(pk=resident_id).first()
    if person is None or signups.acting_as(request.user, person, request.scope) is None:
        raise HttpError(404, _("No resident %(id)d you may act for.") % {"id": resident_id})
    return person


def _draft(request, payload: ActivityIn, committee: Area) -> ActivityDraft:
    codes = {c for c in payload.areas if CODE.match(c)}
    areas = list(Area.objects.subtree(committee).filter(code__in=codes))
    missing = sorted(set(payload.areas) - {a.code for a in areas})
    if missing:
        raise HttpError(
            422, _("No area with code %(code)s in your committee.") % {"code": ", ".join(missing)[:200]}
        )
    data = payload.dict()
    data["areas"] = areas
    data.pop("weeks", None)
    if payload.team is not None:
        # Any team found here is checked by the service: current, of the committee or its street.
        data["team"] = Team.objects.filter(pk=payload.team).first()
        if data["team"] is None:
            raise HttpError(422, _("No team %(id)d.") % {"id": payload.team})
    return ActivityDraft(**data)


def _signup(signup_id: int) -> Signup:
    found = (
        Signup.objects.select_related("activity__committee", "resident__household__building")
        .filter(pk=signup_id)
        .first()
    )
    if found is None:
        raise HttpError(404, _("No such sign-up."))
    return found


# --- Residents -----------------------------------------------------------------------------


class WeekQuery(Schema):
    week: Day | None = Query(None, description="Any day (YYYY-MM-DD) of the week wanted; default this week.")


@router.get("", response={200: list[OfferOut], **ERRORS}, summary="Activities of a week for me and my family")
def offers(request, query: Query[WeekQuery]):
    start, end = selectors.week_bounds(query.week or timezone.localdate())
    result = []
    everyone = selectors.signing_people(request.user)
    for offer in selectors.offers_for(request.user, start, end):
        people = [p for p in everyone if p.pk in offer.problems or p.pk in offer.signups]
        result.append(
            {
                "activity": offer.activity,
                "people": [
                    {
                        "resident": p.pk,
                        "name": p.name,
                        "signup": offer.signups.get(p.pk),
                        "problem": offer.problems.get(p.pk, ""),
                    }
                    for p in people
                ],
            }
        )
    return result


@router.get("/mine", response={200: list[SignupOut], **ERRORS}, summary="My coming sign-ups")
def my_signups(request):
    """Yours and those of the people you act for, soonest first."""
    return selectors.signups_of(request.user)


@router.get("/pass", response={200: list[PassOut], **ERRORS}, summary="My check-in codes")
def pass_codes(request):
    return [
        {
            "resident": p.pk,
            "name": p.name,
            "token": signups.pass_token(p),
            "url": request.build_absolute_uri(reverse("activities:scan", args=[signups.pass_token(p)])),
        }
        for p in selectors.people_of(request.user)
    ]


@router.get("/{int:activity_id}", response={200: ActivityOut, **ERRORS}, summary="One activity")
def get_activity(request, activity_id: int = ACTIVITY_ID):
    return _visible(request, activity_id)


@router.post("/{int:activity_id}/signups", response={201: list[SignupOut], **ERRORS}, summary="Sign up")
def sign_up(request, payload: SignupIn, activity_id: int = ACTIVITY_ID):
    """A place if one is left, else the waiting list (`status`, `waiting_position`). With
    `series`, every session still open; sessions that cannot be joined are left out."""
    activity = _visible(request, activity_id)
    person = _resident(request, payload.resident)
    try:
        if payload.series and activity.series:
            done, _skipped = signups.register_series(
                request.user, person, activity.series, scope=request.scope
            )
            return Status(201, done)
        return Status(201, [signups.register(request.user, person, activity, scope=request.scope)])
    except PermissionDenied:
        raise HttpError(404, _("No resident %(id)d you may act for.") % {"id": payload.resident}) from None


@router.delete("/signups/{int:signup_id}", response={200: SignupOut, **ERRORS}, summary="Cancel a sign-up")
def cancel(request, signup_id: int = SIGNUP_ID):
    """The place goes to the first on the waiting list, who is told."""
    found = _signup(signup_id)
    try:
        return signups.cancel_signup(request.user, found, scope=request.scope)
    except PermissionDenied:
        raise HttpError(404, _("No such sign-up.")) from None


@router.post("/signups/{int:signup_id}/rating", response={200: SignupOut, **ERRORS}, summary="Rate it")
def rate(request, payload: RatingIn, signup_id: int = SIGNUP_ID):
    found = _signup(signup_id)
    try:
        return signups.rate(request.user, found, payload.rating, payload.comment)
    except PermissionDenied:
        raise HttpError(404, _("No such sign-up.")) from None


# --- Staff -----------------------------------------------------------------------------------


@router.get("/manage", response={200: list[StaffActivityOut], **ERRORS}, summary="The committee's activities")
@paginate(Pages)
def list_activities(request):
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    return selectors.activities_in(scope).prefetch_related("areas__area")


@router.post(
    "",
    response={201: list[ActivityOut], **ERRORS},
    summary="Create an activity or a weekly series",
)
def create(request, payload: NewActivityIn):
    scope = staff_scope(request, Capability.MANAGE_ACTIVITIES)
    committee = services.committee_of_scope(scope)
    return Status(
        201,
        services.create_activity(
            request.user, scope, _draft(request, payload, committee), weeks=payload.weeks
        ),
    )


@router.put("/{int:activity_id}", response={200: ActivityOut, **ERRORS}, summary="Change an activity")
def update(request, payload: ActivityIn, activity_id: int = ACTIVITY_ID):
    activity = _own(request, activity_id)
    return services.update_activity(request.scope, activity, _draft(request, payload, activity.committee))


@router.post("/{int:activity_id}/publish", response={200: ActivityOut, **ERRORS}, summary="Publish")
def publish(request, activity_id: int = ACTIVITY_ID):
    return services.publish_activity(request.scope, _own(request, activity_id))


@router.post("/{int:activity_id}/cancel", response={200: ActivityOut, **ERRORS}, summary="Call it off")
def cancel_activity(request, payload: CancelIn, activity_id: int = ACTIVITY_ID):
    """Everyone signed up is told, with the reason."""
    return services.cancel_activity(request.scope, _own(request, activity_id), payload.reason)


@router.post("/{int:activity_id}/capacity", response={200: ActivityOut, **ERRORS}, summary="Change places")
def capacity(request, payload: CapacityIn, activity_id: int = ACTIVITY_ID):
    """More places go to the waiting list at once, in order."""
    return services.change_capacity(request.scope, _own(request, activity_id), payload.capacity)


@router.get(
    "/{int:activity_id}/signups", response={200: list[SignupOut], **ERRORS}, summary="The list at the door"
)
def door_list(request, activity_id: int = ACTIVITY_ID):
    return selectors.door_list(_own(request, activity_id))


@router.post("/{int:activity_id}/check-in", response={200: SignupOut, **ERRORS}, summary="Check someone in")
def check_in(request, payload: CheckInIn, activity_id: int = ACTIVITY_ID):
    activity = _own(request, activity_id)
    found = (
        Signup.objects.filter(activity=activity, pk=payload.signup)
        .select_related("activity", "resident")
        .first()
    )
    if found is None:
        raise HttpError(404, _("No such sign-up."))
    return signups.check_in(request.user, request.scope, found)


@router.post(
    "/{int:activity_id}/paper-sheet",
    response={200: list[SignupOut], **ERRORS},
    summary="Enter the paper sign-in sheet afterwards",
)
def paper_sheet(request, payload: PaperSheetIn, activity_id: int = ACTIVITY_ID):
    """Check-in at the door closes after the activity; those ticked on the paper sheet are
    entered here, with the reason, once it has started. Written to the audit log."""
    activity = _own(request, activity_id)
    chosen = list(
        Signup.objects.filter(
            activity=activity, pk__in=[i for i in payload.signups if 0 < i <= MAX_ID]
        ).select_related("activity", "resident")
    )
    return signups.enter_paper_sheet(request.user, request.scope, activity, chosen, payload.reason)


@router.post(
    "/{int:activity_id}/walk-in",
    response={200: SignupOut, **ERRORS},
    summary="Sign up and check in a walk-in",
)
def walk_in(request, payload: WalkInIn, activity_id: int = ACTIVITY_ID):
    activity = _own(request, activity_id)
    missing = _("No resident %(id)d in your area.") % {"id": payload.resident}
    person = request.scope.get(
        Resident.objects.living().select_related("household__building"), missing, pk=payload.resident
    )
    return signups.walk_in(request.user, request.scope, activity, person)


@router.post("/scan/{token}", response={200: SignupOut, **ERRORS}, summary="Check in a scanned pass")
def scan(request, payload: ScanIn, token: Text = Path(..., max_length=100)):
    """`token` is what the resident's check-in QR code carries."""
    activity = _own(request, payload.activity)
    resident_id = signups.resident_from_token(token)
    person = (
        request.scope.restrict(Resident.objects.living().select_related("household__building"))
        .filter(pk=resident_id)
        .first()
        if resident_id
        else None
    )
    if person is None:
        raise HttpError(404, _("This code is not valid, or the resident is outside your area."))
    return signups.walk_in(request.user, request.scope, activity, person)


@router.post("/{int:activity_id}/review", response={200: ActivityOut, **ERRORS}, summary="Publish the review")
def review(request, payload: ReviewIn, activity_id: int = ACTIVITY_ID):
    """The summary goes out as community news to the whole committee (photos: on the website)."""
    return services.publish_review(request.user, request.scope, _own(request, activity_id), payload.summary)


class YearQuery(Schema):
    year: int | None = Query(None, ge=2000, le=2100)


class BeneficiariesReport(Schema):
    year: int
    total: BeneficiariesOut
    months: list[MonthBeneficiariesOut]


@router.get("/figures", response={200: BeneficiariesReport, **ERRORS}, summary="Beneficiaries (受益人次)")
def figures(request, query: Query[YearQuery]):
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    year = query.year or timezone.localdate().year
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))
    total = selectors.beneficiaries(scope.area, start, end)
    months = [{"month": m, **b.__dict__} for m, b in selectors.beneficiaries_by_month(scope.area, start, end)]
    return {"year": year, "total": total.__dict__, "months": months}

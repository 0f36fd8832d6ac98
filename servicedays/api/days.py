"""Service days and their stalls, planned month by month: the API. The same services and
rules as the pages; a day the user may not see answers 404."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from common.api import ERRORS, Id, id_path
from common.schemas import Text, When
from common.scope import Capability, get_or_404, staff_scope
from partners.models import PartnerUnit
from servicedays import planning, selectors
from servicedays.models import ServiceDay, Stall
from spaces.models import Site
from volunteers.models import Service, Shift
from volunteers.shift_posting import MAX_PLACES

router = Router(tags=["servicedays"])
DAY_ID = id_path("A service day's id.")
STALL_ID = id_path("A stall's id.")


class ServiceDayStallOut(Schema):
    id: int
    name: str
    service: int | None
    shift: int | None
    partner_unit: int | None
    staff_names: str
    max_tickets: int | None
    last_number: int
    is_open: bool
    is_closed: bool
    opened_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_service(obj: Stall) -> int | None:
        return obj.service_id

    @staticmethod
    def resolve_shift(obj: Stall) -> int | None:
        return obj.shift_id

    @staticmethod
    def resolve_partner_unit(obj: Stall) -> int | None:
        return obj.partner_unit_id


class ServiceDayOut(Schema):
    id: int
    committee: int
    site: int | None
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    about: str
    published: bool
    cancelled: bool
    cancel_reason: str
    url: str

    @staticmethod
    def resolve_committee(obj: ServiceDay) -> int:
        return obj.area_id

    @staticmethod
    def resolve_site(obj: ServiceDay) -> int | None:
        return obj.site_id

    @staticmethod
    def resolve_published(obj: ServiceDay) -> bool:
        return obj.is_published

    @staticmethod
    def resolve_cancelled(obj: ServiceDay) -> bool:
        return obj.is_cancelled

    @staticmethod
    def resolve_url(obj: ServiceDay) -> str:
        return obj.get_absolute_url()


class ServiceDayDetailOut(ServiceDayOut):
    stalls: list[ServiceDayStallOut]

    @staticmethod
    def resolve_stalls(obj: ServiceDay) -> list[Stall]:
        return list(Stall.objects.filter(service_day=obj))


class ServiceDayIn(Schema):
    title: Text = Field(..., max_length=120)
    site: Id | None = None
    place: Text = Field("", max_length=120)
    starts_at: When
    ends_at: When
    about: Text = Field("", max_length=4000)


class ServiceDayCancelIn(Schema):
    reason: Text = Field(..., max_length=200)


class ServiceDayRepeatIn(Schema):
    months: int = Field(..., ge=1, le=planning.MAX_MONTHS)
    by_weekday: bool = Field(
        False, description="The same weekday of the month (the 2nd Saturday), not the date."
    )


class ServiceDayClashOut(Schema):
    on: datetime
    clashes_with: int


class ServiceDayRepeatOut(Schema):
    made: list[ServiceDayOut]
    clashes: list[ServiceDayClashOut]


class ServiceDayStallIn(Schema):
    name: Text = Field(..., max_length=60)
    service: Id | None = None
    shift: Id | None = None
    partner_unit: Id | None = None
    staff_names: Text = Field("", max_length=200)
    max_tickets: int | None = Field(None, ge=1, le=planning.MAX_TICKETS)


class ServiceDayShiftIn(Schema):
    places: int = Field(..., ge=1, le=MAX_PLACES)


def _one(model, pk: int | None, field: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise HttpError(422, _("No %(what)s with id %(id)d.") % {"what": field, "id": pk})
    return found


def _planned(request, service_day_id: int) -> ServiceDay:
    scope = staff_scope(request, Capability.RUN_SERVICE_DAYS)
    return scope.get(
        ServiceDay.objects.select_related("area", "site"), _("No service day of yours."), pk=service_day_id
    )


def _stall(request, stall_id: int) -> Stall:
    scope = staff_scope(request, Capability.RUN_SERVICE_DAYS)
    return scope.get(Stall.objects.select_related("service_day__area"), _("No such stall."), pk=stall_id)


def _day_draft(payload: ServiceDayIn) -> planning.DayDraft:
    return planning.DayDraft(
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        site=_one(Site, payload.site, "service point"),
        place=payload.place,
        about=payload.about,
    )


def _stall_draft(payload: ServiceDayStallIn, position: int = 0) -> planning.StallDraft:
    return planning.StallDraft(
        name=payload.name,
        service=_one(Service, payload.service, "service"),
        shift=_one(Shift, payload.shift, "shift"),
        partner_unit=_one(PartnerUnit, payload.partner_unit, "partner unit"),
        staff_names=payload.staff_names,
        max_tickets=payload.max_tickets,
        position=position,
    )


@router.get("/days", response={200: list[ServiceDayOut], **ERRORS}, summary="Coming service days")
def coming_days(request):
    """Published days of your committee still to end (residents), soonest first."""
    return list(selectors.upcoming_for(request.user, timezone.now())[:50])


@router.get("/days/planned", response={200: list[ServiceDayOut], **ERRORS}, summary="Service days planned")
def planned_days(request):
    """Staff: the days of your area from a month ago on, drafts and cancelled ones too."""
    scope = staff_scope(request, Capability.RUN_SERVICE_DAYS)
    since = timezone.now() - timedelta(days=31)
    return list(selectors.planned_by(scope).filter(starts_at__gte=since).order_by("starts_at")[:200])


class ServiceDaySiteOut(Schema):
    id: int
    name: str
    address: str


@router.get(
    "/sites", response={200: list[ServiceDaySiteOut], **ERRORS}, summary="Service points to choose from"
)
def sites(request):
    scope = staff_scope(request, Capability.RUN_SERVICE_DAYS)
    area = scope.committee(_("Service days are planned in a committee role."))
    return list(planning.sites_for(area))


@router.get(
    "/days/{int:service_day_id}", response={200: ServiceDayDetailOut, **ERRORS}, summary="One service day"
)
def get_day(request, service_day_id: int = DAY_ID):
    day = get_or_404(
        selectors.visible_to(request.user, request.scope), _("No such service day."), pk=service_day_id
    )
    return day


@router.post("/days", response={201: ServiceDayDetailOut, **ERRORS}, summary="Plan a service day")
def create_day(request, payload: ServiceDayIn):
    return Status(201, planning.create_day(request.user, _day_draft(payload), scope=request.scope))


@router.put(
    "/days/{int:service_day_id}", response={200: ServiceDayDetailOut, **ERRORS}, summary="Change a day"
)
def change_day(request, payload: ServiceDayIn, service_day_id: int = DAY_ID):
    day = planning.change_day(_planned(request, service_day_id), _day_draft(payload), scope=request.scope)
    return day


@router.post(
    "/days/{int:service_day_id}/publish", response={200: ServiceDayDetailOut, **ERRORS}, summary="Publish"
)
def publish_day(request, service_day_id: int = DAY_ID):
    """Residents of the committee are told once, one message each."""
    return planning.publish_day(_planned(request, service_day_id), scope=request.scope)


@router.post(
    "/days/{int:service_day_id}/cancel", response={200: ServiceDayDetailOut, **ERRORS}, summary="Cancel"
)
def cancel_day(request, payload: ServiceDayCancelIn, service_day_id: int = DAY_ID):
    return planning.cancel_day(_planned(request, service_day_id), payload.reason, scope=request.scope)


@router.post(
    "/days/{int:service_day_id}/repeat",
    response={201: ServiceDayRepeatOut, **ERRORS},
    summary="Repeat monthly",
)
def repeat_day(request, payload: ServiceDayRepeatIn, service_day_id: int = DAY_ID):
    """Copies with the stalls for the next months; clashing dates listed and skipped."""
    result = planning.repeat_monthly(
        request.user,
        _planned(request, service_day_id),
        payload.months,
        scope=request.scope,
        by_weekday=payload.by_weekday,
    )
    clashes = [
        {"on": timezone.make_aware(datetime.combine(on, datetime.min.time())), "clashes_with": other.pk}
        for on, other in result.clashes
    ]
    return Status(201, {"made": result.made, "clashes": clashes})


@router.post(
    "/days/{int:service_day_id}/stalls", response={201: ServiceDayStallOut, **ERRORS}, summary="Add a stall"
)
def add_stall(request, payload: ServiceDayStallIn, service_day_id: int = DAY_ID):
    return Status(
        201, planning.add_stall(_planned(request, service_day_id), _stall_draft(payload), scope=request.scope)
    )


@router.put("/stalls/{int:stall_id}", response={200: ServiceDayStallOut, **ERRORS}, summary="Change a stall")
def change_stall(request, payload: ServiceDayStallIn, stall_id: int = STALL_ID):
    stall = _stall(request, stall_id)
    return planning.change_stall(stall, _stall_draft(payload, stall.position), scope=request.scope)


@router.delete("/stalls/{int:stall_id}", response={204: None, **ERRORS}, summary="Remove a stall")
def remove_stall(request, stall_id: int = STALL_ID):
    planning.remove_stall(_stall(request, stall_id), scope=request.scope)
    return Status(204, None)


@router.post(
    "/stalls/{int:stall_id}/shift", response={201: ServiceDayStallOut, **ERRORS}, summary="Post its shift"
)
def post_stall_shift(request, payload: ServiceDayShiftIn, stall_id: int = STALL_ID):
    """Post a volunteer shift for the stall (the volunteers' shift posting) and staff it."""
    stall = _stall(request, stall_id)
    planning.post_stall_shift(request.user, stall, payload.places, scope=request.scope)
    return Status(201, Stall.objects.get(pk=stall.pk))

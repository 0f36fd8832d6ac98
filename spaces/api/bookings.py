"""Single bookings: book, approve, decline, cancel: the API. The same services and rules as
the pages; a booking the user may not see answers 404."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from common.api import ERRORS, Pages, id_path
from common.scope import Capability, Scope, get_or_404, staff_scope
from partners.models import PartnerUnit
from registry.models import Resident
from spaces import bookings as services
from spaces import selectors
from spaces.models import Booking, Space
from spaces.policy import Holder
from spaces.schemas import (
    BookingCancelIn,
    BookingChoicesOut,
    BookingFilterQuery,
    BookingIn,
    BookingOut,
    BookingReasonIn,
)
from volunteers.models import Team

router = Router(tags=["spaces"])
BOOKING_ID = id_path("A booking's id.")


def _with_holder(booking: Booking, scope: Scope) -> Booking:
    booking.holder = services.holder_text(booking, staff=services.reads_names(scope, booking.space))  # type: ignore[attr-defined]
    return booking


def _visible(request, booking_id: int) -> Booking:
    found = get_or_404(
        selectors.visible_bookings(request.user, request.scope), _("No such booking."), pk=booking_id
    )
    return _with_holder(found, request.scope)


def _one(queryset, pk: int | None, what: str):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise HttpError(422, _("No %(what)s with id %(id)d.") % {"what": what, "id": pk})
    return found


@router.get("/bookings/choices", response={200: BookingChoicesOut, **ERRORS}, summary="Whom I may book for")
def choices(request):
    found = selectors.choices_for(request.user, request.scope)
    return {
        "people": [{"id": p.pk, "name": p.name} for p in found.people],
        "teams": [{"id": t.pk, "name": t.name} for t in found.teams],
        "units": [{"id": u.pk, "name": u.name} for u in found.units],
    }


@router.get("/bookings/mine", response={200: list[BookingOut], **ERRORS}, summary="My bookings")
@paginate(Pages)
def mine(request):
    """What you booked, and what was booked for the people you act for; latest first."""
    return [_with_holder(b, request.scope) for b in selectors.bookings_of(request.user)[:500]]


@router.post("/bookings", response={201: BookingOut, **ERRORS}, summary="Book a space")
def book(request, payload: BookingIn):
    """For yourself or a family member (`for_resident`), a team you lead (`team`), a unit you
    act for (`partner_unit`), or, for staff, none of them: the committee's own use. A clash is
    refused (422) naming the booking it clashes with."""
    space = get_or_404(Space.objects.current(), _("No such space."), pk=payload.space)
    holder = Holder(
        resident=_one(
            Resident.objects.select_related("household__building"), payload.for_resident, "resident"
        ),
        team=_one(Team.objects.select_related("area"), payload.team, "team"),
        unit=_one(PartnerUnit.objects.select_related("area"), payload.partner_unit, "partner unit"),
    )
    made = services.book(
        request.user,
        space,
        payload.starts_at,
        payload.ends_at,
        scope=request.scope,
        holder=holder,
        purpose=payload.purpose,
        people=payload.people,
        override=payload.override,
    )
    return Status(201, _with_holder(made, request.scope))


@router.get(
    "/bookings", response={200: list[BookingOut], **ERRORS}, summary="Bookings of the spaces staff see"
)
@paginate(Pages)
def staff_list(request, filters: Query[BookingFilterQuery]):
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    space = (
        scope.get(selectors.staff_spaces(scope), _("No such space."), pk=filters.space)
        if filters.space
        else None
    )
    listed = selectors.staff_bookings(
        scope, space=space, status=filters.status or "", first=filters.first, last=filters.last
    )
    return _Holders(listed, scope)


class _Holders:
    """A paginated queryset whose page's bookings get their holder's text."""

    def __init__(self, queryset, scope: Scope) -> None:
        self.queryset, self.scope = queryset, scope

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, key):
        return [_with_holder(b, self.scope) for b in self.queryset[key]]


@router.get("/bookings/pending", response={200: list[BookingOut], **ERRORS}, summary="Waiting for approval")
def pending(request):
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    return [_with_holder(b, scope) for b in selectors.pending(scope)[:200]]


@router.get("/bookings/{int:booking_id}", response={200: BookingOut, **ERRORS}, summary="One booking")
def get_booking(request, booking_id: int = BOOKING_ID):
    return _visible(request, booking_id)


@router.post("/bookings/{int:booking_id}/cancel", response={200: BookingOut, **ERRORS}, summary="Cancel")
def cancel(request, payload: BookingCancelIn, booking_id: int = BOOKING_ID):
    """The booker before it starts; staff before it ends, saying why."""
    found = _visible(request, booking_id)
    return _with_holder(
        services.cancel(request.user, found, scope=request.scope, reason=payload.reason), request.scope
    )


def _decided(request, booking_id: int) -> Booking:
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    return scope.get(
        Booking.objects.select_related("space__area"), _("No booking you decide."), pk=booking_id
    )


@router.post("/bookings/{int:booking_id}/approve", response={200: BookingOut, **ERRORS}, summary="Approve")
def approve(request, booking_id: int = BOOKING_ID):
    made = services.approve(request.user, _decided(request, booking_id), scope=request.scope)
    return _with_holder(made, request.scope)


@router.post("/bookings/{int:booking_id}/decline", response={200: BookingOut, **ERRORS}, summary="Decline")
def decline(request, payload: BookingReasonIn, booking_id: int = BOOKING_ID):
    made = services.decline(request.user, _decided(request, booking_id), payload.reason, scope=request.scope)
    return _with_holder(made, request.scope)

"""Single bookings: book, approve, decline, cancel.

A booking is asked of ``spaces.policy`` (who for, when, how many, the space's rules), then of
the other live bookings of the space: a clash is refused naming the booking it clashes with
(what, when, whose; a resident's booking stays "a resident's booking" unless staff read it).
The database is the last guard: two requests for the same time may both pass the check, but
only one row gets in (the ``booking_no_overlap`` exclusion constraint on PostgreSQL, the
triggers on SQLite, migration 0002); the other's IntegrityError is caught in a savepoint and
turned into the same refusal, naming the booking that won.

A booking of a space whose staff approve is PENDING until they do (staff's own bookings are
CONFIRMED at once); a pending booking holds its time as a confirmed one does.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleGrant, User
from accounts.roles import ROLE_SPECS
from common.formats import when_text
from common.scope import Capability, Scope
from notifications.models import NotificationKind
from notifications.services import notify
from spaces import policy
from spaces.models import Booking, BookingStatus, Space
from spaces.policy import Holder, staff_books

# Bookings are told through the kind residents already follow for things they come to in
# person; the notifications app has no spaces' kind of its own (yet).
KIND = NotificationKind.BOOKING
CONSTRAINT = "booking_no_overlap"
MAX_PEOPLE = 1000


# --- Describing a booking --------------------------------------------------------------------


def span_text(booking: Booking) -> str:
    """When it is (“11/24 14:00–16:00”), as a refusal or a list says it."""
    return f"{when_text(booking.starts_at)}–{timezone.localtime(booking.ends_at):%H:%M}"


def reads_names(scope: Scope, space: Space) -> bool:
    """Whether the reader sees the names of the residents who booked ``space``: staff who see
    people over its area (a resident booking it lives there, ``spaces.policy``)."""
    return scope.can(Capability.VIEW_PEOPLE) and scope.covers(space.area)


def holder_text(booking: Booking, *, staff: bool) -> str:
    """Whose booking it is, as the reader may read it: a team or unit by name, a resident by
    name only for ``staff`` who read names (``reads_names``; a neighbour reads "a resident"),
    else the committee's own use."""
    if booking.team_id is not None and booking.team is not None:
        return booking.team.name
    if booking.partner_unit_id is not None and booking.partner_unit is not None:
        return booking.partner_unit.name
    if booking.for_resident_id is not None and booking.for_resident is not None:
        return booking.for_resident.name if staff else _("a resident")
    return _("the committee")


def clash_message(booking: Booking, *, staff: bool) -> str:
    if booking.for_resident_id is not None and not staff:
        return _("It clashes with a resident's booking, %(when)s.") % {"when": span_text(booking)}
    return _("It clashes with “%(purpose)s” of %(holder)s, %(when)s.") % {
        "purpose": booking.purpose,
        "holder": holder_text(booking, staff=staff),
        "when": span_text(booking),
    }


def clash_of(
    space: Space, starts_at: datetime, ends_at: datetime, exclude: int | None = None
) -> Booking | None:
    """The first live booking of ``space`` overlapping the time, if any."""
    found = (
        Booking.objects.live()
        .overlapping(starts_at, ends_at)
        .filter(space=space)
        .select_related("team", "partner_unit", "for_resident")
        .order_by("starts_at", "pk")
    )
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.first()


def _refuse_clash(space: Space, starts_at: datetime, ends_at: datetime, *, staff: bool) -> ValidationError:
    clash = clash_of(space, starts_at, ends_at)
    text = (
        clash_message(clash, staff=staff)
        if clash is not None
        else _("Someone booked this time a moment ago; choose another.")
    )
    return ValidationError({"starts_at": text})


# --- Booking ---------------------------------------------------------------------------------


def book(
    user: User,
    space: Space,
    starts_at: datetime,
    ends_at: datetime,
    *,
    scope: Scope,
    holder: Holder,
    purpose: str,
    people: int = 1,
    override: bool = False,
) -> Booking:
    """Book ``space`` from ``starts_at`` to ``ends_at`` for ``holder``: every rule of
    ``spaces.policy``, then no clash with a live booking (the database has the last word)."""
    purpose = purpose.strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say what the booking is for.")})
    if not 1 <= people <= MAX_PEOPLE:
        raise ValidationError({"people": _("Give the number of people, 1 to %(n)d.") % {"n": MAX_PEOPLE}})
    space = Space.objects.select_related("area").get(pk=space.pk)
    found = policy.problems(user, space, starts_at, ends_at, people, holder, scope=scope, override=override)
    if found:
        raise ValidationError(found)
    staff = staff_books(scope, space)
    names = reads_names(scope, space)
    with transaction.atomic():
        if clash_of(space, starts_at, ends_at) is not None:
            raise _refuse_clash(space, starts_at, ends_at, staff=names)
        status = BookingStatus.PENDING if space.needs_approval and not staff else BookingStatus.CONFIRMED
        try:
            with transaction.atomic():  # a savepoint: the refusal leaves the caller's transaction usable
                made = Booking.objects.create(
                    space=space,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    status=status,
                    purpose=purpose[:120],
                    people=people,
                    booked_by=user,
                    for_resident=holder.resident,
                    team=holder.team,
                    partner_unit=holder.unit,
                    decided_by=user if staff and space.needs_approval else None,
                    decided_at=timezone.now() if staff and space.needs_approval else None,
                )
        except IntegrityError as error:
            if CONSTRAINT not in str(error):
                raise
            raise _refuse_clash(space, starts_at, ends_at, staff=names) from None
        if made.is_pending:
            _tell_staff(made)
    return made


# --- Deciding and cancelling -------------------------------------------------------------------


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("space__area", "team", "partner_unit", "for_resident", "booked_by")
        .get(pk=booking.pk)
    )


def _manage(scope: Scope, booking: Booking) -> None:
    if not (scope.can(Capability.MANAGE_SPACES) and scope.covers(booking.space.area)):
        raise PermissionDenied(_("Only the space's staff decide its bookings."))


@transaction.atomic
def approve(user: User, booking: Booking, *, scope: Scope) -> Booking:
    """Staff confirm a pending booking; the booker (and whoever it is for) is told."""
    found = _locked(booking)
    _manage(scope, found)
    if not found.is_pending:
        raise ValidationError(
            _("This booking is not waiting for approval (%(status)s).")
            % {"status": found.get_status_display()}
        )
    found.status, found.decided_by, found.decided_at = BookingStatus.CONFIRMED, user, timezone.now()
    found.save(update_fields=["status", "decided_by", "decided_at"])
    _tell_booker(
        found,
        _("Booking confirmed: %(space)s") % {"space": found.space.name},
        _("%(when)s, %(purpose)s.") % {"when": span_text(found), "purpose": found.purpose},
    )
    return found


@transaction.atomic
def decline(user: User, booking: Booking, reason: str, *, scope: Scope) -> Booking:
    """Staff refuse a pending booking, saying why; the time is free again; the booker is told."""
    found = _locked(booking)
    _manage(scope, found)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the booking is declined: the booker reads it.")})
    if not found.is_pending:
        raise ValidationError(
            _("This booking is not waiting for approval (%(status)s).")
            % {"status": found.get_status_display()}
        )
    found.status, found.decided_by, found.decided_at = BookingStatus.DECLINED, user, timezone.now()
    found.decline_reason = reason[:200]
    found.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    _tell_booker(
        found,
        _("Booking declined: %(space)s") % {"space": found.space.name},
        _("%(when)s, %(purpose)s. Why: %(reason)s")
        % {"when": span_text(found), "purpose": found.purpose, "reason": found.decline_reason},
    )
    return found


def may_cancel_own(user: User | None, booking: Booking) -> bool:
    """The booker cancels their own booking before it starts."""
    return (
        user is not None
        and user.is_authenticated
        and booking.booked_by_id == user.pk
        and booking.is_live
        and timezone.now() < booking.starts_at
    )


@transaction.atomic
def cancel(user: User, booking: Booking, *, scope: Scope, reason: str = "") -> Booking:
    """The booker cancels before the start; staff cancel any live booking before its end,
    saying why, and the booker (and whoever it is for) is told."""
    found = _locked(booking)
    if not found.is_live:
        raise ValidationError(
            _("This booking is no longer live (%(status)s).") % {"status": found.get_status_display()}
        )
    now = timezone.now()
    own = found.booked_by_id == user.pk
    staff = scope.can(Capability.MANAGE_SPACES) and scope.covers(found.space.area)
    if own and not staff and now >= found.starts_at:
        raise ValidationError(_("This booking has started; ask the committee."))
    if not own:
        if not staff:
            raise PermissionDenied(_("You may cancel only your own bookings."))
        if not reason.strip():
            raise ValidationError({"reason": _("Say why it is cancelled: the booker reads it.")})
        if now >= found.ends_at:
            raise ValidationError(_("This booking is over; it can no longer be cancelled."))
    found.status, found.cancelled_by, found.cancelled_at = BookingStatus.CANCELLED, user, now
    found.cancel_reason = reason.strip()[:200]
    found.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    if not own:
        _tell_booker(
            found,
            _("Booking cancelled: %(space)s") % {"space": found.space.name},
            _("%(when)s, %(purpose)s. Why: %(reason)s")
            % {"when": span_text(found), "purpose": found.purpose, "reason": found.cancel_reason},
        )
    return found


# --- Telling ---------------------------------------------------------------------------------


def _tell_booker(booking: Booking, title: str, body: str) -> int:
    users = [u for u in (booking.booked_by, booking.for_resident and booking.for_resident.user) if u]
    if not users:
        return 0
    return notify(users, kind=KIND, title=title, body=body, url=booking.get_absolute_url())


def staff_of(space: Space) -> QuerySet[User]:
    """Who keeps ``space``: active role grants with the spaces capability over its area."""
    roles = [role for role, spec in ROLE_SPECS.items() if Capability.MANAGE_SPACES in spec.capabilities]
    grants = RoleGrant.objects.filter(revoked_at__isnull=True, area=space.area, role__in=roles)
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("pk")


def _tell_staff(booking: Booking) -> int:
    return notify(
        staff_of(booking.space),
        kind=KIND,
        title=_("A booking waits for approval: %(space)s") % {"space": booking.space.name},
        body=_("%(when)s, %(purpose)s, %(people)d people.")
        % {"when": span_text(booking), "purpose": booking.purpose, "people": booking.people},
        url=booking.get_absolute_url(),
    )

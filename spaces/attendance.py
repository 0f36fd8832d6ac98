"""Whether people came: staff mark a booking as come (check-in) or not come (no-show), from
its start until the end of its day. Never before it starts, never for a booking that is not
confirmed, never twice: one conditional UPDATE marks it, so two staff tapping at once cannot
both succeed. No-shows count in the space's figures (``spaces.figures``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.formats import when_text
from common.scope import Scope
from spaces import rules
from spaces.models import Booking, BookingStatus


def marking_closes(booking: Booking) -> datetime:
    """The end of the booking's (Shanghai) day: after it, nobody remembers who came."""
    day = timezone.localtime(booking.starts_at).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time()))


def mark_problem(booking: Booking, now: datetime) -> str:
    """Why ``booking`` cannot be marked now; "" if it can."""
    if booking.status != BookingStatus.CONFIRMED:
        return _("This booking is %(status)s; only a confirmed booking is marked.") % {
            "status": booking.get_status_display().lower()
        }
    if booking.checked_in_at is not None:
        return _("Already marked as come at %(when)s.") % {"when": when_text(booking.checked_in_at)}
    if booking.no_show_at is not None:
        return _("Already marked as not come at %(when)s.") % {"when": when_text(booking.no_show_at)}
    if now < booking.starts_at:
        return _("It starts at %(when)s; mark it from then.") % {"when": when_text(booking.starts_at)}
    if now >= marking_closes(booking):
        return _("Marking closed at the end of the booking's day.")
    return ""


def check_in(user: User, booking: Booking, *, scope: Scope, now: datetime | None = None) -> Booking:
    """They came."""
    return _mark(user, booking, "checked_in_at", scope=scope, now=now)


def no_show(user: User, booking: Booking, *, scope: Scope, now: datetime | None = None) -> Booking:
    """Nobody came."""
    return _mark(user, booking, "no_show_at", scope=scope, now=now)


def _mark(user: User, booking: Booking, field: str, *, scope: Scope, now: datetime | None) -> Booking:
    if not rules.manages(scope, booking.space):
        raise PermissionDenied(_("Only staff keeping the space mark who came."))
    now = now or timezone.now()
    problem = mark_problem(booking, now)
    if problem:
        raise ValidationError(problem)
    done = Booking.objects.filter(
        pk=booking.pk, status=BookingStatus.CONFIRMED, checked_in_at__isnull=True, no_show_at__isnull=True
    ).update(**{field: now, "marked_by": user})
    if not done:
        # Someone else marked it (or cancelled it) since it was read.
        booking.refresh_from_db()
        raise ValidationError(mark_problem(booking, now) or _("This booking was just changed; look again."))
    booking.refresh_from_db()
    return booking

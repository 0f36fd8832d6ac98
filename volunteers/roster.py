"""At the stall: the shift's roster kept by staff or the team's leader. Check-in when a
volunteer arrives, check-out when they leave (which writes their hours to the ledger through
``volunteers.hours.record_shift``), and "did not come" once the shift has started."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.formats import when_text
from common.scope import Scope
from volunteers.hours import duration_hours, record_shift
from volunteers.models import ClaimStatus, HoursEntry, Shift, ShiftClaim
from volunteers.shifts import lock_claim, recount, runs

# Check-in opens this long before the start (volunteers set the stall up).
CHECK_IN_OPENS_BEFORE = timedelta(hours=1)
# A check-out later than this after the end counts to the end plus this: a forgotten check-out
# must not give a volunteer a night's hours.
CHECK_OUT_GRACE = timedelta(hours=1)


def _runner(user: User, shift: Shift, scope: Scope) -> None:
    if not runs(user, shift, scope):
        raise PermissionDenied(_("Only staff of the area or the team's leaders keep the roster."))


def _live(claim: ShiftClaim) -> None:
    if claim.status in (ClaimStatus.WITHDRAWN, ClaimStatus.SWAPPED):
        raise ValidationError(
            _("%(name)s is no longer on this shift (%(status)s).")
            % {"name": claim.volunteer.name, "status": claim.get_status_display()}
        )


@transaction.atomic
def check_in(user: User, claim: ShiftClaim, *, scope: Scope, now: datetime | None = None) -> ShiftClaim:
    """They came: from an hour before the start until the end. Someone marked as not come who
    turns up late gets their place back if one is free."""
    shift, found = lock_claim(claim)
    _runner(user, shift, scope)
    _live(found)
    now = now or timezone.now()
    if shift.cancelled_at is not None:
        raise ValidationError(_("This shift is cancelled."))
    if now < shift.starts_at - CHECK_IN_OPENS_BEFORE:
        raise ValidationError(
            _("Check-in opens at %(when)s, an hour before the start.")
            % {"when": when_text(shift.starts_at - CHECK_IN_OPENS_BEFORE)}
        )
    if now >= shift.ends_at:
        raise ValidationError(
            _("The shift ended at %(when)s: check-in is closed. Log the hours on the hours page instead.")
            % {"when": when_text(shift.ends_at)}
        )
    if found.checked_in_at is not None:
        raise ValidationError(
            _("%(name)s checked in at %(when)s.")
            % {"name": found.volunteer.name, "when": when_text(found.checked_in_at)}
        )
    if found.status == ClaimStatus.NO_SHOW:
        won = Shift.objects.filter(pk=shift.pk, taken__lt=F("places")).update(taken=F("taken") + 1)
        if not won:
            raise ValidationError(
                _("%(name)s was marked as not come and the place has been taken since.")
                % {"name": found.volunteer.name}
            )
        found.status = ClaimStatus.CLAIMED
    found.checked_in_at, found.marked_by = now, user
    found.save(update_fields=["status", "checked_in_at", "marked_by"])
    return found


@transaction.atomic
def check_out(user: User, claim: ShiftClaim, *, scope: Scope, now: datetime | None = None) -> HoursEntry:
    """They leave: the hours from check-in to now (at most an hour past the end) go to the
    ledger, confirmed by whoever checks them out."""
    shift, found = lock_claim(claim)
    _runner(user, shift, scope)
    _live(found)
    now = now or timezone.now()
    if found.checked_in_at is None:
        raise ValidationError(_("%(name)s has not checked in.") % {"name": found.volunteer.name})
    if found.checked_out_at is not None:
        raise ValidationError(
            _("%(name)s checked out at %(when)s.")
            % {"name": found.volunteer.name, "when": when_text(found.checked_out_at)}
        )
    out = min(now, shift.ends_at + CHECK_OUT_GRACE)
    if duration_hours(found.checked_in_at, out) <= 0:
        raise ValidationError(
            _("%(name)s checked in at %(when)s: under a quarter of an hour, no hours to record yet.")
            % {"name": found.volunteer.name, "when": when_text(found.checked_in_at)}
        )
    found.checked_out_at, found.marked_by = out, user
    found.save(update_fields=["checked_out_at", "marked_by"])
    found.shift = shift
    return record_shift(found, by=user, scope=scope, now=now)


@transaction.atomic
def no_show(user: User, claim: ShiftClaim, *, scope: Scope, now: datetime | None = None) -> ShiftClaim:
    """Did not come: once the shift has started, for a claim not checked in. The place is freed
    for a stand-in; the claim stays on the record."""
    shift, found = lock_claim(claim)
    _runner(user, shift, scope)
    _live(found)
    now = now or timezone.now()
    if now < shift.starts_at:
        raise ValidationError(
            _("The shift starts at %(when)s: nobody can have missed it yet.")
            % {"when": when_text(shift.starts_at)}
        )
    if found.status == ClaimStatus.NO_SHOW:
        raise ValidationError(_("%(name)s is already marked as not come.") % {"name": found.volunteer.name})
    if found.checked_in_at is not None:
        raise ValidationError(_("%(name)s checked in: they came.") % {"name": found.volunteer.name})
    found.status, found.marked_by = ClaimStatus.NO_SHOW, user
    found.save(update_fields=["status", "marked_by"])
    recount(shift)
    return found


def actions(claim: ShiftClaim, shift: Shift, now: datetime) -> list[str]:
    """What the roster offers for a claim now, the same conditions the services above check:
    ``check_in``, ``check_out``, ``no_show``, ``remove``."""
    if claim.status in (ClaimStatus.WITHDRAWN, ClaimStatus.SWAPPED) or shift.cancelled_at is not None:
        return []
    if claim.checked_in_at is not None:
        return [] if claim.checked_out_at is not None else ["check_out"]
    found = []
    if shift.starts_at - CHECK_IN_OPENS_BEFORE <= now < shift.ends_at:
        found.append("check_in")
    if claim.status == ClaimStatus.CLAIMED:
        if now >= shift.starts_at:
            found.append("no_show")
        if now < shift.ends_at:
            found.append("remove")
    return found

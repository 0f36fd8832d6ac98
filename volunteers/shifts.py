"""Service shifts (岗位): who runs a shift, and the claims volunteers make from their phone:
claiming a place, withdrawing before the deadline, handing it to another member. Posting,
changing and cancelling shifts is ``volunteers.shift_posting``; the roster at the stall
(check-in, check-out, no-show) is ``volunteers.roster``.

Places are never oversold: a claim raises ``Shift.taken`` by one conditional UPDATE
(``… WHERE taken < places``), which the database runs one at a time on the row; 0 rows
updated means full. The CHECK constraint ``shift_never_overfilled`` is the last guard and the
unique constraint ``one_claim_per_shift`` stops a second claim of the same person.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import ancestor_paths
from common.formats import when_text
from common.scope import Scope
from notifications.models import NotificationKind
from notifications.services import notify
from volunteers.models import (
    ClaimStatus,
    Shift,
    ShiftClaim,
    Volunteer,
)
from volunteers.rules import is_member, leads, manages, volunteer_of

# Messages about shifts go out as volunteers' messages (claims, swaps, reminders, cancellations).
KIND = NotificationKind.VOLUNTEER
LIVE = (ClaimStatus.CLAIMED, ClaimStatus.NO_SHOW)


# --- Who may act ---------------------------------------------------------------------------


def runs(user: User | None, shift: Shift, scope: Scope) -> bool:
    """Staff over the shift's area, or a leader of its team: they post, change and cancel it,
    keep its roster and may take someone off after the deadline."""
    return manages(scope, shift.area) or (shift.team is not None and leads(user, shift.team))


def claim_problem(volunteer: Volunteer, shift: Shift, now: datetime | None = None) -> str:
    """Why ``volunteer`` may not claim ``shift`` now, in words for them; "" if they may.
    (Places left are decided by the database, not here.)"""
    now = now or timezone.now()
    if volunteer.left_at is not None:
        return _("You are no longer registered as a volunteer.")
    if shift.cancelled_at is not None:
        return _("This shift is cancelled.")
    if now >= shift.ends_at:
        return _("This shift ended at %(when)s; it can no longer be claimed.") % {
            "when": when_text(shift.ends_at)
        }
    if shift.team is not None:
        if not is_member(volunteer, shift.team):
            return _("This shift is for members of %(team)s.") % {"team": shift.team.name}
    elif shift.area.path not in {volunteer.committee.path, *ancestor_paths(volunteer.committee.path)}:
        return _("This shift is for volunteers of %(area)s.") % {"area": shift.area.name}
    if ShiftClaim.objects.filter(shift=shift, volunteer=volunteer, status__in=LIVE).exists():
        return _("%(name)s has already claimed this shift.") % {"name": volunteer.name}
    other = overlapping(volunteer, shift)
    if other is not None:
        return _("It overlaps %(name)s's shift “%(title)s” (%(when)s).") % {
            "name": volunteer.name,
            "title": other.title,
            "when": f"{when_text(other.starts_at)}–{timezone.localtime(other.ends_at):%H:%M}",
        }
    return ""


def overlapping(volunteer: Volunteer, shift: Shift) -> Shift | None:
    """Another live shift of the volunteer's whose time overlaps ``shift``'s."""
    return (
        Shift.objects.open()
        .filter(
            claims__volunteer=volunteer,
            claims__status=ClaimStatus.CLAIMED,
            starts_at__lt=shift.ends_at,
            ends_at__gt=shift.starts_at,
        )
        .exclude(pk=shift.pk)
        .order_by("starts_at")
        .first()
    )


# --- Claiming, withdrawing, handing over ---------------------------------------------------


def claim(user: User, shift: Shift, *, scope: Scope, volunteer: Volunteer | None = None) -> ShiftClaim:
    """ "I'll do it": a place if one is left. ``volunteer`` is the user's own profile unless
    staff or the team's leader put someone on the roster (an elderly volunteer without a
    phone)."""
    try:
        return _claim(user, shift, scope=scope, volunteer=volunteer)
    except IntegrityError:
        # A second claim by the same person raced the first: the unique constraint said no.
        raise ValidationError(_("You have already claimed this shift.")) from None


@transaction.atomic
def _claim(user: User, shift: Shift, *, scope: Scope, volunteer: Volunteer | None) -> ShiftClaim:
    # One claim at a time per volunteer (their row locked): their overlapping shifts cannot
    # race each other. Locked before the shift's row, as everywhere, so no two wait on each other.
    people = Volunteer.objects.select_for_update(of=("self",)).select_related("committee")
    by_runner = volunteer is not None and volunteer.user_id != user.pk
    if volunteer is not None and by_runner:
        if not runs(user, shift, scope):
            raise PermissionDenied(_("Only staff or the team's leaders put someone else on a shift."))
        volunteer = people.get(pk=volunteer.pk)
    else:
        own = volunteer_of(user)
        if own is None:
            raise PermissionDenied(
                _("Only registered volunteers claim shifts: ask the committee to register you.")
            )
        volunteer = people.get(pk=own.pk)
    shift = Shift.objects.select_related("area", "team").get(pk=shift.pk)
    problem = claim_problem(volunteer, shift)
    if problem:
        raise ValidationError(problem)
    won = Shift.objects.filter(pk=shift.pk, taken__lt=F("places"), cancelled_at__isnull=True).update(
        taken=F("taken") + 1
    )
    if not won:
        raise ValidationError(_("All %(n)d places of this shift are taken.") % {"n": shift.places})
    made = ShiftClaim.objects.create(shift=shift, volunteer=volunteer, marked_by=user if by_runner else None)
    if by_runner:
        _tell(
            [volunteer],
            shift,
            _("You are on a shift: %(title)s") % {"title": shift.title},
            _("%(when)s at %(place)s.") % {"when": when_text(shift.starts_at), "place": shift.place},
        )
    return made


def recount(shift: Shift) -> None:
    """Places taken, counted from the claims (under the shift's row lock) rather than
    decremented: the counter can never drift from the roster."""
    taken = ShiftClaim.objects.filter(shift=shift, status=ClaimStatus.CLAIMED).count()
    Shift.objects.filter(pk=shift.pk).update(taken=taken)
    shift.taken = taken


def lock_claim(claim: ShiftClaim) -> tuple[Shift, ShiftClaim]:
    shift = (
        Shift.objects.select_for_update(of=("self",)).select_related("area", "team").get(pk=claim.shift_id)
    )
    found = ShiftClaim.objects.select_for_update(of=("self",)).select_related("volunteer").get(pk=claim.pk)
    return shift, found


@transaction.atomic
def withdraw(user: User, claim: ShiftClaim, *, scope: Scope) -> ShiftClaim:
    """The volunteer gives the place up before ``withdraw_until``; after it, the team's leader
    or staff may still take them off (until they check in), and the volunteer is told."""
    shift, found = lock_claim(claim)
    own = found.volunteer.user_id is not None and found.volunteer.user_id == user.pk
    runner = runs(user, shift, scope)
    if not own and not runner:
        raise PermissionDenied(_("You may withdraw only your own claims."))
    if found.status != ClaimStatus.CLAIMED:
        raise ValidationError(
            _("This claim is no longer live (%(status)s).") % {"status": found.get_status_display()}
        )
    if found.checked_in_at is not None:
        raise ValidationError(
            _("%(name)s has checked in; check them out instead.") % {"name": found.volunteer.name}
        )
    now = timezone.now()
    if not runner and now >= shift.withdraw_until:
        raise ValidationError(
            _("Withdrawing closed at %(when)s. Ask the team leader or the committee to take you off.")
            % {"when": when_text(shift.withdraw_until)}
        )
    if now >= shift.ends_at:
        raise ValidationError(_("This shift has ended; mark who did not come instead."))
    found.status, found.ended_at = ClaimStatus.WITHDRAWN, now
    found.marked_by = None if own else user
    found.save(update_fields=["status", "ended_at", "marked_by"])
    recount(shift)
    if not own:
        _tell(
            [found.volunteer],
            shift,
            _("You are off a shift: %(title)s") % {"title": shift.title},
            _("%(by)s took you off %(when)s at %(place)s.")
            % {"by": user.name, "when": when_text(shift.starts_at), "place": shift.place},
        )
    return found


@transaction.atomic
def swap(user: User, claim: ShiftClaim, to: Volunteer, *, scope: Scope) -> ShiftClaim:
    """Hand a claim of a team's shift to another member before it starts: the place moves
    (the old claim is marked handed over, the new one remembers it), the count stays; both
    are told."""
    # The taker's row first, then the shift's: the order a claim takes them in.
    to = Volunteer.objects.select_for_update(of=("self",)).select_related("committee").get(pk=to.pk)
    shift, found = lock_claim(claim)
    own = found.volunteer.user_id is not None and found.volunteer.user_id == user.pk
    if not own and not runs(user, shift, scope):
        raise PermissionDenied(_("You may hand over only your own claims."))
    if found.status != ClaimStatus.CLAIMED:
        raise ValidationError(
            _("This claim is no longer live (%(status)s).") % {"status": found.get_status_display()}
        )
    if shift.team_id is None:
        raise ValidationError(_("Only a team's shift is handed to another member; withdraw instead."))
    if timezone.now() >= shift.starts_at:
        raise ValidationError(_("The shift has started; ask the team leader or the committee."))
    if to.pk == found.volunteer_id:
        raise ValidationError({"to": _("Choose another member.")})
    problem = claim_problem(to, shift)
    if problem:
        raise ValidationError({"to": problem})
    now = timezone.now()
    found.status, found.ended_at = ClaimStatus.SWAPPED, now
    found.save(update_fields=["status", "ended_at"])
    made = ShiftClaim.objects.create(
        shift=shift, volunteer=to, swapped_from=found, marked_by=None if own else user
    )
    when = when_text(shift.starts_at)
    _tell(
        [to],
        shift,
        _("A shift handed to you: %(title)s") % {"title": shift.title},
        _("%(name)s handed you their place: %(when)s at %(place)s.")
        % {"name": found.volunteer.name, "when": when, "place": shift.place},
    )
    _tell(
        [found.volunteer],
        shift,
        _("Your shift is handed over: %(title)s") % {"title": shift.title},
        _("%(name)s takes your place on %(when)s.") % {"name": to.name, "when": when},
    )
    return made


# --- Telling ---------------------------------------------------------------------------------


def _tell(volunteers, shift: Shift, title: str, body: str, *, sms: bool = False) -> int:
    users = [v.user for v in volunteers if v.user_id is not None]
    if not users:
        return 0
    return notify(users, kind=KIND, title=title, body=body, url=shift.get_absolute_url(), sms=sms)


def tell_claimers(shift: Shift, title: str, body: str, *, sms: bool = False) -> int:
    """A message to everyone holding a place on ``shift``."""
    claims = ShiftClaim.objects.filter(shift=shift, status=ClaimStatus.CLAIMED).select_related(
        "volunteer__user"
    )
    return _tell([c.volunteer for c in claims], shift, title, body, sms=sms)

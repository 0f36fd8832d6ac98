"""Who may plan a service day and who may run a stall's queue: the one place it is decided.

Staff plan days through their scope (``Capability.RUN_SERVICE_DAYS`` over the day's
committee). A stall's console (open, close, call the next number) is also open to the
volunteers holding a live claim on the stall's shift and to the current contacts of the
stall's partner unit: the people standing at the stall. Residents see the published days of
the committees they belong to (``registry.selectors.committees_of``).
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import User
from common.scope import Capability, Scope
from partners.rules import serves
from registry.selectors import committees_of
from servicedays.models import Stall
from volunteers.models import ClaimStatus, ShiftClaim


def plans(scope: Scope, area) -> bool:
    """Staff with the service-days capability over ``area`` (the day's committee)."""
    return scope.can(Capability.RUN_SERVICE_DAYS) and scope.covers(area)


def staffs(user: User | None, stall: Stall) -> bool:
    """A volunteer with a live claim on the stall's shift."""
    if user is None or not user.is_authenticated or stall.shift_id is None:
        return False
    return ShiftClaim.objects.filter(
        shift_id=stall.shift_id, volunteer__user=user, status=ClaimStatus.CLAIMED
    ).exists()


def runs_stall(user: User | None, stall: Stall, scope: Scope) -> bool:
    """May open and close the stall and call its numbers: staff over the day's committee, the
    volunteers on its shift, the contacts of its partner unit."""
    if plans(scope, stall.service_day.area):
        return True
    if staffs(user, stall):
        return True
    return stall.partner_unit is not None and serves(user, scope, stall.partner_unit)


def residents_q(user: User | None) -> Q:
    """The service days a resident sees: published ones of the committees they belong to."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(area_id__in=committees_of(user), published_at__isnull=False)


def stall_runner_q(user: User | None) -> Q:
    """Stalls the user stands at: on a shift they claimed, or of a unit they are a contact of
    (the partner role is checked again per stall by ``runs_stall``)."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(shift__claims__volunteer__user=user, shift__claims__status=ClaimStatus.CLAIMED) | Q(
        partner_unit__contacts__user=user
    )

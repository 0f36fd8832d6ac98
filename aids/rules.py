"""Who may keep and lend care aids, and who may borrow: the one place it is decided.

Staff with ``Capability.LEND_AIDS`` keep the kinds and items of their area (a committee's, or
a street's and all its committees'). A street's kinds (a street centre's hospital beds) are
shared like ``partners.rules``' units: its committees' staff see them and lend them, and
change the kind itself only with a role held over the street.

Residents borrow for themselves; a family member linked in the registry (家属代办) acts for
them; staff with the capability act for a resident of their area (a phone call, a visit).
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import User
from aids.models import AidKind
from areas.models import ancestor_paths
from common.scope import Capability, Scope
from registry.models import Resident
from registry.selectors import acts_for


def keeps(scope: Scope, area) -> bool:
    """May create and change kinds (their policy) and items in ``area``."""
    return scope.can(Capability.LEND_AIDS) and scope.covers(area)


def lends(scope: Scope, kind: AidKind) -> bool:
    """May lend, take back, renew and decide the holds of ``kind``: staff over its area, or
    over a committee under it (a street's kind lent at one of its committees)."""
    if not scope.can(Capability.LEND_AIDS) or not scope.path:
        return False
    return scope.covers(kind.area) or kind.area.path in ancestor_paths(scope.path)


def seen_by_staff_q(scope: Scope, lookup: str = "area__path") -> Q:
    """What staff with the capability see: their area's subtree and the areas above it (a
    street's kinds, for its committees' staff). ``lookup`` leads to the kind's area path
    (``"kind__area__path"`` for items and holds, ``"item__kind__area__path"`` for loans)."""
    if not scope.path or not scope.can(Capability.LEND_AIDS):
        return Q(pk__in=[])
    return Q(**{f"{lookup}__startswith": scope.path}) | Q(**{f"{lookup}__in": ancestor_paths(scope.path)})


def acts_as_borrower(user: User, resident: Resident, scope: Scope) -> str | None:
    """How ``user`` may ask, cancel or renew for ``resident``: "self", "proxy" (family linked
    in the registry) or "staff" (the capability over the resident's home); None if not."""
    return acts_for(user, resident, scope, Capability.LEND_AIDS)

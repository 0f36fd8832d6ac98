"""Who may keep a space and see its bookings: the one place it is decided.

Staff with ``Capability.MANAGE_SPACES`` keep the sites, spaces, rules and bookings of their
area (a committee's, or a street's and all its committees'). A street's spaces (a street
centre's halls) are shared: its committees' staff see them and book them, and change them
only with a role held over the street. Residents, teams and partner units book through
``spaces.bookings``, which asks who they are; nothing here is about them.
"""

from __future__ import annotations

from django.db.models import Q

from areas.models import ancestor_paths
from common.scope import Capability, Scope
from spaces.models import Space


def manages(scope: Scope, space: Space) -> bool:
    """May change ``space`` (its hours, closures, rules, photos) and decide its bookings."""
    return scope.can(Capability.MANAGE_SPACES) and scope.covers(space.area)


def manages_area(scope: Scope, area) -> bool:
    """May create sites, spaces and seasons in ``area``."""
    return scope.can(Capability.MANAGE_SPACES) and scope.covers(area)


def seen_by_staff_q(scope: Scope, lookup: str = "area__path") -> Q:
    """What staff with the capability see: their area's subtree, and the areas above it (a
    street's spaces, for its committees' staff). ``lookup`` leads to the owning area's path
    (``"space__area__path"`` for bookings)."""
    if not scope.path or not scope.can(Capability.MANAGE_SPACES):
        return Q(pk__in=[])
    return Q(**{f"{lookup}__startswith": scope.path}) | Q(**{f"{lookup}__in": ancestor_paths(scope.path)})

"""Who may run meal assistance, and who is served: the one place it is decided.

A dining point belongs to the committee or street that runs it (its ``area``) and serves one
or more committees. Staff with ``Capability.RUN_MEALS``:

- over the point's area keep it (``keeps``): its details, meals, pause, dishes and menus;
- over a committee it serves run it too (``runs``): they see it, its menus and its counts,
  and take its orders (a street canteen serving a committee is run day to day by that
  committee's social workers), but change it only with a role over the point's area.

Residents are served by the current points serving their committee (``points_for_resident``).
Staff with the capability over a resident's home register them as a diner and order for them
(``runs_for_resident``); over the diner's committee they change the registration
(``manages_diner``). A building leader (``Capability.ORDER_MEALS``) orders for the residents of
their group (``orders_as_leader``).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from areas.models import Area, AreaLevel
from common.scope import Capability, Scope, get_or_404
from meals.models import Diner, DiningPoint
from registry.models import Resident

# The areas a point may be run by.
RUN_BY_LEVELS = (AreaLevel.COMMITTEE, AreaLevel.STREET)


def keeps_area(scope: Scope, area: Area | None) -> bool:
    """May open a dining point run by ``area`` (a committee or street of their scope)."""
    return bool(
        area is not None
        and area.level in RUN_BY_LEVELS
        and scope.can(Capability.RUN_MEALS)
        and scope.covers(area)
    )


def keeps(scope: Scope, point: DiningPoint) -> bool:
    """May change ``point``: its details, meals, pause, closing, dishes and menus."""
    return scope.can(Capability.RUN_MEALS) and scope.covers(point.area)


def runs(scope: Scope, point: DiningPoint) -> bool:
    """May see ``point`` as staff and take its orders: those who keep it, and the staff of a
    committee it serves."""
    if not scope.can(Capability.RUN_MEALS) or not scope.path:
        return False
    if scope.covers(point.area):
        return True
    return any(scope.covers(committee) for committee in point.serves.all())


def seen_points_q(scope: Scope, prefix: str = "") -> Q:
    """The points ``runs`` allows, as a filter; ``prefix`` leads to the point (``"point__"``
    for dishes, menus and orders, ``"menu__point__"`` for set meals)."""
    if not scope.path or not scope.can(Capability.RUN_MEALS):
        return Q(pk__in=[])
    serving = DiningPoint.objects.filter(serves__path__startswith=scope.path).values("pk")
    return Q(**{f"{prefix}area__path__startswith": scope.path}) | Q(**{f"{prefix}pk__in": serving})


def seen_points(scope: Scope):
    """The current points ``scope`` runs."""
    return DiningPoint.objects.current().filter(seen_points_q(scope))


def seen_point_or_404(scope: Scope, point_id: int) -> DiningPoint:
    """The current point ``scope`` runs with that id, or 404 (the kitchen's, delivery's pages and
    API)."""
    return get_or_404(seen_points(scope), _("No such dining point in your area."), pk=point_id)


def serves_resident(point: DiningPoint, resident) -> bool:
    """Whether ``point`` (current) serves the committee ``resident`` is registered in."""
    if point.is_closed:
        return False
    return point.serves.filter(pk=resident.committee_id).exists()


def points_for_resident(resident):
    """The current points serving ``resident``'s committee."""
    return DiningPoint.objects.serving(resident.committee_id).order_by("name", "pk")


def runs_for_resident(scope: Scope, resident: Resident) -> bool:
    """Staff who run meals over ``resident``'s home: register them, order for them."""
    return scope.can(Capability.RUN_MEALS) and scope.covers_path(resident.household.building.path)


def manages_diner(scope: Scope, diner: Diner) -> bool:
    """Staff who run meals over the diner's committee (or the street, district above it)."""
    return scope.can(Capability.RUN_MEALS) and scope.covers(diner.committee)


def orders_as_leader(scope: Scope, resident: Resident) -> bool:
    """A building leader (or anyone with ``ORDER_MEALS``) over ``resident``'s home."""
    return scope.can(Capability.ORDER_MEALS) and scope.covers_path(resident.household.building.path)

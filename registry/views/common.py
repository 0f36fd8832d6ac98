"""Lookups every registry page makes: always through the request's scope, so an object
outside it is a 404, exactly like one that does not exist."""

from __future__ import annotations

from areas.models import Area
from areas.selectors import Crumb, breadcrumbs
from common.scope import Scope
from registry.models import Household, Resident


def area_in_scope(scope: Scope, code: str) -> Area:
    return scope.get(Area.objects.select_related("parent"), code=code)


def household_in_scope(scope: Scope, household_id: int) -> Household:
    return scope.get(Household.objects.select_related("building__parent", "committee"), pk=household_id)


def resident_in_scope(scope: Scope, resident_id: int) -> Resident:
    return scope.get(
        Resident.objects.select_related("household__building__parent", "committee", "user"),
        pk=resident_id,
        anonymised_at__isnull=True,
    )


def trail(area: Area, scope: Scope) -> list[Crumb]:
    """The breadcrumb up to and including ``area``, each linked where the scope reaches."""
    return [*breadcrumbs(area, scope), Crumb(area, scope.covers(area))]

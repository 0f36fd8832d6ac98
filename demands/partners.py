"""Requests given to a partner unit (``Demand.assignee_unit``), as the unit's own people
see and answer them.

Someone acts for the unit when their active role may serve as a partner
(``Capability.SERVE_AS_PARTNER``) over the unit's area and they are a current contact of the
unit (``partners.rules.serves``). They see the requests given to their unit and nothing
else (any other answers 404, like something that does not exist); they reply to the
resident, start and resolve through the same services as staff (``demands.services``), with
the same rules on the request's status.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from common.scope import Capability, Scope
from demands.models import Demand
from partners.rules import serves
from partners.selectors import units_of


def acts_for_unit(user: User | None, scope: Scope, demand: Demand) -> bool:
    """Whether ``user`` acts for the unit ``demand`` is given to."""
    unit = demand.assignee_unit
    return unit is not None and serves(user, scope, unit)


def given_to_units_of(user: User, scope: Scope) -> QuerySet[Demand]:
    """The requests given to the units ``user`` acts for, newest first: on the page and in the
    API alike (``scope.get``-style 404 for any other)."""
    if not scope.can(Capability.SERVE_AS_PARTNER):
        return Demand.objects.none()
    return (
        Demand.objects.filter(assignee_unit__in=units_of(user, scope))
        .select_related("category", "committee", "household", "building", "assignee_unit")
        .order_by("-created_at", "-pk")
    )

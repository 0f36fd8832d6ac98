"""Who may see and change a partner unit: the one place it is decided.

Staff with ``Capability.MANAGE_PARTNERS`` keep the units of their area (a committee's, or a
street's and all its committees'). A street's units are shared by its committees: their staff
see them (to assign a request to one, to read what it offers) but change them only if their
role is held over the street. A unit's own people act through their role
(``Capability.SERVE_AS_PARTNER``) and an active ``PartnerContact`` of that unit; they see
their own unit only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from areas.models import ancestor_paths
from common.scope import Capability, Scope
from partners.models import PartnerContact, PartnerUnit


def manages(scope: Scope, unit: PartnerUnit) -> bool:
    """May create, change and end ``unit`` and its agreements, offers, contributions, contacts."""
    return scope.can(Capability.MANAGE_PARTNERS) and scope.covers(unit.area)


def seen_by_staff_q(scope: Scope) -> Q:
    """The units staff may read: those of their area's subtree, and those of the areas above
    it (a street's units, for its committees' staff)."""
    if not scope.path or not scope.can(Capability.VIEW_WORKSPACE):
        return Q(pk__in=[])
    return scope.q(PartnerUnit.scope_path) | Q(area__path__in=ancestor_paths(scope.path))


def current_contacts() -> QuerySet[PartnerContact]:
    """Contacts acting for their unit today: from ``since``, until the day ``until`` (the day
    a contact is ended, they no longer act)."""
    today = timezone.localdate()
    return PartnerContact.objects.filter(since__lte=today).filter(Q(until__isnull=True) | Q(until__gt=today))


def contact_q(user: User | None) -> Q:
    """The units ``user`` is a current contact of."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(pk__in=current_contacts().filter(user=user).values("unit_id"))


def serves(user: User | None, scope: Scope, unit: PartnerUnit) -> bool:
    """Acts for ``unit``: the partner-unit role over its area and a current contact of it."""
    return (
        scope.can(Capability.SERVE_AS_PARTNER)
        and scope.covers(unit.area)
        and unit.ended_at is None
        and PartnerUnit.objects.filter(contact_q(user), pk=unit.pk).exists()
    )

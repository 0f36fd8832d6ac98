"""The roles a user can hold over an area, and what each one may do.

A role is always granted over one area of the tree (a social worker over a committee,
a street admin over a street...). What a role may see is that area's subtree; what it
may do is its set of capabilities (``common.scope.Capability``) in the table below. Pages
and API endpoints ask for a capability, never for a role name, so a new role is one row here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import AreaLevel
from common.scope import Capability


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    COMMITTEE_LEAD = "committee_lead", _("Committee lead")
    BUILDING_LEADER = "building_leader", _("Building leader")
    VOLUNTEER = "volunteer", _("Volunteer")
    PARTNER_UNIT = "partner_unit", _("Partner unit")
    STREET_ADMIN = "street_admin", _("Street admin")
    DISTRICT_ADMIN = "district_admin", _("District admin")
    CITY_ADMIN = "city_admin", _("City admin")


C = Capability


@dataclass(frozen=True)
class RoleSpec:
    levels: tuple[str, ...]
    capabilities: frozenset[str]

    @property
    def requires_two_factor(self) -> bool:
        """Anyone who can see personal data must have TOTP enrolled (PIPL)."""
        return C.VIEW_PEOPLE in self.capabilities


_STAFF = {C.VIEW_WORKSPACE, C.VIEW_PEOPLE}
# A social worker keeps the registry and may reveal a full number, with a logged reason.
_WORKER = _STAFF | {
    C.MANAGE_AREAS,
    C.MANAGE_ACCOUNTS,
    C.EDIT_REGISTRY,
    C.REVEAL_IDENTITY,
    C.PUBLISH_NOTICES,
    C.MANAGE_ACTIVITIES,
    C.MANAGE_DELIBERATION,
    C.MANAGE_CONVENTIONS,
    C.RECORD_SIGNATURES,
    C.HANDLE_DEMANDS,
    C.VISIT_HOUSEHOLDS,
    C.RUN_WATCH,
    C.MANAGE_VOLUNTEERS,
    C.MANAGE_PARTNERS,
    C.MANAGE_SPACES,
    C.RUN_SERVICE_DAYS,
    C.LEND_AIDS,
    C.RUN_MEALS,
    C.ORDER_MEALS,
    C.KEEP_FUNDS,
    C.RUN_PROJECTS,
    C.RUN_AWARDS,
}
# Leads also read the logs, grant roles, may export the registry unmasked and approve a fund's
# expenses (two different approvers: 书记 and 主任, or the street's).
_LEAD = _WORKER | {C.READ_AUDIT, C.GRANT_ROLES, C.EXPORT_UNMASKED, C.APPROVE_EXPENSES}
# Streets, districts and the city also run project competitions and rate the centres.
_ADMIN = _LEAD | {C.RUN_COMPETITIONS, C.RATE_CENTRES}

ROLE_SPECS: dict[str, RoleSpec] = {
    Role.SOCIAL_WORKER: RoleSpec((AreaLevel.COMMITTEE,), frozenset(_WORKER)),
    Role.COMMITTEE_LEAD: RoleSpec((AreaLevel.COMMITTEE,), frozenset(_LEAD)),
    # A building leader records paper signatures, visits the households of their group and orders
    # meals for its residents who cannot (助餐: the leaders found who can no longer walk there).
    Role.BUILDING_LEADER: RoleSpec(
        (AreaLevel.BUILDING_GROUP,),
        frozenset(_STAFF | {C.RECORD_SIGNATURES, C.VISIT_HOUSEHOLDS, C.ORDER_MEALS}),
    ),
    Role.VOLUNTEER: RoleSpec((AreaLevel.COMMITTEE, AreaLevel.STREET), frozenset({C.VIEW_WORKSPACE})),
    # A partner unit's people see their own unit (partners.PartnerContact): its offers, the
    # requests assigned to it and the shifts it staffs; nobody's personal data.
    Role.PARTNER_UNIT: RoleSpec(
        (AreaLevel.COMMITTEE, AreaLevel.STREET), frozenset({C.VIEW_WORKSPACE, C.SERVE_AS_PARTNER})
    ),
    Role.STREET_ADMIN: RoleSpec((AreaLevel.STREET,), frozenset(_ADMIN)),
    Role.DISTRICT_ADMIN: RoleSpec((AreaLevel.DISTRICT,), frozenset(_ADMIN)),
    Role.CITY_ADMIN: RoleSpec((AreaLevel.CITY,), frozenset(_ADMIN)),
}


def spec(role: str) -> RoleSpec:
    return ROLE_SPECS[role]


def role_label(code: str) -> str:
    """A role as people read it (社工), for a stored code (``social_worker``); else the code."""
    return str(Role(code).label) if code in Role.values else code

"""The roles a user can hold over an area, and what each one may do.

A role is always granted over one area of the tree (a social worker over a committee,
a street admin over a street...). What a role may see is that area's subtree; what it
may do is the set of capabilities below. Pages and API endpoints ask for a capability,
never for a role name, so a new role is one row here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Level


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    COMMITTEE_LEAD = "committee_lead", _("Committee lead")
    BUILDING_LEADER = "building_leader", _("Building leader")
    VOLUNTEER = "volunteer", _("Volunteer")
    PARTNER_UNIT = "partner_unit", _("Partner unit")
    STREET_ADMIN = "street_admin", _("Street admin")
    DISTRICT_ADMIN = "district_admin", _("District admin")
    CITY_ADMIN = "city_admin", _("City admin")


class Capability(models.TextChoices):
    VIEW_WORKSPACE = "view_workspace", _("Use the staff workspace")
    VIEW_PEOPLE = "view_people", _("See residents' personal data")
    MANAGE_AREAS = "manage_areas", _("Define grids, building groups and buildings")
    MANAGE_ACCOUNTS = "manage_accounts", _("Reset residents' passwords")
    READ_AUDIT = "read_audit", _("Read the audit log")
    GRANT_ROLES = "grant_roles", _("Grant roles")
    EDIT_REGISTRY = "edit_registry", _("Keep the household registry")
    REVEAL_IDENTITY = "reveal_identity", _("Reveal full identity-card numbers and health notes")
    EXPORT_UNMASKED = "export_unmasked", _("Export the registry unmasked")
    PUBLISH_NOTICES = "publish_notices", _("Publish notices")
    MANAGE_ACTIVITIES = "manage_activities", _("Organise activities and check people in")
    MANAGE_DELIBERATION = "manage_deliberation", _("Run deliberation: topics, polls, meetings, moderation")
    MANAGE_CONVENTIONS = "manage_conventions", _("Draft, consult on and publish conventions")
    RECORD_SIGNATURES = "record_signatures", _("Record paper signatures of a convention")
    HANDLE_REQUESTS = "handle_requests", _("Triage, assign and answer residents' requests")
    VISIT_HOUSEHOLDS = "visit_households", _("Plan and log household visits")
    RUN_WATCH = "run_watch", _("Keep the elderly watch list and handle its alerts")


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
    C.HANDLE_REQUESTS,
    C.VISIT_HOUSEHOLDS,
    C.RUN_WATCH,
}
# Leads also read the logs, grant roles and may export the registry unmasked.
_LEAD = _WORKER | {C.READ_AUDIT, C.GRANT_ROLES, C.EXPORT_UNMASKED}

ROLE_SPECS: dict[str, RoleSpec] = {
    Role.SOCIAL_WORKER: RoleSpec((Level.COMMITTEE,), frozenset(_WORKER)),
    Role.COMMITTEE_LEAD: RoleSpec((Level.COMMITTEE,), frozenset(_LEAD)),
    # A building leader records paper signatures and visits the households of their group.
    Role.BUILDING_LEADER: RoleSpec(
        (Level.BUILDING_GROUP,), frozenset(_STAFF | {C.RECORD_SIGNATURES, C.VISIT_HOUSEHOLDS})
    ),
    Role.VOLUNTEER: RoleSpec((Level.COMMITTEE, Level.STREET), frozenset({C.VIEW_WORKSPACE})),
    Role.PARTNER_UNIT: RoleSpec((Level.COMMITTEE, Level.STREET), frozenset({C.VIEW_WORKSPACE})),
    Role.STREET_ADMIN: RoleSpec((Level.STREET,), frozenset(_LEAD)),
    Role.DISTRICT_ADMIN: RoleSpec((Level.DISTRICT,), frozenset(_LEAD)),
    Role.CITY_ADMIN: RoleSpec((Level.CITY,), frozenset(_LEAD)),
}


def spec(role: str) -> RoleSpec:
    return ROLE_SPECS[role]

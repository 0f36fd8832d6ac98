"""What a visit plan is split into, who may take a part, and the automatic split.

A plan is shared out by *unit*: a building group with the households of all its buildings,
kept whole so one worker knows the whole group; a building that stands outside any building
group (its parent is not a building group, e.g. a group was retired around it) is a unit on
its own, so its households do not fall through. Units are worked out from where the
committee's households are, so every household belongs to exactly one unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from accounts.models import RoleGrant, User
from accounts.roles import Role
from areas.models import Area, AreaLevel
from registry.models import Household

PLANNING_ROLES = (Role.SOCIAL_WORKER, Role.COMMITTEE_LEAD)


@dataclass
class Unit:
    area: Area  # a building group, or a building outside any group
    households: int

    @property
    def is_group(self) -> bool:
        return self.area.level == AreaLevel.BUILDING_GROUP


def unit_of(building: Area) -> int:
    """The id of the unit a building's households belong to (its parent must be loaded or known)."""
    parent = building.parent
    return parent.pk if parent is not None and parent.level == AreaLevel.BUILDING_GROUP else building.pk


def units_of(committee: Area) -> list[Unit]:
    """The committee's units holding households, in tree order: two queries."""
    rows = (
        Household.objects.filter(committee=committee)
        .order_by()
        .values("building", "building__parent", "building__parent__level")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, int] = {}
    for row in rows:
        in_group = row["building__parent__level"] == AreaLevel.BUILDING_GROUP
        key = row["building__parent"] if in_group else row["building"]
        counts[key] = counts.get(key, 0) + row["n"]
    areas = Area.objects.filter(pk__in=counts).order_by("path")
    return [Unit(area, counts[area.pk]) for area in areas]


@dataclass
class Eligible:
    """A staff user who may take a share of the committee's plan."""

    user: User
    roles: set[str] = field(default_factory=set)
    groups: list[Area] = field(default_factory=list)  # the building groups they lead

    @property
    def any_unit(self) -> bool:
        return bool(self.roles & set(PLANNING_ROLES))

    def may_take(self, unit: Area) -> bool:
        """Social workers and leads take any unit; a building leader only their own group."""
        return self.any_unit or any(unit.path.startswith(g.path) for g in self.groups)


def eligible_workers(committee: Area) -> dict[int, Eligible]:
    """Who may take a share: the committee's social workers and leads and the building
    leaders of its groups (active role grants, active accounts). One query."""
    grants = (
        RoleGrant.objects.active()
        .filter(user__is_active=True)
        .filter(area__path__startswith=committee.path)
        .filter(role__in=[*PLANNING_ROLES, Role.BUILDING_LEADER])
        .select_related("user", "area")
        .order_by("user__name", "user_id", "pk")
    )
    found: dict[int, Eligible] = {}
    for grant in grants:
        if grant.role in PLANNING_ROLES and grant.area_id != committee.pk:
            continue
        if grant.role == Role.BUILDING_LEADER and grant.area.level != AreaLevel.BUILDING_GROUP:
            continue
        entry = found.setdefault(grant.user_id, Eligible(grant.user))
        entry.roles.add(grant.role)
        if grant.role == Role.BUILDING_LEADER:
            entry.groups.append(grant.area)
    return found


def split(units: list[Unit], workers: list[Eligible]) -> tuple[dict[int, User], list[Unit]]:
    """Give every unit a worker, balancing households; returns (unit id → worker, left over).

    A building leader among ``workers`` takes their own groups; the rest go to the social
    workers and leads, each unit (largest first) to whoever has the fewest households so far
    (ties: the order the workers were given in). What nobody may take is left over.
    """
    given: dict[int, User] = {}
    load = {w.user.pk: 0 for w in workers}
    open_units = []
    for unit in units:
        leader = next((w for w in workers if not w.any_unit and w.may_take(unit.area)), None)
        if leader is not None:
            given[unit.area.pk] = leader.user
            load[leader.user.pk] += unit.households
        else:
            open_units.append(unit)
    takers = [w for w in workers if w.any_unit]
    left = []
    for unit in sorted(open_units, key=lambda u: (-u.households, u.area.path)):
        if not takers:
            left.append(unit)
            continue
        chosen = min(takers, key=lambda w: load[w.user.pk])
        given[unit.area.pk] = chosen.user
        load[chosen.user.pk] += unit.households
    return given, sorted(left, key=lambda u: u.area.path)

"""Reads of the registry for pages and the API: each a fixed number of queries, always scoped.

Figures roll up the area tree: residents and households are counted once per building (or
per committee, for a street and above) in one grouped query, and the counts are summed into
the area's children by path prefix in Python. The on-cloud rate (上云率) of any area is

    residents living there whose verified resident account is linked to their record
    ─────────────────────────────────────────────────────────────────────────────────
                     residents living there, according to the registry

summed (numerator and denominator separately, never averaged) over everything under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from areas.models import LEVEL_ORDER, Area, AreaLevel
from areas.selectors import committee_of, part_path
from common.scope import Scope
from common.text import normal_text
from registry import crypto
from registry.identity import normalize_id_number
from registry.models import (
    DERIVED_TAGS,
    SETTABLE_TAGS,
    GroupLeader,
    Household,
    Proxy,
    Residence,
    Resident,
    ResidentStatus,
    ResidentTag,
    Tag,
    living_q,
    tag_q,
)

SEARCH_LIMIT = 50


# --- Figures ---------------------------------------------------------------------------------


@dataclass
class Figures:
    """What the registry holds under one area."""

    area: Area
    households: int = 0
    residents: int = 0
    verified: int = 0

    @property
    def on_cloud_rate(self) -> float | None:
        """Verified accounts ÷ residents, or None when nobody is recorded."""
        return self.verified / self.residents if self.residents else None

    @property
    def on_cloud_percent(self) -> str:
        rate = self.on_cloud_rate
        return "—" if rate is None else f"{rate * 100:.2f}%"


@dataclass
class TagCount:
    tag: str
    label: str
    count: int
    derived: bool


@dataclass
class Overview:
    figures: Figures
    children: list[Figures]
    tags: list[TagCount] = field(default_factory=list)


def _by_committee(area: Area) -> bool:
    """Count per committee (cheaper) when the area is a street or above."""
    return LEVEL_ORDER[area.level] < LEVEL_ORDER[AreaLevel.COMMITTEE]


def _grouped_counts(area: Area, children: list[Area]) -> tuple[dict[str, list[int]], dict[str, int]]:
    """{path: [residents, verified]} and {path: households}: per part one level down (a city's
    districts, a district's streets, a street's committees), grouped in the database by the
    part's path; inside a committee per building."""
    people: QuerySet
    doors: QuerySet
    if _by_committee(area):
        part = part_path(children, "committee__path")
        people = (
            Resident.objects.living()
            .filter(committee__path__startswith=area.path)
            .annotate(part=part)
            .values_list("part")
        )
        doors = (
            Household.objects.filter(committee__path__startswith=area.path)
            .annotate(part=part)
            .values_list("part")
        )
    else:
        people = (
            Resident.objects.living()
            .filter(household__building__path__startswith=area.path)
            .values_list("household__building__path")
        )
        doors = Household.objects.filter(building__path__startswith=area.path).values_list("building__path")
    residents = {
        path: [n, verified]
        for path, n, verified in people.order_by().annotate(n=Count("pk"), verified=Count("user_id"))
    }
    households = dict(doors.order_by().annotate(n=Count("pk")))
    return residents, households


def figure_children(area: Area) -> list[Area]:
    """The parts whose figures an area's page lists: a committee lists its building groups
    (through its grids), a grid its building groups, anything else its direct children."""
    if area.level in (AreaLevel.COMMITTEE, AreaLevel.GRID):
        below = Area.objects.subtree(area, include_self=False).filter(level=AreaLevel.BUILDING_GROUP)
    else:
        below = Area.objects.filter(parent=area)
    return list(below.active().select_related("parent").order_by("path"))


def overview(area: Area, today: date | None = None) -> Overview:
    """The area's figures, its parts' figures and its tag counts: five queries."""
    children = figure_children(area)
    residents, households = _grouped_counts(area, children)
    total = Figures(area)
    rows = {child.path: Figures(child) for child in children}
    for path in residents.keys() | households.keys():
        n, verified = residents.get(path, (0, 0))
        doors = households.get(path, 0)
        total.residents += n
        total.verified += verified
        total.households += doors
        for child_path, figures in rows.items() if path else ():
            if path.startswith(child_path):
                figures.residents += n
                figures.verified += verified
                figures.households += doors
                break
    return Overview(total, list(rows.values()), tag_counts(area, today))


def tag_counts(area: Area, today: date | None = None) -> list[TagCount]:
    """Living residents per tag under ``area``; age tags counted from birth dates. Two queries."""
    today = today or timezone.localdate()
    under = Q(resident__household__building__path__startswith=area.path)
    stored = dict(
        ResidentTag.objects.filter(under, living_q("resident__"))
        .order_by()
        .values_list("tag")
        .annotate(n=Count("pk"))
    )
    derived = (
        Resident.objects.living()
        .filter(household__building__path__startswith=area.path)
        .aggregate(**{tag: Count("pk", filter=tag_q(tag, today)) for tag in DERIVED_TAGS})
    )
    counts = {**stored, **derived}
    return [TagCount(tag, str(Tag(tag).label), counts.get(tag, 0), tag in DERIVED_TAGS) for tag in Tag.values]


# --- A building, a household, a resident --------------------------------------------------------


def households_of(building: Area) -> list[Household]:
    """The building's doors, each with its living residents and their tags: three queries."""
    living = (
        Resident.objects.living()
        .prefetch_related(Prefetch("tags", queryset=ResidentTag.objects.order_by("tag")))
        .order_by("pk")
    )
    return list(
        Household.objects.filter(building=building)
        .prefetch_related(Prefetch("residents", queryset=living, to_attr="living"))
        .order_by("sort_key")
    )


def household_card(household: Household) -> dict:
    """Everyone who lives or lived there, with their stays: three queries."""
    stays = list(
        Residence.objects.filter(household=household)
        .select_related("resident")
        .order_by("moved_in_on", "created_at", "pk")
    )
    living = list(
        Resident.objects.living()
        .filter(household=household)
        .prefetch_related("tags", "leader_posts__group")
        .order_by("pk")
    )
    return {"living": living, "history": stays}


def leaders_of(group: Area) -> list[GroupLeader]:
    return list(
        GroupLeader.objects.filter(group=group, until__isnull=True)
        .select_related("resident__household__building")
        .order_by("position", "since")
    )


# --- Lists and search ---------------------------------------------------------------------------


def residents_in(
    scope: Scope, area: Area, *, tag: str = "", status: str = ResidentStatus.LIVING
) -> QuerySet[Resident]:
    """Residents under ``area`` (within the scope), by door, optionally with one tag."""
    people = scope.restrict(Resident.objects.filter(household__building__path__startswith=area.path))
    people = people.filter(anonymised_at__isnull=True)
    if status:
        people = people.filter(status=status)
    if tag in Tag.values:
        people = people.filter(tag_q(tag))
    return (
        people.select_related("household__building")
        .prefetch_related("tags")
        .order_by("household__building__path", "household__sort_key", "pk")
    )


_DOOR = re.compile(
    r"^(?:(\d+)\s*(?:号楼|号|幢|栋)?\s*[-—–/]\s*)?(?:(\d+)\s*(?:单元)?\s*[-—–/]\s*)?(\d+)\s*室?$"
)


def is_identity_query(text: str) -> bool:
    """Whether a search text is a whole identity number (15 or 18 characters, spaces, full-width
    digits and a lower-case x allowed): one that may only be sent in a request's body."""
    number = normalize_id_number(" ".join((text or "").split()).replace(" ", ""))
    return len(number) in (15, 18) and number[:-1].isdigit()


def search_residents(
    scope: Scope, text: str, limit: int = SEARCH_LIMIT, *, by_identity: bool = False
) -> list[Resident]:
    """Residents in scope by name, full pinyin or initials, part of a phone number, room
    ("301", "62-301", "62-2-301") or, with ``by_identity``, a whole identity number (through
    its keyed hash). Only a search that came in a POST body passes ``by_identity``: a query
    string is written to every access log, so an identity number never travels in one, and a
    search that came by GET finds nobody by it.

    One query; exact names first, then the living before the moved-out, then by door.
    """
    text = " ".join(normal_text(text).split())[:50]  # full-width digits as plain ones
    if not text:
        return []
    compact = text.replace(" ", "")
    q = Q(name__contains=compact)
    exact: Case | Value = Case(
        When(name=compact, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    if is_identity_query(compact):
        if not by_identity:
            return []
        # Only the keyed hash goes into the SQL (a database's statement log keeps parameters).
        q = Q(id_hash=crypto.keyed_hash(normalize_id_number(compact)))
        exact = Value(1, output_field=IntegerField())
    elif compact.isdigit():
        if len(compact) >= 3:
            q |= Q(phone__contains=compact)
        q |= Q(household__room=compact)
    elif compact.isascii() and compact.isalpha():
        lowered = compact.lower()
        q |= Q(pinyin__contains=lowered) | Q(initials__startswith=lowered)
    door = _DOOR.match(compact)
    if door and (door.group(1) or door.group(2)):
        building, unit, room = door.groups()
        door_q = Q(household__room=room)
        if unit:
            door_q &= Q(household__unit=unit)
        if building:
            door_q &= Q(household__building__name__startswith=building) | Q(
                household__building__name__contains=f"{building}号"
            )
        q |= door_q
    matches = (
        scope.restrict(Resident.objects.filter(q, anonymised_at__isnull=True))
        .select_related("household__building")
        .annotate(
            exact=exact,
            away=Case(
                When(status=ResidentStatus.LIVING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("exact", "away", "household__building__path", "household__sort_key", "pk")
    )
    return list(matches[:limit])


def settable_tag_choices() -> list[tuple[str, str]]:
    return [(tag, str(Tag(tag).label)) for tag in SETTABLE_TAGS]


def accounts_of(residents: QuerySet[Resident]) -> list[User]:
    """The active accounts that reach these residents: each one's own and their family
    proxies' (an elderly father without a phone is reached through his daughter's)."""
    ids = residents.values("pk")
    own = User.objects.filter(resident__in=ids, is_active=True)
    proxies = User.objects.filter(
        proxy_for__resident__in=ids, proxy_for__revoked_at__isnull=True, is_active=True
    )
    return list(own.union(proxies))


def speaks_for(user: User, resident: Resident) -> str | None:
    """Whether ``user`` is ``resident`` ("self") or their family member linked in the
    registry ("proxy", 家属代办); None if neither. Staff roles play no part here."""
    if user.is_authenticated and resident.user_id == user.pk:
        return "self"
    if (
        user.is_authenticated
        and Proxy.objects.filter(resident=resident, user=user, revoked_at__isnull=True).exists()
    ):
        return "proxy"
    return None


def acts_for(user: User, resident: Resident, scope: Scope, capability: str) -> str | None:
    """How ``user`` may act for ``resident``: "self", "proxy" (see ``speaks_for``), or
    "staff" (the active role has ``capability`` over the resident's home); None if not at all."""
    how = speaks_for(user, resident)
    if how is None and scope.can(capability) and scope.covers_path(resident.household.building.path):
        return "staff"
    return how


def household_members_of(user: User) -> list[Resident]:
    """The living residents who share a household with the user's own living record: the
    husband his wife signs up for the same class. Not family proxies (家属代办): they act for
    each other only where an app says so (activities' sign-up), never in the user's name."""
    if not user.is_authenticated:
        return []
    homes = Resident.objects.living().filter(user=user).values("household_id")
    return list(
        Resident.objects.living()
        .filter(household__in=homes)
        .exclude(user=user)
        .select_related("household__building")
        .prefetch_related("tags")
        .order_by("pk")
    )


def shares_household(user: User, resident: Resident) -> bool:
    """Whether ``resident`` is a living member of the household of the user's own living record
    (and not the user: that is "self")."""
    return (
        user.is_authenticated
        and resident.user_id != user.pk
        and resident.is_living
        and Resident.objects.living().filter(user=user, household_id=resident.household_id).exists()
    )


# --- Whose neighbourhood: the people a user acts as or for ---------------------------------


def people_of(user: User) -> list[Resident]:
    """The living residents a user acts as or for: themself (once verified against the
    registry) and those they are a family proxy (家属代办) for."""
    if not user.is_authenticated:
        return []
    own = Resident.objects.living().filter(user=user)
    proxied = Resident.objects.living().filter(
        pk__in=Proxy.objects.filter(user=user, revoked_at__isnull=True).values("resident_id")
    )
    return list(
        (own | proxied)
        .select_related("household__building")
        .prefetch_related("tags")
        .order_by("pk")
        .distinct()
    )


def committees_of(user: User) -> set[int]:
    """The committees a user belongs to as a resident: those of the people they act as or
    for, else the one of their home."""
    committees = {p.committee_id for p in people_of(user)}
    if not committees and user.is_authenticated and user.home_area is not None:
        home = committee_of(user.home_area)
        committees = {home.pk} if home else set()
    return committees

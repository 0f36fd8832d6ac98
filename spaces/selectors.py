"""Reads of sites, spaces and bookings for pages and the API: each a fixed number of queries.

- ``public_places(committee)``: what a committee's public page shows (no login): its sites
  with their spaces, photos, hours, rules and the free times of the coming days;
- ``staff_places`` / ``staff_bookings`` / ``pending``: what staff keep, through their scope;
- ``bookings_of(user)``: a resident's own bookings and those made for the people they act for;
- ``today_bookings(scope, day)`` and ``places_on_map(committee)``: for the today page and the
  community map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from areas.models import Area
from common.scope import Capability, Scope
from partners.models import PartnerUnit
from partners.rules import contact_q
from registry.models import Resident
from registry.selectors import people_of
from spaces.hours import Opening, openings_of, windows
from spaces.models import AudienceRule, Booking, BookingStatus, PrioritySlot, Site, Space, SpacePhoto
from spaces.policy import clock, hours_text, weekday_name
from spaces.rules import seen_by_staff_q
from volunteers.models import MembershipStatus, Team

DAYS_SHOWN = 7
ROW = ("space__site", "space__area", "team", "partner_unit", "for_resident", "booked_by")


# --- Free times ------------------------------------------------------------------------------


@dataclass
class DayFree:
    day: date
    hours: list[tuple[datetime, datetime]]  # the day's opening, closures cut out
    free: list[tuple[datetime, datetime]]  # of those, what no live booking holds

    @property
    def is_closed(self) -> bool:
        return not self.hours

    @property
    def is_full(self) -> bool:
        return bool(self.hours) and not self.free


def free_stretches(
    stretches: list[tuple[datetime, datetime]], taken: list[tuple[datetime, datetime]], after: datetime
) -> list[tuple[datetime, datetime]]:
    """``stretches`` less ``taken`` and less what is before ``after``."""
    out = []
    for start, end in stretches:
        start = max(start, after)
        for b_start, b_end in sorted(taken):
            if b_end <= start or b_start >= end:
                continue
            if b_start > start:
                out.append((start, b_start))
            start = max(start, b_end)
        if start < end:
            out.append((start, end))
    return out


def days_free(
    opening: Opening, taken: list[tuple[datetime, datetime]], first: date, days: int, now: datetime
) -> list[DayFree]:
    out = []
    for n in range(days):
        day = first + timedelta(days=n)
        hours = windows(opening, day)
        out.append(DayFree(day, hours, free_stretches(hours, taken, now)))
    return out


def days_text(days: set[int]) -> str:
    return ", ".join(weekday_name(d) for d in sorted(days))


# --- The public page -------------------------------------------------------------------------


@dataclass
class PublicSpace:
    space: Space
    opening: Opening
    days: list[DayFree]

    @property
    def week(self) -> list[tuple[str, str]]:
        """(day's name, its hours "8:00–11:30, 13:30–17:00" or "") for each day of the week."""
        return [(weekday_name(d), hours_text(self.opening, d)) for d in range(7)]

    @property
    def priority(self) -> list[tuple[str, str, str]]:
        """(team, "Tuesday, Thursday 7:00–9:00", hours before it opens to all) per slot."""
        return [
            (
                slot.team.name,
                f"{days_text(slot.days)} {clock(slot.starts)}–{clock(slot.ends)}",
                str(slot.release_hours),
            )
            for slot in self.space.priority_slots.all()
        ]


@dataclass
class PublicSite:
    site: Site | None  # None: the committee's spaces that stand at no site
    spaces: list[PublicSpace] = field(default_factory=list)


def _space_rows(spaces: QuerySet[Space]) -> QuerySet[Space]:
    return spaces.select_related("site").prefetch_related(
        Prefetch("photos", queryset=SpacePhoto.objects.order_by("added_at", "pk")),
        Prefetch("audience_rules", queryset=AudienceRule.objects.order_by("starts", "pk")),
        Prefetch(
            "priority_slots", queryset=PrioritySlot.objects.select_related("team").order_by("starts", "pk")
        ),
    )


def public_places(
    committee: Area, *, days: int = DAYS_SHOWN, now: datetime | None = None
) -> list[PublicSite]:
    """The committee's current sites, each with its current spaces (bookable or open to all),
    their photos, rules, weekly hours and the free times of the next ``days`` days; then the
    spaces at no site. Eight queries whatever the number of spaces."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sites = list(Site.objects.current().filter(area=committee).order_by("name", "pk"))
    spaces = list(_space_rows(Space.objects.current().filter(area=committee)).order_by("name", "pk"))
    return _arrange(sites, spaces, today, days, now)


def public_space(space: Space, *, days: int = DAYS_SHOWN, now: datetime | None = None) -> PublicSpace:
    now = now or timezone.now()
    found = _space_rows(Space.objects.filter(pk=space.pk)).get()
    return _arrange([], [found], timezone.localdate(now), days, now)[0].spaces[0]


def _arrange(
    sites: list[Site], spaces: list[Space], today: date, days: int, now: datetime
) -> list[PublicSite]:
    openings = openings_of(spaces)
    end = timezone.make_aware(datetime.combine(today + timedelta(days=days), datetime.min.time()))
    taken: dict[int, list[tuple[datetime, datetime]]] = {s.pk: [] for s in spaces}
    for space_id, starts_at, ends_at in (
        Booking.objects.live()
        .filter(space__in=spaces, ends_at__gt=now, starts_at__lt=end)
        .values_list("space_id", "starts_at", "ends_at")
    ):
        taken[space_id].append((starts_at, ends_at))
    by_site: dict[int | None, PublicSite] = {s.pk: PublicSite(s) for s in sites}
    for space in spaces:
        row = PublicSpace(
            space, openings[space.pk], days_free(openings[space.pk], taken[space.pk], today, days, now)
        )
        if space.site_id not in by_site:
            by_site[space.site_id] = PublicSite(space.site)
        by_site[space.site_id].spaces.append(row)
    listed = [by_site[s.pk] for s in sites]
    return listed + [row for key, row in by_site.items() if row not in listed]


# --- Staff -----------------------------------------------------------------------------------


def staff_sites(scope: Scope) -> QuerySet[Site]:
    return Site.objects.filter(seen_by_staff_q(scope)).select_related("area")


def staff_spaces(scope: Scope) -> QuerySet[Space]:
    return Space.objects.filter(seen_by_staff_q(scope)).select_related("area", "site")


def kept_spaces(scope: Scope) -> QuerySet[Space]:
    """Spaces staff may change: those of their area's subtree."""
    if not scope.can(Capability.MANAGE_SPACES):
        return Space.objects.none()
    return scope.restrict(Space.objects.all()).select_related("area", "site")


def staff_bookings(
    scope: Scope,
    *,
    space: Space | None = None,
    status: str = "",
    first: date | None = None,
    last: date | None = None,
) -> QuerySet[Booking]:
    """Bookings of the spaces staff see, soonest first, filtered: one query (and a count)."""
    found = Booking.objects.filter(seen_by_staff_q(scope, "space__area__path")).select_related(*ROW)
    if space is not None:
        found = found.filter(space=space)
    if status:
        found = found.filter(status=status)
    if first is not None:
        found = found.filter(starts_at__gte=_midnight(first))
    if last is not None:
        found = found.filter(starts_at__lt=_midnight(last + timedelta(days=1)))
    return found.order_by("starts_at", "pk")


def pending(scope: Scope) -> QuerySet[Booking]:
    """The queue: pending bookings of spaces staff decide (their area's subtree)."""
    if not scope.can(Capability.MANAGE_SPACES):
        return Booking.objects.none()
    return (
        scope.restrict(Booking.objects.filter(status=BookingStatus.PENDING))
        .select_related(*ROW)
        .order_by("starts_at", "pk")
    )


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def today_bookings(scope: Scope, day: date) -> list[Booking]:
    """Live bookings of ``day`` in the spaces staff see, with the space and site selected, in
    order of time: one query."""
    return list(
        Booking.objects.live()
        .filter(seen_by_staff_q(scope, "space__area__path"))
        .overlapping(_midnight(day), _midnight(day + timedelta(days=1)))
        .select_related(*ROW)
        .order_by("starts_at", "pk")
    )


def places_on_map(committee: Area) -> list[Site | Space]:
    """What the community map shows of spaces: the committee's current sites and its current
    spaces that stand at no site, with ``map_x``/``map_y`` (percent of the plan) or None
    where not placed yet. Two queries."""
    sites: list[Site | Space] = list(Site.objects.current().filter(area=committee).order_by("name", "pk"))
    loose = Space.objects.current().filter(area=committee, site__isnull=True).order_by("name", "pk")
    return sites + list(loose)


# --- Residents, team leaders, partner contacts -------------------------------------------------------


def bookings_of(user: User) -> QuerySet[Booking]:
    """What a user booked, and what was booked for the people they act for; latest first."""
    if not user.is_authenticated:
        return Booking.objects.none()
    people = [p.pk for p in people_of(user)]
    return (
        Booking.objects.filter(Q(booked_by=user) | Q(for_resident_id__in=people))
        .select_related(*ROW)
        .order_by("-starts_at", "-pk")
    )


def visible_bookings(user: User, scope: Scope) -> QuerySet[Booking]:
    """One booking's page and API: its booker's, its resident's family's, or staff's."""
    own = Q(booked_by=user) if user.is_authenticated else Q(pk__in=[])
    people = [p.pk for p in people_of(user)] if user.is_authenticated else []
    return Booking.objects.filter(
        own | Q(for_resident_id__in=people) | seen_by_staff_q(scope, "space__area__path")
    ).select_related(*ROW, "space__area")


@dataclass
class Choices:
    """Whom a user may book for: themself and family, the teams they lead, their units."""

    people: list[Resident]
    teams: list[Team]
    units: list[PartnerUnit]


def choices_for(user: User, scope: Scope, space: Space | None = None) -> Choices:
    if not user.is_authenticated:
        return Choices([], [], [])
    people = people_of(user)
    if space is not None:
        people = [p for p in people if p.household.building.path.startswith(space.area.path)]
    teams = list(
        Team.objects.filter(
            dissolved_at__isnull=True,
            memberships__volunteer__user=user,
            memberships__is_leader=True,
            memberships__status=MembershipStatus.ACTIVE,
        )
        .distinct()
        .order_by("name", "pk")
    )
    units: list[PartnerUnit] = []
    if scope.can(Capability.SERVE_AS_PARTNER) and scope.path:
        units = list(
            PartnerUnit.objects.filter(
                contact_q(user), ended_at__isnull=True, area__path__startswith=scope.path
            ).order_by("name", "pk")
        )
    return Choices(people, teams, units)


def staff_teams(scope: Scope) -> list[Team]:
    """The teams staff may book for: current teams of their area's subtree."""
    return list(scope.restrict(Team.objects.filter(dissolved_at__isnull=True)).order_by("name", "pk")[:200])


def staff_units(scope: Scope) -> list[PartnerUnit]:
    return list(scope.restrict(PartnerUnit.objects.current()).order_by("name", "pk")[:200])


def committee_spaces(committee: Area) -> QuerySet[Space]:
    """A committee's spaces that take bookings."""
    return (
        Space.objects.bookable().filter(area=committee).select_related("site", "area").order_by("name", "pk")
    )

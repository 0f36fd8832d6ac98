"""Reads of the shifts part: what a volunteer may see and claim, their own shifts, the shifts a
staff member or team leader runs, a roster, and the shifts still short of people (the today
page). Every list is a fixed number of queries, whatever its length."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import cast

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from areas.models import ancestor_paths
from common.scope import Capability, Scope
from volunteers.models import (
    ClaimStatus,
    Membership,
    MembershipStatus,
    Shift,
    ShiftClaim,
    ShiftQuerySet,
    Team,
    Volunteer,
)

LIVE = (ClaimStatus.CLAIMED, ClaimStatus.NO_SHOW)
SHORT_LIST = 10


def week_bounds(day: date) -> tuple[datetime, datetime]:
    """Monday 00:00 to next Monday 00:00, local time."""
    monday = day - timedelta(days=day.weekday())
    start = timezone.make_aware(datetime.combine(monday, time.min))
    return start, start + timedelta(days=7)


def profile_of(user: User | None) -> Volunteer | None:
    """The user's volunteer profile with its committee (one query), or None."""
    if user is None or not user.is_authenticated:
        return None
    return Volunteer.objects.select_related("committee").filter(user=user, left_at__isnull=True).first()


def _teams_of(volunteer: Volunteer, *, leading: bool = False):
    members = Membership.objects.filter(volunteer=volunteer, status=MembershipStatus.ACTIVE)
    if leading:
        members = members.filter(is_leader=True)
    return members.values("team_id")


def _for_volunteer(volunteer: Volunteer) -> Q:
    """Shifts a volunteer may claim or holds: their teams', those open to every volunteer of
    their committee (or of the street above it), and any they claimed."""
    paths = [volunteer.committee.path, *ancestor_paths(volunteer.committee.path)]
    return (
        Q(team__isnull=True, area__path__in=paths)
        | Q(team_id__in=_teams_of(volunteer))
        | Q(pk__in=ShiftClaim.objects.filter(volunteer=volunteer).values("shift_id"))
    )


def run_by(user: User | None, scope: Scope) -> QuerySet[Shift]:
    """Shifts the user runs: staff over the area (the volunteers capability), or a leader of
    the shift's team."""
    q = Q(pk__in=[])
    if scope.can(Capability.MANAGE_VOLUNTEERS):
        q |= scope.q("area__path")
    if user is not None and user.is_authenticated:
        led = Membership.objects.filter(
            volunteer__user=user, is_leader=True, status=MembershipStatus.ACTIVE
        ).values("team_id")
        q |= Q(team_id__in=led)
    return Shift.objects.filter(q)


def claims_open_to(user: User | None, scope: Scope) -> QuerySet[ShiftClaim]:
    """The claims the user may act on: their own, and every claim on a shift they run. The page
    and the API look a claim up here, so the two cannot differ."""
    runs = run_by(user, scope).values("pk")
    own = Q(volunteer__user=user) if user is not None and user.is_authenticated else Q(pk__in=[])
    return ShiftClaim.objects.select_related("shift__area", "shift__team", "volunteer").filter(
        own | Q(shift__in=runs)
    )


def visible_to(user: User | None, scope: Scope, volunteer: Volunteer | None = None) -> QuerySet[Shift]:
    """Every shift the user may open: those they run and those they may claim or hold."""
    q = Q(pk__in=run_by(user, scope).values("pk"))
    volunteer = volunteer or profile_of(user)
    if volunteer is not None:
        q |= _for_volunteer(volunteer)
    return Shift.objects.filter(q).select_related("area", "team", "service", "partner_unit")


def _with_mine(shifts: QuerySet[Shift], volunteer: Volunteer | None) -> QuerySet[Shift]:
    """Each shift with ``mine_id`` and ``mine_status``: the volunteer's live claim on it."""
    if volunteer is None:
        return shifts
    mine = ShiftClaim.objects.filter(shift=OuterRef("pk"), volunteer=volunteer, status__in=LIVE)
    return shifts.annotate(
        mine_id=Subquery(mine.values("pk")[:1]), mine_status=Subquery(mine.values("status")[:1])
    )


def open_for(
    user: User, scope: Scope, volunteer: Volunteer | None, start: datetime, end: datetime, *, now=None
) -> list[Shift]:
    """Shifts of ``start``–``end`` still to end and not cancelled, soonest first, with the
    volunteer's own claim on each (one query)."""
    now = now or timezone.now()
    shifts = (
        cast(ShiftQuerySet, visible_to(user, scope, volunteer))
        .open()
        .filter(starts_at__gte=start, starts_at__lt=end, ends_at__gt=now)
        .order_by("starts_at", "pk")
    )
    return list(_with_mine(shifts, volunteer)[:100])


def claims_of(volunteer: Volunteer, *, now=None) -> list[ShiftClaim]:
    """The volunteer's live claims, of shifts not ended more than a month ago, soonest first."""
    now = now or timezone.now()
    return list(
        ShiftClaim.objects.filter(
            volunteer=volunteer, status__in=LIVE, shift__ends_at__gte=now - timedelta(days=30)
        )
        .select_related("volunteer", "shift__area", "shift__team", "shift__service", "shift__partner_unit")
        .order_by("shift__starts_at", "pk")[:100]
    )


def runnable_list(user: User, scope: Scope, since: datetime) -> QuerySet[Shift]:
    """The shifts the user runs from ``since`` on, for the management page (paged)."""
    return (
        run_by(user, scope)
        .filter(ends_at__gte=since)
        .select_related("area", "team", "partner_unit")
        .order_by("starts_at", "pk")
    )


def roster_of(shift: Shift) -> list[ShiftClaim]:
    """Everyone who claimed the shift, live claims first, by name (one query)."""
    claims = ShiftClaim.objects.filter(shift=shift).select_related("volunteer", "swapped_from__volunteer")
    rows = list(claims.order_by("volunteer__name", "pk"))
    return sorted(rows, key=lambda c: (c.status not in LIVE, c.status != ClaimStatus.CLAIMED))


def teams_posted_by(user: User, scope: Scope) -> QuerySet[Team]:
    """Teams a user may post shifts for: those in their scope (staff) and those they lead."""
    q = Q(
        pk__in=Membership.objects.filter(
            volunteer__user=user, is_leader=True, status=MembershipStatus.ACTIVE
        ).values("team_id")
    )
    if scope.can(Capability.MANAGE_VOLUNTEERS):
        q |= scope.q("area__path")
    return Team.objects.current().filter(q).select_related("area").order_by("name", "pk")


def short_this_week(scope: Scope, *, now=None) -> list[Shift]:
    """Shifts of the scope starting in the coming seven days that still need people, soonest
    first (one query): the part of the today page for workers running volunteers."""
    now = now or timezone.now()
    return list(
        scope.restrict(Shift.objects.short())
        .filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=7))
        .select_related("team")
        .order_by("starts_at", "pk")[:SHORT_LIST]
    )


def free_members(shift: Shift, *, besides: int = 0) -> QuerySet[Volunteer]:
    """Active members of the shift's team with no live claim on it (``besides``: a volunteer
    id left out): whom a claim may be handed to, whom a leader may put on it."""
    if shift.team_id is None:
        return Volunteer.objects.none()
    members = Membership.objects.filter(team_id=shift.team_id, status=MembershipStatus.ACTIVE).values(
        "volunteer_id"
    )
    return (
        Volunteer.objects.current()
        .filter(pk__in=members)
        .exclude(pk=besides)
        .exclude(pk__in=ShiftClaim.objects.filter(shift=shift, status__in=LIVE).values("volunteer_id"))
        .order_by("name", "pk")
    )


def swap_candidates(claim: ShiftClaim) -> QuerySet[Volunteer]:
    return free_members(claim.shift, besides=claim.volunteer_id)


def addable_to(shift: Shift) -> QuerySet[Volunteer]:
    """Whom staff or a leader may put on a shift from the roster: for a team's shift its free
    members, else current volunteers of the area without a claim on it."""
    if shift.team_id is not None:
        return free_members(shift)
    return (
        Volunteer.objects.current()
        .filter(committee__path__startswith=shift.area.path)
        .exclude(pk__in=ShiftClaim.objects.filter(shift=shift, status__in=LIVE).values("volunteer_id"))
        .order_by("name", "pk")[:200]
    )

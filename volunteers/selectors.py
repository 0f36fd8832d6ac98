"""Reads of teams, members and volunteers: the directory residents browse, the teams and
volunteers staff see through their scope, a team's roster, and its size month by month.
(Other parts of the volunteers app keep their reads in their own modules.)"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from areas.models import Area
from common.scope import Scope
from registry.selectors import committees_of
from volunteers.models import Membership, MembershipStatus, Team, TeamCategory, Volunteer

ACTIVE = MembershipStatus.ACTIVE
REQUESTED = MembershipStatus.REQUESTED


def with_counts(teams: QuerySet[Team]) -> QuerySet[Team]:
    """Each team with ``members`` (now) and ``waiting`` (requests not yet answered)."""
    return teams.annotate(
        members=Count("memberships", filter=Q(memberships__status=ACTIVE), distinct=True),
        waiting=Count("memberships", filter=Q(memberships__status=REQUESTED), distinct=True),
    )


def home_committees(user: User) -> list[int]:
    """The committees whose teams a user is shown: where they serve as a volunteer, where
    they live (or those they act for live), else their home's."""
    found = set(committees_of(user)) if user.is_authenticated else set()
    serving = (
        Volunteer.objects.filter(user=user).values_list("committee_id", flat=True).first()
        if user.is_authenticated
        else None
    )
    if serving:
        found.add(serving)
    return sorted(found)


def directory_for(user: User) -> QuerySet[Team]:
    """The current teams a resident may find: those of their committee and of its street."""
    committees = home_committees(user)
    streets = Area.objects.filter(pk__in=committees).values("parent_id")
    return (
        with_counts(Team.objects.current().filter(Q(area_id__in=committees) | Q(area_id__in=streets)))
        .select_related("area")
        .order_by("kind", "name", "pk")
    )


def teams_in(scope: Scope) -> QuerySet[Team]:
    """The current teams inside the staff member's scope, with their counts."""
    return with_counts(scope.restrict(Team.objects.current())).select_related("area").order_by("name", "pk")


def visible_team(user: User, scope: Scope, team_id: int) -> Team | None:
    """A team the user may open: one in their directory, one they are or were in, or one in
    their staff scope (dissolved ones too, for staff and former members)."""
    base = Team.objects.select_related("area")
    found = base.filter(pk=team_id).first()
    if found is None:
        return None
    if scope.path and scope.covers(found.area):
        return found
    if (
        Membership.objects.filter(team=found, volunteer__user=user).exists()
        if user.is_authenticated
        else False
    ):
        return found
    return directory_for(user).filter(pk=team_id).first()


def waiting_requests(scope: Scope) -> QuerySet[Membership]:
    """Requests to join not yet answered, in the staff member's teams, oldest first."""
    return (
        scope.restrict(Membership.objects.filter(status=REQUESTED, team__dissolved_at__isnull=True))
        .select_related("team", "volunteer")
        .order_by("requested_at", "pk")
    )


def memberships_of(volunteer: Volunteer | None) -> QuerySet[Membership]:
    """A volunteer's teams now and requests waiting, with the team."""
    if volunteer is None:
        return Membership.objects.none()
    return (
        Membership.objects.filter(volunteer=volunteer, status__in=[ACTIVE, REQUESTED])
        .select_related("team__area", "category")
        .order_by("team__name", "pk")
    )


def led_by(user: User) -> QuerySet[Team]:
    """The current teams ``user`` leads, with their counts."""
    if not user.is_authenticated:
        return Team.objects.none()
    return with_counts(
        Team.objects.current().filter(
            memberships__volunteer__user=user, memberships__is_leader=True, memberships__status=ACTIVE
        )
    ).order_by("name", "pk")


def own_membership(user: User, team: Team) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(team=team, volunteer__user=user, status__in=[ACTIVE, REQUESTED])
        .select_related("category")
        .first()
    )


@dataclass
class Group:
    category: TeamCategory | None
    members: list[Membership] = field(default_factory=list)


@dataclass
class Roster:
    groups: list[Group]
    requests: list[Membership]
    former: list[Membership]

    @property
    def size(self) -> int:
        return sum(len(g.members) for g in self.groups)


FORMER_SHOWN = 50


def roster(team: Team) -> Roster:
    """The members by group (leaders first, then by the day they joined), the requests
    waiting, and the latest to have left: three queries whatever the team's size."""
    rows = list(
        Membership.objects.filter(team=team, status__in=[ACTIVE, REQUESTED])
        .select_related("volunteer", "category")
        .order_by("-is_leader", "joined_on", "requested_at", "pk")
    )
    order = {c.pk: i for i, c in enumerate(team.categories.all())}
    by_group: dict[int | None, list[Membership]] = defaultdict(list)
    requests = []
    for row in rows:
        if row.status == REQUESTED:
            requests.append(row)
        else:
            by_group[row.category_id].append(row)
    categories = {row.category_id: row.category for row in rows if row.category_id}
    keys = sorted(by_group, key=lambda k: (k is None, order.get(k, len(order)) if k else 0, k or 0))
    former = list(
        Membership.objects.filter(team=team, status__in=[MembershipStatus.LEFT, MembershipStatus.REMOVED])
        .exclude(joined_on__isnull=True)
        .select_related("volunteer")
        .order_by("-ended_on", "-pk")[:FORMER_SHOWN]
    )
    return Roster([Group(categories.get(k) if k else None, by_group[k]) for k in keys], requests, former)


def month_ends(first: date, last: date) -> list[date]:
    """The last day of every month from ``first``'s to ``last``'s."""
    ends = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        ends.append(date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ends


MAX_MONTHS = 240


def size_history(team: Team, today: date | None = None) -> list[tuple[date, int]]:
    """The team's members at each month's end, from the first member's month to this month
    (this month counted as of today): from the memberships' dates, in one query."""
    today = today or timezone.localdate()
    spans = list(
        Membership.objects.filter(team=team, joined_on__isnull=False)
        .exclude(status__in=[REQUESTED, MembershipStatus.DECLINED])
        .values_list("joined_on", "ended_on")
    )
    if not spans:
        return []
    first = min(j for j, _e in spans)
    ends = month_ends(first, today)[-MAX_MONTHS:]
    points = []
    for end in ends:
        day = min(end, today)
        count = sum(1 for joined, ended in spans if joined <= day and (ended is None or ended >= day))
        points.append((day, count))
    return points


def size_chart(points: list[tuple[date, int]], label: str) -> dict:
    """The ECharts option drawing the size history as a line."""
    return {
        "grid": {"left": 40, "right": 16, "top": 24, "bottom": 32},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [d.strftime("%Y-%m") for d, _n in points]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": label, "type": "line", "data": [n for _d, n in points], "showSymbol": False}],
    }


def volunteers_in(
    scope: Scope, text: str = "", team: Team | None = None, kind: str = ""
) -> QuerySet[Volunteer]:
    """The current volunteers of the staff member's scope, with how many teams each is in;
    searched by name, number or affiliation, by team and by kind."""
    found = scope.restrict(Volunteer.objects.current())
    text = " ".join((text or "").split())[:50]
    if text:
        found = found.filter(Q(name__contains=text) | Q(phone__contains=text) | Q(affiliation__contains=text))
    if team is not None:
        found = found.filter(memberships__team=team, memberships__status=ACTIVE)
    if kind:
        found = found.filter(kind=kind)
    return (
        found.annotate(teams=Count("memberships", filter=Q(memberships__status=ACTIVE), distinct=True))
        .select_related("committee")
        .order_by("name", "pk")
    )


def volunteer_page(volunteer: Volunteer) -> Volunteer:
    """A volunteer with their skills and memberships (teams) loaded."""
    return (
        Volunteer.objects.filter(pk=volunteer.pk)
        .select_related("committee", "resident", "user")
        .prefetch_related(
            "skills",
            Prefetch(
                "memberships",
                queryset=Membership.objects.exclude(status=MembershipStatus.DECLINED)
                .select_related("team", "category")
                .order_by("-requested_at"),
            ),
        )
        .get()
    )


def upcoming_activities(team: Team, limit: int = 5):
    """The team's published activities still to come (through ``team.activities``)."""
    return team.activities.filter(
        published_at__isnull=False, cancelled_at__isnull=True, starts_at__gte=timezone.now()
    ).order_by("starts_at")[:limit]


def with_category_counts(categories: QuerySet[TeamCategory]) -> QuerySet[TeamCategory]:
    """Each group with ``members`` (now, across its teams) and ``team_count``."""
    return categories.annotate(
        members=Count(
            "teams__memberships",
            filter=Q(teams__memberships__status=ACTIVE, teams__memberships__category_id=F("pk")),
            distinct=True,
        ),
        team_count=Count("teams", filter=Q(teams__dissolved_at__isnull=True), distinct=True),
    ).order_by("position", "name", "pk")


ADDABLE_SHOWN = 500


def addable_volunteers(team: Team) -> list[Volunteer]:
    """The current volunteers a leader or staff may enter into ``team`` directly: those
    serving in its committee (or in the street's committees, for a street team) who are not
    in it and have not asked; one query."""
    inside = Membership.objects.filter(team=team, status__in=[ACTIVE, REQUESTED]).values("volunteer_id")
    return list(
        Volunteer.objects.current()
        .filter(Q(committee_id=team.area_id) | Q(committee__parent_id=team.area_id))
        .exclude(pk__in=inside)
        .order_by("name", "pk")[:ADDABLE_SHOWN]
    )

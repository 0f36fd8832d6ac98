"""Reading activities: what a resident may join this week, their sign-ups, a committee's
calendar, an activity's list at the door, and the beneficiaries (受益人次) it all adds up to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import User
from activities.models import Activity, ActivityArea, Signup, SignupStatus, came_q
from activities.signups import eligibility_problem
from areas.models import Area
from areas.selectors import compares_parts, part_path, parts_of
from common.scope import Scope
from registry.models import Resident
from registry.selectors import committees_of, household_members_of, people_of


def visible_to(user: User, scope: Scope) -> QuerySet[Activity]:
    """The activities a user may open: any of their role's committees, in any state; the
    published ones of the committees of the people they act as or for."""
    return (
        Activity.objects.filter(
            scope.q(Activity.scope_path) | Q(published_at__isnull=False, committee_id__in=committees_of(user))
        )
        .select_related("committee", "series", "review")
        .prefetch_related("areas__area")
    )


def week_bounds(day: date) -> tuple[datetime, datetime]:
    """Monday 00:00 to next Monday 00:00, local time."""
    monday = day - timedelta(days=day.weekday())
    start = timezone.make_aware(datetime.combine(monday, time.min))
    return start, start + timedelta(days=7)


def _with_areas(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.select_related("committee", "series").prefetch_related(
        Prefetch("areas", queryset=ActivityArea.objects.select_related("area"))
    )


@dataclass
class Offer:
    """An activity as one resident (or their family member) sees it."""

    activity: Activity
    signups: dict[int, Signup]  # resident id -> their live sign-up
    problems: dict[int, str]  # resident id -> why they may not sign up ("" if they may)

    @property
    def signed_up(self) -> bool:
        return bool(self.signups)


def signing_people(user: User) -> list[Resident]:
    """Whom the user may sign up for activities: themself and those they act for as family
    (``people_of``), and the other members of their own household (``signups.acting_as``)."""
    found = {p.pk: p for p in people_of(user)}
    for member in household_members_of(user):
        found.setdefault(member.pk, member)
    return sorted(found.values(), key=lambda p: (p.user_id != user.pk, p.pk))


def offers_for(user: User, start: datetime, end: datetime, now: datetime | None = None) -> list[Offer]:
    """Published activities between ``start`` and ``end`` in the committees of the user's
    people, each with their sign-ups and, for the others, whether and why not: seven queries."""
    now = now or timezone.now()
    people = signing_people(user)
    committees = {p.committee_id for p in people} or committees_of(user)
    if not committees:
        return []
    activities = list(
        _with_areas(
            Activity.objects.published().filter(
                committee_id__in=committees, starts_at__gte=start, starts_at__lt=end
            )
        ).order_by("starts_at", "pk")
    )
    live = (
        Signup.objects.filter(activity__in=[a.pk for a in activities], resident__in=[p.pk for p in people])
        .exclude(status=SignupStatus.CANCELLED)
        .select_related("resident")
    )
    mine: dict[int, dict[int, Signup]] = {}
    for signup in live:
        mine.setdefault(signup.activity_id, {})[signup.resident_id] = signup
    offers = []
    for activity in activities:
        problems = {
            p.pk: eligibility_problem(activity, p, now)
            for p in people
            if p.committee_id == activity.committee_id
        }
        offers.append(Offer(activity, mine.get(activity.pk, {}), problems))
    return offers


def signups_of(user: User) -> list[Signup]:
    """The user's live sign-ups (and their people's), soonest first."""
    return coming_signups(people_of(user))


def coming_signups(people: Sequence[Resident]) -> list[Signup]:
    """These residents' live sign-ups for activities not yet over, soonest first: one query."""
    return list(
        Signup.objects.filter(resident__in=[p.pk for p in people], activity__ends_at__gte=timezone.now())
        .exclude(status=SignupStatus.CANCELLED)
        .select_related("activity__committee", "resident")
        .order_by("activity__starts_at", "pk")
    )


@dataclass(frozen=True)
class SignupCounts:
    """Coming activities signed up for: with a place, and on the waiting list, never added up."""

    places: int = 0
    waiting: int = 0


def upcoming_signups(user: User) -> SignupCounts:
    """How many coming activities the user's own record has a place in, and is waiting for:
    one query."""
    if not user.is_authenticated:
        return SignupCounts()
    found = Signup.objects.filter(resident__user=user, activity__ends_at__gte=timezone.now()).aggregate(
        places=Count("pk", filter=Q(status=SignupStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=SignupStatus.WAITING)),
    )
    return SignupCounts(found["places"], found["waiting"])


def to_rate(user: User) -> list[Signup]:
    """Attended in the last 30 days and not yet rated."""
    people = [p.pk for p in people_of(user)]
    since = timezone.now() - timedelta(days=30)
    return list(
        Signup.objects.filter(
            resident__in=people,
            checked_in_at__isnull=False,
            rating__isnull=True,
            activity__starts_at__gte=since,
            activity__starts_at__lte=timezone.now(),
        ).select_related("activity", "resident")
    )


def activities_in(scope: Scope) -> QuerySet[Activity]:
    """For staff: the activities of the committees in scope, with their counts."""
    return (
        scope.restrict(Activity.objects.select_related("committee", "series"))
        .with_counts()
        .order_by("-starts_at", "-pk")
    )


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """00:00 to the next 00:00 of a local day."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def today_in(scope: Scope, day: date) -> list[Activity]:
    """The published, not cancelled activities of the scope that take place on a local day
    (started before it and still running included), earliest first."""
    start, end = day_bounds(day)
    return list(
        scope.restrict(Activity.objects.select_related("committee"))
        .filter(
            published_at__isnull=False,
            cancelled_at__isnull=True,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .with_counts()
        .order_by("starts_at", "pk")[:20]
    )


def calendar(scope: Scope, start: datetime, end: datetime) -> dict[date, list[Activity]]:
    """The scope's activities in a week, day by day (every day present, empty or not)."""
    days: dict[date, list[Activity]] = {
        (timezone.localtime(start) + timedelta(days=i)).date(): [] for i in range((end - start).days)
    }
    for activity in (
        activities_in(scope).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at")
    ):
        days.setdefault(timezone.localtime(activity.starts_at).date(), []).append(activity)
    return days


def door_list(activity: Activity) -> list[Signup]:
    """Everyone signed up: with a place first, then the waiting list, each in order."""
    order: dict[str, int] = {SignupStatus.CONFIRMED: 0, SignupStatus.WAITING: 1, SignupStatus.CANCELLED: 2}
    rows = list(
        Signup.objects.filter(activity=activity)
        .select_related("resident__household__building", "by", "checked_in_by")
        .order_by("pk")
    )
    return sorted(rows, key=lambda s: order[s.status])


def rating_of(activity: Activity) -> tuple[float | None, int]:
    found = Signup.objects.filter(activity=activity, rating__isnull=False).aggregate(
        avg=Avg("rating"), n=Count("pk")
    )
    return found["avg"], found["n"]


# --- Beneficiaries (受益人次) --------------------------------------------------------------


@dataclass
class Beneficiaries:
    activities: int
    person_times: int  # 受益人次: every check-in counts
    people: int  # distinct residents who came at least once


def _attended(area: Area, start: datetime, end: datetime) -> QuerySet[Signup]:
    return Signup.objects.filter(
        came_q(),
        activity__committee__path__startswith=area.path,
        activity__starts_at__gte=start,
        activity__starts_at__lt=end,
    )


def beneficiaries(area: Area, start: datetime, end: datetime) -> Beneficiaries:
    """Under ``area`` (a committee or anything above), for activities starting in [start, end)."""
    came = _attended(area, start, end).aggregate(
        times=Count("pk"),
        people=Count("resident", distinct=True),
        activities=Count("activity", distinct=True),
    )
    return Beneficiaries(came["activities"], came["times"], came["people"])


def beneficiaries_by_month(area: Area, start: datetime, end: datetime) -> list[tuple[date, Beneficiaries]]:
    rows = (
        _attended(area, start, end)
        .annotate(month=TruncMonth("activity__starts_at"))
        .values("month")
        .annotate(
            times=Count("pk"),
            people=Count("resident", distinct=True),
            activities=Count("activity", distinct=True),
        )
        .order_by("-month")
    )
    return [
        (
            timezone.localtime(r["month"]).date() if isinstance(r["month"], datetime) else r["month"],
            Beneficiaries(r["activities"], r["times"], r["people"]),
        )
        for r in rows
    ]


def beneficiaries_by_part(area: Area, start: datetime, end: datetime) -> list[tuple[Area, Beneficiaries]]:
    """For a street and above, each area one level below (a district's streets, a street's
    committees), most person-times first, none left out: two queries, grouped in the database
    by the part's path."""
    if not compares_parts(area):
        return []
    parts = parts_of(area)
    rows = (
        _attended(area, start, end)
        .annotate(part=part_path(parts, "activity__committee__path"))
        .values("part")
        .order_by("part")
        .annotate(
            times=Count("pk"),
            people=Count("resident", distinct=True),
            activities=Count("activity", distinct=True),
        )
    )
    counted = {r["part"]: Beneficiaries(r["activities"], r["times"], r["people"]) for r in rows}
    result = [(p, counted.get(p.path, Beneficiaries(0, 0, 0))) for p in parts]
    return sorted(result, key=lambda pair: -pair[1].person_times)


def by_activity(area: Area, start: datetime, end: datetime) -> QuerySet[Activity]:
    """Each activity in the period with its places taken (``confirmed``), its waiting list
    (``waiting``) and its 受益人次 (``came``)."""
    return (
        Activity.objects.filter(
            committee__path__startswith=area.path, starts_at__gte=start, starts_at__lt=end
        )
        .filter(cancelled_at__isnull=True, published_at__isnull=False)
        .select_related("committee")
        .with_counts()
        .order_by("-starts_at")
    )

"""The resident home of a family member who acts for others (家属代办): each person, with the
notices of their committee, their coming sign-ups and their requests still open. It gathers
from several apps, so it lives in the shell; each app answers for its own nouns. And the meals
tiles: a resident's next meal ordered, the meals a workspace's points serve today."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from accounts.models import User
from activities.models import Signup
from activities.selectors import coming_signups
from areas.models import Area
from common.scope import Capability, Scope
from demands.models import Demand
from demands.selectors import open_for
from meals.models import Mode, Order, OrderStatus
from notices.selectors import FeedItem, feeds_of
from registry.models import Resident
from registry.selectors import people_of

NOTICES_EACH = 3


@dataclass
class CaredFor:
    """One person the user acts for, and what concerns them now."""

    person: Resident
    committee: Area
    notices: list[FeedItem] = field(default_factory=list)
    signups: list[Signup] = field(default_factory=list)
    requests: list[Demand] = field(default_factory=list)


def cared_for(user: User) -> list[CaredFor]:
    """The people ``user`` acts for as family (not themself): seven queries however many."""
    people = [p for p in people_of(user) if p.user_id != user.pk]
    if not people:
        return []
    committees = Area.objects.in_bulk({p.committee_id for p in people})
    feeds = feeds_of(people, limit=NOTICES_EACH)
    cards = {p.pk: CaredFor(p, committees[p.committee_id], feeds.get(p.pk, [])) for p in people}
    for signup in coming_signups(people):
        cards[signup.resident_id].signups.append(signup)
    for demand in open_for(people):
        cards[demand.resident_id].requests.append(demand)
    return list(cards.values())


# --- Meals: the resident's next meal, the workspace's meals today ------------------------------


def next_meal(user: User, today: date) -> Order | None:
    """The user's own next meal ordered, today or later, for the home's meals tile: one query."""
    return (
        Order.objects.filter(diner__resident__user=user, status=OrderStatus.ORDERED, day__gte=today)
        .select_related("set_meal")
        .order_by("day", "ordered_at", "pk")
        .first()
    )


@dataclass(frozen=True)
class MealsToday:
    meals: int
    delivered: int


def meals_today(scope: Scope, today: date) -> MealsToday | None:
    """Today's live orders at the dining points of the scope and how many go out for delivery:
    one query (none without ``run_meals``)."""
    if not scope.can(Capability.RUN_MEALS):
        return None
    found = (
        scope.restrict(Order.objects.live())
        .filter(day=today)
        .aggregate(meals=Count("pk"), delivered=Count("pk", filter=Q(mode=Mode.DELIVERED)))
    )
    return MealsToday(found["meals"], found["delivered"])

"""The resident home of a family member who acts for others (家属代办): each person, with the
notices of their committee, their coming sign-ups and their requests still open. It gathers
from several apps, so it lives in the shell; each app answers for its own nouns."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import User
from activities.models import Signup
from activities.selectors import coming_signups
from areas.models import Area
from demands.models import Demand
from demands.selectors import open_for
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

"""The world of the repeating bookings' tests: 延长新村's 乐活空间 (open every day 7:00–21:00,
offered for two months), the 太极拳队 self-governance team led by 李秀英 (a resident with an
account), and days to book on: ``monday`` is a Monday two weeks ahead. Test modules take the
fixtures by importing them (``tests/spaces/conftest.py`` is the single bookings' part's)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from spaces.models import Booking, BookingStatus, OpeningHours, Space
from tests import fixtures
from volunteers.models import Membership, MembershipStatus, Team, TeamKind, Volunteer, VolunteerKind

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
street_admin = fixtures.street_admin

__all__ = [
    "at",
    "book",
    "english",
    "immediate_tasks",
    "monday",
    "people",
    "space",
    "street_admin",
    "taiji",
    "taiji_leader",
]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_space(area, name="乐活空间", *, opens=time(7), closes=time(21), **extra) -> Space:
    found = Space.objects.create(
        area=area, name=name, kind="room", created_at=timezone.now() - timedelta(days=60), **extra
    )
    for weekday in range(7):
        OpeningHours.objects.create(space=found, weekday=weekday, opens=opens, closes=closes)
    return found


def book(space: Space, starts_at: datetime, hours: float = 1, **extra) -> Booking:
    return Booking.objects.create(
        space=space,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        status=extra.pop("status", BookingStatus.CONFIRMED),
        purpose=extra.pop("purpose", "书法班"),
        **extra,
    )


@pytest.fixture
def space(tree) -> Space:
    """乐活空间 of 延长新村, open every day 7:00–21:00, holding 20."""
    return make_space(tree.committee, capacity=20)


@pytest.fixture
def taiji(tree) -> Team:
    return Team.objects.create(area=tree.committee, name="太极拳队", kind=TeamKind.SELF_GOVERNANCE)


@pytest.fixture
def taiji_leader(tree, people, taiji):
    """李秀英's account: she leads 太极拳队."""
    volunteer = Volunteer.objects.create(
        committee=tree.committee, name="李秀英", user=people.li_user, kind=VolunteerKind.RESIDENT
    )
    Membership.objects.create(
        team=taiji,
        volunteer=volunteer,
        is_leader=True,
        status=MembershipStatus.ACTIVE,
        joined_on=date(2024, 1, 1),
    )
    return people.li_user


@pytest.fixture
def monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=14 - today.weekday())

"""The recognition tests' world, made directly with the ORM: volunteers of 延长新村 and of its
neighbour 慧芝湖花园, a team, and a helper that writes ledger entries (confirmed or not,
reversals too). Imported by tests/volunteers/test_recognition_*.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from areas.models import Area
from tests import fixtures
from tests.factories import UserFactory
from volunteers.models import (
    HoursEntry,
    HoursSource,
    Membership,
    MembershipStatus,
    Team,
    TeamKind,
    Volunteer,
    VolunteerKind,
)

street_admin = fixtures.street_admin


@dataclass
class World:
    zhang: Volunteer  # 延长新村, with an account of her own, in the team
    li: Volunteer  # 延长新村, no phone (an elderly volunteer registered by staff), in the team
    wang: Volunteer  # 慧芝湖花园
    zhang_user: User
    team: Team  # 健康楼组邻里队 of 延长新村


def volunteer(committee: Area, name: str, *, user: User | None = None, phone: str = "") -> Volunteer:
    return Volunteer.objects.create(
        committee=committee, name=name, kind=VolunteerKind.RESIDENT, user=user, phone=phone
    )


def entry(
    who: Volunteer,
    day: date,
    hours: str | Decimal,
    *,
    area: Area | None = None,
    team: Team | None = None,
    confirmed: bool = True,
    declined: bool = False,
    reverses: HoursEntry | None = None,
) -> HoursEntry:
    """One ledger line; a reversal gets its entry's volunteer, area and team and the negative
    of the hours given."""
    now = timezone.now()
    if reverses is not None:
        area, team, who = reverses.area, reverses.team, reverses.volunteer
    return HoursEntry.objects.create(
        volunteer=who,
        area=area or who.committee,
        team=team,
        day=day,
        hours=Decimal(hours),
        source=HoursSource.REVERSAL if reverses else HoursSource.STAFF,
        confirmed_at=now if confirmed and not declined else None,
        declined_at=now if declined else None,
        reverses=reverses,
    )


@pytest.fixture
def world(tree) -> World:
    zhang_user = UserFactory.create(name="张阿姨", home_area=tree.building)
    zhang = volunteer(tree.committee, "张阿姨", user=zhang_user, phone="13911112222")
    li = volunteer(tree.committee, "李师傅")
    wang = volunteer(tree.neighbour, "王同学", phone="13911113333")
    team = Team.objects.create(area=tree.committee, name="健康楼组邻里队", kind=TeamKind.SERVICE)
    for member in (zhang, li):
        Membership.objects.create(team=team, volunteer=member, status=MembershipStatus.ACTIVE)
    return World(zhang, li, wang, zhang_user, team)

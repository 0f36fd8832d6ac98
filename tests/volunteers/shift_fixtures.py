"""The shift tests' world: 延长新村's 民心在线 service team with its leader and two members,
a volunteer of the committee outside the team, one of the neighbouring committee, and the
committee's social worker (``owner``). Made with the ORM directly, not the teams services."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import User
from common.scope import NO_SCOPE
from tests import fixtures
from tests.factories import UserFactory, scope_of
from volunteers import shift_posting, shifts
from volunteers.models import Membership, Shift, Team, TeamKind, Volunteer

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks


@dataclass
class World:
    team: Team
    leader: Volunteer
    ming: Volunteer  # a member
    hong: Volunteer  # a member
    loner: Volunteer  # of the committee, in no team
    far: Volunteer  # of the neighbouring committee
    owner: User


_phones = iter(range(13800000000, 13899999999))


def volunteer(committee, name: str, *, account: bool = True, **extra) -> Volunteer:
    user = UserFactory.create(name=name, home_area=committee) if account else None
    phone = user.phone if user else ""
    return Volunteer.objects.create(
        committee=committee, user=user, name=name, kind="resident", phone=phone, **extra
    )


def member(team: Team, person: Volunteer, *, leader: bool = False) -> Membership:
    return Membership.objects.create(
        team=team, volunteer=person, is_leader=leader, status="active", joined_on=date(2024, 1, 1)
    )


@pytest.fixture
def world(tree, owner) -> World:
    team = Team.objects.create(area=tree.committee, name="民心在线", kind=TeamKind.SERVICE)
    leader = volunteer(tree.committee, "队长老周")
    ming, hong = volunteer(tree.committee, "小明"), volunteer(tree.committee, "小红")
    member(team, leader, leader=True)
    member(team, ming)
    member(team, hong)
    return World(
        team=team,
        leader=leader,
        ming=ming,
        hong=hong,
        loner=volunteer(tree.committee, "散客老李"),
        far=volunteer(tree.neighbour, "邻居老钱"),
        owner=owner,
    )


def tomorrow_at(hour: int, *, days: int = 1) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=hour)))


def draft(**extra) -> shift_posting.ShiftDraft:
    start = extra.pop("starts_at", tomorrow_at(9, days=3))
    values = {
        "title": "理发摊",
        "place": "小区广场",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "places": 3,
    }
    values.update(extra)
    return shift_posting.ShiftDraft(**values)


def post(owner: User, **extra) -> Shift:
    """A shift posted by the committee's social worker."""
    return shift_posting.post_shift(owner, draft(**extra), scope=scope_of(owner))


def backdate(shift: Shift, *, starts: timedelta, hours: int = 2) -> Shift:
    """Move a posted shift in time (a posted shift must still be to come; tests need past ones)."""
    start = timezone.now() + starts
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=hours), withdraw_until=start - timedelta(hours=24)
    )
    shift.refresh_from_db()
    return shift


def claim_as(person: Volunteer, shift: Shift):
    assert person.user is not None
    return shifts.claim(person.user, shift, scope=NO_SCOPE)


def in_the_daytime():
    """Time moved (ticking) to 10:00 Shanghai time when the real clock is in the small hours or
    the evening: a shift backdated by hours would otherwise start the day before it ends, and
    its hours fall on two days. Used as a context manager; does nothing by day."""
    local = timezone.localtime()
    if 4 <= local.hour < 20:
        return contextlib.nullcontext()
    day = local.date() + timedelta(days=1 if local.hour >= 20 else 0)
    moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
    return freeze_time(moment, tick=True)

"""The hours and time-bank tests' world, built with the ORM: 延长新村's 民心在线 team with a
leader and a member (王建国, who lives at 62号楼 301 with 李秀英), an elderly volunteer without
a phone, the services they give, and helpers to put credits on an account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from tests.factories import UserFactory
from volunteers.models import (
    CreditAccount,
    CreditEntry,
    CreditKind,
    Membership,
    MembershipStatus,
    Service,
    Team,
    TeamKind,
    Volunteer,
)


@dataclass
class Ledger:
    team: Team
    member: Volunteer  # 王建国, with an account and a resident record
    leader: Volunteer
    elder: Volunteer  # 老张, no phone
    leader_user: User
    haircut: Service
    meals: Service


def volunteer(committee, name: str, *, user=None, resident=None, days_ago: int = 60) -> Volunteer:
    return Volunteer.objects.create(
        committee=committee,
        user=user,
        resident=resident,
        name=name,
        kind="resident",
        registered_at=timezone.now() - timedelta(days=days_ago),
    )


def join(team: Team, who: Volunteer, *, leader: bool = False) -> Membership:
    return Membership.objects.create(
        team=team,
        volunteer=who,
        is_leader=leader,
        status=MembershipStatus.ACTIVE,
        joined_on=timezone.localdate() - timedelta(days=60),
    )


def fund(account: CreditAccount, amount: str) -> CreditAccount:
    """Credits on an account as if earned (a line with its balance after), for tests of spending."""
    value = Decimal(amount)
    account.refresh_from_db()
    after = account.balance + value
    CreditAccount.objects.filter(pk=account.pk).update(balance=after)
    CreditEntry.objects.create(account=account, amount=value, balance_after=after, kind=CreditKind.EARNED)
    account.refresh_from_db()
    return account


@pytest.fixture
def ledger(tree, people) -> Ledger:
    team = Team.objects.create(area=tree.committee, name="民心在线", kind=TeamKind.SERVICE)
    leader_user = UserFactory.create(name="队长", phone="13900002001", home_area=tree.committee)
    leader = volunteer(tree.committee, "队长", user=leader_user)
    member = volunteer(tree.committee, "王建国", user=people.wang_user, resident=people.wang)
    elder = volunteer(tree.committee, "老张")
    join(team, leader, leader=True)
    join(team, member)
    join(team, elder)
    haircut, _made = Service.objects.get_or_create(area=None, name="理发")
    meals, _made = Service.objects.get_or_create(area=None, name="送餐")
    for who in (member, elder, leader):
        who.skills.add(haircut)
    return Ledger(team, member, leader, elder, leader_user, haircut, meals)

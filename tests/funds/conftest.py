"""The fund's world: 延长新村's 大宁社区基金 kept by the committee, its 爱心电梯 campaign
(goal 300,000 yuan), the social worker who keeps it (``owner``), the committee lead
(``colleague``) and the street admin who approve its expenses, and helpers to give and spend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funds import expenses, gifts
from funds.models import Campaign, Expense, Fund, Gift, GiftKind
from tests import fixtures
from tests.factories import scope_of

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
street_admin = fixtures.street_admin


@dataclass
class World:
    fund: Fund
    lift: Campaign


@pytest.fixture
def world(tree) -> World:
    fund = Fund.objects.create(area=tree.committee, name="大宁社区基金", bank_account="6222 0000 1111")
    lift = Campaign.objects.create(
        fund=fund, name="爱心电梯", goal=Decimal("300000.00"), ends_on=date.today() + timedelta(days=60)
    )
    return World(fund, lift)


def give(
    fund, user, amount, *, name="王建国", campaign=None, anonymous=False, kind=GiftKind.DONATION, what=""
):
    return gifts.record(
        fund,
        gifts.GiftDraft(
            kind=kind,
            amount=Decimal(amount),
            donor_name=name,
            received_on=timezone.localdate(),
            campaign=campaign,
            donor_phone="13900001001",
            anonymous=anonymous,
            what=what,
        ),
        by=user,
        scope=scope_of(user),
    )


def spend(fund, user, amount, *, campaign=None, payee="上海三菱电梯", purpose="加装电梯") -> Expense:
    return expenses.record(
        fund,
        expenses.ExpenseDraft(
            payee=payee,
            purpose=purpose,
            amount=Decimal(amount),
            paid_on=timezone.localdate(),
            campaign=campaign,
        ),
        by=user,
        scope=scope_of(user),
    )


def approve_twice(expense, first, second) -> Expense:
    expenses.approve(expense, by=first, scope=scope_of(first))
    return expenses.approve(expense, by=second, scope=scope_of(second))


__all__ = ["Gift", "approve_twice", "give", "spend"]

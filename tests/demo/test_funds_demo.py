"""The demo's community fund (issue 21): 延长新村's 大宁社区基金 and its 爱心电梯 campaign,
and the ledger's invariants for every row the demo wrote."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from demo import funds as demo_funds
from funds.models import Entry, EntryKind, Expense, Fund, Gift, GiftKind, Posting

# Loaded once for the package, with the other demo tests, on the demo's xdist worker (conftest.py).
pytestmark = [pytest.mark.xdist_group("load_demo"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _demo(demo_output):
    """The demo loaded once for the package (tests/demo/conftest.py)."""


def _fund() -> Fund:
    return Fund.objects.get(area__code=demo_funds.YANCHANG, name=demo_funds.FUND)


def test_the_lift_campaign_has_its_333_donors_the_auction_and_the_lift():
    fund = _fund()
    lift = fund.campaigns.get(name=demo_funds.CAMPAIGN)
    donations = Gift.objects.filter(campaign=lift, kind=GiftKind.DONATION, entry__reversed_by__isnull=True)
    assert donations.count() == demo_funds.DONORS == lift.donations
    assert donations.filter(anonymous=True).exists()
    assert Gift.objects.filter(campaign=lift, kind=GiftKind.AUCTION, amount=demo_funds.AUCTION).count() == 1
    lift_expense = Expense.objects.get(campaign=lift)
    assert lift_expense.is_posted and lift_expense.amount == demo_funds.LIFT
    approvers = {lift_expense.recorded_by_id, lift_expense.first_approver_id, lift_expense.second_approver_id}
    assert len(approvers) == 3
    assert lift.spent == demo_funds.LIFT


def test_the_counters_are_the_ledgers_sums_and_every_entry_balances():
    fund = _fund()
    entries = Entry.objects.filter(fund=fund)
    assert Posting.objects.filter(entry__fund=fund).aggregate(s=Sum("amount"))["s"] == 0
    unbalanced = [
        e.pk for e in entries.prefetch_related("postings") if sum(p.amount for p in e.postings.all())
    ]
    assert unbalanced == []
    bank = Posting.objects.filter(entry__fund=fund, account="bank").aggregate(s=Sum("amount"))["s"]
    assert fund.balance == bank >= 0
    assert entries.filter(kind=EntryKind.REVERSAL).count() == 1
    assert (
        fund.raised
        == Gift.objects.filter(fund=fund, entry__reversed_by__isnull=True).aggregate(s=Sum("amount"))["s"]
    )
    assert fund.balance == fund.raised - fund.spent - Decimal("6800.00")  # the gift in kind is not money


def test_the_public_page_shows_the_lift_without_anyones_phone(client):
    lift = _fund().campaigns.get(name=demo_funds.CAMPAIGN)
    page = client.get(reverse("funds:public_campaign", args=[lift.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "上海某电梯工程有限公司" in text and "138000000" not in text

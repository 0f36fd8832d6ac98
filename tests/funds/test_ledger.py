"""Money in, money out and the ledger underneath: every entry's postings sum to zero, the
counters follow, nothing is changed or deleted, a correction is a reversing entry with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from funds import expenses, gifts, ledger
from funds.models import Account, Entry, EntryKind, Expense, Fund, Gift, GiftKind, LedgerIsAppendOnly, Posting
from tests.factories import scope_of
from tests.funds.conftest import approve_twice, give, spend


def _sums_to_zero():
    for entry in Entry.objects.all():
        assert entry.postings.aggregate(s=Sum("amount"))["s"] == 0


def test_a_donation_moves_the_counters_and_posts_balanced(world, owner):
    gift = give(world.fund, owner, "500.00", campaign=world.lift)
    world.fund.refresh_from_db()
    world.lift.refresh_from_db()
    assert (world.fund.raised, world.fund.balance, world.fund.donations) == (
        Decimal("500"),
        Decimal("500"),
        1,
    )
    assert (world.lift.raised, world.lift.donations) == (Decimal("500"), 1)
    assert gift.entry.shown_as == "王建国"
    assert gift.number == f"{world.fund.pk}-{gift.entry.pk:08d}"
    assert {p.account: p.amount for p in gift.entry.postings.all()} == {
        Account.BANK: Decimal("500"),
        Account.DONATIONS: Decimal("-500"),
    }
    _sums_to_zero()


def test_an_anonymous_donor_is_known_to_staff_but_not_on_the_entry(world, owner):
    gift = give(world.fund, owner, "100", anonymous=True)
    assert gift.donor_name == "王建国" and gift.donor_phone
    assert gift.entry.shown_as == "" and gift.entry.anonymous


def test_a_gift_in_kind_counts_as_raised_but_not_as_money_held(world, owner):
    give(world.fund, owner, "2000", kind=GiftKind.IN_KIND, what="轮椅两台", name="某医疗器械公司")
    world.fund.refresh_from_db()
    assert world.fund.raised == Decimal("2000") and world.fund.balance == 0
    with pytest.raises(ValidationError) as refused:
        give(world.fund, owner, "10", kind=GiftKind.IN_KIND, what="")
    assert "what" in refused.value.message_dict


@pytest.mark.parametrize("amount", ["0", "-50", "-0.01", "1.234"])
def test_a_gift_of_zero_or_less_is_refused_and_changes_nothing(world, owner, amount):
    with pytest.raises(ValidationError) as refused:
        give(world.fund, owner, amount)
    assert "amount" in refused.value.message_dict
    assert Entry.objects.count() == 0 and Gift.objects.count() == 0
    world.fund.refresh_from_db()
    assert world.fund.raised == 0


def test_a_negative_amount_is_named(world, owner):
    with pytest.raises(ValidationError) as refused:
        give(world.fund, owner, "-50")
    assert refused.value.message_dict["amount"] == ["The amount must be more than zero: -50 is not."]


def test_only_those_who_keep_the_fund_record_gifts(world, outsider):
    with pytest.raises(PermissionDenied):
        give(world.fund, outsider, "10")


def test_an_expense_needs_two_different_approvers_neither_the_recorder(world, owner, colleague, street_admin):
    give(world.fund, owner, "1000")
    expense = spend(world.fund, owner, "600", campaign=world.lift)
    with pytest.raises(PermissionDenied):  # a social worker does not approve
        expenses.approve(expense, by=owner, scope=scope_of(owner))
    expenses.approve(expense, by=colleague, scope=scope_of(colleague))
    expense.refresh_from_db()
    assert expense.first_approver == colleague and not expense.is_posted
    with pytest.raises(ValidationError) as twice:
        expenses.approve(expense, by=colleague, scope=scope_of(colleague))
    assert "second, different person" in twice.value.messages[0]
    world.fund.refresh_from_db()
    assert world.fund.balance == Decimal("1000")  # not counted yet
    expenses.approve(expense, by=street_admin, scope=scope_of(street_admin))
    expense.refresh_from_db()
    world.fund.refresh_from_db()
    world.lift.refresh_from_db()
    assert expense.is_posted and expense.entry.kind == EntryKind.EXPENSE
    assert (world.fund.balance, world.fund.spent, world.lift.spent) == (
        Decimal("400"),
        Decimal("600"),
        Decimal("600"),
    )
    assert expense.entry.amount == Decimal("-600")
    _sums_to_zero()


def test_the_recorder_never_approves(world, colleague, street_admin):
    # A lead may both keep the fund and approve, but not what they recorded.
    give(world.fund, colleague, "1000")
    expense = spend(world.fund, colleague, "100")
    with pytest.raises(ValidationError) as refused:
        expenses.approve(expense, by=colleague, scope=scope_of(colleague))
    assert "You recorded this expense" in refused.value.messages[0]


def test_an_expense_above_the_balance_is_refused_naming_it(world, owner, colleague, street_admin):
    give(world.fund, owner, "300")
    with pytest.raises(ValidationError) as refused:
        spend(world.fund, owner, "500")
    assert refused.value.message_dict["amount"] == [
        "The fund's balance is 300.00 yuan: it cannot pay 500.00 yuan."
    ]
    assert Expense.objects.count() == 0
    # Two recorded within the balance; after the first is paid the second no longer fits.
    first = spend(world.fund, owner, "200")
    second = spend(world.fund, owner, "200")
    approve_twice(first, colleague, street_admin)
    expenses.approve(second, by=colleague, scope=scope_of(colleague))
    with pytest.raises(ValidationError) as late:
        expenses.approve(second, by=street_admin, scope=scope_of(street_admin))
    assert "100.00 yuan" in late.value.message_dict["amount"][0]
    second.refresh_from_db()
    assert second.second_approver is None and not second.is_posted
    world.fund.refresh_from_db()
    assert world.fund.balance == Decimal("100")


def test_ledger_rows_are_never_changed_or_deleted(world, owner):
    gift = give(world.fund, owner, "50")
    entry = Entry.objects.get(pk=gift.entry_id)
    entry.reason = "edited"
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        Entry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(LedgerIsAppendOnly):
        Posting.objects.filter(entry=entry).delete()
    posting = entry.postings.get(account=Account.BANK)
    with pytest.raises(LedgerIsAppendOnly):
        posting.delete()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_update_and_delete_of_the_ledger(world, owner):
    gift = give(world.fund, owner, "50")
    for sql in (
        "UPDATE funds_entry SET reason = 'x' WHERE id = %s",
        "DELETE FROM funds_posting WHERE entry_id = %s",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [gift.entry_id])


def test_the_balance_is_never_negative_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=world.fund.pk).update(balance=Decimal("-1"))


def test_a_reversal_turns_the_postings_round_with_a_reason(world, owner):
    gift = give(world.fund, owner, "80", campaign=world.lift)
    with pytest.raises(ValidationError) as no_reason:
        ledger.reverse(gift.entry, reason=" ", by=owner, scope=scope_of(owner))
    assert "reason" in no_reason.value.message_dict
    back = ledger.reverse(gift.entry, reason="录入重复", by=owner, scope=scope_of(owner))
    assert back.reverses == gift.entry and back.amount == Decimal("-80") and back.kind == EntryKind.REVERSAL
    world.fund.refresh_from_db()
    world.lift.refresh_from_db()
    assert (world.fund.raised, world.fund.balance, world.fund.donations) == (0, 0, 0)
    assert (world.lift.raised, world.lift.donations) == (0, 0)
    assert Entry.objects.count() == 2  # the mistake stays, beside its correction
    with pytest.raises(ValidationError):
        ledger.reverse(gift.entry, reason="again", by=owner, scope=scope_of(owner))
    with pytest.raises(ValidationError):
        ledger.reverse(back, reason="undo", by=owner, scope=scope_of(owner))
    _sums_to_zero()


def test_a_gift_already_spent_cannot_be_reversed_below_zero(world, owner, colleague, street_admin):
    gift = give(world.fund, owner, "100")
    approve_twice(spend(world.fund, owner, "60"), colleague, street_admin)
    with pytest.raises(ValidationError) as refused:
        ledger.reverse(gift.entry, reason="退回", by=owner, scope=scope_of(owner))
    assert "40.00 yuan" in refused.value.message_dict["amount"][0]
    assert Entry.objects.count() == 2


def test_reversing_an_expense_returns_the_money(world, owner, colleague, street_admin):
    give(world.fund, owner, "100")
    expense = approve_twice(spend(world.fund, owner, "60"), colleague, street_admin)
    assert expense.entry is not None
    ledger.reverse(expense.entry, reason="发票作废", by=owner, scope=scope_of(owner))
    world.fund.refresh_from_db()
    assert (world.fund.balance, world.fund.spent) == (Decimal("100"), 0)


def test_the_receipt_is_a_pdf(world, owner):
    gift = give(world.fund, owner, "88", campaign=world.lift)
    pdf = gifts.render_receipt(Gift.objects.select_related("fund", "campaign", "entry").get(pk=gift.pk))
    assert pdf.startswith(b"%PDF")

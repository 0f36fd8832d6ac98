"""Money out: an expense is recorded with its payee, purpose, campaign and a photo of the
invoice, then approved by two different people holding ``APPROVE_EXPENSES``, neither of them
the one who recorded it. Only the second approval posts it to the ledger, and only if the
fund holds enough money at that moment (``ledger.post``'s conditional update): otherwise the
approval is refused with the balance named, and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.scope import Scope
from common.uploads import photo_name, photo_problem
from funds import ledger, rules
from funds.gifts import amount_problem
from funds.models import Account, Campaign, EntryKind, Expense, Fund


def max_mb() -> int:
    return getattr(settings, "FUNDS_MAX_INVOICE_MB", 10)


@dataclass
class ExpenseDraft:
    payee: str
    purpose: str
    amount: Decimal | None
    paid_on: date | None
    campaign: Campaign | None = None


def invoice_problem(upload: UploadedFile | None) -> str | None:
    """Why the invoice's photo may not be kept (too large, or not a photo); None if it may."""
    return None if upload is None else photo_problem(upload, max_mb())


def draft_problems(fund: Fund, draft: ExpenseDraft, invoice: UploadedFile | None) -> dict[str, str]:
    problems = amount_problem(draft.amount)
    if not (draft.payee or "").strip():
        problems["payee"] = _("Say who is paid.")
    if not (draft.purpose or "").strip():
        problems["purpose"] = _("Say what the money is for.")
    if draft.paid_on is None:
        problems["paid_on"] = _("Give the day of the payment.")
    if draft.campaign is not None and draft.campaign.fund_id != fund.pk:
        problems["campaign"] = _("This campaign is not in this fund.")
    bad = invoice_problem(invoice)
    if bad:
        problems["invoice"] = bad
    if "amount" not in problems and draft.amount is not None and draft.amount > fund.balance:
        problems["amount"] = ledger.balance_text(fund, draft.amount)
    return problems


def record(
    fund: Fund, draft: ExpenseDraft, *, invoice: UploadedFile | None = None, by: User, scope: Scope
) -> Expense:
    """Record an expense, waiting for its two approvals. Refused above the balance now (it
    is checked again when it is approved)."""
    if not rules.keeps(scope, fund):
        raise PermissionDenied(_("Only those who keep this fund record its expenses."))
    fund.refresh_from_db(fields=["balance"])
    problems = draft_problems(fund, draft, invoice)
    if problems:
        raise ValidationError(problems)
    assert draft.amount is not None and draft.paid_on is not None
    expense = Expense(
        fund=fund,
        campaign=draft.campaign,
        payee=draft.payee.strip()[:100],
        purpose=draft.purpose.strip()[:200],
        amount=draft.amount,
        paid_on=draft.paid_on,
        recorded_by=by,
    )
    with transaction.atomic():
        if invoice is not None:
            expense.stored_name = photo_name(invoice)
            expense.invoice.save(expense.stored_name, invoice, save=False)
        try:
            expense.save()
        except Exception:
            if invoice is not None:
                expense.invoice.storage.delete(expense.invoice.name)
            raise
    return expense


def approve(expense: Expense, *, by: User, scope: Scope) -> Expense:
    """One approval. The second, by another person, posts the expense: bank credited, expenses
    debited, the balance lowered only if it holds the amount."""
    if not rules.approves(scope, expense.fund):
        raise PermissionDenied(_("Only those who approve this fund's expenses may approve it."))
    with transaction.atomic():
        expense = Expense.objects.select_for_update().get(pk=expense.pk)
        refused = rules.approval_problem(by, expense)
        if refused:
            raise ValidationError(refused)
        now = timezone.now()
        if expense.first_approver_id is None:
            expense.first_approver = by
            expense.first_approved_at = now
            expense.save(update_fields=["first_approver", "first_approved_at"])
            return expense
        fund = Fund.objects.get(pk=expense.fund_id)
        campaign = Campaign.objects.get(pk=expense.campaign_id) if expense.campaign_id else None
        entry = ledger.post(
            fund,
            kind=EntryKind.EXPENSE,
            postings=[(Account.EXPENSES, expense.amount), (Account.BANK, -expense.amount)],
            amount=-expense.amount,
            day=expense.paid_on,
            by=by,
            campaign=campaign,
            shown_as=f"{expense.payee} · {expense.purpose}",
        )
        expense.second_approver = by
        expense.second_approved_at = now
        expense.entry = entry
        expense.save(update_fields=["second_approver", "second_approved_at", "entry"])
    return expense


def withdraw(expense: Expense, *, by: User, scope: Scope) -> Expense:
    """Withdraw an expense not yet posted (a posted one is reversed in the ledger instead)."""
    if not rules.keeps(scope, expense.fund):
        raise PermissionDenied(_("Only those who keep this fund withdraw its expenses."))
    with transaction.atomic():
        expense = Expense.objects.select_for_update().get(pk=expense.pk)
        if not expense.is_waiting:
            raise ValidationError(_("Only an expense waiting for approval can be withdrawn."))
        expense.withdrawn_at = timezone.now()
        expense.save(update_fields=["withdrawn_at"])
    return expense

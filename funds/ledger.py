"""The ledger: every movement of a fund as an entry whose postings sum to zero, and the
fund's and campaign's counters moved with it in the same transaction.

Nothing here updates or deletes a ledger row (the models refuse it, and so does PostgreSQL's
trigger). The money held, ``Fund.balance``, only goes down through ``UPDATE … SET balance =
balance - x WHERE id = … AND balance >= x`` under the CHECK ``fund_balance_never_negative``:
two approvals at once cannot both spend the last of it. A mistake is put right by ``reverse``:
a new entry with the opposite postings and a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.scope import Scope
from funds import rules
from funds.models import (
    INCOME_ACCOUNT,
    ZERO,
    Account,
    Campaign,
    Entry,
    EntryKind,
    Fund,
    GiftKind,
    Posting,
)

INCOME_ACCOUNTS = frozenset(INCOME_ACCOUNT.values())


def yuan(amount: Decimal) -> str:
    return _("%(amount)s yuan") % {"amount": f"{amount:,.2f}"}


def balance_text(fund: Fund, amount: Decimal) -> str:
    """The refusal of a payment above the money held, naming the balance."""
    return _("The fund's balance is %(balance)s: it cannot pay %(amount)s.") % {
        "balance": yuan(fund.balance),
        "amount": yuan(amount),
    }


@dataclass(frozen=True)
class Movement:
    """What an entry does to the counters."""

    bank: Decimal  # the money held
    raised: Decimal
    spent: Decimal
    donations: int


def movement(postings: list[tuple[str, Decimal]], donations: int) -> Movement:
    bank = sum((a for acc, a in postings if acc == Account.BANK), ZERO)
    raised = -sum((a for acc, a in postings if acc in INCOME_ACCOUNTS), ZERO)
    spent = sum((a for acc, a in postings if acc == Account.EXPENSES), ZERO)
    return Movement(bank, raised, spent, donations)


def _move_fund(fund: Fund, move: Movement) -> bool:
    """Apply ``move`` to the fund's counters; False when the balance would go below zero."""
    rows = Fund.objects.filter(pk=fund.pk)
    if move.bank < 0:
        rows = rows.filter(balance__gte=-move.bank)
    try:
        with transaction.atomic():
            changed = rows.update(
                balance=F("balance") + move.bank,
                raised=F("raised") + move.raised,
                spent=F("spent") + move.spent,
                donations=F("donations") + move.donations,
            )
    except IntegrityError:  # the CHECK fund_balance_never_negative
        return False
    return changed == 1


def _move_campaign(campaign: Campaign, move: Movement) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(
        raised=F("raised") + move.raised,
        spent=F("spent") + move.spent,
        donations=F("donations") + move.donations,
    )


def post(
    fund: Fund,
    *,
    kind: str,
    postings: list[tuple[str, Decimal]],
    amount: Decimal,
    day: date,
    by: User | None,
    campaign: Campaign | None = None,
    gift_kind: str = "",
    shown_as: str = "",
    anonymous: bool = False,
    donations: int = 0,
    reverses: Entry | None = None,
    reason: str = "",
) -> Entry:
    """Add one entry with its postings and move the counters, all or nothing. Called by the
    services (gifts, expenses, ``reverse``) once they have checked who acts."""
    if sum((a for _acc, a in postings), ZERO) != 0 or not postings:
        raise ValueError("an entry's postings must sum to zero")
    move = movement(postings, donations)
    with transaction.atomic():
        if not _move_fund(fund, move):
            fund.refresh_from_db(fields=["balance"])
            raise ValidationError({"amount": balance_text(fund, -move.bank)})
        if campaign is not None:
            _move_campaign(campaign, move)
        entry = Entry.objects.create(
            fund=fund,
            campaign=campaign,
            kind=kind,
            gift_kind=gift_kind,
            amount=amount,
            day=day,
            shown_as=shown_as[:200],
            anonymous=anonymous,
            reverses=reverses,
            reason=reason,
            made_by=by,
            made_at=timezone.now(),
        )
        Posting.objects.bulk_create(Posting(entry=entry, account=acc, amount=a) for acc, a in postings if a)
    return entry


def reverse(entry: Entry, *, reason: str, by: User, scope: Scope) -> Entry:
    """A correction: a new entry with ``entry``'s postings turned round, and the reason."""
    fund = entry.fund
    if not rules.keeps(scope, fund):
        raise PermissionDenied(_("Only those who keep this fund correct its ledger."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this entry is reversed.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("Keep the reason under 200 characters.")})
    with transaction.atomic():
        entry = (
            Entry.objects.select_for_update(of=("self",)).select_related("fund", "campaign").get(pk=entry.pk)
        )
        if entry.is_reversal:
            raise ValidationError({"entry": _("A correction cannot itself be reversed.")})
        if Entry.objects.filter(reverses=entry).exists():
            raise ValidationError({"entry": _("This entry is already reversed.")})
        postings = [(p.account, -p.amount) for p in entry.postings.all()]
        donations = -1 if entry.gift_kind == GiftKind.DONATION else 0
        return post(
            entry.fund,
            kind=EntryKind.REVERSAL,
            postings=postings,
            amount=-entry.amount,
            day=timezone.localdate(),
            by=by,
            campaign=entry.campaign,
            gift_kind=entry.gift_kind,
            shown_as=entry.shown_as,
            anonymous=entry.anonymous,
            donations=donations,
            reverses=entry,
            reason=reason,
        )

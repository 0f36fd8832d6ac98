"""Money in: donations, auction proceeds, grants and gifts in kind, each one ledger entry;
and the donor's receipt, a PDF.

A donation may be anonymous: the public page shows "匿名", staff still see the donor's name
and phone. A gift in kind counts as raised at its stated value but adds nothing to the money
held (it is posted to the goods account, not the bank). An amount of zero or less is refused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from reportlab.platypus import Paragraph, Spacer

from accounts.models import User
from common.downloads import named
from common.pdf import document, markup, styles
from common.scope import Scope
from funds import ledger, rules
from funds.models import INCOME_ACCOUNT, Account, Campaign, EntryKind, Fund, Gift, GiftKind

MAX_AMOUNT = Decimal("9999999999.99")


@dataclass
class GiftDraft:
    kind: str
    amount: Decimal | None
    donor_name: str
    received_on: date | None
    campaign: Campaign | None = None
    donor_phone: str = ""
    anonymous: bool = False
    what: str = ""
    note: str = ""


def amount_problem(amount: Decimal | None, field: str = "amount") -> dict[str, str]:
    """The refusal of a sum that is not a positive amount of yuan and fen, or {}."""
    if amount is None:
        return {field: _("Give the amount.")}
    if not amount.is_finite() or amount <= 0:
        return {field: _("The amount must be more than zero: %(amount)s is not.") % {"amount": amount}}
    if amount != amount.quantize(Decimal("0.01")):
        return {field: _("The amount has at most two decimals (fen).")}
    if amount > MAX_AMOUNT:
        return {field: _("The amount is too large.")}
    return {}


def draft_problems(fund: Fund, draft: GiftDraft) -> dict[str, str]:
    problems = amount_problem(draft.amount)
    if draft.kind not in GiftKind.values:
        problems["kind"] = _("Choose what kind of gift this is.")
    if not (draft.donor_name or "").strip():
        problems["donor_name"] = _("Give the donor's name (it stays private if they give anonymously).")
    if draft.received_on is None:
        problems["received_on"] = _("Give the day the gift was received.")
    if draft.kind == GiftKind.IN_KIND and not (draft.what or "").strip():
        problems["what"] = _("Say what was given in kind.")
    if draft.campaign is not None and draft.campaign.fund_id != fund.pk:
        problems["campaign"] = _("This campaign is not in this fund.")
    return problems


def record(fund: Fund, draft: GiftDraft, *, by: User | None, scope: Scope) -> Gift:
    """Record a gift: one entry (bank or goods debited, the income credited), the counters
    moved, the gift with its receipt number. All or nothing."""
    if not rules.keeps(scope, fund):
        raise PermissionDenied(_("Only those who keep this fund record its gifts."))
    problems = draft_problems(fund, draft)
    if problems:
        raise ValidationError(problems)
    assert draft.amount is not None and draft.received_on is not None
    amount = draft.amount
    debit = Account.GOODS if draft.kind == GiftKind.IN_KIND else Account.BANK
    name = draft.donor_name.strip()
    with transaction.atomic():
        entry = ledger.post(
            fund,
            kind=EntryKind.GIFT,
            gift_kind=draft.kind,
            postings=[(debit, amount), (INCOME_ACCOUNT[GiftKind(draft.kind)], -amount)],
            amount=amount,
            day=draft.received_on,
            by=by,
            campaign=draft.campaign,
            shown_as="" if draft.anonymous else name,
            anonymous=draft.anonymous,
            donations=1 if draft.kind == GiftKind.DONATION else 0,
        )
        return Gift.objects.create(
            fund=fund,
            campaign=draft.campaign,
            kind=draft.kind,
            amount=amount,
            donor_name=name[:100],
            donor_phone=(draft.donor_phone or "").strip()[:30],
            anonymous=draft.anonymous,
            what=(draft.what or "").strip()[:200],
            received_on=draft.received_on,
            note=(draft.note or "").strip()[:200],
            number=f"{fund.pk}-{entry.pk:08d}",
            entry=entry,
            recorded_by=by,
        )


def render_receipt(gift: Gift) -> bytes:
    """The donor's receipt (捐赠收据): who gave what to which fund, when, its number."""
    base = styles()
    buffer = io.BytesIO()
    fund = gift.fund
    title = _("Receipt %(number)s") % {"number": gift.number}
    doc = document(buffer, title=title, author=fund.name)
    story: list = [
        Paragraph(markup(fund.name), base.title),
        Paragraph(markup(_("Receipt for a gift")), base.heading),
        Paragraph(markup(_("Receipt number: %(number)s") % {"number": gift.number}), base.body),
        Paragraph(markup(_("Received from: %(name)s") % {"name": gift.donor_name}), base.body),
        Paragraph(markup(_("Kind: %(kind)s") % {"kind": gift.get_kind_display()}), base.body),
    ]
    if gift.what:
        story.append(Paragraph(markup(_("Given in kind: %(what)s") % {"what": gift.what}), base.body))
    story += [
        Paragraph(markup(_("Amount: %(amount)s") % {"amount": ledger.yuan(gift.amount)}), base.body),
        Paragraph(markup(_("Received on: %(day)s") % {"day": f"{gift.received_on:%Y-%m-%d}"}), base.body),
    ]
    if gift.campaign:
        story.append(Paragraph(markup(_("For: %(campaign)s") % {"campaign": gift.campaign.name}), base.body))
    if gift.anonymous:
        story.append(
            Paragraph(markup(_("At your wish, the public page shows this gift as anonymous.")), base.body)
        )
    story += [
        Spacer(1, 12),
        Paragraph(markup(_("Thank you for your gift to the neighbourhood.")), base.heading),
    ]
    if gift.is_reversed:
        story.append(Paragraph(markup(_("This gift was reversed in the ledger.")), base.small))
    doc.build(story)
    return buffer.getvalue()


def receipt_response(gift: Gift) -> HttpResponse:
    response = HttpResponse(render_receipt(gift), content_type="application/pdf")
    return named(
        response, _("Receipt %(number)s.pdf") % {"number": gift.number}, f"receipt-{gift.number}.pdf"
    )

"""Lending an aid, renewing the loan, taking it back.

Staff lend the item set aside for a resident (their hold becomes ``COLLECTED``), or a free
item to someone without a hold when nobody is waiting for the kind. The due date follows
the kind's policy; the condition going out and coming back is written down, with the
deposit taken and returned. An item coming back as needing repair (or retired) is out of
service until staff mark it repaired; otherwise it goes to the next in the queue at once.

**An item is never lent twice at once.** The partial unique constraint ``item_lent_once``
(one loan per item whose ``returned_at`` is empty) is the database's guard; the service
checks first to say who has it, and answers the constraint's refusal, when two lends of one
item race, with the same words.

**Renewals** (up to the kind's ``renewals``, each adding ``renewal_days`` to the due date, not
to today: lateness is not forgiven) are refused while someone is waiting in the queue for
the kind: the item is owed to them. Residents and their family renew from "my aids", staff
for anyone; the rule is the same.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from aids.holds import already_has, eligibility_problem, locked_kind, serve_queue
from aids.models import AidItem, Condition, Hold, HoldStatus, Loan
from aids.rules import acts_as_borrower, lends
from common.scope import Scope
from registry.models import Resident

NOTES_MAX = 200
MAX_DEPOSIT = Decimal("99999.99")
BACK_CONDITIONS = (Condition.NEW, Condition.GOOD, Condition.FAIR, Condition.NEEDS_REPAIR, Condition.RETIRED)


def _day(day) -> str:
    return date_format(day, "MONTH_DAY_FORMAT")


def _money(value: Decimal | None, field: str, *, at_most: Decimal = MAX_DEPOSIT) -> Decimal | None:
    if value is None:
        return None
    if value < 0:
        raise ValidationError({field: _("A deposit cannot be negative.")})
    if value > at_most:
        raise ValidationError({field: _("At most %(n)s yuan.") % {"n": at_most}})
    return value.quantize(Decimal("0.01"))


def lend(
    user: User,
    item: AidItem,
    resident: Resident,
    *,
    scope: Scope,
    notes: str = "",
    deposit: Decimal | None = None,
) -> Loan:
    """Hand ``item`` to ``resident``: the item set aside for them, or a free one when nobody
    waits. ``deposit`` defaults to the kind's."""
    if not lends(scope, item.kind):
        raise PermissionDenied(_("Only staff who lend this aid hand it out."))
    deposit = _money(deposit, "deposit")
    try:
        with transaction.atomic():
            return _lend(user, item, resident, notes.strip()[:NOTES_MAX], deposit)
    except IntegrityError:
        raise ValidationError({"item": _("%(item)s is already lent.") % {"item": item}}) from None


def _lend(user: User, item: AidItem, resident: Resident, notes: str, deposit: Decimal | None) -> Loan:
    kind = locked_kind(item.kind)
    item = AidItem.objects.select_related("kind__area").get(pk=item.pk)
    out = Loan.objects.out().filter(item=item).select_related("resident").first()
    if out is not None:
        raise ValidationError(
            {
                "item": _("%(item)s is already lent, to %(name)s, due back %(due)s.")
                % {"item": item, "name": out.resident.name, "due": _day(out.due_on)}
            }
        )
    if not item.is_in_service:
        raise ValidationError(
            {
                "item": _("%(item)s is out of service (%(condition)s).")
                % {"item": item, "condition": item.get_condition_display()}
            }
        )
    problem = eligibility_problem(kind, resident)
    if problem:
        raise ValidationError({"resident": problem})
    hold = _hold_for(kind, item, resident)
    if hold is None:
        other = already_has(kind, resident)
        if other is not None:
            raise ValidationError(
                {
                    "resident": _("%(name)s already has %(item)s, due back %(due)s.")
                    % {"name": resident.name, "item": other.item, "due": _day(other.due_on)}
                }
            )
    now = timezone.now()
    loan = Loan.objects.create(
        item=item,
        resident=resident,
        hold=hold,
        lent_by=user,
        lent_at=now,
        due_on=timezone.localdate() + timedelta(days=kind.loan_days),
        deposit=kind.deposit if deposit is None else deposit,
        condition_out=item.condition,
        notes_out=notes,
    )
    if hold is not None:
        freed = hold.item_id if hold.item_id != item.pk else None
        hold.status, hold.item, hold.ended_at = HoldStatus.COLLECTED, item, now
        hold.save(update_fields=["status", "item", "ended_at"])
        if freed is not None:
            serve_queue(kind, now)
    return loan


def _hold_for(kind, item: AidItem, resident: Resident) -> Hold | None:
    """The resident's hold this loan collects, or None when lent without one; refuses an
    item set aside for someone else and a lend past people waiting in the queue."""
    aside = Hold.objects.filter(item=item, status=HoldStatus.READY).select_related("resident").first()
    if aside is not None and aside.resident_id != resident.pk:
        raise ValidationError(
            {
                "item": _("%(item)s is set aside for %(name)s until %(when)s.")
                % {
                    "item": item,
                    "name": aside.resident.name,
                    "when": _day(timezone.localtime(aside.expires_at)),
                }
            }
        )
    own = Hold.objects.open().filter(kind=kind, resident=resident).first()
    if own is not None and own.status in (HoldStatus.READY, HoldStatus.WAITING):
        # Their place in the queue is theirs to collect, with this item or the one set aside.
        if own.status == HoldStatus.WAITING and _ahead(kind, own) > 0:
            raise ValidationError(
                {
                    "resident": _("%(name)s is not first in the queue; serve those ahead first.")
                    % {"name": resident.name}
                }
            )
        return own
    if own is not None:
        raise ValidationError(
            {
                "resident": _("%(name)s's request is waiting for approval; approve it first.")
                % {"name": resident.name}
            }
        )
    waiting = Hold.objects.filter(kind=kind, status=HoldStatus.WAITING).count()
    if waiting:
        raise ValidationError(
            {
                "resident": _(
                    "%(n)d people are in the queue for %(kind)s; lend to the first of them, "
                    "or add %(name)s to the queue."
                )
                % {"n": waiting, "kind": kind.name, "name": resident.name}
            }
        )
    return None


def _ahead(kind, hold: Hold) -> int:
    return (
        Hold.objects.filter(kind=kind, status=HoldStatus.WAITING, asked_at__lt=hold.asked_at)
        .exclude(pk=hold.pk)
        .count()
    )


@transaction.atomic
def renew(user: User, loan: Loan, *, scope: Scope) -> Loan:
    """Keep the aid longer: the due date moves by the kind's renewal days, up to the kind's
    number of renewals, and never while someone waits for the kind."""
    loan = Loan.objects.select_related("item__kind__area", "resident").get(pk=loan.pk)
    kind = loan.item.kind
    if acts_as_borrower(user, loan.resident, scope) is None and not lends(scope, kind):
        raise PermissionDenied(_("You may renew only your own loans."))
    locked_kind(kind)
    loan = Loan.objects.select_related("item__kind__area", "resident").get(pk=loan.pk)
    if not loan.is_out:
        raise ValidationError(
            _("%(item)s was returned on %(day)s.")
            % {"item": loan.item, "day": _day(timezone.localtime(loan.returned_at))}
        )
    if loan.renewals >= kind.renewals:
        raise ValidationError(
            {
                "renewals": _("%(kind)s may be renewed %(n)d times; this loan has been.")
                % {"kind": kind.name, "n": kind.renewals}
                if kind.renewals
                else _("%(kind)s may not be renewed.") % {"kind": kind.name}
            }
        )
    waiting = Hold.objects.filter(kind=kind, status=HoldStatus.WAITING).count()
    if waiting:
        raise ValidationError(
            {
                "renewals": _("%(n)d people are waiting for %(kind)s; it is due back %(due)s.")
                % {"n": waiting, "kind": kind.name, "due": _day(loan.due_on)}
            }
        )
    loan.due_on = loan.due_on + timedelta(days=kind.renewal_days)
    loan.renewals += 1
    loan.save(update_fields=["due_on", "renewals"])
    return loan


def take_back(
    user: User,
    loan: Loan,
    *,
    scope: Scope,
    condition: str,
    notes: str = "",
    deposit_returned: Decimal | None = None,
) -> Loan:
    """The aid comes back: its condition and notes are written down, the deposit returned
    (all of it unless less is given, for damage, with a note). Needing repair or retired, the
    item is out of service; otherwise it is set aside for the next in the queue."""
    if not lends(scope, loan.item.kind):
        raise PermissionDenied(_("Only staff who lend this aid take it back."))
    if condition not in BACK_CONDITIONS:
        raise ValidationError({"condition": _("Say what condition it came back in.")})
    notes = notes.strip()[:NOTES_MAX]
    with transaction.atomic():
        kind = locked_kind(loan.item.kind)
        loan = Loan.objects.select_related("item", "resident").get(pk=loan.pk)
        if not loan.is_out:
            raise ValidationError(
                {
                    "loan": _("%(item)s is not out: it came back on %(day)s.")
                    % {"item": loan.item, "day": _day(timezone.localtime(loan.returned_at))}
                }
            )
        back = _money(deposit_returned, "deposit_returned", at_most=loan.deposit)
        if back is None:
            back = loan.deposit
        if back < loan.deposit and not notes:
            raise ValidationError({"notes": _("Keeping part of the deposit: say why in the notes.")})
        now = timezone.now()
        loan.returned_at, loan.returned_to = max(now, loan.lent_at), user
        loan.condition_back, loan.notes_back, loan.deposit_returned = condition, notes, back
        loan.save(
            update_fields=["returned_at", "returned_to", "condition_back", "notes_back", "deposit_returned"]
        )
        item = loan.item
        item.condition = condition
        if notes and condition in (Condition.NEEDS_REPAIR, Condition.RETIRED):
            item.notes = notes
        item.save(update_fields=["condition", "notes"])
        if item.is_in_service:
            serve_queue(kind, now)
    return loan

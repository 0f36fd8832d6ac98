"""The care aids' periodic jobs, on the Tasks framework (see notifications.jobs).

- ``expire_holds``, every ten minutes: items set aside and not collected in time go to the
  next in the queue (``aids.holds.expire_due``).
- ``remind_loans``, every hour: ``settings.MULIN_AID_REMIND_DAYS`` days before a loan is due
  back, and once when it is overdue, the borrower gets ONE message listing all their aids
  that need saying, through ``aids.telling`` (their account, their phone, their family or
  their building leader). Each loan is stamped (``reminded_for`` / ``overdue_reminded_for``:
  the due date the message was about) by a conditional UPDATE before anyone is told, in the
  same transaction, so a repeated or overlapping run sends nothing twice; a renewal moves the
  due date, and the next reminder is about the new one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from aids.holds import expire_due
from aids.models import Loan
from aids.selectors import remind_days
from aids.telling import contact_of, tell
from notifications.jobs import periodic, queue_next

NOT_REMINDED = Q(reminded_for__isnull=True) | ~Q(reminded_for=F("due_on"))
NOT_TOLD_OVERDUE = Q(overdue_reminded_for__isnull=True) | ~Q(overdue_reminded_for=F("due_on"))


def due_for_reminder(today: date):
    """Loans out that need a message: due within the window and not reminded for this due
    date, or overdue and not told so for this due date."""
    soon = Q(due_on__gte=today, due_on__lte=today + timedelta(days=remind_days())) & NOT_REMINDED
    late = Q(due_on__lt=today) & NOT_TOLD_OVERDUE
    return Loan.objects.out().filter(soon | late)


def remind_due(today: date) -> int:
    """One message per borrower bundling every loan of theirs that needs one; the number of
    borrowers told."""
    borrowers: dict[int, list[int]] = defaultdict(list)
    for loan_id, resident_id in (
        due_for_reminder(today).order_by("resident_id", "due_on", "pk").values_list("pk", "resident_id")
    ):
        borrowers[resident_id].append(loan_id)
    told = 0
    for loan_ids in borrowers.values():
        with transaction.atomic():
            told += _remind(loan_ids, today)
    return told


def _remind(loan_ids: list[int], today: date) -> int:
    stamped = []
    for loan in Loan.objects.filter(pk__in=loan_ids).select_related("item__kind").order_by("due_on", "pk"):
        if loan.due_on < today:
            won = Loan.objects.filter(NOT_TOLD_OVERDUE, pk=loan.pk, returned_at__isnull=True).update(
                overdue_reminded_for=F("due_on")
            )
        else:
            won = Loan.objects.filter(NOT_REMINDED, pk=loan.pk, returned_at__isnull=True).update(
                reminded_for=F("due_on")
            )
        if won:  # else another run got there first, or it came back meanwhile
            stamped.append(loan)
    if not stamped:
        return 0
    borrower = Loan.objects.select_related("resident__household__building", "resident__user").get(
        pk=stamped[0].pk
    )
    late = [loan for loan in stamped if loan.due_on < today]
    lines = [_line(loan, today) for loan in stamped]
    title = (
        _("Aids overdue: please bring them back")
        if late
        else _("Reminder: aids due back by %(day)s") % {"day": _day(stamped[0].due_on)}
    )
    body = "\n".join([*lines, _("To keep one longer, renew it or call the committee.")])
    return 1 if tell(contact_of(borrower.resident), title, body, reverse("aids:mine"), sms=True) else 0


def _day(day: date) -> str:
    return date_format(day, "MONTH_DAY_FORMAT")


def _line(loan: Loan, today: date) -> str:
    if loan.due_on < today:
        return _("%(item)s: was due back %(day)s") % {"item": loan.item, "day": _day(loan.due_on)}
    return _("%(item)s: due back %(day)s") % {"item": loan.item, "day": _day(loan.due_on)}


@periodic(every=600)
@task()
def expire_holds() -> str:
    try:
        return str(expire_due(timezone.now()))
    finally:
        queue_next(expire_holds)


@periodic(every=3600)
@task()
def remind_loans() -> str:
    try:
        return str(remind_due(timezone.localdate()))
    finally:
        queue_next(remind_loans)

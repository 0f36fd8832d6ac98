"""The shift reminder, a periodic job on the Tasks framework (see notifications.jobs): the day
before a shift (``settings.MULIN_SHIFT_REMIND_BEFORE``) everyone holding a place on it is told
in the app and by SMS, once. The shift is stamped (``reminded_at``) by a conditional UPDATE
before anyone is told, in the same transaction, so a repeated or overlapping run sends
nothing twice."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from common.formats import when_text
from notifications.jobs import periodic, queue_next
from volunteers.models import Shift
from volunteers.shifts import tell_claimers


def remind_due(now: datetime) -> int:
    """Remind the claimers of every shift starting within the reminder window that has not
    been reminded; the number of shifts reminded."""
    due = Shift.objects.open().filter(
        reminded_at__isnull=True, starts_at__gt=now, starts_at__lte=now + settings.MULIN_SHIFT_REMIND_BEFORE
    )
    done = 0
    for shift in due.order_by("starts_at", "pk"):
        with transaction.atomic():
            if not Shift.objects.filter(pk=shift.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue  # another run got there first
            tell_claimers(
                shift,
                _("Reminder: %(title)s") % {"title": shift.title},
                _(
                    "You are on %(title)s, %(when)s at %(place)s. "
                    "If you cannot come, tell the team leader or the committee."
                )
                % {"title": shift.title, "when": when_text(shift.starts_at), "place": shift.place},
                sms=True,
            )
            done += 1
    return done


@periodic(every=600)
@task()
def remind_shifts() -> str:
    try:
        return str(remind_due(timezone.now()))
    finally:
        queue_next(remind_shifts)

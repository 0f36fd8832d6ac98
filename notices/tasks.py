"""Delivering a notice to its audience, in the task worker.

Publishing queues ``deliver_notice``: at once, or to run at the scheduled time where the task
backend can defer work. ``manage.py deliver_notices`` (run it every few minutes from cron)
delivers whatever is due and not yet delivered, so a scheduled notice goes out even on a
backend that cannot defer, or after the worker was down. Delivery happens once per notice.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from notices.models import Notice
from notices.selectors import audience
from notifications.models import NotificationKind
from notifications.services import notify
from registry.selectors import accounts_of


def enqueue_delivery(notice_id: int, at: datetime) -> None:
    if default_task_backend.supports_defer:
        deliver_notice.using(run_after=at).enqueue(notice_id)


@task()
def deliver_notice(notice_id: int) -> int:
    """Notify everyone the notice is for (and the family members acting for them), once."""

    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("area").filter(pk=notice_id).first()
        if notice is None or notice.delivered_at or notice.state() != "published":
            return 0
        residents = audience(notice)
        notice.audience_size = residents.count()
        notice.delivered_at = timezone.now()
        notice.save(update_fields=["audience_size", "delivered_at"])
        return notify(
            accounts_of(residents),
            kind=NotificationKind.NOTICE,
            title=f"{notice.get_category_display()}：{notice.title}",
            body=notice.body[:200],
            url=notice.get_absolute_url(),
            sms=notice.send_sms,
        )


def deliver_due() -> int:
    """Deliver every notice that is due and has not gone out; the number delivered."""
    due = list(Notice.objects.published().filter(delivered_at__isnull=True).values_list("pk", flat=True))
    for pk in due:
        deliver_notice.call(pk)
    return Notice.objects.filter(pk__in=due, delivered_at__isnull=False).count()

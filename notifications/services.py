"""Sending a notification: the in-app copy at once, SMS and e-mail in the background.

The in-app rows are written in the caller's transaction, so a notice and its notifications
appear together or not at all; the outbound messages are queued after the commit, so a
slow or failing gateway never holds up a page or undoes the notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification

BATCH = 500


def notify(
    users: Iterable[User], *, kind: str, title: str, body: str = "", url: str = "", sms: bool = False
) -> int:
    """One notification per distinct active account; e-mail where the account has an address
    and wants it, SMS only when ``sms`` (an urgent or important message) and wanted."""
    unique = {user.pk: user for user in users if user.is_active}
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        [
            Notification(user_id=pk, kind=kind, title=title[:200], body=body, url=url, created_at=now)
            for pk in unique
        ],
        batch_size=BATCH,
    )
    outbound = [
        row.pk
        for row in rows
        if (sms and unique[row.user_id].sms_notifications)
        or (unique[row.user_id].email and unique[row.user_id].email_notifications)
    ]
    if outbound:
        from notifications.tasks import send_outbound

        for start in range(0, len(outbound), BATCH):
            transaction.on_commit(partial(send_outbound.enqueue, outbound[start : start + BATCH], sms))
    return len(rows)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read: the given ones, or all of them."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())

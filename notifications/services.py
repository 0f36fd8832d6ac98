"""Sending a notification: the in-app copy at once, SMS and e-mail in the background.

The in-app rows are written in the caller's transaction, so a notice and its notifications
appear together or not at all; the outbound messages are queued after the commit, so a
slow or failing gateway never holds up a page or undoes the notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from notifications.tasks import send_outbound

BATCH = 500


def notify(
    users: Iterable[User], *, kind: str, title: str, body: str = "", url: str = "", sms: bool = False
) -> int:
    """One notification per distinct active account; e-mail where the account has an address
    and wants it, SMS only when ``sms`` (an urgent or important message) and wanted."""
    unique = {user.pk: user for user in users}
    return notify_each([Message(user, title, body, url) for user in unique.values()], kind=kind, sms=sms)


@dataclass(frozen=True)
class Message:
    user: User
    title: str
    body: str = ""
    url: str = ""


def notify_each(messages: Iterable[Message], *, kind: str, sms: bool = False) -> int:
    """A different message to each account, written at once (a job telling every watcher
    about their own people); inactive accounts are skipped. Same channels as ``notify``."""
    wanted = [m for m in messages if m.user.is_active]
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        [
            Notification(
                user_id=m.user.pk, kind=kind, title=m.title[:200], body=m.body, url=m.url, created_at=now
            )
            for m in wanted
        ],
        batch_size=BATCH,
    )
    outbound = [
        row.pk
        for row, m in zip(rows, wanted, strict=True)
        if (sms and m.user.sms_notifications) or (m.user.email and m.user.email_notifications)
    ]
    if outbound:
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

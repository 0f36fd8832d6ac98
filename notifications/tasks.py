"""Outbound messages, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from notifications.backends import attempt, send_sms, signed, sms_backend
from notifications.models import Channel, Delivery, DeliveryStatus, Notification

log = logging.getLogger(__name__)
SMS_LIMIT = 140


def absolute(url: str) -> str:
    return f"{settings.MULIN_BASE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def sms_text(notification: Notification) -> str:
    """Title + link, short enough (signed 【睦邻】 by ``send_sms``) for two SMS segments at most."""
    link = absolute(notification.url) if notification.url else ""
    room = SMS_LIMIT - len(link) - len(signed("")) - 1
    title = notification.title if len(notification.title) <= room else notification.title[: room - 1] + "…"
    return f"{title} {link}".strip()


def _record(notification: Notification, channel: str, address: str, error: str) -> None:
    Delivery.objects.create(
        notification=notification,
        channel=channel,
        address=address,
        status=DeliveryStatus.FAILED if error else DeliveryStatus.SENT,
        error=error,
    )


@task()
def send_outbound(notification_ids: list[int], sms: bool) -> int:
    """SMS and e-mail for these notifications, each outcome written as a ``Delivery``."""
    sent = 0
    backend = sms_backend() if sms else None
    done = set(
        Delivery.objects.filter(notification_id__in=notification_ids).values_list(
            "notification_id", "channel"
        )
    )
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related("user"):
        user = notification.user
        if backend is not None and user.sms_notifications and (notification.pk, Channel.SMS) not in done:
            error = send_sms(user.phone, sms_text(notification), backend)
            _record(notification, Channel.SMS, user.phone, error)
            sent += 1
        if user.email and user.email_notifications and (notification.pk, Channel.EMAIL) not in done:
            body = f"{notification.body}\n\n{absolute(notification.url)}".strip()
            mail = partial(send_mail, notification.title, body, None, [user.email])
            _record(notification, Channel.EMAIL, user.email, attempt("E-mail", user.email, mail))
            sent += 1
    return sent

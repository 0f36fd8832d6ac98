"""What reaches a person: in the app always, by SMS or e-mail as well where asked for.

A notification is one message to one account. The in-app copy is the record; each SMS or
e-mail sent for it is a ``Delivery`` row, so staff can see that a message went out (or why
it did not) without the gateway's logs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedModel


class NotificationKind(models.TextChoices):
    NOTICE = "notice", _("Notice")
    ACTIVITY = "activity", _("Activity")
    ACCOUNT = "account", _("Account")
    DELIBERATION = "deliberation", _("Deliberation")
    CONVENTION = "convention", _("Convention")
    DEMAND = "demand", _("Request")
    VISIT = "visit", _("Visit")
    WATCH = "watch", _("Elderly watch")
    VOLUNTEER = "volunteer", _("Volunteers")
    BOOKING = "booking", _("Bookings of spaces")
    SERVICE_DAY = "service_day", _("Service days")
    CARE_AID = "care_aid", _("Care aids")
    MEAL = "meal", _("Meals")
    FUND = "fund", _("Community fund")
    PROJECT = "project", _("Projects and competitions")
    RECOGNITION = "recognition", _("Centres, talent and awards")


class Notification(AuditedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("to")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    # Private to its reader; staff never list other people's inboxes.
    scope_path = "user__home_area__path"
    audit_skip = "one row per recipient of every message: what caused it (a notice, an alert) is logged"

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at", "created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(AuditedModel):
    notification = models.ForeignKey(
        Notification, models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("to"), max_length=254)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices)
    error = models.CharField(_("error"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    scope_path = "notification__user__home_area__path"
    audit_skip = "a gateway's answer to one message, a log of its own read by staff"

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}"


class PhoneCode(AuditedModel):
    """A code sent by SMS to prove a mobile number is someone's (a volunteer who does not
    live here registers with one). Only its hash is kept; it expires, allows a few tries and
    cannot be sent again at once (``notifications.phone_codes`` holds the rules)."""

    phone = models.CharField(_("mobile number"), max_length=11)
    purpose = models.CharField(_("for"), max_length=30)
    # The committee (or street) it was asked for, where there is one.
    area = models.ForeignKey(
        "areas.Area", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("area")
    )
    code_hash = models.CharField(_("code (hashed)"), max_length=128)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    scope_path = "area__path"
    audit_exclude = frozenset({"code_hash"})

    class Meta:
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["phone", "purpose", "sent_at"], name="phone_code_latest")]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]} · {self.purpose}"

"""Partner units (共建单位): the school, clinic, fire station, firm or law office that builds the
community with a committee (江秋新苑 has 15), what they offer (doctors for a free clinic, a
room, a lawyer's hours, funds, film equipment) under a co-building agreement with its dates,
and what they gave.

A unit belongs to a committee, or to a street for units shared by all its committees. Its
people log in with the partner-unit role over that area and are linked to the unit as its
``PartnerContact``; they see their own unit only: its offers, the residents' requests assigned
to it (``demands.Demand.assignee_unit``) and the service shifts it staffs
(``volunteers.Shift.partner_unit``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet


class UnitKind(models.TextChoices):
    SCHOOL = "school", _("School")
    CLINIC = "clinic", _("Clinic or hospital")
    FIRE_STATION = "fire_station", _("Fire station")
    POLICE = "police", _("Police station")
    FIRM = "firm", _("Firm")
    LAW_OFFICE = "law_office", _("Law office")
    SOCIAL_ORG = "social_org", _("Social organisation")
    GOVERNMENT = "government", _("Government body")
    PROPERTY = "property", _("Property management")
    OTHER = "other", _("Other")


class OfferKind(models.TextChoices):
    DOCTORS = "doctors", _("Doctors or nurses")
    ROOM = "room", _("A room or ground")
    LEGAL = "legal", _("Legal advice")
    FUNDS = "funds", _("Funds")
    EQUIPMENT = "equipment", _("Equipment")
    VOLUNTEERS = "volunteers", _("Volunteers")
    TEACHING = "teaching", _("Teaching or talks")
    OTHER = "other", _("Other")


class PartnerUnitQuerySet(AuditedQuerySet["PartnerUnit"]):
    def current(self) -> PartnerUnitQuerySet:
        return self.filter(ended_at__isnull=True)


class PartnerUnit(AuditedModel):
    area = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        related_name="+",
        verbose_name=_("committee or street"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    about = models.TextField(_("about"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    ended_at = models.DateTimeField(_("no longer a partner since"), null=True, blank=True)

    objects = PartnerUnitQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "area__path"

    class Meta:
        verbose_name = _("partner unit")
        verbose_name_plural = _("partner units")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"], condition=Q(ended_at__isnull=True), name="one_current_unit_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:unit", args=[self.pk])


class Agreement(AuditedModel):
    """A co-building agreement (共建协议) and the period it covers."""

    unit = models.ForeignKey(PartnerUnit, models.CASCADE, related_name="agreements", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=120)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    terms = models.TextField(_("what both sides agree"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "unit__area__path"

    class Meta:
        verbose_name = _("co-building agreement")
        verbose_name_plural = _("co-building agreements")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Offer(AuditedModel):
    """Something a unit offers the community: "two doctors for the monthly free clinic"."""

    unit = models.ForeignKey(PartnerUnit, models.CASCADE, related_name="offers", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=OfferKind.choices)
    description = models.CharField(_("what"), max_length=200)
    amount = models.CharField(_("how much or how often"), max_length=100, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "unit__area__path"

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.description


class PartnerContact(AuditedModel):
    """A user who acts for a unit: logs in with the partner-unit role and sees this unit."""

    unit = models.ForeignKey(PartnerUnit, models.CASCADE, related_name="contacts", verbose_name=_("unit"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="partner_posts", verbose_name=_("user")
    )
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)

    scope_path = "unit__area__path"

    class Meta:
        verbose_name = _("unit contact")
        verbose_name_plural = _("unit contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "user"], condition=Q(until__isnull=True), name="one_current_contact"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.unit})"


class Contribution(AuditedModel):
    """What a unit gave on a day, beyond requests and shifts, which are counted where they
    are: "a free clinic, 2 doctors, 38 residents seen", "5,000 yuan for the lift fund"."""

    unit = models.ForeignKey(
        PartnerUnit, models.CASCADE, related_name="contributions", verbose_name=_("unit")
    )
    offer = models.ForeignKey(
        Offer, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("offer")
    )
    on = models.DateField(_("on"))
    what = models.CharField(_("what"), max_length=200)
    people_served = models.PositiveIntegerField(_("residents served"), default=0)
    hours = models.DecimalField(_("hours given"), max_digits=7, decimal_places=2, default=0)
    amount_yuan = models.DecimalField(_("funds (yuan)"), max_digits=12, decimal_places=2, default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    scope_path = "unit__area__path"

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(amount_yuan__gte=0), name="contribution_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.what

"""Household visits (四百走访: 进百家门、访百家情、解百家难、暖百家心).

A ``VisitPlan`` is a committee's plan to reach every one of its households within a period.
It is split into ``PlanShare``s: each building group (or, for a building standing outside
any building group, the building itself) is given to one worker: a social worker or lead of
the committee, or that group's building leader. A ``Visit`` is one entry in the log: a
household reached on a day, at the door, by phone or met outside, who was seen, what was
found and what they need. A need can become a request (诉求) of the demands app in the same
step; ``VisitDemand`` keeps the link from the visit to it.

A household counts as visited in a plan when it has a visit dated within the plan's period,
whoever made it: coverage follows the households, not the paperwork.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedModel


class Way(models.TextChoices):
    DOOR = "door", _("At their home")  # 入户
    PHONE = "phone", _("By phone")  # 电话
    OUTSIDE = "outside", _("Met outside")  # 路遇


class VisitPlan(AuditedModel):
    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    title = models.CharField(_("title"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["committee", "starts_on"], name="visit_plan_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="plan_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("visits:plan", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.committee.path

    def runs_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def is_running(self) -> bool:
        return self.runs_on(timezone.localdate())

    @property
    def is_over(self) -> bool:
        return self.ends_on < timezone.localdate()


class PlanShare(AuditedModel):
    """One building group (or a building outside any group) of a plan, given to one worker."""

    plan = models.ForeignKey(VisitPlan, models.CASCADE, related_name="shares", verbose_name=_("plan"))
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("building group or building")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="visit_shares", verbose_name=_("worker")
    )

    scope_path = "area__path"

    class Meta:
        verbose_name = _("share of a visit plan")
        verbose_name_plural = _("shares of visit plans")
        ordering = ["plan", "area__path"]
        constraints = [models.UniqueConstraint(fields=["plan", "area"], name="one_share_per_area")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.area} · {self.worker}"

    def audit_area_path(self) -> str:
        return self.area.path


class Visit(AuditedModel):
    household = models.ForeignKey(
        "registry.Household", models.PROTECT, related_name="visits", verbose_name=_("household")
    )
    visited_on = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    way = models.CharField(_("way"), max_length=10, choices=Way.choices, default=Way.DOOR)
    seen = models.ManyToManyField(
        "registry.Resident", blank=True, related_name="visits_seen", verbose_name=_("who was seen")
    )
    others = models.CharField(_("others seen"), max_length=200, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    scope_path = "household__building__path"
    # What was found in a home is personal data: the audit log notes that it changed, and the
    # visit itself (seen only by staff who may see people) keeps the text.
    audit_exclude = frozenset({"findings", "needs", "others"})

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["household", "visited_on"], name="visit_household_day")]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("visits:visit", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.household.building.path


class VisitDemand(AuditedModel):
    """A need found on a visit, raised as a request (诉求): the request keeps its own timeline."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="raised", verbose_name=_("visit"))
    demand = models.OneToOneField(
        "demands.Demand", models.PROTECT, related_name="from_visit", verbose_name=_("request")
    )

    scope_path = "visit__household__building__path"

    class Meta:
        verbose_name = _("request raised on a visit")
        verbose_name_plural = _("requests raised on visits")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.visit} → {self.demand_id}"

    def audit_area_path(self) -> str:
        return self.visit.household.building.path

"""Lending of care aids (辅具租借): wheelchairs, walkers, commodes, bath chairs, hospital beds.

- ``AidKind``: what a committee or street lends, with its loan policy: how long, how many
  renewals, the deposit, who is eligible (an age, or the registry's tags such as disabled)
  and whether staff approve.
- ``AidItem``: one wheelchair, numbered, kept at a site (``spaces.Site``), with its condition.
- ``Hold``: a resident's place in the queue for a kind. When an item is free it is set aside
  (``READY``) until ``expires_at``; a hold not collected by then expires and the next in the
  queue is served.
- ``Loan``: an item out with a resident, its condition going and coming back. An item is
  never out twice at once: a unique constraint on the item over loans not yet returned.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet


class AidCategory(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("Wheelchair")
    WALKER = "walker", _("Walker")
    CRUTCHES = "crutches", _("Crutches or stick")
    COMMODE = "commode", _("Commode chair")
    BATH_CHAIR = "bath_chair", _("Bath chair")
    HOSPITAL_BED = "hospital_bed", _("Hospital bed")
    OTHER = "other", _("Other")


class AidKindQuerySet(AuditedQuerySet["AidKind"]):
    def current(self) -> AidKindQuerySet:
        return self.filter(archived_at__isnull=True)


class AidKind(AuditedModel):
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee or street")
    )
    name = models.CharField(_("name"), max_length=60)
    category = models.CharField(_("category"), max_length=20, choices=AidCategory.choices)
    about = models.TextField(_("about"), blank=True)
    loan_days = models.PositiveSmallIntegerField(_("lent for this many days"), default=30)
    renewals = models.PositiveSmallIntegerField(_("renewals allowed"), default=1)
    renewal_days = models.PositiveSmallIntegerField(_("each renewal adds days"), default=30)
    deposit = models.DecimalField(_("deposit (yuan)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    min_age = models.PositiveSmallIntegerField(_("for residents aged at least"), null=True, blank=True)
    tags = models.CharField(_("or tagged"), max_length=200, blank=True)
    needs_approval = models.BooleanField(_("staff approve each request"), default=False)
    hold_days = models.PositiveSmallIntegerField(_("a set-aside item waits this many days"), default=3)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    archived_at = models.DateTimeField(_("no longer lent since"), null=True, blank=True)

    objects = AidKindQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "area__path"

    class Meta:
        verbose_name = _("kind of aid")
        verbose_name_plural = _("kinds of aid")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                condition=Q(archived_at__isnull=True),
                name="one_current_aid_kind_name",
            ),
            models.CheckConstraint(condition=Q(loan_days__gte=1), name="aid_loan_days_positive"),
            models.CheckConstraint(condition=Q(hold_days__gte=1), name="aid_hold_days_positive"),
            models.CheckConstraint(condition=Q(deposit__gte=0), name="aid_deposit_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("aids:kind", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        """The registry tags (``registry.models.Tag`` values) that make a resident eligible."""
        return [t for t in (part.strip() for part in self.tags.split(",")) if t]

    @property
    def is_open_to_all(self) -> bool:
        """No age and no tag asked: every resident of the area may borrow."""
        return self.min_age is None and not self.tag_list

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Condition(models.TextChoices):
    NEW = "new", _("New")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Worn but safe")
    NEEDS_REPAIR = "needs_repair", _("Needs repair")
    RETIRED = "retired", _("Retired")


class AidItemQuerySet(AuditedQuerySet["AidItem"]):
    def in_service(self) -> AidItemQuerySet:
        """Items that may be lent: not retired, not waiting for repair."""
        return self.exclude(condition__in=[Condition.RETIRED, Condition.NEEDS_REPAIR])


class AidItem(AuditedModel):
    kind = models.ForeignKey(AidKind, models.PROTECT, related_name="items", verbose_name=_("kind"))
    site = models.ForeignKey(
        "spaces.Site", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("kept at")
    )
    code = models.CharField(_("number"), max_length=30)
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    objects = AidItemQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "kind__area__path"

    class Meta:
        verbose_name = _("aid")
        verbose_name_plural = _("aids")
        ordering = ["kind", "code", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="one_aid_per_code")]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("aids:item", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.kind.area.path

    @property
    def is_in_service(self) -> bool:
        return self.condition not in (Condition.RETIRED, Condition.NEEDS_REPAIR)

    @property
    def needs_repair(self) -> bool:
        return self.condition == Condition.NEEDS_REPAIR

    @property
    def is_retired(self) -> bool:
        return self.condition == Condition.RETIRED


class HoldStatus(models.TextChoices):
    APPROVAL = "approval", _("Waiting for approval")
    WAITING = "waiting", _("In the queue")
    READY = "ready", _("Set aside, to collect")
    COLLECTED = "collected", _("Collected")
    EXPIRED = "expired", _("Not collected in time")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Declined")


OPEN_HOLDS = (HoldStatus.APPROVAL, HoldStatus.WAITING, HoldStatus.READY)


class HoldQuerySet(AuditedQuerySet["Hold"]):
    def open(self) -> HoldQuerySet:
        return self.filter(status__in=OPEN_HOLDS)


class Hold(AuditedModel):
    """A resident's place in the queue for a kind of aid; first asked, first served."""

    kind = models.ForeignKey(AidKind, models.PROTECT, related_name="holds", verbose_name=_("kind"))
    resident = models.ForeignKey("registry.Resident", models.PROTECT, related_name="+", verbose_name=_("for"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by")
    )
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=HoldStatus.choices)
    note = models.CharField(_("what for"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    item = models.ForeignKey(
        AidItem, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("item set aside")
    )
    ready_at = models.DateTimeField(_("set aside at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("collect by"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    reason = models.CharField(_("why"), max_length=200, blank=True)

    objects = HoldQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "kind__area__path"

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "resident"],
                condition=Q(status__in=["approval", "waiting", "ready"]),
                name="one_open_hold_per_kind",
            ),
            # An item is set aside for one hold at a time.
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="ready"), name="one_ready_hold_per_item"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status", "asked_at"], name="hold_queue")]

    def __str__(self) -> str:
        return f"{self.kind} · {self.resident}"

    def audit_area_path(self) -> str:
        return self.kind.area.path

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_HOLDS

    @property
    def is_approval(self) -> bool:
        return self.status == HoldStatus.APPROVAL

    @property
    def is_waiting(self) -> bool:
        return self.status == HoldStatus.WAITING

    @property
    def is_ready(self) -> bool:
        return self.status == HoldStatus.READY


class LoanQuerySet(AuditedQuerySet["Loan"]):
    def out(self) -> LoanQuerySet:
        return self.filter(returned_at__isnull=True)

    def overdue(self, today=None) -> LoanQuerySet:
        return self.out().filter(due_on__lt=today or timezone.localdate())


class Loan(AuditedModel):
    item = models.ForeignKey(AidItem, models.PROTECT, related_name="loans", verbose_name=_("item"))
    resident = models.ForeignKey(
        "registry.Resident", models.PROTECT, related_name="+", verbose_name=_("borrower")
    )
    hold = models.OneToOneField(
        Hold, models.SET_NULL, null=True, blank=True, related_name="loan", verbose_name=_("hold")
    )
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("lent by")
    )
    lent_at = models.DateTimeField(_("lent at"), default=timezone.now)
    due_on = models.DateField(_("due back"))
    renewals = models.PositiveSmallIntegerField(_("times renewed"), default=0)
    deposit = models.DecimalField(
        _("deposit taken (yuan)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    condition_out = models.CharField(_("condition when lent"), max_length=20, choices=Condition.choices)
    notes_out = models.CharField(_("notes when lent"), max_length=200, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned to"),
    )
    condition_back = models.CharField(
        _("condition when returned"), max_length=20, choices=Condition.choices, blank=True
    )
    notes_back = models.CharField(_("notes when returned"), max_length=200, blank=True)
    deposit_returned = models.DecimalField(
        _("deposit returned (yuan)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    # The due date the last reminder was about (a renewal moves the due date: a new reminder).
    reminded_for = models.DateField(_("reminded about the due date"), null=True, blank=True, editable=False)
    # The due date the overdue message was about: the reminder before and the one after the
    # due date are stamped apart, so each goes out once per due date.
    overdue_reminded_for = models.DateField(
        _("told it is overdue, for the due date"), null=True, blank=True, editable=False
    )

    objects = LoanQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "item__kind__area__path"

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(returned_at__isnull=True), name="item_lent_once"
            ),
            models.CheckConstraint(condition=Q(deposit__gte=0), name="loan_deposit_not_negative"),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_at__gte=F("lent_at")),
                name="loan_back_after_out",
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="loan_due", condition=Q(returned_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.item} → {self.resident}"

    def get_absolute_url(self) -> str:
        return reverse("aids:loan", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.item.kind.area.path

    @property
    def is_out(self) -> bool:
        return self.returned_at is None

    @property
    def is_overdue(self) -> bool:
        return self.returned_at is None and self.due_on < timezone.localdate()

    @property
    def days_overdue(self) -> int:
        return max(0, (timezone.localdate() - self.due_on).days) if self.returned_at is None else 0

    @property
    def came_back_damaged(self) -> bool:
        return self.condition_back in (Condition.NEEDS_REPAIR, Condition.RETIRED)

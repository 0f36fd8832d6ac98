"""Residents' requests (诉求 / 急难愁盼): what a resident asks the committee for, from a
broken light in the stairwell to a meal delivered every day, and what became of it.

A request is submitted online by the resident (or the family member acting for them), or
logged by staff from a phone call, a visit or someone walking in. Staff triage it into a
category, whose service level (hours) sets when it is due, and assign it to a social
worker or to an outside body (a partner unit, the property management, the owners'
committee). Every step is a ``DemandEvent``: the timeline the resident reads (internal
notes excepted). An overdue request escalates to the committee's lead once per due date.
Requests that keep coming back are grouped into a ``ServiceProject`` (形成服务项目).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet


class Category(AuditedModel):
    """A kind of request with its service level. City-wide defaults have no committee; a
    committee adds its own, and may change or retire a default for itself (``CategorySetting``)."""

    committee = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committee"),
        help_text=_("Empty: a city-wide default offered by every committee."),
    )
    name = models.CharField(_("name"), max_length=40)
    service_hours = models.PositiveIntegerField(_("service level (hours to resolve)"))
    elderly = models.BooleanField(_("service for the elderly"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=100)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    # Defaults (no committee) are visible to every scope; see selectors.categories_for.
    scope_path = "committee__path"

    class Meta:
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")
        ordering = ["position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"], condition=Q(committee__isnull=False), name="one_category_name"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(committee__isnull=True), name="one_default_category_name"
            ),
            models.CheckConstraint(condition=Q(service_hours__gte=1), name="category_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_area_path(self) -> str:
        return self.committee.path if self.committee else ""

    @property
    def is_default(self) -> bool:
        return self.committee_id is None


class CategorySetting(AuditedModel):
    """A committee's own service level for a default category, or that it retired it."""

    committee = models.ForeignKey("areas.Area", models.CASCADE, related_name="+", verbose_name=_("committee"))
    category = models.ForeignKey(
        Category, models.CASCADE, related_name="settings", verbose_name=_("category")
    )
    service_hours = models.PositiveIntegerField(_("service level (hours to resolve)"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("category setting")
        verbose_name_plural = _("category settings")
        constraints = [
            models.UniqueConstraint(fields=["committee", "category"], name="one_category_setting"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} · {self.category}"

    def audit_area_path(self) -> str:
        return self.committee.path


class DemandSource(models.TextChoices):
    ONLINE = "online", _("Online, by the resident")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Home visit")
    WALK_IN = "walk_in", _("Came to the office")


class DemandStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")


# Someone still has to act on these; the clock runs.
OPEN_STATUSES = (DemandStatus.NEW, DemandStatus.ASSIGNED, DemandStatus.IN_PROGRESS, DemandStatus.REOPENED)
FINISHED_STATUSES = (DemandStatus.CLOSED, DemandStatus.WITHDRAWN, DemandStatus.DECLINED)


class Assignee(models.TextChoices):
    """Who carries a request out: a social worker of the committee or an outside body."""

    WORKER = "worker", _("Social worker")
    PARTNER = "partner", _("Partner unit")
    PROPERTY = "property", _("Property management")
    OWNERS = "owners", _("Owners' committee")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ServiceProject(AuditedModel):
    """形成服务项目: similar requests grouped into one service, such as meal delivery."""

    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what it is for"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.TextField(_("what was done"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:project", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.committee.path

    @property
    def is_done(self) -> bool:
        return self.status == ProjectStatus.DONE

    @property
    def status_tone(self) -> str:
        """The badge's colour: done, dropped, or still to do."""
        tones = {ProjectStatus.DONE: "ok", ProjectStatus.DROPPED: "derived"}
        return tones.get(ProjectStatus(self.status), "tag")


class DemandQuerySet(AuditedQuerySet["Demand"]):
    def open(self) -> DemandQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now: datetime) -> DemandQuerySet:
        return self.open().filter(due_at__lt=now)

    def with_overdue(self, now: datetime) -> DemandQuerySet:
        """Annotates ``is_overdue``: open and past its due time at ``now``."""
        return self.annotate(
            is_overdue=models.Case(
                models.When(Q(status__in=OPEN_STATUSES, due_at__lt=now), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class Demand(AuditedModel):
    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    resident = models.ForeignKey(
        "registry.Resident", models.PROTECT, related_name="demands", verbose_name=_("resident it is for")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    source = models.CharField(
        _("how it came in"), max_length=10, choices=DemandSource.choices, default=DemandSource.ONLINE
    )
    category = models.ForeignKey(Category, models.PROTECT, related_name="demands", verbose_name=_("category"))
    text = models.TextField(_("what is needed"))
    # Where: the resident's home (``household``), or a public place described in words.
    household = models.ForeignKey(
        "registry.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("at home"),
    )
    place = models.CharField(_("public place"), max_length=120, blank=True)
    building = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building nearby"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DemandStatus.choices, default=DemandStatus.NEW
    )
    assignee_kind = models.CharField(_("assigned to"), max_length=10, choices=Assignee.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("social worker"),
    )
    assignee_name = models.CharField(_("outside body"), max_length=120, blank=True)
    # A partner unit it was given to: the unit's people see it, reply and mark it done.
    assignee_unit = models.ForeignKey(
        "partners.PartnerUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("partner unit"),
    )
    # Who assigned it: the one who follows up what went to an outside body.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due by"), null=True, blank=True)
    # Escalated to the lead for this due time; a new due time (reopening) may escalate again.
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_for = models.DateTimeField(null=True, blank=True, editable=False)
    resolution = models.TextField(_("what was done"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    declined_reason = models.TextField(_("why declined"), blank=True)
    rating = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the result"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    project = models.ForeignKey(
        ServiceProject,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("service project"),
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DemandQuerySet.as_manager()  # type: ignore[assignment, misc]  # an AuditedQuerySet of its own

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("request (诉求)")
        verbose_name_plural = _("requests (诉求)")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["committee", "status", "due_at"], name="demand_queue"),
            models.Index(fields=["assignee", "status"], name="demand_assignee"),
            models.Index(fields=["resident", "created_at"], name="demand_resident"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="demand_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category} · {self.text[:30]}"

    def get_absolute_url(self) -> str:
        """The staff page; residents read ``resident_url``."""
        return reverse("demands:detail", args=[self.pk])

    def resident_url(self) -> str:
        return reverse("demands:show", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.committee.path

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def may_start(self) -> bool:
        """Work starts on an assigned request only: ``services.start`` asks the same."""
        return self.status == DemandStatus.ASSIGNED

    @property
    def may_close(self) -> bool:
        """Only a resolved request closes (the resident may still reopen it until then)."""
        return self.status == DemandStatus.RESOLVED

    @property
    def may_join_project(self) -> bool:
        """A withdrawn or declined request is no one's work any more: it joins no project."""
        return self.status not in (DemandStatus.WITHDRAWN, DemandStatus.DECLINED)

    @property
    def awaits_rating(self) -> bool:
        """Resolved and not yet rated: the resident is asked to rate the result."""
        return self.status == DemandStatus.RESOLVED and self.rating is None

    @property
    def status_tone(self) -> str:
        """The badge's colour: finished well, finished without work, waiting for staff, or under way."""
        if self.status in (DemandStatus.RESOLVED, DemandStatus.CLOSED):
            return "ok"
        if self.status in (DemandStatus.WITHDRAWN, DemandStatus.DECLINED):
            return "derived"
        if self.status in (DemandStatus.NEW, DemandStatus.REOPENED):
            return "warn"
        return "tag"

    def overdue_at(self, now: datetime | None = None) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < (now or timezone.now())

    @property
    def where(self) -> str:
        """Home (the household's address) or the public place, as staff and residents read it."""
        if self.household:
            return self.household.address
        if self.building:
            return f"{self.place} ({self.building.name})" if self.place else self.building.name
        return self.place

    @property
    def reporter(self) -> User | None:
        """Who asked online on the resident's behalf (a family proxy), not the resident
        themself nor the staff who logged it: the other number a worker may call back."""
        if self.source != DemandSource.ONLINE or self.submitted_by_id is None:
            return None
        if self.submitted_by_id == self.resident.user_id:
            return None
        return self.submitted_by

    @property
    def assignee_label(self) -> str:
        if self.assignee_kind == Assignee.WORKER and self.assignee:
            return self.assignee.name
        if self.assignee_kind:
            label = str(Assignee(self.assignee_kind).label)
            return f"{label}: {self.assignee_name}" if self.assignee_name else label
        return ""


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    LOGGED = "logged", _("Logged by the committee")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Work started")
    REPLY = "reply", _("Reply from the committee")
    PARTNER_REPLY = "partner_reply", _("Reply from the partner unit")
    RESIDENT_REPLY = "resident_reply", _("Reply from the resident")
    NOTE = "note", _("Internal note")
    PHOTO = "photo", _("Photos added")
    RESOLVED = "resolved", _("Resolved")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")
    ESCALATED = "escalated", _("Escalated to the committee lead")
    PROJECT = "project", _("Part of a service project")


class DemandEvent(AuditedModel):
    """One step of a request's timeline. ``internal`` ones are for staff only."""

    demand = models.ForeignKey(Demand, models.CASCADE, related_name="events", verbose_name=_("request"))
    kind = models.CharField(_("what happened"), max_length=16, choices=EventKind.choices)
    text = models.TextField(_("text"), blank=True)
    internal = models.BooleanField(_("staff only"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    scope_path = "demand__committee__path"
    audit_skip = "the request's own changes are audited; this is their readable copy"

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["demand", "at"], name="demand_event_time")]

    def __str__(self) -> str:
        return f"{self.demand_id} · {self.get_kind_display()}"

    @property
    def is_photo(self) -> bool:
        """Photos were added: the text holds their count, not words."""
        return self.kind == EventKind.PHOTO


def photo_path(instance: DemandPhoto, filename: str) -> str:
    now = timezone.now()
    return f"demands/{now:%Y/%m}/{instance.stored_name}"


class DemandPhoto(AuditedModel):
    demand = models.ForeignKey(Demand, models.CASCADE, related_name="photos", verbose_name=_("request"))
    file = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    name = models.CharField(_("name"), max_length=200)
    stored_name = models.CharField(max_length=60, editable=False)
    size = models.PositiveIntegerField(_("size"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    scope_path = "demand__committee__path"

    class Meta:
        verbose_name = _("request photo")
        verbose_name_plural = _("request photos")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return Path(self.name).name

    def get_absolute_url(self) -> str:
        return reverse("demands:photo", args=[self.demand_id, self.pk])

    def audit_area_path(self) -> str:
        return self.demand.committee.path

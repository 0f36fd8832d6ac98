"""Notices (通知公告, 社区动态, 健康宣传): written by staff for an area, aimed at part of it.

A notice is published by an area (a committee, or a street for all its committees) and
targets areas under it (the whole committee, building groups, buildings), optionally only
residents with any of some tags. Who is meant is worked out from the registry when asked,
so someone who moves in tomorrow sees today's notices. Reads are kept per resident, so
building leaders can follow up in person with those who have not seen it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import ChosenArea, ancestor_paths
from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet


class NoticeCategory(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")  # 通知公告
    NEWS = "news", _("Community news")  # 社区动态
    HEALTH = "health", _("Health publicity")  # 健康宣传


class NoticeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NoticeQuerySet(AuditedQuerySet["Notice"]):
    def published(self, now=None) -> NoticeQuerySet:
        """Live now: publication time reached and not withdrawn."""
        return self.filter(publish_at__lte=now or timezone.now(), withdrawn_at__isnull=True)

    def reaching(self, path: str) -> NoticeQuerySet:
        """Notices targeted at ``path`` or at an area above it."""
        return self.filter(targets__area__path__in=[*ancestor_paths(path), path])


class Notice(AuditedModel):
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("published by"))
    category = models.CharField(_("category"), max_length=20, choices=NoticeCategory.choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    # "|living_alone|aged_80|": residents with any of these tags; empty: everyone targeted.
    target_tags = models.CharField(_("only residents tagged"), max_length=300, blank=True)
    publish_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    send_sms = models.BooleanField(_("also by SMS"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("why withdrawn"), max_length=200, blank=True)
    # Set once the audience has been notified; the number of residents it reached then.
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True, editable=False)
    audience_size = models.PositiveIntegerField(_("residents targeted"), default=0, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NoticeQuerySet.as_manager()  # type: ignore[assignment, misc]  # an AuditedQuerySet of its own
    scope_path = "area__path"

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-pinned", "-publish_at", "-pk"]
        indexes = [models.Index(fields=["area", "category", "publish_at"], name="notice_plan")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])

    @property
    def tags(self) -> list[str]:
        return [t for t in self.target_tags.split("|") if t]

    def state(self, now=None) -> str:
        if self.withdrawn_at:
            return NoticeState.WITHDRAWN
        if self.publish_at is None:
            return NoticeState.DRAFT
        return NoticeState.PUBLISHED if self.publish_at <= (now or timezone.now()) else NoticeState.SCHEDULED

    def get_state_display(self) -> str:
        return str(NoticeState(self.state()).label)

    @property
    def is_draft(self) -> bool:
        return self.state() == NoticeState.DRAFT

    @property
    def is_scheduled(self) -> bool:
        return self.state() == NoticeState.SCHEDULED

    @property
    def is_published(self) -> bool:
        """Live now: residents it is meant for read it, and reading it is recorded."""
        return self.state() == NoticeState.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        return self.state() == NoticeState.WITHDRAWN

    @property
    def may_withdraw(self) -> bool:
        """Scheduled or published: a draft is deleted instead, and a withdrawal is final."""
        return not self.withdrawn_at and self.publish_at is not None

    @property
    def is_public(self) -> bool:
        """Anyone with the link may read it, as on the lobby board, unless it is for tagged
        residents only (a notice to low-income households is not for passers-by)."""
        return not self.target_tags


class NoticeTarget(ChosenArea):
    notice = models.ForeignKey(Notice, models.CASCADE, related_name="targets", verbose_name=_("notice"))

    owner = "notice"
    scope_path = "notice__area__path"

    class Meta:
        verbose_name = _("notice target")
        verbose_name_plural = _("notice targets")
        constraints = [models.UniqueConstraint(fields=["notice", "area"], name="one_target_per_area")]

    def __str__(self) -> str:
        return f"{self.notice} → {self.area}"


def attachment_path(instance: Attachment, filename: str) -> str:
    now = timezone.now()
    return f"notices/{now:%Y/%m}/{instance.stored_name}"


class Attachment(AuditedModel):
    notice = models.ForeignKey(Notice, models.CASCADE, related_name="attachments", verbose_name=_("notice"))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("name"), max_length=200)
    stored_name = models.CharField(max_length=60, editable=False)
    size = models.PositiveIntegerField(_("size"), default=0)
    is_image = models.BooleanField(_("image"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_path = "notice__area__path"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notices:attachment", args=[self.notice_id, self.pk])


class ReadHow(models.TextChoices):
    ONLINE = "online", _("Read it online")
    PROXY = "proxy", _("Read by a family member")
    IN_PERSON = "in_person", _("Told in person")


class NoticeRead(AuditedModel):
    """A resident of the audience has seen the notice (or been told it)."""

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="reads", verbose_name=_("notice"))
    resident = models.ForeignKey(
        "registry.Resident", models.CASCADE, related_name="notice_reads", verbose_name=_("resident")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    how = models.CharField(_("how"), max_length=10, choices=ReadHow.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)

    scope_path = "resident__household__building__path"
    audit_skip = "thousands per notice; the notice's receipts page is their record"

    class Meta:
        verbose_name = _("notice read")
        verbose_name_plural = _("notice reads")
        constraints = [models.UniqueConstraint(fields=["notice", "resident"], name="one_read_per_resident")]

    def __str__(self) -> str:
        return f"{self.resident} · {self.notice}"

    @property
    def by_someone_else(self) -> bool:
        """Read by a family member or told in person: who did it is worth naming."""
        return self.how != ReadHow.ONLINE


def first_of_this_month():
    return timezone.localdate().replace(day=1)


class Cadence(AuditedModel):
    """A committee's publicity plan for one category: so many notices a month."""

    committee = models.ForeignKey("areas.Area", models.CASCADE, related_name="+", verbose_name=_("committee"))
    category = models.CharField(_("category"), max_length=20, choices=NoticeCategory.choices)
    per_month = models.PositiveSmallIntegerField(_("per month"))
    # The first month the plan applies to: months before it are not judged against it.
    since = models.DateField(_("from the month of"), default=first_of_this_month)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("publicity cadence")
        verbose_name_plural = _("publicity cadences")
        constraints = [
            models.UniqueConstraint(fields=["committee", "category"], name="one_cadence_per_category"),
            models.CheckConstraint(condition=Q(per_month__gte=1, per_month__lte=31), name="cadence_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} · {self.get_category_display()} × {self.per_month}"

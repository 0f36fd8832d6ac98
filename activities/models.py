"""Activities (活动报名): what a committee organises, who may come, who signed up, who came.

An activity has a time, a place, a capacity and a registration window, and is open to its
committee or to some building groups or buildings, to an age range and, optionally, to
residents with some tags. Recurring classes (the calligraphy class four times a month) are
a ``Series`` of activities; a resident signs up for one session or for all that are left.
Places are taken under a lock on the activity row, so it never oversells: when it is full,
sign-ups wait in arrival order and are promoted when a place frees.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import ChosenArea
from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet


class Series(AuditedModel):
    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    title = models.CharField(_("title"), max_length=120)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title


def came_q(signup: str = "", activity: str = "activity__") -> Q:
    """Sign-ups that count as someone having come (受益人次): checked in, and not before check-in
    opened (``MULIN_CHECKIN_OPENS_BEFORE`` before the start). A check-in days ahead, as was once
    possible, is not a beneficiary. ``signup`` and ``activity`` are the lookups from the queried
    model to the sign-up and to its activity."""
    return Q(
        **{
            f"{signup}checked_in_at__isnull": False,
            f"{signup}checked_in_at__gte": F(f"{activity}starts_at") - settings.MULIN_CHECKIN_OPENS_BEFORE,
        }
    )


class ActivityQuerySet(AuditedQuerySet["Activity"]):
    def published(self) -> ActivityQuerySet:
        return self.filter(published_at__isnull=False, cancelled_at__isnull=True)

    def upcoming(self, now=None) -> ActivityQuerySet:
        return self.filter(ends_at__gte=now or timezone.now())

    def with_counts(self) -> ActivityQuerySet:
        """Each activity with ``waiting`` (on the waiting list) and ``came`` (checked in)
        beside ``confirmed`` (places taken): the waiting list is never counted as signed up."""
        return self.annotate(
            waiting=models.Count("signups", filter=Q(signups__status=SignupStatus.WAITING), distinct=True),
            came=models.Count("signups", filter=came_q("signups__", ""), distinct=True),
        )


class Activity(AuditedModel):
    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    series = models.ForeignKey(
        Series, models.CASCADE, null=True, blank=True, related_name="activities", verbose_name=_("series")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # The team that organises it (a tai-chi team's weekly practice, a service team's day).
    team = models.ForeignKey(
        "volunteers.Team",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organised by team"),
    )
    place = models.CharField(_("place"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    opens_at = models.DateTimeField(_("sign-up opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("sign-up closes"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    # "|aged_80|living_alone|": only residents with any of these tags; empty: anyone eligible.
    tags = models.CharField(_("only residents tagged"), max_length=300, blank=True)
    # Places taken; changed only under the row lock in signups.register/cancel.
    confirmed = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=200, blank=True)
    # After the activity: a short summary, published with its photos as community news.
    summary = models.TextField(_("summary"), blank=True)
    review = models.ForeignKey(
        "notices.Notice",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("review in the news"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActivityQuerySet.as_manager()  # type: ignore[assignment, misc]  # an AuditedQuerySet of its own
    audit_skip_fields = {"confirmed": "places taken, recounted from the sign-ups, which are logged"}
    scope_path = "committee__path"

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["committee", "starts_at"], name="activity_calendar")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split("|") if t]

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)

    @property
    def is_over(self) -> bool:
        """Ended: the opposite of ``ActivityQuerySet.upcoming``."""
        return self.ends_at < timezone.now()

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.confirmed >= self.capacity

    # Check-in at the door: from shortly before the start to a while after the end (settings),
    # so that signing in days ahead can never count as having come. ``signups.check_in`` holds it.

    @property
    def check_in_opens_at(self):
        return self.starts_at - settings.MULIN_CHECKIN_OPENS_BEFORE

    @property
    def check_in_closes_at(self):
        return self.ends_at + settings.MULIN_CHECKIN_CLOSES_AFTER

    def check_in_phase(self, now=None) -> str:
        """ "not_yet", "open" or "over" (then only the paper sheet may be entered, afterwards)."""
        now = now or timezone.now()
        if now < self.check_in_opens_at:
            return "not_yet"
        return "open" if now <= self.check_in_closes_at else "over"

    @property
    def check_in_is_open(self) -> bool:
        return self.check_in_phase() == "open"

    @property
    def check_in_is_over(self) -> bool:
        return self.check_in_phase() == "over"


class ActivityArea(ChosenArea):
    """Only residents under these areas may sign up; none: the whole committee."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="areas", verbose_name=_("activity"))

    owner = "activity"
    scope_path = "activity__committee__path"

    class Meta:
        verbose_name = _("eligible area")
        verbose_name_plural = _("eligible areas")
        constraints = [models.UniqueConstraint(fields=["activity", "area"], name="one_activity_area")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.area}"


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SignupVia(models.TextChoices):
    SELF = "self", _("By themself")
    PROXY = "proxy", _("By a family member")
    HOUSEHOLD = "household", _("By a member of the household")
    STAFF = "staff", _("By staff")
    WALK_IN = "walk_in", _("Walked in")


class Signup(AuditedModel):
    """One resident's registration for one session. Waiting order is the order of ``pk``:
    sign-ups are written under the activity's row lock, one after another."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="signups", verbose_name=_("activity"))
    resident = models.ForeignKey(
        "registry.Resident", models.CASCADE, related_name="signups", verbose_name=_("resident")
    )
    status = models.CharField(_("status"), max_length=10, choices=SignupStatus.choices)
    via = models.CharField(_("how"), max_length=10, choices=SignupVia.choices, default=SignupVia.SELF)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("given a place at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    scope_path = "resident__household__building__path"

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "resident"],
                condition=~Q(status="cancelled"),
                name="one_live_signup_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="rating_one_to_five"
            ),
        ]
        indexes = [models.Index(fields=["activity", "status"], name="signup_by_status")]

    def __str__(self) -> str:
        return f"{self.resident} · {self.activity}"

    @property
    def has_place(self) -> bool:
        return self.status == SignupStatus.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.status == SignupStatus.WAITING

    @property
    def is_cancelled(self) -> bool:
        return self.status == SignupStatus.CANCELLED

    @property
    def by_someone_else(self) -> bool:
        """Signed up by a family member, staff or at the door, not by the resident: worth saying how."""
        return self.via != SignupVia.SELF

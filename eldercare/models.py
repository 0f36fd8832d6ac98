"""The elderly watch (日看窗帘夜看灯): residents the committee keeps an eye on every day.

A ``Watch`` puts one resident (living alone, in an elderly-only household, aged 80+…) on
the committee's list, with ``Watcher`` accounts (a building leader, a volunteer, a
neighbour) who look in on them and a family contact. Each day has two slots: by the day
cutoff someone records that the curtains were opened (or a call was answered, a visit
made), by the night cutoff that the light is on. A slot with no ``Check`` by its cutoff
raises an ``Alert`` that climbs watcher → social workers → family contact, each step after
the delay set in the committee's ``WatchPolicy``, until someone acknowledges it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedModel

DEFAULT_DAY_CUTOFF = time(10, 0)
DEFAULT_NIGHT_CUTOFF = time(20, 0)
DEFAULT_NIGHT_FROM = time(16, 0)
# Dawn: the day's window opens. Before it, the night before is still running (a light seen on
# at 05:49 is that night's), and nothing yet proves the new day (curtains open then are the
# night's, left open). See ``eldercare.rules.placement``.
DAWN = time(6, 0)
DEFAULT_WORKERS_AFTER = 60
DEFAULT_FAMILY_AFTER = 120


# Callables, not the times themselves, as the fields' defaults: Django warns of a fixed
# time default (fields.W161) whenever its checks run within ten seconds of that time of day
# in UTC, and `check --deploy --fail-level WARNING` then fails (for 20 s at 18:00, 04:00 and
# midnight Shanghai time).
def watch_day(moment: datetime | None = None) -> date:
    """The day whose two slots are running at ``moment`` (now by default), in Shanghai time:
    its calendar date from dawn on, the day before until dawn (its night is not over)."""
    here = timezone.localtime(moment)
    return here.date() - timedelta(days=1) if here.time() < DAWN else here.date()


def default_day_cutoff() -> time:
    return DEFAULT_DAY_CUTOFF


def default_night_cutoff() -> time:
    return DEFAULT_NIGHT_CUTOFF


def default_night_from() -> time:
    return DEFAULT_NIGHT_FROM


class WatchStatus(models.TextChoices):
    ACTIVE = "active", _("Watched")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class StopReason(models.TextChoices):
    """Why a watch is paused or ended."""

    IN_HOSPITAL = "in_hospital", _("In hospital")
    FAMILY_MOVED_IN = "family_moved_in", _("Family moved in")
    AWAY = "away", _("Staying with family for a while")
    MOVED_OUT = "moved_out", _("Moved out")
    DIED = "died", _("Died")
    OTHER = "other", _("Other reason")


class WatcherKind(models.TextChoices):
    BUILDING_LEADER = "building_leader", _("Building leader")
    VOLUNTEER = "volunteer", _("Volunteer")
    NEIGHBOUR = "neighbour", _("Neighbour")
    SOCIAL_WORKER = "social_worker", _("Social worker")


class Slot(models.TextChoices):
    DAY = "day", _("Day (curtains)")
    NIGHT = "night", _("Night (light)")


class CalendarMark(models.TextChoices):
    """How a slot of a past day reads on a watch's calendar: in words, never by colour alone."""

    SEEN = "seen", _("seen")
    MISSED = "missed", _("missed")
    DUE = "due", _("not yet due")
    OFF = "off", _("nothing due")

    @property
    def symbol(self) -> str:
        return {"seen": "✓", "missed": "✗", "due": "…"}.get(self.value, "—")


class CheckKind(models.TextChoices):
    CURTAINS = "curtains", _("Curtains opened")
    LIGHT = "light", _("Light on")
    CALL = "call", _("Call answered")
    VISIT = "visit", _("Visited, all well")
    CONCERN = "concern", _("Something is wrong")


# Which slot a check fills: the curtains the day, the light the night; a call, a visit or a
# concern the slot whose window holds the moment it is recorded (the day from dawn to
# ``WatchPolicy.night_from``, the night from then until the next dawn); see
# ``eldercare.rules.placement``.


class AlertLevel(models.IntegerChoices):
    """How far an alert has climbed."""

    WATCHERS = 1, _("Watchers told")
    WORKERS = 2, _("Social workers told")
    FAMILY = 3, _("Family told")


class Cause(models.TextChoices):
    MISSED = "missed", _("No check by the cutoff")
    CONCERN = "concern", _("A watcher saw something wrong")


class FamilyReach(models.TextChoices):
    """How the family step reached the contact."""

    ACCOUNT = "account", _("Through their account")
    SMS_QUEUED = "sms_queued", _("SMS to their phone on its way")
    SMS = "sms", _("By SMS to their phone")
    SMS_FAILED = "sms_failed", _("SMS to their phone failed")
    NOBODY = "nobody", _("No family contact recorded")


class Outcome(models.TextChoices):
    FINE = "fine", _("Fine")
    HELP_SENT = "help_sent", _("Help sent")
    HOSPITAL = "hospital", _("Taken to hospital")
    OTHER = "other", _("Other")


class WatchPolicy(AuditedModel):
    """A committee's cutoffs and escalation delays; watches may override the cutoffs."""

    committee = models.OneToOneField(
        "areas.Area", models.CASCADE, related_name="watch_policy", verbose_name=_("committee")
    )
    day_cutoff = models.TimeField(_("curtains checked by"), default=default_day_cutoff)
    night_cutoff = models.TimeField(_("light checked by"), default=default_night_cutoff)
    night_from = models.TimeField(
        _("a call or visit counts for the night from"),
        default=default_night_from,
        help_text=_("Before this time a call or visit counts as the day check, after it as the night check."),
    )
    workers_after = models.PositiveSmallIntegerField(
        _("minutes until social workers are told"), default=DEFAULT_WORKERS_AFTER
    )
    family_after = models.PositiveSmallIntegerField(
        _("minutes more until the family is told"), default=DEFAULT_FAMILY_AFTER
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("watch policy")
        verbose_name_plural = _("watch policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(night_cutoff__gt=models.F("day_cutoff")), name="watch_night_after_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee}: {self.day_cutoff:%H:%M} / {self.night_cutoff:%H:%M}"

    def audit_area_path(self) -> str:
        return self.committee.path


class Watch(AuditedModel):
    resident = models.ForeignKey(
        "registry.Resident", models.PROTECT, related_name="watches", verbose_name=_("resident")
    )
    # The resident's committee (a resident never changes committee): the job groups by it.
    committee = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"), editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=WatchStatus.choices, default=WatchStatus.ACTIVE
    )
    stop_reason = models.CharField(
        _("why paused or ended"), max_length=20, choices=StopReason.choices, blank=True
    )
    stop_note = models.CharField(_("note"), max_length=200, blank=True)
    # Checks are due from this day: the day after the watch starts or resumes.
    checks_from = models.DateField(_("checks due from"))
    day_cutoff = models.TimeField(_("curtains checked by"), null=True, blank=True)
    night_cutoff = models.TimeField(_("light checked by"), null=True, blank=True)
    family_name = models.CharField(_("family contact"), max_length=50, blank=True)
    family_relation = models.CharField(_("relation"), max_length=30, blank=True)
    family_phone = models.CharField(_("family contact's phone"), max_length=24, blank=True)
    family_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("family contact's account"),
    )
    note = models.CharField(_("note for watchers"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("on the list since"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    scope_path = "resident__household__building__path"

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=~Q(status="ended"), name="one_open_watch_per_resident"
            )
        ]
        indexes = [models.Index(fields=["status", "committee"], name="watch_status_committee")]

    def __str__(self) -> str:
        return str(self.resident)

    def get_absolute_url(self) -> str:
        return reverse("eldercare:watch", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.resident.household.building.path

    @property
    def is_active(self) -> bool:
        return self.status == WatchStatus.ACTIVE

    @property
    def is_paused(self) -> bool:
        return self.status == WatchStatus.PAUSED

    @property
    def is_ended(self) -> bool:
        """Ended for good: nothing more is recorded or changed; the resident is added afresh."""
        return self.status == WatchStatus.ENDED

    def checks_due_on(self, day: date) -> bool:
        """Checks are due on a day when the watch runs and had started by then."""
        return self.is_active and self.checks_from <= day

    @property
    def checks_due_today(self) -> bool:
        return self.checks_due_on(watch_day())


class Watcher(AuditedModel):
    watch = models.ForeignKey(Watch, models.CASCADE, related_name="watchers", verbose_name=_("watch"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="watching", verbose_name=_("account")
    )
    kind = models.CharField(_("as"), max_length=20, choices=WatcherKind.choices)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    ended_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    scope_path = "watch__resident__household__building__path"

    class Meta:
        verbose_name = _("watcher")
        verbose_name_plural = _("watchers")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["watch", "user"], condition=Q(ended_at__isnull=True), name="one_active_watcher"
            )
        ]
        indexes = [models.Index(fields=["user", "ended_at"], name="watcher_user")]

    def __str__(self) -> str:
        return f"{self.user.name} → {self.watch}"

    def audit_area_path(self) -> str:
        return self.watch.resident.household.building.path


class Check(AuditedModel):
    """One look at one person: who, when, what they saw."""

    watch = models.ForeignKey(Watch, models.CASCADE, related_name="checks", verbose_name=_("watch"))
    # The watch day whose slot it fills: a check before dawn is the night before's.
    day = models.DateField(_("day"))
    # Blank: outside its slot's window (a light seen at noon, curtains before dawn): recorded,
    # but proving no slot.
    slot = models.CharField(_("slot"), max_length=5, choices=Slot.choices, blank=True)
    kind = models.CharField(_("what"), max_length=10, choices=CheckKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("recorded at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )

    scope_path = "watch__resident__household__building__path"
    audit_skip = "two a day for every watched resident, each already saying who and when: a log of its own"

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["watch", "day", "slot"], name="check_watch_day_slot")]

    def __str__(self) -> str:
        return f"{self.watch} {self.day} {self.get_kind_display()}"


class Alert(AuditedModel):
    watch = models.ForeignKey(Watch, models.CASCADE, related_name="alerts", verbose_name=_("watch"))
    committee = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"), editable=False
    )
    day = models.DateField(_("day"))
    slot = models.CharField(_("slot"), max_length=5, choices=Slot.choices)
    cause = models.CharField(_("cause"), max_length=10, choices=Cause.choices, default=Cause.MISSED)
    level = models.PositiveSmallIntegerField(
        _("escalation"), choices=AlertLevel.choices, default=AlertLevel.WATCHERS
    )
    raised_at = models.DateTimeField(_("raised at"))
    # When the next steps fall due, fixed when raised from the committee's delays.
    workers_due_at = models.DateTimeField(_("social workers told from"))
    family_due_at = models.DateTimeField(_("family told from"))
    workers_told_at = models.DateTimeField(_("social workers told at"), null=True, blank=True)
    family_told_at = models.DateTimeField(_("family told at"), null=True, blank=True)
    # How the family was reached: their account, or an SMS straight to the phone (and its outcome).
    family_reached = models.CharField(
        _("family reached"), max_length=12, choices=FamilyReach.choices, blank=True
    )
    raised_by_check = models.ForeignKey(
        Check, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("raised by")
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("what happened"), max_length=300, blank=True)
    resolved_by_check = models.ForeignKey(
        Check, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("resolved by")
    )

    scope_path = "watch__resident__household__building__path"

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            # Repeated or concurrent runs of the cutoff job never raise a second alert.
            models.UniqueConstraint(
                fields=["watch", "day", "slot"], condition=Q(cause="missed"), name="one_missed_alert_per_slot"
            )
        ]
        indexes = [
            models.Index(fields=["closed_at", "acknowledged_at", "level"], name="alert_open"),
            models.Index(fields=["committee", "closed_at"], name="alert_committee"),
        ]

    def __str__(self) -> str:
        return f"{self.watch} {self.day} {self.get_slot_display()}"

    def get_absolute_url(self) -> str:
        return reverse("eldercare:alert", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.watch.resident.household.building.path

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_concern(self) -> bool:
        """Raised by a watcher who saw something wrong, not by a missed cutoff."""
        return self.cause == Cause.CONCERN

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

"""Service days (便民服务日): a morning at a service point with stalls residents queue at.

- ``ServiceDay``: one day at a site (江秋新苑's four service points hold one every month;
  延长新村's 暖冬集市), planned month by month, published to the committee's residents.
- ``Stall``: haircut, knife sharpening, blood pressure… staffed by a volunteer ``Shift``
  (``volunteers``), a partner unit, or named staff. Each stall keeps its ticket counter
  ``last_number``, raised by one ``UPDATE … SET last_number = last_number + 1`` so two people
  never get the same number, whether on a phone or on paper.
- ``Ticket``: a queue number: when it was taken, called, served or marked absent. Served
  tickets are the day's beneficiaries (受益人次); called − taken is the wait.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet


class ServiceDayQuerySet(AuditedQuerySet["ServiceDay"]):
    def held(self) -> ServiceDayQuerySet:
        """Not cancelled."""
        return self.filter(cancelled_at__isnull=True)

    def published(self) -> ServiceDayQuerySet:
        return self.held().filter(published_at__isnull=False)

    def on_day(self, day: date) -> ServiceDayQuerySet:
        """Starting on ``day`` (local time)."""
        start = timezone.make_aware(datetime.combine(day, time.min))
        return self.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))


class ServiceDay(AuditedModel):
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    site = models.ForeignKey(
        "spaces.Site",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service point"),
    )
    title = models.CharField(_("title"), max_length=120)
    place = models.CharField(_("where"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    about = models.TextField(_("about"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=200, blank=True)

    objects = ServiceDayQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "area__path"

    class Meta:
        verbose_name = _("service day")
        verbose_name_plural = _("service days")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="serviceday_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["area", "starts_at"], name="serviceday_calendar")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("servicedays:day", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.cancelled_at is None

    @property
    def is_draft(self) -> bool:
        return self.published_at is None and self.cancelled_at is None

    @property
    def where(self) -> str:
        """The service point's name, and the spot there if one is given."""
        parts = [self.site.name if self.site_id and self.site else "", self.place]
        return " · ".join(p for p in parts if p)


class StallQuerySet(AuditedQuerySet["Stall"]):
    def open(self) -> StallQuerySet:
        return self.filter(opened_at__isnull=False, closed_at__isnull=True)


class Stall(AuditedModel):
    service_day = models.ForeignKey(
        ServiceDay, models.CASCADE, related_name="stalls", verbose_name=_("service day")
    )
    name = models.CharField(_("stall"), max_length=60)
    service = models.ForeignKey(
        "volunteers.Service",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    shift = models.OneToOneField(
        "volunteers.Shift",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="stall",
        verbose_name=_("volunteer shift"),
    )
    partner_unit = models.ForeignKey(
        "partners.PartnerUnit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner unit"),
    )
    staff_names = models.CharField(_("staffed by"), max_length=200, blank=True)
    # Most tickets the stall hands out (a haircut takes time); empty: no limit.
    max_tickets = models.PositiveSmallIntegerField(_("most numbers to hand out"), null=True, blank=True)
    # Raised only by ``UPDATE … SET last_number = last_number + 1``: the stall's number sequence.
    last_number = models.PositiveIntegerField(_("last number given"), default=0, editable=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    # The lobby display's copy of the last numbers called, newest first ("12 11 10 9 8"): kept
    # by ``queue.call_next`` and ``queue.recall`` under the stall's row lock, so the display
    # reads the stall rows only, however many tickets the day has.
    recent_calls = models.CharField(_("last numbers called"), max_length=60, blank=True, editable=False)

    objects = StallQuerySet.as_manager()  # type: ignore[assignment, misc]
    audit_skip_fields = {
        "last_number": "the ticket counter, each ticket is logged",
        "recent_calls": "the lobby display's copy of the last calls, each call is logged on its ticket",
    }
    scope_path = "service_day__area__path"

    class Meta:
        verbose_name = _("stall")
        verbose_name_plural = _("stalls")
        ordering = ["service_day", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["service_day", "name"], name="one_stall_name_per_day"),
            models.CheckConstraint(
                condition=Q(max_tickets__isnull=True) | Q(last_number__lte=F("max_tickets")),
                name="stall_never_over_its_numbers",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_area_path(self) -> str:
        return self.service_day.area.path

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def calls(self) -> list[int]:
        """The last numbers called, newest first."""
        return [int(n) for n in self.recent_calls.split()]

    @property
    def is_full(self) -> bool:
        return self.max_tickets is not None and self.last_number >= self.max_tickets


class TicketQuerySet(AuditedQuerySet["Ticket"]):
    def waiting(self) -> TicketQuerySet:
        return self.filter(called_at__isnull=True, cancelled_at__isnull=True)

    def served(self) -> TicketQuerySet:
        return self.filter(served_at__isnull=False)


class Ticket(AuditedModel):
    stall = models.ForeignKey(Stall, models.CASCADE, related_name="tickets", verbose_name=_("stall"))
    number = models.PositiveIntegerField(_("number"))
    # Taken on a phone: the user (and the resident, when they are in the registry). On paper: neither.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    resident = models.ForeignKey(
        "registry.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    paper = models.BooleanField(_("paper ticket"), default=False)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    # Called again (the resident missed it): the lobby display shows it among the latest again;
    # ``called_at`` stays the first call, which the wait is measured to.
    recalled_at = models.DateTimeField(_("called again at"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("called by"),
    )
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    absent_at = models.DateTimeField(_("marked absent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("given up at"), null=True, blank=True)

    objects = TicketQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "stall__service_day__area__path"

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["stall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["stall", "number"], name="one_ticket_per_number"),
            models.CheckConstraint(
                condition=Q(served_at__isnull=True) | Q(absent_at__isnull=True),
                name="ticket_served_or_absent",
            ),
            models.CheckConstraint(
                condition=(Q(served_at__isnull=True) & Q(absent_at__isnull=True))
                | Q(called_at__isnull=False),
                name="ticket_called_before_done",
            ),
        ]
        indexes = [models.Index(fields=["stall", "called_at"], name="ticket_calls")]

    def __str__(self) -> str:
        return f"{self.stall} {self.number}"

    def audit_area_path(self) -> str:
        return self.stall.service_day.area.path

    @property
    def is_waiting(self) -> bool:
        return self.called_at is None and self.cancelled_at is None

    @property
    def is_called(self) -> bool:
        """Called, and neither served nor marked absent yet: the resident should come now."""
        return self.called_at is not None and self.served_at is None and self.absent_at is None

    @property
    def is_served(self) -> bool:
        return self.served_at is not None

    @property
    def is_absent(self) -> bool:
        return self.absent_at is not None

    @property
    def is_given_up(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_live(self) -> bool:
        """Still in the queue: waiting or called, not yet done with."""
        return self.cancelled_at is None and self.served_at is None and self.absent_at is None

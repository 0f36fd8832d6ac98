"""Spaces and bookings (空间预约): the rooms, halls, fields and outdoor areas residents come to.

- ``Site``: a place on the committee's plan that holds spaces, service days and care aids: the
  committee's own office, a service point (江秋新苑's four, 500 m apart), a centre or practice
  station (党群服务站, 800 m²), an outdoor area.
- ``Space``: what can be booked at a site (延长新村's five 5H spaces), with its capacity,
  equipment, photos, weekly ``OpeningHours``, ``Closure``s and its rules: who may book it
  (``open_to_*``), an ``AudienceRule`` (天山河畔's field: free to residents 55+ on weekday
  mornings), teams' ``PrioritySlot``s, whether staff approve, how far ahead.
- ``Booking``: one stretch of time in one space. Two live bookings of a space never overlap:
  on PostgreSQL an exclusion constraint over ``tstzrange(starts_at, ends_at)``, on SQLite a
  trigger that aborts the insert or update (migration 0002). ``BookingSeries`` is a repeating
  booking (the 太极拳 team, Tuesdays and Thursdays 7–9), one object owning its dates.
- ``Season`` and ``SlotApplication``: once a season teams apply for their regular slots and
  staff allocate them, which creates the series.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet

# Bookings in these states hold their time: the database refuses another over it.
LIVE_STATUSES = ("pending", "confirmed")
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def weekday_set(text: str) -> set[int]:
    """``"1,3"`` → ``{1, 3}`` (Monday is 0), as ``weekdays`` fields store them."""
    return {int(part) for part in text.split(",") if part.strip().isdigit()}


class SiteKind(models.TextChoices):
    OFFICE = "office", _("Committee office")
    SERVICE_POINT = "service_point", _("Service point")
    CENTRE = "centre", _("Centre or practice station")
    OUTDOOR = "outdoor", _("Outdoor area")


class SiteQuerySet(AuditedQuerySet["Site"]):
    def current(self) -> SiteQuerySet:
        return self.filter(closed_at__isnull=True)


class Site(AuditedModel):
    """Where residents come: an office, a service point, a centre, an outdoor area."""

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee or street")
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    about = models.TextField(_("about"), blank=True)
    hours_note = models.CharField(_("when it is open"), max_length=120, blank=True)
    # Where it stands on the committee's plan (the community map), percent across and down.
    map_x = models.DecimalField(
        _("map position across"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    map_y = models.DecimalField(_("map position down"), max_digits=4, decimal_places=1, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = SiteQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "area__path"

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"], condition=Q(closed_at__isnull=True), name="one_current_site_name"
            ),
            models.CheckConstraint(
                condition=Q(map_x__isnull=True) | Q(map_x__gte=0, map_x__lte=100), name="site_map_x_in_plan"
            ),
            models.CheckConstraint(
                condition=Q(map_y__isnull=True) | Q(map_y__gte=0, map_y__lte=100), name="site_map_y_in_plan"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("spaces:site", args=[self.pk])


class SpaceKind(models.TextChoices):
    ROOM = "room", _("Room")
    HALL = "hall", _("Hall")
    FIELD = "field", _("Sports field")
    OUTDOOR = "outdoor", _("Outdoor area")


class SpaceQuerySet(AuditedQuerySet["Space"]):
    def current(self) -> SpaceQuerySet:
        return self.filter(archived_at__isnull=True)

    def bookable(self) -> SpaceQuerySet:
        return self.current().filter(bookable=True)


class Space(AuditedModel):
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee or street")
    )
    site = models.ForeignKey(
        Site, models.PROTECT, null=True, blank=True, related_name="spaces", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=SpaceKind.choices)
    about = models.TextField(_("what it is for"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("people it holds"), null=True, blank=True)
    size_m2 = models.PositiveIntegerField(_("size in m²"), null=True, blank=True)
    equipment = models.TextField(_("equipment"), blank=True)
    how_to_book = models.TextField(_("how to book"), blank=True)
    # Open to all without booking (乐动空间, the outdoor fitness area open all day): listed, not booked.
    bookable = models.BooleanField(_("can be booked"), default=True)
    needs_approval = models.BooleanField(_("staff approve each booking"), default=False)
    open_to_residents = models.BooleanField(_("residents may book"), default=True)
    open_to_teams = models.BooleanField(_("teams may book"), default=True)
    open_to_partners = models.BooleanField(_("partner units may book"), default=True)
    book_days_ahead = models.PositiveSmallIntegerField(_("bookable this many days ahead"), default=14)
    min_notice_hours = models.PositiveSmallIntegerField(_("book at least this many hours before"), default=1)
    max_hours = models.PositiveSmallIntegerField(_("longest booking, in hours"), default=4)
    map_x = models.DecimalField(
        _("map position across"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    map_y = models.DecimalField(_("map position down"), max_digits=4, decimal_places=1, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    archived_at = models.DateTimeField(_("no longer offered since"), null=True, blank=True)

    objects = SpaceQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "area__path"

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"], condition=Q(archived_at__isnull=True), name="one_current_space_name"
            ),
            models.CheckConstraint(condition=Q(max_hours__gte=1), name="space_max_hours_positive"),
            models.CheckConstraint(
                condition=Q(map_x__isnull=True) | Q(map_x__gte=0, map_x__lte=100), name="space_map_x_in_plan"
            ),
            models.CheckConstraint(
                condition=Q(map_y__isnull=True) | Q(map_y__gte=0, map_y__lte=100), name="space_map_y_in_plan"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("spaces:space", args=[self.pk])


def photo_path(instance: SpacePhoto, filename: str) -> str:
    now = timezone.now()
    return f"spaces/{now:%Y/%m}/{instance.stored_name}"


class SpacePhoto(AuditedModel):
    space = models.ForeignKey(Space, models.CASCADE, related_name="photos", verbose_name=_("space"))
    file = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    name = models.CharField(_("name"), max_length=200)
    stored_name = models.CharField(max_length=60, editable=False)
    size = models.PositiveIntegerField(_("size"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    scope_path = "space__area__path"

    class Meta:
        verbose_name = _("space photo")
        verbose_name_plural = _("space photos")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def audit_area_path(self) -> str:
        return self.space.area.path


class OpeningHours(AuditedModel):
    """One opening of a week: Monday 8:00–11:30. A day may have several (morning, afternoon)."""

    space = models.ForeignKey(Space, models.CASCADE, related_name="hours", verbose_name=_("space"))
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    scope_path = "space__area__path"

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="hours_close_after_open"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_in_week"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def audit_area_path(self) -> str:
        return self.space.area.path


class Closure(AuditedModel):
    """A stretch when the space is closed (a holiday, repairs): no booking may fall in it."""

    space = models.ForeignKey(Space, models.CASCADE, related_name="closures", verbose_name=_("space"))
    starts_at = models.DateTimeField(_("closed from"))
    ends_at = models.DateTimeField(_("closed until"))
    reason = models.CharField(_("why"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )

    scope_path = "space__area__path"

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="closure_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.reason

    def audit_area_path(self) -> str:
        return self.space.area.path


class AudienceRule(AuditedModel):
    """In a weekly window only some residents may book: 天山河畔's field is free to residents
    aged 55 and over on weekday mornings. A resident qualifies by age (``min_age``) or by one of
    the registry's tags (``tags``, comma-separated); staff may still book for them."""

    space = models.ForeignKey(Space, models.CASCADE, related_name="audience_rules", verbose_name=_("space"))
    weekdays = models.CharField(_("days of the week"), max_length=20, help_text=_("0 is Monday: 0,1,2,3,4"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    min_age = models.PositiveSmallIntegerField(_("aged at least"), null=True, blank=True)
    tags = models.CharField(_("or tagged"), max_length=200, blank=True)
    free = models.BooleanField(_("free of charge"), default=True)
    note = models.CharField(_("what residents are told"), max_length=200)

    scope_path = "space__area__path"

    class Meta:
        verbose_name = _("audience rule")
        verbose_name_plural = _("audience rules")
        ordering = ["starts", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="audience_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.note

    def audit_area_path(self) -> str:
        return self.space.area.path

    @property
    def days(self) -> set[int]:
        return weekday_set(self.weekdays)


class PrioritySlot(AuditedModel):
    """A weekly window a team has first claim on: until ``release_hours`` before it starts,
    only that team (and staff) may book it; then it is open to all."""

    space = models.ForeignKey(Space, models.CASCADE, related_name="priority_slots", verbose_name=_("space"))
    team = models.ForeignKey("volunteers.Team", models.CASCADE, related_name="+", verbose_name=_("team"))
    weekdays = models.CharField(_("days of the week"), max_length=20, help_text=_("0 is Monday: 1,3"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    release_hours = models.PositiveSmallIntegerField(_("opens to all this many hours before"), default=48)

    scope_path = "space__area__path"

    class Meta:
        verbose_name = _("priority slot")
        verbose_name_plural = _("priority slots")
        ordering = ["starts", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="priority_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def audit_area_path(self) -> str:
        return self.space.area.path

    @property
    def days(self) -> set[int]:
        return weekday_set(self.weekdays)


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class BookingSeries(AuditedModel):
    """A repeating booking, one object: the 太极拳 team, Tuesdays and Thursdays 7:00–9:00, from
    ``first_day`` to ``last_day``. Its dates are ``Booking`` rows pointing here; the dates that
    clashed when it was made and were skipped are kept in ``skipped`` (ISO dates)."""

    space = models.ForeignKey(Space, models.PROTECT, related_name="series", verbose_name=_("space"))
    weekdays = models.CharField(_("days of the week"), max_length=20)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    purpose = models.CharField(_("what for"), max_length=120)
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("booked by")
    )
    for_resident = models.ForeignKey(
        "registry.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for resident"),
    )
    team = models.ForeignKey(
        "volunteers.Team", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    partner_unit = models.ForeignKey(
        "partners.PartnerUnit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner unit"),
    )
    skipped = models.JSONField(_("dates skipped for a clash"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=200, blank=True)

    scope_path = "space__area__path"

    class Meta:
        verbose_name = _("repeating booking")
        verbose_name_plural = _("repeating bookings")
        ordering = ["first_day", "starts", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="series_ends_after_start"),
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="series_last_after_first"),
        ]

    def __str__(self) -> str:
        return self.purpose

    def get_absolute_url(self) -> str:
        return reverse("spaces:series", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.space.area.path

    @property
    def days(self) -> set[int]:
        return weekday_set(self.weekdays)


class BookingQuerySet(AuditedQuerySet["Booking"]):
    def live(self) -> BookingQuerySet:
        return self.filter(status__in=LIVE_STATUSES)

    def overlapping(self, starts_at, ends_at) -> BookingQuerySet:
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Booking(AuditedModel):
    """One stretch of time in one space, by a resident (or family for them), a team, a partner
    unit or staff. Live bookings (pending or confirmed) never overlap in one space: the
    database refuses it (migration 0002)."""

    space = models.ForeignKey(Space, models.PROTECT, related_name="bookings", verbose_name=_("space"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    purpose = models.CharField(_("what for"), max_length=120)
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("booked by")
    )
    for_resident = models.ForeignKey(
        "registry.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for resident"),
    )
    team = models.ForeignKey(
        "volunteers.Team", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    partner_unit = models.ForeignKey(
        "partners.PartnerUnit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner unit"),
    )
    series = models.ForeignKey(
        BookingSeries,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("repeating booking"),
    )
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(_("why declined"), max_length=200, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("came at"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("marked as not come at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )

    objects = BookingQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "space__area__path"

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(no_show_at__isnull=True),
                name="booking_came_or_not",
            ),
        ]
        indexes = [
            models.Index(fields=["space", "starts_at"], name="booking_calendar"),
            models.Index(fields=["booked_by", "starts_at"], name="booking_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.space} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M} {self.purpose}"

    def get_absolute_url(self) -> str:
        return reverse("spaces:booking", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.space.area.path

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def is_pending(self) -> bool:
        return self.status == BookingStatus.PENDING

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class Season(AuditedModel):
    """A season of regular slots (spring: March to June): teams apply between
    ``applications_open`` and ``applications_close``; staff allocate; the series run from
    ``starts_on`` to ``ends_on``."""

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee or street")
    )
    name = models.CharField(_("name"), max_length=60)
    applications_open = models.DateField(_("applications open"))
    applications_close = models.DateField(_("applications close"))
    starts_on = models.DateField(_("slots start"))
    ends_on = models.DateField(_("slots end"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="season_ends_after_start"),
            models.CheckConstraint(
                condition=Q(applications_close__gte=F("applications_open")),
                name="season_applications_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("spaces:season", args=[self.pk])

    def taking_applications(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.allocated_at is None and self.applications_open <= day <= self.applications_close


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ALLOCATED = "allocated", _("Allocated")
    REFUSED = "refused", _("Not allocated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SlotApplication(AuditedModel):
    season = models.ForeignKey(Season, models.CASCADE, related_name="applications", verbose_name=_("season"))
    team = models.ForeignKey("volunteers.Team", models.CASCADE, related_name="+", verbose_name=_("team"))
    space = models.ForeignKey(Space, models.CASCADE, related_name="+", verbose_name=_("space"))
    weekdays = models.CharField(_("days of the week"), max_length=20)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    purpose = models.CharField(_("what for"), max_length=120)
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("applied by")
    )
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("why not"), max_length=200, blank=True)
    series = models.OneToOneField(
        BookingSeries,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("repeating booking"),
    )

    scope_path = "season__area__path"

    class Meta:
        verbose_name = _("slot application")
        verbose_name_plural = _("slot applications")
        ordering = ["applied_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="application_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.space}"

    def audit_area_path(self) -> str:
        return self.season.area.path

    @property
    def days(self) -> set[int]:
        return weekday_set(self.weekdays)

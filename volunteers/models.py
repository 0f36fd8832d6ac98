"""Volunteers (志愿者): the people who are not staff and carry every seed.

- ``Volunteer``: a person who serves: a resident (linked to the registry), or someone who
  does not live here (在职党员 reporting to the community, a student who needs service hours,
  a foreign volunteer), registered with a verified mobile number. Skills (``Service``) and
  availability. Staff may register one without a phone (an elderly volunteer).
- ``Team`` (队伍): a volunteer service team, a self-governance team (太极拳, 读报组) or a
  building team, of a committee or of a street; ``TeamCategory`` the groups a committee
  defines (宁聚883's eight); ``Membership`` with its dates, so a team's size is a line.
- ``Shift`` (岗位) and ``ShiftClaim``: places to claim, never more than the places (the
  counter ``taken`` is raised by one conditional UPDATE and checked by the database).
- ``HoursEntry``: the hours ledger, append-only. A mistake is corrected by a reversing entry.
- ``CreditAccount`` / ``CreditEntry``: the time bank (时间银行): credits earned by confirmed
  service, given to family, donated to the committee's pool, spent on a ``BankRequest``.
  A balance can never go negative (a CHECK constraint). An account belongs to a person, not
  to a committee, so a volunteer who moves keeps it (通存通兑).
- ``Certificate``: a service certificate (志愿服务证明) whose QR code opens a public page.
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

HOURS = {"max_digits": 6, "decimal_places": 2}
CREDITS = {"max_digits": 10, "decimal_places": 2}


class Service(AuditedModel):
    """A service volunteers give (理发, 修家电, 量血压, 送餐, 陪诊, 法律咨询). City-wide defaults
    have no area; a committee or street adds its own."""

    area = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committee or street"),
        help_text=_("Empty: a city-wide default."),
    )
    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveSmallIntegerField(_("order"), default=100)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("volunteer service")
        verbose_name_plural = _("volunteer services")
        ordering = ["position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="one_service_name"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(area__isnull=True), name="one_default_service_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VolunteerKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    PARTY_MEMBER = "party_member", _("Working party member (在职党员)")
    STUDENT = "student", _("Student")
    FOREIGN = "foreign", _("Foreign volunteer")
    OTHER = "other", _("Other")


class VolunteerQuerySet(AuditedQuerySet["Volunteer"]):
    def current(self) -> VolunteerQuerySet:
        return self.filter(left_at__isnull=True)


class Volunteer(AuditedModel):
    # The committee they serve in now (where they live, or report to); it changes when they
    # move, and their hours and credits go with them.
    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("account"),
    )
    resident = models.OneToOneField(
        "registry.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("resident in the registry"),
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("who"), max_length=20, choices=VolunteerKind.choices)
    # 11 digits; empty for an elderly volunteer without a phone, registered by staff.
    phone = models.CharField(_("mobile number"), max_length=11, blank=True)
    phone_verified_at = models.DateTimeField(_("number verified at"), null=True, blank=True)
    # Where a 在职党员 works, a student's school, a foreign volunteer's country.
    affiliation = models.CharField(_("works or studies at"), max_length=120, blank=True)
    skills = models.ManyToManyField(Service, blank=True, related_name="+", verbose_name=_("services offered"))
    availability = models.CharField(_("when free"), max_length=200, blank=True)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    objects = VolunteerQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "committee__path"

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="one_volunteer_per_phone"),
        ]
        indexes = [models.Index(fields=["committee", "name"], name="volunteer_by_committee")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:volunteer", args=[self.pk])


class TeamKind(models.TextChoices):
    SERVICE = "service", _("Volunteer service team")
    SELF_GOVERNANCE = "self_governance", _("Self-governance team")
    BUILDING = "building", _("Building team")


class TeamCategory(AuditedModel):
    """A group a committee (or street) sorts its teams' members into: 在职党员, 退役军人…"""

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee or street")
    )
    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveSmallIntegerField(_("order"), default=100)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("team category")
        verbose_name_plural = _("team categories")
        ordering = ["position", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="one_team_category_name")]

    def __str__(self) -> str:
        return self.name


class TeamQuerySet(AuditedQuerySet["Team"]):
    def current(self) -> TeamQuerySet:
        return self.filter(dissolved_at__isnull=True)


class Team(AuditedModel):
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee or street")
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    categories = models.ManyToManyField(
        TeamCategory, blank=True, related_name="teams", verbose_name=_("groups of members")
    )
    about = models.TextField(_("what the team does"), blank=True)
    meets = models.CharField(_("when and where it meets"), max_length=200, blank=True)
    how_to_join = models.CharField(_("how to join"), max_length=200, blank=True)
    open_to_join = models.BooleanField(_("anyone may ask to join"), default=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    dissolved_at = models.DateTimeField(_("dissolved at"), null=True, blank=True)

    objects = TeamQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "area__path"

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"], condition=Q(dissolved_at__isnull=True), name="one_current_team_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:team", args=[self.pk])


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked to join")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed")


OPEN_MEMBERSHIP = (MembershipStatus.REQUESTED, MembershipStatus.ACTIVE)


class Membership(AuditedModel):
    """One person's time in a team, from asking to join to leaving: kept, never deleted, so
    the team's size on any day is the memberships whose dates cover it."""

    team = models.ForeignKey(Team, models.CASCADE, related_name="memberships", verbose_name=_("team"))
    volunteer = models.ForeignKey(
        Volunteer, models.CASCADE, related_name="memberships", verbose_name=_("volunteer")
    )
    category = models.ForeignKey(
        TeamCategory, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("group")
    )
    is_leader = models.BooleanField(_("team leader"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.REQUESTED
    )
    note = models.CharField(_("why I want to join"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    joined_on = models.DateField(_("member since"), null=True, blank=True)
    ended_on = models.DateField(_("member until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    scope_path = "team__area__path"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "-is_leader", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "volunteer"],
                condition=Q(status__in=["requested", "active"]),
                name="one_open_membership",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(ended_on__gte=F("joined_on")),
                name="membership_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["team", "status"], name="membership_by_team")]

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.team}"


class ShiftQuerySet(AuditedQuerySet["Shift"]):
    def open(self) -> ShiftQuerySet:
        return self.filter(cancelled_at__isnull=True)

    def short(self) -> ShiftQuerySet:
        """Still short of people."""
        return self.open().filter(taken__lt=F("places"))


class Shift(AuditedModel):
    """A post to fill: "monthly service day 15 Dec 9:00–11:00, haircut stall, 3 people"."""

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee or street")
    )
    team = models.ForeignKey(
        Team, models.SET_NULL, null=True, blank=True, related_name="shifts", verbose_name=_("team")
    )
    partner_unit = models.ForeignKey(
        "partners.PartnerUnit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="shifts",
        verbose_name=_("staffed by partner unit"),
    )
    service = models.ForeignKey(
        Service, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    title = models.CharField(_("what"), max_length=120)
    place = models.CharField(_("where"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    places = models.PositiveSmallIntegerField(_("people needed"))
    # Places claimed: raised only by ``UPDATE … SET taken = taken + 1 WHERE taken < places``.
    taken = models.PositiveSmallIntegerField(_("places claimed"), default=0, editable=False)
    withdraw_until = models.DateTimeField(_("withdraw until"))
    notes = models.TextField(_("what to bring, who to ask"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True, editable=False)

    objects = ShiftQuerySet.as_manager()  # type: ignore[assignment, misc]
    audit_skip_fields = {"taken": "places claimed, counted from the claims, which are logged"}
    scope_path = "area__path"

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"),
            models.CheckConstraint(condition=Q(places__gte=1), name="shift_has_places"),
            models.CheckConstraint(condition=Q(taken__lte=F("places")), name="shift_never_overfilled"),
        ]
        indexes = [models.Index(fields=["area", "starts_at"], name="shift_calendar")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteers:shift", args=[self.pk])

    @property
    def places_left(self) -> int:
        return max(self.places - self.taken, 0)


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", _("Claimed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SWAPPED = "swapped", _("Handed to another member")
    NO_SHOW = "no_show", _("Did not come")


class ShiftClaim(AuditedModel):
    shift = models.ForeignKey(Shift, models.CASCADE, related_name="claims", verbose_name=_("shift"))
    volunteer = models.ForeignKey(
        Volunteer, models.CASCADE, related_name="claims", verbose_name=_("volunteer")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.CLAIMED
    )
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    # The claim this one was handed over from (a swap): the place moves, the count does not.
    swapped_from = models.OneToOneField(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="swapped_to",
        verbose_name=_("taken over from"),
    )
    ended_at = models.DateTimeField(_("withdrawn or handed over at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )

    scope_path = "shift__area__path"

    class Meta:
        verbose_name = _("shift claim")
        verbose_name_plural = _("shift claims")
        ordering = ["shift", "claimed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(status__in=["claimed", "no_show"]),
                name="one_claim_per_shift",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                name="claim_out_after_in",
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "status"], name="claim_by_volunteer")]

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.shift}"


class HoursSource(models.TextChoices):
    SHIFT = "shift", _("Shift check-in and check-out")
    SELF = "self", _("Logged by the volunteer")
    STAFF = "staff", _("Logged by staff")
    TIMEBANK = "timebank", _("A time-bank service")
    REVERSAL = "reversal", _("Correction")


class LedgerChanged(Exception):
    """An attempt to change or delete a written line of an append-only ledger (the hours, the
    time bank): a programming error, never a user's; a mistake is corrected by a new line."""


# The stamps a line of the hours ledger may still receive once written: its confirmation or
# its refusal. Everything else is written once.
HOURS_STAMPS = frozenset({"confirmed_by", "confirmed_at", "declined_by", "declined_at", "decline_reason"})


def _refuse_ledger_change(model, names) -> None:
    fixed = {_attname(model, n) for n in names} - {
        _attname(model, n) for n in getattr(model, "ledger_stamps", ())
    }
    if fixed:
        raise LedgerChanged(
            f"{model._meta.label} is append-only: {', '.join(sorted(fixed))} cannot change; "
            "write a correcting entry instead"
        )


def _attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


class LedgerQuerySet(AuditedQuerySet):
    """An append-only ledger's rows: never deleted, and only their stamps updated."""

    def update(self, **kwargs):
        _refuse_ledger_change(self.model, kwargs)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        _refuse_ledger_change(self.model, fields)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def delete(self):
        raise LedgerChanged(f"{self.model._meta.label} is append-only: its rows are never deleted")

    delete.queryset_only = True  # type: ignore[attr-defined]


class LedgerModel(AuditedModel):
    """A line of an append-only ledger: saved once; afterwards only the fields named in
    ``ledger_stamps`` may change, and it is never deleted."""

    ledger_stamps: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding and self.pk is not None:
            fields = kwargs.get("update_fields")
            if fields is None:
                stored = type(self)._default_manager.filter(pk=self.pk).values().first() or {}
                fields = [
                    f.name
                    for f in self._meta.concrete_fields
                    if stored.get(f.attname) != getattr(self, f.attname)
                ]
            _refuse_ledger_change(type(self), fields)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerChanged(f"{self._meta.label} is append-only: its rows are never deleted")


class HoursEntryQuerySet(LedgerQuerySet):
    def confirmed(self) -> HoursEntryQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def pending(self) -> HoursEntryQuerySet:
        return self.filter(confirmed_at__isnull=True, declined_at__isnull=True)

    def counted(self) -> HoursEntryQuerySet:
        """The lines that count towards a volunteer's hours of a day: confirmed or still
        pending, corrections included (their negative hours subtract); not the declined."""
        return self.filter(declined_at__isnull=True)


class HoursEntry(LedgerModel):
    """One line of the hours ledger. Written once; only its confirmation (or refusal) is
    stamped later. A correction is a new entry with ``reverses`` set and negative hours."""

    volunteer = models.ForeignKey(
        Volunteer, models.PROTECT, related_name="hours", verbose_name=_("volunteer")
    )
    # The committee (or street) served: where the hours count.
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("served in"))
    team = models.ForeignKey(
        Team, models.SET_NULL, null=True, blank=True, related_name="hours", verbose_name=_("team")
    )
    shift = models.ForeignKey(
        Shift, models.PROTECT, null=True, blank=True, related_name="hours", verbose_name=_("shift")
    )
    service = models.ForeignKey(
        Service, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    day = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    source = models.CharField(_("source"), max_length=12, choices=HoursSource.choices)
    note = models.CharField(_("what was done"), max_length=200, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("logged by")
    )
    logged_at = models.DateTimeField(_("logged at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declined by"),
    )
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decline_reason = models.CharField(_("why declined"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversal", verbose_name=_("corrects")
    )

    objects = HoursEntryQuerySet.as_manager()  # type: ignore[assignment, misc]
    ledger_stamps = HOURS_STAMPS
    scope_path = "area__path"

    class Meta:
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours entries")
        ordering = ["-day", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(hours__gt=0) & Q(hours__lte=24))
                | (Q(reverses__isnull=False) & Q(hours__lt=0) & Q(hours__gte=-24)),
                name="hours_positive_or_reversal",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="hours_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(declined_at__isnull=True),
                name="hours_confirmed_or_declined",
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "day"], name="hours_by_volunteer"),
            models.Index(fields=["area", "day"], name="hours_by_area"),
            models.Index(fields=["team", "day"], name="hours_by_team"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.day} {self.hours}h"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_declined(self) -> bool:
        return self.declined_at is not None

    @property
    def is_pending(self) -> bool:
        return self.confirmed_at is None and self.declined_at is None

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def state_label(self) -> str:
        """Where the line stands, in the reader's words (pages show it, never compare it)."""
        if self.is_reversal:
            return str(_("Correction"))
        if self.is_declined:
            return str(_("Declined"))
        return str(_("Confirmed")) if self.is_confirmed else str(_("Waiting for confirmation"))


class CreditAccount(AuditedModel):
    """A time-bank account: of a volunteer, of a resident (an elderly parent given credits by
    family, who spends them), or a committee's pool (donations). One holder each."""

    volunteer = models.OneToOneField(
        Volunteer, models.PROTECT, null=True, blank=True, related_name="account", verbose_name=_("volunteer")
    )
    resident = models.OneToOneField(
        "registry.Resident",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_account",
        verbose_name=_("resident"),
    )
    pool = models.OneToOneField(
        "areas.Area",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_pool",
        verbose_name=_("pool of"),
    )
    # Where the holder is now (their committee; the pool's own area): moved with them.
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    balance = models.DecimalField(
        _("balance"), default=Decimal(0), editable=False, max_digits=10, decimal_places=2
    )

    audit_skip_fields = {"balance": "the sum of the ledger's entries, which are logged"}
    scope_path = "area__path"

    class Meta:
        verbose_name = _("time-bank account")
        verbose_name_plural = _("time-bank accounts")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="credit_balance_never_negative"),
            models.CheckConstraint(
                condition=(Q(volunteer__isnull=False) & Q(resident__isnull=True) & Q(pool__isnull=True))
                | (Q(volunteer__isnull=True) & Q(resident__isnull=False) & Q(pool__isnull=True))
                | (Q(volunteer__isnull=True) & Q(resident__isnull=True) & Q(pool__isnull=False)),
                name="credit_account_one_holder",
            ),
        ]

    def __str__(self) -> str:
        holder = self.volunteer or self.resident or self.pool
        return str(holder)


class CreditKind(models.TextChoices):
    EARNED = "earned", _("Earned by service")
    GIFT_OUT = "gift_out", _("Given to family")
    GIFT_IN = "gift_in", _("Received from family")
    DONATED = "donated", _("Donated to the pool")
    DONATION = "donation", _("Donation received")
    GRANT_OUT = "grant_out", _("Granted from the pool")
    GRANT_IN = "grant_in", _("Granted by the committee")
    SPENT = "spent", _("Spent on a service")
    REFUND = "refund", _("Refunded")
    REVERSAL = "reversal", _("Correction")


class CreditEntry(LedgerModel):
    """One line of the time-bank ledger: append-only; ``balance_after`` is the account's
    balance once it was written (under the account's row lock)."""

    account = models.ForeignKey(
        CreditAccount, models.PROTECT, related_name="entries", verbose_name=_("account")
    )
    amount = models.DecimalField(_("credits"), max_digits=10, decimal_places=2)
    balance_after = models.DecimalField(_("balance after"), max_digits=10, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=12, choices=CreditKind.choices)
    hours_entry = models.ForeignKey(
        HoursEntry, models.PROTECT, null=True, blank=True, related_name="credits", verbose_name=_("for hours")
    )
    counterpart = models.ForeignKey(
        CreditAccount, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to or from")
    )
    request = models.ForeignKey(
        "BankRequest",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("service request"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = LedgerQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "account__area__path"

    class Meta:
        verbose_name = _("time-bank entry")
        verbose_name_plural = _("time-bank entries")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="credit_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="credit_entry_balance_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["account", "at"], name="credit_by_account")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount:+}"


class BankRule(AuditedModel):
    """A committee's (or street's) time-bank settings; a committee without its own follows
    its street's, and a street without one the defaults (1 credit an hour, 65 and over)."""

    area = models.OneToOneField(
        "areas.Area", models.CASCADE, related_name="bank_rule", verbose_name=_("committee or street")
    )
    credits_per_hour = models.DecimalField(
        _("credits per hour"), max_digits=4, decimal_places=2, default=Decimal(1)
    )
    min_age = models.PositiveSmallIntegerField(_("may spend from age"), default=65)
    # "|disabled|living_alone|": residents with any of these tags may spend at any age.
    tags = models.CharField(_("or residents tagged"), max_length=300, blank=True)
    not_earning = models.ManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("services that earn no credits")
    )

    scope_path = "area__path"

    class Meta:
        verbose_name = _("time-bank rule")
        verbose_name_plural = _("time-bank rules")
        constraints = [
            models.CheckConstraint(condition=Q(credits_per_hour__gt=0), name="bank_rate_positive"),
        ]

    def __str__(self) -> str:
        return str(self.area)


class BankRequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a volunteer")
    MATCHED = "matched", _("A volunteer is coming")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class BankRequest(AuditedModel):
    """An eligible resident spends credits on a service: held when asked, matched to a
    volunteer, who earns credits when it is done; refunded if cancelled."""

    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    resident = models.ForeignKey(
        "registry.Resident", models.PROTECT, related_name="bank_requests", verbose_name=_("for")
    )
    service = models.ForeignKey(Service, models.PROTECT, related_name="+", verbose_name=_("service"))
    wanted_at = models.DateTimeField(_("wanted at"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    credits = models.DecimalField(_("credits held"), max_digits=10, decimal_places=2)
    details = models.CharField(_("details"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=BankRequestStatus.choices, default=BankRequestStatus.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    volunteer = models.ForeignKey(
        Volunteer,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_jobs",
        verbose_name=_("volunteer"),
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    hours_entry = models.OneToOneField(
        HoursEntry,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_request",
        verbose_name=_("hours"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=200, blank=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("time-bank request")
        verbose_name_plural = _("time-bank requests")
        ordering = ["wanted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(credits__gte=0), name="bank_request_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.resident}"

    @property
    def is_open(self) -> bool:
        return self.status == BankRequestStatus.OPEN

    @property
    def is_matched(self) -> bool:
        return self.status == BankRequestStatus.MATCHED

    @property
    def is_settled(self) -> bool:
        """Done or cancelled: nothing more happens to it."""
        return self.status in (BankRequestStatus.DONE, BankRequestStatus.CANCELLED)

    @property
    def is_reported_done(self) -> bool:
        """The volunteer said it is done; staff have yet to confirm it."""
        return self.is_matched and self.done_at is not None


class Certificate(AuditedModel):
    """A service certificate (志愿服务证明): the hours of a period, numbered; its QR code opens
    a public page that confirms it (name and hours only)."""

    volunteer = models.ForeignKey(
        Volunteer, models.PROTECT, related_name="certificates", verbose_name=_("volunteer")
    )
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("issued by"))
    number = models.CharField(_("number"), max_length=20, unique=True)
    name = models.CharField(_("name on it"), max_length=60)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("until"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    times = models.PositiveIntegerField(_("times served"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(_("why revoked"), max_length=200, blank=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("service certificate")
        verbose_name_plural = _("service certificates")
        ordering = ["-issued_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_to__gte=F("period_from")), name="certificate_period"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

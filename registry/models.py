"""The household registry (一户一档): households at an address, the people in them, their tags
and their history.

A household is one door: a room in a building, with its unit (单元) where the building has
several. A resident belongs to one committee's registry for good: moving to another door of
the same committee keeps the record and adds a line to its history (``Residence``); moving
away closes it, and a new committee starts its own record. Identity-card numbers, health
notes and key-person notes are stored encrypted (see ``registry.crypto``); the model holds
only ciphertext, a keyed hash and a mask, so a template cannot show a full number by mistake.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area, reaches
from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet
from registry.identity import age_on
from registry.names import name_pinyin


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Relation(models.TextChoices):
    """与户主关系: the relation to the householder, as census sheets write it."""

    HOUSEHOLDER = "householder", _("Householder")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Brother or sister")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    TENANT = "tenant", _("Tenant")
    CAREGIVER = "caregiver", _("Live-in carer")
    OTHER = "other", _("Other")


class ResidenceType(models.TextChoices):
    """户籍 / 常住 / 人户分离 / 流动."""

    REGISTERED = "registered", _("Registered here (hukou)")
    PERMANENT = "permanent", _("Lives here, registered elsewhere")
    SEPARATED = "separated", _("Registered here, lives elsewhere")
    FLOATING = "floating", _("Floating population")


class ResidentStatus(models.TextChoices):
    LIVING = "living", _("Lives here")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")


class Tag(models.TextChoices):
    """Tags staff set on a resident; ``DERIVED_TAGS`` are worked out from the birth date."""

    LIVING_ALONE = "living_alone", _("Living alone")
    ELDERLY_ONLY = "elderly_only", _("Elderly-only household")
    AGED_80 = "aged_80", _("Aged 80+")
    DISABLED = "disabled", _("With a disability")
    LOW_INCOME = "low_income", _("Low income (dibao)")
    ENTITLED = "entitled", _("Entitled group (youfu)")
    KEY_PERSON = "key_person", _("Key person")
    PARTY_MEMBER = "party_member", _("Party member")
    SERVING_PARTY_MEMBER = "serving_party_member", _("In-service party member")
    VETERAN = "veteran", _("Veteran")
    MINOR = "minor", _("Minor")


# Age tags follow the birth date every day; storing them would let them go stale.
# (lowest age, age below which) in whole years.
DERIVED_TAGS: dict[str, tuple[int | None, int | None]] = {Tag.AGED_80: (80, None), Tag.MINOR: (None, 18)}
SETTABLE_TAGS = [t for t in Tag.values if t not in DERIVED_TAGS]


class TagSource(models.TextChoices):
    MANUAL = "manual", _("Set by staff")
    CENSUS = "census", _("From a census import")


_NUMBER_PARTS = re.compile(r"(\d+)")


def natural_key(*parts: str) -> str:
    """'2', '301' → '00000002|00000301': rooms sort as people count them (2 before 10)."""
    return "|".join(_NUMBER_PARTS.sub(lambda m: m.group(1).zfill(8), p) for p in parts)[:64]


class Household(AuditedModel):
    building = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="households", verbose_name=_("building")
    )
    # Copied from the building's ancestors so a committee's households are one indexed filter.
    committee = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"), editable=False
    )
    unit = models.CharField(
        _("unit"), max_length=10, blank=True, help_text=_("单元, if the building has several.")
    )
    room = models.CharField(_("room"), max_length=20)
    sort_key = models.CharField(max_length=64, editable=False, db_index=True)
    phone = models.CharField(_("household phone"), max_length=24, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_path = "building__path"

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["building", "unit", "room"], name="one_household_per_door")
        ]
        indexes = [models.Index(fields=["committee", "building"], name="household_committee")]

    def __str__(self) -> str:
        return self.address

    def save(self, *args, **kwargs) -> None:
        self.sort_key = natural_key(self.unit, self.room)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:household", args=[self.pk])

    @property
    def door(self) -> str:
        """2单元301室 / unit 2, room 301: the address inside the building."""
        if self.unit:
            return str(_("unit %(unit)s, room %(room)s") % {"unit": self.unit, "room": self.room})
        return str(_("room %(room)s") % {"room": self.room})

    @property
    def address(self) -> str:
        return f"{self.building.name} {self.door}"


def living_q(via: str = "") -> Q:
    """Residents who live here now: neither moved out, nor dead, nor anonymised. ``via`` is the
    lookup from another model to its resident, e.g. ``"resident__"``. The one definition:
    ``Resident.objects.living()`` and ``Resident.is_living`` say the same."""
    return Q(**{f"{via}status": ResidentStatus.LIVING, f"{via}anonymised_at__isnull": True})


class ResidentQuerySet(AuditedQuerySet["Resident"]):
    def living(self) -> ResidentQuerySet:
        return self.filter(living_q())

    def of_committee(self, committee) -> ResidentQuerySet:
        return self.filter(committee=committee)

    def with_tag(self, tag: str, today: date | None = None) -> ResidentQuerySet:
        """Residents carrying ``tag``: a stored one, or an age worked out from the birth date."""
        return self.filter(tag_q(tag, today))

    def verified(self) -> ResidentQuerySet:
        """Those whose resident account is linked and verified: the numerator of 上云率."""
        return self.filter(user__isnull=False)


def years_ago(today: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for 29 February): born on or before it, aged ``years``."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def tag_q(tag: str, today: date | None = None, prefix: str = "") -> Q:
    """The filter for residents with ``tag``; ``prefix`` reaches residents from another model."""
    today = today or timezone.localdate()
    if tag in DERIVED_TAGS:
        lowest, below = DERIVED_TAGS[tag]
        q = Q()
        if lowest is not None:
            q &= Q(**{f"{prefix}birth_date__lte": years_ago(today, lowest)})
        if below is not None:
            q &= Q(**{f"{prefix}birth_date__gt": years_ago(today, below)})
        return q
    return Q(**{f"{prefix}tags__tag": tag})


class Resident(AuditedModel):
    committee = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"), editable=False
    )
    # The current household, or the last one for someone who moved out or died.
    household = models.ForeignKey(
        Household, models.PROTECT, related_name="residents", verbose_name=_("household")
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_cipher = models.TextField(_("identity-card number (encrypted)"), blank=True, editable=False)
    id_hash = models.CharField(
        _("identity-card number (keyed hash)"), max_length=64, blank=True, editable=False
    )
    id_masked = models.CharField(_("identity-card number"), max_length=18, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    relation = models.CharField(
        _("relation to the householder"),
        max_length=20,
        choices=Relation.choices,
        default=Relation.HOUSEHOLDER,
    )
    residence_type = models.CharField(
        _("residence type"), max_length=20, choices=ResidenceType.choices, default=ResidenceType.REGISTERED
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ResidentStatus.choices, default=ResidentStatus.LIVING
    )
    moved_in_on = models.DateField(_("moved in"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved out"), null=True, blank=True)
    health_cipher = models.TextField(_("health notes (encrypted)"), blank=True, editable=False)
    key_note_cipher = models.TextField(_("key-person notes (encrypted)"), blank=True, editable=False)
    pinyin = models.CharField(_("pinyin"), max_length=100, blank=True, editable=False)
    initials = models.CharField(_("pinyin initials"), max_length=20, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
        verbose_name=_("verified account"),
    )
    verified_at = models.DateTimeField(_("account verified at"), null=True, blank=True)
    consent_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    consent_note = models.CharField(_("how consent was given"), max_length=100, blank=True)
    census_digest = models.CharField(max_length=64, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResidentQuerySet.as_manager()  # type: ignore[assignment, misc]  # an AuditedQuerySet of its own

    scope_path = "household__building__path"
    audit_exclude = frozenset({"id_cipher", "id_hash", "health_cipher", "key_note_cipher", "census_digest"})

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["household", "pk"]
        constraints = [
            # One record per person per committee; another committee keeps its own.
            models.UniqueConstraint(
                fields=["committee", "id_hash"], condition=~Q(id_hash=""), name="one_record_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["committee", "status"], name="resident_committee_status"),
            models.Index(fields=["id_hash"], name="resident_id_hash"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.pinyin, self.initials = name_pinyin(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:resident", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.household.building.path

    @property
    def display_name(self) -> str:
        return self.name if self.anonymised_at is None else str(_("(anonymised)"))

    @property
    def is_living(self) -> bool:
        return self.status == ResidentStatus.LIVING and self.anonymised_at is None

    def lives_under(self, committee: Area, chosen: Sequence[Area] = ()) -> bool:
        """Whether this resident's home is in ``committee`` and, when areas are ``chosen``,
        under one of them (``areas.models.reaches``). Living or not is ``is_living``."""
        return reaches(self.household.building.path, committee, chosen)

    def age(self, today: date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, today or timezone.localdate())

    @property
    def tell_apart(self) -> str:
        """What tells namesakes apart where a worker picks a person from a list (three 张鹏):
        sex, age, building and door; never the identity number or the phone. Needs the
        household and its building selected with the resident."""
        parts = [str(self.get_gender_display())] if self.gender else []
        age = self.age()
        if age is not None:
            parts.append(_("%(age)s years old") % {"age": age})
        parts.append(self.household.address)
        return " · ".join(parts)

    @property
    def is_aged_80(self) -> bool:
        return Tag.AGED_80 in self.derived_tags()

    def derived_tags(self, today: date | None = None) -> list[Tag]:
        """The age tags that hold today, as ``Tag`` members: pages show their labels."""
        age = self.age(today)
        if age is None:
            return []
        found = []
        for tag, (lowest, below) in DERIVED_TAGS.items():
            if (lowest is None or age >= lowest) and (below is None or age < below):
                found.append(Tag(tag))
        return found


class EndReason(models.TextChoices):
    MOVED_WITHIN = "moved_within", _("Moved to another household here")
    MOVED_OUT = "moved_out", _("Moved away")
    DECEASED = "deceased", _("Died")
    CORRECTED = "corrected", _("Recorded here by mistake")


class Residence(AuditedModel):
    """One stay of one resident in one household: the history a household card shows."""

    resident = models.ForeignKey(
        Resident, models.CASCADE, related_name="residences", verbose_name=_("resident")
    )
    household = models.ForeignKey(
        Household, models.PROTECT, related_name="residences", verbose_name=_("household")
    )
    relation = models.CharField(_("relation to the householder"), max_length=20, choices=Relation.choices)
    moved_in_on = models.DateField(_("moved in"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved out"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=20, choices=EndReason.choices, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    scope_path = "household__building__path"

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        ordering = ["moved_in_on", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(end_reason=""), name="one_current_residence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.household}"

    def audit_area_path(self) -> str:
        return self.household.building.path

    @property
    def is_current(self) -> bool:
        return not self.end_reason


class ResidentTag(AuditedModel):
    resident = models.ForeignKey(Resident, models.CASCADE, related_name="tags", verbose_name=_("resident"))
    tag = models.CharField(_("tag"), max_length=30, choices=Tag.choices)
    source = models.CharField(_("source"), max_length=10, choices=TagSource.choices, default=TagSource.MANUAL)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    scope_path = "resident__household__building__path"

    class Meta:
        verbose_name = _("resident tag")
        verbose_name_plural = _("resident tags")
        constraints = [models.UniqueConstraint(fields=["resident", "tag"], name="one_tag_per_resident")]
        indexes = [models.Index(fields=["tag", "resident"], name="tag_resident")]

    def __str__(self) -> str:
        return f"{self.resident}: {self.get_tag_display()}"

    def audit_area_path(self) -> str:
        return self.resident.household.building.path


class LeaderPosition(models.TextChoices):
    LEADER = "leader", _("Building leader")
    SECOND = "second", _("Second building leader")


class GroupLeader(AuditedModel):
    """楼组长 and 第二楼组长 of a building group: residents of it, for a period."""

    group = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="leaders", verbose_name=_("building group")
    )
    resident = models.ForeignKey(
        Resident, models.CASCADE, related_name="leader_posts", verbose_name=_("resident")
    )
    position = models.CharField(_("position"), max_length=10, choices=LeaderPosition.choices)
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)

    scope_path = "group__path"

    class Meta:
        verbose_name = _("building leader")
        verbose_name_plural = _("building leaders")
        ordering = ["group", "position", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "resident"],
                condition=Q(until__isnull=True),
                name="one_active_post_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.resident} ({self.group})"


class RevealedField(models.TextChoices):
    ID_NUMBER = "id_number", _("Identity-card number")
    HEALTH = "health", _("Health notes")
    KEY_NOTES = "key_notes", _("Key-person notes")
    EXPORT = "export", _("Unmasked export")
    OWN_DATA = "own_data", _("The resident's own data download")
    MEAL_HEALTH = "meal_health", _("A diner's health conditions")


class AccessLog(AuditedModel):
    """Every reveal of a full value, with the reason given: read by the committee lead."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("who")
    )
    actor_role = models.CharField(_("acting as"), max_length=30, blank=True)
    resident = models.ForeignKey(
        Resident,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_log",
        verbose_name=_("resident"),
    )
    field = models.CharField(_("what"), max_length=20, choices=RevealedField.choices)
    reason = models.CharField(_("reason"), max_length=200)
    count = models.PositiveIntegerField(_("records"), default=1)
    area_path = models.CharField(_("area"), max_length=255, db_index=True)

    scope_path = "area_path"
    audit_skip = "a log of its own, read by the committee lead"

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_field_display()}"

    def audit_area_path(self) -> str:
        return self.area_path


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Not verified")


class VerificationMethod(models.TextChoices):
    STAFF = "staff", _("Checked by staff")
    ID_NUMBER = "id_number", _("Identity-card number")
    STAFF_CREATED = "staff_created", _("Account made by staff")


class Registration(AuditedModel):
    """A resident's online registration, waiting to be matched to their registry record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="registrations", verbose_name=_("account")
    )
    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    # The building the resident named, or the committee when they could not find it.
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("where"))
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    room = models.CharField(_("room"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=50)
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    method = models.CharField(_("verified by"), max_length=20, choices=VerificationMethod.choices, blank=True)
    resident = models.ForeignKey(
        Resident, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("registry record")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    failed_checks = models.PositiveSmallIntegerField(_("wrong identity-card numbers"), default=0)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("account registration")
        verbose_name_plural = _("account registrations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="one_pending_registration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    def audit_area_path(self) -> str:
        return self.area.path

    @property
    def is_pending(self) -> bool:
        """Not yet decided: staff may still verify or reject it."""
        return self.status == RegistrationStatus.PENDING

    @property
    def is_rejected(self) -> bool:
        return self.status == RegistrationStatus.REJECTED


class Proxy(AuditedModel):
    """家属代办: a family member's account that acts for an elderly resident."""

    resident = models.ForeignKey(Resident, models.CASCADE, related_name="proxies", verbose_name=_("resident"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="proxy_for", verbose_name=_("family member")
    )
    relation = models.CharField(_("relation"), max_length=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("linked by")
    )
    created_at = models.DateTimeField(_("linked at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    scope_path = "resident__household__building__path"

    class Meta:
        verbose_name = _("family proxy")
        verbose_name_plural = _("family proxies")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_proxy_link",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.resident}"

    def audit_area_path(self) -> str:
        return self.resident.household.building.path


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked, ready to apply")
    PROBLEMS = "problems", _("Has problems")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class CensusImport(AuditedModel):
    """One uploaded census sheet: its dry-run report, and the apply once the report is clean."""

    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    file_name = models.CharField(_("file"), max_length=200)
    stored_name = models.CharField(max_length=100, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("census import")
        verbose_name_plural = _("census imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_checked(self) -> bool:
        """Checked without problems: it may be applied."""
        return self.status == ImportStatus.CHECKED

    @property
    def has_problems(self) -> bool:
        return self.status == ImportStatus.PROBLEMS

    @property
    def is_applied(self) -> bool:
        return self.status == ImportStatus.APPLIED

    def audit_area_path(self) -> str:
        return self.committee.path

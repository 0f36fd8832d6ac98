"""Neighbourhood centres and their star ratings, local talent (睦邻达人) and awards (最美江秋人).

- ``Centre``: a neighbourhood centre (睦邻中心) or a party-and-people service station
  (党群服务站) of a committee or street, perhaps at a ``spaces.Site``, run by a social
  organisation (a ``partners.PartnerUnit`` of that kind).
- ``RatingSheet``: a street's, district's or city's sheet for a year: ``Criterion`` rows with
  their points (100 in all by default) and ``StarBand`` rows giving the stars for a score.
- ``Rating``: one assessment of one centre against a sheet, a ``Score`` per criterion with its
  evidence (a note or a file). A draft is submitted (its total and stars worked out then), then
  made final; only one final rating per centre and year, which the database refuses twice.
- ``Talent``: a resident with skills willing to teach or help, offered by themself (confirmed
  by staff) or entered by staff; the public sees only the name they chose to show.
- ``Award``: a committee's award round (最美江秋人): ``Nomination`` rows with reasons, a public
  vote through a deliberation poll (one per resident), then the committee's decision.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet


def split_list(text: str) -> list[str]:
    """A comma-separated list field as a list (skill tags)."""
    return [t for t in (part.strip() for part in (text or "").split(",")) if t]


class CentreKind(models.TextChoices):
    CENTRE = "centre", _("Neighbourhood centre (睦邻中心)")
    STATION = "station", _("Party and people service station (党群服务站)")


class CentreQuerySet(AuditedQuerySet["Centre"]):
    def current(self) -> CentreQuerySet:
        return self.filter(closed_at__isnull=True)


class Centre(AuditedModel):
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee or street")
    )
    site = models.ForeignKey(
        "spaces.Site", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("at site")
    )
    operator = models.ForeignKey(
        "partners.PartnerUnit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by (social organisation)"),
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=CentreKind.choices, default=CentreKind.CENTRE)
    address = models.CharField(_("address"), max_length=200, blank=True)
    about = models.TextField(_("about"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CentreQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "area__path"

    class Meta:
        verbose_name = _("neighbourhood centre")
        verbose_name_plural = _("neighbourhood centres")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"], condition=Q(closed_at__isnull=True), name="one_open_centre_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("recognition:centre", args=[self.pk])


# --- Rating sheets --------------------------------------------------------------------------------


class RatingSheet(AuditedModel):
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("set by (street, district or city)")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    total_points = models.PositiveSmallIntegerField(_("total points"), default=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("rating sheet")
        verbose_name_plural = _("rating sheets")
        ordering = ["-year", "area__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="one_sheet_per_area_year"),
            models.CheckConstraint(condition=Q(total_points__gte=1), name="sheet_has_points"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("recognition:sheet", args=[self.pk])

    def stars_for(self, score: Decimal) -> int:
        """The stars a score earns by the sheet's bands; 0 below the lowest band."""
        for band in self.bands.all():
            if band.holds(score, self.total_points):
                return band.stars
        return 0


class Criterion(AuditedModel):
    sheet = models.ForeignKey(RatingSheet, models.CASCADE, related_name="criteria", verbose_name=_("sheet"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("criterion"), max_length=200)
    points = models.PositiveSmallIntegerField(_("points"))

    scope_path = "sheet__area__path"

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(points__gte=1), name="criterion_has_points")]

    def __str__(self) -> str:
        return f"{self.title} ({self.points})"

    def audit_area_path(self) -> str:
        return self.sheet.area.path


class StarBand(AuditedModel):
    """Scores from ``min_score`` up to (not including) ``below`` earn ``stars``; the top band
    holds the sheet's total too."""

    sheet = models.ForeignKey(RatingSheet, models.CASCADE, related_name="bands", verbose_name=_("sheet"))
    stars = models.PositiveSmallIntegerField(_("stars"))
    min_score = models.DecimalField(_("from score"), max_digits=6, decimal_places=1)
    below = models.DecimalField(_("below score"), max_digits=6, decimal_places=1)

    scope_path = "sheet__area__path"

    class Meta:
        verbose_name = _("star band")
        verbose_name_plural = _("star bands")
        ordering = ["-min_score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "stars"], name="one_band_per_stars"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="band_stars_1_to_5"),
            models.CheckConstraint(condition=Q(below__gt=models.F("min_score")), name="band_not_empty"),
        ]

    def __str__(self) -> str:
        return f"★{self.stars} {self.min_score}–{self.below}"

    def holds(self, score: Decimal, total: int) -> bool:
        return self.min_score <= score < self.below or (score == self.below == total)

    def audit_area_path(self) -> str:
        return self.sheet.area.path


# --- Ratings --------------------------------------------------------------------------------------


class RatingStatus(models.TextChoices):
    DRAFT = "draft", _("Being scored")
    SUBMITTED = "submitted", _("Submitted")
    FINAL = "final", _("Final")


class RatingQuerySet(AuditedQuerySet["Rating"]):
    def final(self) -> RatingQuerySet:
        return self.filter(status=RatingStatus.FINAL)


class Rating(AuditedModel):
    centre = models.ForeignKey(Centre, models.CASCADE, related_name="ratings", verbose_name=_("centre"))
    sheet = models.ForeignKey(RatingSheet, models.PROTECT, related_name="ratings", verbose_name=_("sheet"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=RatingStatus.choices, default=RatingStatus.DRAFT
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    note = models.TextField(_("assessor's note"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("assessor")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("made final at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made final by"),
    )

    objects = RatingQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "centre__area__path"

    class Meta:
        verbose_name = _("centre rating")
        verbose_name_plural = _("centre ratings")
        ordering = ["-year", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year"], condition=Q(status="final"), name="one_final_rating_per_year"
            ),
            models.CheckConstraint(condition=Q(score__gte=0) | Q(score__isnull=True), name="rating_score_ok"),
            models.CheckConstraint(
                condition=Q(stars__gte=0, stars__lte=5) | Q(stars__isnull=True), name="rating_stars_0_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("recognition:rating", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == RatingStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == RatingStatus.SUBMITTED

    @property
    def is_final(self) -> bool:
        return self.status == RatingStatus.FINAL

    @property
    def star_text(self) -> str:
        return "★" * (self.stars or 0)

    def audit_area_path(self) -> str:
        return self.centre.area.path


def evidence_path(instance: Score, filename: str) -> str:
    now = timezone.now()
    return f"recognition/{now:%Y/%m}/{instance.stored_name}"


class Score(AuditedModel):
    rating = models.ForeignKey(Rating, models.CASCADE, related_name="scores", verbose_name=_("rating"))
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="+", verbose_name=_("criterion"))
    points = models.DecimalField(_("points given"), max_digits=6, decimal_places=1)
    note = models.TextField(_("evidence note"), blank=True)
    file = models.FileField(_("evidence file"), upload_to=evidence_path, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    stored_name = models.CharField(max_length=60, editable=False, blank=True)
    scored_at = models.DateTimeField(_("scored at"), default=timezone.now)

    scope_path = "rating__centre__area__path"

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["criterion__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.title}: {self.points}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.note.strip() or self.file)

    @property
    def shown_file_name(self) -> str:
        return Path(self.file_name).name

    def audit_area_path(self) -> str:
        return self.rating.centre.area.path


# --- Talent -------------------------------------------------------------------------------------


class SkillTag(models.TextChoices):
    CRAFT = "craft", _("Handicraft")
    REPAIR = "repair", _("Repairs")
    CALLIGRAPHY = "calligraphy", _("Calligraphy and painting")
    MUSIC = "music", _("Music and opera")
    DANCE = "dance", _("Dance and exercise")
    COOKING = "cooking", _("Cooking")
    HEALTH = "health", _("Health care")
    LAW = "law", _("Legal advice")
    DIGITAL = "digital", _("Phones and computers")
    TEACHING = "teaching", _("Tutoring children")
    GARDEN = "garden", _("Gardening")
    OTHER = "other", _("Other")


class TalentStatus(models.TextChoices):
    OFFERED = "offered", _("Offered, awaiting the committee")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TalentQuerySet(AuditedQuerySet["Talent"]):
    def confirmed(self) -> TalentQuerySet:
        return self.filter(status=TalentStatus.CONFIRMED)

    def with_skill(self, text: str) -> TalentQuerySet:
        """By tag (its code or its words) or by the free text."""
        text = text.strip()
        if not text:
            return self
        tags = [value for value, label in SkillTag.choices if text in (value, str(label))]
        q = Q(skills__icontains=text) | Q(tags__icontains=text)
        for tag in tags:
            q |= Q(tags__icontains=tag)
        return self.filter(q)


class Talent(AuditedModel):
    """A 睦邻达人. ``shown_as`` is all the public sees of them (王阿姨); contact goes through
    the committee, never by their phone or address."""

    committee = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"), editable=False
    )
    resident = models.ForeignKey(
        "registry.Resident", models.CASCADE, related_name="+", verbose_name=_("resident")
    )
    shown_as = models.CharField(_("shown to the public as"), max_length=20)
    tags = models.CharField(_("skills"), max_length=200, blank=True)
    skills = models.CharField(_("what they can do"), max_length=300)
    teaches = models.BooleanField(_("willing to teach"), default=True)
    helps = models.BooleanField(_("willing to help"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TalentStatus.choices, default=TalentStatus.OFFERED
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("entered by")
    )
    offered_at = models.DateTimeField(_("offered at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = TalentQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "resident__household__building__path"

    class Meta:
        verbose_name = _("local talent")
        verbose_name_plural = _("local talent")
        ordering = ["shown_as", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=~Q(status="withdrawn"), name="one_current_talent"
            )
        ]

    def __str__(self) -> str:
        return self.shown_as

    @property
    def tag_list(self) -> list[str]:
        return split_list(self.tags)

    @property
    def tag_names(self) -> list[str]:
        names = dict(SkillTag.choices)
        return [str(names.get(t, t)) for t in self.tag_list]

    @property
    def is_offered(self) -> bool:
        return self.status == TalentStatus.OFFERED

    @property
    def is_confirmed(self) -> bool:
        return self.status == TalentStatus.CONFIRMED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == TalentStatus.WITHDRAWN


# --- Awards ---------------------------------------------------------------------------------------


class Award(AuditedModel):
    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    title = models.CharField(_("title"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    about = models.TextField(_("what it honours"), blank=True)
    places = models.PositiveSmallIntegerField(_("winners at most"), default=10)
    nominations_until = models.DateField(_("nominations until"))
    # The public vote: a deliberation topic with its poll, one vote per resident.
    topic = models.OneToOneField(
        "deliberation.Topic",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("public vote"),
    )
    decision = models.TextField(_("the committee's decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("decided by")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "title", "year"], name="one_award_per_year"),
            models.CheckConstraint(condition=Q(places__gte=1), name="award_has_places"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("recognition:award", args=[self.pk])

    def public_url(self) -> str:
        return reverse("recognition:winners", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def has_vote(self) -> bool:
        return self.topic_id is not None

    def takes_nominations(self, today=None) -> bool:
        return (
            not self.is_decided
            and not self.has_vote
            and (today or timezone.localdate()) <= self.nominations_until
        )

    @property
    def stage(self) -> str:
        if self.is_decided:
            return str(_("Decided"))
        if self.has_vote:
            return str(_("Public vote"))
        return str(_("Taking nominations"))


class Nomination(AuditedModel):
    award = models.ForeignKey(Award, models.CASCADE, related_name="nominations", verbose_name=_("award"))
    nominee = models.ForeignKey(
        "registry.Resident", models.CASCADE, related_name="+", verbose_name=_("nominee")
    )
    reason = models.TextField(_("why"))
    nominated_by = models.ForeignKey(
        "registry.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by (resident)"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("nominated at"), default=timezone.now)
    # The nominee's choice in the public vote, once it is opened.
    option = models.OneToOneField(
        "deliberation.PollOption",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("choice in the vote"),
    )
    won = models.BooleanField(_("chosen by the committee"), default=False)
    citation = models.CharField(_("citation"), max_length=300, blank=True)

    scope_path = "award__committee__path"

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["award", "nominee"], name="one_nomination_per_nominee")
        ]

    def __str__(self) -> str:
        return f"{self.award} · {self.nominee}"

    def audit_area_path(self) -> str:
        return self.award.committee.path

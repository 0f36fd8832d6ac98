"""Conventions (公约): the rules a building or a committee's residents agree on together.

A convention (building 62's health convention, seed 000) is written by the committee for the
residents of an area: the committee itself, or a grid, building group or building of it. Its
text lives in numbered **versions**: a draft is edited freely; consultation (征询) makes it
read-only and lets residents comment on each clause until a closing date; finalising freezes
it, and from then on residents sign it (online, through a family member, or on paper at the
signing ceremony, ticked by their building leader); publishing puts it on the wall. An
amendment is a new version, copied from the published text; when it is published the old one
is superseded and keeps its signatures, and residents sign the new text afresh.

One live signature per resident, or per household when the convention says so, is enforced
by the database (a partial unique index on the version and the signer's key), not only in
Python.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedModel


class Convention(AuditedModel):
    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    # Whose residents it is for: the committee, or a grid, building group or building of it.
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("for residents of")
    )
    title = models.CharField(_("title"), max_length=120)
    per_household = models.BooleanField(
        _("one signature per household"),
        default=False,
        help_text=_("Otherwise every resident signs for themself."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conventions:detail", args=[self.pk])

    def key_for(self, resident) -> str:
        """Who a signature counts for: the resident, or their household."""
        return f"h:{resident.household_id}" if self.per_household else f"r:{resident.pk}"


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    FINAL = "final", _("Final, open for signing")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


# Residents see a version from consultation on; they sign it from final on.
VISIBLE_STATES = (
    VersionState.CONSULTATION,
    VersionState.FINAL,
    VersionState.PUBLISHED,
    VersionState.SUPERSEDED,
)
SIGNING_STATES = (VersionState.FINAL, VersionState.PUBLISHED)
OPEN_STATES = (VersionState.DRAFT, VersionState.CONSULTATION, VersionState.FINAL)
# From final on the text is fixed: its signatures are counted and its poster can be printed.
FINAL_TEXT_STATES = (VersionState.FINAL, VersionState.PUBLISHED, VersionState.SUPERSEDED)


class ConventionVersion(AuditedModel):
    """One text of a convention. The preamble is part of the text, so it is kept per version:
    an amendment may change it without changing what earlier signers signed."""

    convention = models.ForeignKey(
        Convention, models.CASCADE, related_name="versions", verbose_name=_("convention")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=12, choices=VersionState.choices, default=VersionState.DRAFT
    )
    preamble = models.TextField(_("preamble"), blank=True)
    consultation_closes = models.DateField(_("consultation closes on"), null=True, blank=True)
    consultation_opened_at = models.DateTimeField(_("consultation opened at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "convention__committee__path"

    class Meta:
        verbose_name = _("convention version")
        verbose_name_plural = _("convention versions")
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "number"], name="one_version_number"),
            # One amendment at a time, and one text on the wall.
            models.UniqueConstraint(
                fields=["convention"],
                condition=Q(state__in=["draft", "consultation", "final"]),
                name="one_open_version_per_convention",
            ),
            models.UniqueConstraint(
                fields=["convention"], condition=Q(state="published"), name="one_published_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convention} · v{self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.convention.get_absolute_url()}?version={self.number}"

    @property
    def is_signing(self) -> bool:
        return self.state in SIGNING_STATES

    @property
    def is_draft(self) -> bool:
        """Only staff see a draft; only a draft's text may change, go out for consultation or be discarded."""
        return self.state == VersionState.DRAFT

    @property
    def is_in_consultation(self) -> bool:
        """Residents comment on each clause; only then is the text finalised."""
        return self.state == VersionState.CONSULTATION

    @property
    def is_final(self) -> bool:
        """Final and open for signing, not yet published: the next step is publishing."""
        return self.state == VersionState.FINAL

    @property
    def is_superseded(self) -> bool:
        """Replaced by a newer version: its signatures are kept, none are added or withdrawn."""
        return self.state == VersionState.SUPERSEDED

    @property
    def has_final_text(self) -> bool:
        return self.state in FINAL_TEXT_STATES


class Clause(AuditedModel):
    version = models.ForeignKey(
        ConventionVersion, models.CASCADE, related_name="clauses", verbose_name=_("version")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    theme = models.CharField(_("theme"), max_length=30, blank=True, help_text=_("e.g. 社区健康类"))
    text = models.TextField(_("text"))

    scope_path = "version__convention__committee__path"

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:40]}"


class ClauseComment(AuditedModel):
    """A resident's opinion on one clause, during consultation (written by them or their proxy)."""

    clause = models.ForeignKey(Clause, models.CASCADE, related_name="comments", verbose_name=_("clause"))
    resident = models.ForeignKey(
        "registry.Resident", models.CASCADE, related_name="+", verbose_name=_("resident")
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("written by")
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    scope_path = "resident__household__building__path"

    class Meta:
        verbose_name = _("comment on a clause")
        verbose_name_plural = _("comments on clauses")
        ordering = ["clause", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.resident} · {self.clause}"

    def audit_area_path(self) -> str:
        return self.resident.household.building.path


class SignatureVia(models.TextChoices):
    ONLINE = "online", _("Online")
    PROXY = "proxy", _("Online, by a family member")
    PAPER = "paper", _("On paper")


class Signature(AuditedModel):
    """One resident's (or household's) signature of one version. Withdrawing keeps the row."""

    version = models.ForeignKey(
        ConventionVersion, models.CASCADE, related_name="signatures", verbose_name=_("version")
    )
    resident = models.ForeignKey(
        "registry.Resident", models.CASCADE, related_name="+", verbose_name=_("signed by")
    )
    household = models.ForeignKey(
        "registry.Household", models.PROTECT, related_name="+", verbose_name=_("household")
    )
    # "r:<resident id>" or "h:<household id>", as the convention counts signatures.
    key = models.CharField(_("signs for"), max_length=30)
    via = models.CharField(_("how"), max_length=10, choices=SignatureVia.choices, default=SignatureVia.ONLINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    scope_path = "household__building__path"

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["version", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], condition=Q(withdrawn_at__isnull=True), name="one_live_signature"
            )
        ]
        indexes = [models.Index(fields=["version", "household"], name="signature_household")]

    def __str__(self) -> str:
        return f"{self.resident} · {self.version}"

    def audit_area_path(self) -> str:
        return self.household.building.path

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None

    @property
    def is_on_paper(self) -> bool:
        """Recorded by staff from a paper sheet: staff may undo it."""
        return self.via == SignatureVia.PAPER

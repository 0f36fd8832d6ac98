"""Governance projects (三微项目, 自治项目) and the yearly competitions that choose the best.

- ``Project``: a 微心愿, 微更新, 微治理 or 自治项目 of a committee (or street), proposed by a
  volunteer team, a resident, a social organisation (a partner unit) or staff; its budget
  (``BudgetLine``), its ``Milestone``\\ s, its status (proposed, approved, running, finished,
  refused) and, when finished, its report with photos (``ReportPhoto``).
- ``Round``: a yearly competition set by a street, district or city: the call (dates), the
  rubric (``Criterion``: weights adding up to 100, each scored 0..its maximum), the judges
  (``Judge``), the entries (``Entry``, checked eligible or not), judging, the public notice
  (公示) with its period for objections (``Objection``), the results.
- ``Conflict``: a judge connected to an entry declares it and does not score it.
- ``Score``: one judge's marks for one entry (``CriterionScore`` per criterion). Every score
  is kept: a correction while judging is open is a new score amending the first, which is
  marked superseded, never deleted.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet


class ProjectKind(models.TextChoices):
    WISH = "wish", _("Micro-wish (微心愿)")
    RENEWAL = "renewal", _("Micro-renewal (微更新)")
    GOVERNANCE = "governance", _("Micro-governance (微治理)")
    SELF_GOVERNANCE = "self_governance", _("Self-governance project (自治项目)")


class ProposerKind(models.TextChoices):
    TEAM = "team", _("A volunteer team")
    RESIDENT = "resident", _("A resident")
    SOCIAL_ORG = "social_org", _("A social organisation")
    STAFF = "staff", _("Committee staff")


class GovernanceStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    REFUSED = "refused", _("Refused")


# What may follow each status.
NEXT_STATUS = {
    GovernanceStatus.PROPOSED: (GovernanceStatus.APPROVED, GovernanceStatus.REFUSED),
    GovernanceStatus.APPROVED: (GovernanceStatus.RUNNING,),
    GovernanceStatus.RUNNING: (GovernanceStatus.FINISHED,),
    GovernanceStatus.FINISHED: (),
    GovernanceStatus.REFUSED: (),
}
STATUS_TONE = {
    GovernanceStatus.PROPOSED: "",
    GovernanceStatus.APPROVED: "badge-ok",
    GovernanceStatus.RUNNING: "badge-ok",
    GovernanceStatus.FINISHED: "",
    GovernanceStatus.REFUSED: "badge-warn",
}


class ProjectQuerySet(AuditedQuerySet["Project"]):
    def public(self) -> ProjectQuerySet:
        """What anyone may read: projects approved, running or finished."""
        return self.filter(
            status__in=[GovernanceStatus.APPROVED, GovernanceStatus.RUNNING, GovernanceStatus.FINISHED]
        )


class Project(AuditedModel):
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee or street")
    )
    title = models.CharField(_("title"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    summary = models.TextField(_("what it does"))
    proposer_kind = models.CharField(_("proposed by"), max_length=12, choices=ProposerKind.choices)
    team = models.ForeignKey(
        "volunteers.Team", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    partner = models.ForeignKey(
        "partners.PartnerUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("social organisation"),
    )
    resident = models.ForeignKey(
        "registry.Resident",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident proposer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GovernanceStatus.choices, default="proposed"
    )
    status_note = models.CharField(_("why (refusal)"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    report = models.TextField(_("end report"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ProjectQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "area__path"

    class Meta:
        verbose_name = _("governance project")
        verbose_name_plural = _("governance projects")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(proposer_kind="team", team__isnull=False, partner__isnull=True, resident__isnull=True)
                    | Q(
                        proposer_kind="social_org",
                        partner__isnull=False,
                        team__isnull=True,
                        resident__isnull=True,
                    )
                    | Q(
                        proposer_kind="resident",
                        resident__isnull=False,
                        team__isnull=True,
                        partner__isnull=True,
                    )
                    | Q(proposer_kind="staff", resident__isnull=True, team__isnull=True, partner__isnull=True)
                ),
                name="project_one_proposer",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="project_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:project", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("projects:public_project", args=[self.pk])

    @property
    def status_tone(self) -> str:
        return STATUS_TONE.get(self.status, "")  # type: ignore[call-overload]

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return NEXT_STATUS.get(self.status, ())  # type: ignore[call-overload]

    @property
    def may_report(self) -> bool:
        """A running or finished project takes its end report (and photos)."""
        return self.status in (GovernanceStatus.RUNNING, GovernanceStatus.FINISHED)

    @property
    def is_public(self) -> bool:
        return self.status in (GovernanceStatus.APPROVED, GovernanceStatus.RUNNING, GovernanceStatus.FINISHED)

    @property
    def proposer_public(self) -> str:
        """Who proposed it, as the public sees it: a team or organisation by name, a resident
        never by name."""
        if self.team_id:
            return self.team.name  # type: ignore[union-attr]
        if self.partner_id:
            return self.partner.name  # type: ignore[union-attr]
        return str(self.get_proposer_kind_display())  # type: ignore[attr-defined]


class BudgetLine(AuditedModel):
    project = models.ForeignKey(Project, models.CASCADE, related_name="budget", verbose_name=_("project"))
    item = models.CharField(_("item"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    scope_path = "project__area__path"

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_positive")]

    def __str__(self) -> str:
        return f"{self.item} ¥{self.amount}"


class Milestone(AuditedModel):
    project = models.ForeignKey(Project, models.CASCADE, related_name="milestones", verbose_name=_("project"))
    title = models.CharField(_("milestone"), max_length=100)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_path = "project__area__path"

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due < timezone.localdate()


def photo_path(instance: ReportPhoto, filename: str) -> str:
    now = timezone.now()
    return f"projects/{now:%Y/%m}/{instance.stored_name}"


class ReportPhoto(AuditedModel):
    project = models.ForeignKey(Project, models.CASCADE, related_name="photos", verbose_name=_("project"))
    file = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    name = models.CharField(_("name"), max_length=200)
    stored_name = models.CharField(max_length=60, editable=False)
    size = models.PositiveIntegerField(_("size"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    scope_path = "project__area__path"

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.name


# --- Competitions -------------------------------------------------------------------------------


class RoundPhase(models.TextChoices):
    CALL = "call", _("Call for entries")
    JUDGING = "judging", _("Judging")
    NOTICE = "notice", _("Public notice (公示)")
    RESULTS = "results", pgettext_lazy("competition phase", "Results")


PHASE_ORDER = [RoundPhase.CALL, RoundPhase.JUDGING, RoundPhase.NOTICE, RoundPhase.RESULTS]


class Round(AuditedModel):
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("set by"))
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    about = models.TextField(_("about"), blank=True)
    call_opens = models.DateField(_("call opens"))
    call_closes = models.DateField(_("call closes"))
    pick = models.PositiveSmallIntegerField(_("best chosen"), default=10)
    phase = models.CharField(_("phase"), max_length=10, choices=RoundPhase.choices, default=RoundPhase.CALL)
    notice_from = models.DateField(_("public notice from"), null=True, blank=True)
    notice_until = models.DateField(_("objections until"), null=True, blank=True)
    results_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("competition round")
        verbose_name_plural = _("competition rounds")
        ordering = ["-year", "-created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(call_closes__gte=F("call_opens")), name="round_call_order"),
            models.CheckConstraint(condition=Q(pick__gte=1) & Q(pick__lte=500), name="round_pick_range"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="round_year_range"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:round", args=[self.pk])

    def phase_reached(self, phase: str) -> bool:
        return PHASE_ORDER.index(self.phase) >= PHASE_ORDER.index(phase)  # type: ignore[arg-type]

    @property
    def is_call(self) -> bool:
        return self.phase == RoundPhase.CALL

    @property
    def is_judging(self) -> bool:
        return self.phase == RoundPhase.JUDGING

    @property
    def is_notice(self) -> bool:
        return self.phase == RoundPhase.NOTICE

    @property
    def has_results(self) -> bool:
        return self.phase == RoundPhase.RESULTS

    @property
    def is_public(self) -> bool:
        """The 公示 and the results are public from the notice on."""
        return self.phase_reached(RoundPhase.NOTICE)

    @property
    def call_is_open(self) -> bool:
        today = timezone.localdate()
        return self.phase == RoundPhase.CALL and self.call_opens <= today <= self.call_closes

    @property
    def objections_open(self) -> bool:
        return (
            self.phase == RoundPhase.NOTICE
            and self.notice_until is not None
            and timezone.localdate() <= self.notice_until
        )

    @property
    def phase_tone(self) -> str:
        return "badge-ok" if self.phase == RoundPhase.RESULTS else ""


class Criterion(AuditedModel):
    round = models.ForeignKey(Round, models.CASCADE, related_name="criteria", verbose_name=_("round"))
    name = models.CharField(_("criterion"), max_length=80)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    max_points = models.PositiveSmallIntegerField(_("scored out of"), default=10)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    scope_path = "round__area__path"

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100), name="criterion_weight_range"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=1) & Q(max_points__lte=100), name="criterion_max_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Judge(AuditedModel):
    round = models.ForeignKey(Round, models.CASCADE, related_name="judges", verbose_name=_("round"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("judge")
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    scope_path = "round__area__path"

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="one_judge_per_round")]

    def __str__(self) -> str:
        return self.user.name


class Eligibility(models.TextChoices):
    PENDING = "pending", _("To be checked")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")


class Entry(AuditedModel):
    round = models.ForeignKey(Round, models.CASCADE, related_name="entries", verbose_name=_("round"))
    project = models.ForeignKey(Project, models.PROTECT, related_name="entries", verbose_name=_("project"))
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("area"))
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    eligibility = models.CharField(
        _("eligibility"), max_length=10, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    eligibility_reason = models.CharField(_("why not eligible"), max_length=200, blank=True)
    # Frozen when the public notice is published: the trimmed mean and the rank.
    result = models.DecimalField(_("result"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    chosen = models.BooleanField(_("among the best"), default=False)

    scope_path = "round__area__path"

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["entered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="one_entry_per_project"),
            models.CheckConstraint(
                condition=~Q(eligibility="ineligible") | ~Q(eligibility_reason=""),
                name="ineligible_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.project}"

    @property
    def is_eligible(self) -> bool:
        return self.eligibility == Eligibility.ELIGIBLE

    @property
    def is_checked(self) -> bool:
        return self.eligibility != Eligibility.PENDING

    @property
    def eligibility_tone(self) -> str:
        return {"eligible": "badge-ok", "ineligible": "badge-warn"}.get(self.eligibility, "")


class Conflict(AuditedModel):
    judge = models.ForeignKey(Judge, models.CASCADE, related_name="conflicts", verbose_name=_("judge"))
    entry = models.ForeignKey(Entry, models.CASCADE, related_name="conflicts", verbose_name=_("entry"))
    reason = models.CharField(_("connection"), max_length=200)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    scope_path = "entry__round__area__path"

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry"], name="one_conflict_per_judge_entry")
        ]

    def __str__(self) -> str:
        return f"{self.judge} · {self.entry}"


class Score(AuditedModel):
    judge = models.ForeignKey(Judge, models.PROTECT, related_name="scores", verbose_name=_("judge"))
    entry = models.ForeignKey(Entry, models.PROTECT, related_name="scores", verbose_name=_("entry"))
    total = models.DecimalField(_("weighted score"), max_digits=6, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    amends = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="amended_by", verbose_name=_("amends")
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    scope_path = "entry__round__area__path"

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "entry"], condition=Q(superseded_at__isnull=True), name="one_current_score"
            ),
            models.UniqueConstraint(
                fields=["judge", "entry"], condition=Q(amends__isnull=True), name="one_first_score"
            ),
            models.CheckConstraint(condition=Q(total__gte=0) & Q(total__lte=100), name="score_total_range"),
        ]

    def __str__(self) -> str:
        return f"{self.judge} · {self.entry}: {self.total}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class CriterionScore(AuditedModel):
    score = models.ForeignKey(Score, models.CASCADE, related_name="marks", verbose_name=_("score"))
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="+", verbose_name=_("criterion"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)

    scope_path = "score__entry__round__area__path"

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["score", "criterion"], name="one_mark_per_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0), name="mark_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class Objection(AuditedModel):
    entry = models.ForeignKey(Entry, models.CASCADE, related_name="objections", verbose_name=_("entry"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    reason = models.TextField(_("objection"))
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    scope_path = "entry__round__area__path"

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["filed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry}: {self.reason[:30]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


ZERO = Decimal("0")

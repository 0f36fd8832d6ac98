"""Governance projects: proposing one, its budget lines and milestones, moving it through its
statuses, and its end report with photos.

A project is of a committee (or street) and proposed by one of: a volunteer team of that area,
a resident registered there, a social organisation (a partner unit of kind 社会组织) of the
area or the street above it, or the staff themselves. Its status moves proposed → approved →
running → finished, or proposed → refused (with a reason). Budget lines are positive sums in
yuan; the budget is changed only before the project runs. A milestone is marked done with the
day and a note. The end report (and its photos) is written once the project runs.

Drawing a budget on the community fund is not done here: the ``funds`` app will be joined to
it when the two are merged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area
from common.scope import Scope
from common.uploads import photo_name, photo_problems, shown_name, store
from partners.models import PartnerUnit, UnitKind
from projects import rules
from projects.models import (
    BudgetLine,
    GovernanceStatus,
    Milestone,
    Project,
    ProjectKind,
    ProposerKind,
    ReportPhoto,
)
from registry.models import Resident
from volunteers.models import Team

MAX_AMOUNT = Decimal("9999999.99")
MAX_LINES = 30
MAX_PHOTOS = 12
MAX_NOTE = 200


@dataclass
class ProjectDraft:
    title: str
    kind: str
    summary: str
    proposer_kind: str = ProposerKind.STAFF
    team: Team | None = None
    partner: PartnerUnit | None = None
    resident: Resident | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    budget: list[tuple[str, Decimal]] = field(default_factory=list)


def teams_for(area: Area):
    return Team.objects.current().filter(area__path__startswith=area.path).order_by("name", "pk")


def social_orgs_for(area: Area):
    """Social organisations of the area, or of the street (district) above it."""
    paths = [area.path, *area.ancestor_paths()]
    return (
        PartnerUnit.objects.current()
        .filter(kind=UnitKind.SOCIAL_ORG, area__path__in=paths)
        .order_by("name", "pk")
    )


def parse_amount(text: str) -> Decimal | None:
    try:
        amount = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def _check(draft: ProjectDraft, area: Area) -> None:
    errors: dict[str, str] = {}
    if not draft.title.strip():
        errors["title"] = _("Give the project a title, e.g. 楼道微更新.")
    if draft.kind not in ProjectKind.values:
        errors["kind"] = _(
            "Choose the kind of project: micro-wish, micro-renewal, micro-governance or self-governance."
        )
    if not draft.summary.strip():
        errors["summary"] = _("Say what the project does.")
    kind = draft.proposer_kind
    if kind not in ProposerKind.values:
        errors["proposer_kind"] = _("Choose who proposes the project.")
    elif kind == ProposerKind.TEAM:
        if draft.team is None or not teams_for(area).filter(pk=draft.team.pk).exists():
            errors["team"] = _("Choose a current volunteer team of %(area)s.") % {"area": area.name}
    elif kind == ProposerKind.SOCIAL_ORG:
        if draft.partner is None or not social_orgs_for(area).filter(pk=draft.partner.pk).exists():
            errors["partner"] = _("Choose a social organisation working in %(area)s.") % {"area": area.name}
    elif kind == ProposerKind.RESIDENT and (
        draft.resident is None or not draft.resident.household.building.path.startswith(area.path)
    ):
        errors["resident"] = _("Choose a resident registered in %(area)s.") % {"area": area.name}
    if draft.starts_on and draft.ends_on and draft.ends_on < draft.starts_on:
        errors["ends_on"] = _("The project must end on or after the day it starts.")
    problem = _budget_problem(draft.budget)
    if problem:
        errors["budget"] = problem
    if errors:
        raise ValidationError(errors)


def _budget_problem(lines: list[tuple[str, Decimal]]) -> str:
    if len(lines) > MAX_LINES:
        return _("At most %(n)d budget lines.") % {"n": MAX_LINES}
    for item, amount in lines:
        if not item.strip():
            return _("Each budget line needs an item.")
        if amount is None or amount <= 0:
            return _("The amount for “%(item)s” must be more than 0 yuan.") % {"item": item}
        if amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
            return _("The amount for “%(item)s” must be at most %(max)s yuan, to the fen.") % {
                "item": item,
                "max": MAX_AMOUNT,
            }
    return ""


def _apply(project: Project, draft: ProjectDraft) -> None:
    project.title = draft.title.strip()
    project.kind = draft.kind
    project.summary = draft.summary.strip()
    project.proposer_kind = draft.proposer_kind
    project.team = draft.team if draft.proposer_kind == ProposerKind.TEAM else None
    project.partner = draft.partner if draft.proposer_kind == ProposerKind.SOCIAL_ORG else None
    project.resident = draft.resident if draft.proposer_kind == ProposerKind.RESIDENT else None
    project.starts_on = draft.starts_on
    project.ends_on = draft.ends_on


@transaction.atomic
def propose(user: User, draft: ProjectDraft, *, scope: Scope, area: Area | None = None) -> Project:
    """A new project of ``area`` (the staff member's own by default), proposed."""
    area = area or scope.area
    if not rules.runs_area(scope, area):
        raise PermissionDenied(_("Projects are entered by staff running projects in a committee or street."))
    assert area is not None
    _check(draft, area)
    project = Project(area=area, created_by=user)
    _apply(project, draft)
    project.save()
    BudgetLine.objects.bulk_create(
        [BudgetLine(project=project, item=item.strip(), amount=amount) for item, amount in draft.budget]
    )
    return project


def _keep(scope: Scope, project: Project) -> None:
    if not rules.runs(scope, project):
        raise PermissionDenied(
            _("Only staff over %(area)s change this project.") % {"area": project.area.name}
        )


@transaction.atomic
def change(project: Project, draft: ProjectDraft, *, scope: Scope) -> Project:
    """Change what the project is, and its budget while it is not yet running."""
    _keep(scope, project)
    _check(draft, project.area)
    if project.status not in (GovernanceStatus.PROPOSED, GovernanceStatus.APPROVED):
        raise ValidationError(
            {
                "budget": _("The project is %(status)s: its plan and budget no longer change.")
                % {"status": project.get_status_display()}
            }
        )
    _apply(project, draft)
    project.save()
    project.budget.all().delete()
    BudgetLine.objects.bulk_create(
        [BudgetLine(project=project, item=item.strip(), amount=amount) for item, amount in draft.budget]
    )
    return project


@transaction.atomic
def move(project: Project, status: str, *, scope: Scope, note: str = "") -> Project:
    """Approve, refuse (with a reason), start or finish the project."""
    _keep(scope, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if status not in project.next_statuses:
        raise ValidationError(
            {
                "status": _("A project that is %(now)s cannot become %(next)s.")
                % {
                    "now": project.get_status_display(),
                    "next": GovernanceStatus(status).label if status in GovernanceStatus.values else status,
                }
            }
        )
    note = note.strip()
    if status == GovernanceStatus.REFUSED and not note:
        raise ValidationError({"note": _("Say why the project is refused.")})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("At most %(n)d characters.") % {"n": MAX_NOTE}})
    if status == GovernanceStatus.FINISHED and not project.report.strip():
        raise ValidationError({"status": _("Write the end report before finishing the project.")})
    project.status = status
    project.status_note = note if status == GovernanceStatus.REFUSED else project.status_note
    if status == GovernanceStatus.RUNNING and project.starts_on is None:
        project.starts_on = timezone.localdate()
    if status == GovernanceStatus.FINISHED and project.ends_on is None:
        project.ends_on = max(timezone.localdate(), project.starts_on or timezone.localdate())
    project.save()
    return project


def add_milestone(project: Project, title: str, due: date | None, *, scope: Scope) -> Milestone:
    _keep(scope, project)
    errors = {}
    if not title.strip():
        errors["title"] = _("Name the milestone, e.g. 完成设计方案.")
    if due is None:
        errors["due"] = _("Give the day the milestone is due.")
    if project.status in (GovernanceStatus.FINISHED, GovernanceStatus.REFUSED):
        errors["title"] = _("The project is %(status)s: no new milestones.") % {
            "status": project.get_status_display()
        }
    if errors:
        raise ValidationError(errors)
    return Milestone.objects.create(project=project, title=title.strip()[:100], due=due)


def mark_done(milestone: Milestone, done_on: date | None, note: str, *, scope: Scope) -> Milestone:
    _keep(scope, milestone.project)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A milestone is marked done on a day already come.")})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("At most %(n)d characters.") % {"n": MAX_NOTE}})
    milestone.done_on = done_on
    milestone.note = note.strip()
    milestone.save()
    return milestone


def write_report(project: Project, text: str, *, scope: Scope) -> Project:
    _keep(scope, project)
    if not project.may_report:
        raise ValidationError({"report": _("The end report is written once the project runs.")})
    if not text.strip():
        raise ValidationError({"report": _("Write what the project did and what came of it.")})
    project.report = text.strip()
    project.reported_at = timezone.now()
    project.save()
    return project


def max_mb() -> int:
    return getattr(settings, "PROJECTS_MAX_PHOTO_MB", 10)


def check_photos(files: list[UploadedFile], already: int) -> list[str]:
    return photo_problems(
        files,
        already=already,
        most=MAX_PHOTOS,
        too_many=_("A report takes at most %(n)d photos."),
        max_mb=max_mb(),
    )


@transaction.atomic
def add_photos(
    user: User, project: Project, files: Iterable[UploadedFile], *, scope: Scope
) -> list[ReportPhoto]:
    """Photos of the end report, shown on the public page: images only, all or none."""
    _keep(scope, project)
    if not project.may_report:
        raise ValidationError({"photos": _("The end report is written once the project runs.")})
    files = list(files)
    if not files:
        raise ValidationError({"photos": _("Choose a photo.")})
    problems = check_photos(files, project.photos.count())
    if problems:
        raise ValidationError({"photos": problems})
    return store(
        (
            ReportPhoto(
                project=project,
                name=shown_name(upload),
                stored_name=photo_name(upload),
                size=upload.size or 0,
                added_by=user,
            ),
            upload,
        )
        for upload in files
    )


@transaction.atomic
def remove_photo(photo: ReportPhoto, *, scope: Scope) -> None:
    _keep(scope, photo.project)
    name = photo.file.name
    storage = photo.file.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))

"""Governance projects: the API. Staff with ``Capability.RUN_PROJECTS`` over the project's area;
``GET /public/projects/{id}`` answers any logged-in user, like the public page (which needs no
login): no personal data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from areas.schemas import AreaRef
from common.api import ERRORS, Id, id_path
from common.schemas import Day, Text
from common.scope import Capability, get_or_404, staff_scope
from projects import competitions, proposals, selectors
from projects.models import GovernanceStatus, Project, ProjectKind, ProposerKind, Round
from registry.models import Resident

router = Router(tags=["projects"])
PROJECT_ID = id_path("A governance project's id.")


class ProjectBudgetLineOut(Schema):
    item: str
    amount: Decimal


class ProjectBudgetLineIn(Schema):
    item: Text = Field(..., min_length=1, max_length=100)
    amount: Decimal = Field(..., gt=0, le=proposals.MAX_AMOUNT, decimal_places=2)


class ProjectMilestoneOut(Schema):
    id: int
    title: str
    due: date
    done_on: date | None
    note: str


class ProjectPublicOut(Schema):
    id: int
    area: AreaRef
    title: str
    kind: ProjectKind
    summary: str
    proposed_by: str = Field(description="A team or organisation by name; a resident is never named.")
    status: GovernanceStatus
    starts_on: date | None
    ends_on: date | None
    budget: list[ProjectBudgetLineOut]
    budget_total: Decimal
    milestones: list[ProjectMilestoneOut]
    report: str
    photos: list[str] = Field(description="The report's photos' addresses.")

    @staticmethod
    def resolve_proposed_by(obj: Project) -> str:
        return obj.proposer_public

    @staticmethod
    def resolve_budget(obj: Project):
        return list(obj.budget.all())

    @staticmethod
    def resolve_milestones(obj: Project):
        return list(obj.milestones.all())

    @staticmethod
    def resolve_photos(obj: Project) -> list[str]:
        return [f"/projects/public/photos/{p.pk}/" for p in obj.photos.all()]


class ProjectOut(ProjectPublicOut):
    proposer_kind: ProposerKind
    team: int | None = Field(None, alias="team_id")
    partner: int | None = Field(None, alias="partner_id")
    resident: int | None = Field(None, alias="resident_id")
    status_note: str
    url: str

    @staticmethod
    def resolve_url(obj: Project) -> str:
        return obj.get_absolute_url()


class ProjectIn(Schema):
    title: Text = Field(..., min_length=1, max_length=80)
    kind: ProjectKind
    summary: Text = Field(..., min_length=1, max_length=4000)
    proposer_kind: ProposerKind = ProposerKind.STAFF
    team: Id | None = None
    partner: Id | None = None
    resident: Id | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    budget: list[ProjectBudgetLineIn] = Field(default_factory=list, max_length=proposals.MAX_LINES)


class ProjectStatusIn(Schema):
    status: GovernanceStatus
    note: Text = Field("", max_length=proposals.MAX_NOTE)


class ProjectMilestoneIn(Schema):
    title: Text = Field(..., min_length=1, max_length=100)
    due: Day


class ProjectMilestoneDoneIn(Schema):
    milestone: Id
    done_on: Day | None = None
    note: Text = Field("", max_length=proposals.MAX_NOTE)


class ProjectReportIn(Schema):
    report: Text = Field(..., min_length=1, max_length=10000)


class ProjectEnterIn(Schema):
    round: Id


class ProjectEntryOut(Schema):
    id: int
    round: int = Field(alias="round_id")
    project: int = Field(alias="project_id")
    eligibility: str


class ProjectFiguresOut(Schema):
    committee: AreaRef
    proposed: int
    running: int
    finished: int
    refused: int
    chosen: int
    budget: Decimal


def _scope(request):
    return staff_scope(request, Capability.RUN_PROJECTS)


def _project(request, gov_project_id: int) -> Project:
    scope = _scope(request)
    return scope.get(selectors.staff_projects(scope), _("No such project in your area."), pk=gov_project_id)


def _draft(payload: ProjectIn, area) -> proposals.ProjectDraft:
    team = partner = resident = None
    if payload.team is not None:
        team = proposals.teams_for(area).filter(pk=payload.team).first()
        if team is None:
            raise HttpError(422, _("Choose a current volunteer team of %(area)s.") % {"area": area.name})
    if payload.partner is not None:
        partner = proposals.social_orgs_for(area).filter(pk=payload.partner).first()
        if partner is None:
            raise HttpError(422, _("Choose a social organisation working in %(area)s.") % {"area": area.name})
    if payload.resident is not None:
        resident = Resident.objects.filter(
            pk=payload.resident, household__building__path__startswith=area.path
        ).first()
        if resident is None:
            raise HttpError(422, _("Choose a resident registered in %(area)s.") % {"area": area.name})
    return proposals.ProjectDraft(
        title=payload.title,
        kind=payload.kind,
        summary=payload.summary,
        proposer_kind=payload.proposer_kind,
        team=team,
        partner=partner,
        resident=resident,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        budget=[(line.item, line.amount) for line in payload.budget],
    )


@router.get("/projects", response={200: list[ProjectOut], **ERRORS}, summary="The projects of my area")
def list_projects(request):
    return list(
        selectors.staff_projects(_scope(request)).prefetch_related("budget", "milestones", "photos")[:500]
    )


@router.post("/projects", response={201: ProjectOut, **ERRORS}, summary="Propose a project")
def create_project(request, payload: ProjectIn):
    scope = _scope(request)
    if scope.area is None:
        raise HttpError(403, _("Projects are entered by staff running projects in a committee or street."))
    made = proposals.propose(request.user, _draft(payload, scope.area), scope=scope)
    return Status(201, _project(request, made.pk))


@router.get("/projects/{int:gov_project_id}", response={200: ProjectOut, **ERRORS}, summary="One project")
def get_project(request, gov_project_id: int = PROJECT_ID):
    return _project(request, gov_project_id)


@router.put(
    "/projects/{int:gov_project_id}", response={200: ProjectOut, **ERRORS}, summary="Change a project"
)
def change_project(request, payload: ProjectIn, gov_project_id: int = PROJECT_ID):
    found = _project(request, gov_project_id)
    proposals.change(found, _draft(payload, found.area), scope=request.scope)
    return _project(request, gov_project_id)


@router.post(
    "/projects/{int:gov_project_id}/status",
    response={200: ProjectOut, **ERRORS},
    summary="Approve, refuse, start, finish",
)
def move_project(request, payload: ProjectStatusIn, gov_project_id: int = PROJECT_ID):
    found = _project(request, gov_project_id)
    proposals.move(found, payload.status, scope=request.scope, note=payload.note)
    return _project(request, gov_project_id)


@router.post(
    "/projects/{int:gov_project_id}/milestones",
    response={201: ProjectMilestoneOut, **ERRORS},
    summary="Add a milestone",
)
def add_milestone(request, payload: ProjectMilestoneIn, gov_project_id: int = PROJECT_ID):
    found = _project(request, gov_project_id)
    return Status(201, proposals.add_milestone(found, payload.title, payload.due, scope=request.scope))


@router.post(
    "/projects/{int:gov_project_id}/milestones/done",
    response={200: ProjectMilestoneOut, **ERRORS},
    summary="Mark a milestone done",
)
def milestone_done(request, payload: ProjectMilestoneDoneIn, gov_project_id: int = PROJECT_ID):
    found = _project(request, gov_project_id)
    milestone = get_or_404(found.milestones.all(), _("No such milestone."), pk=payload.milestone)
    return proposals.mark_done(milestone, payload.done_on, payload.note, scope=request.scope)


@router.post(
    "/projects/{int:gov_project_id}/report", response={200: ProjectOut, **ERRORS}, summary="The end report"
)
def write_report(request, payload: ProjectReportIn, gov_project_id: int = PROJECT_ID):
    found = _project(request, gov_project_id)
    proposals.write_report(found, payload.report, scope=request.scope)
    return _project(request, gov_project_id)


@router.post(
    "/projects/{int:gov_project_id}/enter",
    response={201: ProjectEntryOut, **ERRORS},
    summary="Enter a competition",
)
def enter(request, payload: ProjectEnterIn, gov_project_id: int = PROJECT_ID):
    found = _project(request, gov_project_id)
    round_ = Round.objects.filter(
        pk=payload.round, area__path__in=[found.area.path, *found.area.ancestor_paths()]
    ).first()
    if round_ is None:
        raise HttpError(422, _("No round with id %(id)d for this project's area.") % {"id": payload.round})
    return Status(201, competitions.enter(round_, found, scope=request.scope))


@router.get(
    "/figures", response={200: list[ProjectFiguresOut], **ERRORS}, summary="Projects run per committee"
)
def figures(request):
    return selectors.figures(_scope(request))


@router.get(
    "/public/projects/{int:gov_project_id}",
    response={200: ProjectPublicOut, **ERRORS},
    summary="A project's public page",
)
def public_project(request, gov_project_id: int = PROJECT_ID):
    return get_or_404(selectors.public_projects(), _("No such project."), pk=gov_project_id)

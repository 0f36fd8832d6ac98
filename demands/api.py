"""API endpoints for residents' requests (诉求). Residents (and family members acting for
them) submit, follow, reply, rate, reopen and withdraw; staff who handle requests work the
queue, log requests for residents, assign, answer, resolve and decline, keep the
categories and service projects, and read the figures. Same services and scope as the
pages; a request outside the role's area (or not one's own) answers 404."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from accounts.models import User
from areas.models import Area, AreaLevel
from common.api import ERRORS, MAX_ID, Pages
from common.scope import Capability, Scope, get_or_404, staff_scope
from demands import categories, projects, selectors, services
from demands.figures import figures as demand_figures
from demands.models import Assignee, Category, Demand, ServiceProject
from demands.partner_api import router as unit_router
from demands.projects import ProjectDraft
from demands.schemas import (
    DemandAssignIn,
    DemandCategoryChangeIn,
    DemandCategoryIn,
    DemandCategoryOut,
    DemandCategorySettingOut,
    DemandDetailOut,
    DemandFiguresOut,
    DemandLogIn,
    DemandNoteIn,
    DemandOut,
    DemandPeriodQuery,
    DemandQueueQuery,
    DemandRateIn,
    DemandReasonIn,
    DemandResolveIn,
    DemandSubmitIn,
    DemandTextIn,
    ProjectGroupIn,
    ServiceProjectIn,
    ServiceProjectMoveIn,
    ServiceProjectOut,
    event_out,
)
from demands.selectors import QueueFilter
from partners.selectors import for_assignment
from registry.models import Resident
from registry.selectors import people_of

router = Router(tags=["demands"])
router.add_router("/unit", unit_router)
REQUEST_ID = Path(..., ge=1, le=MAX_ID, description="A request's id.")
PROJECT_ID = Path(..., ge=1, le=MAX_ID, description="A service project's id.")
CATEGORY_ID = Path(..., ge=1, le=MAX_ID, description="A category's id.")
PHOTO = File(..., description="A photo: JPG, PNG, WebP or GIF; at most 3 per request.")


def _scope(request) -> Scope:
    return staff_scope(request, Capability.HANDLE_DEMANDS)


def _fresh(demand_id: int) -> Demand:
    return selectors.for_rows(Demand.objects.filter(pk=demand_id)).select_related("project").get()


def _mine(request, demand_id: int) -> Demand:
    return get_or_404(
        selectors.of_resident(request.user),
        _("No request %(id)d of yours.") % {"id": demand_id},
        pk=demand_id,
    )


def _own(request, demand_id: int) -> Demand:
    return _scope(request).get(
        selectors.with_details(), _("No request %(id)d in your area.") % {"id": demand_id}, pk=demand_id
    )


def _person(request, resident_id: int) -> Resident:
    person = next((p for p in people_of(request.user) if p.pk == resident_id), None)
    if person is None:
        raise HttpError(404, _("No resident %(id)d you may act for.") % {"id": resident_id})
    return person


def _category(committee: Area, category_id: int) -> Category:
    found = Category.objects.filter(
        Q(committee=committee) | Q(committee__isnull=True), pk=category_id
    ).first()
    if found is None:
        raise HttpError(404, _("No category %(id)d here.") % {"id": category_id})
    return found


def _building(committee: Area, code: str | None) -> Area | None:
    if not code:
        return None
    found = Area.objects.subtree(committee).filter(code=code, level=AreaLevel.BUILDING).first()
    if found is None:
        raise HttpError(
            422, _("No building with code %(code)s in %(c)s.") % {"code": code[:40], "c": committee.name}
        )
    return found


# --- Residents -----------------------------------------------------------------------------


@router.get("", response={200: list[DemandOut], **ERRORS}, summary="My requests and my family's")
def my_demands(request):
    return list(selectors.demands_of(request.user).select_related("project").prefetch_related("photos")[:100])


@router.post("", response={201: DemandOut, **ERRORS}, summary="Ask for help")
def submit(request, payload: DemandSubmitIn):
    """For yourself or someone you act for; `place` empty means at the resident's home.
    Photos are added afterwards with `POST /{id}/photos`."""
    person = _person(request, payload.resident)
    made = services.submit(
        actor=request.user,
        resident=person,
        category=_category(person.committee, payload.category),
        text=payload.text,
        place=payload.place,
        building=_building(person.committee, payload.building),
    )
    return Status(201, _fresh(made.pk))


@router.get(
    "/categories", response={200: list[DemandCategoryOut], **ERRORS}, summary="Categories to ask under"
)
def offered_categories(request):
    """The categories the committees of your people offer (with staff: your committee's)."""
    committees = {p.committee_id: p.committee for p in people_of(request.user)}
    scope = request.scope
    if (
        not committees
        and scope.can(Capability.HANDLE_DEMANDS)
        and scope.area
        and scope.area.level == AreaLevel.COMMITTEE
    ):
        committees = {scope.area.pk: scope.area}
    out: dict[int, Category] = {}
    for committee in committees.values():
        for category in selectors.categories_for(committee):
            out.setdefault(category.pk, category)
    return list(out.values())


@router.get("/{int:demand_id}", response={200: DemandDetailOut, **ERRORS}, summary="One request")
def get_request(request, demand_id: int = REQUEST_ID):
    """With its timeline: the resident's view, or (staff of its committee) with internal notes."""
    found = selectors.readable_by_resident(request.user, demand_id)
    staff = False
    if found is None and request.scope.can(Capability.HANDLE_DEMANDS):
        found = selectors.own_demand(request.scope, demand_id)
        staff = found is not None
    if found is None:
        raise HttpError(404, _("No such request."))
    events = selectors.timeline(found, staff=staff)
    return {"demand": found, "timeline": [event_out(e, staff) for e in events]}


@router.post("/{int:demand_id}/photos", response={201: DemandOut, **ERRORS}, summary="Add a photo")
def add_photo(request, demand_id: int = REQUEST_ID, file: UploadedFile = PHOTO):
    found = selectors.readable_by_resident(request.user, demand_id)
    if found is None and request.scope.can(Capability.HANDLE_DEMANDS):
        found = selectors.own_demand(request.scope, demand_id)
    if found is None:
        raise HttpError(404, _("No such request."))
    services.add_photos(actor=request.user, demand=found, files=[file], scope=request.scope)
    return Status(201, _fresh(found.pk))


@router.post("/{int:demand_id}/reply", response={201: DemandOut, **ERRORS}, summary="Write to the committee")
def resident_reply(request, payload: DemandTextIn, demand_id: int = REQUEST_ID):
    found = _mine(request, demand_id)
    services.reply(actor=request.user, demand=found, text=payload.text, scope=request.scope)
    return Status(201, _fresh(found.pk))


@router.post("/{int:demand_id}/rate", response={200: DemandOut, **ERRORS}, summary="Rate the result")
def rate(request, payload: DemandRateIn, demand_id: int = REQUEST_ID):
    """Once, after it is resolved: 1 (not satisfied) to 5 (very satisfied)."""
    found = _mine(request, demand_id)
    services.rate(actor=request.user, demand=found, rating=payload.rating, comment=payload.comment)
    return _fresh(found.pk)


@router.post("/{int:demand_id}/reopen", response={200: DemandOut, **ERRORS}, summary="Reopen: not solved")
def reopen(request, payload: DemandReasonIn, demand_id: int = REQUEST_ID):
    """Within 14 days of the resolution, saying what is still wrong; the clock restarts."""
    found = _mine(request, demand_id)
    services.reopen(actor=request.user, demand=found, reason=payload.reason)
    return _fresh(found.pk)


@router.post("/{int:demand_id}/withdraw", response={200: DemandOut, **ERRORS}, summary="Withdraw")
def withdraw(request, payload: DemandReasonIn, demand_id: int = REQUEST_ID):
    found = _mine(request, demand_id)
    services.withdraw(actor=request.user, demand=found, reason=payload.reason)
    return _fresh(found.pk)


# --- Staff: the queue and a request's steps ------------------------------------------------


@router.get("/queue", response={200: list[DemandOut], **ERRORS}, summary="The queue")
@paginate(Pages)
def work_queue(request, query: Query[DemandQueueQuery]):
    """Requests in your area: open ones by default, overdue first, then by due time."""
    scope = _scope(request)
    wanted = QueueFilter(
        status=query.status,
        category=query.category,
        assignee=query.assignee,
        overdue=query.overdue,
        source=query.source or "",
        text=query.q,
    )
    return (
        selectors.queue(scope, wanted, user=request.user, now=timezone.now())
        .select_related("project")
        .prefetch_related("photos")
    )


@router.get("/queue/counts", response={200: dict[str, int], **ERRORS}, summary="The queue's counts")
def queue_counts(request):
    """`new` (awaiting triage), `open`, `overdue`, `escalated`, `reopened`."""
    return selectors.queue_counts(_scope(request), now=timezone.now())


@router.post("/log", response={201: DemandOut, **ERRORS}, summary="Log a request for a resident")
def log_demand(request, payload: DemandLogIn):
    """From a phone call, a visit or a walk-in, for a resident in your area."""
    scope = request.scope
    if not (scope.can(Capability.HANDLE_DEMANDS) or scope.can(Capability.VISIT_HOUSEHOLDS)):
        raise HttpError(403, _("Your active role may not log requests for residents."))
    living = Resident.objects.living().select_related("committee", "household__building")
    resident = scope.get(
        living, _("No resident %(id)d in your area.") % {"id": payload.resident}, pk=payload.resident
    )
    made = services.log_for_resident(
        actor=request.user,
        scope=scope,
        resident=resident,
        category=_category(resident.committee, payload.category),
        text=payload.text,
        source=payload.source,
        place=payload.place,
        building=_building(resident.committee, payload.building),
    )
    return Status(201, _fresh(made.pk))


@router.post("/{int:demand_id}/assign", response={200: DemandOut, **ERRORS}, summary="Triage and assign")
def assign(request, payload: DemandAssignIn, demand_id: int = REQUEST_ID):
    """To a social worker of the committee (`worker`), a partner unit of the committee or its
    street (`unit`, whose people are told), or another outside body (`name`); the first
    assignment sets the due time from the category's service level."""
    found = _own(request, demand_id)
    worker = User.objects.filter(pk=payload.worker).first() if payload.worker else None
    unit = None
    if payload.kind == Assignee.PARTNER and payload.unit:
        unit = get_or_404(
            for_assignment(found.committee),
            _("No partner unit %(id)d here.") % {"id": payload.unit},
            pk=payload.unit,
        )
    category = _category(found.committee, payload.category) if payload.category else None
    services.assign(
        actor=request.user,
        scope=request.scope,
        demand=found,
        kind=payload.kind,
        worker=worker,
        unit=unit,
        name=payload.name,
        category=category,
        note=payload.note,
    )
    return _fresh(found.pk)


@router.post("/{int:demand_id}/start", response={200: DemandOut, **ERRORS}, summary="Start work")
def start(request, demand_id: int = REQUEST_ID):
    found = _own(request, demand_id)
    services.start(actor=request.user, scope=request.scope, demand=found)
    return _fresh(found.pk)


@router.post("/{int:demand_id}/respond", response={201: DemandOut, **ERRORS}, summary="Reply or note (staff)")
def respond(request, payload: DemandNoteIn, demand_id: int = REQUEST_ID):
    """A reply the resident is told of, or (`internal`) a note for staff only."""
    found = _own(request, demand_id)
    services.reply(
        actor=request.user, demand=found, text=payload.text, scope=request.scope, internal=payload.internal
    )
    return Status(201, _fresh(found.pk))


@router.post("/{int:demand_id}/resolve", response={200: DemandOut, **ERRORS}, summary="Resolve")
def resolve(request, payload: DemandResolveIn, demand_id: int = REQUEST_ID):
    found = _own(request, demand_id)
    services.resolve(actor=request.user, scope=request.scope, demand=found, resolution=payload.resolution)
    return _fresh(found.pk)


@router.post("/{int:demand_id}/decline", response={200: DemandOut, **ERRORS}, summary="Decline with a reason")
def decline(request, payload: DemandReasonIn, demand_id: int = REQUEST_ID):
    found = _own(request, demand_id)
    services.decline(actor=request.user, scope=request.scope, demand=found, reason=payload.reason)
    return _fresh(found.pk)


@router.post(
    "/{int:demand_id}/close", response={200: DemandOut, **ERRORS}, summary="Close a resolved request"
)
def close(request, demand_id: int = REQUEST_ID):
    found = _own(request, demand_id)
    services.close(actor=request.user, scope=request.scope, demand=found)
    return _fresh(found.pk)


# --- Staff: categories ---------------------------------------------------------------------


def _setting_out(category) -> dict:
    retired = category.retired_at or getattr(category, "retired_here", None)
    return {
        "id": category.pk,
        "name": category.name,
        "hours": int(category.hours),
        "elderly": category.elderly,
        "default": category.committee_id is None,
        "offered": retired is None,
    }


@router.get(
    "/categories/settings",
    response={200: list[DemandCategorySettingOut], **ERRORS},
    summary="Category settings",
)
def category_settings(request):
    """Every category of your committee, retired ones too, with its service level here."""
    committee = categories.committee_in(_scope(request))
    return [_setting_out(c) for c in categories.all_categories(committee)]


@router.post(
    "/categories/settings", response={201: DemandCategorySettingOut, **ERRORS}, summary="Add a category"
)
def add_category(request, payload: DemandCategoryIn):
    scope = _scope(request)
    committee = categories.committee_in(scope)
    made = categories.add_category(scope=scope, **payload.dict())
    return Status(201, _setting_out(categories.all_categories(committee).get(pk=made.pk)))


@router.patch(
    "/categories/settings/{int:category_id}",
    response={200: DemandCategorySettingOut, **ERRORS},
    summary="Change a category",
)
def change_category(request, payload: DemandCategoryChangeIn, category_id: int = CATEGORY_ID):
    """Its service level here, or whether it is offered; a default changes only for you."""
    scope = _scope(request)
    committee = categories.committee_in(scope)
    category = _category(committee, category_id)
    if payload.service_hours is not None:
        categories.set_service_level(scope=scope, category=category, hours=payload.service_hours)
    if payload.offered is not None:
        categories.retire_category(scope=scope, category=category, retired=not payload.offered)
    return _setting_out(categories.all_categories(committee).get(pk=category.pk))


# --- Staff: service projects ---------------------------------------------------------------


def _own_project(request, project_id: int) -> ServiceProject:
    return _scope(request).get(
        selectors.projects_with_details(),
        _("No project %(id)d in your area.") % {"id": project_id},
        pk=project_id,
    )


def _draft(scope: Scope, payload: ServiceProjectIn) -> ProjectDraft:
    owner = None
    if payload.owner:
        owner = User.objects.filter(pk=payload.owner).first()
        if owner is None:
            raise HttpError(422, _("No user %(id)d.") % {"id": payload.owner})
    return ProjectDraft(title=payload.title, description=payload.description, owner=owner)


@router.get("/projects", response={200: list[ServiceProjectOut], **ERRORS}, summary="Service projects")
@paginate(Pages)
def project_list(request):
    return selectors.projects_in(_scope(request)).prefetch_related("demands")


@router.post("/projects", response={201: ServiceProjectOut, **ERRORS}, summary="Start a service project")
def create_project(request, payload: ServiceProjectIn):
    """From the requests (`requests`: ids) that call for it; more can be grouped later."""
    scope = _scope(request)
    categories.committee_in(scope)
    chosen = list(scope.restrict(Demand.objects.filter(pk__in=payload.demands)))
    missing = set(payload.demands) - {r.pk for r in chosen}
    if missing:
        raise HttpError(
            404, _("No request %(id)s in your area.") % {"id": ", ".join(map(str, sorted(missing)))[:100]}
        )
    made = projects.create_project(
        actor=request.user, scope=scope, draft=_draft(scope, payload), demands=chosen
    )
    return Status(201, _own_project(request, made.pk))


@router.get(
    "/projects/{int:project_id}", response={200: ServiceProjectOut, **ERRORS}, summary="One service project"
)
def get_project(request, project_id: int = PROJECT_ID):
    return _own_project(request, project_id)


@router.put(
    "/projects/{int:project_id}", response={200: ServiceProjectOut, **ERRORS}, summary="Change a project"
)
def update_project(request, payload: ServiceProjectIn, project_id: int = PROJECT_ID):
    project = _own_project(request, project_id)
    projects.update_project(scope=request.scope, project=project, draft=_draft(request.scope, payload))
    return _own_project(request, project_id)


@router.post(
    "/projects/{int:project_id}/status", response={200: ServiceProjectOut, **ERRORS}, summary="Move a project"
)
def move_project(request, payload: ServiceProjectMoveIn, project_id: int = PROJECT_ID):
    """proposed → in_progress → done (with what was done), or dropped (with why)."""
    project = _own_project(request, project_id)
    projects.move_project(
        actor=request.user,
        scope=request.scope,
        project=project,
        status=payload.status,
        outcome=payload.outcome,
    )
    return _own_project(request, project_id)


@router.post(
    "/projects/{int:project_id}/demands",
    response={200: ServiceProjectOut, **ERRORS},
    summary="Group requests",
)
def group_demands(request, payload: ProjectGroupIn, project_id: int = PROJECT_ID):
    project = _own_project(request, project_id)
    chosen = list(request.scope.restrict(Demand.objects.filter(pk__in=payload.demands)))
    if len(chosen) != len(set(payload.demands)):
        raise HttpError(404, _("Some of these requests are not in your area."))
    projects.group(actor=request.user, scope=request.scope, project=project, demands=chosen)
    return _own_project(request, project_id)


# --- Staff: figures ------------------------------------------------------------------------


def _row(row) -> dict:
    return {
        "label": row.label,
        "received": row.received,
        "resolved": row.resolved,
        "open": row.open,
        "overdue": row.overdue,
        "median_hours": row.median_hours,
        "average_rating": row.average_rating,
        "rated": row.rated,
        "satisfied_share": row.satisfied_share,
    }


@router.get("/figures", response={200: DemandFiguresOut, **ERRORS}, summary="Figures per worker or committee")
def figures(request, query: Query[DemandPeriodQuery]):
    """Received, resolved, open and overdue (now), median hours to resolve, average rating
    and the share rated 4–5, over `start`–`end` (default: the last 90 days)."""
    scope = _scope(request)
    end = query.end or timezone.localdate()
    start = query.start or end - timedelta(days=89)
    if start > end:
        raise HttpError(422, _("The period's start is after its end."))
    tz = timezone.get_current_timezone()
    lower = datetime.combine(start, time.min, tzinfo=tz)
    upper = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    result = demand_figures(scope, lower, upper, now=timezone.now())
    return {
        "start": start,
        "end": end,
        "by": result.by,
        "total": _row(result.total),
        "rows": [_row(r) for r in result.rows],
    }

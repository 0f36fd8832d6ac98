"""API endpoints of household visits (四百走访): plans and their shares, coverage, the visit
log (with a need raised as a request in the same step), households not visited for N days,
and what is left of the caller's share today. Same services and scope as the pages; findings
are personal data, for roles that visit households and see people; anything outside the
role's area answers 404."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from accounts.models import User
from areas.api import CODE
from areas.models import Area
from common.api import ERRORS, MAX_ID, Pages
from common.schemas import Text
from common.scope import get_or_404, staff_scope
from demands.selectors import categories_for
from registry.models import Household, Resident
from visits import planning, selectors, services
from visits.models import Visit, VisitPlan
from visits.schemas import (
    VisitAssignmentIn,
    VisitChangeIn,
    VisitCoverageOut,
    VisitEligibleOut,
    VisitHouseholdRef,
    VisitIn,
    VisitNeedIn,
    VisitNotVisitedOut,
    VisitOut,
    VisitPlanChangeIn,
    VisitPlanDetailOut,
    VisitPlanIn,
    VisitPlannedOut,
    VisitPlanOut,
)
from visits.services import NeedDraft, PlanDraft, VisitDraft

router = Router(tags=["visits"])
PLAN_ID = Path(..., ge=1, le=MAX_ID, description="A visit plan's id.")
VISIT_ID = Path(..., ge=1, le=MAX_ID, description="A visit's id.")


def _scope(request):
    try:
        return staff_scope(request, *services.VISITOR)
    except PermissionDenied:
        raise HttpError(403, _("Your active role may not plan or log household visits.")) from None


def _plan(request, plan_id: int) -> VisitPlan:
    missing = _("No visit plan %(id)d in your area.") % {"id": plan_id}
    return get_or_404(selectors.plans_in(_scope(request)), missing, pk=plan_id)


def _tally(t: selectors.Tally) -> dict:
    return {"visited": t.visited, "total": t.total, "percent": round(t.percent, 1)}


def _worker(user: User | None) -> dict | None:
    return {"id": user.pk, "name": user.name} if user is not None else None


def _detail(plan: VisitPlan, scope) -> VisitPlan:
    """The plan with the shares the scope reaches (a building leader: their group's)."""
    shares = scope.restrict(plan.shares.select_related("area", "worker").order_by("area__path"))
    plan.visible_shares = [{"area": s.area, "worker": _worker(s.worker)} for s in shares]  # type: ignore[attr-defined]
    return plan


# --- Plans ---------------------------------------------------------------------------------


@router.get("/plans", response={200: list[VisitPlanOut], **ERRORS}, summary="Visit plans")
@paginate(Pages)
def list_plans(request):
    """Plans of the committees in your area (a building leader: of their committee), newest first."""
    return selectors.plans_in(_scope(request))


@router.get("/workers", response={200: list[VisitEligibleOut], **ERRORS}, summary="Who may take a share")
def workers(request):
    """The committee's social workers and leads, and its building leaders (each for their own group)."""
    scope = _scope(request)
    committee = services.committee_of_scope(scope)
    return [
        {"id": e.user.pk, "name": e.user.name, "roles": sorted(e.roles), "groups": e.groups}
        for e in planning.eligible_workers(committee).values()
    ]


def _users(ids: list[int]) -> dict[int, User]:
    found = User.objects.in_bulk(ids)
    missing = sorted(set(ids) - set(found))
    if missing:
        raise HttpError(422, _("No user %(id)s.") % {"id": ", ".join(map(str, missing))[:200]})
    return found


def _areas(committee: Area, codes: list[str]) -> dict[str, Area]:
    found = {
        a.code: a
        for a in Area.objects.subtree(committee).filter(code__in=[c for c in codes if CODE.match(c)])
    }
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise HttpError(
            422, _("No area with code %(code)s in your committee.") % {"code": ", ".join(unknown)[:200]}
        )
    return found


@router.post("/plans", response={201: VisitPlanDetailOut, **ERRORS}, summary="Make a plan")
def create_plan(request, payload: VisitPlanIn):
    """Every household of the committee is covered: give `workers` to share the building
    groups among them automatically (households balanced, groups kept whole, building
    leaders take their own group), or `assignments` for every part by hand. Each worker is
    told which groups are theirs."""
    scope = _scope(request)
    committee = services.committee_of_scope(scope)
    assignments = None
    if payload.assignments is not None:
        users = _users([a.worker for a in payload.assignments])
        areas = _areas(committee, [a.area for a in payload.assignments])
        assignments = {areas[a.area].pk: users[a.worker] for a in payload.assignments}
    users = _users(payload.workers)
    draft = PlanDraft(
        payload.title, payload.starts_on, payload.ends_on, [users[pk] for pk in payload.workers], assignments
    )
    plan = services.create_plan(request.user, scope, draft)
    return Status(201, _detail(plan, scope))


@router.get("/plans/{int:plan_id}", response={200: VisitPlanDetailOut, **ERRORS}, summary="One plan")
def get_plan(request, plan_id: int = PLAN_ID):
    plan = _plan(request, plan_id)
    return _detail(plan, request.scope)


@router.put(
    "/plans/{int:plan_id}",
    response={200: VisitPlanDetailOut, **ERRORS},
    summary="Change a plan's title or period",
)
def update_plan(request, payload: VisitPlanChangeIn, plan_id: int = PLAN_ID):
    plan = _plan(request, plan_id)
    services.update_plan(request.scope, plan, payload.title, payload.starts_on, payload.ends_on)
    return _detail(plan, request.scope)


@router.delete(
    "/plans/{int:plan_id}", response={204: None, **ERRORS}, summary="Delete a plan made by mistake"
)
def delete_plan(request, plan_id: int = PLAN_ID):
    """The plan and its shares go; the visits logged stay. An ended plan stays as the record of
    its round of visits (422); the other workers with a share are told."""
    plan = _plan(request, plan_id)
    services.delete_plan(request.scope, plan)
    return Status(204, None)


class VisitSharesIn(Schema):
    shares: list[VisitAssignmentIn] = Field(max_length=2000)


@router.put(
    "/plans/{int:plan_id}/shares", response={200: VisitPlanDetailOut, **ERRORS}, summary="Who visits where"
)
def put_shares(request, payload: VisitSharesIn, plan_id: int = PLAN_ID):
    """Give building groups to other workers, or a worker to a part that has none (households
    added after the plan was made); the new worker is told."""
    plan = _plan(request, plan_id)
    users = _users([row.worker for row in payload.shares])
    areas = _areas(plan.committee, [row.area for row in payload.shares])
    services.assign_shares(
        request.scope, plan, {areas[row.area].pk: users[row.worker] for row in payload.shares}
    )
    return _detail(plan, request.scope)


@router.get(
    "/plans/{int:plan_id}/coverage", response={200: VisitCoverageOut, **ERRORS}, summary="Coverage of a plan"
)
def coverage(request, plan_id: int = PLAN_ID):
    """Households visited in the plan's period (any way) out of all, per building, building
    group and worker; a building leader sees their group."""
    plan = _plan(request, plan_id)
    covered = selectors.coverage(plan, request.scope)
    return {
        "plan": plan,
        "coverage": _tally(covered.total),
        "units": [
            {
                "area": u.area,
                "worker": _worker(u.share.worker) if u.share else None,
                "coverage": _tally(u.tally),
                "buildings": [{"building": b.building, "coverage": _tally(b.tally)} for b in u.buildings],
            }
            for u in covered.units
        ],
        "workers": [
            {
                "worker": _worker(w.worker),
                "areas": [u.area.code for u in w.units],
                "coverage": _tally(w.tally),
            }
            for w in covered.workers
        ],
    }


class VisitToVisitQuery(Schema):
    mine: bool = Field(False, description="Only the caller's shares.")


@router.get(
    "/plans/{int:plan_id}/to-visit",
    response={200: list[VisitHouseholdRef], **ERRORS},
    summary="Still to visit",
)
@paginate(Pages)
def to_visit(request, query: Query[VisitToVisitQuery], plan_id: int = PLAN_ID):
    """Households of the plan not visited in its period, by building and door."""
    plan = _plan(request, plan_id)
    return selectors.to_visit(plan, request.scope, worker=request.user if query.mine else None)


@router.get("/planned", response={200: VisitPlannedOut, **ERRORS}, summary="What is left of my share today")
def planned(request):
    scope = _scope(request)
    return selectors.planned_for(request.user, scope, today=timezone.localdate())


class VisitNotVisitedQuery(Schema):
    days: int = Field(selectors.DEFAULT_DAYS, ge=1, le=3650, description="No visit for this many days.")
    area: Text | None = Field(None, max_length=64, pattern=CODE.pattern, description="Only under this area.")
    sort: Text = Field(
        "last", pattern="^(last|building)$", description="`last`: never visited, then longest ago."
    )


@router.get(
    "/not-visited", response={200: list[VisitNotVisitedOut], **ERRORS}, summary="Not visited for N days"
)
@paginate(Pages)
def not_visited(request, query: Query[VisitNotVisitedQuery]):
    scope = _scope(request)
    area = None
    if query.area:
        area = scope.restrict(Area.objects.filter(code=query.area)).first()
        if area is None:
            raise HttpError(404, _("No area with code %(code)s in your area.") % {"code": query.area})
    return selectors.not_visited(
        scope, days=query.days, today=timezone.localdate(), area=area, sort=query.sort
    )


# --- Visits --------------------------------------------------------------------------------


class VisitsQuery(Schema):
    household: int | None = Field(None, ge=1, le=MAX_ID, description="Only this household's visits.")


@router.get("", response={200: list[VisitOut], **ERRORS}, summary="The visit log")
@paginate(Pages)
def list_visits(request, query: Query[VisitsQuery]):
    visits = selectors.visits_in(_scope(request))
    if query.household is not None:
        visits = visits.filter(household_id=query.household)
    return visits


def _need(payload: VisitNeedIn, household: Household) -> NeedDraft:

    category = categories_for(household.committee).filter(pk=payload.category).first()
    person = None
    if payload.resident is not None:
        person = Resident.objects.filter(pk=payload.resident, household=household).first()
        if person is None:
            raise HttpError(
                422, _("Resident %(id)d does not live in this household.") % {"id": payload.resident}
            )
    return NeedDraft(person, category, payload.text)


def _seen(payload: VisitIn | VisitChangeIn, home: Household) -> list[Resident]:
    # Only this household's people: an id from elsewhere must not reveal whose it is.
    seen = list(Resident.objects.filter(pk__in=payload.seen, household=home))
    missing = sorted(set(payload.seen) - {p.pk for p in seen})
    if missing:
        raise HttpError(
            422, _("No resident %(id)s in this household.") % {"id": ", ".join(map(str, missing))[:200]}
        )
    return seen


@router.post("", response={201: VisitOut, **ERRORS}, summary="Log a visit")
def log_visit(request, payload: VisitIn):
    """With `demand`, the need is raised as a request (诉求) in the same step: the visit and
    the request are saved together or not at all."""
    scope = _scope(request)
    missing = _("No household %(id)d in your area.") % {"id": payload.household}
    home = scope.get(Household.objects.select_related("building", "committee"), missing, pk=payload.household)
    draft = VisitDraft(
        household=home,
        visited_on=payload.visited_on or timezone.localdate(),
        way=payload.way,
        seen=_seen(payload, home),
        others=payload.others,
        findings=payload.findings,
        needs=payload.needs,
        demand=_need(payload.demand, home) if payload.demand else None,
    )
    made = services.log_visit(request.user, scope, draft)
    return Status(201, selectors.visit_in_scope(scope, made.pk))


def _visit(request, visit_id: int) -> Visit:
    missing = _("No visit %(id)d in your area.") % {"id": visit_id}
    return get_or_404(selectors.visits_in(_scope(request)), missing, pk=visit_id)


@router.get("/{int:visit_id}", response={200: VisitOut, **ERRORS}, summary="One visit")
def get_visit(request, visit_id: int = VISIT_ID):
    return _visit(request, visit_id)


@router.put("/{int:visit_id}", response={200: VisitOut, **ERRORS}, summary="Correct a visit")
def correct_visit(request, payload: VisitChangeIn, visit_id: int = VISIT_ID):
    """Whoever recorded the visit, within a week of recording it. The household stays, and
    so do requests already raised from it."""
    found = _visit(request, visit_id)
    draft = VisitDraft(
        household=found.household,
        visited_on=payload.visited_on,
        way=payload.way,
        seen=_seen(payload, found.household),
        others=payload.others,
        findings=payload.findings,
        needs=payload.needs,
    )
    services.correct_visit(request.user, request.scope, found, draft)
    return selectors.visit_in_scope(request.scope, found.pk)


@router.post(
    "/{int:visit_id}/demands", response={201: VisitOut, **ERRORS}, summary="Raise a need as a request"
)
def raise_demand(request, payload: VisitNeedIn, visit_id: int = VISIT_ID):
    found = _visit(request, visit_id)
    services.raise_demand(request.user, request.scope, found, _need(payload, found.household))
    return Status(201, selectors.visit_in_scope(request.scope, found.pk))

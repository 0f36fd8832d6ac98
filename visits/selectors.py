"""Reads of the visits app, each a fixed number of queries and always through the scope.

Coverage of a plan: a household is visited when it has a visit dated within the plan's
period (any way: at the door, by phone or met outside). It is counted per building in one
grouped query and rolled up, in Python, into building groups (the plan's units), workers
and the whole plan. A building leader sees the part of the plan inside their group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import User
from areas.models import Area, AreaLevel, ancestor_paths
from common.scope import Scope, get_or_404
from registry.models import Household, Resident
from visits.models import PlanShare, Visit, VisitDemand, VisitPlan

DEFAULT_DAYS = 90
PLANNED_SHOWN = 10


# --- Plans -----------------------------------------------------------------------------------


def plans_in(scope: Scope) -> QuerySet[VisitPlan]:
    """Plans of the committees in scope, and (for a building leader) of the committee their
    group is in; newest first."""
    if not scope.path:
        return VisitPlan.objects.none()
    above = ancestor_paths(scope.path)
    return (
        VisitPlan.objects.filter(Q(committee__path__startswith=scope.path) | Q(committee__path__in=above))
        .select_related("committee")
        .order_by("-starts_on", "-pk")
    )


def plan_in_scope(scope: Scope, plan_id: int) -> VisitPlan:
    return get_or_404(plans_in(scope), pk=plan_id)


def running_plan(committee: Area, today: date) -> VisitPlan | None:
    return (
        VisitPlan.objects.filter(committee=committee, starts_on__lte=today, ends_on__gte=today)
        .order_by("starts_on")
        .first()
    )


def _visited_between(start: date, end: date) -> Exists:
    return Exists(Visit.objects.filter(household=OuterRef("pk"), visited_on__gte=start, visited_on__lte=end))


@dataclass
class Tally:
    total: int = 0
    visited: int = 0

    def add(self, total: int, visited: int) -> None:
        self.total += total
        self.visited += visited

    @property
    def left(self) -> int:
        return self.total - self.visited

    @property
    def percent(self) -> float:
        return 100 * self.visited / self.total if self.total else 0.0


@dataclass
class BuildingRow:
    building: Area
    tally: Tally


@dataclass
class UnitRow:
    area: Area
    share: PlanShare | None
    tally: Tally = field(default_factory=Tally)
    buildings: list[BuildingRow] = field(default_factory=list)


@dataclass
class WorkerRow:
    worker: User
    units: list[UnitRow] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)


@dataclass
class Coverage:
    plan: VisitPlan
    total: Tally
    units: list[UnitRow]
    workers: list[WorkerRow]

    @property
    def unassigned(self) -> list[UnitRow]:
        """Units holding households that no share covers (e.g. a building group added later)."""
        return [u for u in self.units if u.share is None]


def coverage(plan: VisitPlan, scope: Scope) -> Coverage:
    """Visited / total households per building, per unit and per worker: three queries."""
    visited = _visited_between(plan.starts_on, plan.ends_on)
    rows = (
        scope.restrict(Household.objects.filter(committee=plan.committee))
        .annotate(seen=visited)
        .order_by()
        .values("building")
        .annotate(total=Count("pk"), visited=Count("pk", filter=Q(seen=True)))
    )
    per_building = {r["building"]: (r["total"], r["visited"]) for r in rows}
    buildings = Area.objects.filter(pk__in=per_building).select_related("parent").order_by("path")
    shares = {
        s.area_id: s
        for s in scope.restrict(PlanShare.objects.filter(plan=plan).select_related("area", "worker"))
    }
    units: dict[int, UnitRow] = {}
    total = Tally()
    for building in buildings:
        in_group = building.parent is not None and building.parent.level == AreaLevel.BUILDING_GROUP
        area = building.parent if in_group else building
        assert area is not None
        unit = units.setdefault(area.pk, UnitRow(area, shares.get(area.pk)))
        n, seen = per_building[building.pk]
        unit.buildings.append(BuildingRow(building, Tally(n, seen)))
        unit.tally.add(n, seen)
        total.add(n, seen)
    workers: dict[int, WorkerRow] = {}
    for unit in units.values():
        if unit.share is not None:
            row = workers.setdefault(unit.share.worker_id, WorkerRow(unit.share.worker))
            row.units.append(unit)
            row.tally.add(unit.tally.total, unit.tally.visited)
    ordered = sorted(workers.values(), key=lambda w: (w.worker.name, w.worker.pk))
    return Coverage(plan, total, sorted(units.values(), key=lambda u: u.area.path), ordered)


def to_visit(plan: VisitPlan, scope: Scope, worker: User | None = None) -> QuerySet[Household]:
    """Households of the plan (in scope) not visited in its period, by building and door;
    only one worker's shares if ``worker`` is given."""
    households = scope.restrict(Household.objects.filter(committee=plan.committee)).filter(
        ~_visited_between(plan.starts_on, plan.ends_on)
    )
    if worker is not None:
        paths = list(PlanShare.objects.filter(plan=plan, worker=worker).values_list("area__path", flat=True))
        households = households.filter(_under(paths))
    return households.select_related("building").order_by("building__path", "sort_key", "pk")


def _under(paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(building__path__startswith=path)
    return q


# --- The worker's day ------------------------------------------------------------------------


@dataclass
class Planned:
    total: int  # households in the user's shares of plans running today, not yet visited
    households: list[Household]  # the first PLANNED_SHOWN, by building and door
    plan: VisitPlan | None


def planned_for(user: User, scope: Scope, *, today: date) -> Planned:
    """What is left of ``user``'s shares of the plans running ``today`` (within the scope):
    visited means a visit since the plan started. Three queries (one if there is no share)."""
    shares = list(
        PlanShare.objects.filter(worker=user, plan__starts_on__lte=today, plan__ends_on__gte=today)
        .filter(scope.q("area__path"))
        .select_related("plan", "area")
        .order_by("plan__ends_on", "plan_id", "area__path")
    )
    if not shares:
        return Planned(0, [], None)
    by_plan: dict[int, tuple[VisitPlan, list[str]]] = {}
    for share in shares:
        by_plan.setdefault(share.plan_id, (share.plan, []))[1].append(share.area.path)
    wanted = Q(pk__in=[])
    for plan, paths in by_plan.values():
        wanted |= (
            Q(committee_id=plan.committee_id) & _under(paths) & ~Q(_visited_between(plan.starts_on, today))
        )
    households = Household.objects.filter(wanted)
    total = households.count()
    first = list(
        households.select_related("building").order_by("building__path", "sort_key", "pk")[:PLANNED_SHOWN]
    )
    return Planned(total, first, shares[0].plan)


# --- Households not visited for a while ------------------------------------------------------

SORTS = {
    "last": ("last_visit_on", "building__path", "sort_key", "pk"),
    "building": ("building__path", "sort_key", "pk"),
}


def not_visited(
    scope: Scope, *, days: int = DEFAULT_DAYS, today: date, area: Area | None = None, sort: str = "last"
) -> QuerySet[Household]:
    """Households in scope with no visit in the last ``days`` days (never visited ones first
    by default), each with ``last_visit_on`` and ``last_way``: one query (plus a count)."""
    since = today - timedelta(days=days)
    latest = Visit.objects.filter(household=OuterRef("pk")).order_by("-visited_on", "-pk")
    households = scope.restrict(Household.objects.all())
    if area is not None:
        households = households.filter(building__path__startswith=area.path)
    households = (
        households.filter(~Exists(Visit.objects.filter(household=OuterRef("pk"), visited_on__gt=since)))
        .annotate(
            last_visit_on=Subquery(latest.values("visited_on")[:1]),
            last_way=Subquery(latest.values("way")[:1]),
        )
        .select_related("building__parent")
    )
    order = SORTS.get(sort, SORTS["last"])
    if order[0] == "last_visit_on":
        from django.db.models import F

        return households.order_by(F("last_visit_on").asc(nulls_first=True), *order[1:])
    return households.order_by(*order)


# --- Visits ------------------------------------------------------------------------------------


def _with_details(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    return visits.select_related("household__building", "recorded_by").prefetch_related(
        Prefetch("seen", queryset=Resident.objects.order_by("pk")),
        Prefetch("raised", queryset=VisitDemand.objects.select_related("demand__category")),
    )


def visits_in(scope: Scope) -> QuerySet[Visit]:
    """The log, newest first, within the scope: four queries for a page of it."""
    return _with_details(scope.restrict(Visit.objects.all())).order_by("-visited_on", "-pk")


def visit_in_scope(scope: Scope, visit_id: int) -> Visit:
    return get_or_404(visits_in(scope), pk=visit_id)


def history(household: Household) -> list[Visit]:
    """Every visit to a household, newest first, with who was seen and what was raised."""
    return list(_with_details(Visit.objects.filter(household=household)).order_by("-visited_on", "-pk"))


def living_in(household: Household) -> list[Resident]:
    return list(
        Resident.objects.living()
        .filter(household=household)
        .select_related("user", "household__building")
        .order_by("pk")
    )


# --- Finding the door ------------------------------------------------------------------------


def buildings_in(scope: Scope) -> list[Area]:
    """The buildings in scope that hold households, by group: one query."""
    return list(
        scope.restrict(Area.objects.filter(level=AreaLevel.BUILDING))
        .filter(Exists(Household.objects.filter(building=OuterRef("pk"))))
        .select_related("parent")
        .order_by("path")
    )


def doors_of(scope: Scope, building: Area) -> list[Household]:
    """A building's households with their last visit date: one query."""
    latest = Visit.objects.filter(household=OuterRef("pk")).order_by("-visited_on", "-pk")
    return list(
        scope.restrict(Household.objects.filter(building=building))
        .annotate(last_visit_on=Subquery(latest.values("visited_on")[:1]))
        .order_by("sort_key", "pk")
    )

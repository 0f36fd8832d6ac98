"""Reading requests: the categories a committee offers, a resident's own requests, the staff
queue with its filters and counts, what is due for a social worker today, and a request's
timeline as each reader may see it. List reads are a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.db.models import Count, F, Prefetch, Q, QuerySet

from accounts.models import RoleGrant, User
from accounts.roles import ROLE_SPECS, Role
from areas.models import Area
from common.scope import Capability, Scope
from demands import categories as category_rules
from demands.models import (
    OPEN_STATUSES,
    Assignee,
    Category,
    Demand,
    DemandEvent,
    DemandPhoto,
    DemandQuerySet,
    DemandStatus,
    ServiceProject,
)
from registry.contact import call_back
from registry.models import Resident
from registry.selectors import people_of

DUE_LIMIT = 20
# The roles that handle requests, and so may be assigned one.
HANDLER_ROLES = [role for role, spec in ROLE_SPECS.items() if Capability.HANDLE_DEMANDS in spec.capabilities]


def categories_for(committee: Area) -> QuerySet[Category]:
    """The active categories ``committee`` offers (its own plus the defaults it has not
    retired), in the order of a form, each annotated with ``hours``, its service level there."""
    return category_rules.offered(committee)


def handlers_of(committee: Area) -> QuerySet[User]:
    """Who may be assigned a request of ``committee``: its social workers and leads."""
    grants = RoleGrant.objects.filter(revoked_at__isnull=True, area=committee, role__in=HANDLER_ROLES)
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("name", "pk")


def leads_of(committee: Area) -> QuerySet[User]:
    """The committee's lead(s) (书记 / 主任): where an overdue request escalates."""
    grants = RoleGrant.objects.filter(revoked_at__isnull=True, area=committee, role=Role.COMMITTEE_LEAD)
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("pk")


def for_rows(demands: QuerySet[Demand]) -> QuerySet[Demand]:
    """What a row of a list shows, in the same query."""
    return demands.select_related(
        "category",
        "committee",
        "resident__household__building",
        "resident__user",
        "household__building",
        "building",
        "assignee",
        "submitted_by",
    )


def with_call_back(scope: Scope, demands: Iterable[Demand]) -> None:
    """Gives each request ``call_back``: the numbers to call its resident back on (theirs,
    then the family member who asked), as far as ``scope`` may see them. No query for rows
    read through ``for_rows``."""
    for demand in demands:
        demand.call_back = call_back(scope, demand.resident, reporter=demand.reporter)  # type: ignore[attr-defined]


# --- Residents -----------------------------------------------------------------------------


def demands_of(user: User) -> QuerySet[Demand]:
    """The requests for the user's people: themself and those they act for as family."""
    people = [p.pk for p in people_of(user)]
    return for_rows(Demand.objects.filter(resident_id__in=people)).order_by("-created_at", "-pk")


def open_for(people: Sequence[Resident]) -> list[Demand]:
    """These residents' requests still being dealt with, and those resolved that wait for
    their rating (``Demand.awaits_rating``), newest first: one query."""
    return list(
        Demand.objects.filter(
            Q(status__in=OPEN_STATUSES) | Q(status=DemandStatus.RESOLVED, rating__isnull=True),
            resident__in=[p.pk for p in people],
        )
        .select_related("category", "resident")
        .order_by("-created_at", "-pk")
    )


def of_resident(user: User) -> QuerySet[Demand]:
    """The requests a resident may open, on the page and in the API: those of their people."""
    return demands_of(user).select_related("project")


def readable_by_resident(user: User, demand_id: int) -> Demand | None:
    return of_resident(user).filter(pk=demand_id).first()


def timeline(demand: Demand, *, staff: bool) -> list[DemandEvent]:
    """Every step, oldest first; internal notes only for staff."""
    events = demand.events.select_related("by")
    if not staff:
        events = events.filter(internal=False)
    return list(events.order_by("at", "pk"))


def photos_of(demand: Demand) -> list[DemandPhoto]:
    return list(demand.photos.all())


# --- Staff ---------------------------------------------------------------------------------


@dataclass
class QueueFilter:
    status: str = ""  # a DemandStatus value, "open" (the default view) or "" (all)
    category: int | None = None
    assignee: str = ""  # "me", "none", "outside" or a user id
    overdue: bool = False
    source: str = ""
    text: str = ""


def queue(scope: Scope, wanted: QueueFilter, *, user: User, now: datetime) -> QuerySet[Demand]:
    """The scope's requests, filtered: overdue first, then by due time, then newest."""
    demands = cast(DemandQuerySet, scope.restrict(Demand.objects.all()))
    if wanted.status == "open":
        demands = demands.filter(status__in=OPEN_STATUSES)
    elif wanted.status in DemandStatus.values:
        demands = demands.filter(status=wanted.status)
    if wanted.category:
        demands = demands.filter(category_id=wanted.category)
    if wanted.assignee == "me":
        demands = demands.filter(assignee=user)
    elif wanted.assignee == "none":
        demands = demands.filter(assignee_kind="")
    elif wanted.assignee == "outside":
        demands = demands.exclude(assignee_kind="").exclude(assignee_kind="worker")
    elif wanted.assignee.isdigit():
        demands = demands.filter(assignee_id=int(wanted.assignee))
    if wanted.overdue:
        demands = demands.overdue(now)
    if wanted.source:
        demands = demands.filter(source=wanted.source)
    if wanted.text.strip():
        words = wanted.text.strip()
        demands = demands.filter(
            Q(text__icontains=words) | Q(resident__name__icontains=words) | Q(place__icontains=words)
        )
    return (
        cast(DemandQuerySet, for_rows(demands))
        .with_overdue(now)
        .order_by("-is_overdue", F("due_at").asc(nulls_last=True), "-created_at", "-pk")
    )


def with_details() -> QuerySet[Demand]:
    """Requests with everything a request's staff page shows; look one up with ``scope.get``."""
    return (
        for_rows(Demand.objects.all())
        .select_related("project", "submitted_by", "resolved_by")
        .prefetch_related("photos")
    )


def own_demand(scope: Scope, demand_id: int) -> Demand | None:
    """One request of the scope, with everything its staff page shows."""
    return scope.restrict(with_details()).filter(pk=demand_id).first()


def due_for(user: User, scope: Scope, *, now: datetime) -> list[Demand]:
    """For the social worker's today page: the open requests in scope assigned to ``user``
    (or that they handed to an outside body and so follow up), and the new ones in scope
    waiting for triage; overdue first, then by due time, at most 20. One query; each row
    has ``is_overdue``."""
    if not scope.can(Capability.HANDLE_DEMANDS):
        return []
    handed_out = Q(assigned_by=user) & ~Q(assignee_kind__in=["", Assignee.WORKER])
    mine = (Q(assignee=user) | handed_out) & Q(status__in=OPEN_STATUSES)
    waiting = Q(status=DemandStatus.NEW)
    demands = scope.restrict(Demand.objects.filter(mine | waiting))
    return list(
        cast(DemandQuerySet, for_rows(demands))
        .with_overdue(now)
        .order_by("-is_overdue", F("due_at").asc(nulls_last=True), "created_at", "pk")[:DUE_LIMIT]
    )


def queue_counts(scope: Scope, *, now: datetime) -> dict[str, int]:
    """Counts for the queue's tabs: new (awaiting triage), open, overdue, escalated (open and
    escalated to the lead), reopened. One query."""
    open_ = Q(status__in=OPEN_STATUSES)
    counts = scope.restrict(Demand.objects.all()).aggregate(
        new=Count("pk", filter=Q(status=DemandStatus.NEW)),
        open=Count("pk", filter=open_),
        overdue=Count("pk", filter=open_ & Q(due_at__lt=now)),
        escalated=Count("pk", filter=open_ & Q(escalated_at__isnull=False)),
        reopened=Count("pk", filter=Q(status=DemandStatus.REOPENED)),
    )
    return {key: value or 0 for key, value in counts.items()}


# --- Service projects ----------------------------------------------------------------------


def projects_in(scope: Scope, status: str = "") -> QuerySet[ServiceProject]:
    projects = scope.restrict(ServiceProject.objects.all())
    if status:
        projects = projects.filter(status=status)
    return (
        projects.select_related("committee", "owner")
        .annotate(
            grouped=Count("demands", distinct=True),
            still_open=Count("demands", filter=Q(demands__status__in=OPEN_STATUSES), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def projects_with_details() -> QuerySet[ServiceProject]:
    """Service projects with their requests, newest first; look one up with ``scope.get``."""
    return ServiceProject.objects.select_related("committee", "owner").prefetch_related(
        Prefetch("demands", queryset=for_rows(Demand.objects.all()).order_by("-created_at", "-pk"))
    )


def groupable(project: ServiceProject, limit: int = 50) -> list[Demand]:
    """Requests of the project's committee not yet in a project, newest first, those of the
    categories already in the project first: the candidates to group into it."""
    categories = set(project.demands.values_list("category_id", flat=True))
    demands = for_rows(
        Demand.objects.filter(committee=project.committee, project__isnull=True).exclude(
            status__in=(DemandStatus.WITHDRAWN, DemandStatus.DECLINED)
        )
    ).order_by("-created_at", "-pk")[:limit]
    return sorted(demands, key=lambda r: r.category_id not in categories)

"""Writes of the visits app: plans and their shares, visits, and a need raised as a request.

Rules enforced here, once, for the pages and the API alike:
- a plan belongs to one committee, covers every household of it (each unit has a worker
  before the plan is saved) and does not overlap another plan of the same committee;
- a share goes to a social worker or lead of the committee, or to the building leader of
  that very group; a worker hears about the groups they are given;
- a visit is to a household in the visitor's scope, dated today or earlier, and "who was
  seen" are living residents of that household;
- a visit and the request raised from it are saved together or not at all;
- a visit is corrected only by whoever recorded it, within a week of recording it, and
  the correction is stamped and audited (who was seen included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area
from common.scope import Capability, Scope
from demands import selectors as demand_selectors
from demands import services as demand_services
from demands.models import DemandSource
from notifications.models import NotificationKind
from notifications.services import notify
from registry.models import Household, Resident
from visits import planning
from visits.models import PlanShare, Visit, VisitDemand, VisitPlan, Way

if TYPE_CHECKING:
    from demands.models import Category, Demand

MAX_PLAN_DAYS = 366
MAX_TEXT = 2000
EARLIEST = date(2000, 1, 1)
CORRECT_WITHIN = timedelta(days=7)


# Visits show what was found in people's homes: the role must visit and see people.
VISITOR = (Capability.VISIT_HOUSEHOLDS, Capability.VIEW_PEOPLE)


def require_visitor(scope: Scope) -> None:
    if not all(scope.can(c) for c in VISITOR):
        raise PermissionDenied(_("Your active role may not plan or log household visits."))


def committee_of_scope(scope: Scope) -> Area:
    require_visitor(scope)
    return scope.committee(_("Visit plans belong to a committee; act in a committee role."))


def require_own_plan(scope: Scope, plan: VisitPlan) -> None:
    committee_of_scope(scope)
    if not scope.covers(plan.committee):
        raise PermissionDenied(_("This plan belongs to another committee."))


# --- Plans ---------------------------------------------------------------------------------


@dataclass
class PlanDraft:
    title: str
    starts_on: date
    ends_on: date
    workers: list[User] = field(default_factory=list)
    # unit id → worker; None: split automatically among ``workers``.
    assignments: dict[int, User] | None = None


def _check_period(committee: Area, draft: PlanDraft, plan: VisitPlan | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not " ".join(draft.title.split()):
        problems.setdefault("title", []).append(_("Give the plan a title, e.g. 2026年第四季度四百走访."))
    if draft.ends_on < draft.starts_on:
        problems.setdefault("ends_on", []).append(_("The plan must end on or after the day it starts."))
    elif (draft.ends_on - draft.starts_on).days >= MAX_PLAN_DAYS:
        problems.setdefault("ends_on", []).append(_("A plan runs for a year at most."))
    others = VisitPlan.objects.filter(
        committee=committee, starts_on__lte=draft.ends_on, ends_on__gte=draft.starts_on
    )
    overlapping = (others.exclude(pk=plan.pk) if plan else others).first()
    if overlapping is not None:
        problems.setdefault("starts_on", []).append(
            _("%(title)s already runs from %(start)s to %(end)s; plans of a committee may not overlap.")
            % {
                "title": overlapping.title,
                "start": overlapping.starts_on.isoformat(),
                "end": overlapping.ends_on.isoformat(),
            }
        )
    return problems


def _names(units: list[planning.Unit]) -> str:
    return "、".join(u.area.name for u in units[:20]) + ("…" if len(units) > 20 else "")


def _uncovered_message(units: list[planning.Unit]) -> str:
    groups = [u for u in units if u.is_group]
    loose = [u for u in units if not u.is_group]
    parts = []
    if groups:
        parts.append(_("These building groups have no worker yet: %(names)s.") % {"names": _names(groups)})
    if loose:
        parts.append(
            _("These buildings are not in any building group and need a worker too: %(names)s.")
            % {"names": _names(loose)}
        )
    households = sum(u.households for u in units)
    parts.append(_("%(n)d households would not be visited; give every part a worker.") % {"n": households})
    return " ".join(parts)


def _check_worker(eligible: dict[int, planning.Eligible], unit: Area, worker: User) -> str:
    entry = eligible.get(worker.pk)
    if entry is None:
        return _("%(name)s has no social worker, lead or building leader role in this committee.") % {
            "name": worker.name
        }
    if not entry.may_take(unit):
        return _("%(name)s is a building leader of another group and cannot take %(unit)s.") % {
            "name": worker.name,
            "unit": unit.name,
        }
    return ""


def _tell_workers(plan: VisitPlan, gained: dict[int, list[Area]], users: dict[int, User]) -> None:
    """Each worker hears which groups they were given, once, with a link to the plan."""
    for user_id, areas in gained.items():
        notify(
            [users[user_id]],
            kind=NotificationKind.VISIT,
            title=_("Visits: %(title)s") % {"title": plan.title},
            body=_("You visit the households of %(areas)s between %(start)s and %(end)s.")
            % {
                "areas": "、".join(a.name for a in areas),
                "start": plan.starts_on.isoformat(),
                "end": plan.ends_on.isoformat(),
            },
            url=plan.get_absolute_url(),
        )


@transaction.atomic
def create_plan(actor: User, scope: Scope, draft: PlanDraft) -> VisitPlan:
    """A plan covering every household of the committee: each unit (building group, or
    building outside any group) gets a worker, split automatically unless given."""
    committee = committee_of_scope(scope)
    problems = _check_period(committee, draft, None)
    units = planning.units_of(committee)
    eligible = planning.eligible_workers(committee)
    if draft.assignments is None:
        chosen = []
        for worker in draft.workers:
            if worker.pk not in eligible:
                problems.setdefault("workers", []).append(_check_worker(eligible, committee, worker))
            elif eligible[worker.pk] not in chosen:
                chosen.append(eligible[worker.pk])
        if not draft.workers:
            problems.setdefault("workers", []).append(_("Choose who visits: at least one worker."))
        given, left = planning.split(units, chosen)
    else:
        given, left = {}, []
        for unit in units:
            assigned = draft.assignments.get(unit.area.pk)
            if assigned is None:
                left.append(unit)
                continue
            problem = _check_worker(eligible, unit.area, assigned)
            if problem:
                problems.setdefault("assignments", []).append(problem)
            given[unit.area.pk] = assigned
    if left and "workers" not in problems:
        problems.setdefault("assignments", []).append(_uncovered_message(left))
    if not units:
        problems.setdefault("__all__", []).append(
            _("%(committee)s has no households in the registry yet: there is nobody to visit.")
            % {"committee": committee.name}
        )
    if problems:
        raise ValidationError(problems)
    plan = VisitPlan.objects.create(
        committee=committee,
        title=" ".join(draft.title.split())[:120],
        starts_on=draft.starts_on,
        ends_on=draft.ends_on,
        created_by=actor,
    )
    areas = {u.area.pk: u.area for u in units}
    for unit_id, worker in given.items():  # one by one: each share is in the audit log
        PlanShare.objects.create(plan=plan, area=areas[unit_id], worker=worker)
    gained: dict[int, list[Area]] = {}
    users: dict[int, User] = {}
    for unit in units:
        worker = given[unit.area.pk]
        gained.setdefault(worker.pk, []).append(unit.area)
        users[worker.pk] = worker
    _tell_workers(plan, gained, users)
    return plan


@transaction.atomic
def update_plan(scope: Scope, plan: VisitPlan, title: str, starts_on: date, ends_on: date) -> VisitPlan:
    """A new title or period (the shares stay)."""
    require_own_plan(scope, plan)
    problems = _check_period(plan.committee, PlanDraft(title, starts_on, ends_on), plan)
    if problems:
        raise ValidationError(problems)
    plan.title, plan.starts_on, plan.ends_on = " ".join(title.split())[:120], starts_on, ends_on
    plan.save(update_fields=["title", "starts_on", "ends_on"])
    return plan


def deletion_refused(plan: VisitPlan) -> str | None:
    """Why the plan may not be deleted (an ended plan is the record of its round), or None."""
    if plan.ends_on < timezone.localdate():
        return _("This plan ended on %(end)s: it is the record of that round of visits and stays.") % {
            "end": plan.ends_on.isoformat()
        }
    return None


@transaction.atomic
def delete_plan(scope: Scope, plan: VisitPlan) -> None:
    """A plan made by mistake goes, with its shares; the visits logged stay, since they belong
    to the households, not to the plan. An ended plan is the record of that round of visits
    and stays. The other workers who had a share are told."""
    require_own_plan(scope, plan)
    refused = deletion_refused(plan)
    if refused:
        raise ValidationError(refused)
    actor_id = scope.grant.user_id if scope.grant else None
    workers = [
        worker
        for worker in User.objects.filter(visit_shares__plan=plan).distinct().order_by("pk")
        if worker.pk != actor_id
    ]
    title, start, end = plan.title, plan.starts_on, plan.ends_on
    plan.delete()  # the shares go with it, each in the audit log
    if workers:
        notify(
            workers,
            kind=NotificationKind.VISIT,
            title=_("Visits: %(title)s") % {"title": title},
            body=_(
                "The visit plan for %(start)s to %(end)s has been withdrawn; "
                "the visits you logged stay in the households' records."
            )
            % {"start": start.isoformat(), "end": end.isoformat()},
            url=reverse("visits:plans"),
        )


@transaction.atomic
def assign_shares(scope: Scope, plan: VisitPlan, changes: dict[int, User]) -> int:
    """Give units of the plan (unit id → worker) to another worker, or a worker to a unit
    that had none (households that came after the plan was made). Returns how many changed."""
    require_own_plan(scope, plan)
    units = {u.area.pk: u for u in planning.units_of(plan.committee)}
    current = {s.area_id: s for s in PlanShare.objects.filter(plan=plan).select_related("area")}
    eligible = planning.eligible_workers(plan.committee)
    problems = []
    for unit_id, worker in changes.items():
        area = units[unit_id].area if unit_id in units else getattr(current.get(unit_id), "area", None)
        if area is None:
            problems.append(_("That building group is not part of this plan's committee."))
            continue
        problem = _check_worker(eligible, area, worker)
        if problem:
            problems.append(problem)
    if problems:
        raise ValidationError({"worker": problems})
    gained: dict[int, list[Area]] = {}
    users: dict[int, User] = {}
    changed = 0
    for unit_id, worker in changes.items():
        share = current.get(unit_id)
        if share is not None and share.worker_id == worker.pk:
            continue
        if share is None:
            share = PlanShare(plan=plan, area=units[unit_id].area, worker=worker)
        else:
            share.worker = worker
        share.save()
        changed += 1
        gained.setdefault(worker.pk, []).append(share.area)
        users[worker.pk] = worker
    _tell_workers(plan, gained, users)
    return changed


# --- Visits --------------------------------------------------------------------------------


@dataclass
class NeedDraft:
    """A need found on a visit, to be raised as a request (诉求) for one resident."""

    resident: Resident | None  # None: the first person living there
    category: Category | None  # one the household's committee offers
    text: str


@dataclass
class VisitDraft:
    household: Household
    visited_on: date
    way: str = Way.DOOR
    seen: list[Resident] = field(default_factory=list)
    others: str = ""
    findings: str = ""
    needs: str = ""
    demand: NeedDraft | None = None


def _check_visit(scope: Scope, draft: VisitDraft, today: date) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(name: str, text: str) -> None:
        problems.setdefault(name, []).append(text)

    if draft.visited_on > today:
        add("visited_on", _("A visit cannot be dated in the future; today is %(today)s.") % {"today": today})
    elif draft.visited_on < EARLIEST:
        add("visited_on", _("Give the day of the visit."))
    if draft.way not in Way.values:
        add("way", _("Say how the household was reached: at the door, by phone or met outside."))
    strangers = [p.name for p in draft.seen if p.household_id != draft.household.pk or not p.is_living]
    if strangers:
        add(
            "seen",
            _("%(names)s does not live in this household; write them under others seen.")
            % {"names": "、".join(strangers)},
        )
    for name, value, limit in (
        ("findings", draft.findings, MAX_TEXT),
        ("needs", draft.needs, MAX_TEXT),
        ("others", draft.others, 200),
    ):
        if len(value.strip()) > limit:
            add(name, _("At most %(n)d characters.") % {"n": limit})
    return problems


def _household_in_scope(scope: Scope, household: Household) -> None:
    if not scope.covers(household.building):
        raise PermissionDenied(_("This household is outside your area."))


@transaction.atomic
def log_visit(actor: User, scope: Scope, draft: VisitDraft, *, today: date | None = None) -> Visit:
    """One visit in the log; with ``draft.demand``, the need is raised as a request in the
    same transaction (both saved, or neither)."""
    require_visitor(scope)
    _household_in_scope(scope, draft.household)
    today = today or timezone.localdate()
    problems = _check_visit(scope, draft, today)
    if problems:
        raise ValidationError(problems)
    visit = Visit.objects.create(
        household=draft.household,
        visited_on=draft.visited_on,
        way=draft.way,
        others=" ".join(draft.others.split())[:200],
        findings=draft.findings.strip(),
        needs=draft.needs.strip(),
        recorded_by=actor,
    )
    if draft.seen:
        visit.seen.set(draft.seen)
    if draft.demand is not None:
        _raise(actor, scope, visit, draft.demand)
    return visit


def may_correct(actor: User, visit: Visit, *, now=None) -> bool:
    """Whoever recorded a visit may put it right within a week; after that it stands."""
    return visit.recorded_by_id == actor.pk and (now or timezone.now()) - visit.recorded_at <= CORRECT_WITHIN


@transaction.atomic
def correct_visit(
    actor: User, scope: Scope, visit: Visit, draft: VisitDraft, *, today: date | None = None
) -> Visit:
    """Put right a visit's date, way, who was seen and what was written. The household stays
    (a visit to the wrong door is a new visit); a request already raised stays as it is."""
    require_visitor(scope)
    _household_in_scope(scope, visit.household)
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.recorded_by_id != actor.pk:
        raise PermissionDenied(_("Only whoever recorded a visit may correct it."))
    if not may_correct(actor, locked):
        raise PermissionDenied(
            _("A visit can be corrected within %(days)d days of recording it; this one stands as recorded.")
            % {"days": CORRECT_WITHIN.days}
        )
    if draft.household.pk != locked.household_id:
        raise ValidationError(
            {"household": [_("A visit stays with its household; log a new visit instead.")]}
        )
    problems = _check_visit(scope, draft, today or timezone.localdate())
    if problems:
        raise ValidationError(problems)
    before = sorted(locked.seen.values_list("pk", flat=True))
    after = sorted(p.pk for p in draft.seen)
    locked.visited_on = draft.visited_on
    locked.way = draft.way
    locked.others = " ".join(draft.others.split())[:200]
    locked.findings = draft.findings.strip()
    locked.needs = draft.needs.strip()
    locked.corrected_at = timezone.now()
    locked.save()
    if before != after:
        locked.seen.set(draft.seen)  # in the audit log as {"seen": [before, after]}
    return locked


@transaction.atomic
def raise_demand(actor: User, scope: Scope, visit: Visit, need: NeedDraft) -> Demand:
    """A need found on a saved visit becomes a request, linked to the visit."""
    require_visitor(scope)
    _household_in_scope(scope, visit.household)
    return _raise(actor, scope, visit, need)


def _raise(actor: User, scope: Scope, visit: Visit, need: NeedDraft) -> Demand:

    household = visit.household
    problems: dict[str, list[str]] = {}
    person = need.resident
    if person is None:
        person = Resident.objects.living().filter(household=household).order_by("pk").first()
        if person is None:
            problems["demand_resident"] = [
                _("Nobody living here is recorded, so there is nobody to raise the request for.")
            ]
    elif person.household_id != household.pk or not person.is_living:
        problems["demand_resident"] = [_("Raise the request for someone who lives in this household.")]
    if (
        need.category is None
        or not demand_selectors.categories_for(household.committee).filter(pk=need.category.pk).exists()
    ):
        problems["demand_category"] = [_("Choose a category of this committee for the request.")]
    if not need.text.strip():
        problems["demand_text"] = [_("Say what the request is about.")]
    if problems:
        raise ValidationError(problems)
    assert person is not None and need.category is not None
    try:
        demand = demand_services.log_for_resident(
            actor=actor,
            scope=scope,
            resident=person,
            category=need.category,
            text=need.text.strip(),
            source=DemandSource.VISIT,
        )
    except ValidationError as error:
        raise ValidationError({"demand_text": error.messages}) from error
    VisitDemand.objects.create(visit=visit, demand=demand)
    return demand

"""Service projects (形成服务项目): staff group similar requests — several elderly residents
of one building asking for meals — into one project with an owner and a status, dated at
each step, ending with what was done. The requests' residents see the project on their
request's page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from common.scope import Scope
from demands.categories import committee_in
from demands.models import Demand, DemandEvent, EventKind, ProjectStatus, ServiceProject
from demands.selectors import handlers_of

# Where a project may go from each status; done and dropped are final.
MOVES = {
    ProjectStatus.PROPOSED: (ProjectStatus.IN_PROGRESS, ProjectStatus.DROPPED),
    ProjectStatus.IN_PROGRESS: (ProjectStatus.DONE, ProjectStatus.DROPPED),
    ProjectStatus.DONE: (),
    ProjectStatus.DROPPED: (),
}


@dataclass
class ProjectDraft:
    title: str
    description: str
    owner: User | None = None


def _require_own(scope: Scope, project: ServiceProject) -> None:
    committee_in(scope)
    if not scope.covers(project.committee):
        raise PermissionDenied(_("This project belongs to another committee."))


def _check(committee, draft: ProjectDraft) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not draft.title.strip():
        problems["title"] = [_("Give the project a title.")]
    elif len(draft.title.strip()) > 120:
        problems["title"] = [_("A title has at most 120 characters.")]
    if not draft.description.strip():
        problems["description"] = [_("Say what the project is for.")]
    if draft.owner is not None and not handlers_of(committee).filter(pk=draft.owner.pk).exists():
        problems["owner"] = [_("The owner must be a social worker or lead of %(c)s.") % {"c": committee.name}]
    return problems


@transaction.atomic
def create_project(
    *, actor: User, scope: Scope, draft: ProjectDraft, demands: Iterable[Demand] = ()
) -> ServiceProject:
    """A proposed project of the scope's committee, with the requests that prompted it."""
    committee = committee_in(scope)
    problems = _check(committee, draft)
    if problems:
        raise ValidationError(problems)
    project = ServiceProject.objects.create(
        committee=committee,
        title=" ".join(draft.title.split()),
        description=draft.description.strip(),
        owner=draft.owner,
        created_by=actor,
    )
    group(actor=actor, scope=scope, project=project, demands=demands)
    return project


@transaction.atomic
def update_project(*, scope: Scope, project: ServiceProject, draft: ProjectDraft) -> ServiceProject:
    _require_own(scope, project)
    problems = _check(project.committee, draft)
    if problems:
        raise ValidationError(problems)
    project.title, project.description, project.owner = (
        " ".join(draft.title.split()),
        draft.description.strip(),
        draft.owner,
    )
    project.save()
    return project


@transaction.atomic
def move_project(
    *, actor: User, scope: Scope, project: ServiceProject, status: str, outcome: str = ""
) -> ServiceProject:
    """Start, finish (with what was done) or drop (with why) a project, dated."""
    _require_own(scope, project)
    locked = ServiceProject.objects.select_for_update().get(pk=project.pk)
    if status not in ProjectStatus.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    if status not in MOVES[ProjectStatus(locked.status)]:
        raise ValidationError(
            _("A project that is “%(now)s” cannot become “%(then)s”.")
            % {"now": locked.get_status_display(), "then": ProjectStatus(status).label}
        )
    text = outcome.strip()
    if status in (ProjectStatus.DONE, ProjectStatus.DROPPED) and not text:
        raise ValidationError(
            {"outcome": [_("Say what was done, or why it was dropped; residents will read it.")]}
        )
    now = timezone.now()
    before = locked.status
    locked.status = status
    if status == ProjectStatus.IN_PROGRESS:
        locked.started_at = now
    else:
        locked.finished_at, locked.outcome = now, text
    locked.save()
    record("update", locked, changes={"status": [before, status]}, note=text[:255])
    return locked


@transaction.atomic
def group(*, actor: User, scope: Scope, project: ServiceProject, demands: Iterable[Demand]) -> int:
    """Put requests of the project's committee into it; each resident's timeline says so."""
    _require_own(scope, project)
    wanted = [r for r in demands if r.project_id != project.pk]
    for demand in wanted:
        if demand.committee_id != project.committee_id:
            raise ValidationError(_("Request #%(id)d belongs to another committee.") % {"id": demand.pk})
        if not demand.may_join_project:
            raise ValidationError(
                _("Request #%(id)d was withdrawn or declined; it cannot join a project.") % {"id": demand.pk}
            )
    if not wanted:
        return 0
    Demand.objects.filter(pk__in=[r.pk for r in wanted]).update(project=project, updated_at=timezone.now())
    DemandEvent.objects.bulk_create(
        [DemandEvent(demand_id=r.pk, kind=EventKind.PROJECT, text=project.title, by=actor) for r in wanted]
    )
    record("update", project, changes={"demands": [r.pk for r in wanted]}, note="grouped")
    return len(wanted)


@transaction.atomic
def ungroup(*, actor: User, scope: Scope, project: ServiceProject, demand: Demand) -> None:
    _require_own(scope, project)
    if demand.project_id != project.pk:
        raise ValidationError(_("Request #%(id)d is not part of this project.") % {"id": demand.pk})
    Demand.objects.filter(pk=demand.pk).update(project=None, updated_at=timezone.now())
    record("update", project, changes={"removed": demand.pk}, note="ungrouped")

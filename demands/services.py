"""A request's life: submitted by a resident (or logged for one by staff), triaged and
assigned with a due time from its category's service level, answered, resolved, rated,
reopened within a window, withdrawn by the resident or declined by staff with a reason.

Each step is one transaction that writes the request, its timeline event and the
notifications together; a step that does not fit the request's status is refused with a
message saying why. Categories are in ``categories``, photos in ``photos``, service
projects in ``projects``, the overdue job in ``escalation``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel
from common.scope import Capability, Scope
from demands import categories as category_rules
from demands import telling
from demands.models import (
    OPEN_STATUSES,
    Assignee,
    Category,
    Demand,
    DemandEvent,
    DemandSource,
    DemandStatus,
    EventKind,
)
from demands.partners import acts_for_unit
from demands.photos import save_photos
from demands.selectors import handlers_of
from partners.models import PartnerUnit
from partners.selectors import for_assignment
from registry.models import Resident
from registry.selectors import speaks_for

MAX_TEXT = 2000


def reopen_days() -> int:
    return getattr(settings, "DEMANDS_REOPEN_DAYS", 14)


# --- Shared checks -------------------------------------------------------------------------


def require_handler(scope: Scope, demand: Demand | None = None) -> None:
    if not scope.can(Capability.HANDLE_DEMANDS):
        raise PermissionDenied(_("Your active role may not handle residents' requests."))
    if demand is not None and not scope.covers(demand.committee):
        raise PermissionDenied(_("This request belongs to another committee."))


def require_handler_or_unit(actor: User, scope: Scope, demand: Demand) -> None:
    """Staff who handle the request, or the people of the partner unit it is given to
    (``demands.partners``): they start and resolve it under the same rules."""
    if acts_for_unit(actor, scope, demand):
        return
    require_handler(scope, demand)


def _text(value: str, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [missing]})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: [_("At most %(n)d characters, please.") % {"n": MAX_TEXT}]})
    return text


def _event(
    demand: Demand, kind: str, by: User | None, text: str = "", *, internal=False, at=None
) -> DemandEvent:
    return DemandEvent.objects.create(
        demand=demand, kind=kind, text=text, by=by, internal=internal, at=at or timezone.now()
    )


def _locked(demand: Demand) -> Demand:
    return Demand.objects.select_for_update().select_related("committee", "category").get(pk=demand.pk)


def _check_place(resident: Resident, place: str, building: Area | None) -> dict[str, list[str]]:
    if building is not None and (
        building.level != AreaLevel.BUILDING or not building.path.startswith(resident.committee.path)
    ):
        return {
            "building": [_("Choose a building of %(committee)s.") % {"committee": resident.committee.name}]
        }
    if len(place) > 120:
        return {"place": [_("Describe the place in at most 120 characters.")]}
    return {}


def _create(
    *,
    actor: User,
    resident: Resident,
    category: Category,
    text: str,
    source: str,
    place: str,
    building: Area | None,
    photos: Iterable[UploadedFile],
    kind: str,
    note: str,
) -> Demand:
    if not resident.is_living:
        raise ValidationError(
            _("%(name)s is not a current resident in the registry.") % {"name": resident.name}
        )
    if source not in DemandSource.values:
        raise ValidationError(
            {"source": [_("Say how the request came in: online, phone, visit or walk-in.")]}
        )
    committee = resident.committee
    problems: dict[str, list[str]] = {}
    if not category_rules.is_offered(category, committee):
        problems["category"] = [
            _("%(committee)s does not offer the category “%(category)s”; choose another.")
            % {"committee": committee.name, "category": category.name}
        ]
    try:
        text = _text(text, "text", _("Say what is needed."))
    except ValidationError as error:
        problems.update(error.message_dict)
    place = " ".join((place or "").split())
    problems.update(_check_place(resident, place, building))
    if problems:
        raise ValidationError(problems)
    public = bool(place or building)
    demand = Demand.objects.create(
        committee=committee,
        resident=resident,
        submitted_by=actor,
        source=source,
        category=category,
        text=text,
        household=None if public else resident.household,
        place=place,
        building=building,
    )
    save_photos(demand, photos, actor)
    _event(demand, kind, actor, note)
    return demand


@transaction.atomic
def submit(
    *,
    actor: User,
    resident: Resident,
    category: Category,
    text: str,
    place: str = "",
    building: Area | None = None,
    photos: Iterable[UploadedFile] = (),
) -> Demand:
    """A resident's request online, for themself or (as family proxy) for the person they act
    for. Empty ``place`` and ``building``: at their home."""
    if speaks_for(actor, resident) is None:
        raise PermissionDenied(_("You may ask only for yourself or someone you act for."))
    demand = _create(
        actor=actor,
        resident=resident,
        category=category,
        text=text,
        source=DemandSource.ONLINE,
        place=place,
        building=building,
        photos=photos,
        kind=EventKind.SUBMITTED,
        note="",
    )
    telling.received(demand)
    return demand


@transaction.atomic
def log_for_resident(
    *,
    actor: User,
    scope: Scope,
    resident: Resident,
    category: Category,
    text: str,
    source: str = DemandSource.VISIT,
    place: str = "",
    building: Area | None = None,
    photos: Iterable[UploadedFile] = (),
) -> Demand:
    """Staff log a request for a resident from a phone call, a visit or a walk-in: the need
    found on a visit becomes a request in one step. Those who handle requests may, and those
    who visit households (building leaders too), over the resident's home only."""
    if not (scope.can(Capability.HANDLE_DEMANDS) or scope.can(Capability.VISIT_HOUSEHOLDS)):
        raise PermissionDenied(_("Your active role may not log requests for residents."))
    if not scope.covers_path(resident.household.building.path):
        raise PermissionDenied(_("%(name)s lives outside your area.") % {"name": resident.name})
    if source == DemandSource.ONLINE:
        raise ValidationError({"source": [_("Residents submit online themselves; say how it reached you.")]})
    demand = _create(
        actor=actor,
        resident=resident,
        category=category,
        text=text,
        source=source,
        place=place,
        building=building,
        photos=photos,
        kind=EventKind.LOGGED,
        note=str(DemandSource(source).label) if source in DemandSource.values else "",
    )
    telling.logged(demand)
    return demand


@transaction.atomic
def add_photos(*, actor: User, demand: Demand, files: Iterable[UploadedFile], scope: Scope) -> int:
    """More photos while the request is open, by its resident or by staff."""
    staff = scope.can(Capability.HANDLE_DEMANDS) and scope.covers(demand.committee)
    if not staff and speaks_for(actor, demand.resident) is None:
        raise PermissionDenied(_("You may add photos only to your own requests."))
    locked = _locked(demand)
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(_("Photos can be added only while the request is open."))
    made = save_photos(locked, files, actor)
    if made:
        _event(locked, EventKind.PHOTO, actor, str(len(made)))
    return len(made)


# --- Triage and assignment -----------------------------------------------------------------


def _assignee_problem(
    committee: Area, kind: str, worker: User | None, name: str, unit: PartnerUnit | None
) -> dict[str, list[str]]:
    if kind not in Assignee.values:
        return {"assignee_kind": [_("Choose who carries it out.")]}
    if kind == Assignee.WORKER:
        if worker is None:
            return {"worker": [_("Choose the social worker.")]}
        if not handlers_of(committee).filter(pk=worker.pk).exists():
            return {
                "worker": [
                    _("%(name)s does not handle requests for %(committee)s.")
                    % {"name": worker.name, "committee": committee.name}
                ]
            }
    elif kind == Assignee.PARTNER:
        if unit is None:
            return {"unit": [_("Choose the partner unit.")]}
        if not for_assignment(committee).filter(pk=unit.pk).exists():
            return {
                "unit": [
                    _("%(name)s is not a current partner unit of %(committee)s.")
                    % {"name": unit.name, "committee": committee.name}
                ]
            }
    elif not name.strip():
        return {"assignee_name": [_("Name the partner unit, property management or owners' committee.")]}
    return {}


@transaction.atomic
def assign(
    *,
    actor: User,
    scope: Scope,
    demand: Demand,
    kind: str,
    worker: User | None = None,
    name: str = "",
    unit: PartnerUnit | None = None,
    category: Category | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Demand:
    """Triage (optionally correcting the category) and assign to a social worker of the
    committee, a partner unit of the committee or its street (``unit``: its people are told
    and answer it), or another outside body (``name``). The first assignment, a change of
    category and an assignment after reopening set the due time from the category's service
    level."""
    require_handler(scope, demand)
    locked = _locked(demand)
    now = now or timezone.now()
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(
            _("A request that is “%(status)s” cannot be assigned.") % {"status": locked.get_status_display()}
        )
    problems = _assignee_problem(locked.committee, kind, worker, name, unit)
    if (
        category is not None
        and category.pk != locked.category_id
        and not category_rules.is_offered(category, locked.committee)
    ):
        problems["category"] = [_("%(name)s is not offered here.") % {"name": category.name}]
    if problems:
        raise ValidationError(problems)
    recategorised = category is not None and category.pk != locked.category_id
    before = (
        locked.assignee_kind,
        locked.assignee_id,
        locked.assignee_unit_id,
        locked.assignee_name,
        locked.due_at,
    )
    if recategorised:
        assert category is not None
        locked.category = category
    if locked.due_at is None or recategorised:
        hours = category_rules.hours_for(locked.category, locked.committee)
        locked.due_at = now + timedelta(hours=hours)
    locked.assignee_kind = kind
    locked.assignee = worker if kind == Assignee.WORKER else None
    locked.assignee_unit = unit if kind == Assignee.PARTNER else None
    if kind == Assignee.WORKER:
        locked.assignee_name = ""
    elif unit is not None and kind == Assignee.PARTNER:
        # The unit's name too, for the pages and exports that read the name.
        locked.assignee_name = unit.name
    else:
        locked.assignee_name = " ".join(name.split())[:120]
    locked.assigned_at = now
    locked.assigned_by = actor
    if locked.status in (DemandStatus.NEW, DemandStatus.REOPENED):
        locked.status = DemandStatus.ASSIGNED
    locked.save()
    text = locked.assignee_label
    if recategorised:
        text = f"{locked.category.name} · {text}"
    _event(locked, EventKind.ASSIGNED, actor, text, at=now)
    if note.strip():
        _event(locked, EventKind.NOTE, actor, note.strip(), internal=True, at=now)
    now_given = (
        locked.assignee_kind,
        locked.assignee_id,
        locked.assignee_unit_id,
        locked.assignee_name,
        locked.due_at,
    )
    if now_given != before:
        telling.assigned(locked)
    if locked.assignee_unit_id and locked.assignee_unit_id != before[2]:
        telling.tell_unit(
            locked,
            _("A request for your unit: %(label)s") % {"label": telling.label(locked)},
            _("Due %(when)s. Reply to the resident and mark it done on its page.")
            % {"when": timezone.localtime(locked.due_at).strftime("%Y-%m-%d %H:%M")},
            sms=True,
        )
    if locked.assignee_id and locked.assignee_id != actor.pk:
        telling.tell_assignee(
            locked,
            _("A request for you: %(label)s") % {"label": telling.label(locked)},
            _("Due %(when)s.") % {"when": timezone.localtime(locked.due_at).strftime("%Y-%m-%d %H:%M")},
        )
    return locked


@transaction.atomic
def start(*, actor: User, scope: Scope, demand: Demand) -> Demand:
    """Work has begun: the resident sees it on the timeline. By staff or the unit it is given to."""
    require_handler_or_unit(actor, scope, demand)
    locked = _locked(demand)
    if not locked.may_start:
        raise ValidationError(_("Assign the request before starting work on it."))
    locked.status = DemandStatus.IN_PROGRESS
    locked.save()
    _event(locked, EventKind.STARTED, actor)
    telling.started(locked)
    return locked


# --- Replies -------------------------------------------------------------------------------


@transaction.atomic
def reply(*, actor: User, demand: Demand, text: str, scope: Scope, internal: bool = False) -> DemandEvent:
    """A message on the timeline. Staff (``scope``) reply to the resident, who is told, or
    write an internal note; the resident (or their family member) replies to staff."""
    body = _text(text, "text", _("Write the message first."))
    demand = _locked(demand)
    staff = scope is not None and scope.can(Capability.HANDLE_DEMANDS) and scope.covers(demand.committee)
    if staff:
        if demand.status in (DemandStatus.WITHDRAWN, DemandStatus.DECLINED) and not internal:
            raise ValidationError(_("This request is finished; only internal notes can be added."))
        made = _event(demand, EventKind.NOTE if internal else EventKind.REPLY, actor, body, internal=internal)
        if not internal:
            telling.tell_resident(
                demand, _("A reply on your request: %(label)s") % {"label": telling.label(demand)}, body
            )
        return made
    if internal:
        raise PermissionDenied(_("Only staff write internal notes."))
    if acts_for_unit(actor, scope, demand):
        return _unit_reply(actor, demand, body)
    if speaks_for(actor, demand.resident) is None:
        raise PermissionDenied(_("You may reply only on your own requests."))
    if demand.status in (DemandStatus.CLOSED, DemandStatus.WITHDRAWN, DemandStatus.DECLINED):
        raise ValidationError(_("This request is finished; submit a new one if you need more help."))
    made = _event(demand, EventKind.RESIDENT_REPLY, actor, body)
    telling.tell_assignee(
        demand, _("The resident replied: %(label)s") % {"label": telling.label(demand)}, body
    )
    return made


def _unit_reply(actor: User, demand: Demand, body: str) -> DemandEvent:
    """The partner unit answers the resident: on the timeline as the unit's reply; the
    resident and the staff who gave it to the unit are told."""
    if demand.status not in OPEN_STATUSES:
        raise ValidationError(_("This request is no longer open; the committee follows it up."))
    made = _event(demand, EventKind.PARTNER_REPLY, actor, body)
    title = _("A reply on your request: %(label)s") % {"label": telling.label(demand)}
    unit = demand.assignee_unit
    telling.tell_resident(demand, title, f"{unit.name}: {body}" if unit else body)
    telling.tell_giver(
        demand, _("The partner unit replied: %(label)s") % {"label": telling.label(demand)}, body
    )
    return made


# --- Resolution and after ------------------------------------------------------------------


@transaction.atomic
def resolve(
    *, actor: User, scope: Scope, demand: Demand, resolution: str, now: datetime | None = None
) -> Demand:
    """Resolved with what was done, which the resident reads and may rate or reopen. By staff
    or the partner unit it is given to (the staff who gave it are told)."""
    require_handler_or_unit(actor, scope, demand)
    text = _text(resolution, "resolution", _("Say what was done; the resident will read it."))
    locked = _locked(demand)
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(
            _("A request that is “%(status)s” cannot be resolved.") % {"status": locked.get_status_display()}
        )
    now = now or timezone.now()
    locked.status = DemandStatus.RESOLVED
    locked.resolution, locked.resolved_at, locked.resolved_by = text, now, actor
    locked.save()
    _event(locked, EventKind.RESOLVED, actor, text, at=now)
    if acts_for_unit(actor, scope, locked):
        telling.tell_giver(
            locked, _("Done by the partner unit: %(label)s") % {"label": telling.label(locked)}, text
        )
    telling.tell_resident(
        locked,
        _("Your request is resolved: %(label)s") % {"label": telling.label(locked)},
        _("%(text)s\nPlease rate the result; if it is not solved you may reopen it within %(days)d days.")
        % {"text": text, "days": reopen_days()},
        sms=True,
    )
    return locked


@transaction.atomic
def decline(*, actor: User, scope: Scope, demand: Demand, reason: str) -> Demand:
    """Not for the committee (a private dispute for the courts, a duplicate...), with a
    reason the resident reads."""
    require_handler(scope, demand)
    text = _text(reason, "reason", _("Say why; the resident will read it."))
    locked = _locked(demand)
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(
            _("A request that is “%(status)s” cannot be declined.") % {"status": locked.get_status_display()}
        )
    locked.status, locked.declined_reason, locked.closed_at = DemandStatus.DECLINED, text, timezone.now()
    locked.save()
    _event(locked, EventKind.DECLINED, actor, text)
    telling.tell_resident(
        locked, _("Your request was declined: %(label)s") % {"label": telling.label(locked)}, text
    )
    return locked


@transaction.atomic
def close(*, actor: User, scope: Scope, demand: Demand, note: str = "") -> Demand:
    """Close a resolved request, by staff handling it."""
    require_handler(scope, demand)
    return _close(demand, actor, note, timezone.now())


@transaction.atomic
def close_unreopened(demand: Demand, note: str, now: datetime) -> Demand:
    """Close a resolved request by the job, once the window for reopening it has passed."""
    return _close(demand, None, note, now)


def _close(demand: Demand, actor: User | None, note: str, now: datetime) -> Demand:
    locked = _locked(demand)
    if not locked.may_close:
        raise ValidationError(_("Only a resolved request can be closed."))
    locked.status, locked.closed_at = DemandStatus.CLOSED, now
    locked.save()
    _event(locked, EventKind.CLOSED, actor, note.strip(), at=now)
    telling.closed(locked)
    return locked


def _own(actor: User, demand: Demand, what: str) -> None:
    if speaks_for(actor, demand.resident) is None:
        raise PermissionDenied(what)


@transaction.atomic
def withdraw(*, actor: User, demand: Demand, reason: str = "") -> Demand:
    """The resident no longer needs it (solved by a neighbour, asked by mistake)."""
    _own(actor, demand, _("You may withdraw only your own requests."))
    locked = _locked(demand)
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(_("Only an open request can be withdrawn."))
    locked.status, locked.closed_at = DemandStatus.WITHDRAWN, timezone.now()
    locked.save()
    _event(locked, EventKind.WITHDRAWN, actor, reason.strip()[:MAX_TEXT])
    telling.tell_assignee(
        locked, _("Withdrawn by the resident: %(label)s") % {"label": telling.label(locked)}, reason
    )
    return locked


@transaction.atomic
def rate(*, actor: User, demand: Demand, rating: int, comment: str = "") -> Demand:
    """The resident's satisfaction with the result, once, after it is resolved."""
    _own(actor, demand, _("You may rate only your own requests."))
    locked = _locked(demand)
    if locked.status not in (DemandStatus.RESOLVED, DemandStatus.CLOSED) or locked.resolved_at is None:
        raise ValidationError(_("A request can be rated once it is resolved."))
    if locked.rating is not None:
        raise ValidationError(_("This request has already been rated."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Choose from 1 (not satisfied) to 5 (very satisfied).")]})
    comment = comment.strip()[:MAX_TEXT]
    locked.rating, locked.rating_comment, locked.rated_at = rating, comment, timezone.now()
    locked.save()
    _event(locked, EventKind.RATED, actor, f"{'★' * rating}{'☆' * (5 - rating)} {comment}".strip())
    return locked


@transaction.atomic
def reopen(*, actor: User, demand: Demand, reason: str, now: datetime | None = None) -> Demand:
    """Not solved after all: within the window after resolution, with a reason. Clears the
    resolution (and its rating) and restarts the clock with the same assignee."""
    _own(actor, demand, _("You may reopen only your own requests."))
    text = _text(reason, "reason", _("Say what is still wrong."))
    locked = _locked(demand)
    now = now or timezone.now()
    if locked.status not in (DemandStatus.RESOLVED, DemandStatus.CLOSED) or locked.resolved_at is None:
        raise ValidationError(_("Only a resolved request can be reopened."))
    if now > locked.resolved_at + timedelta(days=reopen_days()):
        raise ValidationError(
            _("A request can be reopened within %(days)d days of its resolution; please submit a new one.")
            % {"days": reopen_days()}
        )
    locked.status = DemandStatus.REOPENED
    locked.resolution, locked.resolved_at, locked.resolved_by, locked.closed_at = "", None, None, None
    locked.rating, locked.rating_comment, locked.rated_at = None, "", None
    locked.reopened_count += 1
    locked.due_at = now + timedelta(hours=category_rules.hours_for(locked.category, locked.committee))
    locked.save()
    _event(locked, EventKind.REOPENED, actor, text, at=now)
    telling.tell_assignee(
        locked, _("Reopened by the resident: %(label)s") % {"label": telling.label(locked)}, text
    )
    return locked

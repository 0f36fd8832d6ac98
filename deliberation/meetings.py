"""Meetings of the deliberation council (议事会) and the joint meeting (联席会议): agenda,
participants (outside representatives need no account), attendance, minutes, and the
decisions they take — each with an owner and a due date, tracked to done."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.scope import Scope
from deliberation import services
from deliberation.models import Decision, DecisionStatus, Meeting, Participant, Side, Topic
from registry.models import Resident


def _require_own(scope: Scope, meeting: Meeting) -> None:
    services.require_manager(scope)
    if not scope.covers(meeting.committee):
        raise PermissionDenied(_("This meeting belongs to another committee."))


@dataclass
class MeetingDraft:
    kind: str
    title: str
    starts_at: datetime
    place: str
    agenda: str = ""
    topics: list[Topic] = field(default_factory=list)


def _check(committee, draft: MeetingDraft) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not draft.title.strip():
        problems.setdefault("title", []).append(_("Give the meeting a title."))
    if not draft.place.strip():
        problems.setdefault("place", []).append(_("Say where it is held."))
    for topic in draft.topics:
        if topic.committee_id != committee.pk:
            problems.setdefault("topics", []).append(
                _("“%(title)s” is another committee's topic.") % {"title": topic.title}
            )
    return problems


def _write(meeting: Meeting, draft: MeetingDraft) -> None:
    meeting.kind = draft.kind
    meeting.title = " ".join(draft.title.split())
    meeting.starts_at, meeting.place, meeting.agenda = (
        draft.starts_at,
        draft.place.strip(),
        draft.agenda.strip(),
    )
    meeting.save()
    meeting.topics.set(draft.topics)


@transaction.atomic
def create_meeting(user: User, scope: Scope, draft: MeetingDraft) -> Meeting:
    services.require_manager(scope)
    committee = services.committee_of_scope(scope)
    problems = _check(committee, draft)
    if problems:
        raise ValidationError(problems)
    meeting = Meeting(committee=committee, created_by=user)
    _write(meeting, draft)
    return meeting


@transaction.atomic
def update_meeting(scope: Scope, meeting: Meeting, draft: MeetingDraft) -> Meeting:
    _require_own(scope, meeting)
    problems = _check(meeting.committee, draft)
    if problems:
        raise ValidationError(problems)
    _write(meeting, draft)
    return meeting


@transaction.atomic
def add_participant(
    scope: Scope,
    meeting: Meeting,
    side: str,
    name: str,
    organisation: str = "",
    resident: Resident | None = None,
) -> Participant:
    _require_own(scope, meeting)
    if side not in Side.values:
        raise ValidationError({"side": [_("Say whom they speak for.")]})
    if resident is not None:
        if not resident.household.building.path.startswith(meeting.committee.path):
            raise ValidationError(
                {"resident": [_("%(name)s does not live in this committee.") % {"name": resident.name}]}
            )
        name = name.strip() or resident.name
    if not name.strip():
        raise ValidationError({"name": [_("Give the participant's name.")]})
    if side in (Side.PROPERTY, Side.OWNERS, Side.PARTNER) and not organisation.strip():
        raise ValidationError({"organisation": [_("Name the company or body they represent.")]})
    return Participant.objects.create(
        meeting=meeting,
        side=side,
        name=name.strip()[:60],
        organisation=organisation.strip()[:120],
        resident=resident,
    )


@transaction.atomic
def remove_participant(scope: Scope, participant: Participant) -> None:
    _require_own(scope, participant.meeting)
    participant.delete()


@transaction.atomic
def record_minutes(scope: Scope, meeting: Meeting, minutes: str, attended: set[int]) -> Meeting:
    """The minutes and who came; the meeting counts as held from then."""
    _require_own(scope, meeting)
    if not minutes.strip():
        raise ValidationError({"minutes": [_("Write the minutes.")]})
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not taken place yet."))
    meeting.minutes = minutes.strip()
    meeting.held_at = meeting.held_at or timezone.now()
    meeting.save()
    for participant in meeting.participants.all():
        came = participant.pk in attended
        if participant.attended is not came:
            participant.attended = came
            participant.save(update_fields=["attended"])
    return meeting


@transaction.atomic
def decide(
    scope: Scope, meeting: Meeting | None, text: str, owner: str, due_on: date, topic: Topic | None = None
) -> Decision:
    """A decision of a meeting (or of the committee on a topic), owned and dated."""
    services.require_manager(scope)
    committee = meeting.committee if meeting is not None else (topic.committee if topic else None)
    if committee is None or not scope.covers(committee):
        raise PermissionDenied(_("This belongs to another committee."))
    problems: dict[str, list[str]] = {}
    if not text.strip():
        problems["text"] = [_("Write what was decided.")]
    if not owner.strip():
        problems["owner"] = [_("Say who carries it out.")]
    if topic is not None and topic.committee_id != committee.pk:
        problems["topic"] = [_("“%(title)s” is another committee's topic.") % {"title": topic.title}]
    if problems:
        raise ValidationError(problems)
    return Decision.objects.create(
        committee=committee,
        meeting=meeting,
        topic=topic,
        text=text.strip(),
        owner=owner.strip()[:120],
        due_on=due_on,
    )


@transaction.atomic
def track(
    scope: Scope, decision: Decision, status: str, progress: str = "", due_on: date | None = None
) -> Decision:
    """Progress on a decision: a note, a new due date, done or dropped (with a reason)."""
    services.require_manager(scope)
    if not scope.covers(decision.committee):
        raise PermissionDenied(_("This decision belongs to another committee."))
    if status not in DecisionStatus.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    if status == DecisionStatus.DROPPED and not progress.strip():
        raise ValidationError({"progress": [_("Say why it was dropped.")]})
    if status == DecisionStatus.DONE and not (progress.strip() or decision.progress.strip()):
        raise ValidationError({"progress": [_("Say what was done.")]})
    if progress.strip():
        stamp = timezone.localdate().isoformat()
        decision.progress = f"{decision.progress}\n{stamp} {progress.strip()}".strip()
    if due_on is not None:
        decision.due_on = due_on
    decision.status = status
    decision.done_at = timezone.now() if status == DecisionStatus.DONE else None
    decision.save()
    return decision

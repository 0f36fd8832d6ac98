"""Topics and what residents say about them: posting and proposing, support that opens a
proposal, phases moved forward with dates (each one on the timeline and in the audit log),
opinions and replies with moderation. Polls are in ``polls``; meetings and decisions in
``meetings``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, not_parts_of
from audit.services import record
from common.scope import Capability, Scope
from deliberation.models import (
    FORWARD,
    HeldWord,
    Opinion,
    OpinionStatus,
    Phase,
    Support,
    Topic,
    TopicArea,
    TopicEvent,
)
from notifications.models import NotificationKind
from notifications.services import notify
from registry.models import Resident
from registry.selectors import accounts_of, speaks_for

MAX_OPINION = 2000


def supporters_needed() -> int:
    return getattr(settings, "DELIBERATION_SUPPORTERS", 10)


def collecting_days() -> int:
    return getattr(settings, "DELIBERATION_COLLECT_DAYS", 14)


def require_manager(scope: Scope) -> None:
    if not scope.can(Capability.MANAGE_DELIBERATION):
        raise PermissionDenied(_("Your active role may not run deliberation."))


def require_own(scope: Scope, topic: Topic) -> None:
    require_manager(scope)
    if not scope.covers(topic.committee):
        raise PermissionDenied(_("This topic belongs to another committee."))


def committee_of_scope(scope: Scope) -> Area:
    """Topics and meetings belong to a committee."""
    return scope.committee(_("Topics and meetings belong to a committee; act in a committee role."))


# --- Who a topic is put to ---------------------------------------------------------------


def reaches(topic: Topic, resident: Resident) -> bool:
    """Whether ``resident`` lives where the topic is put: its committee, or its chosen areas."""
    if not resident.is_living:
        return False
    return resident.lives_under(topic.committee, [a.area for a in topic.areas.all()])


def speaking_for(user: User, resident: Resident, topic: Topic) -> str:
    """Why ``user`` may not speak for ``resident`` on ``topic``; "" if they may (themself,
    or as the family member acting for them)."""
    if speaks_for(user, resident) is None:
        return _("You may speak only for yourself or someone you act for.")
    if not reaches(topic, resident):
        names = "、".join(a.area.name for a in topic.areas.all()) or topic.committee.name
        return _("This topic is put to the residents of %(areas)s.") % {"areas": names}
    return ""


def _event(topic: Topic, phase: str, note: str, user: User | None) -> TopicEvent:
    return TopicEvent.objects.create(topic=topic, phase=phase, note=note.strip(), by=user)


# --- Posting and proposing --------------------------------------------------------------


@dataclass
class TopicDraft:
    title: str
    body: str
    collect_until: date | None = None
    decide_by: date | None = None
    implement_by: date | None = None
    areas: list[Area] = field(default_factory=list)


def _check(committee: Area, draft: TopicDraft) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(name: str, text: str) -> None:
        problems.setdefault(name, []).append(text)

    if not draft.title.strip():
        add("title", _("Give the topic a title."))
    if not draft.body.strip():
        add("body", _("Say what the topic is about."))
    today = timezone.localdate()
    if draft.collect_until and draft.collect_until < today:
        add("collect_until", _("Opinions cannot close before today."))
    dates = [
        ("collect_until", draft.collect_until),
        ("decide_by", draft.decide_by),
        ("implement_by", draft.implement_by),
    ]
    known = [(name, value) for name, value in dates if value]
    for (_first, earlier), (name, later) in pairwise(known):
        if later < earlier:
            add(name, _("The dates must follow each other: opinions, then decision, then carrying out."))
    for area in not_parts_of(committee, draft.areas):
        add("areas", _("%(area)s is not part of %(own)s.") % {"area": area.name, "own": committee.name})
    return problems


def _write(topic: Topic, draft: TopicDraft) -> None:
    topic.title = " ".join(draft.title.split())
    topic.body = draft.body.strip()
    topic.collect_until, topic.decide_by, topic.implement_by = (
        draft.collect_until,
        draft.decide_by,
        draft.implement_by,
    )
    topic.save()
    TopicArea.choose(topic, draft.areas)


@transaction.atomic
def post_topic(user: User, scope: Scope, draft: TopicDraft) -> Topic:
    """Staff put a topic to residents: it opens for opinions at once."""
    require_manager(scope)
    committee = committee_of_scope(scope)
    problems = _check(committee, draft)
    if problems:
        raise ValidationError(problems)
    if draft.collect_until is None:
        draft.collect_until = timezone.localdate() + timedelta(days=collecting_days())
    topic = Topic(committee=committee, phase=Phase.COLLECTING, created_by=user, opened_at=timezone.now())
    _write(topic, draft)
    _event(topic, Phase.COLLECTING, _("Put to residents by the committee."), user)
    return topic


@transaction.atomic
def update_topic(scope: Scope, topic: Topic, draft: TopicDraft) -> Topic:
    """Staff correct the wording and dates; who it is put to is fixed once opinions come in."""
    require_own(scope, topic)
    if topic.is_finished:
        raise ValidationError(_("A finished topic cannot be changed."))
    problems = _check(topic.committee, draft)
    wanted = {a.pk for a in draft.areas}
    if wanted != set(topic.areas.values_list("area_id", flat=True)) and topic.opinions.exists():
        problems.setdefault("areas", []).append(
            _("Residents have already given opinions; whom the topic is put to can no longer change.")
        )
    if problems:
        raise ValidationError(problems)
    _write(topic, draft)
    return topic


@transaction.atomic
def propose_topic(user: User, resident: Resident, title: str, body: str) -> Topic:
    """A resident proposes a topic; it opens once enough neighbours support it, or staff approve."""
    if speaks_for(user, resident) is None:
        raise PermissionDenied(_("You may propose only for yourself or someone you act for."))
    if not resident.is_living:
        raise ValidationError(
            _("%(name)s is not a current resident in the registry.") % {"name": resident.name}
        )
    committee = resident.committee
    draft = TopicDraft(title=title, body=body)
    problems = _check(committee, draft)
    if problems:
        raise ValidationError(problems)
    topic = Topic(committee=committee, phase=Phase.PROPOSED, proposed_by=resident, created_by=user)
    topic.supporters_needed = supporters_needed()
    _write(topic, draft)
    Support.objects.create(topic=topic, resident=resident)
    _event(topic, Phase.PROPOSED, _("Proposed by a resident."), user)
    return topic


def _open(topic: Topic, user: User | None, note: str) -> None:
    topic.phase = Phase.COLLECTING
    topic.opened_at = timezone.now()
    topic.collect_until = topic.collect_until or timezone.localdate() + timedelta(days=collecting_days())
    topic.save()
    _event(topic, Phase.COLLECTING, note, user)
    if topic.proposed_by_id:
        _tell_proposer(topic, _("Your proposal is open for opinions: %(title)s") % {"title": topic.title})


def _tell_proposer(topic: Topic, title: str, body: str = "") -> None:
    if topic.proposed_by_id is None:
        return
    proposer = Resident.objects.filter(pk=topic.proposed_by_id)
    url = reverse("deliberation:detail", args=[topic.pk])
    notify(accounts_of(proposer), kind=NotificationKind.DELIBERATION, title=title, body=body, url=url)


@transaction.atomic
def support(user: User, resident: Resident, topic: Topic) -> Support:
    """Back a proposal; the supporter who reaches the number needed opens it."""
    locked = Topic.objects.select_for_update().select_related("committee").get(pk=topic.pk)
    if not locked.is_gathering_support:
        raise ValidationError(_("This topic is no longer gathering support."))
    problem = speaking_for(user, resident, locked)
    if problem:
        raise ValidationError(problem)
    try:
        with transaction.atomic():
            made = Support.objects.create(topic=locked, resident=resident)
    except IntegrityError:
        raise ValidationError(
            _("%(name)s already supports this proposal.") % {"name": resident.name}
        ) from None
    count = Support.objects.filter(topic=locked).count()
    if locked.supporters_needed and count >= locked.supporters_needed:
        _open(locked, None, _("Opened by the support of %(n)d neighbours.") % {"n": count})
    return made


@transaction.atomic
def approve(user: User, scope: Scope, topic: Topic, note: str = "") -> Topic:
    require_own(scope, topic)
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if not locked.is_gathering_support:
        raise ValidationError(_("Only a proposal waiting for support can be approved."))
    _open(locked, user, note or _("Approved by the committee."))
    return locked


# --- Phases ------------------------------------------------------------------------------


@transaction.atomic
def move(user: User, scope: Scope, topic: Topic, phase: str, note: str = "") -> Topic:
    """Move a topic forward (a phase may be skipped: the poll is optional), or close it early
    with a reason. Never back: the timeline is what residents were told."""
    require_own(scope, topic)
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if phase not in Phase.values:
        raise ValidationError(_("Unknown phase."))
    if locked.is_finished:
        raise ValidationError(_("This topic is finished."))
    if phase == Phase.CLOSED:
        if not note.strip():
            raise ValidationError({"note": [_("Say why the topic is not taken up; residents will read it.")]})
    elif FORWARD.index(Phase(phase)) <= FORWARD.index(Phase(locked.phase)):
        raise ValidationError(
            _("A topic moves forward only: it is at “%(now)s”.") % {"now": Phase(locked.phase).label}
        )
    if phase == Phase.COLLECTING:
        return approve(user, scope, locked, note)
    if phase == Phase.POLL and not hasattr(locked, "poll"):
        raise ValidationError(_("Set up the poll first."))
    if phase == Phase.IMPLEMENTATION and not (locked.decision.strip() or note.strip()):
        raise ValidationError({"note": [_("Write down what was decided before carrying it out.")]})
    if phase == Phase.DONE and not (locked.outcome.strip() or note.strip()):
        raise ValidationError({"note": [_("Write down what was done; residents will read it.")]})
    if phase == Phase.IMPLEMENTATION and note.strip() and not locked.decision.strip():
        locked.decision = note.strip()
    if phase == Phase.DONE and note.strip() and not locked.outcome.strip():
        locked.outcome = note.strip()
    before = locked.phase
    locked.phase = phase
    locked.save()
    _event(locked, phase, note, user)
    record("update", locked, changes={"phase": [before, phase]}, note=note.strip()[:255])
    if locked.proposed_by_id:
        _tell_proposer(
            locked,
            _("%(title)s: now “%(phase)s”") % {"title": locked.title, "phase": Phase(phase).label},
            note,
        )
    return locked


@transaction.atomic
def write_outcome(scope: Scope, topic: Topic, decision: str, outcome: str) -> Topic:
    """What was decided and what was done, in words for the outcome page."""
    require_own(scope, topic)
    topic.decision, topic.outcome = decision.strip(), outcome.strip()
    topic.save(update_fields=["decision", "outcome", "updated_at"])
    return topic


# --- Opinions and moderation -------------------------------------------------------------


def held_words(committee: Area) -> list[str]:
    return list(HeldWord.objects.filter(committee=committee).values_list("word", flat=True))


def _matches(text: str, words: list[str]) -> list[str]:
    folded = text.casefold()
    return [w for w in words if w.casefold() in folded]


@transaction.atomic
def give_opinion(
    user: User,
    topic: Topic,
    body: str,
    *,
    resident: Resident | None = None,
    parent: Opinion | None = None,
    scope: Scope,
) -> Opinion:
    """A resident's opinion or reply (``resident`` set), or a staff reply as the committee
    (``scope`` covering the topic). A post with a held word waits for a moderator."""
    text = body.strip()
    if not text:
        raise ValidationError({"body": [_("Write your opinion first.")]})
    if len(text) > MAX_OPINION:
        raise ValidationError({"body": [_("At most %(n)d characters, please.") % {"n": MAX_OPINION}]})
    if parent is not None and (parent.topic_id != topic.pk or not parent.is_visible):
        raise ValidationError(_("You can reply only to an opinion shown on this topic."))
    if parent is not None and parent.parent_id:
        parent = parent.parent  # replies stay one level deep
    if resident is None:
        require_own(scope, topic)
        if not topic.is_open_to_the_committee:
            raise ValidationError(_("This topic is not open for discussion."))
        return Opinion.objects.create(topic=topic, parent=parent, author=user, body=text)
    if not topic.is_open_for_opinions:
        raise ValidationError(
            _("Opinions on this topic are closed: it is at “%(phase)s”.")
            % {"phase": topic.get_phase_display()}
        )
    if topic.collect_until and timezone.localdate() > topic.collect_until and parent is None:
        raise ValidationError(_("Opinions closed on %(day)s.") % {"day": topic.collect_until.isoformat()})
    problem = speaking_for(user, resident, topic)
    if problem:
        raise ValidationError(problem)
    matched = _matches(text, held_words(topic.committee))
    return Opinion.objects.create(
        topic=topic,
        parent=parent,
        resident=resident,
        author=user,
        body=text,
        status=OpinionStatus.HELD if matched else OpinionStatus.VISIBLE,
        held_for="、".join(matched)[:200],
    )


def _tell_author(opinion: Opinion, title: str, body: str) -> None:
    if opinion.resident_id is None:
        return
    resident = Resident.objects.filter(pk=opinion.resident_id)
    url = reverse("deliberation:detail", args=[opinion.topic_id])
    notify(accounts_of(resident), kind=NotificationKind.DELIBERATION, title=title, body=body, url=url)


@transaction.atomic
def hide(user: User, scope: Scope, opinion: Opinion, reason: str) -> Opinion:
    """Hide an opinion with a reason: logged, and its author is told why."""
    require_own(scope, opinion.topic)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why; the author will be told.")]})
    opinion.status = OpinionStatus.HIDDEN
    opinion.hidden_reason = reason.strip()[:200]
    opinion.moderated_by, opinion.moderated_at = user, timezone.now()
    opinion.save()
    _tell_author(
        opinion,
        _("Your opinion on “%(title)s” was hidden") % {"title": opinion.topic.title},
        _("Reason: %(reason)s") % {"reason": opinion.hidden_reason},
    )
    return opinion


@transaction.atomic
def release(user: User, scope: Scope, opinion: Opinion) -> Opinion:
    """Show an opinion that was held for review (or hidden by mistake)."""
    require_own(scope, opinion.topic)
    if opinion.is_visible:
        raise ValidationError(_("This opinion is already shown."))
    opinion.status = OpinionStatus.VISIBLE
    opinion.hidden_reason = ""
    opinion.moderated_by, opinion.moderated_at = user, timezone.now()
    opinion.save()
    return opinion


@transaction.atomic
def set_held_words(scope: Scope, text: str) -> list[str]:
    """Replace the committee's list of words that hold a post for review (one per line or
    separated by commas)."""
    require_manager(scope)
    committee = committee_of_scope(scope)
    words = []
    for part in text.replace("，", "\n").replace(",", "\n").splitlines():
        word = part.strip()
        if word and word not in words:
            if len(word) > 40:
                raise ValidationError(
                    {"words": [_("“%(word)s” is too long: 40 characters at most.") % {"word": word[:20]}]}
                )
            words.append(word)
    old = held_words(committee)
    HeldWord.objects.filter(committee=committee).exclude(word__in=words).delete()
    HeldWord.objects.bulk_create([HeldWord(committee=committee, word=w) for w in words if w not in old])
    record("update", committee, changes={"held_words": [old, words]}, note="deliberation held words")
    return words

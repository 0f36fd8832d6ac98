"""Polls on a topic: single or multiple choice, one vote per resident or per household,
limited by building and age, named or anonymous, results shown once voting closes.

No double vote, ever: a ballot's (poll, voter) pair is unique in the database, so two
requests racing for the same resident (or two members of a household voting at once)
leave one ballot and a clear refusal for the other. An anonymous poll stores only that a
voter voted and the options' counters; what they chose is nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, not_parts_of
from common.formats import when_text
from common.scope import Scope
from deliberation import services
from deliberation.models import Ballot, Phase, Poll, PollArea, PollOption, Topic, Vote
from registry.models import Resident
from registry.selectors import speaks_for

MAX_OPTIONS = 20


@dataclass
class PollDraft:
    question: str
    options: list[str]
    opens_at: datetime
    closes_at: datetime
    multiple: bool = False
    max_choices: int | None = None
    per_household: bool = False
    anonymous: bool = True
    min_age: int | None = None
    areas: list[Area] = field(default_factory=list)


def _check(topic: Topic, draft: PollDraft) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(name: str, text: str) -> None:
        problems.setdefault(name, []).append(text)

    if not draft.question.strip():
        add("question", _("Ask a question."))
    options = [o.strip() for o in draft.options if o.strip()]
    if len(options) < 2:
        add("options", _("Give at least two choices."))
    if len(options) > MAX_OPTIONS:
        add("options", _("At most %(n)d choices.") % {"n": MAX_OPTIONS})
    if len(set(options)) != len(options):
        add("options", _("Two choices have the same words."))
    if any(len(o) > 120 for o in options):
        add("options", _("A choice is at most 120 characters."))
    if draft.closes_at <= draft.opens_at:
        add("closes_at", _("Voting must close after it opens."))
    if draft.max_choices is not None and (draft.max_choices < 1 or not draft.multiple):
        add("max_choices", _("A most-choices limit needs “several choices allowed”, and at least 1."))
    committee = topic.committee
    for area in not_parts_of(committee, draft.areas):
        add("areas", _("%(area)s is not part of %(own)s.") % {"area": area.name, "own": committee.name})
    return problems


@transaction.atomic
def set_poll(scope: Scope, topic: Topic, draft: PollDraft) -> Poll:
    """Create the topic's poll, or change it until the first vote is cast."""
    services.require_own(scope, topic)
    if topic.phase in (Phase.DECISION, Phase.IMPLEMENTATION, Phase.DONE, Phase.CLOSED):
        raise ValidationError(_("The poll comes before the decision; this topic is past that."))
    existing = Poll.objects.filter(topic=topic).first()
    if existing is not None and existing.ballots.exists():
        raise ValidationError(_("Residents have voted; the poll can no longer change."))
    problems = _check(topic, draft)
    if problems:
        raise ValidationError(problems)
    poll = existing or Poll(topic=topic)
    poll.question = draft.question.strip()
    poll.multiple, poll.max_choices = draft.multiple, draft.max_choices if draft.multiple else None
    poll.per_household, poll.anonymous = draft.per_household, draft.anonymous
    poll.min_age = draft.min_age
    poll.opens_at, poll.closes_at = draft.opens_at, draft.closes_at
    poll.save()
    poll.options.all().delete()
    PollOption.objects.bulk_create(
        [
            PollOption(poll=poll, label=label.strip(), order=n)
            for n, label in enumerate(draft.options)
            if label.strip()
        ]
    )
    PollArea.choose(poll, draft.areas)
    return poll


def key_of(poll: Poll, resident: Resident) -> str:
    return f"h:{resident.household_id}" if poll.per_household else f"r:{resident.pk}"


def vote_problem(poll: Poll, resident: Resident, now: datetime | None = None) -> str:
    """Why ``resident`` may not vote in ``poll`` now, in words for them; "" if they may
    (the ballot itself is checked by the database when it is cast)."""
    now = now or timezone.now()
    topic = poll.topic
    if now < poll.opens_at:
        return _("Voting opens on %(when)s.") % {"when": when_text(poll.opens_at)}
    if now >= poll.closes_at:
        return _("Voting closed on %(when)s.") % {"when": when_text(poll.closes_at)}
    if topic.phase in (Phase.DECISION, Phase.IMPLEMENTATION, Phase.DONE, Phase.CLOSED):
        return _("Voting is over: the topic is at “%(phase)s”.") % {"phase": topic.get_phase_display()}
    if not services.reaches(topic, resident):
        names = "、".join(a.area.name for a in topic.areas.all()) or topic.committee.name
        return _("This topic is put to the residents of %(areas)s.") % {"areas": names}
    areas = [a.area for a in poll.areas.all()]
    if not resident.lives_under(topic.committee, areas):
        return _("This poll is for residents of %(areas)s.") % {"areas": "、".join(a.name for a in areas)}
    if poll.min_age is not None:
        age = resident.age(timezone.localtime(now).date())
        if age is None:
            return _(
                "The registry has no birth date for %(name)s, so the age limit cannot be checked; "
                "ask the committee."
            ) % {"name": resident.name}
        if age < poll.min_age:
            return _("This poll is for residents aged %(min)d and over; %(name)s is %(age)d.") % {
                "min": poll.min_age,
                "name": resident.name,
                "age": age,
            }
    return ""


def _already(poll: Poll, resident: Resident) -> str:
    ballot = Ballot.objects.filter(poll=poll, key=key_of(poll, resident)).select_related("resident").first()
    if ballot is None:
        return _("This vote could not be recorded; try again.")
    when = when_text(ballot.cast_at)
    if poll.per_household and ballot.resident_id != resident.pk:
        return _("%(name)s already voted for your household on %(when)s; one vote per household.") % {
            "name": ballot.resident.name,
            "when": when,
        }
    return _("%(name)s has already voted, on %(when)s.") % {"name": resident.name, "when": when}


def vote(
    user: User, resident: Resident, poll: Poll, option_ids: list[int], now: datetime | None = None
) -> Ballot:
    """Cast ``resident``'s ballot: by themself, or by the family member acting for them."""
    if speaks_for(user, resident) is None:
        raise PermissionDenied(_("You may vote only for yourself or someone you act for."))
    problem = vote_problem(poll, resident, now)
    if problem:
        raise ValidationError(problem)
    wanted = list(dict.fromkeys(option_ids))
    options = list(PollOption.objects.filter(poll=poll, pk__in=wanted))
    if not wanted:
        raise ValidationError({"options": [_("Choose an answer.")]})
    if len(options) != len(wanted):
        raise ValidationError({"options": [_("A choice is not one of this poll's.")]})
    if not poll.multiple and len(options) > 1:
        raise ValidationError({"options": [_("Choose one answer only.")]})
    if poll.max_choices and len(options) > poll.max_choices:
        raise ValidationError({"options": [_("Choose at most %(n)d answers.") % {"n": poll.max_choices}]})
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                poll=poll,
                key=key_of(poll, resident),
                resident=resident,
                cast_by=user,
                cast_at=now or timezone.now(),
            )
            PollOption.objects.filter(pk__in=[o.pk for o in options]).update(votes=F("votes") + 1)
            if not poll.anonymous:
                Vote.objects.bulk_create([Vote(ballot=ballot, option=o) for o in options])
    except IntegrityError:
        raise ValidationError(_already(poll, resident)) from None
    return ballot

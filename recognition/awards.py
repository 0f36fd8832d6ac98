"""Awards such as 最美江秋人: a committee's round, nominations, a public vote, the decision.

Residents (themself, or the family member acting for them) and staff nominate residents of the
committee, each with a reason, until the nominations close. The public vote is a deliberation
topic with its poll, made through deliberation's own services: one vote per resident, kept by
deliberation's ballot constraint, anonymous. The committee then chooses the winners; they need
not be the vote's leaders, but the decision is written down and shown beside the vote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from deliberation import polls as deliberation_polls
from deliberation import selectors as deliberation_selectors
from deliberation import services as deliberation
from deliberation.models import Phase, PollOption
from recognition import rules
from recognition.models import Award, Nomination
from registry.models import Resident
from registry.selectors import speaks_for

MAX_PLACES = 100


@dataclass
class AwardDraft:
    title: str
    year: int
    nominations_until: date
    about: str = ""
    places: int = 10


def _check(committee, draft: AwardDraft, award: Award | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    title = " ".join(draft.title.split())
    if not title:
        problems["title"] = [_("Give the award a title.")]
    if not 2000 <= draft.year <= 2100:
        problems["year"] = [_("Give a year between 2000 and 2100.")]
    elif title and (
        Award.objects.filter(committee=committee, title=title, year=draft.year)
        .exclude(pk=award.pk if award else 0)
        .exists()
    ):
        problems["title"] = [_("“%(title)s” %(year)d already exists.") % {"title": title, "year": draft.year}]
    if not 1 <= draft.places <= MAX_PLACES:
        problems["places"] = [_("Between 1 and %(n)d winners.") % {"n": MAX_PLACES}]
    return problems


@transaction.atomic
def create_award(user: User, draft: AwardDraft, *, scope) -> Award:
    """Open an award round in the committee the staff member acts for."""
    committee = scope.committee(_("Awards are run by a committee; act in a committee role."))
    if not rules.runs_award(scope, Award(committee=committee)):
        raise PermissionDenied(_("Your active role may not run awards."))
    problems = _check(committee, draft, None)
    if problems:
        raise ValidationError(problems)
    return Award.objects.create(
        committee=committee,
        title=" ".join(draft.title.split()),
        year=draft.year,
        about=draft.about.strip(),
        places=draft.places,
        nominations_until=draft.nominations_until,
        created_by=user,
    )


def _nominate(award: Award, nominee: Resident, reason: str, by: Resident | None, user: User) -> Nomination:
    problems: dict[str, list[str]] = {}
    if not award.takes_nominations():
        raise ValidationError(_("Nominations for %(award)s are closed.") % {"award": award})
    if not nominee.is_living or nominee.committee_id != award.committee_id:
        problems["nominee"] = [
            _("%(name)s is not a current resident of %(committee)s.")
            % {"name": nominee.name, "committee": award.committee.name}
        ]
    if not reason.strip():
        problems["reason"] = [_("Say why they deserve it.")]
    elif len(reason.strip()) > 1000:
        problems["reason"] = [_("At most 1000 characters.")]
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            return Nomination.objects.create(
                award=award, nominee=nominee, reason=reason.strip(), nominated_by=by, entered_by=user
            )
    except IntegrityError:
        raise ValidationError(
            {"nominee": [_("%(name)s is already nominated.") % {"name": nominee.name}]}
        ) from None


def nominate(user: User, resident: Resident, award: Award, nominee: Resident, reason: str) -> Nomination:
    """A resident of the committee (or the family member acting for them) nominates a neighbour."""
    if speaks_for(user, resident) is None:
        raise PermissionDenied(_("You may nominate only as yourself or someone you act for."))
    if resident.committee_id != award.committee_id or not resident.is_living:
        raise PermissionDenied(
            _("Only residents of %(committee)s nominate.") % {"committee": award.committee.name}
        )
    return _nominate(award, nominee, reason, resident, user)


def nominate_as_staff(user: User, award: Award, nominee: Resident, reason: str, *, scope) -> Nomination:
    if not rules.runs_award(scope, award):
        raise PermissionDenied(_("This award belongs to another committee."))
    return _nominate(award, nominee, reason, None, user)


def _labels(nominations: list[Nomination]) -> list[str]:
    """One distinct choice per nominee: the name, with the building when two share it."""
    counts: dict[str, int] = {}
    for n in nominations:
        counts[n.nominee.name] = counts.get(n.nominee.name, 0) + 1
    labels = []
    for n in nominations:
        label = n.nominee.name
        if counts[label] > 1:
            label = f"{label}（{n.nominee.household.building.name} {n.nominee.pk}）"
        labels.append(label[:120])
    return labels


@transaction.atomic
def open_vote(user: User, award: Award, opens_at: datetime, closes_at: datetime, *, scope) -> Award:
    """Put the nominees to a public vote: a deliberation topic and its poll, one vote per
    resident, anonymous, as many choices as there are places."""
    if not rules.runs_award(scope, award):
        raise PermissionDenied(_("This award belongs to another committee."))
    locked = Award.objects.select_for_update().get(pk=award.pk)
    if locked.has_vote or locked.is_decided:
        raise ValidationError(_("The public vote for this award is already open or over."))
    nominations = list(locked.nominations.select_related("nominee__household__building").order_by("pk"))
    if len(nominations) < 2:
        raise ValidationError(_("A vote needs at least two nominees."))
    topic = deliberation.post_topic(
        user,
        scope,
        deliberation.TopicDraft(
            title=_("Vote: %(award)s %(year)d") % {"award": locked.title, "year": locked.year},
            body=locked.about or _("Choose who deserves %(award)s.") % {"award": locked.title},
        ),
    )
    places = min(locked.places, len(nominations) - 1)
    deliberation_polls.set_poll(
        scope,
        topic,
        deliberation_polls.PollDraft(
            question=_("Who deserves %(award)s?") % {"award": locked.title},
            options=_labels(nominations),
            opens_at=opens_at,
            closes_at=closes_at,
            multiple=places > 1,
            max_choices=places if places > 1 else None,
        ),
    )
    deliberation.move(user, scope, topic, Phase.POLL)
    for nomination, option in zip(
        nominations, PollOption.objects.filter(poll__topic=topic).order_by("order"), strict=True
    ):
        nomination.option = option
        nomination.save(update_fields=["option"])
    locked.topic = topic
    locked.save(update_fields=["topic"])
    return locked


def vote_counts(award: Award) -> dict[int, int]:
    """Nomination id → its votes in the public vote ({} before one is opened)."""
    if not award.has_vote:
        return {}
    return {n.pk: n.option.votes if n.option else 0 for n in award.nominations.select_related("option")}


def vote_results(award: Award):
    """Deliberation's results of the award's poll (ballots, turnout), or None."""
    topic = award.topic
    if topic is None or not hasattr(topic, "poll"):
        return None
    return deliberation_selectors.results(topic.poll)


@transaction.atomic
def decide(user: User, award: Award, winner_ids: list[int], decision: str, *, scope) -> Award:
    """The committee chooses the winners once the vote is over, and says why in words."""
    if not rules.runs_award(scope, award):
        raise PermissionDenied(_("This award belongs to another committee."))
    locked = Award.objects.select_for_update().get(pk=award.pk)
    if locked.is_decided:
        raise ValidationError(_("This award has been decided."))
    if locked.topic is not None and not locked.topic.poll.is_closed():
        raise ValidationError(_("The public vote is still open; decide once it closes."))
    wanted = set(winner_ids)
    winners = list(locked.nominations.filter(pk__in=wanted))
    problems: dict[str, list[str]] = {}
    if not wanted:
        problems["winners"] = [_("Choose at least one winner.")]
    elif len(winners) != len(wanted):
        problems["winners"] = [_("A winner is not among this award's nominees.")]
    elif len(winners) > locked.places:
        problems["winners"] = [_("At most %(n)d winners.") % {"n": locked.places}]
    if not decision.strip():
        problems["decision"] = [
            _("Write down the committee's decision; residents will read it beside the vote.")
        ]
    if problems:
        raise ValidationError(problems)
    locked.nominations.filter(pk__in=wanted).update(won=True)
    locked.decision, locked.decided_at, locked.decided_by = decision.strip(), timezone.now(), user
    locked.save()
    if locked.topic is not None and not locked.topic.is_finished:
        deliberation.move(user, scope, locked.topic, Phase.DONE, decision.strip())
    return locked

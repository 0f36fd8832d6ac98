"""Reading deliberation: the topics a resident is asked about, a topic's discussion as each
reader may see it, poll results and turnout, the moderation queue, meetings and decisions
due, and each committee's public outcome page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, ancestor_paths
from common.scope import Scope, get_or_404
from deliberation.models import (
    Ballot,
    Decision,
    DecisionStatus,
    Meeting,
    Opinion,
    OpinionStatus,
    Phase,
    Poll,
    PollOption,
    Topic,
    TopicArea,
)
from deliberation.services import reaches
from registry.models import Resident, years_ago
from registry.selectors import committees_of, people_of

OPEN_PHASES = (Phase.PROPOSED, Phase.COLLECTING, Phase.POLL)
ACTIVE_PHASES = (Phase.DECISION, Phase.IMPLEMENTATION)
FINISHED_PHASES = (Phase.DONE, Phase.CLOSED)
OUTCOME_SAMPLE = 5


def public_name(resident: Resident | None) -> str:
    """How residents appear to each other: the surname, the rest masked (王**)."""
    if resident is None:
        return ""
    name = resident.name or ""
    return name[:1] + "*" * max(len(name) - 1, 1)


def with_counts(topics: QuerySet[Topic]) -> QuerySet[Topic]:
    return topics.select_related("committee").annotate(
        shown_opinions=Count("opinions", filter=Q(opinions__status=OpinionStatus.VISIBLE), distinct=True),
        supporters=Count("supports", distinct=True),
    )


def _home_paths(user: User, people: list[Resident]) -> list[str]:
    paths: set[str] = set()
    for person in people:
        building = person.household.building.path
        paths.update([*ancestor_paths(building), building])
    if not people and user.is_authenticated and user.home_area is not None:
        paths.update([*ancestor_paths(user.home_area.path), user.home_area.path])
    return sorted(paths)


def topics_for(user: User) -> QuerySet[Topic]:
    """Topics put to the user's people (themself and those they act for): those of their
    committees aimed at everyone, or at an area one of them lives in."""
    people = people_of(user)
    committees = {p.committee_id for p in people} or committees_of(user)
    paths = _home_paths(user, people)
    aimed = TopicArea.objects.filter(area__path__in=paths).values("topic_id")
    return with_counts(
        Topic.objects.filter(committee__in=committees)
        .filter(Q(areas__isnull=True) | Q(pk__in=aimed))
        .distinct()
    ).order_by("-created_at", "-pk")


def readable_topic(user: User, scope: Scope, topic_id: int, missing: str = "") -> Topic:
    """The topic, for staff of its committee in any state and for residents it is put to;
    a 404 saying ``missing`` for anyone else. The page and the API both ask here."""
    topic = get_or_404(
        Topic.objects.select_related("committee", "proposed_by", "poll").prefetch_related("areas__area"),
        missing,
        pk=topic_id,
    )
    if not can_read(user, scope, topic):
        raise Http404(missing)
    return topic


def people_asked(user: User, topic: Topic) -> list[Resident]:
    """The user's people (themself and those they act for) whom ``topic`` is put to."""
    return [p for p in people_of(user) if reaches(topic, p)]


def can_read(user: User, scope: Scope, topic: Topic) -> bool:
    if scope.covers(topic.committee):
        return True
    return topics_for(user).filter(pk=topic.pk).exists()


@dataclass
class Thread:
    opinion: Opinion
    replies: list[Opinion] = field(default_factory=list)


def discussion(topic: Topic, *, staff: bool, own: set[int]) -> list[Thread]:
    """The topic's opinions, each with its replies. Staff see everything with its status;
    residents see what is shown, plus their own held or hidden posts (with the reason)."""
    opinions = Opinion.objects.filter(topic=topic).select_related("resident__household__building", "author")
    if not staff:
        opinions = opinions.filter(Q(status=OpinionStatus.VISIBLE) | Q(resident_id__in=own))
    threads: dict[int, Thread] = {}
    replies: list[Opinion] = []
    for opinion in opinions.order_by("created_at", "pk"):
        if opinion.parent_id is None:
            threads[opinion.pk] = Thread(opinion)
        else:
            replies.append(opinion)
    for reply in replies:
        if reply.parent_id in threads:
            threads[reply.parent_id].replies.append(reply)
    return list(threads.values())


@dataclass
class OptionResult:
    option: PollOption
    votes: int
    share: float  # of ballots, in per cent
    voters: list[str] = field(default_factory=list)  # named polls, for staff


@dataclass
class PollResults:
    poll: Poll
    options: list[OptionResult]
    ballots: int
    eligible: int

    @property
    def turnout(self) -> float:
        return 100 * self.ballots / self.eligible if self.eligible else 0.0


def eligible_count(poll: Poll) -> int:
    """Residents (or households) who may vote: living under the topic's and poll's areas,
    old enough on the day voting opens."""
    topic = poll.topic
    people = Resident.objects.living().filter(household__building__path__startswith=topic.committee.path)
    for areas in ([a.area for a in topic.areas.all()], [a.area for a in poll.areas.all()]):
        if areas:
            q = Q()
            for area in areas:
                q |= Q(household__building__path__startswith=area.path)
            people = people.filter(q)
    if poll.min_age is not None:
        opens = timezone.localtime(poll.opens_at).date()
        people = people.filter(birth_date__lte=years_ago(opens, poll.min_age))
    if poll.per_household:
        return people.values("household_id").distinct().count()
    return people.count()


def results(poll: Poll, *, names: bool = False) -> PollResults:
    """Counts per choice. ``names`` (staff, named polls only) lists who chose each."""
    options = list(poll.options.all())
    ballots = Ballot.objects.filter(poll=poll).count()
    voters: dict[int, list[str]] = defaultdict(list)
    if names and not poll.anonymous:
        for option_id, name in (
            Ballot.objects.filter(poll=poll)
            .values_list("votes__option_id", "resident__name")
            .order_by("resident__name")
        ):
            voters[option_id].append(name)
    rows = [
        OptionResult(o, o.votes, 100 * o.votes / ballots if ballots else 0.0, voters.get(o.pk, []))
        for o in options
    ]
    return PollResults(poll, rows, ballots, eligible_count(poll))


def ballots_of(poll: Poll, people: list[Resident]) -> dict[int, Ballot]:
    """Resident id → the ballot that counts for them (their own, or their household's)."""
    keys = {f"h:{p.household_id}" if poll.per_household else f"r:{p.pk}": p.pk for p in people}
    found = {b.key: b for b in Ballot.objects.filter(poll=poll, key__in=keys).select_related("resident")}
    return {pk: found[key] for key, pk in keys.items() if key in found}


# --- Staff ---------------------------------------------------------------------------------


def topics_in(scope: Scope, phase: str = "") -> QuerySet[Topic]:
    topics = scope.restrict(Topic.objects.all())
    if phase:
        topics = topics.filter(phase=phase)
    return with_counts(topics).annotate(
        held=Count("opinions", filter=Q(opinions__status=OpinionStatus.HELD), distinct=True)
    )


def moderation_queue(scope: Scope) -> QuerySet[Opinion]:
    """Posts held for review, oldest first."""
    return (
        scope.restrict(Opinion.objects.filter(status=OpinionStatus.HELD))
        .select_related("topic", "resident__household__building", "author")
        .order_by("created_at", "pk")
    )


def recently_hidden(scope: Scope, limit: int = 20) -> QuerySet[Opinion]:
    return (
        scope.restrict(Opinion.objects.filter(status=OpinionStatus.HIDDEN))
        .select_related("topic", "resident", "moderated_by")
        .order_by("-moderated_at", "-pk")[:limit]
    )


def meetings_in(scope: Scope) -> QuerySet[Meeting]:
    return (
        scope.restrict(Meeting.objects.all())
        .select_related("committee")
        .annotate(
            invited=Count("participants", distinct=True),
            came=Count("participants", filter=Q(participants__attended=True), distinct=True),
            decided=Count("decisions", distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )


def decisions_in(scope: Scope, status: str = DecisionStatus.OPEN) -> QuerySet[Decision]:
    decisions = scope.restrict(Decision.objects.all()).select_related("topic", "meeting", "committee")
    if status:
        decisions = decisions.filter(status=status)
    return decisions.order_by("due_on", "pk")


def overdue(scope: Scope, today: date | None = None) -> QuerySet[Decision]:
    return decisions_in(scope).filter(due_on__lt=today or timezone.localdate())


# --- The public outcome page -----------------------------------------------------------------


@dataclass
class Outcome:
    topic: Topic
    voices: list[Opinion]  # a few of what residents said
    residents: int  # how many residents gave an opinion
    poll: PollResults | None
    decisions: list[Decision]


def outcomes(committee: Area, now=None) -> list[Outcome]:
    """Every topic the committee has put to residents, newest first: what residents said
    (without names), the poll once it closed, what was decided and what was done.
    A fixed number of queries, however many topics."""
    now = now or timezone.now()
    topics = list(
        with_counts(Topic.objects.filter(committee=committee).exclude(phase=Phase.PROPOSED))
        .annotate(
            speakers=Count(
                "opinions__resident",
                filter=Q(opinions__status=OpinionStatus.VISIBLE, opinions__resident__isnull=False),
                distinct=True,
            ),
            said=Count(
                "opinions",
                filter=Q(opinions__status=OpinionStatus.VISIBLE, opinions__resident__isnull=False),
                distinct=True,
            ),
        )
        .select_related("poll")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("due_on", "pk")),
            Prefetch("poll__options"),
            Prefetch("areas", queryset=TopicArea.objects.select_related("area")),
        )
        .order_by("-opened_at", "-pk")
    )
    voices: dict[int, list[Opinion]] = defaultdict(list)
    for opinion in (
        Opinion.objects.filter(
            topic__in=topics, status=OpinionStatus.VISIBLE, parent__isnull=True, resident__isnull=False
        )
        .select_related("resident__household__building")
        .order_by("-created_at", "-pk")
    ):
        if len(voices[opinion.topic_id]) < OUTCOME_SAMPLE:
            voices[opinion.topic_id].append(opinion)
    polls = [t.poll for t in topics if hasattr(t, "poll") and t.poll.is_closed(now)]
    ballots = dict(
        Ballot.objects.filter(poll__in=polls)
        .values("poll_id")
        .annotate(n=Count("pk"))
        .values_list("poll_id", "n")
    )
    out = []
    for topic in topics:
        poll = getattr(topic, "poll", None)
        shown = None
        if poll is not None and poll.is_closed(now):
            n = ballots.get(poll.pk, 0)
            rows = [OptionResult(o, o.votes, 100 * o.votes / n if n else 0.0) for o in poll.options.all()]
            shown = PollResults(poll, rows, n, 0)
        out.append(Outcome(topic, voices[topic.pk], topic.speakers, shown, list(topic.decisions.all())))
    return out


# --- The phase strip ------------------------------------------------------------------------


@dataclass
class Step:
    """One phase on a topic's strip. ``day`` is what happened (``kind`` "ended", "since" or
    "reached") where the phase has begun, and the committee's plan ("planned") only for what
    is still to come: a phase that ended early shows the day it ended, not the day planned."""

    label: str
    state: str  # "done", "current" or "todo"
    day: date | None = None
    kind: str = ""
    planned: date | None = None  # the current phase's planned end, shown beside its start

    @property
    def is_done(self) -> bool:
        return self.state == "done"

    @property
    def when(self) -> str:
        """The step's day as the strip says it: "ended 09-09", "since 09-09", "planned 10-01"."""
        if self.day is None:
            return ""
        texts = {
            "ended": _("ended %(day)s"),
            "since": _("since %(day)s"),
            "reached": _("on %(day)s"),
            "planned": _("planned %(day)s"),
        }
        return texts.get(self.kind, "%(day)s") % {"day": self.day.strftime("%m-%d")}

    @property
    def planned_end(self) -> str:
        """The current phase's planned end, labelled as a plan."""
        return _("planned until %(day)s") % {"day": self.planned.strftime("%m-%d")} if self.planned else ""

    @property
    def is_current(self) -> bool:
        return self.state == "current"


def phase_steps(topic: Topic, events) -> list[Step]:
    """The phases a topic goes through, each done, current or to come. ``events`` are the
    topic's timeline (``topic.events.all()``), read for the days phases were entered."""
    if topic.is_closed:
        return [Step(str(Phase.CLOSED.label), "current")]
    poll = getattr(topic, "poll", None)
    order = [Phase.COLLECTING, Phase.POLL, Phase.DECISION, Phase.IMPLEMENTATION, Phase.DONE]
    if topic.proposed_by_id:
        order.insert(0, Phase.PROPOSED)
    if poll is None:
        order.remove(Phase.POLL)
    planned = {
        Phase.COLLECTING: topic.collect_until,
        Phase.POLL: timezone.localtime(poll.closes_at).date() if poll is not None else None,
        Phase.DECISION: topic.decide_by,
        Phase.IMPLEMENTATION: topic.implement_by,
    }
    entered: dict[str, date] = {}
    for event in events:
        entered.setdefault(event.phase, timezone.localtime(event.at).date())
    current = order.index(Phase(topic.phase)) if topic.phase in order else len(order)
    steps = []
    for n, phase in enumerate(order):
        if n < current or topic.phase == Phase.DONE:
            # A done phase ended when the next phase that happened began (one may be skipped).
            later = [entered[p] for p in order[n + 1 :] if p in entered]
            if phase == Phase.DONE:
                steps.append(Step(str(phase.label), "done", entered.get(phase), "reached"))
            else:
                steps.append(Step(str(phase.label), "done", later[0] if later else None, "ended"))
        elif n == current:
            started = entered.get(phase)
            kind = "since" if started else ""
            steps.append(Step(str(phase.label), "current", started, kind, planned.get(phase)))
        else:
            day = planned.get(phase)
            steps.append(Step(str(phase.label), "todo", day, "planned" if day else ""))
    return steps

"""API endpoints of the deliberation hall: residents read the topics put to them, propose,
support, give opinions and vote (for themselves or those they act for); staff post topics,
move them through their phases, run the poll, moderate, and keep meetings and decisions.
Same services and scope as the pages; anything outside the role's committee answers 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from areas.api import CODE
from areas.models import Area
from areas.selectors import committee_of
from common.api import ERRORS, MAX_ID, Pages
from common.schemas import Text
from common.scope import Capability, staff_scope
from deliberation import meetings, polls, selectors, services
from deliberation.meetings import MeetingDraft
from deliberation.models import Decision, DecisionStatus, Meeting, Opinion, Poll, Topic
from deliberation.polls import PollDraft
from deliberation.schemas import (
    DecisionIn,
    DecisionOut,
    HideIn,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MinutesIn,
    ModerationOut,
    OpinionIn,
    OpinionOut,
    OutcomeOut,
    ParticipantIn,
    ParticipantOut,
    PhaseIn,
    PollIn,
    ProposalIn,
    ResidentIn,
    ResultsOut,
    TopicDetailOut,
    TopicIn,
    TopicOut,
    TrackIn,
    VoteIn,
    WordsIn,
)
from deliberation.services import TopicDraft
from registry.models import Resident
from registry.selectors import people_of

router = Router(tags=["deliberation"])
TOPIC_ID = Path(..., ge=1, le=MAX_ID, description="A topic's id.")
OPINION_ID = Path(..., ge=1, le=MAX_ID, description="An opinion's id.")
MEETING_ID = Path(..., ge=1, le=MAX_ID, description="A meeting's id.")
DECISION_ID = Path(..., ge=1, le=MAX_ID, description="A decision's id.")


def _topic(request, topic_id: int) -> Topic:
    return selectors.readable_topic(request.user, request.scope, topic_id, _("No such topic."))


def _own_topic(request, topic_id: int) -> Topic:
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    return scope.get(
        Topic.objects.select_related("committee"),
        _("No topic %(id)d in your area.") % {"id": topic_id},
        pk=topic_id,
    )


def _own_meeting(request, meeting_id: int) -> Meeting:
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    missing = _("No meeting %(id)d in your area.") % {"id": meeting_id}
    return scope.get(Meeting.objects.select_related("committee"), missing, pk=meeting_id)


def _person(request, resident_id: int) -> Resident:
    person = next((p for p in people_of(request.user) if p.pk == resident_id), None)
    if person is None:
        raise HttpError(404, _("No resident %(id)d you may act for.") % {"id": resident_id})
    return person


def _areas(codes: list[str], committee: Area) -> list[Area]:
    wanted = {c for c in codes if CODE.match(c)}
    found = list(Area.objects.subtree(committee).filter(code__in=wanted))
    missing = sorted(set(codes) - {a.code for a in found})
    if missing:
        raise HttpError(
            422, _("No area with code %(code)s in your committee.") % {"code": ", ".join(missing)[:200]}
        )
    return found


def _is_staff(request, topic: Topic) -> bool:
    return request.scope.covers(topic.committee) and request.scope.can(Capability.MANAGE_DELIBERATION)


def _opinion_out(opinion: Opinion, staff: bool) -> dict:
    if opinion.resident is None:
        author = ""
    elif staff:
        author = opinion.resident.name
    else:
        author = f"{selectors.public_name(opinion.resident)} · {opinion.resident.household.building.name}"
    return {
        "id": opinion.pk,
        "parent": opinion.parent_id,
        "author": author,
        "from_committee": opinion.resident_id is None,
        "body": opinion.body,
        "status": opinion.status,
        "hidden_reason": opinion.hidden_reason,
        "created_at": opinion.created_at,
    }


def _results_out(results: selectors.PollResults, closed: bool) -> dict:
    return {
        "question": results.poll.question,
        "closed": closed,
        "ballots": results.ballots,
        "eligible": results.eligible,
        "turnout": round(results.turnout, 1),
        "options": [
            {
                "option": row.option.pk,
                "label": row.option.label,
                "votes": row.votes,
                "share": round(row.share, 1),
                "voters": row.voters,
            }
            for row in results.options
        ],
    }


# --- Residents -----------------------------------------------------------------------------


@router.get("", response={200: list[TopicOut], **ERRORS}, summary="Topics put to me and my family")
def my_topics(request):
    return list(selectors.topics_for(request.user).prefetch_related("areas__area").select_related("poll"))


@router.post("/proposals", response={201: TopicOut, **ERRORS}, summary="Propose a topic")
def propose(request, payload: ProposalIn):
    """It opens for opinions once enough neighbours support it, or the committee approves it."""
    person = _person(request, payload.resident)
    return Status(201, services.propose_topic(request.user, person, payload.title, payload.body))


@router.get("/outcomes/{code}", response={200: list[OutcomeOut], **ERRORS}, summary="A committee's outcomes")
def outcomes(
    request, code: Text = Path(..., pattern=CODE.pattern, description="A committee's (or its part's) code.")
):
    """What residents said (without names), what was decided and what was done: the public
    outcome page of a committee, as JSON."""
    area = Area.objects.filter(code=code).first()
    committee = committee_of(area) if area is not None else None
    if committee is None:
        raise HttpError(404, _("No committee with code %(code)s.") % {"code": code})
    out = []
    for row in selectors.outcomes(committee):
        out.append(
            {
                "topic": row.topic,
                "residents": row.residents,
                "voices": [o.body for o in row.voices],
                "results": _results_out(row.poll, True) if row.poll else None,
                "decisions": row.decisions,
            }
        )
    return out


@router.get("/{int:topic_id}", response={200: TopicDetailOut, **ERRORS}, summary="One topic")
def get_topic(request, topic_id: int = TOPIC_ID):
    topic = _topic(request, topic_id)
    poll: Poll | None = getattr(topic, "poll", None)
    people = selectors.people_asked(request.user, topic)
    voters = []
    if poll is not None:
        ballots = selectors.ballots_of(poll, people)
        voters = [
            {
                "resident": p.pk,
                "name": p.name,
                "voted_at": ballots[p.pk].cast_at if p.pk in ballots else None,
                "problem": "" if p.pk in ballots else polls.vote_problem(poll, p),
            }
            for p in people
        ]
    return {"topic": topic, "timeline": list(topic.events.all()), "poll": poll, "voters": voters}


@router.get(
    "/{int:topic_id}/opinions", response={200: list[OpinionOut], **ERRORS}, summary="What neighbours say"
)
def opinions(request, topic_id: int = TOPIC_ID):
    """Opinions, then each one's replies (``parent``). Residents see what is shown and their
    own held or hidden posts; staff see everything."""
    topic = _topic(request, topic_id)
    staff = _is_staff(request, topic)
    own = {p.pk for p in people_of(request.user)}
    out = []
    for thread in selectors.discussion(topic, staff=staff, own=own):
        out.append(_opinion_out(thread.opinion, staff))
        out.extend(_opinion_out(reply, staff) for reply in thread.replies)
    return out


@router.post("/{int:topic_id}/opinions", response={201: OpinionOut, **ERRORS}, summary="Give an opinion")
def give_opinion(request, payload: OpinionIn, topic_id: int = TOPIC_ID):
    """As a resident (``resident``: yourself or someone you act for), or, leaving it out, as
    the committee's staff. A post with a held word waits for a moderator (``status: held``)."""
    topic = _topic(request, topic_id)
    parent = None
    if payload.parent is not None:
        parent = Opinion.objects.filter(pk=payload.parent, topic=topic).first()
        if parent is None:
            raise HttpError(404, _("No such opinion on this topic."))
    if payload.resident is None:
        made = services.give_opinion(request.user, topic, payload.body, parent=parent, scope=request.scope)
        return Status(201, _opinion_out(made, True))
    person = _person(request, payload.resident)
    made = services.give_opinion(
        request.user, topic, payload.body, resident=person, parent=parent, scope=request.scope
    )
    return Status(201, _opinion_out(made, False))


@router.post("/{int:topic_id}/support", response={201: TopicOut, **ERRORS}, summary="Support a proposal")
def support(request, payload: ResidentIn, topic_id: int = TOPIC_ID):
    topic = _topic(request, topic_id)
    services.support(request.user, _person(request, payload.resident), topic)
    return Status(
        201, selectors.with_counts(Topic.objects.filter(pk=topic.pk)).prefetch_related("areas__area").get()
    )


@router.post("/{int:topic_id}/vote", response={201: dict, **ERRORS}, summary="Vote")
def vote(request, payload: VoteIn, topic_id: int = TOPIC_ID):
    """One ballot per resident (or household); a second answers 422 with who voted when."""
    topic = _topic(request, topic_id)
    poll = getattr(topic, "poll", None)
    if poll is None:
        raise HttpError(404, _("This topic has no poll."))
    ballot = polls.vote(request.user, _person(request, payload.resident), poll, payload.options)
    return Status(201, {"voted_at": ballot.cast_at.isoformat()})


@router.get("/{int:topic_id}/results", response={200: ResultsOut, **ERRORS}, summary="Poll results")
def results(request, topic_id: int = TOPIC_ID):
    """Shown once voting closes; staff of the committee see them live (named polls with who
    chose what)."""
    topic = _topic(request, topic_id)
    poll = getattr(topic, "poll", None)
    if poll is None:
        raise HttpError(404, _("This topic has no poll."))
    staff = _is_staff(request, topic)
    if not poll.is_closed() and not staff:
        raise HttpError(403, _("The results are shown when voting closes."))
    return _results_out(selectors.results(poll, names=staff), poll.is_closed())


# --- Staff: topics, polls, moderation ----------------------------------------------------------


class PhaseQuery(Schema):
    phase: Text | None = None


@router.get("/manage", response={200: list[TopicOut], **ERRORS}, summary="The committee's topics")
@paginate(Pages)
def list_topics(request, query: Query[PhaseQuery]):
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    return (
        selectors.topics_in(scope, query.phase or "").select_related("poll").prefetch_related("areas__area")
    )


def _topic_draft(payload: TopicIn, committee: Area) -> TopicDraft:
    data = payload.dict()
    data["areas"] = _areas(payload.areas, committee)
    return TopicDraft(**data)


@router.post("", response={201: TopicOut, **ERRORS}, summary="Put a topic to residents")
def post_topic(request, payload: TopicIn):
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    committee = services.committee_of_scope(scope)
    return Status(201, services.post_topic(request.user, scope, _topic_draft(payload, committee)))


@router.put("/{int:topic_id}", response={200: TopicOut, **ERRORS}, summary="Change a topic")
def update_topic(request, payload: TopicIn, topic_id: int = TOPIC_ID):
    topic = _own_topic(request, topic_id)
    return services.update_topic(request.scope, topic, _topic_draft(payload, topic.committee))


@router.post("/{int:topic_id}/phase", response={200: TopicOut, **ERRORS}, summary="Move a topic on")
def move(request, payload: PhaseIn, topic_id: int = TOPIC_ID):
    """Forward only (the poll may be skipped); ``closed`` with a reason ends it early.
    Residents read ``note`` on the timeline."""
    topic = _own_topic(request, topic_id)
    return services.move(request.user, request.scope, topic, payload.phase, payload.note)


@router.put("/{int:topic_id}/poll", response={200: dict, **ERRORS}, summary="Set up the poll")
def set_poll(request, payload: PollIn, topic_id: int = TOPIC_ID):
    """Create or change the topic's poll, until the first vote."""
    topic = _own_topic(request, topic_id)
    data = payload.dict()
    data["areas"] = _areas(payload.areas, topic.committee)
    poll = polls.set_poll(request.scope, topic, PollDraft(**data))
    return {"id": poll.pk, "options": [{"id": o.pk, "label": o.label} for o in poll.options.all()]}


@router.get("/moderation", response={200: list[ModerationOut], **ERRORS}, summary="Posts held for review")
def moderation(request):
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    return [
        {
            "id": o.pk,
            "topic": o.topic_id,
            "topic_title": o.topic.title,
            "resident": o.resident.name if o.resident else "",
            "body": o.body,
            "held_for": o.held_for,
            "created_at": o.created_at,
        }
        for o in selectors.moderation_queue(scope)[:200]
    ]


def _own_opinion(request, opinion_id: int) -> Opinion:
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    missing = _("No opinion %(id)d in your area.") % {"id": opinion_id}
    return scope.get(Opinion.objects.select_related("topic__committee", "resident"), missing, pk=opinion_id)


@router.post(
    "/opinions/{int:opinion_id}/hide", response={200: OpinionOut, **ERRORS}, summary="Hide an opinion"
)
def hide(request, payload: HideIn, opinion_id: int = OPINION_ID):
    """Logged; the author is told the reason."""
    opinion = _own_opinion(request, opinion_id)
    return _opinion_out(services.hide(request.user, request.scope, opinion, payload.reason), True)


@router.post(
    "/opinions/{int:opinion_id}/release", response={200: OpinionOut, **ERRORS}, summary="Show an opinion"
)
def release(request, opinion_id: int = OPINION_ID):
    opinion = _own_opinion(request, opinion_id)
    return _opinion_out(services.release(request.user, request.scope, opinion), True)


@router.get("/held-words", response={200: list[str], **ERRORS}, summary="Words that hold a post")
def get_words(request):
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    return services.held_words(services.committee_of_scope(scope))


@router.put("/held-words", response={200: list[str], **ERRORS}, summary="Set the held words")
def put_words(request, payload: WordsIn):
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    return services.set_held_words(scope, "\n".join(payload.words))


# --- Staff: meetings and decisions --------------------------------------------------------------


@router.get("/meetings", response={200: list[MeetingOut], **ERRORS}, summary="Meetings")
@paginate(Pages)
def list_meetings(request):
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    return selectors.meetings_in(scope).prefetch_related("topics")


def _meeting_draft(request, payload: MeetingIn, committee: Area) -> MeetingDraft:
    topics = list(Topic.objects.filter(committee=committee, pk__in=payload.topics))
    missing = sorted(set(payload.topics) - {t.pk for t in topics})
    if missing:
        raise HttpError(
            422, _("No topic %(id)s in your committee.") % {"id": ", ".join(map(str, missing))[:200]}
        )
    data = payload.dict()
    data["topics"] = topics
    return MeetingDraft(**data)


def _meeting_out(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "participants": list(meeting.participants.all()),
        "decisions": list(meeting.decisions.all()),
    }


@router.post("/meetings", response={201: MeetingDetailOut, **ERRORS}, summary="Call a meeting")
def create_meeting(request, payload: MeetingIn):
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    committee = services.committee_of_scope(scope)
    made = meetings.create_meeting(request.user, scope, _meeting_draft(request, payload, committee))
    return Status(201, _meeting_out(made))


@router.get("/meetings/{int:meeting_id}", response={200: MeetingDetailOut, **ERRORS}, summary="One meeting")
def get_meeting(request, meeting_id: int = MEETING_ID):
    return _meeting_out(_own_meeting(request, meeting_id))


@router.put(
    "/meetings/{int:meeting_id}", response={200: MeetingDetailOut, **ERRORS}, summary="Change a meeting"
)
def update_meeting(request, payload: MeetingIn, meeting_id: int = MEETING_ID):
    meeting = _own_meeting(request, meeting_id)
    meetings.update_meeting(request.scope, meeting, _meeting_draft(request, payload, meeting.committee))
    return _meeting_out(meeting)


@router.post(
    "/meetings/{int:meeting_id}/participants",
    response={201: ParticipantOut, **ERRORS},
    summary="Invite someone",
)
def add_participant(request, payload: ParticipantIn, meeting_id: int = MEETING_ID):
    """Outside representatives (property management, owners' committee, partner units) need
    no account: a name and the body they represent."""
    meeting = _own_meeting(request, meeting_id)
    return Status(
        201,
        meetings.add_participant(request.scope, meeting, payload.side, payload.name, payload.organisation),
    )


@router.post(
    "/meetings/{int:meeting_id}/minutes", response={200: MeetingDetailOut, **ERRORS}, summary="Minutes"
)
def minutes(request, payload: MinutesIn, meeting_id: int = MEETING_ID):
    meeting = _own_meeting(request, meeting_id)
    meetings.record_minutes(request.scope, meeting, payload.minutes, set(payload.attended))
    return _meeting_out(meeting)


@router.post("/meetings/{int:meeting_id}/decisions", response={201: DecisionOut, **ERRORS}, summary="Decide")
def decide(request, payload: DecisionIn, meeting_id: int = MEETING_ID):
    meeting = _own_meeting(request, meeting_id)
    topic = None
    if payload.topic is not None:
        topic = Topic.objects.filter(pk=payload.topic, committee=meeting.committee).first()
        if topic is None:
            raise HttpError(422, _("No topic %(id)s in your committee.") % {"id": payload.topic})
    return Status(
        201, meetings.decide(request.scope, meeting, payload.text, payload.owner, payload.due_on, topic)
    )


class StatusQuery(Schema):
    status: DecisionStatus | None = None
    overdue: bool = False


@router.get("/decisions", response={200: list[DecisionOut], **ERRORS}, summary="Decisions")
@paginate(Pages)
def list_decisions(request, query: Query[StatusQuery]):
    """All, or by status; ``overdue`` for open ones past their due date."""
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    if query.overdue:
        return selectors.overdue(scope, timezone.localdate())
    return selectors.decisions_in(scope, query.status or "")


@router.post(
    "/decisions/{int:decision_id}", response={200: DecisionOut, **ERRORS}, summary="Track a decision"
)
def track(request, payload: TrackIn, decision_id: int = DECISION_ID):
    scope = staff_scope(request, Capability.MANAGE_DELIBERATION)
    missing = _("No decision %(id)d in your area.") % {"id": decision_id}
    decision = scope.get(Decision.objects.select_related("committee"), missing, pk=decision_id)
    try:
        return meetings.track(scope, decision, payload.status, payload.progress, payload.due_on)
    except PermissionDenied:
        raise Http404(missing) from None

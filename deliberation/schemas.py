"""What the deliberation endpoints of the API take and return."""

from datetime import date, datetime

from ninja import Field, Schema

from areas.schemas import AreaRef
from common.api import MAX_ID, Id
from common.schemas import Day, Text, When
from deliberation.models import DecisionStatus, MeetingKind, OpinionStatus, Phase, Side, Topic


class TopicOut(Schema):
    id: int
    title: str
    body: str
    committee: AreaRef
    areas: list[AreaRef] = Field(
        description="Put to the residents of these areas; empty: the whole committee."
    )
    phase: Phase
    phase_label: str
    supporters: int | None = Field(None, description="A proposal's supporters so far.")
    supporters_needed: int
    opinions: int | None = Field(None, description="Opinions shown.")
    collect_until: date | None
    decide_by: date | None
    implement_by: date | None
    decision: str
    outcome: str
    has_poll: bool
    url: str

    @staticmethod
    def resolve_areas(obj: Topic):
        return [a.area for a in obj.areas.all()]

    @staticmethod
    def resolve_phase_label(obj: Topic) -> str:
        return str(obj.get_phase_display())

    @staticmethod
    def resolve_supporters(obj: Topic):
        return getattr(obj, "supporters", None)

    @staticmethod
    def resolve_opinions(obj: Topic):
        return getattr(obj, "shown_opinions", None)

    @staticmethod
    def resolve_has_poll(obj: Topic) -> bool:
        return hasattr(obj, "poll")

    @staticmethod
    def resolve_url(obj: Topic) -> str:
        return obj.get_absolute_url()


class EventOut(Schema):
    phase: Phase
    note: str
    at: datetime


class OptionOut(Schema):
    id: int
    label: str


class PollOut(Schema):
    question: str
    options: list[OptionOut]
    multiple: bool
    max_choices: int | None
    per_household: bool
    anonymous: bool
    min_age: int | None
    areas: list[AreaRef]
    opens_at: datetime
    closes_at: datetime

    @staticmethod
    def resolve_options(obj):
        return list(obj.options.all())

    @staticmethod
    def resolve_areas(obj):
        return [a.area for a in obj.areas.all()]


class VoterOut(Schema):
    resident: int
    name: str
    voted_at: datetime | None = Field(description="When this resident's (or household's) ballot was cast.")
    problem: str = Field(description="Why they may not vote now; empty if they may (or have).")


class TopicDetailOut(Schema):
    topic: TopicOut
    timeline: list[EventOut]
    poll: PollOut | None
    voters: list[VoterOut] = Field(description="You and those you act for, and whether each has voted.")


class OptionResultOut(Schema):
    option: int
    label: str
    votes: int
    share: float = Field(description="Per cent of ballots.")
    voters: list[str] = Field(description="Named polls, for staff: who chose it.")


class ResultsOut(Schema):
    question: str
    closed: bool
    ballots: int
    eligible: int
    turnout: float = Field(description="Per cent of those who may vote.")
    options: list[OptionResultOut]


class OpinionOut(Schema):
    id: int
    parent: int | None
    author: str = Field(
        description="王** · 62号楼 to residents; the full name to staff; empty for the committee."
    )
    from_committee: bool
    body: str
    status: OpinionStatus
    hidden_reason: str
    created_at: datetime


class OpinionIn(Schema):
    body: Text = Field(min_length=1, max_length=2000)
    resident: int | None = Field(
        None, ge=1, le=MAX_ID, description="Whom you speak for; leave out to reply as the committee (staff)."
    )
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="The opinion replied to.")


class ProposalIn(Schema):
    resident: int = Field(ge=1, le=MAX_ID)
    title: Text = Field(min_length=1, max_length=120)
    body: Text = Field(min_length=1, max_length=2000)


class ResidentIn(Schema):
    resident: int = Field(ge=1, le=MAX_ID)


class VoteIn(Schema):
    resident: int = Field(ge=1, le=MAX_ID)
    options: list[Id] = Field(min_length=1, max_length=20, description="Ids of the chosen options.")


class TopicIn(Schema):
    title: Text = Field(min_length=1, max_length=120)
    body: Text = Field(min_length=1)
    areas: list[Text] = Field([], max_length=200, description="Area codes; empty: the whole committee.")
    collect_until: Day | None = None
    decide_by: Day | None = None
    implement_by: Day | None = None


class PhaseIn(Schema):
    phase: Phase
    note: Text = Field("", max_length=2000, description="What happened; residents read it on the timeline.")


class PollIn(Schema):
    question: Text = Field(min_length=1, max_length=200)
    options: list[Text] = Field(min_length=2, max_length=20)
    opens_at: When
    closes_at: When
    multiple: bool = False
    max_choices: int | None = Field(None, ge=1, le=20)
    per_household: bool = False
    anonymous: bool = True
    min_age: int | None = Field(None, ge=0, le=120)
    areas: list[Text] = Field([], max_length=200)


class HideIn(Schema):
    reason: Text = Field(min_length=1, max_length=200)


class WordsIn(Schema):
    words: list[Text] = Field(max_length=500)


class ModerationOut(Schema):
    id: int
    topic: int
    topic_title: str
    resident: str
    body: str
    held_for: str
    created_at: datetime


class ParticipantOut(Schema):
    id: int
    side: Side
    name: str
    organisation: str
    attended: bool | None


class ParticipantIn(Schema):
    side: Side
    name: Text = Field(min_length=1, max_length=60)
    organisation: Text = Field("", max_length=120)


class DecisionOut(Schema):
    id: int
    text: str
    owner: str
    due_on: date
    status: DecisionStatus
    overdue: bool
    progress: str
    done_at: datetime | None
    meeting: int | None
    topic: int | None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_meeting(obj):
        return obj.meeting_id

    @staticmethod
    def resolve_topic(obj):
        return obj.topic_id


class MeetingOut(Schema):
    id: int
    kind: MeetingKind
    title: str
    starts_at: datetime
    place: str
    agenda: str
    topics: list[int]
    minutes: str
    held: bool

    @staticmethod
    def resolve_topics(obj):
        return [t.pk for t in obj.topics.all()]

    @staticmethod
    def resolve_held(obj) -> bool:
        return obj.held_at is not None


class MeetingDetailOut(Schema):
    meeting: MeetingOut
    participants: list[ParticipantOut]
    decisions: list[DecisionOut]


class MeetingIn(Schema):
    kind: MeetingKind = MeetingKind.COUNCIL
    title: Text = Field(min_length=1, max_length=120)
    starts_at: When
    place: Text = Field(min_length=1, max_length=120)
    agenda: Text = ""
    topics: list[Id] = Field([], max_length=50)


class MinutesIn(Schema):
    minutes: Text = Field(min_length=1)
    attended: list[Id] = Field([], max_length=500, description="Ids of the participants who came.")


class DecisionIn(Schema):
    text: Text = Field(min_length=1)
    owner: Text = Field(min_length=1, max_length=120)
    due_on: Day
    topic: int | None = Field(None, ge=1, le=MAX_ID)


class TrackIn(Schema):
    status: DecisionStatus
    progress: Text = Field("", max_length=500)
    due_on: Day | None = None


class OutcomeOut(Schema):
    topic: TopicOut
    residents: int = Field(description="Residents who gave an opinion.")
    voices: list[str] = Field(description="A few of the opinions, without names.")
    results: ResultsOut | None = Field(description="The poll, once it closed.")
    decisions: list[DecisionOut]

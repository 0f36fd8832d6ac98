"""Awards (最美江秋人): the API. Staff start a round, nominate, open the public vote (a
deliberation poll) and decide; a resident nominates a neighbour; anyone reads the award's
public page with the vote and the winners. Voting itself is deliberation's endpoint."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from common.api import ERRORS, Id, id_path
from common.schemas import Day, Text, When
from common.scope import Capability, get_or_404, staff_scope
from recognition import awards as service
from recognition.models import Award, Nomination
from registry.models import Resident
from registry.selectors import people_of

router = Router(tags=["recognition"])
AWARD_ID = id_path("An award's id.")


class RecognitionNominationOut(Schema):
    id: int
    nominee: str
    reason: str
    votes: int | None = Field(None, description="Votes in the public vote, once it is open.")
    won: bool


class RecognitionAwardOut(Schema):
    id: int
    committee: str
    title: str
    year: int
    about: str
    places: int
    nominations_until: date
    stage: str
    topic: int | None = Field(
        None, alias="topic_id", description="The deliberation topic whose poll is the vote."
    )
    decision: str
    decided_at: datetime | None
    nominations: list[RecognitionNominationOut]
    public_url: str

    @staticmethod
    def resolve_committee(obj: Award) -> str:
        return obj.committee.name

    @staticmethod
    def resolve_nominations(obj: Award) -> list[dict]:
        counts = service.vote_counts(obj)
        return [
            {
                "id": n.pk,
                "nominee": n.nominee.name,
                "reason": n.reason,
                "votes": counts.get(n.pk),
                "won": n.won,
            }
            for n in obj.nominations.select_related("nominee").order_by("pk")
        ]

    @staticmethod
    def resolve_public_url(obj: Award) -> str:
        return obj.public_url()


class RecognitionPublicNomineeOut(Schema):
    nominee: str
    votes: int | None
    won: bool


class RecognitionPublicAwardOut(Schema):
    committee: str
    title: str
    year: int
    stage: str
    decision: str
    nominees: list[RecognitionPublicNomineeOut]
    winners: list[str]


class RecognitionAwardIn(Schema):
    title: Text = Field(..., min_length=1, max_length=80)
    year: int = Field(..., ge=2000, le=2100)
    about: Text = Field("", max_length=2000)
    places: int = Field(10, ge=1, le=service.MAX_PLACES)
    nominations_until: Day


class RecognitionNominationIn(Schema):
    nominee: Id
    reason: Text = Field(..., min_length=1, max_length=1000)


class RecognitionMyNominationIn(RecognitionNominationIn):
    resident: Id | None = Field(None, description="Whom you nominate as (yourself by default).")


class RecognitionVoteIn(Schema):
    opens_at: When
    closes_at: When


class RecognitionDecisionIn(Schema):
    winners: list[Id] = Field(..., min_length=1, max_length=service.MAX_PLACES, description="Nomination ids.")
    decision: Text = Field(..., min_length=1, max_length=2000)


def _scope(request):
    return staff_scope(request, Capability.RUN_AWARDS)


def _award(request, award_id: int) -> Award:
    return _scope(request).get(Award.objects.select_related("committee"), _("No such award."), pk=award_id)


def _nominee(award: Award, resident_id: int) -> Resident:
    return get_or_404(
        Resident.objects.living().filter(committee=award.committee_id),
        _("No such resident in this committee."),
        pk=resident_id,
    )


@router.get("/awards", response={200: list[RecognitionAwardOut], **ERRORS}, summary="Awards of my area")
def list_awards(request):
    return list(_scope(request).restrict(Award.objects.select_related("committee")))


@router.post("/awards", response={201: RecognitionAwardOut, **ERRORS}, summary="Start an award round")
def create_award(request, payload: RecognitionAwardIn):
    draft = service.AwardDraft(
        title=payload.title,
        year=payload.year,
        about=payload.about,
        places=payload.places,
        nominations_until=payload.nominations_until,
    )
    return Status(201, service.create_award(request.user, draft, scope=_scope(request)))


@router.get("/awards/{int:award_id}", response={200: RecognitionAwardOut, **ERRORS}, summary="One award")
def get_award(request, award_id: int = AWARD_ID):
    return _award(request, award_id)


@router.post(
    "/awards/{int:award_id}/nominations",
    response={201: RecognitionAwardOut, **ERRORS},
    summary="Nominate (staff)",
)
def nominate_as_staff(request, payload: RecognitionNominationIn, award_id: int = AWARD_ID):
    found = _award(request, award_id)
    service.nominate_as_staff(
        request.user, found, _nominee(found, payload.nominee), payload.reason, scope=request.scope
    )
    return Status(201, _award(request, award_id))


@router.post(
    "/awards/{int:award_id}/vote",
    response={200: RecognitionAwardOut, **ERRORS},
    summary="Open the public vote",
)
def open_vote(request, payload: RecognitionVoteIn, award_id: int = AWARD_ID):
    found = _award(request, award_id)
    return service.open_vote(request.user, found, payload.opens_at, payload.closes_at, scope=request.scope)


@router.post(
    "/awards/{int:award_id}/decision",
    response={200: RecognitionAwardOut, **ERRORS},
    summary="Choose the winners",
)
def decide(request, payload: RecognitionDecisionIn, award_id: int = AWARD_ID):
    found = _award(request, award_id)
    return service.decide(request.user, found, list(payload.winners), payload.decision, scope=request.scope)


@router.post(
    "/mine/awards/{int:award_id}/nominations",
    response={201: RecognitionPublicAwardOut, **ERRORS},
    summary="Nominate a neighbour",
)
def nominate(request, payload: RecognitionMyNominationIn, award_id: int = AWARD_ID):
    people = people_of(request.user)
    wanted = payload.resident or (people[0].pk if people else 0)
    person = next((p for p in people if p.pk == wanted), None)
    if person is None:
        return Status(404, {"detail": _("No such resident among the people you act for.")})
    found = get_or_404(Award.objects.filter(committee=person.committee_id), _("No such award."), pk=award_id)
    service.nominate(request.user, person, found, _nominee(found, payload.nominee), payload.reason)
    return Status(201, _public(found))


def _public(award: Award) -> dict:
    counts = service.vote_counts(award)
    nominations: list[Nomination] = list(award.nominations.select_related("nominee").order_by("pk"))
    return {
        "committee": award.committee.name,
        "title": award.title,
        "year": award.year,
        "stage": award.stage,
        "decision": award.decision,
        "nominees": [
            {"nominee": n.nominee.name, "votes": counts.get(n.pk) if award.is_decided else None, "won": n.won}
            for n in nominations
        ],
        "winners": [n.nominee.name for n in nominations if n.won],
    }


@router.get(
    "/public/awards/{int:award_id}",
    auth=None,
    response={200: RecognitionPublicAwardOut, **ERRORS},
    summary="An award's page (public)",
)
def public_award(request, award_id: int = AWARD_ID):
    return _public(get_or_404(Award.objects.select_related("committee"), _("No such award."), pk=award_id))

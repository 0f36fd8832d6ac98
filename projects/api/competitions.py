"""Competition rounds: the API. Staff with ``Capability.RUN_COMPETITIONS`` over the round's
area run it; ``GET /public/rounds/{id}`` (the 公示 and the results) answers any logged-in user,
like the public page, and any logged-in user files an objection while the notice runs. The
ranking is blind to a judge of the round, as on the pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from accounts.models import User
from areas.schemas import AreaRef
from common.api import ERRORS, Id, id_path
from common.schemas import Day, Text
from common.scope import Capability, get_or_404, staff_scope
from projects import competitions, ranking, rules, selectors
from projects.models import Eligibility, Entry, Objection, Round, RoundPhase

router = Router(tags=["projects"])
ROUND_ID = id_path("A competition round's id.")
ENTRY_ID = id_path("A round entry's id.")
OBJECTION_ID = id_path("An objection's id.")


class CompetitionCriterionOut(Schema):
    id: int
    name: str
    weight: int
    max_points: int


class CompetitionCriterionIn(Schema):
    name: Text = Field(..., min_length=1, max_length=80)
    weight: int = Field(..., ge=1, le=100)
    max_points: int = Field(10, ge=1, le=100)


class CompetitionRubricIn(Schema):
    criteria: list[CompetitionCriterionIn] = Field(..., min_length=1, max_length=competitions.MAX_CRITERIA)


class CompetitionRoundOut(Schema):
    id: int
    area: AreaRef
    title: str
    year: int
    about: str
    call_opens: date
    call_closes: date
    pick: int
    phase: RoundPhase
    notice_from: date | None
    notice_until: date | None
    results_at: datetime | None
    criteria: list[CompetitionCriterionOut]
    rule: str

    @staticmethod
    def resolve_criteria(obj: Round):
        return list(obj.criteria.all())

    @staticmethod
    def resolve_rule(obj: Round) -> str:
        return str(ranking.RULE)


class CompetitionRoundIn(Schema):
    title: Text = Field(..., min_length=1, max_length=100)
    year: int = Field(..., ge=2000, le=2100)
    call_opens: Day
    call_closes: Day
    pick: int = Field(10, ge=1, le=competitions.MAX_PICK)
    about: Text = Field("", max_length=4000)


class CompetitionEntryOut(Schema):
    id: int
    project: int = Field(alias="project_id")
    title: str
    area: AreaRef
    entered_at: datetime
    eligibility: Eligibility
    eligibility_reason: str

    @staticmethod
    def resolve_title(obj: Entry) -> str:
        return obj.project.title


class CompetitionRankOut(Schema):
    entry: int
    title: str
    scores: int = Field(description="How many judges' scores count.")
    trimmed: bool = Field(description="Whether the highest and lowest were dropped (5 or more scores).")
    result: Decimal | None
    median: Decimal | None
    rank: int | None
    chosen: bool
    tie: str = Field(description="How a tie with the entry above was broken, if any.")


class CompetitionJudgeIn(Schema):
    user: Id


class CompetitionJudgeOut(Schema):
    id: int
    user: int = Field(alias="user_id")
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.name


class CompetitionStepIn(Schema):
    step: Literal["judging", "notice", "results"]
    days: int = Field(7, ge=competitions.MIN_NOTICE_DAYS, le=competitions.MAX_NOTICE_DAYS)


class CompetitionCheckIn(Schema):
    eligible: bool
    reason: Text = Field("", max_length=competitions.MAX_REASON)


class CompetitionObjectionIn(Schema):
    entry: Id
    reason: Text = Field(..., min_length=1, max_length=competitions.MAX_OBJECTION)


class CompetitionAnswerIn(Schema):
    answer: Text = Field(..., min_length=1, max_length=competitions.MAX_OBJECTION)


class CompetitionObjectionOut(Schema):
    id: int
    entry: int = Field(alias="entry_id")
    reason: str
    filed_at: datetime
    answer: str
    answered_at: datetime | None


class CompetitionPublicEntryOut(Schema):
    rank: int | None
    title: str
    project: int = Field(alias="project_id")
    area: AreaRef
    proposed_by: str
    result: Decimal | None
    chosen: bool

    @staticmethod
    def resolve_title(obj: Entry) -> str:
        return obj.project.title

    @staticmethod
    def resolve_proposed_by(obj: Entry) -> str:
        return obj.project.proposer_public


class CompetitionNoticeOut(Schema):
    round: CompetitionRoundOut
    entries: list[CompetitionPublicEntryOut]
    objections: list[CompetitionObjectionOut] = Field(description="The answered objections.")


def _scope(request):
    return staff_scope(request, Capability.RUN_COMPETITIONS)


def _round(request, round_id: int) -> Round:
    scope = _scope(request)
    return scope.get(Round.objects.select_related("area"), _("No such round in your area."), pk=round_id)


def _draft(payload: CompetitionRoundIn) -> competitions.RoundDraft:
    return competitions.RoundDraft(
        title=payload.title,
        year=payload.year,
        call_opens=payload.call_opens,
        call_closes=payload.call_closes,
        pick=payload.pick,
        about=payload.about,
    )


@router.get("/rounds", response={200: list[CompetitionRoundOut], **ERRORS}, summary="The rounds of my area")
def list_rounds(request):
    return list(selectors.staff_rounds(_scope(request)).prefetch_related("criteria")[:100])


@router.post("/rounds", response={201: CompetitionRoundOut, **ERRORS}, summary="Open a round")
def create_round(request, payload: CompetitionRoundIn):
    return Status(201, competitions.open_round(_draft(payload), scope=_scope(request)))


@router.get("/rounds/{int:round_id}", response={200: CompetitionRoundOut, **ERRORS}, summary="One round")
def get_round(request, round_id: int = ROUND_ID):
    return _round(request, round_id)


@router.put("/rounds/{int:round_id}", response={200: CompetitionRoundOut, **ERRORS}, summary="Change a round")
def change_round(request, payload: CompetitionRoundIn, round_id: int = ROUND_ID):
    return competitions.change_round(_round(request, round_id), _draft(payload), scope=request.scope)


@router.put(
    "/rounds/{int:round_id}/rubric", response={200: CompetitionRoundOut, **ERRORS}, summary="Set the rubric"
)
def set_rubric(request, payload: CompetitionRubricIn, round_id: int = ROUND_ID):
    found = _round(request, round_id)
    drafts = [competitions.CriterionDraft(c.name, c.weight, c.max_points) for c in payload.criteria]
    competitions.set_rubric(found, drafts, scope=request.scope)
    return _round(request, round_id)


@router.get(
    "/rounds/{int:round_id}/judges", response={200: list[CompetitionJudgeOut], **ERRORS}, summary="Judges"
)
def judges(request, round_id: int = ROUND_ID):
    return list(_round(request, round_id).judges.select_related("user"))


@router.post(
    "/rounds/{int:round_id}/judges", response={201: CompetitionJudgeOut, **ERRORS}, summary="Add a judge"
)
def add_judge(request, payload: CompetitionJudgeIn, round_id: int = ROUND_ID):
    found = _round(request, round_id)
    user = User.objects.filter(pk=payload.user).first()
    if user is None:
        raise HttpError(422, _("No user with id %(id)d.") % {"id": payload.user})
    return Status(201, competitions.add_judge(found, user, scope=request.scope))


@router.get(
    "/rounds/{int:round_id}/entries", response={200: list[CompetitionEntryOut], **ERRORS}, summary="Entries"
)
def entries(request, round_id: int = ROUND_ID):
    return list(_round(request, round_id).entries.select_related("project", "area"))


@router.get(
    "/rounds/{int:round_id}/ranking",
    response={200: list[CompetitionRankOut], **ERRORS},
    summary="The ranking as it stands (hidden from the round's judges)",
)
def ranking_now(request, round_id: int = ROUND_ID):
    found = _round(request, round_id)
    if rules.judges_round(request.user, found):
        raise HttpError(
            403, _("You judge this round: the scores are hidden from you until you score each entry.")
        )
    return [
        {
            "entry": row.entry.pk,
            "title": row.entry.project.title,
            "scores": len(row.totals),
            "trimmed": row.trimmed,
            "result": row.result,
            "median": row.median,
            "rank": row.rank,
            "chosen": row.chosen,
            "tie": row.tie,
        }
        for row in ranking.rank(found)
    ]


@router.post(
    "/rounds/{int:round_id}/advance", response={200: CompetitionRoundOut, **ERRORS}, summary="Next phase"
)
def advance(request, payload: CompetitionStepIn, round_id: int = ROUND_ID):
    found = _round(request, round_id)
    if payload.step == "judging":
        return competitions.open_judging(found, scope=request.scope)
    if payload.step == "notice":
        return competitions.publish_notice(found, payload.days, scope=request.scope)
    return competitions.publish_results(found, scope=request.scope)


@router.post(
    "/entries/{int:round_entry_id}/check",
    response={200: CompetitionEntryOut, **ERRORS},
    summary="Check eligibility",
)
def check(request, payload: CompetitionCheckIn, round_entry_id: int = ENTRY_ID):
    scope = _scope(request)
    entry = scope.get(
        Entry.objects.select_related("round__area", "project", "area"), _("No such entry."), pk=round_entry_id
    )
    return competitions.check_entry(entry, payload.eligible, payload.reason, scope=scope)


@router.get(
    "/rounds/{int:round_id}/objections",
    response={200: list[CompetitionObjectionOut], **ERRORS},
    summary="Objections",
)
def objections(request, round_id: int = ROUND_ID):
    return list(Objection.objects.filter(entry__round=_round(request, round_id)))


@router.post(
    "/objections/{int:objection_id}/answer",
    response={200: CompetitionObjectionOut, **ERRORS},
    summary="Answer",
)
def answer(request, payload: CompetitionAnswerIn, objection_id: int = OBJECTION_ID):
    scope = _scope(request)
    found = scope.get(
        Objection.objects.select_related("entry__round__area"), _("No such objection."), pk=objection_id
    )
    return competitions.answer(request.user, found, payload.answer, scope=scope)


def _public_round(round_id: int) -> Round:
    return get_or_404(selectors.public_rounds(), _("No such round."), pk=round_id)


@router.get(
    "/public/rounds/{int:round_id}",
    response={200: CompetitionNoticeOut, **ERRORS},
    summary="A round's 公示 or results",
)
def notice(request, round_id: int = ROUND_ID):
    found = _public_round(round_id)
    return {
        "round": found,
        "entries": ranking.frozen(found),
        "objections": list(Objection.objects.filter(entry__round=found, answered_at__isnull=False)),
    }


@router.post(
    "/public/rounds/{int:round_id}/objections",
    response={201: CompetitionObjectionOut, **ERRORS},
    summary="Object to an entry while the notice runs",
)
def object_to(request, payload: CompetitionObjectionIn, round_id: int = ROUND_ID):
    found = _public_round(round_id)
    entry = get_or_404(found.entries.all(), _("No such entry in this round."), pk=payload.entry)
    return Status(201, competitions.object_to(request.user, entry, payload.reason))

"""Judging: the API of a round's judges. Blind: an entry's other scores are given only to a
judge who has scored it or declared a conflict (``projects.rules.may_see_scores``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from common.api import ERRORS, Id, id_path
from common.schemas import Text
from common.scope import get_or_404
from projects import judging, rules, selectors
from projects.models import Entry, Score

router = Router(tags=["projects"])
ENTRY_ID = id_path("A round entry's id.")


class JudgingMarkIn(Schema):
    criterion: Id
    points: Decimal = Field(..., ge=-1000, le=1000, description="0 to the criterion's maximum, to 0.1.")


class JudgingScoreIn(Schema):
    marks: list[JudgingMarkIn] = Field(..., min_length=1, max_length=20)
    comment: Text = Field("", max_length=judging.MAX_COMMENT)


class JudgingScoreOut(Schema):
    id: int
    total: Decimal
    comment: str
    submitted_at: datetime
    amends: int | None = Field(None, alias="amends_id")


class JudgingEntryOut(Schema):
    id: int
    round: int = Field(alias="round_id")
    title: str
    summary: str
    mine: JudgingScoreOut | None
    conflict: bool
    others: list[Decimal] | None = Field(
        description="Other judges' current totals: null until you have scored (or declared a conflict)."
    )


class JudgingConflictIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=200)


class JudgingConflictOut(Schema):
    id: int
    entry: int = Field(alias="entry_id")
    reason: str


def _entry(request, round_entry_id: int) -> Entry:
    return get_or_404(selectors.judged_entries(request.user), _("No such entry to judge."), pk=round_entry_id)


def _out(request, entry: Entry) -> dict:
    judge = rules.judge_of(request.user, entry.round)
    assert judge is not None
    others = None
    if rules.may_see_scores(request.user, request.scope, entry):
        others = list(
            Score.objects.filter(entry=entry, superseded_at__isnull=True)
            .exclude(judge=judge)
            .order_by("total")
            .values_list("total", flat=True)
        )
    return {
        "id": entry.pk,
        "round_id": entry.round_id,
        "title": entry.project.title,
        "summary": entry.project.summary,
        "mine": judging.own_score(judge, entry),
        "conflict": rules.has_conflict(judge, entry),
        "others": others,
    }


def _marks(payload: JudgingScoreIn) -> dict[int, Decimal | None]:
    return {mark.criterion: mark.points for mark in payload.marks}


@router.get(
    "/judging/entries", response={200: list[JudgingEntryOut], **ERRORS}, summary="The entries I judge"
)
def my_entries(request):
    return [
        _out(request, e) for e in selectors.judged_entries(request.user).order_by("entered_at", "pk")[:200]
    ]


@router.get(
    "/judging/entries/{int:round_entry_id}", response={200: JudgingEntryOut, **ERRORS}, summary="One entry"
)
def entry(request, round_entry_id: int = ENTRY_ID):
    return _out(request, _entry(request, round_entry_id))


@router.post(
    "/judging/entries/{int:round_entry_id}/score",
    response={201: JudgingScoreOut, **ERRORS},
    summary="Score an entry once",
)
def score(request, payload: JudgingScoreIn, round_entry_id: int = ENTRY_ID):
    found = _entry(request, round_entry_id)
    return Status(201, judging.submit(request.user, found, _marks(payload), payload.comment))


@router.post(
    "/judging/entries/{int:round_entry_id}/amend",
    response={201: JudgingScoreOut, **ERRORS},
    summary="Correct my score while judging is open (the first is kept)",
)
def amend(request, payload: JudgingScoreIn, round_entry_id: int = ENTRY_ID):
    found = _entry(request, round_entry_id)
    return Status(201, judging.amend(request.user, found, _marks(payload), payload.comment))


@router.post(
    "/judging/entries/{int:round_entry_id}/conflict",
    response={201: JudgingConflictOut, **ERRORS},
    summary="Declare a conflict with an entry",
)
def conflict(request, payload: JudgingConflictIn, round_entry_id: int = ENTRY_ID):
    found = _entry(request, round_entry_id)
    return Status(201, judging.declare_conflict(request.user, found, payload.reason))

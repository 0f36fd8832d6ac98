"""Centres, rating sheets, ratings and their figures: the API. The same services and rules as
the pages; a centre, sheet or rating the user may not see answers 404. Evidence files are
attached on the rating's page; here a score's evidence is its note."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from areas.models import Area
from areas.schemas import AreaRef
from common.api import ERRORS, Id, id_path
from common.schemas import Text
from common.scope import Capability, get_or_404, staff_scope
from recognition import centres, ratings, rules, selectors
from recognition.centres import MAX_CRITERIA, MAX_TOTAL
from recognition.models import Centre, CentreKind, Rating, RatingSheet, RatingStatus

router = Router(tags=["recognition"])
CENTRE_ID = id_path("A centre's id.")
SHEET_ID = id_path("A rating sheet's id.")
RATING_ID = id_path("A rating's id.")
CRITERION_ID = id_path("A criterion's id.")


class RecognitionCentreOut(Schema):
    id: int
    area: AreaRef
    name: str
    kind: CentreKind
    address: str
    about: str
    site: int | None = Field(None, alias="site_id")
    operator: int | None = Field(None, alias="operator_id")
    operator_name: str = ""

    @staticmethod
    def resolve_operator_name(obj: Centre) -> str:
        return obj.operator.name if obj.operator else ""


class RecognitionCentreIn(Schema):
    name: Text = Field(..., min_length=1, max_length=80)
    kind: CentreKind = CentreKind.CENTRE
    address: Text = Field("", max_length=200)
    about: Text = Field("", max_length=2000)
    site: Id | None = None
    operator: Id | None = Field(None, description="A social organisation (partner unit) of the area.")


class RecognitionCriterionOut(Schema):
    id: int
    title: str
    points: int


class RecognitionBandIO(Schema):
    stars: int = Field(..., ge=1, le=5)
    min_score: Decimal = Field(..., ge=0, le=MAX_TOTAL, decimal_places=1)
    below: Decimal = Field(..., ge=0, le=MAX_TOTAL, decimal_places=1)


class RecognitionSheetOut(Schema):
    id: int
    area: AreaRef
    year: int
    title: str
    total_points: int
    criteria: list[RecognitionCriterionOut]
    bands: list[RecognitionBandIO]

    @staticmethod
    def resolve_criteria(obj: RatingSheet) -> list:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_bands(obj: RatingSheet) -> list:
        return list(obj.bands.all())


class RecognitionCriterionIn(Schema):
    title: Text = Field(..., min_length=1, max_length=200)
    points: int = Field(..., ge=1, le=MAX_TOTAL)


class RecognitionSheetIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    title: Text = Field(..., min_length=1, max_length=120)
    total_points: int = Field(100, ge=1, le=MAX_TOTAL)
    criteria: list[RecognitionCriterionIn] = Field(..., min_length=1, max_length=MAX_CRITERIA)
    bands: list[RecognitionBandIO] = Field(..., min_length=1, max_length=5)


class RecognitionScoreOut(Schema):
    criterion: int = Field(alias="criterion_id")
    points: Decimal
    note: str
    has_file: bool

    @staticmethod
    def resolve_has_file(obj) -> bool:
        return bool(obj.file)


class RecognitionRatingOut(Schema):
    id: int
    centre: int = Field(alias="centre_id")
    sheet: int = Field(alias="sheet_id")
    year: int
    status: RatingStatus
    score: Decimal | None
    stars: int | None
    submitted_at: datetime | None
    finalised_at: datetime | None
    scores: list[RecognitionScoreOut]

    @staticmethod
    def resolve_scores(obj: Rating) -> list:
        return list(obj.scores.all())


class RecognitionRatingIn(Schema):
    sheet: Id


class RecognitionScoreIn(Schema):
    points: Decimal = Field(..., ge=0, le=MAX_TOTAL, decimal_places=1)
    note: Text = Field(..., min_length=1, max_length=2000, description="The evidence, in words.")


class RecognitionPublicCentreOut(Schema):
    centre: str
    kind: CentreKind
    area: str
    run_by: str
    year: int
    score: Decimal | None
    stars: int | None


class RecognitionYearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


class RecognitionStarRowOut(Schema):
    area: AreaRef
    centres: int
    rated: int
    five_star: int
    average_stars: float
    by_stars: dict[int, int]


# --- Lookups ----------------------------------------------------------------------------------------


def _scope(request):
    return staff_scope(request, Capability.RATE_CENTRES)


def _centre(request, centre_id: int) -> Centre:
    return _scope(request).get(
        Centre.objects.select_related("area", "operator"), _("No such centre."), pk=centre_id
    )


def _sheets(request):
    return RatingSheet.objects.filter(rules.seen_sheets_q(_scope(request))).select_related("area")


def _rating(request, centre_rating_id: int) -> Rating:
    return _scope(request).get(
        Rating.objects.select_related("centre__area", "sheet"), _("No such rating."), pk=centre_rating_id
    )


def _draft(area: Area, payload: RecognitionCentreIn) -> centres.CentreDraft:
    site = centres.sites_for(area).filter(pk=payload.site).first() if payload.site else None
    if payload.site and site is None:
        raise HttpError(
            422, _("No site with id %(id)d in %(area)s.") % {"id": payload.site, "area": area.name}
        )
    operator = centres.operators_for(area).filter(pk=payload.operator).first() if payload.operator else None
    if payload.operator and operator is None:
        raise HttpError(
            422,
            _("No social organisation with id %(id)d for %(area)s.")
            % {"id": payload.operator, "area": area.name},
        )
    return centres.CentreDraft(
        name=payload.name,
        kind=payload.kind,
        address=payload.address,
        about=payload.about,
        site=site,
        operator=operator,
    )


# --- Centres ------------------------------------------------------------------------------------------


@router.get(
    "/centres", response={200: list[RecognitionCentreOut], **ERRORS}, summary="The centres of my area"
)
def list_centres(request):
    return list(_scope(request).restrict(Centre.objects.current()).select_related("area", "operator"))


@router.post("/centres", response={201: RecognitionCentreOut, **ERRORS}, summary="Open a centre")
def create_centre(request, payload: RecognitionCentreIn):
    scope = _scope(request)
    if scope.area is None:
        raise HttpError(403, _("Centres are kept by street, district or city staff over their area."))
    made = centres.create_centre(scope.area, _draft(scope.area, payload), scope=scope)
    return Status(201, _centre(request, made.pk))


@router.get("/centres/{int:centre_id}", response={200: RecognitionCentreOut, **ERRORS}, summary="One centre")
def get_centre(request, centre_id: int = CENTRE_ID):
    return _centre(request, centre_id)


@router.get(
    "/centres/{int:centre_id}/ratings",
    response={200: list[RecognitionRatingOut], **ERRORS},
    summary="A centre's ratings, by year",
)
def centre_ratings(request, centre_id: int = CENTRE_ID):
    return list(_centre(request, centre_id).ratings.prefetch_related("scores"))


@router.post(
    "/centres/{int:centre_id}/ratings",
    response={201: RecognitionRatingOut, **ERRORS},
    summary="Start a rating",
)
def start_rating(request, payload: RecognitionRatingIn, centre_id: int = CENTRE_ID):
    found = _centre(request, centre_id)
    sheet = get_or_404(_sheets(request), _("No such rating sheet."), pk=payload.sheet)
    return Status(201, ratings.start_rating(request.user, found, sheet, scope=request.scope))


# --- Sheets ---------------------------------------------------------------------------------------------


@router.get("/sheets", response={200: list[RecognitionSheetOut], **ERRORS}, summary="Rating sheets I may use")
def list_sheets(request):
    return list(_sheets(request).prefetch_related("criteria", "bands"))


@router.post(
    "/sheets", response={201: RecognitionSheetOut, **ERRORS}, summary="Set a rating sheet for my area"
)
def create_sheet(request, payload: RecognitionSheetIn):
    scope = _scope(request)
    if scope.area is None:
        raise HttpError(403, _("Rating sheets are set by street, district or city staff for their area."))
    draft = centres.SheetDraft(
        year=payload.year,
        title=payload.title,
        total_points=payload.total_points,
        criteria=[(c.title, c.points) for c in payload.criteria],
        bands=[centres.BandDraft(b.stars, b.min_score, b.below) for b in payload.bands],
    )
    return Status(201, centres.set_sheet(request.user, scope.area, draft, scope=scope))


@router.get(
    "/sheets/{int:rating_sheet_id}", response={200: RecognitionSheetOut, **ERRORS}, summary="One rating sheet"
)
def get_sheet(request, rating_sheet_id: int = SHEET_ID):
    return get_or_404(_sheets(request), _("No such rating sheet."), pk=rating_sheet_id)


# --- Ratings ----------------------------------------------------------------------------------------------


@router.get(
    "/ratings/{int:centre_rating_id}", response={200: RecognitionRatingOut, **ERRORS}, summary="One rating"
)
def get_rating(request, centre_rating_id: int = RATING_ID):
    return _rating(request, centre_rating_id)


@router.put(
    "/ratings/{int:centre_rating_id}/scores/{int:rating_criterion_id}",
    response={200: RecognitionRatingOut, **ERRORS},
    summary="Score one criterion, with evidence",
)
def put_score(
    request,
    payload: RecognitionScoreIn,
    centre_rating_id: int = RATING_ID,
    rating_criterion_id: int = CRITERION_ID,
):
    found = _rating(request, centre_rating_id)
    criterion = get_or_404(found.sheet.criteria.all(), _("No such criterion."), pk=rating_criterion_id)
    ratings.score(found, criterion, payload.points, payload.note, scope=request.scope)
    return _rating(request, centre_rating_id)


@router.post(
    "/ratings/{int:centre_rating_id}/submit",
    response={200: RecognitionRatingOut, **ERRORS},
    summary="Submit a rating",
)
def submit(request, centre_rating_id: int = RATING_ID):
    return ratings.submit(_rating(request, centre_rating_id), scope=request.scope)


@router.post(
    "/ratings/{int:centre_rating_id}/reopen",
    response={200: RecognitionRatingOut, **ERRORS},
    summary="Back to scoring",
)
def reopen(request, centre_rating_id: int = RATING_ID):
    return ratings.reopen(_rating(request, centre_rating_id), scope=request.scope)


@router.post(
    "/ratings/{int:centre_rating_id}/finalise",
    response={200: RecognitionRatingOut, **ERRORS},
    summary="Make final",
)
def finalise(request, centre_rating_id: int = RATING_ID):
    return ratings.finalise(request.user, _rating(request, centre_rating_id), scope=request.scope)


# --- Public and figures -------------------------------------------------------------------------------------


@router.get(
    "/public/{code}/centres",
    auth=None,
    response={200: list[RecognitionPublicCentreOut], **ERRORS},
    summary="An area's rated centres and their stars (public)",
)
def public_centres(request, code: Annotated[Text, Path(max_length=40)], query: Query[RecognitionYearQuery]):
    area = selectors.public_area(code)
    year = query.year or timezone.localdate().year
    return [
        {
            "centre": r.centre.name,
            "kind": r.centre.kind,
            "area": r.centre.area.name,
            "run_by": r.centre.operator.name if r.centre.operator else "",
            "year": r.year,
            "score": r.score,
            "stars": r.stars,
        }
        for r in selectors.final_ratings(area, year)[:500]
    ]


@router.get(
    "/figures",
    response={200: list[RecognitionStarRowOut], **ERRORS},
    summary="Centres' stars per committee or street",
)
def figures(request, query: Query[RecognitionYearQuery]):
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    if scope.area is None:
        raise HttpError(403, _("Figures are read in a role over an area."))
    rows = selectors.star_figures(scope.area, query.year or timezone.localdate().year)
    return [
        {
            "area": r.area,
            "centres": r.centres,
            "rated": r.rated,
            "five_star": r.five_star,
            "average_stars": r.average_stars,
            "by_stars": r.by_stars,
        }
        for r in rows
    ]

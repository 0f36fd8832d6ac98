"""Local talent (睦邻达人): the API. Staff list, enter, confirm and withdraw; a resident offers
their own skill; the public list shows the chosen name and the skills only."""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from common.api import ERRORS, Id, Pages, id_path
from common.schemas import Text
from common.scope import Capability, get_or_404, staff_scope
from recognition import selectors
from recognition import talent as service
from recognition.models import SkillTag, Talent, TalentStatus
from registry.models import Resident
from registry.selectors import people_of

router = Router(tags=["recognition"])
TALENT_ID = id_path("A local talent's id.")


class RecognitionTalentPublicOut(Schema):
    id: int
    shown_as: str
    committee: str
    tags: list[SkillTag]
    skills: str
    teaches: bool
    helps: bool

    @staticmethod
    def resolve_committee(obj: Talent) -> str:
        return obj.committee.name

    @staticmethod
    def resolve_tags(obj: Talent) -> list[str]:
        return [t for t in obj.tag_list if t in SkillTag.values]


class RecognitionTalentOut(RecognitionTalentPublicOut):
    resident: int = Field(alias="resident_id")
    resident_name: str
    status: TalentStatus

    @staticmethod
    def resolve_resident_name(obj: Talent) -> str:
        return obj.resident.name


class RecognitionTalentIn(Schema):
    shown_as: Text = Field(..., min_length=1, max_length=20, description="What the public sees: 王阿姨.")
    skills: Text = Field(..., min_length=1, max_length=300)
    tags: list[SkillTag] = Field(default_factory=list, max_length=len(SkillTag.values))
    teaches: bool = True
    helps: bool = True


class RecognitionTalentAddIn(RecognitionTalentIn):
    resident: Id


class RecognitionOfferIn(RecognitionTalentIn):
    resident: Id | None = Field(None, description="Whom you offer for (yourself by default).")


class RecognitionTalentQuery(Schema):
    skill: Text = Field("", max_length=50)
    status: TalentStatus | None = None


def _scope(request):
    return staff_scope(request, Capability.RUN_AWARDS)


def _draft(payload: RecognitionTalentIn) -> service.TalentDraft:
    return service.TalentDraft(
        shown_as=payload.shown_as,
        skills=payload.skills,
        tags=list(payload.tags),
        teaches=payload.teaches,
        helps=payload.helps,
    )


def _talent(request, talent_id: int) -> Talent:
    return _scope(request).get(
        Talent.objects.select_related("resident__household__building", "committee"),
        _("No such talent."),
        pk=talent_id,
    )


@router.get(
    "/talent", response={200: list[RecognitionTalentOut], **ERRORS}, summary="Local talent of my area"
)
@paginate(Pages)
def list_talent(request, query: Query[RecognitionTalentQuery]):
    return selectors.talent_in(_scope(request), query.skill, query.status or "")


@router.post(
    "/talent", response={201: RecognitionTalentOut, **ERRORS}, summary="Enter a resident as local talent"
)
def add_talent(request, payload: RecognitionTalentAddIn):
    scope = _scope(request)
    person = scope.get(
        Resident.objects.living().select_related("household__building"),
        _("No such resident."),
        pk=payload.resident,
    )
    made = service.add_talent(request.user, person, _draft(payload), scope=scope)
    return Status(201, _talent(request, made.pk))


@router.post(
    "/talent/{int:talent_id}/confirm",
    response={200: RecognitionTalentOut, **ERRORS},
    summary="Confirm an offer",
)
def confirm(request, talent_id: int = TALENT_ID):
    return service.confirm(request.user, _talent(request, talent_id), scope=request.scope)


@router.post(
    "/talent/{int:talent_id}/withdraw",
    response={200: RecognitionTalentOut, **ERRORS},
    summary="Take off the list",
)
def withdraw(request, talent_id: int = TALENT_ID):
    return service.withdraw(request.user, _talent(request, talent_id), scope=request.scope)


@router.post("/mine/talent", response={201: RecognitionTalentOut, **ERRORS}, summary="Offer my skill")
def offer(request, payload: RecognitionOfferIn):
    people = people_of(request.user)
    wanted = payload.resident or (people[0].pk if people else 0)
    person = get_or_404(
        Resident.objects.filter(pk__in=[p.pk for p in people]).select_related("household__building"),
        _("No such resident among the people you act for."),
        pk=wanted,
    )
    return Status(201, service.offer(request.user, person, _draft(payload)))


@router.get(
    "/public/{code}/talent",
    auth=None,
    response={200: list[RecognitionTalentPublicOut], **ERRORS},
    summary="An area's local talent, by skill (public)",
)
@paginate(Pages)
def public_talent(request, code: Annotated[Text, Path(max_length=40)], query: Query[RecognitionTalentQuery]):
    return selectors.public_talent(selectors.public_area(code), query.skill)

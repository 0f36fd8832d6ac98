"""API endpoints of notices: a resident's own notices, and the staff side (writing,
publishing, withdrawing, receipts, follow-up, the publicity plan). Same services and scope
as the pages; a notice outside the role's area answers 404."""

from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from areas.api import CODE
from areas.models import Area, AreaLevel
from common.api import ERRORS, MAX_ID, Pages
from common.schemas import Text
from common.scope import Capability, get_or_404, staff_scope
from notices import selectors, services
from notices.models import Notice, NoticeCategory, NoticeState
from notices.schemas import (
    AttachmentOut,
    CadenceIn,
    CountOut,
    FeedItemOut,
    GroupReceiptOut,
    NoticeDetailOut,
    NoticeIn,
    NoticeOut,
    PinIn,
    PlanMonthOut,
    PublishIn,
    StaffNoticeOut,
    ToldIn,
    UnreadOut,
    WithdrawIn,
)
from notices.services import Draft

router = Router(tags=["notices"])
NOTICE_ID = Path(..., ge=1, le=MAX_ID, description="A notice's id.")
UPLOAD = File(..., description="An image (JPG, PNG, GIF, WebP) or a document (PDF, Word, Excel…).")
ATTACHMENT_ID = Path(..., ge=1, le=MAX_ID, description="An attachment's id.")


def _readable(request, notice_id: int) -> Notice:
    notice = selectors.detail(notice_id)
    if notice is None or not selectors.can_read(request.user, request.scope, notice):
        raise HttpError(404, _("No such notice for you."))
    return notice


def _own(request, notice_id: int) -> Notice:
    scope = staff_scope(request, Capability.PUBLISH_NOTICES)
    return scope.get(
        Notice.objects.select_related("area"),
        _("No notice %(id)d in your area.") % {"id": notice_id},
        pk=notice_id,
    )


def _followed(request, notice_id: int) -> Notice:
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    notice = selectors.notices_in(scope).filter(pk=notice_id).first()
    if notice is None:
        raise HttpError(404, _("No notice %(id)d in your area.") % {"id": notice_id})
    return notice


def _areas(request, codes: list[str]) -> list[Area]:
    scope = staff_scope(request, Capability.PUBLISH_NOTICES)
    wanted = {c for c in codes if CODE.match(c)}
    found = list(scope.restrict(Area.objects.filter(code__in=wanted)))
    missing = sorted(set(codes) - {a.code for a in found})
    if missing:
        raise HttpError(
            422, _("No area with code %(code)s in your area.") % {"code": ", ".join(missing)[:200]}
        )
    return found


def _draft(request, payload: NoticeIn) -> Draft:
    return Draft(
        category=payload.category,
        title=payload.title,
        body=payload.body,
        targets=_areas(request, payload.targets),
        tags=list(payload.tags),
        pinned=payload.pinned,
        send_sms=payload.send_sms,
    )


def _fresh(notice: Notice) -> Notice:
    found = selectors.detail(notice.pk)
    assert found is not None
    return found


# --- Residents -----------------------------------------------------------------------------


@router.get("/mine", response={200: list[FeedItemOut], **ERRORS}, summary="My notices")
def my_notices(request):
    """What is meant for you (or, once verified, for your building and tags), pinned first,
    newest first; at most 50."""
    items = selectors.feed_for(request.user, limit=50)
    for item in items:
        item.notice.read = item.read  # type: ignore[attr-defined]
    return [item.notice for item in items]


@router.get("/{notice_id}", response={200: NoticeDetailOut, **ERRORS}, summary="One notice")
def get_notice(request, notice_id: int = NOTICE_ID):
    """Reading a live notice records it as read for you and for anyone you act for."""
    notice = _readable(request, notice_id)
    if notice.is_published:
        services.mark_read(request.user, notice)
    return notice


# --- Staff ---------------------------------------------------------------------------------


class NoticeFilters(Schema):
    state: NoticeState | None = None
    category: NoticeCategory | None = None


@router.get("", response={200: list[StaffNoticeOut], **ERRORS}, summary="The area's notices")
@paginate(Pages)
def list_notices(request, filters: Query[NoticeFilters]):
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    notices = selectors.notices_in(scope)
    if filters.category:
        notices = notices.filter(category=filters.category)
    return selectors.in_state(notices, filters.state or "")


@router.post("", response={201: NoticeDetailOut, **ERRORS}, summary="Write a notice (a draft)")
def create_notice(request, payload: NoticeIn):
    scope = staff_scope(request, Capability.PUBLISH_NOTICES)
    notice = services.create_notice(request.user, scope, _draft(request, payload))
    return Status(201, _fresh(notice))


@router.put("/{notice_id}", response={200: NoticeDetailOut, **ERRORS}, summary="Change a notice")
def update_notice(request, payload: NoticeIn, notice_id: int = NOTICE_ID):
    """Text and pinning may change at any time; who it is for, only until it has gone out."""
    notice = _own(request, notice_id)
    services.update_notice(request.scope, notice, _draft(request, payload))
    return _fresh(notice)


@router.delete("/{notice_id}", response={204: None, **ERRORS}, summary="Delete a draft")
def delete_draft(request, notice_id: int = NOTICE_ID):
    """Only a draft; a notice that has been published is withdrawn instead."""
    notice = _own(request, notice_id)
    services.delete_draft(request.scope, notice)
    return Status(204, None)


@router.post(
    "/{notice_id}/attachments", response={201: AttachmentOut, **ERRORS}, summary="Attach an image or file"
)
def add_attachment(request, notice_id: int = NOTICE_ID, file: UploadedFile = UPLOAD):
    notice = _own(request, notice_id)
    return Status(201, services.add_attachments(request.scope, notice, [file])[0])


@router.delete(
    "/{notice_id}/attachments/{attachment_id}", response={204: None, **ERRORS}, summary="Remove an attachment"
)
def remove_attachment(request, notice_id: int = NOTICE_ID, attachment_id: int = ATTACHMENT_ID):
    notice = _own(request, notice_id)
    services.remove_attachment(
        request.scope, get_or_404(notice.attachments.all(), _("Not found."), pk=attachment_id)
    )
    return Status(204, None)


@router.post("/{notice_id}/publish", response={200: NoticeDetailOut, **ERRORS}, summary="Publish or schedule")
def publish(request, payload: PublishIn, notice_id: int = NOTICE_ID):
    """Now, or at `at`: the notice appears and its residents are notified then."""
    notice = _own(request, notice_id)
    services.publish(request.scope, notice, payload.at)
    return _fresh(notice)


@router.post("/{notice_id}/unschedule", response={200: NoticeDetailOut, **ERRORS}, summary="Back to a draft")
def unschedule(request, notice_id: int = NOTICE_ID):
    notice = _own(request, notice_id)
    services.unschedule(request.scope, notice)
    return _fresh(notice)


@router.post("/{notice_id}/withdraw", response={200: NoticeDetailOut, **ERRORS}, summary="Withdraw a notice")
def withdraw(request, payload: WithdrawIn, notice_id: int = NOTICE_ID):
    notice = _own(request, notice_id)
    services.withdraw(request.scope, notice, payload.reason)
    return _fresh(notice)


@router.post("/{notice_id}/pin", response={200: NoticeOut, **ERRORS}, summary="Pin or unpin")
def pin(request, payload: PinIn, notice_id: int = NOTICE_ID):
    notice = _own(request, notice_id)
    return services.set_pinned(request.scope, notice, payload.pinned)


@router.get(
    "/{notice_id}/receipts", response={200: list[GroupReceiptOut], **ERRORS}, summary="Read receipts by group"
)
def receipts(request, notice_id: int = NOTICE_ID):
    """Per building group of your area: residents it is for, and how many have read it or been told."""
    notice = _followed(request, notice_id)
    return [
        {"group": r.group, "total": r.total, "read": r.read, "unread": r.unread}
        for r in selectors.receipts(notice, request.scope)
    ]


def _group(request, code: str) -> Area:
    scope = request.scope
    group = scope.restrict(Area.objects.filter(level=AreaLevel.BUILDING_GROUP)).filter(code=code).first()
    if group is None or not CODE.match(code):
        raise HttpError(404, _("No building group %(code)s in your area.") % {"code": code[:64]})
    return group


@router.get(
    "/{notice_id}/receipts/{code}/unread",
    response={200: list[UnreadOut], **ERRORS},
    summary="Who in a building group has not read it",
)
def unread(request, notice_id: int = NOTICE_ID, code: Text = Path(..., max_length=64)):
    notice = _followed(request, notice_id)
    return list(selectors.unread_in(notice, request.scope, _group(request, code)))


@router.post(
    "/{notice_id}/told", response={200: CountOut, **ERRORS}, summary="Record residents told in person"
)
def told(request, payload: ToldIn, notice_id: int = NOTICE_ID):
    notice = _followed(request, notice_id)
    return {"count": services.record_told(request.user, request.scope, notice, payload.residents)}


def _committee(request, code: str) -> Area:
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    committee = selectors.committees_for_plan(scope).filter(code=code).first() if CODE.match(code) else None
    if committee is None:
        raise HttpError(404, _("No committee %(code)s in your area.") % {"code": code[:64]})
    return committee


def _plan_out(committee: Area) -> list[dict]:
    categories, months = selectors.plan(committee)
    return [
        {
            "month": row.month,
            "published": {c: cell.published for c, cell in zip(categories, row.cells, strict=True)},
            "wanted": {c: cell.wanted for c, cell in zip(categories, row.cells, strict=True) if cell.wanted},
        }
        for row in months
    ]


@router.get("/plan/{code}", response={200: list[PlanMonthOut], **ERRORS}, summary="The publicity plan")
def get_plan(request, code: Text = Path(..., max_length=64, description="A committee's code.")):
    """The last twelve months, newest first: published per category, and the cadence wanted."""
    return _plan_out(_committee(request, code))


@router.put("/plan/{code}", response={200: list[PlanMonthOut], **ERRORS}, summary="Set the publicity plan")
def set_plan(
    request, payload: CadenceIn, code: Text = Path(..., max_length=64, description="A committee's code.")
):
    committee = _committee(request, code)
    for category, per_month in payload.per_month.items():
        services.set_cadence(request.scope, committee, category, per_month)
    return _plan_out(committee)

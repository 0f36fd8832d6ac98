"""Kinds of aid, their policies and the items: the API. The same services and rules as the
pages; a kind or an item the user may not see answers 404."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from aids import inventory, selectors
from aids.models import AidItem, AidKind
from aids.schemas import (
    AidAvailabilityOut,
    AidConditionIn,
    AidItemChangeIn,
    AidItemIn,
    AidItemOut,
    AidKindIn,
    AidKindOut,
)
from common.api import ERRORS, id_path
from common.scope import Capability, get_or_404, staff_scope

router = Router(tags=["aids"])
KIND_ID = id_path("A kind of aid's id.")
ITEM_ID = id_path("An aid's id.")


def _draft(payload: AidKindIn) -> inventory.KindDraft:
    return inventory.KindDraft(
        name=payload.name,
        category=payload.category,
        about=payload.about,
        loan_days=payload.loan_days,
        renewals=payload.renewals,
        renewal_days=payload.renewal_days,
        deposit=payload.deposit,
        min_age=payload.min_age,
        tags=tuple(payload.tags),
        needs_approval=payload.needs_approval,
        hold_days=payload.hold_days,
    )


def _kind(request, kind_id: int) -> AidKind:
    scope = staff_scope(request, Capability.LEND_AIDS)
    return get_or_404(selectors.kinds_seen_by(scope), _("No such kind of aid."), pk=kind_id)


def _item(request, item_id: int) -> AidItem:
    scope = staff_scope(request, Capability.LEND_AIDS)
    return get_or_404(selectors.items_seen_by(scope), _("No such aid."), pk=item_id)


def _site(kind: AidKind, site_id: int | None):
    if site_id is None:
        return None
    found = inventory.sites_for(kind).filter(pk=site_id).first()
    if found is None:
        raise HttpError(422, _("No site with id %(id)d where this kind is kept.") % {"id": site_id})
    return found


@router.get("/kinds", response={200: list[AidAvailabilityOut], **ERRORS}, summary="The inventory")
def kinds(request):
    """Staff: every current kind of their area and street, with items free, lent, set aside."""
    return selectors.inventory(staff_scope(request, Capability.LEND_AIDS))


@router.get("/borrowable", response={200: list[AidAvailabilityOut], **ERRORS}, summary="What I can borrow")
def borrowable(request):
    """The kinds lent at your committee and its street, with how many are free now."""
    return selectors.borrowable_for(request.user)


@router.post("/kinds", response={201: AidKindOut, **ERRORS}, summary="Add a kind of aid")
def create_kind(request, payload: AidKindIn):
    scope = staff_scope(request, Capability.LEND_AIDS)
    return Status(201, inventory.create_kind(_draft(payload), scope=scope))


@router.get("/kinds/{int:kind_id}", response={200: AidKindOut, **ERRORS}, summary="One kind of aid")
def get_kind(request, kind_id: int = KIND_ID):
    return get_or_404(
        selectors.visible_to(request.user, request.scope), _("No such kind of aid."), pk=kind_id
    )


@router.put("/kinds/{int:kind_id}", response={200: AidKindOut, **ERRORS}, summary="Change a kind's policy")
def change_kind(request, payload: AidKindIn, kind_id: int = KIND_ID):
    return inventory.change_kind(_kind(request, kind_id), _draft(payload), scope=request.scope)


@router.post(
    "/kinds/{int:kind_id}/archive", response={200: AidKindOut, **ERRORS}, summary="Stop lending a kind"
)
def archive_kind(request, kind_id: int = KIND_ID):
    return inventory.archive_kind(_kind(request, kind_id), scope=request.scope)


@router.get(
    "/kinds/{int:kind_id}/items", response={200: list[AidItemOut], **ERRORS}, summary="A kind's items"
)
def items(request, kind_id: int = KIND_ID):
    return selectors.items_of(_kind(request, kind_id))


@router.post("/kinds/{int:kind_id}/items", response={201: AidItemOut, **ERRORS}, summary="Add an item")
def add_item(request, payload: AidItemIn, kind_id: int = KIND_ID):
    kind = _kind(request, kind_id)
    made = inventory.add_item(
        kind,
        scope=request.scope,
        code=payload.code,
        site=_site(kind, payload.site),
        condition=payload.condition,
        notes=payload.notes,
    )
    return Status(201, made)


@router.get("/items/{int:item_id}", response={200: AidItemOut, **ERRORS}, summary="One item")
def get_item(request, item_id: int = ITEM_ID):
    return _item(request, item_id)


@router.put("/items/{int:item_id}", response={200: AidItemOut, **ERRORS}, summary="Change an item")
def change_item(request, payload: AidItemChangeIn, item_id: int = ITEM_ID):
    item = _item(request, item_id)
    return inventory.change_item(
        item, scope=request.scope, code=payload.code, site=_site(item.kind, payload.site), notes=payload.notes
    )


@router.post(
    "/items/{int:item_id}/condition", response={200: AidItemOut, **ERRORS}, summary="Repair or retire"
)
def set_condition(request, payload: AidConditionIn, item_id: int = ITEM_ID):
    return inventory.set_condition(
        _item(request, item_id), payload.condition, scope=request.scope, note=payload.note
    )

"""API endpoints of the partner units (共建单位). Staff who keep partners list, create, change
and end units, record agreements, offers, contributions and contacts, and read what the units
contributed in a year; a street's units are read by its committees' staff. A unit's own people
read their unit (``/mine``) and keep its offers. The requests given to a unit are answered
under ``/api/v1/demands/unit``. Same services and scope as the pages; a unit outside what the
caller may see answers 404."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from areas.models import Area
from common.api import ERRORS, MAX_ID, Pages
from common.scope import Capability, Scope, get_or_404, staff_scope
from partners import selectors, services
from partners.models import Offer, PartnerContact, PartnerUnit
from partners.rules import manages, seen_by_staff_q, serves
from partners.schemas import (
    AgreementIn,
    AgreementOut,
    ContactIn,
    ContactOut,
    ContributionIn,
    ContributionOut,
    EndIn,
    LinkedOut,
    NewUnitIn,
    OfferIn,
    UnitDetailOut,
    UnitFiguresOut,
    UnitIn,
    UnitOfferOut,
    UnitOut,
    UnitRowOut,
)
from partners.services import AgreementDraft, ContributionDraft, UnitDraft

router = Router(tags=["partners"])
UNIT_ID = Path(..., ge=1, le=MAX_ID, description="A partner unit's id.")
OFFER_ID = Path(..., ge=1, le=MAX_ID, description="An offer's id.")
CONTACT_ID = Path(..., ge=1, le=MAX_ID, description="A unit contact's id.")


def _staff(request) -> Scope:
    return staff_scope(request, Capability.MANAGE_PARTNERS)


def _seen(request, unit_id: int) -> PartnerUnit:
    scope = _staff(request)
    return get_or_404(
        PartnerUnit.objects.filter(seen_by_staff_q(scope)).select_related("area"),
        _("No partner unit %(id)d in your area.") % {"id": unit_id},
        pk=unit_id,
    )


def _mine(request, unit_id: int) -> PartnerUnit:
    scope = staff_scope(request, Capability.SERVE_AS_PARTNER)
    return get_or_404(
        selectors.units_of(request.user, scope).select_related("area"),
        _("No partner unit %(id)d you act for.") % {"id": unit_id},
        pk=unit_id,
    )


def _detail(unit: PartnerUnit, *, staff: bool, may_change: bool) -> dict:
    page = selectors.unit_page(unit, staff=staff)
    return {
        "unit": unit,
        "may_change": may_change,
        "offers": page.offers,
        "agreements": page.agreements,
        "contacts": page.contacts,
        "contributions": page.contributions,
        "requests": page.requests,
        "shifts": page.shifts,
    }


class UnitsQuery(Schema):
    ended: bool = False


# --- Staff ---------------------------------------------------------------------------------


@router.get("/units", response={200: list[UnitRowOut], **ERRORS}, summary="Partner units")
@paginate(Pages)
def units(request, query: Query[UnitsQuery]):
    """Current units (or, `ended=true`, former ones) of the role's area and of the street above."""
    return selectors.units_for_staff(_staff(request), ended=query.ended)


@router.post("/units", response={201: UnitOut, **ERRORS}, summary="Add a partner unit")
def create_unit(request, payload: NewUnitIn):
    scope = _staff(request)
    area = None
    if payload.area:
        area = scope.get(
            Area.objects.all(),
            _("No area %(code)s in your area.") % {"code": payload.area},
            code=payload.area,
        )
    data = payload.dict(exclude={"area"})
    return Status(201, services.create_unit(scope, UnitDraft(**data), area=area))


@router.get("/units/{int:unit_id}", response={200: UnitDetailOut, **ERRORS}, summary="A partner unit")
def unit(request, unit_id: int = UNIT_ID):
    found = _seen(request, unit_id)
    return _detail(found, staff=True, may_change=manages(request.scope, found))


@router.put("/units/{int:unit_id}", response={200: UnitOut, **ERRORS}, summary="Change a partner unit")
def update_unit(request, payload: UnitIn, unit_id: int = UNIT_ID):
    return services.update_unit(request.scope, _seen(request, unit_id), UnitDraft(**payload.dict()))


@router.post("/units/{int:unit_id}/end", response={200: UnitOut, **ERRORS}, summary="End the partnership")
def end_unit(request, payload: EndIn, unit_id: int = UNIT_ID):
    return services.end_unit(request.user, request.scope, _seen(request, unit_id), payload.reason)


@router.post(
    "/units/{int:unit_id}/agreements", response={201: AgreementOut, **ERRORS}, summary="Record an agreement"
)
def add_agreement(request, payload: AgreementIn, unit_id: int = UNIT_ID):
    found = _seen(request, unit_id)
    return Status(201, services.add_agreement(request.scope, found, AgreementDraft(**payload.dict())))


@router.post("/units/{int:unit_id}/offers", response={201: UnitOfferOut, **ERRORS}, summary="Add an offer")
def add_offer(request, payload: OfferIn, unit_id: int = UNIT_ID):
    found = _seen(request, unit_id)
    return Status(201, services.add_offer(request.user, request.scope, found, **payload.dict()))


@router.post(
    "/units/{int:unit_id}/contributions",
    response={201: ContributionOut, **ERRORS},
    summary="Record a contribution",
)
def add_contribution(request, payload: ContributionIn, unit_id: int = UNIT_ID):
    found = _seen(request, unit_id)
    data = payload.dict()
    offer = None
    if data.pop("offer"):
        offer = get_or_404(found.offers.all(), _("No such offer of this unit."), pk=payload.offer)
    draft = ContributionDraft(offer=offer, **data)
    return Status(201, services.record_contribution(request.user, request.scope, found, draft))


@router.post("/units/{int:unit_id}/contacts", response={201: LinkedOut, **ERRORS}, summary="Add a contact")
def add_contact(request, payload: ContactIn, unit_id: int = UNIT_ID):
    """Link a person by mobile number (an account is made for a new number); they get the
    partner-unit role over the unit's area when the caller may grant roles."""
    found = _seen(request, unit_id)
    linked = services.link_contact(request.user, request.scope, found, phone=payload.phone, name=payload.name)
    return Status(
        201,
        {
            "contact": linked.contact,
            "temporary_password": linked.password,
            "role_granted": linked.role_granted,
            "role_note": linked.role_note,
        },
    )


@router.post(
    "/units/{int:unit_id}/contacts/{int:contact_id}/end",
    response={200: ContactOut, **ERRORS},
    summary="End a contact",
)
def end_contact(request, unit_id: int = UNIT_ID, contact_id: int = CONTACT_ID):
    found = _seen(request, unit_id)
    contact = get_or_404(
        PartnerContact.objects.filter(unit=found).select_related("user", "unit"), pk=contact_id
    )
    return services.end_contact(request.user, request.scope, contact)


@router.get("/figures", response={200: list[UnitFiguresOut], **ERRORS}, summary="What the units contributed")
def figures(request, year: int | None = Query(None, ge=1900, le=2100, description="Default: this year.")):
    scope = _staff(request)
    rows = []
    for group in selectors.figures(scope, year or timezone.localdate().year):
        for row in group.rows:
            rows.append(
                {
                    "unit": row.unit.pk,
                    "name": row.unit.name,
                    "area": group.area,
                    "requests_done": row.requests_done,
                    "shifts": row.shifts,
                    "person_times": row.person_times,
                    "people_served": row.people_served,
                    "hours": row.hours,
                    "funds": row.funds,
                }
            )
    return rows


# --- Offers (staff, or the unit's own people) ----------------------------------------------


def _offer(request, offer_id: int) -> Offer:
    """An offer of a unit the caller keeps or acts for; 404 for any other."""
    found = Offer.objects.select_related("unit__area").filter(pk=offer_id).first()
    scope = request.scope
    if found is None or not (manages(scope, found.unit) or serves(request.user, scope, found.unit)):
        raise HttpError(404, _("No offer %(id)d you may change.") % {"id": offer_id})
    return found


@router.put("/offers/{int:offer_id}", response={200: UnitOfferOut, **ERRORS}, summary="Change an offer")
def update_offer(request, payload: OfferIn, offer_id: int = OFFER_ID):
    return services.update_offer(request.user, request.scope, _offer(request, offer_id), **payload.dict())


@router.post(
    "/offers/{int:offer_id}/withdraw", response={200: UnitOfferOut, **ERRORS}, summary="Withdraw an offer"
)
def withdraw_offer(request, offer_id: int = OFFER_ID):
    return services.withdraw_offer(request.user, request.scope, _offer(request, offer_id))


# --- The unit's own people -----------------------------------------------------------------


@router.get("/mine", response={200: list[UnitOut], **ERRORS}, summary="The units I act for")
def mine(request):
    scope = staff_scope(request, Capability.SERVE_AS_PARTNER)
    return list(selectors.units_of(request.user, scope).select_related("area")[:50])


@router.get("/mine/{int:unit_id}", response={200: UnitDetailOut, **ERRORS}, summary="My unit")
def mine_unit(request, unit_id: int = UNIT_ID):
    """Its offers, the requests given to it and the shifts it staffs."""
    return _detail(_mine(request, unit_id), staff=False, may_change=True)


@router.post(
    "/mine/{int:unit_id}/offers", response={201: UnitOfferOut, **ERRORS}, summary="Add an offer of my unit"
)
def add_my_offer(request, payload: OfferIn, unit_id: int = UNIT_ID):
    found = _mine(request, unit_id)
    return Status(201, services.add_offer(request.user, request.scope, found, **payload.dict()))

"""API endpoints for the people of a partner unit: the requests given to their unit (any
other answers 404), its timeline without staff notes, and the unit's reply, start and done.
Mounted under ``/api/v1/demands/unit``; the same services and rules as the pages."""

from django.utils.translation import gettext as _
from ninja import Path, Router, Status
from ninja.pagination import paginate

from common.api import ERRORS, MAX_ID, Pages
from common.scope import Capability, get_or_404, staff_scope
from demands import selectors, services
from demands.models import Demand
from demands.partners import given_to_units_of
from demands.schemas import DemandResolveIn, DemandTextIn, UnitDemandDetailOut, UnitDemandOut, event_out

router = Router(tags=["demands"])
REQUEST_ID = Path(..., ge=1, le=MAX_ID, description="A request's id.")


def _given(request, demand_id: int) -> Demand:
    scope = staff_scope(request, Capability.SERVE_AS_PARTNER)
    return get_or_404(
        given_to_units_of(request.user, scope),
        _("No request %(id)d given to your unit.") % {"id": demand_id},
        pk=demand_id,
    )


def _detail(demand_id: int, request) -> dict:
    found = _given(request, demand_id)
    events = selectors.timeline(found, staff=False)
    return {"demand": found, "timeline": [event_out(e, False) for e in events]}


@router.get("/requests", response={200: list[UnitDemandOut], **ERRORS}, summary="Requests given to my unit")
@paginate(Pages)
def unit_requests(request):
    """The requests given to the partner units the login acts for, newest first."""
    return given_to_units_of(request.user, staff_scope(request, Capability.SERVE_AS_PARTNER))


@router.get(
    "/requests/{int:demand_id}",
    response={200: UnitDemandDetailOut, **ERRORS},
    summary="A request given to my unit",
)
def unit_request(request, demand_id: int = REQUEST_ID):
    return _detail(demand_id, request)


@router.post(
    "/requests/{int:demand_id}/reply",
    response={201: UnitDemandDetailOut, **ERRORS},
    summary="Reply as the unit",
)
def unit_reply(request, payload: DemandTextIn, demand_id: int = REQUEST_ID):
    """A reply the resident reads on the timeline as the partner unit's."""
    found = _given(request, demand_id)
    services.reply(actor=request.user, demand=found, text=payload.text, scope=request.scope)
    return Status(201, _detail(demand_id, request))


@router.post(
    "/requests/{int:demand_id}/start",
    response={200: UnitDemandDetailOut, **ERRORS},
    summary="Start work as the unit",
)
def unit_start(request, demand_id: int = REQUEST_ID):
    services.start(actor=request.user, scope=request.scope, demand=_given(request, demand_id))
    return _detail(demand_id, request)


@router.post(
    "/requests/{int:demand_id}/resolve",
    response={200: UnitDemandDetailOut, **ERRORS},
    summary="Mark done as the unit",
)
def unit_resolve(request, payload: DemandResolveIn, demand_id: int = REQUEST_ID):
    found = _given(request, demand_id)
    services.resolve(actor=request.user, scope=request.scope, demand=found, resolution=payload.resolution)
    return _detail(demand_id, request)

"""The kitchen's counts and bag labels; delivery routes, rounds and hand-overs: the API."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from accounts.models import User
from areas.models import Area
from common.api import ERRORS, Id, id_path
from common.schemas import Day, Text
from common.scope import Capability, get_or_404, staff_scope
from meals import delivery
from meals import kitchen as sheets
from meals.models import Route, RouteRun
from meals.rules import seen_point_or_404, seen_points
from registry.identity import mask_contact_phone

router = Router(tags=["meals"])
POINT_ID = id_path("A dining point's id.")
ROUTE_ID = id_path("A delivery route's id.")
RUN_ID = id_path("A delivery round's id.")
STOP_ID = id_path("A stop's id.")
ORDER_ID = id_path("A meal order's id.")


class KitchenCountOut(Schema):
    label: str = ""
    name: str = ""
    mode: str = ""
    count: int


class NeedOut(Schema):
    name: str
    label: str
    needs: list[str]
    allergies: list[str]
    clashes: str


class MealCountOut(Schema):
    meal: str
    total: int
    set_meals: list[KitchenCountOut]
    dishes: list[KitchenCountOut]
    modes: list[KitchenCountOut]
    needs: list[NeedOut]


class KitchenOut(Schema):
    point: int
    day: date
    meals: list[MealCountOut]


class StopOut(Schema):
    id: int
    building: int = Field(..., alias="building_id")
    building_name: str = Field(..., alias="building.name")
    position: int


class RouteOut(Schema):
    id: int
    point: int = Field(..., alias="point_id")
    name: str
    notes: str
    deliverer: int | None = Field(None, alias="deliverer_id")
    archived: bool = False
    stops: list[StopOut] = []

    @staticmethod
    def resolve_archived(obj) -> bool:
        return obj.archived_at is not None

    @staticmethod
    def resolve_stops(obj) -> list:
        return list(obj.stops.select_related("building").order_by("position", "pk"))


class StopRef(Schema):
    id: int
    building: int = Field(..., alias="building_id")
    position: int


class RouteIn(Schema):
    name: Text = Field(..., max_length=60)
    notes: Text = Field("", max_length=200)
    deliverer: Id | None = None


class RouteChangeIn(Schema):
    name: Text | None = Field(None, max_length=60)
    notes: Text | None = Field(None, max_length=200)
    deliverer: Id | None = None
    clear_deliverer: bool = False


class StopIn(Schema):
    building: Id


class StopOrderIn(Schema):
    stops: list[Id] = Field(..., max_length=500)


class RoundOut(Schema):
    id: int
    route: int = Field(..., alias="route_id")
    route_name: str = Field(..., alias="route.name")
    point: int = Field(..., alias="route.point_id")
    day: date
    meal: str
    deliverer: int | None = Field(None, alias="deliverer_id")
    shift: int | None = Field(None, alias="shift_id")


class DeliveryOut(Schema):
    id: int
    room: str
    name: str
    label: str
    needs: str
    allergies: str
    note: str
    phone: str
    status: str


class RoundStopOut(Schema):
    position: int
    building: str
    orders: list[DeliveryOut]


class RoundDetailOut(RoundOut):
    stops: list[RoundStopOut] = []

    @staticmethod
    def resolve_stops(obj) -> list[dict]:
        return [
            {
                "position": stop.position,
                "building": stop.building.name,
                "orders": [
                    {
                        "id": o.pk,
                        "room": o.diner.resident.household.room,
                        "name": o.diner.resident.name,
                        "label": o.set_meal.label,
                        "needs": o.diner.needs,
                        "allergies": o.diner.allergies,
                        "note": o.diner.delivery_note,
                        "phone": mask_contact_phone(o.diner.resident.phone),
                        "status": o.status,
                    }
                    for o in stop.orders
                ],
            }
            for stop in delivery.round_sheet(obj)
        ]


class OrderStatusOut(Schema):
    id: int
    status: str
    served_at: str | None = None
    handed_by: int | None = Field(None, alias="handed_by_id")


class NotHomeIn(Schema):
    note: Text = Field("", max_length=200)


def _point(request, point_id: int):
    return seen_point_or_404(staff_scope(request, Capability.RUN_MEALS), point_id)


def _route(request, route_id: int) -> Route:
    scope = staff_scope(request, Capability.RUN_MEALS)
    return get_or_404(
        Route.objects.filter(point__in=seen_points(scope)).select_related("point__area"),
        _("No such route in your area."),
        pk=route_id,
    )


def _run(request, run_id: int) -> RouteRun:
    found = RouteRun.objects.filter(pk=run_id).select_related("route__point__area").first()
    if found is None or not delivery.may_deliver(request.user, request.scope, found):
        raise Http404(_("No such round of yours."))
    return found


def _user(pk: int | None) -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such user."))
    return found


@router.get("/points/{int:point_id}/kitchen", response={200: KitchenOut, **ERRORS}, summary="Kitchen counts")
def kitchen_counts(request, point_id: int = POINT_ID, day: Day | None = None):
    """Per meal of the day: set meals, dishes, eat in / take away / delivered, special needs."""
    return sheets.counts(_point(request, point_id), day or timezone.localdate())


@router.get("/points/{int:point_id}/routes", response={200: list[RouteOut], **ERRORS}, summary="Routes")
def routes(request, point_id: int = POINT_ID):
    return list(Route.objects.current().filter(point=_point(request, point_id)))


@router.post("/points/{int:point_id}/routes", response={201: RouteOut, **ERRORS}, summary="Create a route")
def create_route(request, payload: RouteIn, point_id: int = POINT_ID):
    point = _point(request, point_id)
    made = delivery.create_route(
        point, payload.name, scope=request.scope, deliverer=_user(payload.deliverer), notes=payload.notes
    )
    return Status(201, made)


@router.get("/routes/{int:route_id}", response={200: RouteOut, **ERRORS}, summary="A route")
def route(request, route_id: int = ROUTE_ID):
    return _route(request, route_id)


@router.patch("/routes/{int:route_id}", response={200: RouteOut, **ERRORS}, summary="Change a route")
def change_route(request, payload: RouteChangeIn, route_id: int = ROUTE_ID):
    return delivery.change_route(
        _route(request, route_id),
        scope=request.scope,
        name=payload.name,
        notes=payload.notes,
        deliverer=_user(payload.deliverer),
        clear_deliverer=payload.clear_deliverer,
    )


@router.delete("/routes/{int:route_id}", response={200: RouteOut, **ERRORS}, summary="Archive a route")
def archive_route(request, route_id: int = ROUTE_ID):
    return delivery.archive_route(_route(request, route_id), scope=request.scope)


@router.post("/routes/{int:route_id}/stops", response={201: RouteOut, **ERRORS}, summary="Add a stop")
def add_stop(request, payload: StopIn, route_id: int = ROUTE_ID):
    found = _route(request, route_id)
    building = get_or_404(Area.objects.all(), _("No such building."), pk=payload.building)
    delivery.add_stop(found, building, scope=request.scope)
    return Status(201, found)


@router.delete(
    "/routes/{int:route_id}/stops/{int:stop_id}", response={200: RouteOut, **ERRORS}, summary="Remove a stop"
)
def remove_stop(request, route_id: int = ROUTE_ID, stop_id: int = STOP_ID):
    found = _route(request, route_id)
    stop = get_or_404(found.stops.all(), _("No such stop on this route."), pk=stop_id)
    delivery.remove_stop(stop, scope=request.scope)
    return found


@router.put("/routes/{int:route_id}/stops", response={200: RouteOut, **ERRORS}, summary="Reorder the stops")
def reorder(request, payload: StopOrderIn, route_id: int = ROUTE_ID):
    """Every stop of the route, in the new order."""
    found = _route(request, route_id)
    delivery.set_order(found, list(payload.stops), scope=request.scope)
    return found


@router.get("/rounds", response={200: list[RoundOut], **ERRORS}, summary="My rounds")
def my_rounds(request, day: Day | None = None):
    """The rounds given to me (directly or through a claimed shift) on a day (today unless given)."""
    return delivery.my_rounds(request.user, day or timezone.localdate())


@router.get("/rounds/{int:run_id}", response={200: RoundDetailOut, **ERRORS}, summary="A round")
def round_detail(request, run_id: int = RUN_ID):
    """The stops in route order, each with the delivered orders of its building."""
    return _run(request, run_id)


def _status(order) -> OrderStatusOut:
    return OrderStatusOut(
        id=order.pk,
        status=order.status,
        served_at=order.served_at.isoformat() if order.served_at else None,
        handed_by_id=order.handed_by_id,
    )


@router.post(
    "/rounds/{int:run_id}/orders/{int:order_id}/handed",
    response={200: OrderStatusOut, **ERRORS},
    summary="Handed over",
)
def handed(request, run_id: int = RUN_ID, order_id: int = ORDER_ID):
    run = _run(request, run_id)
    return _status(delivery.hand_over(request.user, run, order_id, scope=request.scope))


@router.post(
    "/rounds/{int:run_id}/orders/{int:order_id}/not-home",
    response={200: OrderStatusOut, **ERRORS},
    summary="Not at home",
)
def not_home(request, payload: NotHomeIn, run_id: int = RUN_ID, order_id: int = ORDER_ID):
    """Nobody answered; for a resident on the elderly watch a concern is raised at once."""
    run = _run(request, run_id)
    return _status(delivery.not_at_home(request.user, run, order_id, scope=request.scope, note=payload.note))

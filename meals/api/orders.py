"""Orders: by the diner, family, a building leader, staff on the phone; standing orders; payments: the API.

The same services and rules as the pages (``meals.ordering``, ``meals.standing``): a refusal
answers 422 with the field and why, nothing changed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import pgettext
from ninja import Field, Router, Schema, Status

from common.api import ERRORS, Id, id_path
from common.schemas import Day, Text
from common.scope import Capability, get_or_404, staff_scope
from meals import ordering, standing
from meals.models import Diner, DiningPoint, MealKind, Mode, Order, PaidHow, SetMeal, StandingOrder
from registry.selectors import people_of

router = Router(tags=["meals"])
POINT_ID = id_path("A dining point's id.")
ORDER_ID = id_path("A meal order's id.")
STANDING_ID = id_path("A standing order's id.")


class MealOrderOut(Schema):
    id: int
    point: int = Field(alias="point_id")
    day: date
    meal: str
    diner: int = Field(alias="diner_id")
    diner_name: str
    set_meal: int = Field(alias="set_meal_id")
    label: str
    mode: str
    status: str
    price: Decimal
    subsidy: Decimal
    pays: Decimal
    clashes: str = Field(description="What clashes with the diner's needs: a warning, not a refusal.")
    ordered_via: str
    ordered_at: datetime
    paid_how: str
    payment_ref: str
    paid_at: datetime | None
    url: str

    @staticmethod
    def resolve_diner_name(obj: Order) -> str:
        return obj.diner.resident.name

    @staticmethod
    def resolve_label(obj: Order) -> str:
        return obj.set_meal.label

    @staticmethod
    def resolve_url(obj: Order) -> str:
        return obj.get_absolute_url()


class MealOrderIn(Schema):
    diner: Id
    set_meal: Id
    mode: Mode = Mode.EAT_IN
    via: Literal["phone", "staff"] | None = Field(None, description="Staff only: taken on the phone or not.")


class MealPaymentIn(Schema):
    how: PaidHow
    reference: Text = Field("", max_length=60, description="Required for a transfer.")


class MealServedIn(Schema):
    outcome: Literal["served", "not_collected"] = "served"


class MealStandingOut(Schema):
    id: int
    diner: int = Field(alias="diner_id")
    point: int = Field(alias="point_id")
    meal: str
    weekdays: list[int]
    label: str
    mode: str
    starts_on: date
    ends_on: date | None
    stopped_at: datetime | None
    placed_until: date | None

    @staticmethod
    def resolve_weekdays(obj: StandingOrder) -> list[int]:
        return obj.weekday_list


class MealStandingIn(Schema):
    diner: Id
    meal: MealKind = MealKind.LUNCH
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        [1, 2, 3, 4, 5], min_length=1, max_length=7, description="ISO, 1 = Monday."
    )
    label: Text = Field("", max_length=20, description="Blank: the first set meal of the day.")
    mode: Mode = Mode.EAT_IN
    starts_on: Day | None = None
    ends_on: Day | None = None


def _diner(diner_id: int) -> Diner:
    found = (
        Diner.objects.select_related("resident__household__building", "committee", "point__area")
        .filter(pk=diner_id)
        .first()
    )
    if found is None:
        raise Http404(pgettext("meal orders", "No such diner."))
    return found


def _rows():
    return Order.objects.select_related("diner__resident", "set_meal")


@router.post("/orders", response={201: MealOrderOut, **ERRORS}, summary="Order a meal")
def order(request, payload: MealOrderIn):
    """For oneself, someone one acts for, a resident of one's building group, or (staff) anyone
    of one's area. The order carries its price, subsidy, what the diner pays and any clash."""
    diner = _diner(payload.diner)
    set_meal = get_or_404(
        SetMeal.objects.all(), pgettext("meal orders", "No such set meal."), pk=payload.set_meal
    )
    made = ordering.order(
        diner, set_meal, mode=payload.mode, by=request.user, scope=request.scope, via=payload.via
    )
    return Status(201, _rows().get(pk=made.pk))


@router.get("/orders/mine", response={200: list[MealOrderOut], **ERRORS}, summary="My orders ahead")
def mine(request):
    """The live orders from today on of the user and those they act for."""
    people = [p.pk for p in people_of(request.user)]
    return list(
        _rows()
        .live()
        .filter(diner__resident_id__in=people, day__gte=timezone.localdate())
        .order_by("day", "pk")
    )


@router.get("/orders/{int:order_id}", response={200: MealOrderOut, **ERRORS}, summary="One order")
def get_order(request, order_id: int = ORDER_ID):
    return ordering.order_for(request.user, request.scope, order_id)


@router.post(
    "/orders/{int:order_id}/cancel", response={200: MealOrderOut, **ERRORS}, summary="Cancel an order"
)
def cancel(request, order_id: int = ORDER_ID):
    """Before the cutoff; the place is given back."""
    found = ordering.order_for(request.user, request.scope, order_id)
    return ordering.cancel(found, by=request.user, scope=request.scope)


@router.post(
    "/orders/{int:order_id}/payment", response={200: MealOrderOut, **ERRORS}, summary="Record a payment"
)
def payment(request, payload: MealPaymentIn, order_id: int = ORDER_ID):
    """Staff: cash, card, or a transfer with its reference; nothing due when the subsidy covers it."""
    found = ordering.order_for(request.user, request.scope, order_id)
    return ordering.record_payment(
        found, how=payload.how, reference=payload.reference, by=request.user, scope=request.scope
    )


@router.post(
    "/orders/{int:order_id}/served", response={200: MealOrderOut, **ERRORS}, summary="Served at the counter"
)
def served(request, payload: MealServedIn, order_id: int = ORDER_ID):
    found = ordering.order_for(request.user, request.scope, order_id)
    if payload.outcome == "not_collected":
        return ordering.mark_not_collected(found, by=request.user, scope=request.scope)
    return ordering.mark_served(found, by=request.user, scope=request.scope)


@router.get(
    "/points/{int:point_id}/orders",
    response={200: list[MealOrderOut], **ERRORS},
    summary="A day's orders at a point",
)
def point_orders(request, point_id: int = POINT_ID, day: Day | None = None, meal: MealKind = MealKind.LUNCH):
    scope = staff_scope(request, Capability.RUN_MEALS)
    point = get_or_404(
        DiningPoint.objects.select_related("area"),
        pgettext("meal orders", "No such dining point."),
        pk=point_id,
    )
    if not ordering.runs_point(scope, point):
        raise Http404(pgettext("meal orders", "No such dining point."))
    return list(
        _rows().filter(point=point, day=day or timezone.localdate(), meal=meal).order_by("status", "pk")
    )


# --- Standing orders -----------------------------------------------------------------------------


@router.get("/standing", response={200: list[MealStandingOut], **ERRORS}, summary="My standing orders")
def standing_list(request):
    people = [p.pk for p in people_of(request.user)]
    return list(
        StandingOrder.objects.filter(diner__resident_id__in=people, stopped_at__isnull=True).order_by("pk")
    )


@router.post("/standing", response={201: MealStandingOut, **ERRORS}, summary="Set up a standing order")
def standing_new(request, payload: MealStandingIn):
    diner = _diner(payload.diner)
    made = standing.start(
        diner,
        point=diner.point,
        meal=payload.meal,
        weekdays=payload.weekdays,
        label=payload.label,
        mode=payload.mode,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        by=request.user,
        scope=request.scope,
    )
    return Status(201, made)


@router.get(
    "/standing/{int:standing_id}", response={200: MealStandingOut, **ERRORS}, summary="One standing order"
)
def standing_get(request, standing_id: int = STANDING_ID):
    return ordering.standing_for(request.user, request.scope, standing_id)


@router.post(
    "/standing/{int:standing_id}/stop",
    response={200: MealStandingOut, **ERRORS},
    summary="Stop a standing order",
)
def standing_stop(request, standing_id: int = STANDING_ID):
    found = ordering.standing_for(request.user, request.scope, standing_id)
    return standing.stop(found, by=request.user, scope=request.scope)

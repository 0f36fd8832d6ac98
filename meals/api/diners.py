"""Diners (their needs, health conditions revealed with a reason) and subsidy rules: the API.

The same services and rules as the pages: staff who run meals register and change the diners
of their area, a resident (or family acting for them) their own; the health conditions come
out masked, and in full only through ``/reveal``, which logs its reason. Subsidy rules are set
by a street's, district's or city's staff and read by the committees under them.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from areas.models import Area
from areas.schemas import AreaRef
from common.api import ERRORS, MAX_ID, Id, Pages, id_path
from common.schemas import Day, Text
from common.scope import Capability, get_or_404, staff_scope
from meals import diners as diner_service
from meals import subsidies as rule_service
from meals.models import Allergen, Diner, DiningPoint, DishTag, MealKind, Mode, SubsidyRule
from registry.models import Resident, Tag

router = Router(tags=["meals"])
DINER_ID = id_path("A diner's id.")
RULE_ID = id_path("A subsidy rule's id.")


# --- Schemas ---------------------------------------------------------------------------------


class MealDinerOut(Schema):
    id: int
    resident: int
    name: str
    address: str
    committee: AreaRef
    point: int
    point_name: str
    needs: list[str] = Field(description="Dish tags every dish must carry (soft, low_salt…).")
    allergies: list[str] = Field(description="Allergens no dish may hold.")
    health: str = Field(description="Masked: that health conditions are recorded, never which.")
    delivery: bool
    delivery_note: str
    usual_label: str
    usual_mode: Mode
    registered_at: datetime
    current: bool
    ended_at: datetime | None
    url: str

    @staticmethod
    def resolve_name(obj: Diner) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_address(obj: Diner) -> str:
        return obj.resident.household.address

    @staticmethod
    def resolve_resident(obj: Diner) -> int:
        return obj.resident_id

    @staticmethod
    def resolve_point(obj: Diner) -> int:
        return obj.point_id

    @staticmethod
    def resolve_point_name(obj: Diner) -> str:
        return obj.point.name

    @staticmethod
    def resolve_needs(obj: Diner) -> list[str]:
        return obj.need_list

    @staticmethod
    def resolve_allergies(obj: Diner) -> list[str]:
        return obj.allergy_list

    @staticmethod
    def resolve_health(obj: Diner) -> str:
        return obj.health_masked

    @staticmethod
    def resolve_current(obj: Diner) -> bool:
        return obj.is_current

    @staticmethod
    def resolve_url(obj: Diner) -> str:
        return obj.get_absolute_url()


class MealDinerIn(Schema):
    resident: Id
    point: Id
    needs: list[DishTag] = Field(default_factory=list, max_length=10)
    allergies: list[Allergen] = Field(default_factory=list, max_length=20)
    health: Text = Field("", max_length=diner_service.HEALTH_MAX, description="Stored encrypted.")
    delivery: bool = False
    delivery_note: Text = Field("", max_length=diner_service.NOTE_MAX)
    usual_label: Text = Field("", max_length=diner_service.LABEL_MAX)
    usual_mode: Mode = Mode.EAT_IN


class MealDinerChangeIn(Schema):
    """What is left out stays as it is; ``health`` "" clears the health conditions."""

    point: Id | None = None
    needs: list[DishTag] | None = Field(None, max_length=10)
    allergies: list[Allergen] | None = Field(None, max_length=20)
    health: Text | None = Field(None, max_length=diner_service.HEALTH_MAX)
    delivery: bool | None = None
    delivery_note: Text | None = Field(None, max_length=diner_service.NOTE_MAX)
    usual_label: Text | None = Field(None, max_length=diner_service.LABEL_MAX)
    usual_mode: Mode | None = None


class MealDinerEndIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=diner_service.REASON_MAX)


class MealRevealIn(Schema):
    reason: Text = Field(..., max_length=diner_service.REASON_MAX, description="Written to the access log.")


class MealRevealOut(Schema):
    diner: int
    health: str


class MealDinerFilter(Schema):
    point: int | None = Field(None, ge=1, le=MAX_ID)
    delivery: bool | None = None
    special: bool | None = Field(None, description="Only those with needs or allergies.")


class MealRuleOut(Schema):
    id: int
    area: AreaRef
    name: str
    funder: str
    min_age: int | None
    max_age: int | None
    tags: list[str] = Field(description="Registry tags, any of; empty: whatever their tags.")
    meals: list[str] = Field(description="Meals; empty: every meal.")
    amount: Decimal
    monthly_cap: Decimal | None
    valid_from: date
    valid_until: date | None
    url: str

    @staticmethod
    def resolve_tags(obj: SubsidyRule) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_meals(obj: SubsidyRule) -> list[str]:
        return obj.meal_list

    @staticmethod
    def resolve_url(obj: SubsidyRule) -> str:
        return obj.get_absolute_url()


class MealRuleDetailOut(MealRuleOut):
    used: bool = Field(description="Orders have used it: it is ended, not changed.")
    paid_orders: int = Field(description="Meals it paid towards this month.")
    paid_diners: int
    paid_amount: Decimal
    last_used: date | None
    covered_today: int = Field(description="Registered diners in the area it would cover today.")


class MealRuleIn(Schema):
    area: Text = Field(..., max_length=40, description="The area's code: where the diners live.")
    name: Text = Field(..., min_length=1, max_length=rule_service.NAME_MAX)
    funder: Text = Field(..., min_length=1, max_length=rule_service.NAME_MAX)
    min_age: int | None = Field(None, ge=0, le=rule_service.MAX_AGE)
    max_age: int | None = Field(None, ge=0, le=rule_service.MAX_AGE)
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    meals: list[MealKind] = Field(default_factory=list, max_length=3)
    amount: Decimal = Field(..., ge=rule_service.MIN_AMOUNT, le=rule_service.MAX_AMOUNT, decimal_places=2)
    monthly_cap: Decimal | None = Field(None, gt=0, le=rule_service.MAX_CAP, decimal_places=2)
    valid_from: Day
    valid_until: Day | None = None


class MealRuleEndIn(Schema):
    until: Day


# --- Diners ----------------------------------------------------------------------------------


def _diner(request, diner_id: int) -> Diner:
    return get_or_404(
        diner_service.visible_to(request.user, request.scope).select_related(
            "resident__household__building", "point", "committee"
        ),
        _("No such diner."),
        pk=diner_id,
    )


def _point(point_id: int | None) -> DiningPoint | None:
    return DiningPoint.objects.filter(pk=point_id).first() if point_id else None


@router.get("/diners", response={200: list[MealDinerOut], **ERRORS}, summary="Diners")
@paginate(Pages)
def diners(request, filters: Query[MealDinerFilter]):
    """Staff: the current diners of their area, by point, delivery and special needs."""
    scope = staff_scope(request, Capability.RUN_MEALS)
    found = (
        diner_service.seen_by_staff(scope)
        .current()
        .select_related("resident__household__building", "point", "committee")
        .order_by("point__name", "pk")
    )
    if filters.point:
        found = found.filter(point_id=filters.point)
    if filters.delivery is not None:
        found = found.filter(delivery=filters.delivery)
    if filters.special:
        found = found.exclude(needs="", allergies="")
    return found


@router.get("/diners/{int:diner_id}", response={200: MealDinerOut, **ERRORS}, summary="One diner")
def get_diner(request, diner_id: int = DINER_ID):
    return _diner(request, diner_id)


@router.post("/diners", response={201: MealDinerOut, **ERRORS}, summary="Register a diner")
def register(request, payload: MealDinerIn):
    """By staff over the resident's home, by the resident, or by family acting for them."""
    person = (
        Resident.objects.filter(pk=payload.resident, anonymised_at__isnull=True)
        .select_related("household__building", "household__committee")
        .first()
    )
    if person is None or diner_service.acts_as_diner(request.user, person, request.scope) is None:
        raise Http404(_("No such resident."))
    fields = payload.model_dump(exclude={"resident", "point"})
    made = diner_service.register(
        request.user, person, scope=request.scope, point=_point(payload.point), **fields
    )
    return Status(201, _diner(request, made.pk))


@router.put("/diners/{int:diner_id}", response={200: MealDinerOut, **ERRORS}, summary="Change a diner")
def change(request, payload: MealDinerChangeIn, diner_id: int = DINER_ID):
    found = _diner(request, diner_id)
    given = payload.model_dump(exclude_unset=True)
    fields: dict[str, Any] = {
        "point": _point(given["point"]) if given.get("point") else found.point,
        "needs": given.get("needs", found.need_list) or [],
        "allergies": given.get("allergies", found.allergy_list) or [],
        "delivery": found.delivery if given.get("delivery") is None else given["delivery"],
        "delivery_note": found.delivery_note
        if given.get("delivery_note") is None
        else given["delivery_note"],
        "usual_label": found.usual_label if given.get("usual_label") is None else given["usual_label"],
        "usual_mode": given.get("usual_mode") or found.usual_mode,
        "health": given.get("health"),
    }
    diner_service.update(request.user, found, scope=request.scope, **fields)
    return _diner(request, diner_id)


@router.post(
    "/diners/{int:diner_id}/end", response={200: MealDinerOut, **ERRORS}, summary="End a registration"
)
def end(request, payload: MealDinerEndIn, diner_id: int = DINER_ID):
    """Refused while the diner has open orders ahead or a live standing order."""
    diner_service.end(request.user, _diner(request, diner_id), scope=request.scope, reason=payload.reason)
    return _diner(request, diner_id)


@router.post(
    "/diners/{int:diner_id}/reveal",
    response={200: MealRevealOut, **ERRORS},
    summary="Reveal a diner's health conditions",
)
def reveal(request, payload: MealRevealIn, diner_id: int = DINER_ID):
    """A role that may reveal, with a reason: written to the registry's access log."""
    scope = staff_scope(request, Capability.REVEAL_IDENTITY)
    found = get_or_404(
        diner_service.seen_by_staff(scope).select_related("resident__household__building", "committee"),
        _("No such diner."),
        pk=diner_id,
    )
    return {
        "diner": found.pk,
        "health": diner_service.reveal_health(request.user, found, scope=scope, reason=payload.reason),
    }


# --- Subsidy rules ---------------------------------------------------------------------------


def _rule(request, rule_id: int) -> SubsidyRule:
    scope = staff_scope(request, Capability.RUN_MEALS)
    return get_or_404(rule_service.seen_by(scope), _("No such subsidy rule."), pk=rule_id)


def _rule_detail(rule: SubsidyRule) -> SubsidyRule:
    paid = rule_service.paid_this_month(rule)
    rule.used = rule_service.is_used(rule)  # type: ignore[attr-defined]
    rule.paid_orders = paid.orders  # type: ignore[attr-defined]
    rule.paid_diners = paid.diners  # type: ignore[attr-defined]
    rule.paid_amount = paid.amount  # type: ignore[attr-defined]
    rule.last_used = paid.last_day  # type: ignore[attr-defined]
    rule.covered_today = len(rule_service.covered_diners(rule))  # type: ignore[attr-defined]
    return rule


def _rule_fields(request, payload: MealRuleIn) -> dict:
    scope = staff_scope(request, Capability.RUN_MEALS)
    area = Area.objects.filter(code=payload.area).first()
    if area is None or not scope.covers(area):
        raise Http404(_("No such area in your scope."))
    fields = payload.model_dump()
    fields["area"] = area
    return fields


@router.get("/rules", response={200: list[MealRuleOut], **ERRORS}, summary="Subsidy rules")
def rules(request):
    """The rules of the role's area and of the areas above it."""
    scope = staff_scope(request, Capability.RUN_MEALS)
    return list(rule_service.seen_by(scope).order_by("area__path", "-valid_from", "pk"))


@router.get("/rules/{int:rule_id}", response={200: MealRuleDetailOut, **ERRORS}, summary="One subsidy rule")
def get_rule(request, rule_id: int = RULE_ID):
    """With what it has paid this month and how many registered diners it would cover today."""
    return _rule_detail(_rule(request, rule_id))


@router.post("/rules", response={201: MealRuleDetailOut, **ERRORS}, summary="Set a subsidy rule")
def create_rule(request, payload: MealRuleIn):
    """Refused when it overlaps another rule of the same funder (the message names it)."""
    made = rule_service.create(request.user, scope=request.scope, **_rule_fields(request, payload))
    return Status(201, _rule_detail(made))


@router.put(
    "/rules/{int:rule_id}", response={200: MealRuleDetailOut, **ERRORS}, summary="Change an unused rule"
)
def change_rule(request, payload: MealRuleIn, rule_id: int = RULE_ID):
    """Only a rule no order has used; a used one is ended and a new one made."""
    found = _rule(request, rule_id)
    changed = rule_service.update(request.user, found, scope=request.scope, **_rule_fields(request, payload))
    return _rule_detail(changed)


@router.delete("/rules/{int:rule_id}", response={204: None, **ERRORS}, summary="Delete an unused rule")
def delete_rule(request, rule_id: int = RULE_ID):
    rule_service.delete(request.user, _rule(request, rule_id), scope=request.scope)
    return Status(204, None)


@router.post(
    "/rules/{int:rule_id}/end", response={200: MealRuleDetailOut, **ERRORS}, summary="End a subsidy rule"
)
def end_rule(request, payload: MealRuleEndIn, rule_id: int = RULE_ID):
    """Its last day: not before the last day an order already used it."""
    ended = rule_service.end(request.user, _rule(request, rule_id), scope=request.scope, until=payload.until)
    return _rule_detail(ended)

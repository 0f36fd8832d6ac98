"""Statements per diner and per funder, and the figures: the API. The same selectors and rules
as the pages: a diner's month to staff over their committee, to the diner and to family acting
for them; a funder's month (totals per rule and per point) and the figures to staff with
``RUN_MEALS``, over their scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from areas.selectors import figures_area
from common.api import ERRORS, Id, id_path
from common.schemas import Text
from common.scope import NO_SCOPE, Capability, staff_scope
from meals import figures as meal_figures
from meals import statements as st
from meals.models import Diner

router = Router(tags=["meals"])
DINER_ID = id_path("A diner's id.")
MONTH = Field("", max_length=7, description="YYYY-MM; this month by default.")


def _month(text: str) -> date:
    try:
        return st.parse_month(text)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.message_dict["month"])) from error


class FunderQuery(Schema):
    funder: Text = Field(min_length=1, max_length=80, description="The funder, as its rules name it.")
    month: Text = MONTH


class FiguresQuery(Schema):
    area: Text = Field("", max_length=40, description="An area's code inside your scope; yours by default.")
    month: Text = MONTH


class FunderByOut(Schema):
    funder: str
    amount: Decimal


class DinerOrderOut(Schema):
    order: int
    day: date
    meal: str
    set_meal: str
    mode: str
    point: str
    price: Decimal
    subsidy: Decimal
    by_funder: list[FunderByOut]
    pays: Decimal
    paid: bool
    paid_how: str
    status: str


class DinerStatementOut(Schema):
    diner: int
    month: str
    meals: int
    price: Decimal
    subsidy: Decimal
    pays: Decimal
    unpaid: Decimal
    cancelled: int = Field(description="Cancelled orders, not counted.")
    by_funder: list[FunderByOut]
    orders: list[DinerOrderOut]


class TotalOut(Schema):
    meals: int
    amount: Decimal


class RuleTotalOut(TotalOut):
    rule: Id
    name: str


class PointTotalOut(TotalOut):
    point: Id
    name: str


class FunderStatementOut(Schema):
    funder: str
    month: str
    total: TotalOut
    void: int = Field(description="Void lines (cancelled orders), not counted.")
    by_rule: list[RuleTotalOut]
    by_point: list[PointTotalOut]


class MealsOut(Schema):
    eaten: int = Field(description="Served or handed over.")
    ordered: int = Field(description="Live orders.")
    cancelled: int


class DayMealsOut(MealsOut):
    day: date


class PointMealsOut(MealsOut):
    point: Id
    name: str


class PartMealsOut(MealsOut):
    area: str
    name: str


class FunderMonthOut(Schema):
    funder: str
    month: date
    amount: Decimal


class MealFiguresOut(Schema):
    area: str
    month: str
    total: MealsOut
    registered: int = Field(description="Diners registered at the end of the month.")
    active: int = Field(description="Diners with a live order this month.")
    to_deliver: int
    handed_over: int
    not_home: int
    by_day: list[DayMealsOut]
    by_point: list[PointMealsOut]
    parts: list[PartMealsOut]
    subsidy: list[FunderMonthOut]


@router.get("/statements/diners/{diner_id}", response={200: DinerStatementOut, **ERRORS})
def diner_statement(
    request,
    diner_id: int = DINER_ID,
    month: Text = Query("", max_length=7, description="YYYY-MM; this month by default."),
):
    """A diner's month: every live order with its money, the totals, what is unpaid."""
    first = _month(month)
    diner = Diner.objects.select_related("resident", "committee").filter(pk=diner_id).first()
    scope = getattr(request, "scope", NO_SCOPE)
    if diner is None or st.may_see_diner(request.user, scope, diner) is None:
        raise HttpError(404, _("No such diner."))
    statement = st.diner_statement(diner, first)
    return {
        "diner": diner.pk,
        "month": st.month_text(first),
        "meals": statement.count,
        "price": statement.price,
        "subsidy": statement.subsidy,
        "pays": statement.pays,
        "unpaid": statement.unpaid,
        "cancelled": statement.cancelled,
        "by_funder": [{"funder": f, "amount": a} for f, a in statement.by_funder],
        "orders": [
            {
                "order": line.order.pk,
                "day": line.order.day,
                "meal": line.order.meal,
                "set_meal": line.order.set_meal.label,
                "mode": line.order.mode,
                "point": line.order.point.name,
                "price": line.order.price,
                "subsidy": line.order.subsidy,
                "by_funder": [{"funder": f, "amount": a} for f, a in line.by_funder],
                "pays": line.order.pays,
                "paid": line.order.is_paid,
                "paid_how": line.order.paid_how,
                "status": line.order.status,
            }
            for line in statement.lines
        ],
    }


@router.get("/statements/funder", response={200: FunderStatementOut, **ERRORS})
def funder_statement(request, query: Query[FunderQuery]):
    """What a funder owes for a month in your scope: totals per rule and per dining point."""
    scope = staff_scope(request, Capability.RUN_MEALS)
    month = _month(query.month)
    statement = st.funder_statement(scope, query.funder.strip(), month)
    return {
        "funder": statement.funder,
        "month": st.month_text(month),
        "total": {"meals": statement.total.count, "amount": statement.total.amount},
        "void": statement.void,
        "by_rule": [
            {"rule": r.pk, "name": r.name, "meals": t.count, "amount": t.amount} for r, t in statement.by_rule
        ],
        "by_point": [
            {"point": p.pk, "name": p.name, "meals": t.count, "amount": t.amount}
            for p, t in statement.by_point
        ],
    }


def _meals(m: meal_figures.Meals) -> dict:
    return {"eaten": m.eaten, "ordered": m.ordered, "cancelled": m.cancelled}


@router.get("/figures", response={200: MealFiguresOut, **ERRORS})
def figures(request, query: Query[FiguresQuery]):
    """A month's meals per day and dining point, diners, deliveries, subsidy by funder."""
    scope = staff_scope(request, Capability.RUN_MEALS)
    month = _month(query.month)
    area = figures_area(scope, query.area)
    data = meal_figures.month_figures(area, month)
    return {
        "area": area.code,
        "month": st.month_text(month),
        "total": _meals(data.total),
        "registered": data.registered,
        "active": data.active,
        "to_deliver": data.deliveries.ordered,
        "handed_over": data.deliveries.handed_over,
        "not_home": data.deliveries.not_home,
        "by_day": [{"day": d, **_meals(m)} for d, m in data.by_day],
        "by_point": [{"point": p.pk, "name": p.name, **_meals(m)} for p, m in data.by_point],
        "parts": [{"area": a.code, "name": a.name, **_meals(m)} for a, m in data.parts],
        "subsidy": [
            {"funder": funder, "month": month_day, "amount": amount}
            for funder, months in data.subsidy
            for month_day, amount in months
        ],
    }

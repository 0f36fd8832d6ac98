"""Meal assistance in figures, for an area (a committee, or a street rolling up its committees,
or anything above) and a month; and meals as beneficiaries (受益人次) for ``mulin/figures.py``.

An order counts for the area its diner lives in (``Diner.committee``): the figures are about
the area's residents, wherever they eat. A meal is eaten (a beneficiary) when served or handed
over (``EATEN``); ordered means every live order; cancelled is counted apart. Every figure is
one grouped query, so a page costs the same whatever the number of orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from areas.models import Area
from areas.selectors import compares_parts, part_path, parts_of
from meals.models import EATEN, LIVE_ORDERS, Diner, DiningPoint, Mode, Order, OrderStatus, OrderSubsidy
from meals.pricing import month_bounds

CENT = Decimal("0.01")

_MEALS = {
    "eaten": Count("pk", filter=Q(status__in=EATEN)),
    "ordered": Count("pk", filter=Q(status__in=LIVE_ORDERS)),
    "cancelled": Count("pk", filter=Q(status=OrderStatus.CANCELLED)),
}


@dataclass(frozen=True)
class Meals:
    eaten: int
    ordered: int
    cancelled: int


def _meals(row) -> Meals:
    return Meals(row["eaten"] or 0, row["ordered"] or 0, row["cancelled"] or 0)


@dataclass(frozen=True)
class Deliveries:
    ordered: int  # live orders to be delivered
    handed_over: int
    not_home: int


@dataclass(frozen=True)
class MonthFigures:
    area: Area
    month: date
    total: Meals
    by_day: list[tuple[date, Meals]]
    by_point: list[tuple[DiningPoint, Meals]]
    registered: int  # diners registered (and not ended) at the end of the month
    active: int  # diners with a live order this month
    deliveries: Deliveries
    subsidy: list[tuple[str, list[tuple[date, Decimal]]]]  # funder → months, newest first
    parts: list[tuple[Area, Meals]]


def _orders(area: Area, first: date, following: date) -> QuerySet[Order]:
    return Order.objects.filter(
        diner__committee__path__startswith=area.path, day__gte=first, day__lt=following
    )


def month_figures(area: Area, month: date, *, months_of_subsidy: int = 12) -> MonthFigures:
    """The month's figures of ``area``: seven queries (eight with the parts of a street and above)."""
    first, following = month_bounds(month)
    orders = _orders(area, first, following)
    totals = orders.aggregate(
        **_MEALS,
        active=Count("diner", distinct=True, filter=Q(status__in=LIVE_ORDERS)),
        to_deliver=Count("pk", filter=Q(mode=Mode.DELIVERED, status__in=LIVE_ORDERS)),
        handed_over=Count("pk", filter=Q(mode=Mode.DELIVERED, status=OrderStatus.DELIVERED)),
        not_home=Count("pk", filter=Q(status=OrderStatus.NOT_HOME)),
    )
    by_day = [(r["day"], _meals(r)) for r in orders.values("day").order_by("day").annotate(**_MEALS)]
    point_rows = list(orders.values("point").order_by("point").annotate(**_MEALS))
    points = DiningPoint.objects.in_bulk([r["point"] for r in point_rows])
    by_point = sorted(
        ((points[r["point"]], _meals(r)) for r in point_rows), key=lambda pair: (-pair[1].eaten, pair[0].name)
    )
    end = timezone.make_aware(datetime.combine(following, datetime.min.time()))
    registered = (
        Diner.objects.filter(committee__path__startswith=area.path, registered_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=end))
        .count()
    )
    since = first
    for _month in range(months_of_subsidy - 1):
        since = (since - date.resolution).replace(day=1)
    funders: dict[str, list[tuple[date, Decimal]]] = {}
    for r in (
        OrderSubsidy.objects.filter(
            diner__committee__path__startswith=area.path, void=False, day__gte=since, day__lt=following
        )
        .annotate(month=TruncMonth("day"))
        .values("funder", "month")
        .order_by("funder", "-month")
        .annotate(amount=Sum("amount"))
    ):
        month_day = r["month"].date() if isinstance(r["month"], datetime) else r["month"]
        funders.setdefault(r["funder"], []).append((month_day, Decimal(r["amount"] or 0).quantize(CENT)))
    parts: list[tuple[Area, Meals]] = []
    if compares_parts(area):
        below = parts_of(area)
        counted = {
            r["part"]: _meals(r)
            for r in orders.annotate(part=part_path(below, "diner__committee__path"))
            .values("part")
            .order_by("part")
            .annotate(**_MEALS)
        }
        parts = [(p, counted.get(p.path, Meals(0, 0, 0))) for p in below]
    return MonthFigures(
        area=area,
        month=first,
        total=_meals(totals),
        by_day=by_day,
        by_point=by_point,
        registered=registered,
        active=totals["active"] or 0,
        deliveries=Deliveries(totals["to_deliver"] or 0, totals["handed_over"] or 0, totals["not_home"] or 0),
        subsidy=sorted(funders.items()),
        parts=parts,
    )


# --- Beneficiaries (受益人次), the shape of activities' and service days' ---------------------------


@dataclass(frozen=True)
class Beneficiaries:
    days: int  # days with a meal eaten
    person_times: int  # 受益人次: every meal eaten counts
    people: int  # distinct diners who ate


_COUNTS = {
    "times": Count("pk"),
    "people": Count("diner", distinct=True),
    "days": Count("day", distinct=True),
}


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _eaten(area: Area, start: datetime, end: datetime) -> QuerySet[Order]:
    return Order.objects.filter(
        status__in=EATEN,
        diner__committee__path__startswith=area.path,
        day__gte=_day(start),
        day__lt=_day(end),
    )


def beneficiaries(area: Area, start: datetime, end: datetime) -> Beneficiaries:
    """Meals eaten by the diners living under ``area``, on days in [start, end): one query."""
    row = _eaten(area, start, end).aggregate(**_COUNTS)
    return Beneficiaries(row["days"], row["times"], row["people"])


def beneficiaries_by_month(area: Area, start: datetime, end: datetime) -> list[tuple[date, Beneficiaries]]:
    """Newest month first, months with no meal eaten left out: one query."""
    rows = (
        _eaten(area, start, end)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**_COUNTS)
        .order_by("-month")
    )
    return [
        (
            r["month"].date() if isinstance(r["month"], datetime) else r["month"],
            Beneficiaries(r["days"], r["times"], r["people"]),
        )
        for r in rows
    ]


def beneficiaries_by_part(area: Area, start: datetime, end: datetime) -> list[tuple[Area, Beneficiaries]]:
    """For a street and above, each area one level below, most person-times first: two queries."""
    if not compares_parts(area):
        return []
    parts = parts_of(area)
    rows = (
        _eaten(area, start, end)
        .annotate(part=part_path(parts, "diner__committee__path"))
        .values("part")
        .order_by("part")
        .annotate(**_COUNTS)
    )
    counted = {r["part"]: Beneficiaries(r["days"], r["times"], r["people"]) for r in rows}
    result = [(p, counted.get(p.path, Beneficiaries(0, 0, 0))) for p in parts]
    return sorted(result, key=lambda pair: -pair[1].person_times)
